#!/usr/bin/python3
"""test_dossier.py — opens a village dossier of a built site in Debian's Chromium and checks
that its household table sorts and filters, that nothing is fetched from outside file://,
that the page logs no error, and that no chart text renders under 11 CSS px, on a 390-px
phone and on a 1280-px desktop (half-width panels included).

  /usr/bin/python3 tests/browser/test_dossier.py SITE_DIR

Needs only Debian packages (scripts/install-deps): python3-selenium, chromium-driver and
chromium. Prints "ok - …" / "not ok - …" lines and, as its last line, "N passed, N failed";
exits 1 when a check failed, 2 on bad usage.
"""

import json
import math
import os
import pathlib
import re
import shutil
import sys
import tempfile
import urllib.parse

passed = 0
failed = 0


def check(name, ok, detail=None):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}" + (f": {detail}" if detail else ""))
    sys.stdout.flush()
    return ok


def first_difference(got, want):
    for i, x in enumerate(got):
        if i >= len(want) or x != want[i]:
            return f"at row {i}: got {x}, want {want[i] if i < len(want) else None}"
    return f"lengths {len(got)} and {len(want)}"


def numeric_order_problem(values, direction):
    """Values of data-sort must be ordered (numbers, in the direction given) with empty ones
    last; None when they are."""
    seen_empty = False
    prev = None
    for i, v in enumerate(values):
        if v is None or v.strip() == "":
            seen_empty = True
            continue
        if seen_empty:
            return f"row {i} has a value ({v}) after an empty one"
        try:
            n = float(v)
        except ValueError:
            return f'row {i}: data-sort "{v}" is not a number'
        if math.isnan(n):
            return f'row {i}: data-sort "{v}" is not a number'
        if prev is not None and (n < prev if direction > 0 else n > prev):
            return f"row {i}: {n} after {prev}"
        prev = n
    return None


# Rows of the household table that are shown (not hidden, not display:none), as data-id.
VISIBLE_IDS = """
return Array.from(document.querySelectorAll('#households tbody tr[data-id]'))
  .filter(r => !r.hidden && getComputedStyle(r).display !== 'none')
  .map(r => r.getAttribute('data-id'));"""
ALL_IDS = """
return Array.from(document.querySelectorAll('#households tbody tr[data-id]'))
  .map(r => r.getAttribute('data-id'));"""
HEADER_INDEX = """
return Array.from(document.querySelectorAll('#households thead th'))
  .findIndex(th => th.textContent.replace(/\\s+/g, '').trim() === arguments[0]);"""
# The number a cell sorts by: its data-sort, else its text without ¥ and thousands commas
# ("" for an empty cell).
SORT_VALUES = """
return Array.from(document.querySelectorAll('#households tbody tr[data-id]'))
  .filter(r => !r.hidden)
  .map(r => { const c = r.cells[arguments[0]]; if (!c) return null;
              const d = c.getAttribute('data-sort');
              return d !== null ? d : c.textContent.replace(/[¥,\\s]/g, ''); });"""
# The script of the page sorts text with a zh-CN collator that compares digit runs as numbers;
# the test sorts the same way, with the browser's own Intl.Collator.
COLLATED = """
const c = new Intl.Collator('zh-CN', {numeric: true});
return arguments[0].slice().sort((a, b) => c.compare(a, b));"""
# Uncaught exceptions: the browser log has them too, but a listener installed before the page's
# own script runs cannot miss one.
CATCH_ERRORS = """
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));"""


