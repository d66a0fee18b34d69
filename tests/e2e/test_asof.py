#!/usr/bin/python3
"""test_asof.py — --as-of DATE (SPEC §2) for stats, check, build and letters on an archive made
here with events the day before, on and after a mid-month D, against figures worked by hand."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, run, scratch_dir, tree_files  # noqa: E402

# cairo 1.16 leaks inside cairo_surface_finish (see test_letters.py and tests/lsan.supp).
os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":fast_unwind_on_malloc=0"

checks = Checks()
check = checks.check

SITE = """bank: 测试银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate: {min: 0.95, weight: 1}
"""
HEAD = "household_id,head_name,id_number,manager,visited_on,archived_on,negative_reason,credit_line,granted_on,signed_on\n"
# D = 2026-10-15. Per household: what is true at D, and at the month's end (10-31).
V1 = HEAD + "\n".join([
    # visited the day before D, archived and granted on D, signed the day after: V A G at D
    "H1,赵一,321183197001010117,张伟,2026-10-14,2026-10-15,,5万,2026-10-15,2026-10-16",
    # everything after D: nothing at D, V A G S at the end
    "H2,钱二,321183196503150481,张伟,2026-10-16,2026-10-20,,3万,2026-10-30,2026-10-31",
    # everything in September: V A G S at both
    "H3,孙三,321183197808220852,李娜,2026-09-10,2026-09-11,,2万,2026-09-20,2026-09-25",
    # granted and signed in October before D: V A G S at both
    "H4,李四,321183198305301225,李娜,2026-09-01,2026-09-02,,1万,2026-10-01,2026-10-02",
    # negative list, visited on D
    "H5,周五,321183199101181596,李娜,2026-10-15,,失信被执行人,,,",
]) + "\n"
V2 = HEAD + "H6,吴六,321183195907071961,张伟,2026-10-20,,,,,\n"
LOANS = ("loan_id,household_id,amount,disbursed_on,settled_on,balance,overdue_days\n"
         "L1,H3,10000,2026-10-10,2026-10-16,8000,0\n"      # outstanding at D only
         "L2,H4,6000,2026-10-16,,6000,0\n"                 # outstanding at the end only
         "L3,H1,20000,2026-10-15,,20000,95\n")             # outstanding at both, > 90 days

# Worked by hand. Bank = V1 + V2 (H6 listed, eligible, visited only at the end).
AT_D = {"households_total": 6, "listed": 6, "negative": 1, "eligible": 5,
        "visited": 4,          # H1 (10-14), H3, H4, H5 (10-15)
        "archived": 3,         # H1 (10-15), H3, H4
        "granted": 3,          # H1 (10-15), H3, H4
        "signed": 2,           # H3, H4 (H1 signs 10-16)
        "used": 2,             # H3 (L1 until 10-16), H1 (L3 from 10-15)
        "overdue": 1, "loans_outstanding": 2,   # L1, L3
        "credit_total": 80000, "balance_total": 28000, "npl_balance": 20000,
        "villages_total": 1}   # V2 launches 10-16: not started at D
AT_END = {"households_total": 6, "listed": 6, "negative": 1, "eligible": 5,
          "visited": 6, "archived": 4, "granted": 4, "signed": 4,
          "used": 2,           # H4 (L2), H1 (L3); L1 settled 10-16
          "overdue": 1, "loans_outstanding": 2,  # L2, L3
          "credit_total": 110000, "balance_total": 26000, "npl_balance": 20000,
          "villages_total": 2}
SEPT = {"month": "2026-09", "visited": 2, "archived": 2, "granted": 1, "signed": 1, "used": 0}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def figures(doc):
    return {k: doc["bank"][k] for k in AT_D} if doc else None


with scratch_dir("asof") as tmp:
    a = f"{tmp}/in"
    write(f"{a}/site.yaml", SITE)
    write(f"{a}/villages/V1/village.md", "---\nname: 一村\nbranch: HB\ngrade: A\n---\n")
    write(f"{a}/villages/V1/households.csv", V1)
    write(f"{a}/villages/V2/village.md",
          "---\nname: 二村\nbranch: HB\ngrade: B\nlaunched_on: 2026-10-16\n---\n")
    write(f"{a}/villages/V2/households.csv", V2)
    write(f"{a}/loans/2026-10.csv", LOANS)

    rc, out, err = run("stats", "--json", "-i", a, "--as-of", "2026-10-15")
    d = json.loads(out) if rc == 0 else None
    check("stats --as-of 2026-10-15 exits 0", d is not None, err)
    check("month and as_of", d and (d["month"], d["as_of"]) == ("2026-10", "2026-10-15"),
          d and (d["month"], d["as_of"]))
    check("bank figures at D, worked by hand", figures(d) == AT_D, figures(d))
    v2 = d and next(v for v in d["villages"] if v["code"] == "V2")
    check("V2 launched after D is not started", v2 and v2["verdict"] == "not_started", v2)
    t = d["trend"][-1] if d else {}
    check("trend's last point is at D", d and {k: t[k] for k in SEPT} ==
          {"month": "2026-10", "visited": 4, "archived": 3, "granted": 3, "signed": 2, "used": 2}, t)
    check("trend's month before D's month at its last day", d and
          {k: d["trend"][-2][k] for k in SEPT} == SEPT, d and d["trend"][-2])
    check("rates at D", d and (d["bank"]["visit_rate"], d["bank"]["credit_coverage"],
                               d["bank"]["signing_rate"], d["bank"]["usage_rate"]) ==
          (4 / 6, 3 / 5, 2 / 3, 2 / 3), d and d["bank"])
    m = {x["name"]: (x["listed"], x["visited"], x["granted"], x["signed"], x["used"])
         for x in d["managers"]} if d else {}
    check("managers at D", m == {"张伟": (3, 1, 1, 0, 1), "李娜": (3, 3, 2, 2, 1)}, m)

    rc, out, err = run("stats", "--json", "-i", a, "--month", "2026-10")
    e = json.loads(out) if rc == 0 else None
    check("--month 2026-10: figures at the month's end, worked by hand", figures(e) == AT_END,
          figures(e))
    for day in ("2026-10-31", "2026/10/31", "20261031", "2026年10月31日"):
        rc, out2, err = run("stats", "--json", "-i", a, "--as-of", day)
        check(f"stats --json --as-of {day} is --month 2026-10 byte for byte",
              rc == 0 and out2 == out, err)
    rc, out2, err = run("stats", "--json", "-i", a, "--as-of", "2026-10-31", "--month", "2026-10")
    check("--as-of with --month of its own month", rc == 0 and out2 == out, err)
    rc, _, err = run("stats", "-i", a, "--as-of", "2026-10-15", "--month", "2026-09")
    check("--as-of with --month of another month is exit 2",
          rc == 2 and "not a day of --month 2026-09" in err, err)
    for bad in ("2026-02-30", "tomorrow", "2026-10"):
        rc, _, err = run("stats", "-i", a, "--as-of", bad)
        check(f"--as-of {bad} is exit 2", rc == 2 and "--as-of needs a date" in err, err)
    rc, out, err = run("stats", "-i", a, "--as-of", "2026-11-15", text=True)
    check("--as-of sets the report month (2026-11)", rc == 0 and "2026-11-15" in out, (out, err))

    rc, out, err = run("check", "-i", a, "--as-of", "2026-10-15", text=True)
    check("check --as-of exits 0", rc == 0 and out.endswith("0 errors, 0 warnings\n"), (out, err))

    rc, err = build(a, f"{tmp}/mid", "--as-of", "2026-10-15")
    check("build --as-of 2026-10-15 exits 0", rc == 0, err)

    def page(p):
        try:
            with open(p, encoding="utf-8") as f:
                return f.read()
        except OSError:
            return ""
    rep = page(f"{tmp}/mid/reports/2026-10/index.html")
    check("report says 数据截至 2026-10-15", "数据截至 2026-10-15" in rep)
    check("report marked in progress", 'id="in-progress"' in rep and "月中进度" in rep)
    check("branch report marked in progress", 'id="in-progress"' in page(f"{tmp}/mid/reports/2026-10/HB.html"))
    idx = page(f"{tmp}/mid/index.html")
    check("index says 数据截至 2026-10-15（月中进度）", "数据截至 2026-10-15（月中进度）" in idx)
    doc = json.loads(page(f"{tmp}/mid/data/indicators-2026-10.json") or "null")
    check("indicator document of the build is at D", doc and figures(doc) == AT_D, doc and figures(doc))
    rc, err = build(a, f"{tmp}/end", "--as-of", "2026-10-31")
    rep = page(f"{tmp}/end/reports/2026-10/index.html")
    check("at the month's last day: no in-progress mark", rc == 0 and "数据截至 2026-10-31" in rep
          and 'id="in-progress"' not in rep and "月中进度" not in page(f"{tmp}/end/index.html"), err)

    rc, _, err = run("letters", "-i", a, "-o", f"{tmp}/L", "--as-of", "2026-10-15")
    p = subprocess.run(["pdfinfo", f"{tmp}/L/V1.pdf"], stdout=subprocess.PIPE).stdout.decode()
    text = subprocess.run(["pdftotext", f"{tmp}/L/V1.pdf", "-"], stdout=subprocess.PIPE).stdout.decode()
    ids = re.findall(r"户号：(H\d)", text)
    check("letters --as-of 2026-10-15: H1, H3, H4 granted by D, dated D",
          rc == 0 and tree_files(f"{tmp}/L") == ["V1.pdf"] and ids == ["H1", "H3", "H4"] and
          "Pages:           3" in p and "Thu Oct 15 00:00:00 2026" in p, (err, ids, p))

sys.exit(checks.summary())
