#!/usr/bin/python3
"""test_letters.py — `cundang letters` (SPEC §2, §8) read back with poppler's pdftotext, pdfinfo
and pdffonts: pages per village, each page's name, id, amounts and dates, A4, embedded fonts,
same bytes twice, selection, and never a letter inside a site output."""
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import ROOT, Checks, build, run, scratch_dir, tree_files  # noqa: E402

# cairo 1.16 leaks two small arrays per font subset inside cairo_surface_finish (tests/lsan.supp
# names that call); the system library has no frame pointers, so the suppression can only see
# the call with the slow unwinder.
os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":fast_unwind_on_malloc=0"

checks = Checks()
check = checks.check

# The hand-made archive (tests/e2e/small.worked.md), wherever the tree keeps it.
SMALL = next(p for p in (os.path.join(ROOT, "tests/regress/small/input"),
                         os.path.join(ROOT, "tests/e2e/small")) if os.path.isdir(p))


def tool(*args):
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def page_text(pdf, k):
    return tool("pdftotext", "-f", str(k), "-l", str(k), "-enc", "UTF-8", pdf, "-")[1]


def info(pdf):
    rc, out = tool("pdfinfo", pdf)
    return dict(re.findall(r"^([^:]+):\s*(.*)$", out, re.M)) if rc == 0 else {}


# A1's households granted by 2026-10-31, in file order (worked out from its households.csv):
# id, name, figures, capital numerals, granted_on, manager.
A1 = [
    ("A1-01", "赵大山", "¥30,000.00", "叁万元整", (2026, 4, 10), "张伟"),
    ("A1-02", "钱二妹", "¥50,000.00", "伍万元整", (2026, 4, 10), "张伟"),
    ("A1-03", "孙三", "¥12,345.60", "壹万贰仟叁佰肆拾伍元陆角", (2026, 4, 15), "张伟"),
    ("A1-04", "李四", "¥8,000.00", "捌仟元整", (2026, 4, 15), "李娜"),
    ("A1-05", "周五", "¥35,000.00", "叁万伍仟元整", (2026, 5, 6), "李娜"),
    ("A1-06", "吴六", "¥100,000.00", "壹拾万元整", (2026, 5, 20), "李娜"),
    ("A1-07", "郑七", "¥200,000.00", "贰拾万元整", (2026, 8, 1), "张伟"),
    ("A1-08", "王八", "¥20,000.00", "贰万元整", (2026, 10, 31), "李娜"),
]


