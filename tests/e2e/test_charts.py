#!/usr/bin/python3
"""test_charts.py — the charts of a built site: inline SVGs in the pages (well-formed, ids
unique per page, each a wide and a narrow drawing, no drawn title, bars and scores matching
the indicator document in the cards' green and red, thresholds in a grey no series has, no
network namespaces) and the PNGs under charts/ (exact set, 2x size, 192 dpi pHYs chunk)."""
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



def cairo_rgb(hexcolour):
    """0xRRGGBB as a page's SVG writes it: Cairo's rgb(9.019608%,43.921569%,22.745098%) as
    chart_out.c shortens it, #17703a."""
    return "#" + hexcolour.lower()


# src/render/chart/chart.h: pass and fail are the cards' --met and --unmet
# (templates/style.mustache); thresholds CHART_COLOR_RULE; the five trend series.
PASS_FILL = cairo_rgb("17703A")
FAIL_FILL = cairo_rgb("B42318")
RULE = cairo_rgb("6B7684")
SERIES = [cairo_rgb(c) for c in ("0072B2", "E69F00", "56B4E9", "CC79A7", "5D3A9B")]
# The wide layouts' heights without the PNG's title band (an SVG draws no title).
SVG_VIEWBOX = {"funnel": "0 0 640 268", "trend": "0 0 720 292", "segments": "0 0 480 236"}
NARROW_W = 300
DOSSIER_MAX = 330 * 1024  # the sample's largest (415 households) is 319 KB


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
    fills = re.findall(r"fill:(#[0-9a-f]{6})", svg)
    # One swatch of each colour is the legend.
    return fills.count(PASS_FILL) - 1, fills.count(FAIL_FILL) - 1


def pairs(page):
    """{kind: [wide svg, narrow svg]} of a page; a kind drawn otherwise than as one pair is
    reported by the caller."""
    got = {}
    for svg in svgs(page):
        m = re.match(r'<svg class="chart chart-(\w+) chart-(wide|narrow)"', svg)
        got.setdefault(m.group(1) if m else "?", []).append((m.group(2) if m else "?", svg))
    return got


def check_pairs(where, page, want_kinds):
    """Each chart of the page is a wide then a narrow drawing (CHART_NARROW_W wide), the wide
    one holding the glyph outlines both use; no drawn title (the wide one is its layout's
    height less the title band); thresholds in the grey no series has."""
    got = pairs(page)
    check(f"{where}: charts {'/'.join(want_kinds)}, each a wide and a narrow drawing",
          sorted(got) == sorted(want_kinds)
          and all([v for v, _ in got[k]] == ["wide", "narrow"] for k in got), str(
              {k: [v for v, _ in x] for k, x in got.items()}))
    bad = []
    for kind, ((_, wide), (_, narrow)) in ((k, x) for k, x in got.items() if len(x) == 2):
        vb = re.search(r'viewBox="([^"]+)"', narrow).group(1)
        if not vb.startswith(f"0 0 {NARROW_W} ") or "<defs>" in narrow or "<defs>" not in wide:
            bad.append((kind, "narrow", vb))
        if kind in SVG_VIEWBOX and f'viewBox="{SVG_VIEWBOX[kind]}"' not in wide[:200]:
            bad.append((kind, "wide", re.search(r'viewBox="([^"]+)"', wide).group(1)))
        for svg in (wide, narrow):
            if kind in ("trend", "bars", "scores") and f"stroke:{RULE}" not in svg:
                bad.append((kind, "no threshold"))
            if "stroke:#000000" in svg or "rgb(" in svg:
                bad.append((kind, "a black line"))
    check(f"{where}: narrow drawings 300 wide using the wide one's outlines, no title band, "
          "grey thresholds, no black line", not bad, bad)
    return got


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
    # 3 per dossier, funnel + trend + bars + scores per branch page, 5 on the index, bars and
    # scores per report, PNGs.
    want_charts = (3 * len(villages) + 4 * len(branches) + 5 + 2 * (len(branches) + 1) +
                   len(want_png))
    check("summary line counts the charts", m and int(m.group(2)) == want_charts,
          f"{m.group(0) if m else err} vs {want_charts}")
    check("no trend series has the thresholds' grey, green or red",
          not {RULE, PASS_FILL, FAIL_FILL} & set(SERIES))

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
        ids = re.findall(r'\bid="([^"]+)"', page)
        refs = set(re.findall(r'href="#([^"]+)"', page))
        check_pairs(v["code"], page, ["funnel", "segments", "trend"])
        check(f"{v['code']}: SVGs parse, ids unique, references resolve",
              all(parses(s) for s in found) and len(ids) == len(set(ids)) and refs <= set(ids))
        check(f"{v['code']}: no network reference", "http:" not in page and "https:" not in page)
        check(f"{v['code']}: the dossier is under {DOSSIER_MAX // 1024} KB",
              len(page.encode("utf-8")) < DOSSIER_MAX, len(page.encode("utf-8")))

    def score_counts(vs):
        return (sum(x["verdict"] == "pass" for x in vs), sum(x["verdict"] == "fail" for x in vs))

    for b in doc["branches"]:
        with open(f"{out}/branches/{b['code']}.html", encoding="utf-8") as f:
            page = f.read()
        got = check_pairs(f"branch {b['code']}", page, ["bars", "funnel", "scores", "trend"])
        vs = [v for v in villages if v["branch"] == b["code"]]
        rates = [v["usage_rate"] for v in vs if v["verdict"] != "not_started"]
        want = (sum(r is not None and r >= 0.30 for r in rates),
                sum(r is not None and r < 0.30 for r in rates))
        for variant in (0, 1):
            bars = got.get("bars", [None, None])[variant]
            scores = got.get("scores", [None, None])[variant]
            name = ("wide", "narrow")[variant]
            check(f"branch {b['code']} ({name}): one bar per village, failing ones red, "
                  "passing ones green", bars and bar_counts(bars[1]) == want,
                  f"{bar_counts(bars[1]) if bars else None} vs {want}")
            check(f"branch {b['code']} ({name}): a score bar per started village, coloured "
                  "by its verdict", scores and bar_counts(scores[1]) == score_counts(vs),
                  f"{bar_counts(scores[1]) if scores else None} vs {score_counts(vs)}")
        aria = re.search(r'<svg class="chart chart-scores chart-wide"[^>]*aria-label="([^"]*)"',
                         page)
        check(f"branch {b['code']}: the scores chart is labelled and sits in the villages panel",
              aria and aria.group(1) == "各村验收得分"
              and page.index('id="villages"') < page.index("chart-scores chart-wide")
              < page.index('id="village-table"'), aria and aria.group(1))

    with open(f"{out}/index.html", encoding="utf-8") as f:
        page = f.read()
    got = check_pairs("index", page, ["bars", "funnel", "scores", "segments", "trend"])
    rates = [b["usage_rate"] for b in doc["branches"]]
    check("index: one bar per branch",
          bar_counts(got["bars"][0][1]) == (sum(r is not None and r >= 0.30 for r in rates),
                                            sum(r is not None and r < 0.30 for r in rates)))
    check("index: a score bar per started village of the bank, coloured by its verdict",
          bar_counts(got["scores"][0][1]) == score_counts(villages),
          f"{bar_counts(got['scores'][0][1])} vs {score_counts(villages)}")
    for b in ["index"] + branches:
        with open(f"{out}/reports/2026-10/{b}.html", encoding="utf-8") as f:
            page = f.read()
        check_pairs(f"report {b}", page, ["bars", "scores"])

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
          rc == 0 and page.count("<svg") == 2 * 5, err)

sys.exit(checks.summary())