ROWS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))
  .filter(r => !r.hidden)
  .map(r => Array.from(r.cells).map(c => c.textContent.replace(/\\s+/g, ' ').trim()));"""
HEAD = """
const h = document.querySelector('#' + arguments[0] + ' thead').rows;
return Array.from(h[h.length - 1].cells).map(c => c.textContent.replace(/\\s+/g, ' ').trim());"""


def download(driver, downloads, button, name):
    """Clicks button and returns the rows of the CSV file `name` it saves (read with Python's
    csv module), or None when none arrives within 10 s."""
    import csv
    import time
    path = os.path.join(downloads, name)
    if os.path.exists(path):
        os.remove(path)
    button.click()
    for _ in range(100):
        if os.path.exists(path) and not os.path.exists(path + ".crdownload"):
            with open(path, encoding="utf-8", newline="") as f:
                data = f.read()
            if data:
                break
        time.sleep(0.1)
    else:
        return None
    return data[:1], list(csv.reader(data[1:].splitlines())), data.count("\r\n")


def picks_and_csv(driver, js, fill, counter, visible_ids, n, downloads):
    """The household table's 状态 and 客户经理 pick lists combine with the words typed, and
    its CSV download holds the rows shown; each follow-up list downloads as CSV."""
    from collections import Counter
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": downloads})
    picks = driver.find_elements(By.CSS_SELECTOR, 'select.table-pick[data-table="households"]')
    if not check("the household table has 2 pick lists, shown",
                 len(picks) == 2 and all(p.is_displayed() for p in picks), len(picks)):
        return
    rows = js("return Array.from(document.querySelectorAll('#households tbody tr[data-id]'))"
              ".map(r => [r.getAttribute('data-id'), r.cells[2].querySelector('.tag')"
              ".textContent, r.cells[5].textContent.trim(), r.textContent.toLowerCase()]);")
    managers = sorted({r[2] for r in rows if r[2]})
    opts = [o.text for o in Select(picks[1]).options]
    check("the 客户经理 list offers every manager of the table, in collation order",
          opts == ["全部客户经理"] + js(COLLATED, managers), opts)
    status, manager = Counter((r[1], r[2]) for r in rows).most_common(1)[0][0]
    Select(picks[0]).select_by_visible_text(status)
    want = sorted(r[0] for r in rows if r[1] == status)
    check(f"picking 状态 {status} shows its {len(want)} rows", sorted(visible_ids()) == want,
          len(visible_ids()))
    Select(picks[1]).select_by_visible_text(manager)
    want = sorted(r[0] for r in rows if r[1] == status and r[2] == manager)
    check(f"and 客户经理 {manager}: {len(want)} rows", sorted(visible_ids()) == want,
          len(visible_ids()))
    word = "农户"
    fill(word)
    want = sorted(r[0] for r in rows if r[1] == status and r[2] == manager and word in r[3])
    check(f"and the word {word}: {len(want)} rows", sorted(visible_ids()) == want and want,
          len(visible_ids()))
    check("the counter counts them", counter() == f"显示 {len(want)} / {n} 行", counter())
    code = js("return document.querySelector('h1 .muted').textContent.trim();")
    button = driver.find_element(By.CSS_SELECTOR, 'button.csv-download[data-table="households"]')
    got = download(driver, downloads, button, f"{code}-农户明细.csv")
    if check(f"下载 CSV saves {code}-农户明细.csv", got is not None):
        bom, table, crlf = got
        shown = js(ROWS, "households")
        check("its CSV starts with a BOM, one CRLF line per row", bom == "\ufeff" and
              crlf == len(want) + 1, (bom, crlf))
        check(f"its CSV holds the header and exactly the {len(want)} rows shown, as shown",
              table == [js(HEAD, "households")] + shown, (table[:2], shown[:1]))
        check("the CSV is masked as the page (no full ID or phone number)",
              not re.search(r"\d{11,}", "".join(",".join(r) for r in table)))
    for s in picks:
        Select(s).select_by_index(0)
    fill("")
    check("clearing words and picks shows every row", len(visible_ids()) == n)
    for tid, name in (("followup-not-signed", "已授信未签约"), ("followup-not-used", "已签约未用信"),
                      ("followup-not-visited", "尚未走访")):
        buttons = driver.find_elements(By.CSS_SELECTOR, f'button.csv-download[data-table="{tid}"]')
        if not buttons:
            continue  # an empty list has no table and no button
        got = download(driver, downloads, buttons[0], f"{code}-{name}.csv")
        if check(f"{name}: 下载 CSV saves {code}-{name}.csv", got is not None):
            rows = js(ROWS, tid)
            label = buttons[0].text
            check(f"{name}: the CSV holds the list's {len(rows)} rows, and the button says so",
                  got[1] == [js(HEAD, tid)] + rows and f"（{len(rows):,} 户" in label,
                  (len(got[1]), label))


PHONE_FIT = """
const t = document.querySelector(arguments[0]);
if (!t) return null;
const w = t.parentNode.getBoundingClientRect();
const h = t.tHead.rows[t.tHead.rows.length - 1].cells;
const cols = Array.from(h).filter(c => c.offsetParent && c.getBoundingClientRect().right <= w.right + 0.5
  && c.getBoundingClientRect().left >= w.left - 0.5).map(c => c.textContent.trim());
