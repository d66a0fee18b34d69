#!/usr/bin/python3
"""test_tasks.py — the account managers' work lists of SPEC §8 (managers/<branch>/<key>.html and
tasks/YYYY-MM/<branch>.xlsx) on an archive made here, at a mid-month D, against lists worked out
by hand: who is on which list, in which order, masked, with the keys the README describes; the
workbook read back with openpyxl; --branch isolation, other months kept, hostile names."""
import html
import os
import re
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, manager_key, scratch_dir, tree_files  # noqa: E402

checks = Checks()
check = checks.check

SITE = """bank: 测试银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
  - {code: BH, name: 宝华支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate: {min: 0.95, weight: 1}
"""
EVIL = '<b>王/..\\x"'  # a manager's name with markup, a slash, a backslash and a quote
EVIL_CSV = '"' + EVIL.replace('"', '""') + '"'
HEAD = ("household_id,head_name,id_number,phone,grid,manager,migrant,visited_on,archived_on,"
        "negative_reason,credit_line,granted_on,signed_on\n")
# D = 2026-10-15. What each household is at D, and the lists it is on.
V1 = HEAD + "\n".join([
    # visited, archived, granted by D, signed after it: 待签约; migrant: 外出务工联系
    "H1,赵一,321183197001010117,13912345678,一组,张伟,是,2026-10-14,2026-10-15,,5万,2026-10-15,2026-10-16",
    # visited after D: 待走访 and 待授信
    "H2,钱二,321183196503150481,13800001111,二组,张伟,否,2026-10-16,,,,,",
    # all in September and a loan outstanding at D: used, on no list
    "H3,孙三,321183197808220852,13700002222,一组,李娜,否,2026-09-10,2026-09-11,,2万,2026-09-20,2026-09-25",
    # signed without a loan: 待用信
    "H4,李四,321183198305301225,13600003333,二组,李娜,否,2026-09-01,2026-09-02,,1万,2026-10-01,2026-10-02",
    # negative, visited, not archived: 待建档 only (not 待授信)
    "H5,周五,321183199101181596,13500004444,一组,李娜,否,2026-10-15,,失信被执行人,,,",
]) + "\n"
V2 = HEAD + "\n".join([
    # no manager: 未分配; visited after D: 待走访, 待授信; migrant
    "H6,吴六,321183195907071961,13400005555,三组,,是,2026-10-20,,,,,",
    # used, with loans overdue 95 and 10 days at D: 逾期跟进 (95 days)
    "H7,郑七,321183197001010117,13300006666,三组," + EVIL_CSV
    + ",否,2026-09-01,2026-09-02,,3万,2026-09-03,2026-09-04",
    # visited and archived, no grant: 待授信
    "H8,王八,321183196503150481,13200007777,四组,Zhang,否,2026-09-05,2026-09-06,,,,",
    # visited, not archived: 待建档, 待授信; a name equal to the one above but for case
    "H9,冯九,321183197808220852,13100008888,四组,zhang,否,2026-09-05,,,,,",
]) + "\n"
V3 = HEAD + "H10,陈十,321183198305301225,13000009999,五组,李娜,否,,,,,,\n"
LOANS = ("loan_id,household_id,amount,disbursed_on,settled_on,balance,overdue_days\n"
         "L1,H3,10000,2026-10-10,,8000,0\n"
         "L2,H7,20000,2026-09-10,,20000,95\n"
         "L3,H7,5000,2026-09-12,,5000,10\n"
         "L4,H7,5000,2026-09-12,2026-10-01,0,200\n")  # settled before D: not counted

