#!/usr/bin/python3
"""test_workbooks.py — end-to-end checks of the Excel workbooks (SPEC §7, issue #5), read back
with Debian's python3-openpyxl and compared, cell by cell, with `cundang stats --json`:

  1. the exact set of workbooks of the sample; sheet names in order; header rows;
  2. every figure of 汇总 and 村级指标 (bank, branch and village rows) equals the indicator
     document; 验收, 客户经理, 趋势 and 数据质量 too; numbers are numbers, never text;
  3. totals are =SUM formulas whose stored value is the computed total;
  4. number formats, real dates, frozen panes, autofilters, conditional formats, print setup,
     document properties; chart parts and the funnel image in the package;
  5. privacy: 户表 masked by default; `privacy.mask_workbooks: false` shows full values in
     户表 and still nowhere in the HTML or JSON of that build;
  6. --branch HB writes nothing of another branch; two builds give byte-identical files.

Runs from the repository root; CUNDANG is the binary (default ./cundang). While `cundang
build` does not write workbooks yet, CUNDANG_WORKBOOK_DRIVER may name a program run as
`DRIVER INPUT OUTPUT [--branch CODE]...` after each build to write them. Prints
"ok   name" / "FAIL name: detail" per check; the last line is "N passed, N failed".
"""
import csv
import datetime
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import traceback
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from testlib import AMOUNTS, COUNTS, RATES, ROOT, Checks, run, scratch_dir  # noqa: E402
from testlib import read_households, read_text  # noqa: E402

INPUT = "input"

COUNT_LABELS = ["总户数", "名单户数", "负面清单户数", "可授信户数", "已走访户数", "已建档户数",
                "已授信户数", "已签约户数", "已用信户数", "逾期户数", "在贷笔数", "线上在贷笔数"]
AMOUNT_LABELS = ["授信总额", "贷款余额", "不良贷款余额"]
RATE_LABELS = ["走访率", "建档率", "授信覆盖率", "签约率", "用信率", "额度使用率", "不良率",
               "线上用信占比"]
FIGURES = COUNTS + AMOUNTS + RATES
FIGURE_LABELS = COUNT_LABELS + AMOUNT_LABELS + RATE_LABELS

SUMMARY_SHEETS = ["汇总", "村级指标", "验收", "客户经理", "趋势", "数据质量", "指标说明"]
BRANCH_SHEETS = SUMMARY_SHEETS[:-1] + ["户表", "贷款", "指标说明"]
HEADERS = {
    "汇总": ["单位", "代码"] + FIGURE_LABELS + ["参与验收村数", "验收通过村数", "验收通过率",
                                            "授信目标户数", "目标完成率"],
    "村级指标": ["村代码", "村名", "乡镇", "支行", "等级", "类别"] + FIGURE_LABELS,
    "客户经理": ["名次", "客户经理", "名单户数", "已走访户数", "已授信户数", "已签约户数", "已用信户数",
             "贷款余额", "走访率", "签约率", "用信率"],
    "趋势": ["月份", "已走访户数", "已建档户数", "已授信户数", "已签约户数", "已用信户数",
           "走访率", "建档率", "授信覆盖率", "签约率", "用信率",
           "走访率目标", "建档率目标", "授信覆盖率目标", "签约率目标", "用信率目标"],
    "数据质量": ["文件", "行号", "列", "级别", "代码", "说明"],
    "户表": ["村代码", "村名", "户号", "户主", "身份证号", "联系电话", "客群", "网格", "客户经理",
           "家庭人口", "外出务工", "走访日期", "建档日期", "授信额度", "授信日期", "签约日期",
           "已走访", "已建档", "已授信", "已签约", "已用信", "逾期", "贷款余额", "负面清单原因"],
    "贷款": ["村代码", "户号", "借据号", "产品", "发放金额", "发放日期", "到期日期", "结清日期",
           "贷款余额", "逾期天数", "渠道", "在贷"],
}
BRANCH_TREND_HEADERS = ["村代码", "村名"] + HEADERS["趋势"][:11] + ["用信率目标"]
# The sample's thresholds (input/site.yaml) of the five trend rates, and the charts' palette
# (src/render/chart/chart.h): series in chart_series_colors, thresholds in CHART_COLOR_RULE.
TREND_THRESHOLDS = [0.95, 0.90, 0.80, 0.60, 0.30]
SERIES_COLORS = ["0072B2", "E69F00", "56B4E9", "CC79A7", "5D3A9B"]
RULE_COLOR = "6B7684"
VERDICTS = {"pass": "通过", "fail": "未通过", "not_started": "未启动"}
CHECK_LABELS = {"town_meeting": "镇级启动会", "village_meeting": "村级对接会",
                "night_school": "金融夜校宣讲", "wechat_group": "村民微信群"}

checks = Checks(detail_limit=600)
check = checks.check


def build(inp, out, *extra):
    """`cundang build`, then the stand-in driver when one is named. Returns (rc, stderr)."""
    rc, err = testlib.build(inp, out, *extra)
    driver = os.environ.get("CUNDANG_WORKBOOK_DRIVER")
    if rc == 0 and driver:
        p = subprocess.run([driver, inp, out, *extra], capture_output=True)
        rc, err = p.returncode, err + p.stderr.decode("utf-8", "replace")
    return rc, err


def rows_of(ws, first):
    """Rows from 1-based row `first` as lists of values."""
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def header_of(ws, row):
    return [c for c in next(ws.iter_rows(min_row=row, max_row=row, values_only=True))]


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, (int, float)) and abs(a - b) <= tol


