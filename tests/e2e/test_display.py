#!/usr/bin/python3
"""test_display.py — a rate shown against its threshold never reads as contradicting its
verdict (format_pct_vs in src/format.c; SPEC §6 met(i), §7 dossier and pages).

Builds a tiny archive written here into a temporary folder: one branch HB, one village V1
of 2,000 households, 1,899 of them visited (visit_rate exactly 1899/2000 = 0.9495 against
`visit_rate: {min: 0.95}`, unmet), 1,900 archived (archive_rate 0.95 against min 0.95, met)
and loans giving npl_rate 2,004 / 100,000 = 0.02004 against `npl_rate: {max: 0.02}` (unmet).
One decimal would show 95.0% ≥ 95.0% and 2.0% ≤ 2.0% beside 未达标; the pages must show
94.95% (rounded down) and 2.01% (rounded up) wherever the rate stands beside its threshold or
a met/unmet mark: the dossier's cards and acceptance checklist, the branch page's cards and
village row, the branch and bank reports (cards, and the bank report's branch row; a failed
village's report row lists its unmet items with value, target and gap) and the index (cards,
branch row).
Everything else keeps one decimal: the met archive_rate shows 95.0%, and the funnel share and
the trend (no threshold there) still show 95.0% for the visits.
Runs from the repository root (standard library only; CUNDANG defaults to ./cundang).
Prints "ok   name" / "FAIL name: detail" per check; the last line is "N passed, N failed";
the exit status is 1 when anything failed.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import CUNDANG, ROOT, Checks, build, id_number, scratch_dir  # noqa: E402

checks = Checks(detail_limit=400)
check = checks.check

HOUSEHOLDS = 2000
VISITED = 1899   # visit_rate 0.9495, unmet against min 0.95
ARCHIVED = 1900  # archive_rate 0.95, met against min 0.95

SITE_YAML = """\
bank: 显示测试农商银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate:      {min: 0.95, weight: 15}
    archive_rate:    {min: 0.95, weight: 15}
    credit_coverage: {min: 0.80, weight: 25}
    signing_rate:    {min: 0.60, weight: 20}
    usage_rate:      {min: 0.30, weight: 15}
    npl_rate:        {max: 0.02, weight: 10}
  checks:
    village_meeting: {label: 村级对接会, weight: 2.5}
privacy:
  mask_workbooks: true
"""

VILLAGE_MD = """\
---
name: 显示村
township: 后白镇
branch: HB
grade: A
launched_on: 2026-03-01
checks: {village_meeting: true}
---
# 显示村

