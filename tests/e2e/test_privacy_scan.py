#!/usr/bin/python3
"""test_privacy_scan.py — no personal number leaks from a hostile archive (SPEC §7; issue 10 §3).

The archive is generated here: every ID and mobile number of it is written where a shifted
or careless export puts one — in free-text columns (grid, manager, negative_reason, product,
segment), in date, integer and boolean columns (so findings quote them), behind a 23-byte
prefix that a 40-byte quote would cut (mask first, then cut), in the front matter (township,
industries, a key person's role) and in the narrative, written with hyphens, spaces, ideographic
spaces, +86, full-width digits, two run together, and as `321181 19700101 123X`.

The site is built with masked workbooks, and every byte the build writes is scanned: HTML,
SVG, JSON, CSV and every other text file (also with entities decoded, JSON also decoded), the
XML members inside each .xlsx, and the text chunks (tEXt, zTXt, iTXt) of each PNG; so are
`stats --json` and `check --json`. Text is normalised first: full-width digits and X mapped to
ASCII, separators (white space, hyphens, +) removed, markup tags dropped (their attributes are
scanned as written). No run of 11 or more characters of any ID number, and none of 8 or more
digits of any phone number, of the input may appear. Each number is also checked to be in the
input as the test meant (so the scan cannot pass by finding nothing to look for), and a few
masked forms are checked to be on the pages.
Runs from the repository root (standard library only; CUNDANG defaults to ./cundang); the last
line is "N passed, N failed"."""
import html
import json
import os
import re
import struct
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, build, run, scratch_dir, tree_files  # noqa: E402

checks = Checks(detail_limit=1200)
check, problems_check = checks.check, checks.problems_check

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(area, birth, seq):
    body = area + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


# The personal numbers of the archive. Mobiles are 1[3-9] + 9 digits, chosen so that no
# 8 digits of them occur by chance on a page (the pages print counts, amounts and dates).
IDS = [resident_id("321181", "19700101", "%03d" % (100 + i)) for i in range(12)]
PHONES = ["1597306%04d" % (4100 + 37 * i) for i in range(24)]


def fw(s):
    """s in full-width digits and X."""
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else ("Ｘ" if c == "X" else c) for c in s)


def spaced_id(s):
    return f"{s[:6]} {s[6:14]} {s[14:]}"


def hyphen(p):
    return f"{p[:3]}-{p[3:7]}-{p[7:]}"


def spaced(p):
    return f"{p[:3]} {p[3:7]} {p[7:]}"


SITE = """bank: 测试银行
month: 2026-10
branches:
  - {code: HB, name: 后白支行}
acceptance:
  pass_score: 80
  indicators:
    visit_rate:   {min: 0.95, weight: 15}
    archive_rate: {min: 0.90, weight: 15}
  checks:
    village_meeting: {label: 村级对接会, weight: 2.5}
privacy:
  mask_workbooks: true
"""

P, I = PHONES, IDS
VILLAGE = f"""---
name: 后白村
township: 后白镇{P[0]}
branch: HB
grade: A
industries: [葡萄{I[0]}, "草莓 {hyphen(P[1])}"]
checks: {{village_meeting: true}}
key_persons:
  - {{name: 王建国, role: "村支书 {spaced(P[2])}", phone: "{P[3]}"}}
  - {{name: 李国强, role: "联络员{I[1]}", phone: "+86 {spaced(P[4])}"}}
---
# 村情

联系电话 {hyphen(P[5])}，备用 {spaced(P[6])}，国际 +86{P[7]}，全角 {fw(P[8])}，
两个连写 {P[9]}{P[10]}，身份证 {spaced_id(I[2])}，全角身份证 {fw(I[3])}。
`{P[11]}` 与 *{I[4]}*，表意空格 {P[12][:3]}\u3000{P[12][3:7]}\u3000{P[12][7:]}。
"""

