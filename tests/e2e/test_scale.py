#!/usr/bin/python3
"""test_scale.py — archives too large to list in full still build (SPEC §5, §7; issue 10 §2),
generated at test time:

  1. findings-heavy: 3 villages of FINDING_ROWS households, each row with 8 findings.
     quality.html summarises (counts by code and file, by village and code the first 50 of
     each, how many more), data/findings-YYYY-MM.csv (UTF-8 with BOM) holds every finding, each dossier
     lists its first 200 with the count, the 数据质量 sheets hold every finding (below the
     Excel limit; the cap itself is tests/unit/test_cap.c).
  2. one village of BIG_VILLAGE households (an 整区授信 of a district): the dossier shows
     the first 2,000 households and 1,000 of each follow-up list, says how many there are
     and names the branch workbook, whose 户表 has every household.

Standard library only. It runs the release binary ./cundang (CUNDANG_RELEASE to change it),
not the ASan build the other suites use: it is about sizes, and under ASan the 500,000
households take minutes. `test_scale.py --write DIR ROWS`
writes the findings-heavy archive with ROWS households per village (for measurements).
The last line printed is "N passed, N failed"; the exit status is 1 when anything failed.
"""
import os
import re
import sys
import time
import zipfile

os.environ["CUNDANG"] = os.environ.get("CUNDANG_RELEASE", "./cundang")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, scratch_dir  # noqa: E402

FINDING_ROWS = 5000
BIG_VILLAGE = int(os.environ.get("CUNDANG_BIG_VILLAGE", "500000"))
HEADER = ("household_id,head_name,id_number,phone,segment,grid,manager,members,migrant,"
          "visited_on,archived_on,negative_reason,credit_line,granted_on,signed_on\n")
SITE = """bank: 测试银行
month: 2026-10
branches:
  - {code: ZB, name: 总部支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate: {min: 0.95, weight: 100}
"""
# One households row with 8 findings: invalid_id_number, unknown_segment, invalid_integer,
# invalid_boolean, invalid_date (2), invalid_amount, signed_without_grant.
BAD_ROW = ("{id},王一,321181196205255150,13446751118,alien,第一网格,王永,x,maybe,2025-13-45,"
           "2025-02-30,,abc,2025-11-19,2025-01-14\n")
CODES = {"invalid_id_number": 1, "unknown_segment": 1, "invalid_integer": 1,
         "invalid_boolean": 1, "invalid_date": 2, "invalid_amount": 1,
         "signed_without_grant": 1}