def broken_glyphs(pdf):
    """Glyphs of the PDF's embedded CFF fonts that fontTools cannot draw: cairo 1.16's own
    subset of Noto Sans CJK blanks the subroutines of some (如), whose outlines then end short
    and print as nothing (a space has no outline and is no failure)."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.boundsPen import BoundsPen
    data = open(pdf, "rb").read()
    bad = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            s = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        if s[:3] != b"\x01\x00\x04":
            continue
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(s), None)
        for name in cff.fontNames:
            cs = cff[name].CharStrings
            for g in cs.keys():
                pen = BoundsPen(None)
                try:
                    cs[g].draw(pen)
                except Exception as e:  # a blanked subroutine leaves the stack short
                    bad.append(f"{name}/{g}: {type(e).__name__}")
                    continue
    return bad


def cn(y, m, d):
    return f"{y}年{m}月{d}日"


with scratch_dir("letters") as tmp:
    # A copy of the small archive whose site.yaml gives letters their options and HB its
    # address and phone.
    arch = f"{tmp}/small"
    shutil.copytree(SMALL, arch)
    with open(f"{arch}/site.yaml", encoding="utf-8") as f:
        site = f.read()
    site = site.replace("{code: HB, name: 后白支行, target_granted: 20}",
                        "{code: HB, name: 后白支行, target_granted: 20, address: 句容市后白镇建设路8号, "
                        "phone: 0511-87650001}")
    site += "letters:\n  valid_years: 2\n  hotline: 96008\n"
    with open(f"{arch}/site.yaml", "w", encoding="utf-8") as f:
        f.write(site)

    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/L")
    check("letters exits 0", rc == 0, err)
    check("summary line", "29 letters in 4 PDFs" in err, err)
    check("one PDF per village with a grant", tree_files(f"{tmp}/L") ==
          ["A1.pdf", "A2.pdf", "B1.pdf", "B2.pdf"], tree_files(f"{tmp}/L"))
    rc, out, _ = run("stats", "--json", "-i", arch)
    doc = json.loads(out) if rc == 0 else {"villages": []}
    for v in doc["villages"]:
        pdf = f"{tmp}/L/{v['code']}.pdf"
        i = info(pdf)
        check(f"{v['code']}: pages = households granted by D ({v['granted']})",
              i.get("Pages") == str(v["granted"]), i.get("Pages"))
        check(f"{v['code']}: A4", i.get("Page size") == "595.276 x 841.89 pts (A4)",
              i.get("Page size"))
        check(f"{v['code']}: dates are D", i.get("CreationDate", "").startswith("Sat Oct 31 00:00:00 2026")
              and i.get("ModDate") == i.get("CreationDate"), i)
        rc, fonts = tool("pdffonts", pdf)
        rows = fonts.splitlines()[2:]
        # CID-keyed CFF subsets with a ToUnicode map; cairo names its re-encoding of the Noto
        # outlines CairoFont-n-m (README "Letters": why not its direct subset).
        check(f"{v['code']}: the fonts are embedded CID CFF subsets with ToUnicode",
              rc == 0 and rows and all(re.match(r"[A-Z]{6}\+CairoFont-\d+-\d+\s+CID Type 0C", r)
                                       and re.search(r"\byes\s+yes\s+yes\b", r) for r in rows),
              fonts)
        bad = broken_glyphs(pdf)
        check(f"{v['code']}: every glyph of every embedded font has its outline", not bad, bad)

    pdf = f"{tmp}/L/A1.pdf"
    for k, (hid, name, fig, cap, (y, m, d), mgr) in enumerate(A1, 1):
        t = page_text(pdf, k)
        flat = re.sub(r"\s+", "", t)
        want = [f"尊敬的{name}户主（户号：{hid}）",
                f"授信额度{fig}", f"大写金额人民币{cap}", f"（大写：人民币{cap}）",
                f"授信日期{cn(y, m, d)}", f"有效期至{cn(y + 2, m, d)}", f"客户经理{mgr}",
                "测试农村商业银行后白支行", "后白支行地址：句容市后白镇建设路8号",
                "联系电话：0511-87650001", "服务热线：96008", "如何用信", "（盖章处）",
                "2026年10月31日", "所在村后白村（后白镇）"]
        missing = [w for w in want if w not in flat]
        check(f"A1 page {k} ({hid}): name, id, amounts, dates, manager, contacts", not missing,
              missing)
    # A village of another branch has none of HB's contacts; the hotline is the bank's.
    t = re.sub(r"\s+", "", page_text(f"{tmp}/L/B1.pdf", 1))
    check("B1 (宝华支行): no address or phone given, hotline printed",
          "宝华支行" in t and "地址" not in t and "联系电话" not in t and "服务热线：96008" in t, t)

    # 如 printed blank in a name with cairo 1.16's own subset of Noto Sans CJK.
    ru = f"{tmp}/ru"
    shutil.copytree(SMALL, ru)
    hh = f"{ru}/villages/A1/households.csv"
    text = open(hh, encoding="utf-8").read()
    open(hh, "w", encoding="utf-8").write(text.replace("赵大山", "王如意"))
    rc, _, err = run("letters", "-i", ru, "-o", f"{tmp}/RU", "--village", "A1")
    t = re.sub(r"\s+", "", page_text(f"{tmp}/RU/A1.pdf", 1)) if rc == 0 else ""
    check("王如意: the name is in the text", "尊敬的王如意户主" in t, (err, t[:80]))
    bad = broken_glyphs(f"{tmp}/RU/A1.pdf") if rc == 0 else ["no PDF"]
    check("王如意: every glyph, 如 included, has its outline", not bad, bad)

    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/L2")
    same = rc == 0 and all(open(f"{tmp}/L/{n}", "rb").read() == open(f"{tmp}/L2/{n}", "rb").read()
                           for n in tree_files(f"{tmp}/L"))
    check("the same archive and D give the same bytes", same, err)

    # D decides who gets a letter: at 2026-09-30 A1-08 (granted 10-31) and B2 (granted in
    # October) have none; valid_years defaults to 3 without letters: in site.yaml.
    rc, _, err = run("letters", "-i", SMALL, "-o", f"{tmp}/S", "--month", "2026-09")
    check("--month 2026-09: no B2.pdf", rc == 0 and "B2.pdf" not in tree_files(f"{tmp}/S"),
          (err, tree_files(f"{tmp}/S")))
    i = info(f"{tmp}/S/A1.pdf")
    check("--month 2026-09: A1 has 7 pages, dated 2026-09-30",
          i.get("Pages") == "7" and i.get("CreationDate", "").startswith("Wed Sep 30 00:00:00 2026"), i)
    t = re.sub(r"\s+", "", page_text(f"{tmp}/S/A1.pdf", 1))
    check("default valid_years is 3; no contacts without them",
          "有效期至2029年4月10日" in t and "联系方式" not in t and "2026年9月30日" in t, t)

    # Selection.
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/B", "--branch", "BH")
    check("--branch BH: only its villages", rc == 0 and tree_files(f"{tmp}/B") == ["B1.pdf", "B2.pdf"],
          (err, tree_files(f"{tmp}/B")))
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/V", "--village", "A2", "--village", "B1")
    check("--village A2 --village B1", rc == 0 and tree_files(f"{tmp}/V") == ["A2.pdf", "B1.pdf"],
          (err, tree_files(f"{tmp}/V")))
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/X", "--village", "ZZ")
    check("unknown --village is exit 2", rc == 2 and "--village ZZ" in err and
          not os.path.exists(f"{tmp}/X"), err)
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/X", "--village", "A1", "--branch", "BH")
    check("--village outside --branch is exit 2", rc == 2 and "HB" in err, err)
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/X", "--branch", "NOPE")
    check("unknown --branch is exit 2", rc == 2, err)

    # Private by construction: never into a site output, and nothing of letters in a site.
    rc, err = build(arch, f"{tmp}/site")
    check("build exits 0", rc == 0, err)
    before = tree_files(f"{tmp}/site")
    check("the site holds no PDF", not [p for p in before if p.endswith(".pdf")])
    for o in ("site", "site/letters", "site/villages/new/deeper", "site/."):
        rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/{o}")
        check(f"-o {o} (in a site output) is exit 2", rc == 2 and "site output" in err, err)
    check("the site is untouched", tree_files(f"{tmp}/site", dirs=True) ==
          tree_files(f"{tmp}/site", dirs=True) and tree_files(f"{tmp}/site") == before)
    os.symlink(f"{tmp}/site", f"{tmp}/link")
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/link/x")
    check("-o through a symbolic link into a site is exit 2", rc == 2, err)
    rc, _, err = run("letters", "-i", arch, "-o", f"{tmp}/deep/er/L")
    check("missing parents of -o are created", rc == 0 and len(tree_files(f"{tmp}/deep/er/L")) == 4, err)

sys.exit(checks.summary())
