#!/usr/bin/python3
"""test_values.py — reading values as a bank's exports write them (SPEC §4, §5; issue 10):
archives generated here, so each case states exactly what it feeds in.

  1. Excel serial day numbers: an archive whose every date is a serial (46023 for
     2026-01-01, as Excel writes a date cell formatted as a number) gives the same indicator
     document as the same archive with ISO dates, and no finding; 19999 and 80001 (outside
     20000..80000) are invalid_date findings.
  2. Sums at the limit: 9,223 households granted 10^13 yuan each total 92,230,000,000,000,000
     yuan, published exactly; one household more does not fit a signed 64-bit count of fen and
     the build stops (exit 2) naming the row, never publishing a wrapped total.
  3. Two exports pasted together: the repeated header rows are skipped with one
     repeated_header warning each, and the rows after them are read as households and loans.
Runs from the repository root (standard library only; CUNDANG defaults to ./cundang).
The last line is "N passed, N failed"; the exit status is 1 when anything failed."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, run, scratch_dir  # noqa: E402

checks = Checks(detail_limit=800)
check = checks.check

SITE = """bank: 测试银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate:   {min: 0.95, weight: 15}
    archive_rate: {min: 0.90, weight: 15}
  checks:
    village_meeting: {label: 村级对接会, weight: 2.5}