走访率差一点达标。
"""

LOANS = """\
loan_id,household_id,product,amount,disbursed_on,due_on,settled_on,balance,overdue_days,channel
L1,V1-0001,惠农贷,100000,2026-04-01,2027-03-31,,97996,0,手机银行
L2,V1-0002,惠农贷,10000,2026-04-01,2027-03-31,,2004,120,柜面
"""


def write_archive(root):
    os.makedirs(os.path.join(root, "villages", "V1"))
    os.makedirs(os.path.join(root, "loans"))
    with open(os.path.join(root, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_YAML)
    with open(os.path.join(root, "villages", "V1", "village.md"), "w", encoding="utf-8") as f:
        f.write(VILLAGE_MD)
    rows = ["household_id,head_name,id_number,phone,segment,grid,manager,visited_on,"
            "archived_on,credit_line,granted_on,signed_on"]
    for i in range(1, HOUSEHOLDS + 1):
        visited = "2026-03-05" if i <= VISITED else ""
        archived = "2026-03-06" if i <= ARCHIVED else ""
        granted = i <= 1800  # credit_coverage 0.9, met
        rows.append(",".join([
            "V1-%04d" % i, "户主%d" % i, id_number(i), "139%08d" % i, "农户", "一组", "张伟",
            visited, archived, "5万" if granted else "", "2026-04-10" if granted else "",
            "2026-04-20" if granted else ""]))
    with open(os.path.join(root, "villages", "V1", "households.csv"), "w",
              encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(root, "loans", "2026-10.csv"), "w", encoding="utf-8") as f:
        f.write(LOANS)


def read(out, rel):
    path = os.path.join(out, rel)
    if not os.path.isfile(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def card(page, key):
    """The text of the indicator card of key (`<div class="card …" data-key="key" …>` up to
    the next card or the end of the cards), or ""."""
    m = re.search(r'<div class="card [^"]*" data-key="%s".*?(?=<div class="card |'
                  r'</div>\s*</div>\s*(?:</|<p|<section|<h))' % re.escape(key), page, re.S)
    return m.group(0) if m else ""


def expect_card(name, page, key, status, value, threshold):
    got = card(page, key)
    want = [f'<div class="card {status}" data-key="{key}"',
            f'<span class="card-value">{value}</span>',
            f'<span class="card-threshold">目标 {threshold}</span>',
            f'<span class="status {status}">{"达标" if status == "met" else "未达标"}</span>']
    missing = [w for w in want if w not in got]
    check(name, got and not missing, f"missing {missing} in {got!r}")


def expect_in(name, page, needle):
    check(name, needle in page, f"{needle!r} not found")


def row(page, attr, code):
    """The <tr …> of a table row whose attr is code (e.g. data-code="V1"), or ""."""
    m = re.search(r'<tr %s="%s"[^>]*>.*?</tr>' % (attr, re.escape(code)), page, re.S)
    return m.group(0) if m else ""


def t_pages(out):
    dossier = read(out, "villages/V1.html")
    branch = read(out, "branches/HB.html")
    report_b = read(out, "reports/2026-10/HB.html")
    report = read(out, "reports/2026-10/index.html")
    index = read(out, "index.html")
    for name, page in [("dossier", dossier), ("branch page", branch),
                       ("branch report", report_b), ("bank report", report),
                       ("index", index)]:
        check(f"{name} was built", bool(page))

    # Cards: the dossier's (village), the branch page's and the reports' (same figures: the
    # only village is the whole branch and bank), and the index's (bank).
    for name, page in [("dossier", dossier), ("branch page", branch),
                       ("branch report", report_b), ("bank report", report),
                       ("index", index)]:
        expect_card(f"{name}: 走访率 card 94.95% 未达标", page, "visit_rate", "unmet",
                    "94.95%", "≥ 95.0%")
        expect_card(f"{name}: 不良率 card 2.01% 未达标", page, "npl_rate", "unmet",
                    "2.01%", "≤ 2.0%")
        expect_card(f"{name}: 建档率 card stays 95.0% 达标", page, "archive_rate", "met",
                    "95.0%", "≥ 95.0%")

    # The dossier's acceptance checklist.
    item = row(dossier, "data-item", "visit_rate")
    expect_in("dossier: checklist 走访率 row", item,
              '<td class="num">≥ 95.0%</td><td class="num">94.95%</td>')
    expect_in("dossier: checklist 走访率 unmet", item, '<span class="status unmet">未达标</span>')
    item = row(dossier, "data-item", "npl_rate")
    expect_in("dossier: checklist 不良率 row", item,
              '<td class="num">≤ 2.0%</td><td class="num">2.01%</td>')
    expect_in("dossier: checklist 不良率 unmet", item, '<span class="status unmet">未达标</span>')
    item = row(dossier, "data-item", "archive_rate")
    expect_in("dossier: checklist 建档率 stays 95.0%", item,
              '<td class="num">≥ 95.0%</td><td class="num">95.0%</td>')
    expect_in("dossier: checklist 建档率 met", item, '<span class="status met">达标</span>')

    # Village rows: the branch page (with data-sort) and the reports.
    v = row(branch, "data-code", "V1")
    expect_in("branch page: village row 走访率", v,
              '<td class="num unmet" data-sort="0.9495">94.95%</td>')
    expect_in("branch page: village row 建档率", v,
              '<td class="num " data-sort="0.95">95.0%</td>')
    expect_in("branch page: village row 不良率", v,
              '<td class="num unmet" data-sort="0.02004">2.01%</td>')
    # A report lists a failed village's unmet items with their values against their
    # thresholds and the gaps (issue 11 item 2): 94.95% and 2.01%, never a 95.0% or 2.0%
    # that would read as met; gaps in points, never 0.0.
    for name, page in [("branch report", report_b), ("bank report", report)]:
        v = row(page, "data-code", "V1")
        expect_in(f"{name}: failed village row gives each unmet item's value, target and gap", v,
                  '<td class="labels">走访率 94.95%（目标 ≥ 95.0%，差 0.05 个百分点）；'
                  '用信率 0.1%（目标 ≥ 30.0%，差 29.9 个百分点）；'
                  '不良率 2.01%（目标 ≤ 2.0%，超 &lt;0.01 个百分点）</td>')
        expect_in(f"{name}: failed village row shows its code", v, '<span class="sub">V1</span>')
    # Branch rows of the bank's report and of the index.
    for name, page in [("bank report", report), ("index", index)]:
        b = row(page, "data-code", "HB")
        expect_in(f"{name}: branch row 走访率", b, '<td class="num unmet">94.95%</td>')
        expect_in(f"{name}: branch row 不良率", b, '<td class="num unmet">2.01%</td>')

    # Without a threshold beside it the display is unchanged: one decimal, half-up.
    expect_in("dossier: funnel share of 走访 stays 95.0%", dossier,
              '<dd class="fv" data-funnel="visited">1,899</dd><dd class="fs">95.0%</dd>')
    expect_in("dossier: trend of 2026-10 keeps 95.0% for 走访率", dossier,
              '<tr><td class="nowrap">2026-10</td><td class="num">1,899</td>'
              '<td class="num">1,900</td><td class="num">1,800</td><td class="num">1,800</td>'
              '<td class="num">2</td><td class="num">95.0%<span class="chg">持平</span></td>'
              '<td class="num">95.0%<span class="chg">持平</span></td>')
    check("dossier: 94.95% only where a threshold or mark stands",
          dossier.count("94.95%") == 2, f"{dossier.count('94.95%')} times")
    check("dossier: 2.01% only where a threshold or mark stands",
          dossier.count("2.01%") == 2, f"{dossier.count('2.01%')} times")


def t_not_started(tmp):
    """A village not started is not assessed (SPEC §6): in its branch's table its rates carry
    no unmet mark (the ✗ comes with td.unmet), its verdict reads 未启动. The bundled sample's
    赤店村 (XJ05, launched after October) has rates of 0.0% that would otherwise be red."""
    out = os.path.join(tmp, "sample")
    rc, err = build(os.path.join(ROOT, "input"), out)
    check("build of input/", rc == 0, err[-400:])
    page = read(out, "branches/XJ.html")
    r = row(page, "data-code", "XJ05")
    cells = re.findall(r'<td class="num([^"]*)"', r)
    check("XJ05 not started: no rate cell unmet, each marked not assessed",
          len(cells) >= 6 and all("not-assessed" in c for c in cells[1:7])
          and not any("unmet" in c for c in cells), (cells, r[:300]))
    check("XJ05 not started: its verdict reads 未启动", 'data-verdict="not_started">未启动<' in r, r[-300:])
    # The follow-up lists say how many households they hold (issue 11 item 5).
    dossier = read(out, "villages/XJ01.html")
    for title, tid in (("已授信未签约", "followup-not-signed"), ("已签约未用信", "followup-not-used"),
                       ("尚未走访", "followup-not-visited")):
        m = re.search(r"<h3>%s（共 ([0-9,]+) 户）</h3>" % title, dossier)
        t = re.search(r'<table class="sortable followup" id="%s">(.*?)</table>' % tid, dossier, re.S)
        n = len(re.findall(r"<tr><td", t.group(1))) if t else -1
        check(f"XJ01 {title}: the heading counts the rows of its list ({n})",
              m is not None and int(m.group(1).replace(",", "")) == n > 0, m and m.group(0))
    # Links that close the loop (issue 11 item 13): a branch report back to its branch page,
    # the bank's to the overview, a branch page to its workbook; each resolves.
    for rel, want in (("reports/2026-10/XJ.html", "../../branches/XJ.html"),
                      ("reports/2026-10/index.html", "../../index.html")):
        m = re.search(r'<a href="([^"]*)" id="report-back">', read(out, rel))
        ok = m is not None and m.group(1) == want and os.path.isfile(
            os.path.normpath(os.path.join(out, os.path.dirname(rel), m.group(1))))
        check(f"{rel} links back to {want}", ok, m and m.group(1))
    m = re.search(r'<a href="([^"]*)" id="branch-workbook">', page)
    check("branches/XJ.html links its workbook", m is not None and m.group(1) ==
          "../workbooks/2026-10/XJ.xlsx" and os.path.isfile(os.path.join(out, "workbooks/2026-10/XJ.xlsx")),
          m and m.group(1))
    # The villages closest to passing come first in a report's failed list (fewest unmet items,
    # then the highest score): XJ02 fails on 授信覆盖率 alone at 99.83.
    rep = read(out, "reports/2026-10/XJ.html")
    sec = re.search(r'id="report-failed">(.*?)</table>', rep, re.S)
    codes = re.findall(r'<tr data-code="([^"]*)" class="fail-row">', sec.group(1)) if sec else []
    check("XJ report: failed villages closest to passing first", codes[:1] == ["XJ02"], codes)
    # villages.html (SPEC §7, issue 11 item 10): every village of the build, each linking to
    # its dossier, with its branch; the index's 查找村庄 box sends its words there.
    vl = read(out, "villages.html")
    listed = re.findall(r'<tr data-code="([^"]*)"><td class="nowrap"><a href="([^"]*)">', vl)
    want = sorted(d for d in os.listdir(os.path.join(out, "villages")))
    check("villages.html lists every dossier once, linked",
          sorted(f"{c}.html" for c, _ in listed) == want
          and all(h == f"villages/{c}.html" for c, h in listed), (listed[:3], want[:3]))
    check("villages.html: XJ05 not assessed there too",
          'class="num unmet"' not in row(vl, "data-code", "XJ05"), row(vl, "data-code", "XJ05")[:200])
    idx = read(out, "index.html")
    check("index: the 查找村庄 box submits to villages.html",
          '<form class="village-jump no-print" action="villages.html" method="get"' in idx)
    check("every page's header links the directory",
          all('>村庄目录</a>' in read(out, r) for r in ("index.html", "branches/XJ.html",
                                                        "villages/XJ01.html", "quality.html",
                                                        "reports/2026-10/XJ.html")))
    started = row(page, "data-code", "XJ01")
    check("XJ01 started: its unmet rates are still marked", 'class="num unmet"' in started,
          started[:300])


def main():
    os.chdir(ROOT)
    with scratch_dir("display") as tmp:
        try:
            archive = os.path.join(tmp, "archive")
            write_archive(archive)
            out = os.path.join(tmp, "out")
            rc, err = build(archive, out)
            check("build of the display archive", rc == 0, err[-600:])
            if rc == 0:
                t_pages(out)
            t_not_started(tmp)
        except Exception as e:  # a broken test is a failure, never a silent pass
            import traceback
            traceback.print_exc()
            check("test_display.py ran to the end", False, f"{type(e).__name__}: {e} ({CUNDANG})")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
