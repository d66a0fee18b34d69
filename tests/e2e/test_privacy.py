#!/usr/bin/python3
"""test_privacy.py — the privacy guarantees of issue #6, tested on the sample input/
(SPEC §2 --branch, §7 Privacy; README "Privacy").

  1. No full ID number, phone number or household head name of input/, nor a key person's
     full name or phone, appears in any text file of the built site (.html, .json, .svg,
     .css, .js, .txt, .csv) nor, when privacy.mask_workbooks is on, inside a workbook.
     Files are read as a browser or a JSON reader would (HTML entities and \\u escapes
     decoded). Names shorter than 2 characters, and ID or phone values shorter than 8, are
     not looked for; a name that is also public text of the archive (a manager, a grid, a
     village, a narrative, site.yaml) is not a leak signal.
  2. `--branch HB` holds nothing of another branch: no file or link named by another
     branch's or village's code, and none of their codes, names, village names, townships or
     account managers in any text (names taken from `cundang stats --json -i input`).
  3. Permissions: built under umask 022 nothing is world-writable, and under umask 077
     nothing is readable by group or others; files get 0666 and folders 0777 less the
     umask. No staging folder (.NAME.new-*, .NAME.old-*) is left beside the output after a
     first build, a rebuild over it, or a failed build.
  4. A narrative (village.md) written with a remote and a relative image, off-site links, an
     ID number, a mobile number and one in inline code (appended to a copy of
     tests/regress/small/input): the dossier loads and links nothing off the page (no <img, no href or
     src to another host, the image as "[图片：alt]", the link's URL as text), a relative
     link stays, and the numbers are masked as in the household table (SPEC §7).
Runs from the repository root (standard library only; CUNDANG defaults to ./cundang).
Prints "ok   name" / "FAIL name: detail" per check; the last line is "N passed, N failed";
the exit status is 1 when anything failed.
"""
import html
import json
import os
import re
import shutil
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import CUNDANG, ROOT, Checks, build, run, run_json, scratch_dir  # noqa: E402
from testlib import context, key_persons, read_households, read_text, village_md  # noqa: E402
from testlib import tree_files  # noqa: E402

INPUT = "input"
BRANCH = "HB"
TEXT_EXT = (".html", ".htm", ".json", ".svg", ".css", ".js", ".txt", ".csv", ".md", ".xml")

checks = Checks()
check, problems_check = checks.check, checks.problems_check


# ---- reading the input ----

def villages_md(archive):
    """code -> (front matter, narrative) of every village."""
    out = {}
    vdir = os.path.join(archive, "villages")
    for code in sorted(os.listdir(vdir)):
        if os.path.isfile(os.path.join(vdir, code, "village.md")):
            out[code] = village_md(archive, code)
    return out


# ---- reading the output ----

def json_text(raw):
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False)
    except ValueError:
        return raw


def output_texts(top, workbooks=True):
    """rel -> text of every text file (decoded as a reader would see it) and of every XML
    part of a workbook (as rel!part)."""
    texts = {}
    for rel in tree_files(top, dirs=True):
        path = os.path.join(top, rel)
        if not os.path.isfile(path):
            continue
        if rel.endswith(TEXT_EXT):
            with open(path, "rb") as f:
                raw = f.read().decode("utf-8", "replace")
            if rel.endswith(".json"):
                texts[rel] = raw + "\n" + json_text(raw)
            else:
                texts[rel] = raw + "\n" + html.unescape(raw)
        elif rel.endswith(".xlsx") and workbooks:
            try:
                with zipfile.ZipFile(path) as z:
                    for part in z.namelist():
                        if part.endswith((".xml", ".rels")):
                            raw = z.read(part).decode("utf-8", "replace")
                            texts[f"{rel}!{part}"] = raw + "\n" + html.unescape(raw)
            except zipfile.BadZipFile:
                texts[rel] = ""
    return texts


class Windows:
    """All substrings of given lengths of the digit runs and of the non-ASCII runs of a text,
    so that thousands of values are looked up in a set rather than searched one by one."""

    def __init__(self, text, digit_lens, name_lens):
        self.text = text
        self.digits = set()
        for m in re.finditer(r"[0-9Xx]{8,}", text):
            run_ = m.group(0).upper()
            for n in digit_lens:
                self.digits.update(run_[i:i + n] for i in range(len(run_) - n + 1))
        self.names = set()
        for m in re.finditer(r"[^\x00-\x7f]+", text):
            run_ = m.group(0)
            for n in name_lens:
                self.names.update(run_[i:i + n] for i in range(len(run_) - n + 1))

    def has_number(self, value):
        v = value.upper()
        return v in self.digits if re.fullmatch(r"[0-9X]+", v) else value in self.text

    def has_name(self, value):
        return value in self.names if not value.isascii() else value in self.text