"""
VILLAGE = "---\nname: 测试村\nbranch: HB\ngrade: A\n---\n测试村村情。\n"
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(n):
    """A valid GB 11643 ID number, different for each n below 1000."""
    body = "321183" + "19800101" + "%03d" % n
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


def write_archive(root, households, loans):
    """Writes site.yaml, village V1 with the households.csv text given, and loans/2026.csv."""
    os.makedirs(os.path.join(root, "villages", "V1"))
    os.makedirs(os.path.join(root, "loans"))
    for rel, text in (("site.yaml", SITE), ("villages/V1/village.md", VILLAGE),
                      ("villages/V1/households.csv", households), ("loans/2026.csv", loans)):
        with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
            f.write(text)


def stats(archive):
    """(exit status, the indicator document's text, stderr) of `cundang stats --json`."""
    rc, out, err = run("stats", "--json", "-i", archive, text=True)
    return rc, out, err


def findings(archive):
    """The findings of `cundang check --json` as [file, line, code] lists (None on failure)."""
    rc, out, err = run("check", "--json", "-i", archive, text=True)
    try:
        return [[f["file"], f["line"], f["code"]] for f in json.loads(out)]
    except ValueError:
        return None


# Every date column of both files, as ISO dates and as the serials Excel writes for them.
DATES = [("2026-01-01", "46023"), ("2026-02-28", "46081"), ("2026-03-01", "46082"),
         ("2026-03-15", "46096"), ("2026-10-31", "46326"), ("2026-02-27", "46080"),
         ("2024-02-29", "45351")]
HOUSEHOLDS = ("household_id,head_name,id_number,visited_on,archived_on,credit_line,granted_on,"
              "signed_on\n"
              "V1-01,张三,%s,{0},{1},3万,{2},{3}\n"
              "V1-02,李四,%s,{4},{5},2万,{0},\n"
              "V1-03,王五,%s,{3},{6},,,\n") % (resident_id(1), resident_id(2), resident_id(3))
LOANS = ("loan_id,household_id,amount,disbursed_on,due_on,settled_on,balance\n"
         "L1,V1-01,1万,{2},{4},,10000\n"
         "L2,V1-02,2万,{0},{1},{5},0\n")


def t_serial_dates(tmp):
    iso = [d for d, _ in DATES]
    serial = [s for _, s in DATES]
    write_archive(f"{tmp}/iso", HOUSEHOLDS.format(*iso), LOANS.format(*iso))
    write_archive(f"{tmp}/serial", HOUSEHOLDS.format(*serial), LOANS.format(*serial))
    rc1, doc_iso, err1 = stats(f"{tmp}/iso")
    rc2, doc_serial, err2 = stats(f"{tmp}/serial")
    check("serial dates: both archives read", rc1 == 0 and rc2 == 0, err1 + err2)
    check("serial dates: the indicator document equals the one with ISO dates",
          doc_iso == doc_serial and '"signed": 1' in doc_iso and '"used": 1' in doc_iso,
          doc_serial[:600])
    check("serial dates: no finding", findings(f"{tmp}/serial") == [],
          findings(f"{tmp}/serial"))
    # Just outside the range: five digits, but no date (a count typed in a date column).
    bad = list(serial)
    bad[3], bad[5] = "19999", "80001"
    write_archive(f"{tmp}/bad", HOUSEHOLDS.format(*bad), LOANS.format(*bad))
    h = "villages/V1/households.csv"
    check("serial dates: 19999 and 80001 are invalid dates",
          findings(f"{tmp}/bad") == [[h, 2, "invalid_date"], [h, 3, "invalid_date"],
                                     [h, 4, "invalid_date"],
                                     ["loans/2026.csv", 3, "invalid_date"]],
          findings(f"{tmp}/bad"))
    rc, err = build(f"{tmp}/serial", f"{tmp}/serial-out")
    check("serial dates: the site builds", rc == 0, err[-400:])


def t_sum_limit(tmp):
    def grants(n):
        rows = "".join("V1-%05d,张三,%s,10000000000000,2026-04-01\n" % (i, resident_id(i % 1000))
                       for i in range(n))
        return "household_id,head_name,id_number,credit_line,granted_on\n" + rows

    loans = "loan_id,household_id,amount,disbursed_on,balance\n"
    write_archive(f"{tmp}/fits", grants(9223), loans)
    rc, doc, err = stats(f"{tmp}/fits")
    check("sums: 9,223 × 10^13 yuan is published exactly",
          rc == 0 and '"credit_total": 92230000000000000,' in doc, err[-400:] + doc[:400])
    write_archive(f"{tmp}/over", grants(9224), loans)
    rc, doc, err = stats(f"{tmp}/over")
    want = (f"{tmp}/over/villages/V1/households.csv:9225: the archive's total of credit_line "
            "(授信额度) passes 92233720368547758.07 yuan here")
    check("sums: 9,224 × 10^13 yuan is exit 2 naming the row, nothing printed",
          rc == 2 and want in err and doc == "", err[-400:])
    rc, err = build(f"{tmp}/over", f"{tmp}/over-out")
    check("sums: the build stops too, writing nothing",
          rc == 2 and want in err and not os.path.exists(f"{tmp}/over-out"), err[-400:])


def t_repeated_header(tmp):
    header = "household_id,head_name,id_number,credit_line,granted_on\n"
    households = (header + "V1-01,张三,%s,3万,2026-04-01\n" % resident_id(1) +
                  " household_id , head_name,id_number,credit_line,granted_on \n" +
                  "V1-02,李四,%s,2万,2026-04-01\n" % resident_id(2) +
                  header + "V1-03,王五,%s,,\n" % resident_id(3))
    lheader = "loan_id,household_id,amount,disbursed_on,balance\n"
    loans = lheader + "L1,V1-01,1万,2026-05-01,10000\n" + lheader + "L2,V1-02,1万,2026-05-01,5000\n"
    write_archive(f"{tmp}/pasted", households, loans)
    h = "villages/V1/households.csv"
    got = findings(f"{tmp}/pasted")
    check("repeated header: one repeated_header warning per repeated line, nothing else",
          got == [[h, 3, "repeated_header"], [h, 5, "repeated_header"],
                  ["loans/2026.csv", 3, "repeated_header"]], got)
    rc, doc, err = stats(f"{tmp}/pasted")
    check("repeated header: the rows around it are read",
          rc == 0 and '"listed": 3,' in doc and '"granted": 2,' in doc and
          '"loans_outstanding": 2,' in doc and '"balance_total": 15000,' in doc, doc[:600])


def main():
    with scratch_dir("values") as tmp:
        for name, t in (("serial", t_serial_dates), ("sum", t_sum_limit),
                        ("header", t_repeated_header)):
            os.makedirs(f"{tmp}/{name}")
            t(f"{tmp}/{name}")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