def figures_equal(cells, obj, start=0):
    """Compares the counts, amounts and rates in cells[start:] with the JSON object obj.
    Returns a list of mismatches."""
    bad = []
    for i, key in enumerate(FIGURES):
        v, want = cells[start + i], obj[key]
        if key in COUNTS:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v == want
        elif key in AMOUNTS:
            ok = close(v, want, 0.005)
        else:
            ok = close(v, want, 1e-9)
        if not ok:
            bad.append((key, v, want))
    return bad


def all_strings(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    yield ws.title, v


def col_letter(i):
    return openpyxl.utils.get_column_letter(i + 1)


def cf_ranges(ws):
    """The cell ranges that carry a conditional format."""
    out = []
    for rng in ws.conditional_formatting:
        out.append(str(rng.sqref))
    return out


def check_summary_sheet(doc, wb, wbv, branch):
    """汇总 of the summary (branch None) or of one branch."""
    ws, wsv = wb["汇总"], wbv["汇总"]
    hdr = header_of(ws, 3)
    check(f"{branch or 'summary'}: 汇总 header", hdr == HEADERS["汇总"], hdr)
    rows = rows_of(wsv, 4)
    branches = doc["branches"] if branch is None else [b for b in doc["branches"]
                                                       if b["code"] == branch]
    bad = []
    for b, r in zip(branches, rows):
        if r[0] != b["name"] or r[1] != b["code"]:
            bad.append((b["code"], r[:2]))
        bad += [(b["code"],) + m for m in figures_equal(r, b, 2)]
        tail = r[2 + len(FIGURES):2 + len(FIGURES) + 5]
        want = [b["villages_total"], b["villages_passed"], b["acceptance_rate"],
                b.get("target_granted"), b["target_rate"]]
        if not (tail[0] == want[0] and tail[1] == want[1] and close(tail[2], want[2], 1e-9)
                and tail[3] == want[3] and close(tail[4], want[4], 1e-9)):
            bad.append((b["code"], tail, want))
    check(f"{branch or 'summary'}: 汇总 branch rows equal the indicator document",
          not bad and len(rows) >= len(branches), bad)
    if branch is None:
        total = rows[len(branches)]
        bank = doc["bank"]
        bad = figures_equal(total, bank, 2)
        t = total[2 + len(FIGURES):2 + len(FIGURES) + 3]
        ok = (total[0] == "全行合计" and t[0] == bank["villages_total"]
              and t[1] == bank["villages_passed"] and close(t[2], bank["acceptance_rate"], 1e-9))
        check("summary: 汇总 全行合计 equals the bank", ok and not bad, (total[:2], bad, t))
        # The bank's target: the branches' sum when every branch has one (worked out here).
        targets = [b.get("target_granted") for b in branches]
        tt = total[2 + len(FIGURES) + 3:2 + len(FIGURES) + 5]
        if all(x is not None for x in targets) and targets:
            want_t = [sum(targets), bank["granted"] / sum(targets)]
            ok_t = tt[0] == want_t[0] and close(tt[1], want_t[1], 1e-9)
        else:
            want_t, ok_t = [None, None], tt == [None, None]
        check("summary: 汇总 全行合计 target is the branches' sum, and its completion rate",
              ok_t, (tt, want_t))
        frow = rows_of(ws, 4 + len(branches))[0]
        n = len(branches)
        want = [f"=SUM({col_letter(c)}4:{col_letter(c)}{3 + n})"
                for c in range(2, 2 + len(COUNTS) + len(AMOUNTS))]
        got = frow[2:2 + len(COUNTS) + len(AMOUNTS)]
        check("summary: 汇总 total counts and amounts are =SUM formulas", got == want,
              list(zip(got, want))[:3])
        sums_ok = all(close(sum(r[c] for r in rows[:n]), total[c], 0.005)
                      for c in range(2, 2 + len(COUNTS) + len(AMOUNTS)))
        check("summary: 汇总 stored totals equal the sums of the branch rows", sums_ok)
        check("summary: 汇总 frozen below the header and after 单位", ws.freeze_panes == "B4",
              ws.freeze_panes)
    else:
        check(f"{branch}: 汇总 has the branch row only", rows[1:] == [] or
              all(v is None for r in rows[1:] for v in r), rows[1:2])
    rate0 = 2 + len(COUNTS) + len(AMOUNTS)
    fmts = [ws.cell(row=4, column=c + 1).number_format for c in range(2, rate0 + len(RATES))]
    want = ["#,##0"] * len(COUNTS) + ["#,##0.00"] * len(AMOUNTS) + ["0.0%"] * len(RATES)
    check(f"{branch or 'summary'}: 汇总 number formats", fmts == want, list(zip(fmts, want)))
    check(f"{branch or 'summary'}: 汇总 colours rates below their threshold",
          len(cf_ranges(ws)) >= 6, cf_ranges(ws))
    # Not one page wide: its 30 columns would print at 36% (4 pt); see check_print.
    check(f"{branch or 'summary'}: 汇总 prints landscape at 80% over pages, header and 单位 "
          "repeated",
          ws.page_setup.orientation == "landscape"
          and ws.print_title_rows.replace("$", "") == "3:3" and ws.print_title_cols == "$A:$A"
          and ws.page_setup.scale == 80
          and not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
          (ws.page_setup.orientation, ws.print_title_rows, ws.page_setup.scale))


def check_villages_sheet(doc, wb, wbv, branch):
    name = branch or "summary"
    ws, wsv = wb["村级指标"], wbv["村级指标"]
    hdr = header_of(ws, 1)
    check(f"{name}: 村级指标 header", hdr == HEADERS["村级指标"], hdr)
    villages = [v for v in doc["villages"] if branch is None or v["branch"] == branch]
    names = {b["code"]: b["name"] for b in doc["branches"]}
    rows = rows_of(wsv, 2)
    bad = []
    for v, r in zip(villages, rows):
        if r[:5] != [v["code"], v["name"], v["township"], names[v["branch"]], v["grade"]]:
            bad.append((v["code"], r[:5]))
        bad += [(v["code"],) + m for m in figures_equal(r, v, 6)]
    check(f"{name}: 村级指标 has every village, figures equal the indicator document",
          not bad and len(rows) == len(villages) + 1, bad or len(rows))
    total = rows[len(villages)]
    scope = doc["bank"] if branch is None else next(b for b in doc["branches"]
                                                     if b["code"] == branch)
    bad = figures_equal(total, scope, 6)
    check(f"{name}: 村级指标 合计 equals the {'bank' if branch is None else 'branch'}",
          total[0] == "合计" and not bad, (total[0], bad))
    frow = rows_of(ws, 2 + len(villages))[0]
    n = len(villages)
    want = [f"=SUM({col_letter(c)}2:{col_letter(c)}{1 + n})"
            for c in range(6, 6 + len(COUNTS) + len(AMOUNTS))]
    check(f"{name}: 村级指标 合计 holds =SUM formulas", frow[6:6 + len(want)] == want,
          frow[6:9])
    check(f"{name}: 村级指标 frozen after the village name", ws.freeze_panes == "C2",
          ws.freeze_panes)
    check(f"{name}: 村级指标 autofilter over the villages",
          ws.auto_filter.ref == f"A1:{col_letter(len(hdr) - 1)}{1 + n}", ws.auto_filter.ref)
    # One conditional format per acceptance rule, on its rate's column.
    rate0 = 6 + len(COUNTS) + len(AMOUNTS)
    want_cols = {col_letter(rate0 + RATES.index(k)) for k in
                 ("visit_rate", "archive_rate", "credit_coverage", "signing_rate",
                  "usage_rate", "npl_rate")}
    got_cols = {re.match(r"[A-Z]+", r).group(0) for r in cf_ranges(ws)}
    check(f"{name}: 村级指标 conditional formats on the rates with thresholds",
          got_cols == want_cols, (got_cols, want_cols))
    # Formula rules that skip an empty cell (an undefined rate), which a cell-value rule
    # would compare as 0 and colour.
    forms = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            forms[str(rng.sqref).split(":")[0]] = (rule.type, tuple(rule.formula))
    c_visit = col_letter(rate0 + RATES.index("visit_rate")) + "2"
    c_npl = col_letter(rate0 + RATES.index("npl_rate")) + "2"
    check(f"{name}: 村级指标 thresholds are site.yaml's, empty cells left alone",
          forms.get(c_visit) == ("expression", (f"AND(ISNUMBER({c_visit}),{c_visit}<0.95)",))
          and forms.get(c_npl) == ("expression", (f"AND(ISNUMBER({c_npl}),{c_npl}>0.02)",)),
          forms)
    fmts = [ws.cell(row=2, column=c + 1).number_format for c in range(6, rate0 + len(RATES))]
    check(f"{name}: 村级指标 number formats",
          fmts == ["#,##0"] * len(COUNTS) + ["#,##0.00"] * len(AMOUNTS) + ["0.0%"] * len(RATES),
          fmts)
    nulls = [(v["code"], k) for v in villages for k in RATES if v[k] is None]
    check(f"{name}: 村级指标 null rates are empty cells, not 0", all(
        rows[villages.index(next(x for x in villages if x["code"] == c))][6 + FIGURES.index(k)]
        is None for c, k in nulls), nulls[:5])


def check_acceptance_sheet(doc, site_rules, wb, branch):
    name = branch or "summary"
    ws = wb["验收"]
    hdr = header_of(ws, 1)
    villages = [v for v in doc["villages"] if branch is None or v["branch"] == branch]
    rows = rows_of(ws, 2)
    check(f"{name}: 验收 header starts 村代码 … 验收结论 and ends 未达标项",
          hdr[:6] == ["村代码", "村名", "支行", "等级", "得分", "验收结论"] and hdr[-1] == "未达标项"
          and "走访率达标（≥95.0%）" in hdr and "不良率达标（≤2.0%）" in hdr
          and "镇级启动会（加分项）" in hdr, hdr)
    bad = []
    labels = dict(zip(RATES, RATE_LABELS))
    labels.update(CHECK_LABELS)
    for v, r in zip(villages, rows):
        if r[0] != v["code"] or r[5] != VERDICTS[v["verdict"]] or not close(r[4], v["score"], 1e-9):
            bad.append((v["code"], r[4:6], v["score"], v["verdict"]))
        failed = "、".join(labels[k] for k in v["failed"])
        if (r[-1] or "") != failed:
            bad.append((v["code"], r[-1], failed))
        for i, key in enumerate(site_rules):
            # A village not started is not judged: its rates empty, its items 未启动.
            if v["verdict"] == "not_started" and r[6 + 2 * i] is not None:
                bad.append((v["code"], key, r[6 + 2 * i], None))
            if v["verdict"] != "not_started" and not close(r[6 + 2 * i], v[key], 1e-9):
                bad.append((v["code"], key, r[6 + 2 * i], v[key]))
            # failed lists every unmet indicator (SPEC §6; [] for a fail on score alone,
            # where every indicator is met).
            want = "未启动" if v["verdict"] == "not_started" else (
                "未达标" if key in v["failed"] else "达标")
            if r[7 + 2 * i] != want:
                bad.append((v["code"], key, r[7 + 2 * i], want))
    check(f"{name}: 验收 score, verdict, indicators and failed items per village",
          not bad and len(rows) == len(villages), bad)
    check(f"{name}: 验收 score format 0.00", ws.cell(row=2, column=5).number_format == "0.00")
    check(f"{name}: 验收 rates shown 0.00%, so one just under its threshold does not read as it",
          ws.cell(row=2, column=7).number_format == "0.00%", ws.cell(row=2, column=7).number_format)


def check_managers_sheet(doc, wb, wbv, raw):
    ws, wsv = wb["客户经理"], wbv["客户经理"]
    want_hdr = HEADERS["客户经理"][:2] + ["支行"] + HEADERS["客户经理"][2:]
    check("summary: 客户经理 header has 支行 after the name", header_of(ws, 1) == want_hdr,
          header_of(ws, 1))
    rows = rows_of(wsv, 2)
    # 支行, worked out from the CSVs: the branches (by code, "、" between their names) where
    # the manager (未分配 for none) has a kept household.
    vbranch = {v["code"]: v["branch"] for v in doc["villages"]}
    bname = {b["code"]: b["name"] for b in doc["branches"]}
    where = {}
    for h in raw.values():
        where.setdefault(h["manager"] or "未分配", set()).add(vbranch[h["village"]])
    bad = [(r[1], r[2]) for r in rows[:-1]
           if r[2] != "、".join(bname[c] for c in sorted(where.get(r[1], ())))]
    check("summary: 客户经理 支行 names the branches of each manager's households",
          not bad and rows and all(r[2] for r in rows[:-1]), bad)
    check("summary: 客户经理 支行 of the sample's 未分配 and of 王永",
          [r[2] for r in rows if r[1] in ("未分配", "王永")] == ["宝华支行", "宝华支行、后白支行、下蜀支行"],
          [(r[1], r[2]) for r in rows if r[1] in ("未分配", "王永")])
    rows = [r[:2] + r[3:] for r in rows]  # the figures, as in a branch workbook
    keys = ["name", "listed", "visited", "granted", "signed", "used", "balance_total",
            "visit_rate", "signing_rate", "usage_rate"]

    # The branch pages' ranking, worked here: 未分配 last, then usage rate and signing rate
    # highest first with a null after every number, then the name bytewise.
    def rank_key(m):
        ks = []
        for k in ("usage_rate", "signing_rate"):
            v = m[k]
            ks += [1, 0] if v is None else [0, -v]
        return (m["name"] == "未分配", *ks, m["name"].encode())
    ranked = sorted(doc["managers"], key=rank_key)
    bad = []
    for n, (m, r) in enumerate(zip(ranked, rows), 1):
        want_rank = "—" if m["name"] == "未分配" else n
        if r[0] != want_rank:
            bad.append((m["name"], "名次", r[0], want_rank))
        for i, k in enumerate(keys):
            tol = 0.005 if k == "balance_total" else 1e-9
            got = r[i + 1]
            if not (got == m[k] if i < 6 else close(got, m[k], tol)):
                bad.append((m["name"], k, got, m[k]))
    check("summary: 客户经理 ranked as the branch pages, every manager equal to the document",
          not bad and len(rows) == len(doc["managers"]) + 1, bad)
    total = rows[-1]
    bank = doc["bank"]
    want = ["合计", bank["listed"], bank["visited"], bank["granted"], bank["signed"],
            bank["used"]]
    check("summary: 客户经理 合计 equals the bank",
          total[1:7] == want and close(total[7], bank["balance_total"], 0.005), (total, want))
    f = rows_of(ws, len(rows) + 1)[0]
    check("summary: 客户经理 合计 holds =SUM formulas",
          all(isinstance(x, str) and x.startswith("=SUM(") for x in f[3:9]), f[3:9])


# ---- print setup (issue 11 item 8) ----

A4_PORTRAIT_PT = (210 / 25.4 - 0.8) * 72    # A4 less margins of 0.4 in each side
A4_LANDSCAPE_PT = (297 / 25.4 - 0.8) * 72
MIN_PT, FONT_PT, BREAK_SCALE = 8.25, 11, 80


def print_width_pt(ws):
    """The print area's width in points, from its columns' widths as stored (libxlsxwriter adds
    0.71 to the width it was given; Excel lays that out as 7 pixels a character and 5 of
    padding, and the plan allows 5 pixels more a column for LibreOffice)."""
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last = re.sub(r"[\d$]", "", area.split(":")[1])
    px = 0
    for c in range(1, column_index_from_string(last) + 1):
        d = ws.column_dimensions.get(get_column_letter(c))
        wd = round(d.width - 0.7109375) if d is not None and d.width else 8.43
        px += int(wd * 7 + 0.5) + 5 + 5
    return px * 0.75


def check_print(ws, where, header_row, key_cols):
    """Every sheet prints on A4 readably: portrait when its print area fits a portrait page at
    100%, else landscape; fitted to one page wide only while the text stays at least 8.25 pt,
    else at 80% (8.8 pt) with its columns running on to further pages and the key columns
    repeated; the header row repeated; gridlines; sheet name and page N of M in the footer."""
    ps = ws.page_setup
    fit = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    w = print_width_pt(ws)
    if w <= A4_PORTRAIT_PT:
        want = ("portrait", False, None, None)
    elif w <= A4_LANDSCAPE_PT:
        want = ("landscape", False, None, None)
    elif A4_LANDSCAPE_PT / w * FONT_PT >= MIN_PT:
        want = ("landscape", True, None, None)
    else:
        want = ("landscape", False, BREAK_SCALE, f"$A:${get_column_letter(key_cols)}"
                if key_cols else None)
    got = (ps.orientation, fit, int(ps.scale) if ps.scale and int(ps.scale) != 100 else None,
           ws.print_title_cols)
    effective = (A4_LANDSCAPE_PT / w * FONT_PT if fit else
                 FONT_PT * (int(ps.scale) if ps.scale else 100) / 100)
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    ok = (got == want and str(ps.paperSize) == "9" and effective >= 8
          and (not fit or (ps.fitToWidth in (None, 1) and ps.fitToHeight == 0))
          and area.startswith("$A$1:") and int(re.sub(r"\D", "", area.split(":")[1])) >= ws.max_row - 1
          and ws.print_title_rows == f"${header_row}:${header_row}"
          and ws.print_options.gridLines
          and ws.oddFooter.left.text == "&A" and "&P" in ws.oddFooter.right.text
          and "&N" in ws.oddFooter.right.text and ws.oddHeader.left.text)
    check(f"{where}: {ws.title} prints on A4 {want[0]}, "
          f"{'fitted to the width' if want[1] else 'at %d%%' % (want[2] or 100)} "
          f"({effective:.1f} pt), header row repeated, page numbers",
          ok, (got, want, ps.paperSize, round(w), round(effective, 2), area, ws.print_title_rows,
               ws.print_options.gridLines, ws.oddFooter.left.text, ws.oddFooter.right.text))


# The header row and the key columns (those frozen) of each sheet.
PRINT_KEYS = {"汇总": (3, 1), "村级指标": (1, 2), "验收": (1, 2), "客户经理": (1, 2), "趋势": (1, 1),
              "数据质量": (1, 0), "户表": (1, 4), "贷款": (1, 3),
              "指标说明": (1, 0)}


def check_trend_sheet(doc, wb, branch):
    ws = wb["趋势"]
    if branch is None:
        check("summary: 趋势 header", header_of(ws, 1) == HEADERS["趋势"], header_of(ws, 1))
        rows = rows_of(ws, 2)[:12]
        series, off = [doc["trend"]], 0
    else:
        check(f"{branch}: 趋势 header", header_of(ws, 1) == BRANCH_TREND_HEADERS,
              header_of(ws, 1))
        vs = [v for v in doc["villages"] if v["branch"] == branch]
        rows = rows_of(ws, 2)[:12 * len(vs)]
        series, off = [v["trend"] for v in vs], 2
    keys = ["visited", "archived", "granted", "signed", "used", "visit_rate", "archive_rate",
            "credit_coverage", "signing_rate", "usage_rate"]
    bad = []
    for s, trend in enumerate(series):
        for k, t in enumerate(trend):
            r = rows[12 * s + k]
            m = r[off]
            if not isinstance(m, datetime.datetime) or f"{m.year:04d}-{m.month:02d}" != t["month"]:
                bad.append((t["month"], m))
            for i, key in enumerate(keys):
                if not (r[off + 1 + i] == t[key] if i < 5 else close(r[off + 1 + i], t[key], 1e-9)):
                    bad.append((t["month"], key, r[off + 1 + i], t[key]))
    check(f"{branch or 'summary'}: 趋势 every month equals the indicator document", not bad, bad)
    check(f"{branch or 'summary'}: 趋势 months are dates shown yyyy-mm",
          ws.cell(row=2, column=off + 1).number_format == "yyyy-mm")
    # The thresholds the chart's dashed lines read: site.yaml's, in every row.
    if branch is None:
        got = [r[11:16] for r in rows]
        want = [TREND_THRESHOLDS] * 12
    else:
        got = [r[13] for r in rows_of(ws, 2)[:12 * (len(vs) + 1)]]
        want = [TREND_THRESHOLDS[4]] * (12 * (len(vs) + 1))
    check(f"{branch or 'summary'}: 趋势 threshold columns are site.yaml's", got == want,
          (got[:2], want[:2]))
    if branch is None:
        return
    # The branch's own 12 months follow its villages': counts summed here from the villages'
    # trends, rates from those sums over the branch's households_total and eligible.
    b = next(b for b in doc["branches"] if b["code"] == branch)
    total = rows_of(ws, 2)[12 * len(vs):12 * len(vs) + 12]
    bad = []
    for k in range(12):
        r = total[k] if k < len(total) else [None] * 13
        sums = [sum(v["trend"][k][key] for v in vs) for key in keys[:5]]
        want = sums + [None if d == 0 else n / d for n, d in
                       ((sums[0], b["households_total"]), (sums[1], b["households_total"]),
                        (sums[2], b["eligible"]), (sums[3], sums[2]), (sums[4], sums[2]))]
        got = list(r[3:13])
        if r[0] != branch or r[1] != "全支行" or got[:5] != want[:5] or \
                any(not close(g, w, 1e-9) for g, w in zip(got[5:], want[5:])):
            bad.append((k, r[:3], got, want))
    check(f"{branch}: 趋势 ends with 12 rows 全支行, summed from its villages", not bad, bad[:2])


LOAN_HOUSEHOLD = ("household_id", "户号")


def finding_village(f, raw):
    """The village a finding belongs to: its households.csv, or the village of the household
    named on its loan row; None for a loan of an unknown household or a whole-file finding."""
    m = re.match(r"villages/([^/]+)/", f["file"])
    if m:
        return m.group(1)
    if not f["file"].startswith("loans/") or f["line"] <= 1:
        return None
    reader = csv.reader(io.StringIO(read_text(os.path.join(INPUT, f["file"])), newline=""))
    header, col = None, None
    for rec in reader:
        if header is None:
            header = [c.strip() for c in rec]
            col = next(i for i, h in enumerate(header) if h in LOAN_HOUSEHOLD)
            continue
        if reader.line_num >= f["line"]:
            h = raw.get(rec[col].strip()) if col < len(rec) else None
            return h["village"] if h else None
    return None


def check_quality_sheet(findings, wb, branch, villages, raw):
    ws = wb["数据质量"]
    check(f"{branch or 'summary'}: 数据质量 header", header_of(ws, 1) == HEADERS["数据质量"])
    want = [f for f in findings if branch is None or finding_village(f, raw) in villages]
    rows = [r for r in rows_of(ws, 2) if any(v is not None for v in r[1:])]
    got = [(r[0], r[1] or 0, r[4], r[5], r[3]) for r in rows]
    exp = [(f["file"], f["line"], f["code"], f["message"],
            "错误" if f["severity"] == "error" else "警告") for f in want]
    check(f"{branch or 'summary'}: 数据质量 lists the findings of its scope", got == exp,
          (len(got), len(exp), [g for g in got if g not in exp][:3]))


def check_trend_chart(name, lines, ncolored, nrules):
    """The 趋势 line chart draws as the pages' charts: straight lines (never <c:smooth val="1"/>),
    the first series in the pages' palette, and the last nrules series dashed in the
    threshold grey without markers."""
    if not check(f"{name}: one 趋势 line chart", len(lines) == 1, len(lines)):
        return
    sers = re.findall(r"<c:ser>.*?</c:ser>", lines[0], re.S)
    check(f"{name}: 趋势 lines are straight", '<c:smooth val="1"/>' not in lines[0])
    colours = [re.search(r'<c:spPr><a:ln[^>]*><a:solidFill><a:srgbClr val="([0-9A-F]{6})"', x)
               for x in sers]
    colours = [c.group(1) if c else None for c in colours]
    check(f"{name}: 趋势 series in the pages' palette",
          colours[:ncolored] == SERIES_COLORS[:ncolored], colours)
    rules = sers[len(sers) - nrules:]
    check(f"{name}: 趋势 thresholds are dashed grey lines without markers",
          all(f'<a:srgbClr val="{RULE_COLOR}"' in x and '<a:prstDash val="dash"/>' in x
              and '<c:symbol val="none"/>' in x for x in rules)
          and all(f'<a:srgbClr val="{RULE_COLOR}"' not in x for x in sers[:len(sers) - nrules]),
          [x[:200] for x in rules])


def zip_parts(path):
    with zipfile.ZipFile(path) as z:
        return z.namelist(), {n: z.read(n) for n in ("docProps/core.xml", "docProps/app.xml")}


os.chdir(ROOT)
with scratch_dir("wb") as tmp:
    rc, out, err = run("stats", "--json", "-i", INPUT)
    doc = json.loads(out) if rc == 0 else None
    rc2, out2, _ = run("check", "--json", "-i", INPUT)
    findings = json.loads(out2) if rc2 == 0 else []
    check("stats --json and check --json run", doc is not None and rc2 == 0, err)
    month = doc["month"]
    codes = [b["code"] for b in doc["branches"]]
    site_rules = ["visit_rate", "archive_rate", "credit_coverage", "signing_rate",
                  "usage_rate", "npl_rate"]

    out1 = f"{tmp}/o1"
    rc, err = build(INPUT, out1)
    check("build exits 0", rc == 0, err)
    wdir = f"{out1}/workbooks/{month}"
    files = sorted(os.listdir(wdir)) if os.path.isdir(wdir) else []
    check("exactly summary.xlsx and one workbook per branch",
          files == sorted(["summary.xlsx"] + [f"{c}.xlsx" for c in codes]), files)

    def load(name, values):
        return openpyxl.load_workbook(f"{wdir}/{name}", data_only=values)

    # The household rows of the raw CSVs: {household_id: {head_name, id_number, phone,
    # village, …}} for the first row of each id that has both required values.
    raw = {h["household_id"]: h for h in read_households(INPUT) if h["kept"]}

    # ---- summary.xlsx ----
    try:
        wb, wbv = load("summary.xlsx", False), load("summary.xlsx", True)
        check("summary: sheets in order", wb.sheetnames == SUMMARY_SHEETS, wb.sheetnames)
        check_summary_sheet(doc, wb, wbv, None)
        check_villages_sheet(doc, wb, wbv, None)
        check_acceptance_sheet(doc, site_rules, wb, None)
        check_managers_sheet(doc, wb, wbv, raw)
        check_trend_sheet(doc, wb, None)
        check_quality_sheet(findings, wb, None, None, raw)
        for ws in wb.worksheets:
            check_print(ws, "summary", *PRINT_KEYS[ws.title])
        s0 = wb["汇总"]
        check("summary: 汇总 (30 columns) prints at 80% over pages, 单位 repeated, A1:AD7",
              s0.page_setup.scale == 80 and s0.print_title_cols == "$A:$A"
              and s0.print_title_rows == "$3:$3" and s0.print_area == ["$A$1:$AD$7"]
              and s0.page_setup.pageOrder == "overThenDown",
              (s0.page_setup.scale, s0.print_title_cols, s0.print_area))
        m0 = wb["客户经理"]
        check("summary: 客户经理 (12 columns) fits one landscape page wide",
              m0.sheet_properties.pageSetUpPr.fitToPage and m0.page_setup.fitToHeight == 0
              and m0.page_setup.orientation == "landscape" and m0.print_area == ["$A$1:$L$17"],
              (m0.print_area, m0.page_setup.fitToHeight))
        t0 = wb["趋势"]
        # 16 columns with the 目标 ones: too wide for one page at 75%, so the table prints
        # at 80% over two pages across and the chart beside it stays on screen.
        check("summary: 趋势 prints its table alone at 80% (the chart beside it would be cut)",
              t0.print_area == ["$A$1:$P$13"] and t0.page_setup.scale == 80,
              (t0.print_area, t0.page_setup.scale))
        texts = [(s, v) for s, v in all_strings(wbv)
                 if re.fullmatch(r"[\d,.\-%]+", v) and re.search(r"\d", v)]
        check("summary: no number is written as text", not texts, texts[:5])
        frozen = {ws.title: ws.freeze_panes for ws in wb.worksheets}
        check("summary: every sheet has frozen panes and an autofilter",
              all(frozen.values()) and all(ws.auto_filter.ref for ws in wb.worksheets), frozen)
        names, props = zip_parts(f"{wdir}/summary.xlsx")
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        check("summary: native charts (branch bars, trend lines) in the package",
              len(charts) == 2, names)
        with zipfile.ZipFile(f"{wdir}/summary.xlsx") as z:
            lines = [x for x in (z.read(n).decode("utf-8") for n in charts)
                     if "<c:lineChart>" in x]
        check_trend_chart("summary", lines, 5, 5)
        check("summary: the funnel PNG is embedded",
              any(re.fullmatch(r"xl/media/image\d+\.png", n) for n in names), names)
        core = props["docProps/core.xml"].decode()
        app = props["docProps/app.xml"].decode()
        bank = doc["bank"]["name"]
        check("summary: created is the as-of date, title and company name the bank",
              f"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{doc['as_of']}T00:00:00Z" in core
              and f"<dc:title>{bank} " in core and f"<Company>{bank}</Company>" in app,
              core + app)
    except Exception:
        check("summary.xlsx reads back", False, traceback.format_exc())

    # ---- branch workbooks ----
    for code in codes:
        try:
            wb, wbv = load(f"{code}.xlsx", False), load(f"{code}.xlsx", True)
            check(f"{code}: sheets in order", wb.sheetnames == BRANCH_SHEETS, wb.sheetnames)
            for s in ("户表", "贷款"):
                check(f"{code}: {s} header", header_of(wb[s], 1) == HEADERS[s],
                      header_of(wb[s], 1))
            check_summary_sheet(doc, wb, wbv, code)
            check_villages_sheet(doc, wb, wbv, code)
            check_acceptance_sheet(doc, site_rules, wb, code)
            check_trend_sheet(doc, wb, code)
            vs = [v for v in doc["villages"] if v["branch"] == code]
            check_quality_sheet(findings, wb, code, [v["code"] for v in vs], raw)
            keys = dict(PRINT_KEYS, 趋势=(1, 3))
            for ws in wb.worksheets:
                check_print(ws, code, *keys[ws.title])
            tr = wb["趋势"]
            check(f"{code}: 趋势 prints its table alone (the chart beside it would be cut)",
                  tr.print_area == [f"$A$1:$N${13 + 12 * len(vs)}"], tr.print_area)
            tw = openpyxl.load_workbook(f"{out1}/tasks/{month}/{code}.xlsx")
            for ws in tw.worksheets:
                # 客户经理, then a sheet per manager below a two-row heading, keyed by 村名,
                # 网格 and 户号.
                check_print(ws, f"tasks {code}", 3, 1 if ws.title == "客户经理" else 3)
            hh = wb["户表"]
            rows = rows_of(hh, 2)
            check(f"{code}: 户表 has every listed household of the branch",
                  len(rows) == sum(v["listed"] for v in vs)
                  and {r[0] for r in rows} == {v["code"] for v in vs}, len(rows))
            masked_ok, leaks = True, []
            for r in rows:
                h = raw.get(r[2])
                if not h:
                    continue
                if not re.fullmatch(r".\*+", r[3] or "") and len(h["head_name"]) > 1:
                    masked_ok = False
                if h["id_number"] and r[4] == h["id_number"]:
                    leaks.append(r[4])
                if h["phone"] and r[5] == h["phone"]:
                    leaks.append(r[5])
            full = {h["id_number"] for h in raw.values() if len(h["id_number"]) == 18}
            full |= {h["phone"] for h in raw.values() if len(h["phone"]) == 11}
            leaks += [v for _, v in all_strings(wbv) if v in full]
            check(f"{code}: 户表 names, ID and phone numbers are masked",
                  masked_ok and not leaks, leaks[:3])
            sample = next(r for r in rows if raw.get(r[2], {}).get("id_number"))
            check(f"{code}: 户表 masks keep 6+4 of an ID and 3+4 of a phone",
                  re.fullmatch(r"\d{6}\*{8}[\dX]{4}", sample[4] or "") is not None
                  and re.fullmatch(r"\d{3}\*{4}\d{4}", sample[5] or "") is not None, sample[3:6])
            dated = next(r for r in rows if r[11])
            check(f"{code}: 户表 dates are real dates shown yyyy-mm-dd",
                  isinstance(dated[11], datetime.datetime)
                  and hh.cell(row=rows.index(dated) + 2, column=12).number_format == "yyyy-mm-dd")
            check(f"{code}: 户表 amounts are numbers shown #,##0.00",
                  all(r[22] is not None and isinstance(r[22], (int, float)) for r in rows)
                  and hh.cell(row=2, column=23).number_format == "#,##0.00")
            check(f"{code}: 户表 status flags are 是/否",
                  all(r[c] in ("是", "否") for r in rows for c in range(16, 22)))
            check(f"{code}: 户表 frozen after 户主, filtered",
                  hh.freeze_panes == "E2" and hh.auto_filter.ref == f"A1:X{len(rows) + 1}",
                  (hh.freeze_panes, hh.auto_filter.ref))
            ln = rows_of(wb["贷款"], 2)
            check(f"{code}: 贷款 loans of the branch's households, channel 线上/线下",
                  ln and all(r[1] in {x[2] for x in rows} for r in ln)
                  and len({r[2] for r in ln}) == len(ln)
                  and all(r[10] in ("线上", "线下") for r in ln)
                  and isinstance(ln[0][5], datetime.datetime)
                  and wb["贷款"].cell(row=2, column=5).number_format == "#,##0.00", ln[:1])
            names, _ = zip_parts(f"{wdir}/{code}.xlsx")
            charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
            check(f"{code}: native charts and the funnel PNG in the package",
                  len(charts) >= 1 and any(n.startswith("xl/media/") for n in names), names)
            with zipfile.ZipFile(f"{wdir}/{code}.xlsx") as z:
                lines = [z.read(n).decode("utf-8") for n in charts]
            lines = [x for x in lines if "<c:lineChart>" in x]
            check(f"{code}: the 趋势 line chart has a line per village, one for the branch "
                  "and the threshold",
                  len(lines) == 1 and lines[0].count("<c:ser>") == len(vs) + 2,
                  [x.count("<c:ser>") for x in lines])
            check_trend_chart(code, lines, min(len(vs), 5), 1)
            others = [c for c in codes if c != code]
            stray = [v for _, v in all_strings(wbv)
                     if any(re.fullmatch(rf"{o}\d+(-\d+)?", v) for o in others)]
            check(f"{code}: nothing of another branch", not stray, stray[:3])
        except Exception:
            check(f"{code}.xlsx reads back", False, traceback.format_exc())

    # ---- determinism ----
    out2 = f"{tmp}/o2"
    rc, err = build(INPUT, out2, "-j", "1")
    same = rc == 0 and all(
        open(f"{wdir}/{f}", "rb").read() == open(f"{out2}/workbooks/{month}/{f}", "rb").read()
        for f in files)
    check("two builds give byte-identical workbooks", same and files, err)

    # ---- mask_workbooks: false ----
    inp2 = f"{tmp}/in2"
    shutil.copytree(INPUT, inp2)
    with open(f"{inp2}/site.yaml", encoding="utf-8") as f:
        y = f.read()
    y2 = re.sub(r"mask_workbooks:\s*true", "mask_workbooks: false", y)
    with open(f"{inp2}/site.yaml", "w", encoding="utf-8") as f:
        f.write(y2)
    out3 = f"{tmp}/o3"
    rc, err = build(inp2, out3)
    check("build with mask_workbooks: false exits 0", rc == 0 and y2 != y, err)
    try:
        hits, total = 0, 0
        for code in codes:
            wb = openpyxl.load_workbook(f"{out3}/workbooks/{month}/{code}.xlsx")
            for r in rows_of(wb["户表"], 2):
                h = raw.get(r[2])
                if not h or not h["id_number"] or not h["phone"]:
                    continue
                total += 1
                hits += r[3] == h["head_name"] and r[4] == h["id_number"] and r[5] == h["phone"]
        check("mask_workbooks: false shows full names, ID and phone numbers in 户表",
              total > 0 and hits == total, (hits, total))
        full = {h["id_number"] for h in raw.values() if len(h["id_number"]) == 18}
        full |= {h["phone"] for h in raw.values() if len(h["phone"]) == 11}
        pat = re.compile(r"\d{11,18}X?")
        leaks = []
        for d, _, fs in os.walk(out3):
            for fn in fs:
                if fn.endswith((".html", ".json")):
                    with open(os.path.join(d, fn), encoding="utf-8") as f:
                        leaks += [m for m in pat.findall(f.read()) if m in full]
        check("mask_workbooks: false leaves HTML and JSON masked", not leaks, leaks[:3])
    except Exception:
        check("unmasked workbooks read back", False, traceback.format_exc())

    # ---- --branch HB ----
    out4 = f"{tmp}/o4"
    rc, err = build(INPUT, out4, "--branch", "HB")
    files4 = sorted(os.listdir(f"{out4}/workbooks/{month}")) if rc == 0 else []
    check("--branch HB writes summary.xlsx and HB.xlsx only",
          files4 == ["HB.xlsx", "summary.xlsx"], (files4, err))
    stray = []
    for f in files4:
        wb = openpyxl.load_workbook(f"{out4}/workbooks/{month}/{f}")
        stray += [v for _, v in all_strings(wb)
                  if re.match(r"(BH|XJ)\d", v) or v in ("宝华支行", "下蜀支行")]
    check("--branch HB: no village or branch of another branch in any workbook", files4 and
          not stray, stray[:3])

    # ---- a sheet that cannot be written ----
    # libxlsxwriter writes the rows of 户表 to a temporary file and checks none of those
    # writes. Past a file size limit of 600 KiB (every page of the sample is smaller; the 户表
    # rows of a branch are about 1.7 MB) the build must fail, not zip a truncated sheet.
    out5, snap5 = f"{tmp}/o5", f"{tmp}/o5-before"
    shutil.copytree(out1, out5, symlinks=True)
    shutil.copytree(out1, snap5, symlinks=True)

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (600 * 1024, 600 * 1024))

    p = subprocess.run([testlib.CUNDANG, "build", "-q", "-i", INPUT, "-o", out5],
                       capture_output=True, preexec_fn=small_files, timeout=600)
    err5 = p.stderr.decode("utf-8", "replace")
    check("a 户表 that cannot be written exits 3 naming the workbook and the sheet",
          p.returncode == 3 and "BH.xlsx: 户表: cannot write the sheet's temporary file" in err5,
          (p.returncode, err5[-400:]))
    check("... and leaves the previous output as it was", not testlib.tree_diff(snap5, out5),
          testlib.tree_diff(snap5, out5)[:3])

sys.exit(checks.summary())