def mask_workbooks(archive):
    t = read_text(os.path.join(archive, "site.yaml"))
    m = re.search(r"^\s*mask_workbooks\s*:\s*(\S+)", t, re.M)
    return not (m and m.group(1).strip("'\"").lower() in ("false", "no", "n", "off", "0"))


# ---- 1. no full personal value ----

def t_no_full_values(out):
    rows = read_households(INPUT)
    mds = villages_md(INPUT)
    check("input: households and key persons read", len(rows) > 100 and
          sum(len(key_persons(f)) for f, _ in mds.values()) > 0,
          f"{len(rows)} households")
    texts = output_texts(out, workbooks=mask_workbooks(INPUT))
    check("output: text files found", any(r.endswith(".html") for r in texts) and
          any(r.endswith(".json") for r in texts), ", ".join(sorted(texts)[:10]))

    # Public text in which a person's name may legitimately occur.
    public = [h.get(k, "") for h in rows for k in ("manager", "grid", "negative_reason")]
    for front, narrative in mds.values():
        public.append(narrative)
        public += re.findall(r"^(?:name|township)\s*:\s*(.+)$", front, re.M)
        public += re.findall(r"role\s*:\s*([^,}\n]+)", front)
        public += re.findall(r"^industries\s*:\s*(.+)$", front, re.M)
    public.append(read_text(os.path.join(INPUT, "site.yaml")))
    public = "\n".join(public)

    names, numbers = {}, {}  # value -> what it is
    for h in rows:
        who = f"household {h.get('household_id', '?')}"
        if len(h.get("head_name", "")) >= 2 and h["head_name"] not in public:
            names[h["head_name"]] = who + " head_name"
        for k in ("id_number", "phone"):
            if len(h.get(k, "")) >= 8:
                numbers[h[k]] = f"{who} {k}"
    for code, (front, _) in mds.items():
        for kp in key_persons(front):
            if len(kp["name"]) >= 2 and kp["name"] not in public:
                names[kp["name"]] = f"key person of {code}"
            if len(kp["phone"]) >= 8:
                numbers[kp["phone"]] = f"key person phone of {code}"
    digit_lens = {len(v) for v in numbers if re.fullmatch(r"[0-9Xx]+", v)}
    name_lens = {len(v) for v in names if not v.isascii()}

    leaks = {"ID": [], "phone": [], "name": []}
    for rel, text in sorted(texts.items()):
        w = Windows(text, digit_lens, name_lens)
        for v, who in numbers.items():
            if w.has_number(v):
                kind = "ID" if "id_number" in who else "phone"
                leaks[kind].append(f"{who} in {rel}: …{context(text, v, 40)}…")
        for v, who in names.items():
            if w.has_name(v):
                leaks["name"].append(f"{who} ({v}) in {rel}: …{context(text, v, 40)}…")
    problems_check("privacy: no full ID number in the output", leaks["ID"])
    problems_check("privacy: no full phone number (households, key persons) in the output",
                   leaks["phone"])
    problems_check("privacy: no full head-of-household or key-person name in the output",
                   leaks["name"])


# ---- 2. --branch ----

def code_re(code):
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(code) + r"(?![A-Za-z])")


