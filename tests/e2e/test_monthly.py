#!/usr/bin/python3
"""test_monthly.py — this month against last month (issue 11 item 11) and what the figures
mean (item 12): the cards' 较上月, the trend tables' change under each rate, and the 指标说明
page and sheet.

Builds a hand-made archive into a temporary folder: branch HB, village V1 of 100 households,
40 visited in September 2026 and 23 more in October (visit_rate 40.0% → 63.0%: ▲ 23.0 个百分点),
all 100 archived in August (建档率 持平 at 100.0%), 50 granted in October only (so 签约率 and
用信率 have no September figure and no change), and one loan overdue 120 days settled on
2026-10-15 (不良率 100.0% in September, null in October: no change shown).
The 指标说明 page and sheet must give each rate's formula with this site.yaml's threshold and
weight (visit_rate min 0.95 weight 15; a rate without a rule reads 不考核), the checks, the
pass score 85 and every term; every page's header links guide.html.
Runs from the repository root (standard library and openpyxl; CUNDANG defaults to ./cundang).
Prints "ok   name" / "FAIL name: detail" per check; the last line is "N passed, N failed".
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import CUNDANG, ROOT, Checks, build, id_number, scratch_dir  # noqa: E402

checks = Checks(detail_limit=400)
check = checks.check

SITE_YAML = """\
bank: 月比农商银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
acceptance:
  pass_score: 85
  indicators:
    visit_rate:      {min: 0.95, weight: 15}
    archive_rate:    {min: 0.90, weight: 15}
    credit_coverage: {min: 0.80, weight: 25}
    signing_rate:    {min: 0.60, weight: 20}
    usage_rate:      {min: 0.30, weight: 15}
    npl_rate:        {max: 0.02, weight: 10}
  checks:
    village_meeting: {label: 村级对接会, weight: 2.5}
    wechat_group:    {label: 村民微信群, weight: 1, required: false}