PER_ROW = sum(CODES.values())
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(n):
    """A valid 18-character resident ID (GB 11643 check character) numbered n."""
    body = "321181%s%03d" % (19600101 + (n // 1000) % 28, n % 1000)
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def village_md(code):
    return ("---\nname: 村%s\ntownship: 甲镇\nbranch: ZB\ngrade: A\nlaunched_on: 2025-08-18\n"
            "---\n村情。\n" % code)


def write_site(root, villages):
    """villages: {code: text of households.csv}."""
    os.makedirs(os.path.join(root, "loans"), exist_ok=True)
    with open(os.path.join(root, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE)
    for code, rows in villages.items():
        d = os.path.join(root, "villages", code)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "village.md"), "w", encoding="utf-8") as f:
            f.write(village_md(code))
        with open(os.path.join(d, "households.csv"), "w", encoding="utf-8") as f:
            f.write(rows)


def findings_archive(root, rows):
    write_site(root, {"V%03d" % v: HEADER + "".join(BAD_ROW.format(id="V%03d-%06d" % (v, i))
                                                     for i in range(1, rows + 1))
                      for v in (1, 2, 3)})


def big_village(root, n):
    """n clean households: every 4th not visited, every 3rd granted, every 6th signed."""
    lines = [HEADER]
    for i in range(1, n + 1):
        visited = "" if i % 4 == 0 else "2025-09-01"
        granted = i % 3 == 0 and visited
        signed = i % 6 == 0 and visited
        lines.append("D001-%06d,张三,%s,139%08d,farmer,第一网格,李四,3,N,%s,%s,,%s,%s,%s\n" % (
            i, id_number(i), i, visited, visited, "50000" if granted else "",
            "2025-10-01" if granted else "", "2025-11-01" if signed else ""))
    write_site(root, {"D001": "".join(lines)})


def sheet_rows(xlsx, name):
    """The number of <row> elements of the sheet called name (header and notes included)."""
    with zipfile.ZipFile(xlsx) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<sheet name="%s" sheetId="\d+" r:id="(rId\d+)"' % name, book).group(1)
        target = re.search(r'Id="%s" Type="[^"]+" Target="([^"]+)"' % rid, rels)
        if not target:
            target = re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
        data = z.read("xl/" + target.group(1))
    return data.count(b"<row ")


def table_rows(page, table_id):
    m = re.search(r'<table[^>]*id="%s".*?<tbody>(.*?)</tbody>' % table_id, page, re.S)
    return m.group(1).count("<tr") if m else -1


def fmt(n):
    return "{:,}".format(n)


def test_findings(c, work):
    arch, out = os.path.join(work, "heavy"), os.path.join(work, "heavy-out")
    findings_archive(arch, FINDING_ROWS)
    t0 = time.monotonic()
    rc, err = build(arch, out)
    secs = time.monotonic() - t0
    total = 3 * FINDING_ROWS * PER_ROW
    print("# findings-heavy: %d findings built in %.1f s" % (total, secs))
    c.check("the findings-heavy archive builds (exit 0)", rc == 0, err[-500:])
    if rc != 0:
        return
    with open(os.path.join(out, "quality.html"), encoding="utf-8") as f:
        q = f.read()
    size = os.path.getsize(os.path.join(out, "quality.html"))
    print("# quality.html: %d bytes" % size)
    c.check("quality.html stays small (under 1 MB)", size < 1 << 20, "%d bytes" % size)
    for code, k in sorted(CODES.items()):
        n = 3 * FINDING_ROWS * k
        c.check("quality.html counts %s: %s" % (code, fmt(n)),
                re.search(r'<tr id="code-%s"><td class="nowrap">[^<]* <code class="sub">%s</code>'
                          r'</td><td class="num">%s</td>' % (code, code, fmt(n)), q) is not None)
        for v in ("V001", "V002", "V003"):
            sec = re.search(r'<section class="panel village-findings" id="village-%s">(.*?)</section>'
                            % v, q, re.S)
            grp = re.search(r'<div class="code-findings" data-code="%s">(.*?)</table>\s*</div>\s*'
                            r'(<p class="note capped">.*?</p>)?' % code,
                            sec.group(1) if sec else "", re.S)
            body = grp.group(0) if grp else ""
            more = FINDING_ROWS * k - 50
            c.check("quality.html lists %s's first 50 %s and says %s more" % (v, code, fmt(more)),
                    body.count("<tr class=") == 50 and
                    "以上为前 50 条，还有 %s 条未列出" % fmt(more) in body,
                    "%d rows" % body.count("<tr class="))
    per_file = FINDING_ROWS * PER_ROW
    c.check("quality.html counts each file: %s" % fmt(per_file),
            q.count('households.csv</td><td class="num">%s</td>' % fmt(per_file)) == 3)
    c.check("quality.html names the CSV", 'href="data/findings-2026-10.csv"' in q)

    with open(os.path.join(out, "data", "findings-2026-10.csv"), "rb") as f:
        raw = f.read()
    c.check("the findings CSV starts with a UTF-8 BOM", raw[:3] == b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    c.check("the findings CSV holds every finding: %s lines" % fmt(total),
            lines[-1] == "" and len(lines) - 2 == total, "%d lines" % (len(lines) - 2))
    c.check("the findings CSV header", lines[0] == "文件,行号,列,级别,代码,说明,村代码", lines[0])
    c.check("its last line is the last row's last finding",
            lines[-2] == "villages/V003/households.csv,%d,signed_on,警告,signed_without_grant,"
            "已填签约日期，但该户未获授信,V003" % (FINDING_ROWS + 1), lines[-2])

    with open(os.path.join(out, "villages", "V002.html"), encoding="utf-8") as f:
        page = f.read()
    nv = FINDING_ROWS * PER_ROW
    c.check("the dossier lists its first 200 findings", table_rows(page, "village-findings") == 200,
            str(table_rows(page, "village-findings")))
    c.check("the dossier says it has %s and where the rest are" % fmt(nv),
            "本村共 %s 条，此处列出前 200 条，另有 %s 条未列出；全部问题见 "
            '<a href="../data/findings-2026-10.csv">' % (fmt(nv), fmt(nv - 200)) in page)
    summary = os.path.join(out, "workbooks", "2026-10", "summary.xlsx")
    branch = os.path.join(out, "workbooks", "2026-10", "ZB.xlsx")
    c.check("summary.xlsx 数据质量 has a row per finding", sheet_rows(summary, "数据质量") == total + 1)
    c.check("ZB.xlsx 数据质量 has a row per finding", sheet_rows(branch, "数据质量") == total + 1)


def test_big_village(c, work):
    arch, out = os.path.join(work, "big"), os.path.join(work, "big-out")
    big_village(arch, BIG_VILLAGE)
    t0 = time.monotonic()
    rc, err = build(arch, out)
    secs = time.monotonic() - t0
    print("# %d-household village built in %.1f s" % (BIG_VILLAGE, secs))
    c.check("a village of %s households builds (exit 0)" % fmt(BIG_VILLAGE), rc == 0, err[-500:])
    if rc != 0:
        return
    path = os.path.join(out, "villages", "D001.html")
    size = os.path.getsize(path)
    print("# D001.html: %d bytes" % size)
    with open(path, encoding="utf-8") as f:
        page = f.read()
    c.check("its dossier shows 2,000 household rows", table_rows(page, "households") == 2000,
            str(table_rows(page, "households")))
    c.check("the dossier says how many households there are and names the workbook",
            "本村共 %s 户，此处列出前 2,000 户，另有 %s 户未列出；全部农户及其状态见支行工作簿 "
            '<a href="../workbooks/2026-10/ZB.xlsx">workbooks/2026-10/ZB.xlsx</a> 的「户表」' % (
                fmt(BIG_VILLAGE), fmt(BIG_VILLAGE - 2000)) in page)
    not_visited = BIG_VILLAGE // 4
    granted = len([i for i in range(1, BIG_VILLAGE + 1) if i % 3 == 0 and i % 4])
    signed = len([i for i in range(1, BIG_VILLAGE + 1) if i % 6 == 0 and i % 4])
    for table, n in (("followup-not-signed", granted - signed), ("followup-not-visited", not_visited)):
        c.check("%s shows 1,000 of %s rows" % (table, fmt(n)), table_rows(page, table) == 1000,
                str(table_rows(page, table)))
        c.check("%s says there are %s" % (table, fmt(n)),
                "共 %s 户，此处列出前 1,000 户，另有 %s 户未列出" % (fmt(n), fmt(n - 1000)) in page)
    c.check("the dossier stays under 8 MB", size < 8 << 20, "%d bytes" % size)
    branch = os.path.join(out, "workbooks", "2026-10", "ZB.xlsx")
    c.check("ZB.xlsx 户表 has every household", sheet_rows(branch, "户表") == BIG_VILLAGE + 1)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--write":
        findings_archive(sys.argv[2], int(sys.argv[3]))
        return
    c = Checks()
    with scratch_dir("scale") as work:
        test_findings(c, work)
        test_big_village(c, work)
    sys.exit(c.summary())


if __name__ == "__main__":
    main()