HEADER = ("household_id,head_name,id_number,phone,segment,grid,manager,members,migrant,"
          "visited_on,archived_on,negative_reason,credit_line,granted_on,signed_on\n")
ROWS = [
    ["V1-01", "张三", I[5], P[13], "农户", f"一组{hyphen(P[14])}", f"陈静{P[15]}", "3", "否",
     "2026-03-01", "2026-03-05", "", "3万", "2026-04-01", "2026-04-10"],
    ["V1-02", "李四", I[6], spaced(P[16]), I[7], "二组", "陈静", P[17], P[18],
     "x" * 23 + I[8], "2026-03-06", f"失信 {spaced_id(I[9])}", "", "", ""],
    ["V1-03", "王五", fw(I[10]), "+86" + P[19], "商户", f"{P[20]} {P[21]}", "陈静", "2", "否",
     "abcdefghijklmnopqrstuvwxyzabcdefghijk" + P[22], "", "", "", "", ""],
]
LOANS = ("loan_id,household_id,product,amount,disbursed_on,balance,channel\n"
         f"L1,V1-01,惠农e贷{I[11]},1万,2026-05-01,10000,手机银行\n"
         f"L2,V1-01,\"经营贷 {hyphen(P[23])}\",1万,2026-05-02,5000,柜面\n")


def write_archive(root):
    for rel, text in (("site.yaml", SITE), ("villages/V1/village.md", VILLAGE),
                      ("villages/V1/households.csv",
                       HEADER + "".join(",".join(r) + "\n" for r in ROWS)),
                      ("loans/2026.csv", LOANS)):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


# ---- normalising and scanning ----

FULL = {0xFF10 + i: ord("0") + i for i in range(10)}
FULL.update({0xFF38: ord("X"), 0xFF58: ord("X"), ord("x"): ord("X")})
SEPARATORS = re.compile(r"[\s\-+\u3000\uff0d\uff0b\u00a0]+")
TAG = re.compile(r"<[^>]*>")
# Attribute values, but those of geometry: coordinates are numbers separated by spaces.
ATTR = re.compile(r'\s([a-zA-Z_:-]+)="([^"]*)"')
GEOMETRY = {"d", "points", "transform", "viewBox", "x", "y", "x1", "x2", "y1", "y2", "cx",
            "cy", "r", "rx", "ry", "width", "height", "stroke-width", "font-size",
            "stroke-dasharray", "offset"}


def normalise(text):
    return SEPARATORS.sub("", text.translate(FULL))


def views(rel, data):
    """The texts of one output file to scan: (label, text) pairs."""
    out = []
    if rel.endswith(".png"):
        pos = 8
        while pos + 8 <= len(data):
            n, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + n]
            if kind == b"tEXt":
                out.append(("tEXt", body.decode("latin-1")))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                out.append(("zTXt", key.decode("latin-1") + zlib.decompress(rest[1:]).decode("latin-1")))
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                flag, rest = rest[0], rest[2:]
                _, _, rest = rest.partition(b"\0")
                _, _, text = rest.partition(b"\0")
                out.append(("iTXt", key.decode("utf-8", "replace") +
                            (zlib.decompress(text) if flag else text).decode("utf-8", "replace")))
            pos += 12 + n
        return out
    if rel.endswith(".xlsx"):
        with zipfile.ZipFile(os.path.join(OUT, rel)) as z:
            for name in z.namelist():
                text = z.read(name).decode("utf-8", "replace")
                out.append((name, text))
                out.append((name + " (text)", html.unescape(TAG.sub(" ", text))))
        return out
    text = data.decode("utf-8", "replace")
    out.append(("raw", text))
    out.append(("text", html.unescape(TAG.sub(" ", text))))
    out.append(("attributes", "|".join(html.unescape(v) for k, v in ATTR.findall(text)
                                       if k not in GEOMETRY)))
    if rel.endswith(".json"):
        try:
            out.append(("decoded", json.dumps(json.loads(text), ensure_ascii=False)))
        except ValueError:
            pass
    return out