"""

VILLAGE_MD = """\
---
name: 月比村
township: 后白镇
branch: HB
grade: B
launched_on: 2026-03-01
checks: {village_meeting: true}
---
# 月比村
"""

LOANS = """\
loan_id,household_id,product,amount,disbursed_on,due_on,settled_on,balance,overdue_days,channel
L1,V1-001,惠农贷,10000,2026-06-01,2027-05-31,2026-10-15,5000,120,柜面
"""


def write_archive(root):
    os.makedirs(os.path.join(root, "villages", "V1"))
    os.makedirs(os.path.join(root, "loans"))
    with open(os.path.join(root, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_YAML)
    with open(os.path.join(root, "villages", "V1", "village.md"), "w", encoding="utf-8") as f:
        f.write(VILLAGE_MD)
    rows = ["household_id,head_name,id_number,segment,manager,visited_on,archived_on,credit_line,"
            "granted_on"]
    for i in range(1, 101):
        visited = "2026-09-10" if i <= 40 else "2026-10-10" if i <= 63 else ""
        granted = i <= 50
        rows.append(",".join(["V1-%03d" % i, "户主%d" % i, id_number(i), "农户", "张伟", visited,
                              "2026-08-01", "5万" if granted else "",
                              "2026-10-05" if granted else ""]))
    with open(os.path.join(root, "villages", "V1", "households.csv"), "w",
              encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(root, "loans", "2026-10.csv"), "w", encoding="utf-8") as f:
        f.write(LOANS)


def read(out, rel):
    with open(os.path.join(out, rel), encoding="utf-8") as f:
        return f.read()


def card(page, key):
    m = re.search(r'<div class="card [^"]*" data-key="%s".*?<div class="card-formula">'
                  r'[^<]*</div>' % re.escape(key), page, re.S)
    return m.group(0) if m else ""


def change_of(page, key):
    """The 较上月 text and class of the card of key, or None when it has none."""
    m = re.search(r'<div class="card-change ([a-z]+)">较上月 ([^<]*)</div>', card(page, key))
    return (m.group(2), m.group(1)) if m else None


def t_cards(out):
    for rel in ("villages/V1.html", "branches/HB.html", "index.html",
                "reports/2026-10/HB.html"):
        page = read(out, rel)
        check(f"{rel}: 走访率 ▲ 23.0 个百分点, better",
              change_of(page, "visit_rate") == ("▲ 23.0 个百分点", "better"),
              change_of(page, "visit_rate"))
        check(f"{rel}: 建档率 持平", change_of(page, "archive_rate") == ("持平", "flat"),
              change_of(page, "archive_rate"))
        for key in ("signing_rate", "usage_rate", "npl_rate"):
            check(f"{rel}: {key} has no change (a month is null)",
                  change_of(page, key) is None, change_of(page, key))
        check(f"{rel}: 授信覆盖率 card explains itself",
              '<div class="card-formula">已授信户数 ÷ 可授信户数</div>' in
              card(page, "credit_coverage"), card(page, "credit_coverage")[-200:])
    dossier = read(out, "villages/V1.html")
    # The trend table: October's row has ▲23.0 under 63.0%, the first month no change.
    octo = re.search(r'<tr><td class="nowrap">2026-10</td>.*?</tr>', dossier)
    octo = octo.group(0) if octo else ""
    check("trend 2026-10: 走访率 63.0% with ▲23.0",
          '<td class="num">63.0%<span class="chg">▲23.0</span></td>' in octo, octo)
    check("trend 2026-10: 建档率 100.0% 持平",
          '<td class="num">100.0%<span class="chg">持平</span></td>' in octo, octo)
    first = re.search(r'<tr><td class="nowrap">2025-11</td>.*?</tr>', dossier)
    first = first.group(0) if first else ""
    check("trend 2025-11: no change (no month before it)", first and "chg" not in first,
          first)


def t_guide(out):
    page = read(out, "guide.html")
    row = re.search(r'<tr data-key="visit_rate">.*?</tr>', page)
    check("guide: 走访率 row", row and row.group(0) ==
          '<tr data-key="visit_rate"><td class="nowrap">走访率</td><td>已走访户数 ÷ 总户数</td>'
          '<td class="nowrap">≥ 95.0%</td><td class="num">15</td></tr>',
          row.group(0) if row else page[:300])
    row = re.search(r'<tr data-key="credit_coverage">.*?</tr>', page)
    check("guide: 授信覆盖率 formula in full",
          row and "<td>已授信户数 ÷ (总户数 − 负面清单户数)</td>" in row.group(0),
          row.group(0) if row else "")
    row = re.search(r'<tr data-key="online_share">.*?</tr>', page)
    check("guide: 线上用信占比 不考核", row and '<td class="nowrap">不考核</td>' in row.group(0),
          row.group(0) if row else "")
    check("guide: the checks with weight and 必备",
          '<tr><td>村级对接会</td><td class="num">2.5</td><td>是</td></tr>' in page and
          '<tr><td>村民微信群</td><td class="num">1</td><td>否</td></tr>' in page)
    check("guide: pass score 85", "通过分数线 <strong>85</strong> 分" in page)
    check("guide: the score rule",
          "<dt>得分</dt><dd>100 × Σ(权重 × 达成度) ÷ Σ权重，保留两位小数</dd>" in page)
    check("guide: 13 terms, 7 rules, 3 grades", page.count("<dt>") == 13 + 7 + 3,
          page.count("<dt>"))
    for rel in ("index.html", "branches/HB.html", "villages/V1.html", "villages.html",
                "quality.html", "reports/2026-10/index.html", "reports/2026-10/HB.html",
                "guide.html"):
        href = "../../guide.html" if rel.startswith("reports/") else \
            "../guide.html" if "/" in rel else "guide.html"
        check(f"{rel} links 指标说明", f'<a href="{href}">指标说明</a>' in read(out, rel))


def t_sheet(out):
    import openpyxl
    for rel in ("workbooks/2026-10/summary.xlsx", "workbooks/2026-10/HB.xlsx"):
        wb = openpyxl.load_workbook(os.path.join(out, rel))
        check(f"{rel}: 指标说明 is the last sheet", wb.sheetnames[-1] == "指标说明",
              wb.sheetnames)
        ws = wb["指标说明"]
        rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
        check(f"{rel}: header", rows[0] == ("类别", "名称", "验收标准", "权重", "说明"), rows[0])
        check(f"{rel}: 授信覆盖率 row",
              ("定量指标", "授信覆盖率", "≥ 80.0%", 25, "已授信户数 ÷ (总户数 − 负面清单户数)")
              in rows, rows[:10])
        check(f"{rel}: 不良率 row",
              ("定量指标", "不良率", "≤ 2.0%", 10,
               "不良贷款余额（逾期超过 90 天的在贷贷款余额）÷ 贷款余额") in rows)
        check(f"{rel}: 村民微信群 not required",
              ("定性项目", "村民微信群", "已完成", 1, "不是通过必备") in rows)
        check(f"{rel}: pass score", ("得分与结论", "通过分数线", "≥ 85 分", None,
                                     "得分不低于此分数（且满足“通过”的其他条件）") in rows)
        check(f"{rel}: 1 + 8 + 2 + 1 + 7 + 13 + 3 rows", len(rows) == 35, len(rows))


def t_old_workbooks(tmp, archive):
    """The index lists earlier months' workbooks kept in the output (issue 11 item 13)."""
    out = os.path.join(tmp, "months")
    for month in ("2026-08", "2026-09", "2026-10"):
        rc, err = build(archive, out, "--month", month)
        check(f"build of {month} into one output", rc == 0, err[-300:])
    idx = read(out, "index.html")
    want = ('<h3>往月报表</h3>\n<ul class="links old-workbooks">\n'
            '<li>2026年9月：<a href="workbooks/2026-09/summary.xlsx">全行汇总</a> '
            '<a href="workbooks/2026-09/HB.xlsx">后白支行</a> </li>\n'
            '<li>2026年8月：<a href="workbooks/2026-08/summary.xlsx">全行汇总</a> '
            '<a href="workbooks/2026-08/HB.xlsx">后白支行</a> </li>\n</ul>')
    check("index: 往月报表 lists September's and August's workbooks, newest first", want in idx,
          idx[idx.find("Excel 报表"):][:600])
    check("index: the links point at files that are there",
          all(os.path.isfile(os.path.join(out, "workbooks", m, f)) for m in ("2026-09", "2026-08")
              for f in ("summary.xlsx", "HB.xlsx")))


def main():
    os.chdir(ROOT)
    with scratch_dir("monthly") as tmp:
        try:
            archive = os.path.join(tmp, "archive")
            write_archive(archive)
            out = os.path.join(tmp, "out")
            rc, err = build(archive, out)
            check("build of the monthly archive", rc == 0, err[-600:])
            if rc == 0:
                t_cards(out)
                t_guide(out)
                t_sheet(out)
            t_old_workbooks(tmp, archive)
        except Exception as e:  # a broken test is a failure, never a silent pass
            import traceback
            traceback.print_exc()
            check("test_monthly.py ran to the end", False, f"{type(e).__name__}: {e} ({CUNDANG})")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