return [cols, Math.round(t.getBoundingClientRect().width), Math.round(w.width),
        document.documentElement.scrollWidth];"""


def phone_checks(driver, js, site, dossier_url):
    """At 390 px (a phone), no page scrolls sideways, the columns that decide stay in view
    without scrolling the table, and a wide table keeps its first column while it scrolls."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    branch = sorted((site / "branches").glob("*.html"))[0]
    cases = [
        (branch, "#village-table", ["村", "得分", "结论"]),
        (branch, "table.trend", ["月份", "走访率", "用信率"]),
        (site / "index.html", "#branch-table", ["支行", "验收通过", "通过率"]),
        (site / "villages.html", "#village-directory", ["村", "得分", "结论"]),
        (site / "villages" / dossier_url.rsplit("/", 1)[1], "table.checklist",
         ["验收项目", "标准", "本村", "结果"]),
    ]
    for page, sel, need in cases:
        driver.get(page.resolve().as_uri())
        got = js(PHONE_FIT, sel)
        if not check(f"390 px {page.name}: {sel} is there", got is not None):
            continue
        cols, tw, ww, sw = got
        check(f"390 px {page.name}: {sel} shows {'、'.join(need)} without scrolling",
              all(any(c.startswith(x) for c in cols) for x in need) and tw <= ww + 1,
              (cols, tw, ww))
        check(f"390 px {page.name}: the page does not scroll sideways", sw <= 390, sw)
    driver.get(dossier_url)
    stuck = js("""
const wrap = document.querySelector('#households').parentNode;
wrap.scrollLeft = 300;
const c = document.querySelector('#households tbody tr td');
return [wrap.scrollLeft, Math.round(c.getBoundingClientRect().left - wrap.getBoundingClientRect().left)];""")
    check("390 px: the household table scrolls sideways under its 户号 column, which stays",
          stuck[0] > 0 and abs(stuck[1]) <= 1, stuck)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def pdf_pages(driver, url, path):
    """Prints url as Chromium prints it (A4 from the page's @page, backgrounds) into path and
    returns the text of each page by poppler's pdftotext, whitespace removed."""
    import base64
    import subprocess
    driver.get(url)
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True,
                                                     "preferCSSPageSize": True})
    with open(path, "wb") as f:
        f.write(base64.b64decode(pdf["data"]))
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                          text=True, check=True).stdout
    return [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]


def print_checks(driver, site, dossier_url, tmp):
    """Printed pages say 第 i 页 / 共 N 页; a dossier's first page is filled up to its funnel
    and segment mix; a report's last page holds more than its signature lines."""
    pages = pdf_pages(driver, dossier_url, os.path.join(tmp, "dossier.pdf"))
    n = len(pages)
    check(f"dossier print: every one of its {n} pages is numbered 第 i 页 / 共 {n} 页",
          n > 1 and all(f"第{i}页/共{n}页" in p for i, p in enumerate(pages, 1)),
          [p[-12:] for p in pages[:3]])
    check("dossier print: page 1 holds the cards, the funnel and the segment mix",
          n and all(w in pages[0] for w in ("验收指标", "授信漏斗", "授信客群结构")),
          pages[0][-200:] if n else "")
    for rep in sorted((site / "reports").glob("*/*.html")):
        pages = pdf_pages(driver, rep.resolve().as_uri(), os.path.join(tmp, "report.pdf"))
        last = pages[-1] if pages else ""
        body = re.sub(r"制表：|审核：|日期：|第\d+页/共\d+页|[^：]*整村授信档案·数据截至[^生]*生成", "", last)
        check(f"{rep.parent.name}/{rep.name} print: {len(pages)} pages, numbered, the last "
              "not only the signature lines", pages and len(body) > 40 and
              all(f"第{i}页/共{len(pages)}页" in p for i, p in enumerate(pages, 1)), body[:200])
