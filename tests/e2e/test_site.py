#!/usr/bin/python3
"""test_site.py — end-to-end checks of the static site written by `cundang build`
(SPEC §2, §6, §7 and the markup contract of templates/README.md).

Runs from the repository root (standard library only; CUNDANG defaults to ./cundang):
  1. build input/ and compare the exact set of files (plus charts/ and workbooks/);
  2. every dossier shows its village's figures exactly as the indicator document has them;
  3. navigation: branch pages list their villages, index links everything, no dead link;
  4. nothing is loaded from outside the site, dossiers are self-contained;
  5. privacy: no full name, ID or phone number of a household anywhere; masked forms shown;
  6. the hostile archive tests/regress/hostile/input/ comes out inert;
  7. failed builds leave the previous output byte-identical;
  8. --branch HB shows nothing of another branch;
  9. determinism (two runs, -j 1 vs -j 2);
 10. the branch acceptance report;
 11. quality.html lists every finding.
Prints "ok   name" / "FAIL name: detail" per check; the last line is "N passed, N failed";
the exit status is 1 when anything failed.
"""
import json
import os
import re
import shutil
import sys
import traceback
import urllib.parse
from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import AMOUNTS, COUNTS, RATES, ROOT, Checks, run, run_json, scratch_dir  # noqa: E402
from testlib import context, key_persons, read_households, village_md  # noqa: E402
from testlib import manager_files, tree_diff, tree_files  # noqa: E402

INPUT = "input"
SMALL = os.path.join("tests", "regress", "small", "input")
HOSTILE = os.path.join("tests", "regress", "hostile", "input")
DETERMINISTIC = (".html", ".svg", ".json")   # SPEC §7: byte-identical HTML, SVG and JSON

checks = Checks(detail_limit=3000)
check, problems_check = checks.check, checks.problems_check


def guarded(name, fn, *args):
    """Runs a group of checks; an unexpected exception is one failure, not a crash."""
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001 — report and go on with the other groups
        tb = traceback.extract_tb(e.__traceback__)[-1]
        check(name, False, f"{type(e).__name__}: {e} (line {tb.lineno})")


# ---------------------------------------------------------------------------------------
# A small DOM on top of html.parser.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, pred):
        return [n for n in self.iter() if n is not self and pred(n)]

    def text(self, skip=()):
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag not in skip:
                    out.append(c.text(skip))
            else:
                out.append(c)
        return "".join(out)

    def norm_text(self):
        return " ".join(self.text().split())

    def classes(self):
        return (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path = path
        with open(path, "rb") as f:
            self.raw = f.read().decode("utf-8")
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.tags = []          # every start tag: (tag, [(attr, value)])
        self.feed(self.raw)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        n = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)

    def all(self, tag=None, **attrs):
        """Elements by tag and attribute values (True: attribute present)."""
        def pred(n):
            if tag and n.tag != tag:
                return False
            for k, v in attrs.items():
                k = k.replace("_", "-")
                if v is True:
                    if k not in n.attrs:
                        return False
                elif n.attrs.get(k) != v:
                    return False
            return True
        return self.root.find_all(pred)

    def title(self):
        t = self.all("title")
        return t[0].norm_text() if t else ""

    def text(self):
        if not hasattr(self, "_text"):
            # What a reader sees: the text outside <script> and <style>.
            self._text = " ".join(self.root.text(("script", "style")).split())
        return self._text

    def url_attrs(self):
        """(tag, attribute, value) of every URL-bearing attribute."""
        out = []
        for tag, attrs in self.tags:
            for k, v in attrs:
                if v is None:
                    continue
                if k in ("href", "src", "xlink:href", "action", "formaction", "poster",
                         "data", "background", "srcset", "ping", "manifest", "cite"):
                    out.append((tag, k, v))
        return out

    def css_urls(self):
        """URLs in url(...) and @import of style elements and style attributes."""
        css = [n.text() for n in self.all("style")]
        css += [a for _, attrs in self.tags for k, a in attrs if k == "style" and a]
        out = []
        for c in css:
            out += [m.strip().strip("'\"") for m in re.findall(r"url\(\s*([^)]*)\)", c, re.I)]
            out += re.findall(r"@import\s+['\"]?([^'\";\s]+)", c, re.I)
        return out


_pages = {}


def page(path):
    if path not in _pages:
        _pages[path] = Page(path)
    return _pages[path]


# ---------------------------------------------------------------------------------------
# Helpers.

def snapshot(root):
    snap = {}
    for d, dirs, files in os.walk(root):
        for f in dirs + files:
            p = os.path.join(d, f)
            st = os.lstat(p)
            data = None
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as fh:
                    data = fh.read()
            snap[os.path.relpath(p, root)] = (st.st_mode, st.st_mtime_ns, data)
    st = os.lstat(root)
    snap["."] = (st.st_mode, st.st_mtime_ns, None)
    return snap


def snapshot_diff(a, b):
    out = []
    for k in sorted(set(a) | set(b)):
        if k not in a:
            out.append(f"new {k}")
        elif k not in b:
            out.append(f"gone {k}")
        elif a[k] != b[k]:
            what = "bytes" if a[k][2] != b[k][2] else "mtime/mode"
            out.append(f"changed {k} ({what})")
    return out


def html_files(root):
    return [f for f in tree_files(root) if f.endswith(".html")]


def pct_forms(v):
    """Accepted one-decimal percentage texts of a rate (ties may round either way)."""
    if v is None:
        return {"—"}
    d = Decimal(repr(v)) * 100
    return {str(d.quantize(Decimal("0.1"), ROUND_HALF_UP)) + "%",
            str(d.quantize(Decimal("0.1"), ROUND_HALF_EVEN)) + "%",
            "%.1f%%" % (v * 100)}


def change_forms(before, now):
    """Accepted texts of a rate's change since the month before in a trend table: "" when a
    month is null (or there is no month before), 持平 when it rounds to 0.0 points, else
    ▲2.3 / ▼0.4 (ties may round either way)."""
    if before is None or now is None:
        return {""}
    d = (Decimal(repr(now)) - Decimal(repr(before))) * 100
    forms = set()
    for q in (d.quantize(Decimal("0.1"), ROUND_HALF_UP),
              d.quantize(Decimal("0.1"), ROUND_HALF_EVEN)):
        forms.add("持平" if q == 0 else ("▲" if q > 0 else "▼") + str(abs(q)))
    return forms


def count_form(n):
    return f"{n:,}"


