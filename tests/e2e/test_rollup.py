#!/usr/bin/python3
"""cundang rollup (SPEC §8 Rollup, issue 15).

- The map step through GNU parallel: a sample archive built one branch per job
  (`build --branch X`), the jobs' outputs rolled up; the union's totals, rates and trend
  equal, value by value, the bank figures of one build of the whole archive, and its entries
  the branch entries of that build (counts, amounts, rates, villages_total, villages_passed,
  targets). Two sample banks of different seeds, built by parallel, roll up to their sums.
- The union document has the §6 form (bank named by --name, villages and managers empty);
  summary.xlsx has a row per bank and a 合计 row of SUM formulas; index.html links each
  member's site by a relative path, the report each member's report; hostile names escaped.
- The same sources give the same bytes; another month's union is kept beside.
- Bad input is exit 2 naming the SOURCE, and the previous union is left as it was: mixed
  months, duplicate codes (also ignoring case), a document that is not cundang's (not JSON,
  JSON of another shape, a wrong type, a missing key), bad and reserved CODE=, a folder
  without a document, a source inside the output, sums that overflow.

Run from anywhere; CUNDANG defaults to ./cundang. Last line "N passed, N failed".
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import (AMOUNTS, COUNTS, CUNDANG, RATES, Checks, run,  # noqa: E402
                     scratch_dir, tree_files)

MONTH = "2026-10"
DOC = f"data/indicators-{MONTH}.json"
ACCEPT = ["villages_total", "villages_passed", "acceptance_rate"]
TREND = ["month", "visited", "archived", "granted", "signed", "used", "visit_rate",
         "archive_rate", "credit_coverage", "signing_rate", "usage_rate"]

c = Checks(detail_limit=600)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def parallel(jobs, *args):
    """GNU parallel (Debian's `parallel`) running cundang once per job; returns (status, log)."""
    cmd = ["parallel", "--will-cite", "--halt", "now,fail=1", "-j", "2", CUNDANG, *args,
           ":::", *jobs]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def compare(name, got, want, keys):
    problems = [f"{k}: {got.get(k)!r} != {want.get(k)!r}" for k in keys
                if got.get(k, "missing") != want.get(k, "absent")]
    c.problems_check(name, problems)


def snapshot(root):
    out = {}
    for rel in tree_files(root):
        with open(os.path.join(root, rel), "rb") as f:
            out[rel] = f.read()
    return out


def rollup(out, *sources, name=None, month=None):
    args = ["rollup", "-q", "-o", out]
    if name is not None:
        args += ["--name", name]
    if month is not None:
        args += ["--month", month]
    return run(*args, *sources, text=True)


def branch_split(tmp):
    """The invariant: one job per branch, rolled up, equals one build of the whole archive."""
    arch = os.path.join(tmp, "archive")
    rc, _, err = run("sample", "-o", arch, "--households", "1500", "--seed", "11", text=True)
    c.check("sample archive written", rc == 0, err)
    rc, _, err = run("build", "-q", "-i", arch, "-o", os.path.join(tmp, "whole"), text=True)
    c.check("whole archive built", rc == 0, err)
    whole = load(os.path.join(tmp, "whole", DOC))
    codes = [b["code"] for b in whole["branches"]]
    c.check("the sample has several branches", len(codes) >= 3, codes)
    banks = os.path.join(tmp, "banks")
    rc, log = parallel(codes, "build", "-q", "-i", arch, "-o", os.path.join(banks, "{}"),
                       "--branch", "{}")
    c.check("map step: parallel builds each branch as its own job", rc == 0, log)
    union = os.path.join(tmp, "union")
    rc, _, err = rollup(union, *[os.path.join(banks, x) for x in codes], name="全体支行")
    c.check("rollup of the branch jobs exits 0", rc == 0, err)
    c.check("summary line names the banks", "rolled up 3 banks" in err or rc != 0, err)
    u = load(os.path.join(union, DOC))
    figures = COUNTS + AMOUNTS + RATES + ACCEPT
    compare("union totals and rates equal the whole build's bank", u["bank"], whole["bank"],
            figures)
    c.check("union bank is named by --name", u["bank"]["name"] == "全体支行", u["bank"]["name"])
    c.check("union trend: 12 months", len(u["trend"]) == 12, len(u["trend"]))
    for i, (a, b) in enumerate(zip(u["trend"], whole["trend"])):
        compare(f"union trend month {b['month']} equals the whole build's", a, b, TREND)
    c.check("one union entry per job, by code",
            [b["code"] for b in u["branches"]] == sorted(codes),
            [b["code"] for b in u["branches"]])
    wb = {b["code"]: b for b in whole["branches"]}
    for e in u["branches"]:
        compare(f"union entry {e['code']} equals the whole build's branch entry", e,
                wb.get(e["code"], {}), figures + ["target_granted", "target_rate"])
    c.check("villages and managers are empty", u["villages"] == [] and u["managers"] == [],
            (len(u["villages"]), len(u["managers"])))
    c.check("document keys in §6 order", list(u) == list(whole) and
            list(u["bank"]) == list(whole["bank"]) and
            list(u["branches"][0]) == list(whole["branches"][0]), list(u))
    c.check("month and as_of", (u["month"], u["as_of"]) == (whole["month"], whole["as_of"]),
            (u["month"], u["as_of"]))
    c.check("union files are the four of SPEC §8 and the marker",
            tree_files(union) == [".cundang", DOC, "index.html", f"reports/{MONTH}/index.html",
                                  f"workbooks/{MONTH}/summary.xlsx"], tree_files(union))
    check_workbook(union, u)
    check_pages(union, u, codes)
    # Same sources, same bytes.
    again = os.path.join(tmp, "again")
    rollup(again, *[os.path.join(banks, x) for x in codes], name="全体支行")
    a, b = snapshot(union), snapshot(again)
    c.check("the same sources give the same bytes (pages, document, workbook)",
            a == b, [k for k in a if a.get(k) != b.get(k)])
    # Read by one thread or by three: the same bytes.
    for j in ("1", "3"):
        jd = os.path.join(tmp, "j" + j)
        rc, _, err = run("rollup", "-q", "-j", j, "-o", jd, "--name", "全体支行",
                         *[os.path.join(banks, x) for x in codes], text=True)
        d = snapshot(jd) if rc == 0 else {}
        c.check(f"rollup -j {j} gives the same bytes", rc == 0 and d == a,
                (err, [k for k in a if a.get(k) != d.get(k)]))
    # A document given directly (its code from the output folder's name) and CODE=.
    rc, _, err = rollup(os.path.join(tmp, "docs"),
                        *[os.path.join(banks, x, DOC) for x in codes[:2]],
                        "Z9=" + os.path.join(banks, codes[2]))
    c.check("documents and CODE=SOURCE accepted", rc == 0, err)
    if rc == 0:
        d = load(os.path.join(tmp, "docs", DOC))
        c.check("codes from the document's output folder and from CODE=",
                [b["code"] for b in d["branches"]] == sorted(codes[:2] + ["Z9"]),
                [b["code"] for b in d["branches"]])
        with open(os.path.join(tmp, "docs", "index.html"), encoding="utf-8") as f:
            page = f.read()
        c.check("a member read from its document alone is not linked",
                "../banks/%s/index.html" % codes[0] not in page and
                "../banks/%s/index.html" % codes[2] in page, "")
    return arch, banks, codes, union


def same_parse(tmp, banks, codes):
    """Compact JSON, keys written with escapes and villages left to json-c read the same."""
    out = {}
    for form in ("pretty", "compact", "escaped"):
        srcs = []
        for code in codes:
            with open(os.path.join(banks, code, DOC), encoding="utf-8") as f:
                text = f.read()
            if form == "compact":
                text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
            elif form == "escaped":  # "villages" as "vill\u0061ges": json-c builds them
                text = text.replace('"villages"', '"vill\\u0061ges"', 1)
            p = os.path.join(tmp, f"{form}-{code}.json")
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            srcs.append(f"{code}={p}")
        o = os.path.join(tmp, "form-" + form)
        rc, _, err = rollup(o, *srcs)
        c.check(f"{form} documents roll up", rc == 0, err)
        with open(os.path.join(o, DOC), "rb") as f:
            out[form] = f.read()
    c.check("pretty, compact and escaped documents give the same union",
            out["pretty"] == out["compact"] == out["escaped"], "")


def odd_paths(tmp, banks, codes):
    """A member folder whose path needs URL-encoding is linked encoded; its code from CODE=."""
    odd = os.path.join(tmp, "分 行 #1%")
    shutil.copytree(os.path.join(banks, codes[0]), os.path.join(odd, "site"))
    out = os.path.join(tmp, "odd-union")
    rc, _, err = rollup(out, "M1=" + os.path.join(odd, "site"))
    page = ""
    if rc == 0:
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            page = f.read()
    enc = "%E5%88%86%20%E8%A1%8C%20%231%25"
    c.check("a member path with spaces, #, % and Chinese is linked URL-encoded",
            f'href="../{enc}/site/index.html"' in page, (rc, err))


def check_workbook(union, u):
    import openpyxl
    path = os.path.join(union, f"workbooks/{MONTH}/summary.xlsx")
    wb = openpyxl.load_workbook(path)
    c.check("summary.xlsx sheets", wb.sheetnames == ["汇总", "趋势"], wb.sheetnames)
    ws = wb["汇总"]
    rows = [[cell.value for cell in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r and r[0] == "单位")
    header = rows[head]
    members = rows[head + 1:head + 1 + len(u["branches"])]
    total = rows[head + 1 + len(u["branches"])]
    c.check("one row per bank, in code order", [r[1] for r in members] ==
            [b["code"] for b in u["branches"]], [r[1] for r in members])
    labels = {"households_total": "总户数", "granted": "已授信户数", "credit_total": "授信总额",
              "balance_total": "贷款余额", "usage_rate": "用信率",
              "villages_total": "参与验收村数", "villages_passed": "验收通过村数"}
    problems = []
    for key, label in labels.items():
        if label not in header:
            problems.append(f"no column {label}")
            continue
        col = header.index(label)
        for r, b in zip(members, u["branches"]):
            want = b[key]
            got = r[col]
            if isinstance(want, float) and isinstance(got, (int, float)):
                ok = abs(got - want) < 1e-9
            else:
                ok = got == want
            if not ok:
                problems.append(f"{b['code']} {label}: {got!r} != {want!r}")
        letter = openpyxl.utils.get_column_letter(col + 1)
        first, last = head + 2, head + 1 + len(members)
        if key.endswith("rate"):
            if abs((total[col] or 0) - u["bank"][key]) > 1e-9:
                problems.append(f"合计 {label}: {total[col]!r} != {u['bank'][key]!r}")
        elif total[col] != f"=SUM({letter}{first}:{letter}{last})":
            problems.append(f"合计 {label}: {total[col]!r}")
    c.check("合计 row label", total[0] == "合计", total[0])
    c.problems_check("bank rows hold the members' figures, 合计 their SUM formulas", problems)
    # The cached value of a SUM cell is the union's figure (what Excel shows before recalc).
    wbv = openpyxl.load_workbook(path, data_only=True)
    col = header.index("总户数")
    got = [[cell.value for cell in r] for r in wbv["汇总"].iter_rows()][head + 1 +
                                                                      len(members)][col]
    c.check("合计 总户数 cached value is the union's", got == u["bank"]["households_total"], got)


def check_pages(union, u, codes):
    with open(os.path.join(union, "index.html"), encoding="utf-8") as f:
        page = f.read()
    c.check("index: title and generator", "全体支行 · 整村授信汇总" in page and
            '<meta name="generator" content="cundang">' in page, "")
    for code in codes:
        c.check(f"index links member {code}'s site by a relative path",
                f'href="../banks/{code}/index.html"' in page, "")
    c.check("index has no link to a quality page or a branch page",
            "quality.html" not in page and "branches/" not in page, "")
    rows = re.findall(r'<tr data-code="([^"]*)">(.*?)</tr>', page, re.S)
    c.check("index: a row per member", [r[0] for r in rows] == sorted(codes), [r[0] for r in rows])
    for code, row in rows:
        b = next(x for x in u["branches"] if x["code"] == code)
        cells = dict(re.findall(r'data-key="([a-z_]+)"[^>]*>([^<]*)<', row))
        want = {r: ("—" if b[r] is None else "%.1f%%" % (round(b[r] * 1000 + 1e-9) / 10))
                for r in RATES}
        c.check(f"index row {code}: every rate", cells == want, (cells, want))
    c.check("index: union totals shown",
            f'data-key="households_total">{u["bank"]["households_total"]:,}<' in page, "")
    with open(os.path.join(union, f"reports/{MONTH}/index.html"), encoding="utf-8") as f:
        rep = f.read()
    for code in codes:
        c.check(f"report links member {code}'s report",
                f'href="../../../banks/{code}/reports/{MONTH}/index.html"' in rep, "")
    c.check("report summary counts", f'data-key="villages_passed">{u["bank"]["villages_passed"]}<'
            in rep, "")


def two_banks(tmp):
    """Several sample banks of different seeds, each built by parallel, then rolled up."""
    seeds = ["3", "5"]
    rc, log = parallel(seeds, "sample", "-o", os.path.join(tmp, "arch-{}"), "--households",
                       "800", "--seed", "{}")
    c.check("parallel writes two sample banks", rc == 0, log)
    rc, log = parallel(seeds, "build", "-q", "-i", os.path.join(tmp, "arch-{}"), "-o",
                       os.path.join(tmp, "bank{}"))
    c.check("parallel builds each bank as its own job", rc == 0, log)
    out = os.path.join(tmp, "two")
    rc, _, err = rollup(out, *[os.path.join(tmp, "bank" + s) for s in seeds])
    c.check("rollup of two banks exits 0", rc == 0, err)
    if rc != 0:
        return
    u = load(os.path.join(out, DOC))
    docs = [load(os.path.join(tmp, "bank" + s, DOC)) for s in seeds]
    problems = []
    for k in COUNTS + ["villages_total", "villages_passed"]:
        if u["bank"][k] != sum(d["bank"][k] for d in docs):
            problems.append(k)
    for k in AMOUNTS:  # exact fen
        want = sum(round(d["bank"][k] * 100) for d in docs)
        if round(u["bank"][k] * 100) != want:
            problems.append(k)
    c.problems_check("union counts and amounts are the banks' sums", problems)
    s = u["bank"]
    c.check("rates recomputed from sums, not averaged",
            s["usage_rate"] == s["used"] / s["granted"] and
            s["credit_coverage"] == s["granted"] / s["eligible"] and
            s["npl_rate"] == round(s["npl_balance"] * 100) / round(s["balance_total"] * 100),
            (s["usage_rate"], s["used"], s["granted"]))
    for i in range(12):
        t = u["trend"][i]
        want = [sum(d["trend"][i][k] for d in docs) for k in TREND[1:6]]
        if [t[k] for k in TREND[1:6]] != want:
            problems.append(t["month"])
    c.problems_check("trend summed month by month", problems)
    c.check("default name", s["name"] == "全部成员行社", s["name"])
    c.check("codes from the folders' names", [b["code"] for b in u["branches"]] ==
            ["bank3", "bank5"], [b["code"] for b in u["branches"]])


def hostile(tmp, banks, codes):
    out = os.path.join(tmp, "hostile")
    name = '<script>alert("x")</script>&amp;'
    rc, _, err = rollup(out, *[os.path.join(banks, x) for x in codes], name=name)
    c.check("hostile --name rolls up", rc == 0, err)
    if rc != 0:
        return
    for rel in ("index.html", f"reports/{MONTH}/index.html"):
        with open(os.path.join(out, rel), encoding="utf-8") as f:
            page = f.read()
        c.check(f"{rel}: the name is escaped", "<script>alert" not in page and
                html.escape(name, quote=True).replace("&#x27;", "&#39;")[:20] in page, "")
    # A hostile bank name inside a member's document.
    doc = load(os.path.join(banks, codes[0], DOC))
    doc["bank"]["name"] = '"><img src=x onerror=alert(1)>'
    p = os.path.join(tmp, "evil.json")
    with open(p, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    rc, _, err = rollup(out, "ev=" + p)
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        page = f.read()
    c.check("a hostile bank name in a document is escaped",
            rc == 0 and "<img src=x" not in page and "&lt;img src=x" in page, err)


def bad_inputs(tmp, banks, codes, union):
    before = snapshot(union)
    src = [os.path.join(banks, x) for x in codes]
    # Another month: one branch built for September.
    arch = os.path.join(tmp, "archive")
    sep = os.path.join(tmp, "sep", codes[0])
    run("build", "-q", "-i", arch, "-o", sep, "--branch", codes[0], "--month", "2026-09")
    garbage = os.path.join(tmp, "garbage.json")
    with open(garbage, "w") as f:
        f.write("{\"month\": \"2026-10\", \"bank\": [1, 2")
    other = os.path.join(tmp, "other.json")
    with open(other, "w") as f:
        json.dump({"name": "not ours", "items": [1, 2, 3]}, f)
    doc = load(os.path.join(banks, codes[0], DOC))

    def variant(fname, change):
        d = json.loads(json.dumps(doc))
        change(d)
        p = os.path.join(tmp, fname)
        with open(p, "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False)
        return p

    string_count = variant("str.json", lambda d: d["bank"].__setitem__("granted", "12"))
    no_trend = variant("notrend.json", lambda d: d.pop("trend"))
    short_trend = variant("short.json", lambda d: d["trend"].pop())
    neg = variant("neg.json", lambda d: d["bank"].__setitem__("used", -1))
    frac = variant("frac.json", lambda d: d["bank"].__setitem__("credit_total", 1.234))
    huge = variant("huge.json", lambda d: d["bank"].__setitem__("credit_total",
                                                                 92233720368547758.07))
    with open(huge, encoding="utf-8") as f:  # json.dump writes the float in short form
        text = f.read()
    text = re.sub(r'"credit_total": [0-9.e+]+', '"credit_total": 92233720368547758.07', text, 1)
    with open(huge, "w", encoding="utf-8") as f:
        f.write(text)
    asof = variant("asof.json", lambda d: d.__setitem__("as_of", "2026-10-15"))
    bad_village = os.path.join(tmp, "badvillage.json")
    with open(os.path.join(banks, codes[0], DOC), encoding="utf-8") as f:
        text = f.read()
    with open(bad_village, "w", encoding="utf-8") as f:  # a syntax error inside villages
        f.write(text.replace('"verdict": "', '"verdict": tru"', 1))
    not_array = variant("villages.json", lambda d: d.__setitem__("villages", {"a": 1}))
    empty = os.path.join(tmp, "emptydir")
    os.makedirs(empty, exist_ok=True)
    cases = [
        ("mixed months", [src[1], sep], [sep, "2026-09"]),
        ("--month other than the sources'", ["--month", "2026-09", *src], [src[0], "2026-09"]),
        ("duplicate codes", [src[0], "%s=%s" % (codes[0], src[1])], [codes[0], src[0]]),
        ("duplicate codes ignoring case", [src[0], "%s=%s" % (codes[0].lower(), src[1])],
         [codes[0].lower(), "ignoring case"]),
        ("not JSON", ["g=" + garbage], [garbage, "not a cundang indicator document"]),
        ("JSON of another shape", ["o=" + other], [other, "month: missing"]),
        ("a count that is a string", ["s=" + string_count], [string_count, "bank.granted"]),
        ("a missing trend", ["t=" + no_trend], [no_trend, "trend: missing"]),
        ("a trend of 11 months", ["t=" + short_trend], [short_trend, "12 months"]),
        ("a negative count", ["n=" + neg], [neg, "bank.used"]),
        ("a syntax error among the villages", ["v=" + bad_village],
         [bad_village, "not JSON at byte"]),
        ("villages not an array", ["v=" + not_array], [not_array, "villages: is not an array"]),
        ("an amount of three decimals", ["f=" + frac], [frac, "bank.credit_total"]),
        ("sums that overflow", ["a=" + huge, "b=" + huge], ["b=" + huge, "credit_total",
                                                            "would not fit"]),
        ("documents of two as-of days", [src[0], "x=" + asof], [asof, "as of 2026-10-15"]),
        ("bad CODE", ["b@d=" + src[0]], ["b@d", "not a bank code"]),
        ("an '=' after a '/' is part of the path", ["../x=" + src[0]], ["../x=", "cannot read"]),
        ("reserved CODE", ["Summary=" + src[0]], ["Summary", "cannot be a bank code"]),
        ("missing source", [os.path.join(tmp, "nothing")], ["nothing", "cannot read"]),
        ("folder without a document", [empty], [empty, "data/indicators-YYYY-MM.json"]),
        ("output inside a source", ["-o", os.path.join(banks, codes[0], "u"), src[0]],
         [src[0], "inside"]),
    ]
    for name, args, words in cases:
        if args and args[0] == "-o":
            rc, _, err = run("rollup", "-q", *args, text=True)
        else:
            rc, _, err = run("rollup", "-q", "-o", union, *args, text=True)
        c.check(f"{name}: exit 2 naming it", rc == 2 and all(w in err for w in words),
                (rc, err.strip()[:300]))
    c.check("no SOURCE is a usage error", run("rollup", "-o", union, text=True)[0] == 2, "")
    c.check("-i is not an option of rollup",
            run("rollup", "-i", "x", "-o", union, src[0], text=True)[0] == 2, "")
    rc, out, _ = run("--help", text=True)
    c.check("--help lists rollup", rc == 0 and "cundang rollup [-o DIR] [--name NAME]" in out, out)
    c.check("bad inputs left the union as it was", snapshot(union) == before, "")
    c.check("no staging folder left beside the union",
            not [n for n in os.listdir(os.path.dirname(union)) if n.startswith(".union.")
                 and not n.endswith(".lock")], os.listdir(os.path.dirname(union)))
    # A member folder placed inside the union output would be lost on publish.
    inner = os.path.join(union, "member")
    shutil.copytree(os.path.join(banks, codes[0]), inner)
    rc, _, err = run("rollup", "-q", "-o", union, inner, text=True)
    c.check("a source inside the output: exit 2", rc == 2 and "inside" in err, (rc, err))
    shutil.rmtree(inner)


def other_month_kept(tmp, banks, codes, union):
    arch = os.path.join(tmp, "archive")
    sep = os.path.join(tmp, "sepbanks")
    rc, log = parallel(codes, "build", "-q", "-i", arch, "-o", os.path.join(sep, "{}"),
                       "--branch", "{}", "--month", "2026-09")
    rc2, _, err = rollup(union, *[os.path.join(sep, x) for x in codes], name="全体支行")
    files = tree_files(union)
    c.check("a union of September beside October's: both months kept",
            rc == 0 and rc2 == 0 and DOC in files and "data/indicators-2026-09.json" in files
            and f"reports/{MONTH}/index.html" in files, (log[-300:], err, files))
    with open(os.path.join(union, "index.html"), encoding="utf-8") as f:
        page = f.read()
    c.check("the index lists both months' reports", "reports/2026-09/index.html" in page and
            f"reports/{MONTH}/index.html" in page, "")
    # --month picks the month from folders that hold several.
    rc, _, err = rollup(os.path.join(tmp, "oct"), *[os.path.join(sep, x) for x in codes],
                        month="2026-10")
    c.check("--month of a month the folders lack: exit 2", rc == 2 and "2026-10" in err, err)


def main():
    if not shutil.which("parallel"):
        c.check("GNU parallel installed (scripts/install-deps)", False, "no parallel")
        return c.summary()
    with scratch_dir("rollup") as tmp:
        arch, banks, codes, union = branch_split(tmp)
        same_parse(tmp, banks, codes)
        odd_paths(tmp, banks, codes)
        two_banks(tmp)
        hostile(tmp, banks, codes)
        bad_inputs(tmp, banks, codes, union)
        other_month_kept(tmp, banks, codes, union)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