# The charts shown on the page (one drawing of each wide/narrow pair): for each, its rendered
# scale (CSS px per design px), the tallest glyph of each text group in CSS px and in design
# px, whether its box scrolls, and how many drawings its figure shows.
CHART_TEXT = """
return Array.from(document.querySelectorAll('figure.chart')).map(fig => {
  const shown = Array.from(fig.querySelectorAll('svg.chart'))
    .filter(s => s.getClientRects().length > 0 && getComputedStyle(s).display !== 'none');
  const svg = shown[0];
  if (!svg) return {cls: fig.className, shown: 0};
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const groups = Array.from(svg.querySelectorAll('g[fill^="#"]')).map(g => {
    let css = 0, design = 0;
    for (const u of g.querySelectorAll('use')) {
      css = Math.max(css, u.getBoundingClientRect().height);
      design = Math.max(design, u.getBBox().height);
    }
    return [css, design];
  }).filter(x => x[1] > 0);
  return {cls: svg.getAttribute('class'), shown: shown.length, scale: scale, groups: groups,
          scrolls: fig.scrollWidth > fig.clientWidth + 1};
});"""
# Noto Sans CJK's digits are 0.73 em tall and its Chinese characters about 0.9 em: a text
# group whose tallest glyph is at least 0.6 em of the smallest font (11 px) holds a digit or a
# character, and at 11 CSS px that glyph is at least 0.7 × 11 px tall on screen.
CHART_FONT_MIN = 11  # src/render/chart/chart.h


def check_chart_text(driver, where):
    charts = driver.execute_script(CHART_TEXT)
    if not check(f"{where}: has charts", len(charts) > 0):
        return
    one = [c["cls"] for c in charts if c["shown"] != 1]
    check(f"{where}: each chart box shows exactly one of its two drawings", not one, one)
    small = [(c["cls"], round(c["scale"] * CHART_FONT_MIN, 1)) for c in charts
             if c["shown"] == 1 and c["scale"] * CHART_FONT_MIN < CHART_FONT_MIN - 0.05]
    check(f"{where}: every chart is drawn at 1:1 or larger, so its {CHART_FONT_MIN}-px text is "
          f"at least {CHART_FONT_MIN} CSS px", not small, small)
    tiny = []
    for c in charts:
        for css, design in c.get("groups", []):
            if design >= 0.6 * CHART_FONT_MIN and css < 0.7 * CHART_FONT_MIN - 0.05:
                tiny.append((c["cls"], round(css, 2)))
    measured = sum(len(c.get("groups", [])) for c in charts)
    check(f"{where}: the glyphs of all {measured} chart texts render at least "
          f"{0.7 * CHART_FONT_MIN:.1f} CSS px tall", measured > 0 and not tiny, tiny[:5])
    scroll = [c["cls"] for c in charts if c.get("scrolls")]
    check(f"{where}: no chart box scrolls sideways", not scroll, scroll)