def needles():
    """(kind, number, its fragments) for every personal number of the input."""
    found = []
    for n in IDS:
        found.append(("ID", n, {n[i:i + 11] for i in range(len(n) - 10)}))
    for n in PHONES:
        found.append(("phone", n, {n[i:i + 8] for i in range(len(n) - 7)}))
    return found


def scan(label, text, out, raw=False):
    """Appends to out the first fragment found of each personal number in text, normalised
    (raw: full-width digits mapped only, for whole markup, where glyph outlines and
    coordinates are numbers separated by spaces; its text and attributes are views of their
    own, normalised)."""
    flat = text.translate(FULL) if raw else normalise(text)
    for kind, number, frags in NEEDLES:
        for frag in frags:
            at = flat.find(frag)
            if at >= 0:
                out.append(f"{label}: {kind} {number[:3]}… as {flat[max(0, at - 20):at + 30]!r}")
                break


NEEDLES = needles()
OUT = None


def main():
    global OUT
    with scratch_dir("privacy-scan") as tmp:
        archive = os.path.join(tmp, "archive")
        write_archive(archive)
        # The input holds every number, in the forms meant (after normalising).
        raw = ""
        for d, _, files in os.walk(archive):
            for f in files:
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    raw += fh.read()
        flat = normalise(raw)
        check("input: every ID and phone number is in the archive",
              all(n in flat for n in IDS + PHONES),
              [n for n in IDS + PHONES if n not in flat])
        OUT = os.path.join(tmp, "out")
        rc, err = build(archive, OUT)
        check("the hostile archive builds", rc == 0, err[-800:])
        if rc != 0:
            return checks.summary()
        files = tree_files(OUT)
        kinds = {os.path.splitext(f)[1] for f in files}
        check("output: pages, JSON, workbooks and PNGs were written",
              {".html", ".json", ".xlsx", ".png"} <= kinds, sorted(kinds))
        leaks = []
        for rel in files:
            with open(os.path.join(OUT, rel), "rb") as f:
                data = f.read()
            for label, text in views(rel, data):
                scan(f"{rel} {label}", text, leaks, raw=label == "raw")
        for args in (("stats", "--json"), ("check", "--json")):
            rc, out, err = run(*args, "-i", archive, text=True)
            check(f"{' '.join(args)} runs", rc == 0, err[-400:])
            scan(" ".join(args), out, leaks)
            scan(" ".join(args) + " decoded",
                 json.dumps(json.loads(out), ensure_ascii=False) if rc == 0 else "", leaks)
        problems_check(f"no ID (11+ characters) or phone number (8+ digits) in any of "
                       f"{len(files)} output files", leaks)
        # The masked forms are there: the test would pass vacuously if nothing were shown.
        with open(os.path.join(OUT, "villages", "V1.html"), encoding="utf-8") as f:
            page = html.unescape(f.read())
        want = [f"{P[5][:3]}-****-{P[5][7:]}", f"+86{P[7][:3]}****{P[7][7:]}",
                f"{P[9][:3]}****{P[9][7:]}{P[10][:3]}****{P[10][7:]}",
                f"{I[2][:6]} ******** {I[2][14:]}", fw(P[8][:3]) + "****" + fw(P[8][7:]),
                f"陈静{P[15][:3]}****{P[15][7:]}", f"一组{P[14][:3]}-****-{P[14][7:]}"]
        problems_check("the dossier shows the numbers masked",
                       [w for w in want if w not in page])
        with open(os.path.join(OUT, "quality.html"), encoding="utf-8") as f:
            quality = html.unescape(f.read())
        masked = "x" * 23 + I[8][:6] + "*" * 8 + I[8][14:]
        check("a quote cut at 40 bytes is cut after masking",
              "“" + masked[:40] + "...”" in quality, re.findall(r"x{23}[^”]*", quality)[:2])
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
