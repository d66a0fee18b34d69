#!/usr/bin/python3
"""test_charts.py — the charts of a built site: inline SVGs in the pages (well-formed, ids
unique per page, bars matching the indicator document, no network namespaces) and the PNGs
under charts/ (exact set, 2x size, 192 dpi pHYs chunk)."""
import json
import os
import re
import shutil
import struct
import sys
import xml.dom.minidom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, run, scratch_dir  # noqa: E402

checks = Checks()
check = checks.check

# Fill colours of the bars chart (CHART_COLOR_BAR, CHART_COLOR_WARN) as Cairo writes them.
PASS_FILL = "rgb(0%,44.705882%,69.803922%)"
WARN_FILL = "rgb(90.196078%,62.352941%,0%)"


def svgs(page):
    return re.findall(r"<svg\b.*?</svg>", page, re.S)


def parses(svg):
    """Inline SVG carries no namespace declarations; add them back to parse it as XML."""
    doc = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" '
                      'xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
    try:
        xml.dom.minidom.parseString(doc.encode("utf-8"))
        return True
    except Exception as e:  # noqa: BLE001 - any parse error fails the check
        print("    parse error:", e)
        return False


def png_info(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    info, i = {}, 8
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if kind == b"IHDR":
            info["size"] = struct.unpack(">II", body[:8])
        elif kind == b"pHYs":
            info["phys"] = struct.unpack(">IIB", body)
        i += 12 + n
    return info


def bar_counts(svg):
    fills = re.findall(r"fill:(rgb\([^)]*\))", svg)
    # One swatch of each colour is the legend.
    return fills.count(PASS_FILL) - 1, fills.count(WARN_FILL) - 1


with scratch_dir("charts") as tmp:
    out = f"{tmp}/site"
    rc, err = build("input", out)
    check("build exits 0", rc == 0, err)
    m = re.search(r"(\d+) pages, (\d+) charts", err)
    doc = json.loads(run("stats", "--json", "-i", "input")[1])
    branches = [b["code"] for b in doc["branches"]]
    villages = doc["villages"]
    want_png = sorted(["bank-funnel.png", "bank-trend.png", "bank-bars.png"] +
                      [f"{b}-{k}.png" for b in branches for k in ("funnel", "bars")])
    check("charts/ holds exactly the PNGs", sorted(os.listdir(f"{out}/charts")) == want_png,
          str(sorted(os.listdir(f"{out}/charts"))))
    # 3 per dossier, funnel + trend + bars per branch page, 4 on the index, bars per report,
    # PNGs.
    want_charts = 3 * len(villages) + 3 * len(branches) + 4 + (len(branches) + 1) + len(want_png)
    check("summary line counts the charts", m and int(m.group(2)) == want_charts,
          f"{m.group(0) if m else err} vs {want_charts}")

    sizes = {"funnel": (1280, 600), "trend": (1440, 640)}
    for name in want_png:
        info = png_info(f"{out}/charts/{name}") or {}
        kind = name.rsplit("-", 1)[1][:-4]
        ok = info.get("phys") == (7559, 7559, 1)
        if kind in sizes:
            ok = ok and info.get("size") == sizes[kind]
        else:
            ok = ok and info.get("size", (0, 0))[0] == 1440
        check(f"{name}: 2x size and 192 dpi", ok, str(info))

    for v in villages:
        with open(f"{out}/villages/{v['code']}.html", encoding="utf-8") as f:
            page = f.read()
        found = svgs(page)
        kinds = [re.search(r'class="chart chart-(\w+)"', s).group(1) for s in found]
        ids = re.findall(r'\bid="([^"]+)"', page)
        refs = set(re.findall(r'href="#([^"]+)"', page))
        check(f"{v['code']}: funnel, segments and trend inline",
              sorted(kinds) == ["funnel", "segments", "trend"], str(kinds))
        check(f"{v['code']}: SVGs parse, ids unique, references resolve",
              all(parses(s) for s in found) and len(ids) == len(set(ids)) and refs <= set(ids))
        check(f"{v['code']}: no network reference", "http:" not in page and "https:" not in page)

    for b in doc["branches"]:
        with open(f"{out}/branches/{b['code']}.html", encoding="utf-8") as f:
            page = f.read()
        kinds = sorted(re.findall(r'<svg class="chart chart-(\w+)"', page))
        check(f"branch {b['code']}: funnel, trend and village bars inline",
              kinds == ["bars", "funnel", "trend"], str(kinds))
        bars = [s for s in svgs(page) if "chart-bars" in s[:80]]
        rates = [v["usage_rate"] for v in villages if v["branch"] == b["code"]]
        want = (sum(r is not None and r >= 0.30 for r in rates),
                sum(r is not None and r < 0.30 for r in rates))
        got = bar_counts(bars[0]) if bars else None
        check(f"branch {b['code']}: one bar per village, failing ones in the warning colour",
              got == want, f"{got} vs {want}")

    with open(f"{out}/index.html", encoding="utf-8") as f:
        page = f.read()
    kinds = sorted(re.findall(r'<svg class="chart chart-(\w+)"', page))
    check("index: bank funnel, trend, branch bars and segments",
          kinds == ["bars", "funnel", "segments", "trend"], str(kinds))
    bars = [s for s in svgs(page) if "chart-bars" in s[:80]][0]
    rates = [b["usage_rate"] for b in doc["branches"]]
    check("index: one bar per branch",
          bar_counts(bars) == (sum(r is not None and r >= 0.30 for r in rates),
                               sum(r is not None and r < 0.30 for r in rates)))
    for b in ["index"] + branches:
        with open(f"{out}/reports/2026-10/{b}.html", encoding="utf-8") as f:
            page = f.read()
        check(f"report {b}: its bars chart", len(re.findall(r'<svg class="chart chart-bars"', page)) == 1)

    # An archive with nothing granted still draws (the empty state), never crashes.
    shutil.copytree("tests/regress/small/input", f"{tmp}/empty")
    for d in os.listdir(f"{tmp}/empty/villages"):
        with open(f"{tmp}/empty/villages/{d}/households.csv", "w", encoding="utf-8") as f:
            f.write("household_id,head_name,id_number\n")
    shutil.rmtree(f"{tmp}/empty/loans")
    rc, err = build(f"{tmp}/empty", f"{tmp}/e")
    with open(f"{tmp}/e/index.html", encoding="utf-8") as f:
        page = f.read()
    check("an empty archive builds with empty-state charts",
          rc == 0 and page.count("<svg") == 4, err)

sys.exit(checks.summary())