def run(site):
    villages = site / "villages"
    try:
        pages = sorted(p.name for p in villages.iterdir() if p.name.endswith(".html"))
    except OSError:
        pages = []
    if not check("the site has a village dossier", len(pages) > 0, f"no .html file in {villages}"):
        return
    page_name = pages[0]
    url = (villages / page_name).resolve().as_uri()

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
    except ImportError as e:
        check("python3-selenium is installed", False, f"{e} (run scripts/install-deps)")
        return
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.access(driver_path, os.X_OK):
        check("chromedriver is installed", False, "run scripts/install-deps")
        return

    profile = tempfile.mkdtemp(prefix="cundang-chromium-")
    downloads = tempfile.mkdtemp(prefix="cundang-downloads-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--lang=zh-CN",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(15)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_ERRORS})
        # Start from a blank page and drop what the browser fetched for itself at start-up (its
        # new-tab page), so the network log holds only what the dossier asks for.
        driver.get("about:blank")
        driver.get_log("performance")
        driver.get_log("browser")
        driver.get(url)
        driver.execute_script("return new Promise(r => setTimeout(r, 200));")

        def js(script, *args):
            return driver.execute_script(script, *args)

        def visible_ids():
            return js(VISIBLE_IDS)

        def header(col):
            return driver.find_elements(By.CSS_SELECTOR, "#households thead th")[col]

        table = driver.find_elements(By.CSS_SELECTOR, "table#households")
        check(f"{page_name}: the household table is visible", len(table) == 1 and table[0].is_displayed())
        all_ids = js(ALL_IDS)
        n = len(all_ids)
        check(f"{page_name}: the household table has rows", n > 0, "no tr[data-id] in #households")
        shown = visible_ids()
        check(f"all {n} household rows are shown", len(shown) == n, f"{len(shown)} of {n} shown")

        # 户号: the first click sorts descending (the table arrives ascending), the second ascending.
        id_col = js(HEADER_INDEX, "户号")
        if check("the household table has a 户号 column", id_col >= 0):
            th = header(id_col)
            asc = js(COLLATED, all_ids)
            desc = list(reversed(asc))
            th.click()
            got = visible_ids()
            check("clicking 户号 sorts the ids descending", got == desc, first_difference(got, desc))
            aria = th.get_attribute("aria-sort")
            check('the 户号 header says aria-sort="descending"', aria == "descending", f"aria-sort is {aria}")
            th.click()
            got = visible_ids()
            check("clicking 户号 again sorts the ids ascending", got == asc, first_difference(got, asc))
            aria = th.get_attribute("aria-sort")
            check('the 户号 header says aria-sort="ascending"', aria == "ascending", f"aria-sort is {aria}")

        # 授信额度: numeric order by data-sort, empty amounts last in both directions.
        credit_col = js(HEADER_INDEX, "授信额度")
        if check("the household table has a 授信额度 column", credit_col >= 0):
            th = header(credit_col)
            th.click()
            values = js(SORT_VALUES, credit_col)
            problem = numeric_order_problem(values, 1)
            if not [v for v in values if v]:
                problem = "no 授信额度 in any row"
            check("clicking 授信额度 sorts by amount ascending", not problem, problem)
            th.click()
            problem = numeric_order_problem(js(SORT_VALUES, credit_col), -1)
            check("clicking 授信额度 again sorts by amount descending", not problem, problem)
            check("sorting keeps every row", len(visible_ids()) == n)

        # Filter: the id of the middle row leaves exactly that row. Typed as a user types it
        # (select all, then the keys), so the page sees real input events.
        boxes = driver.find_elements(By.CSS_SELECTOR, 'input.table-filter[data-table="households"]')
        if check("the household filter box is visible", len(boxes) == 1 and boxes[0].is_displayed()):
            box = boxes[0]

            def fill(text):
                box.send_keys(Keys.CONTROL, "a")
                box.send_keys(Keys.DELETE)
                if text:
                    box.send_keys(text)

            def counter():
                c = driver.find_elements(By.CSS_SELECTOR, ".table-tools .filter-count")
                return (c[0].get_attribute("textContent") or "").strip() if c else ""

            current = visible_ids()
            middle = current[len(current) // 2]
            fill(middle)
            got = visible_ids()
            check(
                f"typing {middle} leaves exactly 1 row",
                len(got) == 1 and got[0] == middle,
                "shown: " + ", ".join(got[:5]),
            )
            text = counter()
            check("the counter reads 显示 1 / N 行", text == f"显示 1 / {n} 行", f'counter: "{text}"')
            lower = middle.lower()
            if lower != middle:
                fill(lower)
                again = visible_ids()
                check("the filter ignores case", len(again) == 1 and again[0] == middle, f"shown: {len(again)}")
            # Terms combine, in any order and any cell: the status then the id.
            status = js("return document.querySelector('#households tr[data-id=\"' + arguments[0] +"
                        " '\"] .tag').textContent;", middle)
            fill(f"{status}　{middle}")  # an ideographic space between the terms
            both = visible_ids()
            check(f"typing '{status} {middle}' (two terms) leaves that row",
                  both == [middle], "shown: " + ", ".join(both[:5]))
            fill(f"{middle} 不存在的词")
            check("a term no row holds leaves none", visible_ids() == [], visible_ids()[:3])
            fill("")
            back = visible_ids()
            check(f"clearing the filter shows all {n} rows again", len(back) == n, f"{len(back)} shown")
            text2 = counter()
            check("the counter reads 显示 N / N 行 again", text2 == f"显示 {n} / {n} 行", f'counter: "{text2}"')
            picks_and_csv(driver, js, fill, counter, visible_ids, n, downloads)

        # Every request the page made, from the DevTools network events; file: is the site,
        # data: and about: are inline and never leave the machine.
        outside = []
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                u = msg["params"]["request"]["url"]
                if not re.match(r"^(file|data|about):", u, re.I):
                    outside.append(u)
        check("no request left file://", not outside, " ".join(outside[:5]))
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        errors += js("return window.__errors || [];")
        check("no console error", not errors, " | ".join(errors[:5]))

        # The village directory opened as the index's 查找村庄 box sends it: villages.html?q=…
        # comes up filtered by those words (Chinese substring matching from file://).
        vl = (site / "villages.html").resolve()
        driver.get(vl.as_uri())
        all_rows = js("return Array.from(document.querySelectorAll('#village-directory tbody "
                      "tr[data-code]')).map(r => [r.getAttribute('data-code'), "
                      "r.cells[0].querySelector('a').textContent]);")
        if check("villages.html lists villages", len(all_rows) > 1, len(all_rows)):
            word = all_rows[0][1][:1]  # the first character of the first village's name
            want = sorted(c for c, n in all_rows if word in n)
            driver.get(vl.as_uri() + "?q=" + urllib.parse.quote(word))
            got = sorted(js("return Array.from(document.querySelectorAll('#village-directory "
                            "tbody tr[data-code]')).filter(r => !r.hidden).map(r => "
                            "r.getAttribute('data-code'));"))
            check(f"villages.html?q={word} shows the villages whose name holds {word}",
                  got == want and 0 < len(got) < len(all_rows), (got, want))

        # A manager's work lists (SPEC §8), reached from the ranking of their branch's page.
        branch = sorted((site / "branches").glob("*.html"))[0]
        driver.get(branch.resolve().as_uri())
        links = driver.find_elements(By.CSS_SELECTOR, "#manager-table tbody a")
        if check(f"{branch.name}: the manager ranking links its managers", len(links) > 1,
                 f"{len(links)} links"):
            name = links[0].text
            links[0].click()
            h1 = driver.find_element(By.TAG_NAME, "h1").text
            check(f"clicking {name} opens their work lists",
                  h1.startswith(name) and "/managers/" in driver.current_url,
                  f"{driver.current_url}: {h1}")
            counts = js("return Array.from(document.querySelectorAll('table.tasks')).map("
                        "t => [t.id, t.querySelectorAll('tbody tr[data-id]').length]);")
            tid, n = max(counts, key=lambda x: x[1]) if counts else ("", 0)
            rows_js = ("return Array.from(document.querySelectorAll('#' + arguments[0] + "
                       "' tbody tr[data-id]')).filter(r => !r.hidden && "
                       "getComputedStyle(r).display !== 'none').map(r => r.getAttribute('data-id'));")
            boxes = driver.find_elements(By.CSS_SELECTOR, f'input.table-filter[data-table="{tid}"]')
            if check(f"{name}'s longest list ({tid}, {n} rows) has its filter box",
                     n > 1 and len(boxes) == 1 and boxes[0].is_displayed()):
                ids = js(rows_js, tid)
                boxes[0].send_keys(ids[-1])
                got = js(rows_js, tid)
                check(f"typing {ids[-1]} in {tid}'s box leaves that household",
                      got == [ids[-1]], ", ".join(got[:5]))
                other = [t for t, k in counts if t != tid and k > 0]
                check("the other lists are not filtered",
                      all(len(js(rows_js, t)) == k for t, k in counts if t != tid), other)
        phone_checks(driver, js, site, url)
        print_checks(driver, site, url, downloads)

        # Chart text on a phone (390 CSS px, as a phone's browser lays the page out) and on a
        # desktop, where the funnel and the segments sit in half-width panels.
        targets = [(villages / page_name, page_name), (site / "index.html", "index.html"),
                   (branch, f"branches/{branch.name}")]
        for width, mobile in ((390, True), (1280, False)):
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
            for path, name in targets:
                driver.get(path.resolve().as_uri())
                inner = js("return window.innerWidth;")
                if check(f"{name} at {width} px: the viewport is {width} CSS px wide",
                         inner == width, inner):
                    check_chart_text(driver, f"{name} at {width} px")
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        print("usage: /usr/bin/python3 tests/browser/test_dossier.py SITE_DIR", file=sys.stderr)
        sys.exit(2)
    try:
        run(pathlib.Path(sys.argv[1]))
    except Exception as e:  # any failure of the driver is one failed check, never a silent pass
        check("the browser test ran to the end", False, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