def t_branch(tmp, doc):
    out = os.path.join(tmp, "branch")
    rc, err = build(INPUT, out, "--branch", BRANCH)
    check(f"--branch {BRANCH}: the build succeeds", rc == 0, err[-600:])
    if rc != 0:
        return
    others = [b for b in doc["branches"] if b["code"] != BRANCH]
    mine = [v for v in doc["villages"] if v["branch"] == BRANCH]
    theirs = [v for v in doc["villages"] if v["branch"] != BRANCH]
    check(f"--branch {BRANCH}: the sample has other branches", others and theirs and mine)

    codes = [b["code"] for b in others] + [v["code"] for v in theirs]
    words = {b["name"]: f"branch name of {b['code']}" for b in others}
    words.update({v["name"]: f"village name of {v['code']}" for v in theirs})
    my_towns = {v["township"] for v in mine}
    words.update({v["township"]: f"township of {v['code']}" for v in theirs
                  if v["township"] not in my_towns})
    # Account managers are shown in full; another branch's must not be.
    rows = read_households(INPUT)
    my_codes = {v["code"] for v in mine}
    my_managers = {h.get("manager", "") for h in rows if h["village"] in my_codes}
    for h in rows:
        m = h.get("manager", "")
        if len(m) >= 2 and h["village"] not in my_codes and m not in my_managers:
            words.setdefault(m, f"account manager of {h['village']}")

    paths = []
    for rel in tree_files(out, dirs=True):
        tokens = set(re.split(r"[/._-]", rel))
        hit = [c for c in codes if c in tokens]
        if hit:
            paths.append(f"{rel} ({', '.join(hit)})")
    problems_check(f"--branch {BRANCH}: no file named by another branch or its villages", paths)

    texts = output_texts(out)
    found = []
    patterns = [(code_re(c), f"code {c}") for c in codes]
    for rel, text in sorted(texts.items()):
        for rx, what in patterns:
            m = rx.search(text)
            if m:
                found.append(f"{what} in {rel}: …{text[max(0, m.start() - 40):m.end() + 40]}…")
        for word, what in words.items():
            if word in text:
                found.append(f"{what} ({word}) in {rel}: …{context(text, word, 40)}…")
    problems_check(f"--branch {BRANCH}: no code, name, village, township or manager of "
                   "another branch in any text", found)
    data = [r for r in texts if r.startswith("data/") and r.endswith(".json")]
    bad = []
    for r in data:
        d = json.loads(open(os.path.join(out, r), encoding="utf-8").read())
        bad += [f"{r}: branch {b['code']}" for b in d.get("branches", []) if b["code"] != BRANCH]
        bad += [f"{r}: village {v['code']}" for v in d.get("villages", [])
                if v.get("branch") != BRANCH]
    check(f"--branch {BRANCH}: the indicator document has only {BRANCH}",
          data and not bad, "; ".join(bad[:8]) or "no data/*.json")


# ---- 3. permissions and staging folders ----

def t_permissions(tmp):
    for umask in (0o022, 0o077):
        out = os.path.join(tmp, "perm%03o" % umask, "out")
        os.makedirs(os.path.dirname(out))
        rc, err = build(INPUT, out, umask=umask)
        check("umask %03o: the build succeeds" % umask, rc == 0, err[-600:])
        if rc != 0:
            continue
        bad_world, bad_mode = [], []
        for rel in ["."] + tree_files(out, dirs=True):
            st = os.lstat(os.path.join(out, rel))
            mode = st.st_mode & 0o7777
            want = (0o777 if os.path.isdir(os.path.join(out, rel)) else 0o666) & ~umask
            if mode & 0o002:
                bad_world.append("%s %04o" % (rel, mode))
            if mode != want:
                bad_mode.append("%s %04o, expected %04o" % (rel, mode, want))
        problems_check("umask %03o: nothing in the output is world-writable" % umask,
                       bad_world)
        problems_check("umask %03o: files 0666 and folders 0777 less the umask" % umask,
                       bad_mode)
        if umask == 0o077:
            open_ = [b for b in bad_mode if int(b.split()[1], 8) & 0o077]
            problems_check("umask 077: nothing readable by group or others", open_)


def t_staging(tmp):
    parent = os.path.join(tmp, "stage")
    out = os.path.join(parent, "out")
    os.makedirs(parent)
    bad = os.path.join(tmp, "bad-archive")
    shutil.copytree(INPUT, bad)
    os.remove(os.path.join(bad, "site.yaml"))
    steps = [("first build", ("build", "-q", "-i", INPUT, "-o", out), 0),
             ("rebuild over the previous output", ("build", "-q", "-i", INPUT, "-o", out), 0),
             ("failed build (no site.yaml)", ("build", "-q", "-i", bad, "-o", out), 2)]
    for what, args, want in steps:
        rc, _, err = run(*args)
        left = sorted(set(os.listdir(parent)) - {"out", ".out.lock"})
        check(f"staging: {what} exits {want} and leaves nothing beside the output but its lock",
              rc == want and not left and os.path.isdir(out),
              f"exit {rc}, left {left}: {err[-300:]}")


# ---- 4. the narrative ----

SMALL = os.path.join("tests", "regress", "small", "input")
NARRATIVE = """
## 外部内容

村口照片 ![追踪像素](http://evil.example/track.png) 与 ![村口](img/gate.png)，
参见[镇政府网站](https://evil.example/gov)、<https://evil.example/auto>、
[网络路径](//evil.example/net) 与 [本地台账](ledger.html)。

联系人身份证 32012319900101567X，手机 13700009999，账号 6222021234567890123。
代码 `13800001111`。
"""