def amount_form(x):
    q = Decimal(repr(x)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"¥{q:,.2f}"


def score_form(s):
    return "" if s is None else "%.2f" % s


def resolve(page_rel, url):
    """Resolves a relative URL of the page page_rel to a site-relative path, or None for
    fragment-only, empty and scheme URLs."""
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith("//"):
        return None
    path = urllib.parse.unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    return os.path.normpath(os.path.join(os.path.dirname(page_rel), path)).replace(os.sep, "/")


def is_external(url):
    u = re.sub(r"[\x00-\x20]", "", url).lower()
    return u.startswith(("http:", "https:", "//", "ftp:", "\\\\", "/\\", "\\/"))


def is_dangerous(url):
    u = re.sub(r"[\x00-\x20]", "", urllib.parse.unquote(url)).lower()
    return u.startswith(("javascript:", "vbscript:", "data:text/html", "livescript:"))


def mask_name(n):
    return n[:1] + "*" * (len(n) - 1)


def mask_id(s):
    return s[:6] + "*" * 8 + s[-4:]


def mask_phone(s):
    return s[:3] + "****" + s[-4:]


def rows_of(p):
    """Table rows and list items of a page, in document order."""
    return p.all("tr") + p.all("li")


# ---------------------------------------------------------------------------------------
# 1. The set of files.

def t_files(out, parent, doc):
    m = doc["month"]
    want = {"index.html", "quality.html", "villages.html", "guide.html",
            f"data/indicators-{m}.json",
            f"data/findings-{m}.csv",
            f"reports/{m}/index.html", ".cundang"}
    want |= {f"branches/{b['code']}.html" for b in doc["branches"]}
    want |= {f"reports/{m}/{b['code']}.html" for b in doc["branches"]}
    want |= {f"villages/{v['code']}.html" for v in doc["villages"]}
    want |= manager_files(os.path.join(ROOT, "input"), doc)
    files = tree_files(out)
    core = {f for f in files if not f.startswith(("charts/", "workbooks/"))}
    check("site: exactly the pages of SPEC §7 and §8 (besides charts/ and workbooks/)", core == want,
          f"missing {sorted(want - core)}, unexpected {sorted(core - want)}")
    dots = [e for e in tree_files(out, dirs=True) if any(p.startswith(".") for p in e.split("/"))]
    check("site: no dotfiles in the output but the .cundang marker", dots == [".cundang"], dots)
    with open(os.path.join(out, ".cundang"), encoding="utf-8") as f:
        marker = f.read().splitlines()
    check("site: the marker says what the folder is and that this month covers every branch",
          len(marker) == 2 and marker[0].startswith("cundang output:") and marker[1] == f"{m} *",
          marker)
    beside = sorted(os.listdir(parent))
    check("site: no staging leftovers beside the output, only its lock file",
          beside == [".out.lock", "out"], beside)


# ---------------------------------------------------------------------------------------
# 2. Dossier figures.

def cards_problems(p, fig, where):
    probs = []
    cards = [n for n in p.all(data_key=True) if "card" in n.classes()]
    for key in RATES:
        found = [n for n in cards if n.attrs["data-key"] == key]
        if not found:
            probs.append(f"{where}: no card data-key={key}")
            continue
        want = fig[key]
        for n in found:
            raw = n.attrs.get("data-value")
            if want is None:
                if raw != "":
                    probs.append(f"{where} {key}: data-value={raw!r}, want '' (null)")
            else:
                try:
                    okv = raw is not None and abs(float(raw) - want) <= 1e-9
                except ValueError:
                    okv = False
                if not okv:
                    probs.append(f"{where} {key}: data-value={raw!r}, want {want!r}")
            vals = [c.norm_text() for c in n.iter() if "card-value" in c.classes()]
            if len(vals) != 1 or vals[0] not in pct_forms(want):
                probs.append(f"{where} {key}: card-value {vals}, want {sorted(pct_forms(want))[0]}")
    return probs


def counts_problems(p, fig, where, keys=COUNTS, require=True):
    probs = []
    dds = p.all("dd", data_key=True)
    for key in keys:
        found = [n for n in dds if n.attrs["data-key"] == key]
        if not found:
            if require:
                probs.append(f"{where}: no <dd data-key={key}>")
            continue
        want = count_form(fig[key])
        for n in found:
            if n.norm_text() != want:
                probs.append(f"{where} {key}: {n.norm_text()!r}, want {want!r}")
    return probs


def amounts_problems(p, fig, where):
    probs = []
    dds = p.all("dd", data_key=True)
    for key in AMOUNTS:
        for n in [n for n in dds if n.attrs["data-key"] == key]:
            want = amount_form(fig[key])
            if n.norm_text() != want:
                probs.append(f"{where} {key}: {n.norm_text()!r}, want {want!r}")
    return probs


def t_dossier(out, doc, households):
    cards, counts, amounts, verdicts, scores, rows = [], [], [], [], [], []
    kept = {}
    for h in households:
        if h["kept"]:
            kept.setdefault(h["village"], []).append(h["household_id"])
    for v in doc["villages"]:
        where = f"villages/{v['code']}.html"
        p = page(os.path.join(out, where))
        cards += cards_problems(p, v, where)
        counts += counts_problems(p, v, where)
        amounts += amounts_problems(p, v, where)
        vs = [n for n in p.all("span", data_verdict=True) if "verdict" in n.classes()]
        if not vs:
            verdicts.append(f"{where}: no <span class=verdict data-verdict>")
        for n in vs:
            if n.attrs["data-verdict"] != v["verdict"]:
                verdicts.append(f"{where}: data-verdict={n.attrs['data-verdict']!r}, "
                                f"want {v['verdict']!r}")
        ss = [n for n in p.all("span", data_score=True) if "score" in n.classes()]
        if not ss:
            scores.append(f"{where}: no <span class=score data-score>")
        for n in ss:
            if n.attrs["data-score"] != score_form(v["score"]) and not (
                    v["score"] is None and n.attrs["data-score"] == "—"):
                scores.append(f"{where}: data-score={n.attrs['data-score']!r}, "
                              f"want {score_form(v['score'])!r}")
            if v["score"] is None and n.norm_text() not in ("", "—"):
                scores.append(f"{where}: not_started score shows {n.norm_text()!r}")
        tables = p.all("table", id="households")
        if len(tables) != 1:
            rows.append(f"{where}: {len(tables)} tables id=households")
            continue
        ids = [n.attrs["data-id"] for n in tables[0].find_all(
            lambda n: n.tag == "tr" and "data-id" in n.attrs)]
        if len(ids) != v["listed"]:
            rows.append(f"{where}: {len(ids)} household rows, listed {v['listed']}")
        want = kept.get(v["code"], [])
        if sorted(ids) != sorted(want):
            rows.append(f"{where}: data-id set differs from the kept rows of households.csv "
                        f"(missing {sorted(set(want) - set(ids))[:3]}, "
                        f"extra {sorted(set(ids) - set(want))[:3]})")
    problems_check("dossier: rate cards (data-value and card-value) match the document", cards)
    problems_check("dossier: counts (<dd data-key>) match the document", counts)
    problems_check("dossier: amounts shown match the document", amounts)
    problems_check("dossier: verdict span matches the document", verdicts)
    problems_check("dossier: score span matches the document (two decimals)", scores)
    problems_check("dossier: household table has one row per kept household", rows)


def t_summary_figures(out, doc):
    probs = []
    p = page(os.path.join(out, "index.html"))
    probs += cards_problems(p, doc["bank"], "index.html")
    probs += counts_problems(p, doc["bank"], "index.html", require=False)
    probs += amounts_problems(p, doc["bank"], "index.html")
    for b in doc["branches"]:
        where = f"branches/{b['code']}.html"
        p = page(os.path.join(out, where))
        probs += cards_problems(p, b, where)
        probs += counts_problems(p, b, where, require=False)
        probs += amounts_problems(p, b, where)
    problems_check("index and branch pages: cards, counts and amounts match the document", probs)


TREND_COUNTS = ["visited", "archived", "granted", "signed", "used"]
TREND_RATES = ["visit_rate", "archive_rate", "credit_coverage", "signing_rate", "usage_rate"]


def trend_table_problems(p, want, where):
    """The 12 rows of the page's trend table against want (TREND points of SPEC §6)."""
    tables = [t for t in p.all("table") if "trend" in t.classes()]
    if len(tables) != 1:
        return [f"{where}: {len(tables)} trend tables, want 1"]
    rows = [r for r in tables[0].find_all(lambda n: n.tag == "tr")
            if r.find_all(lambda n: n.tag == "td")]
    if len(rows) != len(want):
        return [f"{where}: {len(rows)} trend rows, want {len(want)}"]
    probs = []
    for i, (r, w) in enumerate(zip(rows, want)):
        cells = [c.norm_text() for c in r.find_all(lambda n: n.tag == "td")]
        # Each rate with its change since the row above (none in the first row).
        expect = [[w["month"]]] + [[count_form(w[k])] for k in TREND_COUNTS] + \
            [sorted(p + c for p in pct_forms(w[k])
                    for c in change_forms(want[i - 1][k] if i else None, w[k]))
             for k in TREND_RATES]
        if len(cells) != len(expect) or any(c not in e for c, e in zip(cells, expect)):
            probs.append(f"{where} {w['month']}: {cells}, want {expect}")
    return probs


def branch_trend(doc, code):
    """A branch's 12 months worked out here from its villages' trends: counts summed, rates
    from the sums (households_total and eligible do not change from month to month)."""
    vs = [v for v in doc["villages"] if v["branch"] == code]
    b = next(b for b in doc["branches"] if b["code"] == code)
    out = []
    for s, point in enumerate(doc["trend"]):
        t = {"month": point["month"]}
        for k in TREND_COUNTS:
            t[k] = sum(v["trend"][s][k] for v in vs)

        def ratio(a, d):
            return None if d == 0 else a / d
        t["visit_rate"] = ratio(t["visited"], b["households_total"])
        t["archive_rate"] = ratio(t["archived"], b["households_total"])
        t["credit_coverage"] = ratio(t["granted"], b["eligible"])
        t["signing_rate"] = ratio(t["signed"], t["granted"])
        t["usage_rate"] = ratio(t["used"], t["granted"])
        out.append(t)
    return out


def t_trend_tables(out, doc):
    probs = trend_table_problems(page(os.path.join(out, "index.html")), doc["trend"],
                                 "index.html")
    problems_check("index: the trend table is the bank's trend of the document", probs)
    probs = []
    for b in doc["branches"]:
        where = f"branches/{b['code']}.html"
        probs += trend_table_problems(page(os.path.join(out, where)),
                                      branch_trend(doc, b["code"]), where)
    problems_check("branch pages: the trend table sums the branch's village trends", probs)
    probs = []
    for v in doc["villages"]:
        where = f"villages/{v['code']}.html"
        probs += trend_table_problems(page(os.path.join(out, where)), v["trend"], where)
    problems_check("dossiers: the trend table is the village's trend of the document", probs)


def t_reading_aids(out, doc):
    """What keeps a page from contradicting itself: ranking order, unassessed villages,
    empty follow-up lists, links to every report."""
    m = doc["month"]
    probs = []
    for b in doc["branches"]:
        p = page(os.path.join(out, f"branches/{b['code']}.html"))
        table = [t for t in p.all("table", id="manager-table")]
        rows = [[c.norm_text() for c in r.find_all(lambda n: n.tag == "td")]
                for r in (table[0].find_all(lambda n: n.tag == "tr") if table else [])]
        rows = [r for r in rows if r]
        mgr = {g["name"]: g for g in doc["managers"]}
        names = [r[1] for r in rows]
        ranked = [n for n in names if n != "未分配"]
        want = sorted(ranked, key=lambda n: (
            -(mgr[n]["usage_rate"] if mgr[n]["usage_rate"] is not None else -1),
            -(mgr[n]["signing_rate"] if mgr[n]["signing_rate"] is not None else -1), n))
        # doc["managers"] are bank-wide; a manager serves one branch in the sample, so the
        # branch's ranking follows the bank figures.
        if ranked != want or names[:len(ranked)] != ranked:
            probs.append(f"{b['code']}: managers ranked {names}, want {want} then 未分配")
        if [r[0] for r in rows] != [str(i + 1) for i in range(len(ranked))] + \
                ["—"] * (len(names) - len(ranked)):
            probs.append(f"{b['code']}: ranks {[r[0] for r in rows]}")
    problems_check("branch pages: managers ranked by usage rate then signing rate, 未分配 last "
                   "without a rank", probs)

    waiting = [v for v in doc["villages"] if v["verdict"] == "not_started"]
    probs = []
    for v in waiting:
        p = page(os.path.join(out, f"villages/{v['code']}.html"))
        t = p.text()
        marked = [n.tag for n in p.root.iter() if "unmet" in n.classes()
                  or any(c.endswith("unmet-row") for c in n.classes())]
        if marked or "未启动" not in t:
            probs.append(f"{v['code']}: elements marked unmet {marked}, or no 未启动")
        if v["granted"] == 0 and "尚无已授信农户" not in t:
            probs.append(f"{v['code']}: empty follow-up list does not say nobody is granted")
    problems_check(f"dossiers of villages not started ({len(waiting)}): no 未达标, and empty "
                   "follow-up lists say why", probs if waiting else ["the sample has none"])

    p = page(os.path.join(out, "index.html"))
    targets = [b.get("target_granted") for b in doc["branches"]]
    shown = {n.attrs["data-key"]: n.norm_text() for n in p.all("dd", data_key=True)}
    if targets and all(x is not None for x in targets):
        want = {"target_granted": count_form(sum(targets)),
                "target_rate": pct_forms(doc["bank"]["granted"] / sum(targets))}
        ok = shown.get("target_granted") == want["target_granted"] and \
            shown.get("target_rate") in want["target_rate"]
    else:
        want, ok = "no target cards", "target_granted" not in shown
    check("index: the bank's target is the sum of the branches' and its completion rate", ok,
          (shown.get("target_granted"), shown.get("target_rate"), want))
    hrefs = {a.attrs["href"] for a in p.all("a", href=True)}
    want = {f"reports/{m}/{b['code']}.html" for b in doc["branches"]}
    check("index links every branch's report of the month", want <= hrefs,
          sorted(want - hrefs))
    p = page(os.path.join(out, f"reports/{m}/index.html"))
    rows = {r.attrs["data-code"]: r for r in p.all("tr", data_code=True)
            if any(b["code"] == r.attrs["data-code"] for b in doc["branches"])}
    links = {c: [a.attrs["href"] for a in r.find_all(lambda n: n.tag == "a")]
             for c, r in rows.items()}
    check("bank report: each branch name opens that branch's report",
          len(links) == len(doc["branches"]) and
          all(resolve(f"reports/{m}/index.html", h[0]) == f"reports/{m}/{c}.html"
              for c, h in links.items() if h), links)


# ---------------------------------------------------------------------------------------
# 3. Navigation and links.

def t_links(out, doc):
    m = doc["month"]
    probs = []
    for b in doc["branches"]:
        rel = f"branches/{b['code']}.html"
        p = page(os.path.join(out, rel))
        linked = set()
        for a in p.all("a", href=True):
            r = resolve(rel, a.attrs["href"])
            if r and re.fullmatch(r"villages/[^/]+\.html", r):
                linked.add(r[len("villages/"):-len(".html")])
        want = {v["code"] for v in doc["villages"] if v["branch"] == b["code"]}
        if linked != want:
            probs.append(f"{rel}: links villages {sorted(linked)}, want {sorted(want)}")
        raw_ok = all(f'href="../villages/{c}.html"' in p.raw for c in want)
        if not raw_ok:
            probs.append(f"{rel}: village links are not written ../villages/<code>.html")
    problems_check("branch pages link exactly their villages", probs)

    p = page(os.path.join(out, "index.html"))
    targets = {resolve("index.html", a.attrs["href"]) for a in p.all("a", href=True)}
    want = {f"branches/{b['code']}.html" for b in doc["branches"]}
    want |= {f"reports/{m}/index.html", "quality.html"}
    check("index links every branch, the current report and quality.html",
          want <= targets, f"missing {sorted(want - targets)}")

    dead = []
    for rel in html_files(out):
        for tag, attr, url in page(os.path.join(out, rel)).url_attrs():
            urls = [u.strip().split()[0] for u in url.split(",")] if attr == "srcset" else [url]
            for u in urls:
                r = resolve(rel, u)
                if r is None:
                    continue
                if r.startswith("../") or r == ".." or not os.path.isfile(os.path.join(out, r)):
                    dead.append(f"{rel}: <{tag} {attr}={u!r}>")
    problems_check("every relative href/src resolves to a file of the site", dead)


# ---------------------------------------------------------------------------------------
# 4. Nothing from outside; self-contained dossiers.

def t_external(out, doc):
    ext, sheets, scripts, dossier, basics = [], [], [], [], []
    for rel in html_files(out):
        p = page(os.path.join(out, rel))
        for tag, attr, url in p.url_attrs():
            if is_external(url):
                ext.append(f"{rel}: <{tag} {attr}={url!r}>")
        for u in p.css_urls():
            if is_external(u):
                ext.append(f"{rel}: css url({u!r})")
        for n in p.all("link"):
            if "stylesheet" in (n.attrs.get("rel") or "").lower().split() and n.attrs.get("href"):
                sheets.append(f"{rel}: <link rel=stylesheet href={n.attrs['href']!r}>")
        if re.search(r"@import", " ".join(n.text() for n in p.all("style")), re.I):
            sheets.append(f"{rel}: @import in a style element")
        for n in p.all("script", src=True):
            scripts.append(f"{rel}: <script src={n.attrs['src']!r}>")
        if rel.startswith("villages/"):
            for tag, attr, url in p.url_attrs():
                u = url.strip()
                if tag == "a" and attr == "href":
                    continue
                if not u or u.startswith("#") or u.lower().startswith("data:"):
                    continue
                dossier.append(f"{rel}: <{tag} {attr}={u!r}>")
            for u in p.css_urls():
                if u and not u.startswith("#") and not u.lower().startswith("data:"):
                    dossier.append(f"{rel}: css url({u!r})")
            if not p.all("style"):
                dossier.append(f"{rel}: no inline <style>")
        metas = p.all("meta")
        utf8 = any((n.attrs.get("charset") or "").lower() == "utf-8" for n in metas) or any(
            "charset=utf-8" in (n.attrs.get("content") or "").lower().replace(" ", "")
            for n in metas)
        if not utf8:
            basics.append(f"{rel}: no <meta charset=utf-8> (file:// pages need it)")
        if "@media print" not in p.raw:
            basics.append(f"{rel}: no print style (@media print)")
    problems_check("no href/src/url() to http:, https: or //", ext)
    problems_check("no <link rel=stylesheet> to a file", sheets)
    problems_check("no <script src=>", scripts)
    problems_check("dossiers are self-contained (only <a href> reach other files)", dossier)
    problems_check("every page declares UTF-8 and has a print style", basics)


# ---------------------------------------------------------------------------------------
# 5. Privacy.

def t_privacy(out, archive, doc, households):
    texts = {}
    for rel in tree_files(out):
        if rel.endswith((".html", ".json")):
            with open(os.path.join(out, rel), "rb") as f:
                texts[rel] = f.read().decode("utf-8", "replace")
    # Text that may legitimately be shown in full: staff (managers), grids, reasons,
    # the narratives, master data. A head name contained in it is not a leak signal.
    allowed = [h[k] for h in households for k in ("manager", "grid", "negative_reason")]
    for v in doc["villages"]:
        allowed += [v["name"], v["township"], village_md(archive, v["code"])[1]]
    with open(os.path.join(archive, "site.yaml"), encoding="utf-8") as f:
        allowed.append(f.read())
    allowed = "\n".join(allowed)

    leaks_name, leaks_id, leaks_phone = [], [], []
    masked = []
    # Substring windows of every file, so that thousands of lookups stay fast.
    name_lens = {len(h["head_name"]) for h in households if len(h["head_name"]) >= 2}
    windows = {}
    for rel, t in texts.items():
        w = set()
        for m in re.finditer(r"[^\x00-\x7f]+", t):
            run_ = m.group(0)
            for L in name_lens:
                w.update(run_[i:i + L] for i in range(len(run_) - L + 1))
        for m in re.finditer(r"[0-9Xx]{8,}", t):
            run_ = m.group(0).lower()
            for L in {11, 18}:
                w.update(run_[i:i + L] for i in range(len(run_) - L + 1))
        windows[rel] = w
    for h in households:
        n, idn, ph = h["head_name"], h["id_number"], h["phone"]
        if len(n) >= 2 and n not in allowed:
            for rel, t in texts.items():
                if n in windows[rel] or (n.isascii() and n in t):
                    leaks_name.append(f"{n} ({h['household_id']}) in {rel}: …{context(t, n)}…")
        if len(idn) >= 10:
            for rel, t in texts.items():
                if (idn.lower() in windows[rel] if len(idn) == 18 else idn.lower() in t.lower()):
                    leaks_id.append(f"ID of {h['household_id']} in {rel}")
        if len(ph) >= 8:
            for rel, t in texts.items():
                if (ph.lower() in windows[rel] if len(ph) == 11 else ph in t):
                    leaks_phone.append(f"phone of {h['household_id']} in {rel}: …{context(t, ph)}…")
        if h["kept"]:
            rel = f"villages/{h['village']}.html"
            text = page(os.path.join(out, rel)).text()
            if n and mask_name(n) not in text:
                masked.append(f"{rel}: no masked name {mask_name(n)!r} ({h['household_id']})")
            if len(idn) >= 10 and mask_id(idn) not in text and mask_id(idn.upper()) not in text:
                masked.append(f"{rel}: no masked ID {mask_id(idn)!r} ({h['household_id']})")
            if len(ph) >= 8 and mask_phone(ph) not in text:
                masked.append(f"{rel}: no masked phone {mask_phone(ph)!r} ({h['household_id']})")
    problems_check("privacy: no full head name of a household in any .html/.json", leaks_name)
    problems_check("privacy: no full ID number in any .html/.json", leaks_id)
    problems_check("privacy: no full phone number of a household in any .html/.json", leaks_phone)
    problems_check("privacy: dossiers show the masked name, ID and phone of every household",
                   masked)

    # Key persons (SPEC §7: names and phones are masked everywhere in HTML).
    kp_leaks, kp_masked = [], []
    html = {r: t for r, t in texts.items() if r.endswith(".html")}
    for v in doc["villages"]:
        front, narrative = village_md(archive, v["code"])
        rel = f"villages/{v['code']}.html"
        text = page(os.path.join(out, rel)).text()
        for kp in key_persons(front):
            if len(kp["phone"]) >= 8:
                for r, t in html.items():
                    if kp["phone"] in t:
                        kp_leaks.append(f"key person phone {kp['phone']} in {r}")
                if mask_phone(kp["phone"]) not in text:
                    kp_masked.append(f"{rel}: no masked key person phone {mask_phone(kp['phone'])}")
            n = kp["name"]
            if len(n) >= 2 and n not in allowed:
                for r, t in html.items():
                    if n in t:
                        kp_leaks.append(f"key person name {n} in {r}: …{context(t, n)}…")
            if n and mask_name(n) not in text:
                kp_masked.append(f"{rel}: no masked key person name {mask_name(n)!r}")
    problems_check("privacy: key persons' full names and phones appear in no page", kp_leaks)
    problems_check("privacy: dossiers show key persons masked", kp_masked)


# ---------------------------------------------------------------------------------------
# 6. Hostile archive.

PAYLOAD_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def page_kind(rel):
    if rel.startswith("villages/"):
        return "village"
    if rel.startswith("branches/"):
        return "branch"
    if rel.startswith("reports/"):
        return "report-index" if rel.endswith("/index.html") else "report-branch"
    if rel.startswith("managers/"):
        return "manager"
    return rel


def t_hostile(tmp, clean_out):
    out = os.path.join(tmp, "hostile")
    rc, data, err = run("build", "-i", HOSTILE, "-o", out, "-q")
    check("hostile: the build succeeds", rc == 0 and os.path.isdir(out), err[-800:])
    if not os.path.isdir(out):
        return
    hdoc = json.loads(open(os.path.join(out, "data", "indicators-2026-10.json"), encoding="utf-8").read())
    rels = html_files(out)
    raw = {r: page(os.path.join(out, r)).raw for r in rels}

    def grep(pattern, flags=re.I):
        return [f"{r}: …{m.string[max(0, m.start() - 50):m.end() + 50]}…"
                for r, t in raw.items() for m in [re.search(pattern, t, flags)] if m]

    problems_check("hostile: no '<script>alert' in any page", grep(r"<script[^>]*>\s*alert"))
    problems_check("hostile: no '<iframe' in any page", grep(r"<iframe"))
    problems_check("hostile: no 'javascript:' anywhere in any page", grep(r"javascript:"))

    # What a browser would build: attributes and elements.
    clean_attrs, clean_tags, clean_scripts = set(), set(), {}
    for r in html_files(clean_out):
        p = page(os.path.join(clean_out, r))
        clean_attrs |= {k for _, attrs in p.tags for k, _ in attrs}
        clean_tags |= {t for t, _ in p.tags}
        clean_scripts.setdefault(page_kind(r), len(p.all("script")))
    attrs_bad, tags_bad, urls_bad, scripts_bad = [], [], [], []
    for r in rels:
        p = page(os.path.join(out, r))
        for tag, attrs in p.tags:
            for k, v in attrs:
                if k == "onerror" or (k.startswith("on") and k not in clean_attrs):
                    attrs_bad.append(f"{r}: <{tag} {k}={v!r}>")
            a = dict(attrs)
            if tag == "img" and (a.get("src") or "").strip() and \
                    not a["src"].strip().lower().startswith("data:image/"):
                tags_bad.append(f"{r}: <img {a}>")
            if tag in ("iframe", "object", "embed", "frame", "base", "form", "meta", "svg") \
                    and tag not in clean_tags:
                tags_bad.append(f"{r}: <{tag} {a}>")
        for tag, attr, url in p.url_attrs():
            if is_dangerous(url) or is_external(url):
                urls_bad.append(f"{r}: <{tag} {attr}={url!r}>")
        n_script = len(p.all("script"))
        n_raw = len(re.findall(r"<script\b", p.raw, re.I))
        want = clean_scripts.get(page_kind(r))
        if n_script != want or n_raw != want:
            scripts_bad.append(f"{r}: {n_script} script elements ({n_raw} '<script' in the "
                               f"source), a clean {page_kind(r)} page has {want}")
        for s in p.all("script"):
            if "alert(" in s.text():
                scripts_bad.append(f"{r}: a script element holds 'alert('")
    problems_check("hostile: no onerror= (or other new on*) attribute in any page", attrs_bad)
    problems_check("hostile: no injected iframe/object/embed/base/form element, no img loading "
                   "a file", tags_bad)
    problems_check("hostile: no javascript:/vbscript:/data:text/html or external URL", urls_bad)
    problems_check("hostile: the only <script> elements are the site's own", scripts_bad)

    # Shown literally: escaped once, never re-interpreted as a template.
    shown = []
    for v in hdoc["villages"]:
        rel = f"villages/{v['code']}.html"
        p = page(os.path.join(out, rel))
        text = p.text()
        for field in ("name", "township"):
            if v[field] not in text:
                shown.append(f"{rel}: {field} {v[field]!r} is not shown literally")
        if v["name"] not in p.title() and v["name"] not in " ".join(
                h.norm_text() for h in p.all("h1")):
            shown.append(f"{rel}: the village name is neither in <title> nor in <h1>")
        if PAYLOAD_ESCAPED not in p.raw:
            shown.append(f"{rel}: no {PAYLOAD_ESCAPED!r}")
        if "&amp;amp;" not in p.raw:
            shown.append(f"{rel}: '&amp;' of the names is not escaped to '&amp;amp;'")
        if "{{mustache}}" not in p.raw:
            shown.append(f"{rel}: '{{{{mustache}}}}' is not shown literally")
    for h in read_households(HOSTILE):
        rel = f"villages/{h['village']}.html"
        text = page(os.path.join(out, rel)).text()
        for k in ("grid", "manager", "negative_reason"):
            if h[k] and h[k] not in text:
                shown.append(f"{rel}: {k} {h[k]!r} of {h['household_id']} is not shown literally")
        if h["kept"] and mask_name(h["head_name"]) not in text:
            shown.append(f"{rel}: masked name {mask_name(h['head_name'])!r} is not shown")
        if h["kept"]:
            ids = [n.attrs["data-id"] for n in page(os.path.join(out, rel)).all("tr", data_id=True)]
            if h["household_id"] not in ids:
                shown.append(f"{rel}: no <tr data-id={h['household_id']!r}> (attribute escaping)")
    for rel in ("branches/HX.html", "reports/2026-10/HX.html"):
        p = page(os.path.join(out, rel))
        for v in hdoc["villages"]:
            if v["name"] not in p.text():
                shown.append(f"{rel}: village name {v['name']!r} is not shown literally")
        if PAYLOAD_ESCAPED not in p.raw:
            shown.append(f"{rel}: no {PAYLOAD_ESCAPED!r}")
    bname = hdoc["branches"][0]["name"]
    for rel in ("index.html", "branches/HX.html", "reports/2026-10/HX.html"):
        if bname not in page(os.path.join(out, rel)).text():
            shown.append(f"{rel}: branch name {bname!r} is not shown literally")
    problems_check("hostile: names are shown escaped once and literally ({{mustache}}, &amp;)",
                   shown)

    # The narrative went through cmark with raw HTML and unsafe links removed.
    p = page(os.path.join(out, "villages/H1.html"))
    nar = []
    if "Literal {{mustache}} and {{{triple}}} and {{&gt; partial}}" not in p.raw:
        nar.append("the narrative's literal mustache line is not kept as written: "
                   + repr(context(p.raw, "Literal", 80)))
    if "click" not in p.text() or "raw anchor" not in p.text():
        nar.append("the link texts of the narrative are gone")
    problems_check("hostile: the narrative is rendered, its mustache text kept literally", nar)

    hq = page(os.path.join(out, "quality.html"))
    check("hostile: findings quoting hostile values are escaped on quality.html",
          PAYLOAD_ESCAPED in hq.raw and "<script>alert" not in hq.raw,
          context(hq.raw, "alert", 80))


# ---------------------------------------------------------------------------------------
# 7. Failed builds leave the previous output untouched.

def t_failed(tmp):
    parent = os.path.join(tmp, "pub")
    os.makedirs(parent)
    out = os.path.join(parent, "out")
    rc, _, err = run("build", "-i", INPUT, "-o", out, "-q")
    check("failed build: the first build succeeds", rc == 0, err[-500:])
    before = snapshot(out)
    broken = os.path.join(tmp, "broken")
    shutil.copytree(INPUT, broken)
    with open(os.path.join(broken, "villages", "HB02", "households.csv"), "a",
              encoding="utf-8") as f:
        f.write('HB02-9999,"never closed,321183198001011237,13900000000\n')
    rc, _, err = run("build", "-i", broken, "-o", out, "-q")
    check("failed build: an unterminated quote in households.csv is exit 2", rc == 2,
          f"exit {rc}: {err[-400:]}")
    diff = snapshot_diff(before, snapshot(out))
    check("failed build: the previous output is byte-identical (bytes and mtimes)", not diff, diff[:10])
    beside = sorted(os.listdir(parent))
    check("failed build: no .out.new-*/.out.old-* left beside the output, only its lock file",
          beside == [".out.lock", "out"], beside)

    # An output whose parent is a regular file cannot be written.
    afile = os.path.join(tmp, "afile")
    with open(afile, "w") as f:
        f.write("not a directory\n")
    rc, _, err = run("build", "-i", INPUT, "-o", os.path.join(afile, "out"), "-q")
    check("failed build: -o under a regular file is exit 3 (or 2)", rc in (3, 2),
          f"exit {rc}: {err[-400:]}")
    rc, _, err = run("build", "-i", INPUT, "-o", afile, "-q")
    same = False
    if os.path.isfile(afile):
        with open(afile) as f:
            same = f.read() == "not a directory\n"
    kind = "a regular file" if os.path.isfile(afile) else \
        "a directory" if os.path.isdir(afile) else "gone"
    check("failed build: -o naming a regular file is refused (exit 3 or 2), the file kept",
          rc in (3, 2) and same, f"exit {rc}; the path is now {kind}; stderr: {err[-300:]}")
    diff = snapshot_diff(before, snapshot(out))
    check("failed build: the output is still untouched after the refused builds", not diff, diff[:10])
    shutil.rmtree(broken, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# 8. --branch.

def t_branch(tmp, doc, findings):
    parent = os.path.join(tmp, "hb")
    os.makedirs(parent)
    out = os.path.join(parent, "out")
    rc, _, err = run("build", "-i", INPUT, "-o", out, "--branch", "HB", "-q")
    check("--branch HB: build succeeds", rc == 0, err[-500:])
    if rc != 0:
        return
    others = [b for b in doc["branches"] if b["code"] != "HB"]
    codes = [b["code"] for b in others]
    names = [b["name"] for b in others]
    names += [v["name"] for v in doc["villages"] if v["branch"] != "HB"]
    hb_names = " ".join(v["name"] + v["township"] for v in doc["villages"] if v["branch"] == "HB")
    names = [n for n in names if n not in hb_names]
    files = tree_files(out)
    code_re = re.compile(r"(?<![A-Za-z0-9_])(%s)(?![A-Za-z_])" % "|".join(map(re.escape, codes)))
    bad_names = [f for f in files if code_re.search(f)]
    check("--branch HB: no file named after another branch or its villages", not bad_names, bad_names)
    vfiles = sorted(f for f in files if f.startswith("villages/"))
    want = sorted(f"villages/{v['code']}.html" for v in doc["villages"] if v["branch"] == "HB")
    check("--branch HB: village pages only of HB villages", vfiles == want, vfiles)
    mentions = []
    for rel in files:
        if not rel.endswith((".html", ".json", ".svg")):
            continue
        with open(os.path.join(out, rel), encoding="utf-8") as f:
            t = f.read()
        m = code_re.search(t)
        if m:
            mentions.append(f"{rel}: code {m.group(0)!r}: …{t[max(0, m.start() - 50):m.end() + 50]}…")
        for n in names:
            if n in t:
                mentions.append(f"{rel}: name {n!r}: …{context(t, n, 40)}…")
    problems_check("--branch HB: no page or data file mentions another branch, its codes or names",
                   mentions)
    rc, data, _ = run("stats", "--json", "-i", INPUT, "--branch", "HB")
    with open(os.path.join(out, f"data/indicators-{doc['month']}.json"), "rb") as f:
        check("--branch HB: data file equals stats --json --branch HB", f.read() == data)
    hb = [f for f in findings if f["file"].startswith("villages/HB")]
    not_hb = [f for f in findings if not f["file"].startswith("villages/HB")]
    shown = quality_triples(page(os.path.join(out, "quality.html")), findings)
    want = {(f["file"], f["line"], f["code"]) for f in hb}
    leaked = sorted(t for t in shown if t not in want and t[0].startswith("villages/"))
    missing = sorted(want - shown)
    check("--branch HB: quality.html lists only (and all) findings of HB villages",
          not leaked and not missing, f"leaked {leaked}, missing {missing}")
    qtext = page(os.path.join(out, "quality.html")).text()
    stray = [f"{f['file']}:{f['line']} {f['code']}" for f in not_hb
             if f["file"].startswith("villages/") and f["file"] in qtext]
    check("--branch HB: quality.html names no file of another branch's villages", not stray, stray)


# ---------------------------------------------------------------------------------------
# 9. Determinism.

def t_determinism(tmp, clean_out):
    outs = {}
    for name, extra in (("again", []), ("j1", ["-j", "1"]), ("j2", ["-j", "2"])):
        outs[name] = os.path.join(tmp, "det-" + name)
        rc, _, err = run("build", "-i", INPUT, "-o", outs[name], "-q", *extra)
        if rc != 0:
            check(f"determinism: build {name}", False, err[-400:])
            return
    diff = tree_diff(clean_out, outs["again"], DETERMINISTIC)
    check("determinism: two builds give byte-identical HTML/SVG/JSON", not diff, diff[:10])
    diff = tree_diff(outs["j1"], outs["j2"], DETERMINISTIC)
    check("determinism: -j 1 and -j 2 give byte-identical HTML/SVG/JSON", not diff, diff[:10])
    for o in outs.values():
        shutil.rmtree(o, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# 10. Reports.

def verdict_labels(out, doc):
    labels = {}
    for v in doc["villages"]:
        p = page(os.path.join(out, f"villages/{v['code']}.html"))
        for n in p.all("span", data_verdict=True):
            if n.norm_text():
                labels.setdefault(n.attrs["data-verdict"], n.norm_text())
    return labels


def denotes(text, verdict, labels):
    """True when text names verdict's label and no other verdict's label."""
    mine = labels.get(verdict)
    if not mine:
        return False
    t = text
    for k, lab in labels.items():          # remove longer labels that contain mine
        if k != verdict and mine in lab:
            t = t.replace(lab, "")
    if mine not in t:
        return False
    t = t.replace(mine, "")
    return not any(lab in t for k, lab in labels.items() if k != verdict and lab not in mine)


def report_sections(p):
    """(heading text, container ids, row node) for every row (tr, li): the nearest heading
    before the row and the ids of the section/table/div elements around it."""
    out, heading = [], ""

    def walk(n, ids):
        nonlocal heading
        for c in n.children:
            if not isinstance(c, Node):
                continue
            if c.tag in ("h1", "h2", "h3", "h4", "h5", "caption", "summary", "legend"):
                heading = c.norm_text()
            if c.tag in ("tr", "li"):
                out.append((heading, ids, c))
            walk(c, ids + ([c.attrs["id"]] if c.attrs.get("id") else []))
    walk(p.root, [])
    return out


def id_verdict(ids):
    """The verdict a container id names (report-failed, passed, not-started …), or None."""
    for i in reversed(ids):
        i = i.lower().replace("_", "-")
        if "not-started" in i or "notstarted" in i:
            return "not_started"
        if "fail" in i:
            return "fail"
        if "pass" in i:
            return "pass"
    return None


def row_verdict(heading, ids, labels):
    v = id_verdict(ids)
    if v:
        return v
    return next((k for k in labels if denotes(heading, k, labels)), None)


def verdict_problems(p, villages, labels):
    """Problems of a report page that should list each village under its verdict."""
    probs = []
    secs = report_sections(p)
    for v in villages:
        word = re.compile(r"(?<![A-Za-z0-9])%s(?![A-Za-z0-9])" % re.escape(v["code"]))
        hits = [(h, ids, r) for h, ids, r in secs
                if not r.find_all(lambda n: n.tag in ("tr", "li"))
                and (word.search(r.norm_text()) or v["name"] in r.norm_text()
                     or r.attrs.get("data-code") == v["code"])]
        if not hits:
            probs.append(f"{v['code']} {v['name']}: not listed")
            continue
        got = [row_verdict(h, ids, labels) for h, ids, r in hits]
        if v["verdict"] not in got or any(g and g != v["verdict"] for g in got):
            probs.append(f"{v['code']} ({v['verdict']}): listed under {got}")
    return probs


def t_reports(out, doc):
    m = doc["month"]
    hb = next(b for b in doc["branches"] if b["code"] == "HB")
    y, mo = m.split("-")
    rel = f"reports/{m}/HB.html"
    p = page(os.path.join(out, rel))
    want = f"{hb['name']} {int(y)}年{int(mo)}月 整村授信验收报告"
    check(f"report: <title> of {rel} contains {want!r}", want in p.title(), p.title())
    text = p.text()
    missing = [w for w in ("制表", "审核", "日期") if w not in text]
    check("report: signature block 制表 / 审核 / 日期", not missing, missing)
    labels = verdict_labels(out, doc)
    probs = verdict_problems(p, [v for v in doc["villages"] if v["branch"] == "HB"], labels)
    check("report: each HB village is listed under its verdict", not probs,
          f"labels {labels}; " + "; ".join(probs))
    probs = []
    for b in doc["branches"]:
        t = page(os.path.join(out, f"reports/{m}/{b['code']}.html")).title()
        want = f"{b['name']} {int(y)}年{int(mo)}月 整村授信验收报告"
        if want not in t:
            probs.append(f"reports/{m}/{b['code']}.html: title {t!r}, want {want!r}")
        probs += [f"{b['code']}: {x}" for x in verdict_problems(
            page(os.path.join(out, f"reports/{m}/{b['code']}.html")),
            [v for v in doc["villages"] if v["branch"] == b["code"]], labels)]
    probs += [f"index: {x}" for x in verdict_problems(
        page(os.path.join(out, f"reports/{m}/index.html")), doc["villages"], labels)]
    check("report: every branch report and the bank report list their villages by verdict",
          not probs, "; ".join(probs))
    # Reports of other months survive a rebuild.
    sep = os.path.join(out, "reports", "2026-09")
    os.makedirs(sep, exist_ok=True)
    with open(os.path.join(sep, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><title>2026年9月</title>september\n")
    rc, _, err = run("build", "-i", INPUT, "-o", out, "-q")
    try:
        with open(os.path.join(sep, "index.html")) as f:
            kept = "september" in f.read()
    except OSError:
        kept = False
    check("report: a previous month's report survives a rebuild", rc == 0 and kept, err[-400:])


# ---------------------------------------------------------------------------------------
# 11. quality.html.

def quality_triples(p, findings):
    """(file, line, code) of every finding row (tr or li) of quality.html. The file is the
    one named by a cell of the row (ending with the path), else by the nearest heading,
    caption, summary or dt before the row; the code likewise (a cell, or the heading of a
    section per code); the line is a cell holding just a number (such as "5" or "第5行"),
    or "path:N"."""
    files = sorted({f["file"] for f in findings}, key=len, reverse=True)
    codes = sorted({f["code"] for f in findings}, key=len, reverse=True)
    out, current, current_code = set(), None, None

    def file_end(text):
        for f in files:
            if re.search(re.escape(f) + r"(:\d+)?$", text):
                return f
        return None

    def walk(n):
        nonlocal current, current_code
        for c in n.children:
            if not isinstance(c, Node):
                continue
            if c.tag in ("tr", "li"):
                t = c.norm_text()
                cells = [x.norm_text() for x in c.iter() if x.tag in ("td", "th")]
                f = next((file_end(x) for x in cells if file_end(x)), None) or current
                code = next((k for k in codes if k in cells), None) or next(
                    (k for k in codes
                     if re.search(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(k), t)),
                    current_code)
                nums = set()
                for x in cells:
                    m = re.fullmatch(r"\D{0,3}?(\d+)\D{0,3}", x)
                    if m:
                        nums.add(int(m.group(1)))
                nums |= {int(x) for x in re.findall(r"\.csv:(\d+)", t)}
                if not cells:
                    nums |= {int(x) for x in re.findall(r"(?<![\d.])(\d+)(?![\d.])", t)}
                if f and code:
                    out.update((f, num, code) for num in nums)
                continue
            if c.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "caption", "summary", "dt"):
                t = c.norm_text()
                f = next((f for f in files if f in t), None)
                if f:
                    current = f
                k = next((k for k in codes
                          if re.search(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(k), t)),
                         None)
                if k:  # a heading naming the code, alone or beside its Chinese name
                    current_code = k
                continue
            walk(c)
    walk(p.root)
    return out


def t_quality(out, findings):
    p = page(os.path.join(out, "quality.html"))
    shown = quality_triples(p, findings)
    missing = [f"{f['file']}:{f['line']} {f['code']}" for f in findings
               if (f["file"], f["line"], f["code"]) not in shown]
    check(f"quality.html lists all {len(findings)} findings with file, line and code",
          not missing, missing)
    # Grouped by file: each file's findings come after its heading, in one block.
    order = []
    t = p.raw
    for f in sorted({f["file"] for f in findings}):
        order.append((t.find(f), f))
    absent = [f for i, f in order if i < 0]
    check("quality.html names every file with findings", not absent, absent)


def t_quality_groups(out):
    """quality.html of the sample, value by value: grouped by village (name, code, branch, a
    link to the dossier) then by code (Chinese name, explanation), each finding with its 户号,
    借据号 and column in Chinese; the findings of no village in a group of their own, last."""
    p = page(os.path.join(out, "quality.html"))
    secs = [x for x in p.all("section") if "village-findings" in x.classes()]
    check("quality.html: one section per village with findings, in code order, then no village",
          [x.attrs["id"] for x in secs] == ["village-BH01", "village-BH02", "village-BH03",
                                            "village-BH04", "no-village"],
          [x.attrs["id"] for x in secs])

    def rows(sec, code):
        grp = [d for d in sec.find_all(lambda n: n.tag == "div"
                                       and n.attrs.get("data-code") == code)]
        if not grp:
            return None, None, []
        h3 = [n.norm_text() for n in grp[0].iter() if n.tag == "h3"]
        ex = [n.norm_text() for n in grp[0].iter() if n.tag == "p" and "explain" in n.classes()]
        trs = [[td.norm_text() for td in tr.iter() if td.tag == "td"]
               for tr in grp[0].iter() if tr.tag == "tr"]
        return (h3[0] if h3 else None), (ex[0] if ex else None), [r for r in trs if r]

    bh01 = secs[0]
    h2 = [n for n in bh01.iter() if n.tag == "h2"][0]
    links = [(a.attrs.get("href"), a.norm_text()) for a in bh01.iter() if a.tag == "a"]
    check("quality.html: BH01's heading names 唐营村, its code and branch, and links its dossier",
          h2.norm_text() == "唐营村 BH01 · 宝华支行"
          and ("villages/BH01.html", "唐营村") in links
          and ("villages/BH01.html#findings", "本村档案") in links, (h2.norm_text(), links))
    h3, ex, trs = rows(bh01, "invalid_id_number")
    check("quality.html: BH01 invalid_id_number in Chinese, explained, with 户号 and 列",
          h3 == "身份证号无效 invalid_id_number 1 条"
          and ex == "身份证号长度、出生日期或校验码不符，按空值处理，该户照常计入；请核对证件重新录入。"
          and trs == [["villages/BH01/households.csv", "6", "BH01-0005", "", "身份证号", "错误",
                       "身份证号不是有效的居民身份证号码（校验码不符）"]], (h3, ex, trs))
    h3, ex, trs = rows(bh01, "balance_exceeds_amount")
    check("quality.html: a loan finding sits in its household's village with 户号 and 借据号",
          h3 == "余额大于发放金额 balance_exceeds_amount 1 条"
          and trs == [["loans/2026H1.csv", "5", "BH01-0003", "JR2026000004", "贷款余额", "警告",
                       "贷款余额大于发放金额"]], trs)
    _, _, trs = rows(secs[3], "unknown_column")
    check("quality.html: an unknown column is named as written",
          trs == [["villages/BH04/households.csv", "1", "", "", "备注", "警告", "未知列已忽略：备注"]],
          trs)
    none = secs[4]
    h3, ex, trs = rows(none, "unknown_household")
    check("quality.html: a loan of an unknown household is in the group of no village",
          [n.norm_text() for n in none.iter() if n.tag == "h2"] == ["未归属村庄"]
          and h3 == "户号不在户表中 unknown_household 1 条"
          and trs == [["loans/2026H1.csv", "7", "BH01-9999", "JR2026000006", "户号", "错误",
                       "借据 JR2026000006 的户号 BH01-9999 不在任何村的户表中，该行已剔除"]],
          (h3, trs))
    codes = {tr.attrs.get("id"): [td.norm_text() for td in tr.iter() if td.tag == "td"]
             for tr in p.all("tr") if (tr.attrs.get("id") or "").startswith("code-")}
    check("quality.html: the code table names and explains each code",
          codes.get("code-duplicate_household", [""])[0] == "户号重复 duplicate_household"
          and codes["code-duplicate_household"][1:4] == ["1", "1", "0"]
          and codes["code-duplicate_household"][4].startswith("同一户号在档案中出现了两次"),
          codes.get("code-duplicate_household"))
    v = page(os.path.join(out, "villages", "BH01.html"))
    drows = [[td.norm_text() for td in tr.iter() if td.tag == "td"]
             for t in v.all("table", id="village-findings") for tr in t.iter() if tr.tag == "tr"]
    check("dossier BH01: its findings with 户号, 借据号, the column and the problem in Chinese",
          ["villages/BH01/households.csv", "6", "BH01-0005", "", "身份证号", "错误",
           "身份证号无效 invalid_id_number", "身份证号不是有效的居民身份证号码（校验码不符）"] in drows,
          drows)


# ---------------------------------------------------------------------------------------

def t_small(tmp):
    """The small archive has a branch without villages (GZ): its pages exist too."""
    out = os.path.join(tmp, "small")
    rc, data, err = run("stats", "--json", "-i", SMALL)
    doc = json.loads(data)
    rc, _, err = run("build", "-i", SMALL, "-o", out, "-q")
    check("small: build succeeds", rc == 0, err[-400:])
    m = doc["month"]
    want = {"index.html", "quality.html", "villages.html", "guide.html",
            f"data/indicators-{m}.json",
            f"data/findings-{m}.csv",
            f"reports/{m}/index.html", ".cundang"}
    want |= {f"branches/{b['code']}.html" for b in doc["branches"]}
    want |= {f"reports/{m}/{b['code']}.html" for b in doc["branches"]}
    want |= {f"villages/{v['code']}.html" for v in doc["villages"]}
    want |= manager_files(SMALL, doc)
    core = {f for f in tree_files(out) if not f.startswith(("charts/", "workbooks/"))}
    check("small: pages for every branch, including GZ without villages", core == want,
          f"missing {sorted(want - core)}, unexpected {sorted(core - want)}")


def main():
    os.chdir(ROOT)
    with scratch_dir("site") as tmp:
        doc, err = run_json("stats", "--json", "-i", INPUT)
        findings, err2 = run_json("check", "--json", "-i", INPUT)
        if doc is None or findings is None:
            check("stats --json and check --json give JSON", False, (err + "; " + err2)[-400:])
            return checks.summary()
        households = read_households(INPUT)

        parent = os.path.join(tmp, "clean")
        os.makedirs(parent)
        out = os.path.join(parent, "out")
        rc, _, err = run("build", "-i", INPUT, "-o", out, "-q")
        check("build input/ exits 0", rc == 0, err[-800:])
        if not os.path.isdir(out):
            checks.summary()
            return 1  # nothing to check, even if the build said it succeeded
        guarded("1 files", t_files, out, parent, doc)
        guarded("2 dossier figures", t_dossier, out, doc, households)
        guarded("2 summary figures", t_summary_figures, out, doc)
        guarded("2 trend tables", t_trend_tables, out, doc)
        guarded("2 reading aids", t_reading_aids, out, doc)
        guarded("3 links", t_links, out, doc)
        guarded("4 external", t_external, out, doc)
        guarded("5 privacy", t_privacy, out, INPUT, doc, households)
        guarded("6 hostile", t_hostile, tmp, out)
        guarded("7 failed builds", t_failed, tmp)
        guarded("8 --branch", t_branch, tmp, doc, findings)
        guarded("9 determinism", t_determinism, tmp, out)
        guarded("11 quality", t_quality, out, findings)
        guarded("11 quality groups", t_quality_groups, out)
        guarded("10 reports", t_reports, out, doc)   # last: rebuilds into out
        guarded("small archive", t_small, tmp)
    return checks.summary()

if __name__ == "__main__":
    sys.exit(main())