LISTS = ["visit", "archive", "grant", "sign", "use", "overdue", "migrant"]
LABELS = ["待走访", "待建档", "待授信", "待签约", "待用信", "逾期跟进", "外出务工联系"]
# Worked by hand: branch → manager → list → households, in village then row order.
WANT = {
    "HB": {
        EVIL: {"overdue": ["H7"]},
        "Zhang": {"grant": ["H8"]},
        "zhang": {"archive": ["H9"], "grant": ["H9"]},
        "张伟": {"visit": ["H2"], "grant": ["H2"], "sign": ["H1"], "migrant": ["H1"]},
        "未分配": {"visit": ["H6"], "grant": ["H6"], "migrant": ["H6"]},
        "李娜": {"archive": ["H5"], "use": ["H4"]},
    },
    "BH": {"李娜": {"visit": ["H10"], "grant": ["H10"]}},
}
# The managers in bytewise name order, as the 客户经理 sheet lists them.
ORDER_HB = [EVIL, "Zhang", "zhang", "张伟", "未分配", "李娜"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def page_lists(text):
    """{list key: [household ids]} and {list key: count in the table of contents} of a page."""
    lists, counts = {}, {}
    for key, body in re.findall(r'<section class="panel" id="list-(\w+)">(.*?)</section>', text,
                                re.S):
        lists[key] = re.findall(r'<tr data-id="([^"]*)"', body)
    for key, n in re.findall(r'data-list-count="(\w+)">([0-9,]+)<', text):
        counts[key] = int(n.replace(",", ""))
    return lists, counts


def archive(a, mask=True):
    write(f"{a}/site.yaml", SITE + ("" if mask else "privacy:\n  mask_workbooks: false\n"))
    write(f"{a}/villages/V1/village.md", "---\nname: 一村\nbranch: HB\ngrade: A\n---\n")
    write(f"{a}/villages/V1/households.csv", V1)
    write(f"{a}/villages/V2/village.md", "---\nname: 二村\nbranch: HB\ngrade: B\n---\n")
    write(f"{a}/villages/V2/households.csv", V2)
    write(f"{a}/villages/V3/village.md", "---\nname: 三村\nbranch: BH\ngrade: C\n---\n")
    write(f"{a}/villages/V3/households.csv", V3)
    write(f"{a}/loans/2026.csv", LOANS)


with scratch_dir("tasks") as tmp:
    a = f"{tmp}/in"
    archive(a)
    out = f"{tmp}/out"
    rc, err = build(a, out, "--as-of", "2026-10-15")
    check("build --as-of 2026-10-15 exits 0", rc == 0, err)
    files = set(tree_files(out))

    # ---- the files and their keys ----
    want_pages = {f"managers/{b}/{manager_key(n)}.html" for b in WANT for n in WANT[b]}
    got_pages = {f for f in files if f.startswith("managers/")}
    check("a page per manager of each branch, named by the README's key", got_pages == want_pages,
          (sorted(got_pages), sorted(want_pages)))
    check("the key is m + FNV-1a 64 (the published vector for \"a\"), unassigned for 未分配",
          manager_key("a") == "maf63dc4c8601ec8c" and manager_key("未分配") == "unassigned")
    folded = [f.lower() for f in got_pages]
    check("no two manager pages share a path ignoring case (Zhang and zhang among them)",
          len(set(folded)) == len(folded) == len(want_pages), sorted(got_pages))
    check("tasks workbooks: one per branch",
          {f for f in files if f.startswith("tasks/")} == {"tasks/2026-10/HB.xlsx",
                                                           "tasks/2026-10/BH.xlsx"},
          sorted(f for f in files if f.startswith("tasks/")))

    # ---- each manager's page ----
    all_pages = ""
    for b, managers in WANT.items():
        for name, lists in managers.items():
            rel = f"managers/{b}/{manager_key(name)}.html"
            text = read(f"{out}/{rel}")
            all_pages += text
            got, counts = page_lists(text)
            want = {k: lists.get(k, []) for k in LISTS}
            check(f"{rel} ({name}): each list's households, in order", got == want, (got, want))
            check(f"{rel}: the counts in the table of contents",
                  counts == {k: len(v) for k, v in want.items()}, counts)
            check(f"{rel}: headings say the counts", all(
                f"<h2>{lab}（{len(want[k])} 户）</h2>" in text for k, lab in zip(LISTS, LABELS)))
            check(f"{rel}: names the manager, escaped", f"<h1>{html.escape(name)} "
                  in text, re.findall(r"<h1>.*?</h1>", text))
            check(f"{rel}: links back to its branch page",
                  f'href="../../branches/{b}.html"' in text)
            check(f"{rel}: links to the tasks workbook",
                  f'href="../../tasks/2026-10/{b}.xlsx"' in text)
    zw = read(f"{out}/managers/HB/{manager_key('张伟')}.html")
    check("张伟: H1 masked (赵*, 139****5678), its village linked",
          "<td>赵*</td>" in zw and "139****5678" in zw
          and 'href="../../villages/V1.html">一村</a>' in zw)
    fig = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td><td class=\"num\">"
                     r"([^<]*)</td></tr>", zw)
    check("张伟: own figures beside the branch's (管户 2 of 9, 走访率 50.0% vs 77.8%)",
          fig[:1] == [("管户", "2", "9")] and ("走访率", "50.0%", "77.8%") in fig
          and ("签约率", "0.0%", "75.0%") in fig and ("用信率", "0.0%", "50.0%") in fig, fig)
    sign = re.search(r'id="list-sign">(.*?)</section>', zw, re.S)
    check("待签约 shows each household's grant date",
          sign is not None and "<th>授信日期</th>" in sign.group(1)
          and "<td>2026-10-15</td>" in sign.group(1), sign and sign.group(1)[-400:])
    ev = read(f"{out}/managers/HB/{manager_key(EVIL)}.html")
    over = re.search(r'id="list-overdue">(.*?)</section>', ev, re.S)
    check("逾期跟进 shows the most days overdue of the loans outstanding at D (95, not 200)",
          over is not None and '<td class="num">95</td>' in over.group(1)
          and ">200<" not in over.group(1), over and over.group(1)[-600:])
    check("the hostile name never arrives as markup", "<b>王" not in ev and "&lt;b&gt;王" in ev)
    for raw in ("13912345678", "321183197001010117", "赵一", "钱二"):
        check(f"no page of a manager holds {raw}", raw not in all_pages)

    # ---- the branch page links to every manager ----
    bh = read(f"{out}/branches/HB.html")
    table = re.search(r'id="manager-table">(.*?)</table>', bh, re.S)
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', table.group(1)) if table else []
    check("branch page: the ranking links each manager to its page",
          sorted(links) == sorted((f"../managers/HB/{manager_key(n)}.html",
                                   html.escape(n)) for n in WANT["HB"]), links)
    check("branch page: every link resolves", all(
        os.path.isfile(os.path.normpath(f"{out}/branches/{h}")) for h, _ in links))

    # ---- the tasks workbook ----
    wb = openpyxl.load_workbook(f"{out}/tasks/2026-10/HB.xlsx")
    names = wb.sheetnames
    zkey = manager_key("zhang")
    want_sheets = ["客户经理", '<b>王_.._x"', "Zhang", f"zhang~{zkey}", "张伟", "未分配", "李娜"]
    check("workbook: the managers' sheet, then one per manager (safe names, a case clash keyed)",
          names == want_sheets, names)
    ws = wb["客户经理"]
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    check("客户经理: header", rows and rows[0] == ["客户经理", "工作表", "名单户数", "走访率", "签约率",
                                                  "用信率"] + LABELS, rows[:1])
    body = {r[0]: r for r in rows[1:-1]}
    check("客户经理: one row per manager in name order", [r[0] for r in rows[1:-1]] == ORDER_HB,
          [r[0] for r in rows[1:-1]])
    for name in ORDER_HB:
        r = body.get(name, [None] * 13)
        counts = [len(WANT["HB"][name].get(k, [])) for k in LISTS]
        check(f"客户经理: {name}'s counts", r[6:] == counts and r[1] == want_sheets[
            1 + ORDER_HB.index(name)], (r, counts))
    r = body.get("张伟", [None] * 6)
    check("客户经理: 张伟 manages 2, visit rate 0.5, signing 0, usage 0",
          r[2:6] == [2, 0.5, 0, 0], r)
    total = rows[-1] if rows else []
    check("客户经理: the 合计 row sums with formulas",
          total[:3] == ["合计", None, "=SUM(C4:C9)"] and total[6] == "=SUM(G4:G9)"
          and total[12] == "=SUM(M4:M9)", total)
    wbv = openpyxl.load_workbook(f"{out}/tasks/2026-10/HB.xlsx", data_only=True)
    tv = [c.value for c in list(wbv["客户经理"].iter_rows(min_row=10, max_row=10))[0]]
    check("客户经理: the 合计 row's stored values are the branch's (9 households; lists 2 1 4 1 1 1 2)",
          tv[2] == 9 and tv[6:] == [2, 2, 4, 1, 1, 1, 2] and abs(tv[3] - 7 / 9) < 1e-12, tv)
    zs = wb["张伟"]
    head = [c.value for c in next(zs.iter_rows(min_row=3, max_row=3))]
    check("张伟's sheet: header, a ✓ column per list", head == [
        "村名", "网格", "户号", "户主", "联系电话", "状态", *LABELS, "授信额度", "贷款余额",
        "逾期天数", "走访日期", "建档日期", "授信日期", "签约日期"], head)
    zrows = [list(r) for r in zs.iter_rows(min_row=4, values_only=True)]
    marks = [(r[0], r[1], r[2], [LISTS[i] for i in range(7) if r[6 + i] == 1]) for r in zrows]
    check("张伟's sheet: each household once, ✓ under its lists",
          marks == [("一村", "一组", "H1", ["sign", "migrant"]),
                    ("一村", "二组", "H2", ["visit", "grant"])], marks)
    check("张伟's sheet: the ✓ is a 1 shown as ✓",
          zs.cell(row=4, column=10).number_format == '"✓";;;', zs.cell(row=4, column=10).number_format)
    check("张伟's sheet: masked by default (赵*, 139****5678), 已授信, credit 50000, dates",
          zrows and zrows[0][3] == "赵*" and zrows[0][4] == "139****5678" and zrows[0][5] == "已授信"
          and zrows[0][13] == 50000 and str(zrows[0][18])[:10] == "2026-10-15"
          and str(zrows[0][19])[:10] == "2026-10-16", zrows[:1])
    sub = zs.cell(row=2, column=1).value or ""
    check("张伟's sheet: own figures beside the branch's in the heading",
          "本人：管户 2，走访率 50.0%" in sub and "本支行：管户 9，走访率 77.8%" in sub, sub)
    es = wb['<b>王_.._x"']
    erow = [list(r) for r in es.iter_rows(min_row=4, values_only=True)]
    check("overdue household: ✓ 逾期跟进 only, 95 days, balance 25000",
          erow and erow[0][2] == "H7" and [i for i in range(7) if erow[0][6 + i] == 1] == [5]
          and erow[0][15] == 95 and erow[0][14] == 25000, erow)

    # ---- unmasked workbooks when the bank says so; pages stay masked ----
    b2 = f"{tmp}/in-unmasked"
    archive(b2, mask=False)
    rc, err = build(b2, f"{tmp}/out-unmasked", "--as-of", "2026-10-15")
    check("build with mask_workbooks: false exits 0", rc == 0, err)
    if rc == 0:
        u = openpyxl.load_workbook(f"{tmp}/out-unmasked/tasks/2026-10/HB.xlsx")
        r = [list(x) for x in u["张伟"].iter_rows(min_row=4, max_row=4, values_only=True)][0]
        check("mask_workbooks: false: a list that can be dialled (赵一, 13912345678)",
              r[3:5] == ["赵一", "13912345678"], r)
        p = read(f"{tmp}/out-unmasked/managers/HB/{manager_key('张伟')}.html")
        check("mask_workbooks: false: the page is still masked",
              "13912345678" not in p and "139****5678" in p)

    # ---- --branch isolation and the other months ----
    iso = f"{tmp}/iso"
    rc, err = build(a, iso, "--as-of", "2026-10-15", "--branch", "HB")
    fs = set(tree_files(iso)) if rc == 0 else set()
    check("--branch HB: HB's managers and tasks only",
          rc == 0 and not any(f.startswith(("managers/BH", "tasks/2026-10/BH")) for f in fs)
          and "tasks/2026-10/HB.xlsx" in fs
          and {f for f in fs if f.startswith("managers/")} == {
              f"managers/HB/{manager_key(n)}.html" for n in WANT["HB"]}, sorted(fs))
    seq = f"{tmp}/seq"
    rc1, err1 = build(a, seq, "--month", "2026-09")
    rc2, err2 = build(a, seq, "--as-of", "2026-10-15")
    fs = set(tree_files(seq)) if rc1 == rc2 == 0 else set()
    check("a September build, then October's: September's tasks workbooks are kept",
          {"tasks/2026-09/HB.xlsx", "tasks/2026-09/BH.xlsx", "tasks/2026-10/HB.xlsx"} <= fs,
          (err1, err2, sorted(f for f in fs if f.startswith("tasks/"))))
    check("the same manager keeps the same page from month to month",
          f"managers/HB/{manager_key('张伟')}.html" in fs)

    # ---- many managers, a long list ----
    big = f"{tmp}/many"
    rows = [f"M{i:04d},户{i},,,一组,M000,否,,,,,," for i in range(1005)]
    rows += [f"N{i:04d},户{i},,,一组,M{i:03d},否,,,,,," for i in range(1, 260)]
    write(f"{big}/site.yaml", SITE)
    write(f"{big}/villages/V1/village.md", "---\nname: 一村\nbranch: HB\ngrade: A\n---\n")
    write(f"{big}/villages/V1/households.csv", HEAD + "\n".join(rows) + "\n")
    rc, err = build(big, f"{tmp}/many-out")
    check("260 managers build", rc == 0, err)
    if rc == 0:
        p = read(f"{tmp}/many-out/managers/HB/{manager_key('M000')}.html")
        lists, counts = page_lists(p)
        check("a list longer than the page's 1,000 rows: 1,000 shown, the count says 1,005",
              len(lists.get("visit", [])) == 1000 and counts.get("visit") == 1005
              and "另有 5 户未列出" in p, (len(lists.get("visit", [])), counts))
        w = openpyxl.load_workbook(f"{tmp}/many-out/tasks/2026-10/HB.xlsx", read_only=True)
        names = w.sheetnames
        check("250 managers get a sheet each, the other 10 share 其他客户经理",
              len(names) == 252 and names[1] == "M000" and names[250] == "M249"
              and names[-1] == "其他客户经理", (len(names), names[:2], names[-2:]))
        o = [r for r in w["其他客户经理"].iter_rows(min_row=4, values_only=True)]
        check("其他客户经理: each household with its manager in front",
              [(r[0], r[3]) for r in o] == [(f"M{i:03d}", f"N{i:04d}") for i in range(250, 260)],
              o[:2])
        m0 = [r for r in w["M000"].iter_rows(min_row=4, values_only=True)]
        check("M000's sheet holds all 1,005 households", len(m0) == 1005, len(m0))

sys.exit(checks.summary())