def t_narrative(tmp):
    archive = os.path.join(tmp, "narrative-archive")
    shutil.copytree(SMALL, archive)
    with open(os.path.join(archive, "villages", "A1", "village.md"), "a", encoding="utf-8") as f:
        f.write(NARRATIVE)
    out = os.path.join(tmp, "narrative")
    rc, err = build(archive, out)
    check("narrative: the build of tests/regress/small/input with a hostile narrative succeeds",
          rc == 0, err[-600:])
    if rc != 0:
        return
    raw = read_text(os.path.join(out, "villages", "A1.html"))
    text = html.unescape(raw)
    loads = [m.group(0) for m in re.finditer(r"<img\b[^>]*>", raw, re.I)
             if not re.search(r"""\bsrc\s*=\s*["']?\s*data:image/""", m.group(0), re.I)]
    # data: URLs are inline (the page's own favicon href="data:,"): they load nothing.
    loads += re.findall(r"""\b(?:src|href|action|srcset|poster)\s*=\s*["']?\s*"""
                        r"""(?!data:)(?:[a-z][a-z0-9+.-]*:|//)[^"'\s>]*""", raw, re.I)
    problems_check("narrative: no <img and no absolute src or href in the dossier", loads)
    want = ["[图片：追踪像素]", "[图片：村口]", "镇政府网站 (https://evil.example/gov)",
            "https://evil.example/auto", "网络路径 (//evil.example/net)",
            "320123********567X", "137****9999", "6222021234567890123"]
    problems_check("narrative: images and off-site links shown as inert text, numbers masked",
                   [f"{w!r} not in the page" for w in want if w not in text])
    check("narrative: the masked number in inline code is in <code>",
          "<code>138****1111</code>" in raw, context(raw, "代码", 60))
    check("narrative: a relative link stays a link", 'href="ledger.html"' in raw,
          context(raw, "本地台账", 60))
    full = [v for v in ("32012319900101567X", "13700009999", "13800001111", "track.png",
                        "img/gate.png") if v in text]
    problems_check("narrative: no full ID or phone number, no image file named in the page",
                   [f"{v}: …{context(text, v, 40)}…" for v in full])


def t_shifted_values(tmp):
    """A shifted export puts an ID number where a date belongs and a phone number where a
    yes/no belongs: the findings quote those values, masked, on every page and workbook."""
    archive = os.path.join(tmp, "shifted-archive")
    shutil.copytree(SMALL, archive)
    path = os.path.join(archive, "villages", "A1", "households.csv")
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
    row = {h: "" for h in header}
    row.update({h: v for h, v in (("household_id", "A1-SHIFT"), ("head_name", "郑建国"),
                                  ("id_number", "110101199003074514"))
                if h in row})
    date_col = next(h for h in header if h in ("visited_on", "走访日期"))
    bool_col = next((h for h in header if h in ("migrant", "外出务工")), None)
    row[date_col] = "320117199205120048"
    if bool_col:
        row[bool_col] = "13912345678"
    with open(path, "a", encoding="utf-8") as f:
        f.write(",".join(row[h] for h in header) + "\n")
    out = os.path.join(tmp, "shifted")
    rc, err = build(archive, out)
    check("shifted values: the build succeeds", rc == 0, err[-600:])
    if rc != 0:
        return
    texts = output_texts(out)
    leaks = [rel for rel, t in texts.items()
             if "320117199205120048" in t or (bool_col and "13912345678" in t)]
    problems_check("shifted values: no page, document or workbook quotes them in full", leaks)
    quality = html.unescape(read_text(os.path.join(out, "quality.html")))
    want = ["“320117********0048”"] + (["“139****5678”"] if bool_col else [])
    problems_check("shifted values: the findings quote them masked",
                   [w for w in want if w not in quality])


def main():
    os.chdir(ROOT)
    with scratch_dir("privacy") as tmp:
        try:
            doc, err = run_json("stats", "--json", "-i", INPUT)
            check("stats --json of the sample", doc is not None, err[-600:])
            out = os.path.join(tmp, "full")
            rc, err = build(INPUT, out)
            check("build of the sample", rc == 0, err[-600:])
            if rc == 0:
                t_no_full_values(out)
            if doc:
                t_branch(tmp, doc)
            t_permissions(tmp)
            t_staging(tmp)
            t_narrative(tmp)
            t_shifted_values(tmp)
        except Exception as e:  # a broken test is a failure, never a silent pass
            import traceback
            traceback.print_exc()
            check("test_privacy.py ran to the end", False, f"{type(e).__name__}: {e} ({CUNDANG})")
    return checks.summary()

if __name__ == "__main__":
    sys.exit(main())
