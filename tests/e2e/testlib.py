# testlib.py — the helpers shared by the end-to-end tests tests/e2e/test_*.py: running cundang,
# counting checks, temporary folders, comparing trees and reading the archives' files.
import contextlib
import csv
import filecmp
import io
import json
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The binary under test: $CUNDANG (default ./cundang), a relative path made absolute here,
# before a test changes directory to ROOT.
CUNDANG = os.environ.get("CUNDANG", "./cundang")
if os.sep in CUNDANG:
    CUNDANG = os.path.abspath(CUNDANG)

# The figures of the indicator document (SPEC §6), in the order it writes them.
COUNTS = ["households_total", "listed", "negative", "eligible", "visited", "archived",
          "granted", "signed", "used", "overdue", "loans_outstanding", "loans_online"]
AMOUNTS = ["credit_total", "balance_total", "npl_balance"]
RATES = ["visit_rate", "archive_rate", "credit_coverage", "signing_rate", "usage_rate",
         "amount_usage_rate", "npl_rate", "online_share"]


# ---- running cundang ----

def run(*args, umask=None, timeout=600, text=False):
    """Runs cundang with args; returns (exit status, stdout (str with text, else bytes), stderr)."""
    pre = (lambda: os.umask(umask)) if umask is not None else None
    try:
        p = subprocess.run([CUNDANG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=pre, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, "" if text else b"", "cannot run %s %s: %s" % (CUNDANG, " ".join(args), e)
    out = p.stdout.decode("utf-8", "replace") if text else p.stdout
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def run_json(*args):
    """Runs cundang with args; returns (the JSON it printed, or None on failure, stderr)."""
    rc, out, err = run(*args)
    try:
        return (json.loads(out) if rc == 0 else None), err
    except ValueError:
        return None, err


def build(archive, out, *extra, umask=None):
    """Runs `cundang build -q -i archive -o out` plus extra; returns (exit status, stderr)."""
    rc, _, err = run("build", "-q", "-i", archive, "-o", out, *extra, umask=umask)
    return rc, err


# ---- counting checks ----

class Checks:
    """Counts passed and failed checks; prints a line per check, "ok   name" or "FAIL name"."""

    def __init__(self, detail_limit=None, problem_limit=12, one_per_line=False):
        self.passed = 0
        self.failed = 0
        self.detail_limit = detail_limit    # characters of a failure's detail shown (None: all)
        self.problem_limit = problem_limit  # problems shown by problems_check (None: all)
        self.one_per_line = one_per_line    # problems_check shows each problem on a line of its own

    def check(self, name, ok, detail=""):
        """Records one check; when it fails, detail (any value) is printed after the name."""
        if ok:
            self.passed += 1
            print(f"ok   {name}")
            return
        self.failed += 1
        detail = str(detail) if detail else ""
        if self.detail_limit is not None and len(detail) > self.detail_limit:
            detail = detail[:self.detail_limit] + " ..."
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))

    def problems_check(self, name, problems):
        """Records one check from a list of problems (strings; none means it passed)."""
        shown = problems if self.problem_limit is None else problems[:self.problem_limit]
        more = len(problems) - len(shown)
        if not problems:
            self.check(name, True)
        elif self.one_per_line:
            self.check(name, False)
            for p in shown:
                print("  " + p)
            if more:
                print(f"  ... {more} more")
        else:
            self.check(name, False, "; ".join(shown) + (f"; ... {more} more" if more else ""))

    def summary(self):
        """Prints "N passed, N failed" (what tests/run.sh reads); returns the exit status."""
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


# ---- folders ----

def remove_tree(path):
    """Removes path and all below it, even folders a test made unreadable (absent: nothing)."""
    if not os.path.lexists(path):
        return
    for d, dirs, _ in os.walk(path):
        for name in dirs:
            p = os.path.join(d, name)
            if not os.path.islink(p):
                os.chmod(p, 0o755)
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def scratch_dir(name):
    """A new temporary folder cundang-NAME-*, removed with its content after the with block."""
    tmp = tempfile.mkdtemp(prefix=f"cundang-{name}-")
    try:
        yield tmp
    finally:
        remove_tree(tmp)


def tree_files(root, dirs=False):
    """Sorted relative paths of the files below root (and of the folders too, with dirs)."""
    out = []
    for d, subdirs, files in os.walk(root):
        for f in (subdirs + files if dirs else files):
            out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return sorted(out)


def tree_diff(a, b, endings=None):
    """How trees a and b differ ([]: same files, same bytes; with endings, only those compared)."""
    fa, fb = tree_files(a), tree_files(b)
    if fa != fb:
        return [f"file lists differ: only in first {sorted(set(fa) - set(fb))[:5]}, "
                f"only in second {sorted(set(fb) - set(fa))[:5]}"]
    return [f for f in fa if (endings is None or f.endswith(endings))
            and not filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False)]


# ---- reading an archive ----

def read_text(path):
    """The text of an archive file (SPEC §4: UTF-8 with or without BOM, else GB18030)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# Column names of households.csv (SPEC §3): English (any case) or Chinese.
HOUSEHOLD_COLUMNS = {
    "household_id": ("household_id", "户号"),
    "head_name": ("head_name", "户主姓名", "户主"),
    "id_number": ("id_number", "身份证号", "身份证号码"),
    "phone": ("phone", "联系电话", "手机号"),
    "grid": ("grid", "网格"),
    "manager": ("manager", "客户经理"),
    "negative_reason": ("negative_reason", "负面清单原因", "负面清单"),
    "segment": ("segment", "客群", "客户类型"),
}


def read_households(archive):
    """Every households.csv row of the archive, as a dict of HOUSEHOLD_COLUMNS, village and kept."""
    # Villages in byte order; a missing column is ""; kept: the row survives (both required
    # values, and the first row of its household_id).
    rows, seen = [], set()
    vroot = os.path.join(archive, "villages")
    for code in sorted(os.listdir(vroot), key=lambda s: s.encode()):
        path = os.path.join(vroot, code, "households.csv")
        if not os.path.isfile(path):
            continue
        recs = [r for r in csv.reader(io.StringIO(read_text(path), newline=""))
                if any(c.strip() for c in r)]
        if not recs:
            continue
        header = [c.strip() for c in recs[0]]
        idx = {}
        for key, names in HOUSEHOLD_COLUMNS.items():
            for i, h in enumerate(header):
                if h.lower() == names[0] or h in names[1:]:
                    idx[key] = i
                    break
        for r in recs[1:]:
            h = {k: (r[i].strip() if i < len(r) else "") for k, i in idx.items()}
            for k in HOUSEHOLD_COLUMNS:
                h.setdefault(k, "")
            h["village"] = code
            h["kept"] = bool(h["household_id"] and h["head_name"]
                             and h["household_id"] not in seen)
            if h["kept"]:
                seen.add(h["household_id"])
            rows.append(h)
    return rows


def split_front_matter(text):
    """(front matter, narrative) of the text of a village.md."""
    text = text.replace("\r\n", "\n")
    m = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    return (m.group(1), m.group(2)) if m else ("", text)


def manager_key(name):
    """The key of a manager's page (README "Work lists"): unassigned, or m + FNV-1a 64 in hex."""
    if name == "未分配":
        return "unassigned"
    h = 14695981039346656037
    for b in name.encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return f"m{h:016x}"


def manager_files(archive, doc):
    """The managers' pages and tasks workbooks a build of doc's selection writes, from the
    kept households of its villages: managers/<branch>/<key>.html and tasks/M/<branch>.xlsx."""
    branch_of = {v["code"]: v["branch"] for v in doc["villages"]}
    files = {f"tasks/{doc['month']}/{b['code']}.xlsx" for b in doc["branches"]}
    for h in read_households(archive):
        if h["kept"] and h["village"] in branch_of:
            files.add(f"managers/{branch_of[h['village']]}/{manager_key(h['manager'] or '未分配')}.html")
    return files


def village_md(archive, code):
    """(front matter, narrative) of the village.md of village code."""
    return split_front_matter(read_text(os.path.join(archive, "villages", code, "village.md")))


def _scalar(s):
    """A YAML scalar without its quotes."""
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        s = s[1:-1]
    return s.strip()


def key_persons(front):
    """[{name, phone}] of the key persons in a front matter, flow or block style (no YAML)."""
    # Flow style `- {name: 王建国, role: 村支书, phone: "139…"}` or block style `- name: …`
    # then `  phone: …`: a tiny reader of just this shape.
    block, inside = [], False
    for line in front.split("\n"):
        if re.match(r"key_persons\s*:", line):
            inside = True
            rest = line.split(":", 1)[1].strip()
            if rest:  # key_persons: [{...}, {...}] on one line
                block.append(rest)
            continue
        if inside:
            if line and not line[0].isspace() and not line.startswith("-"):
                break
            block.append(line)
    text = "\n".join(block)
    people = []
    for item in re.split(r"(?:^|\n)\s*-\s+|\}\s*,\s*\{", text):
        name = re.search(r"name\s*:\s*('[^']*'|\"[^\"]*\"|[^,}\n]+)", item)
        phone = re.search(r"phone\s*:\s*('[^']*'|\"[^\"]*\"|[^,}\n]+)", item)
        if name or phone:
            people.append({"name": _scalar(name.group(1)) if name else "",
                           "phone": _scalar(phone.group(1)) if phone else ""})
    return people


def context(text, needle, width=60):
    """needle in text with width characters on either side, on one line ("" if absent)."""
    i = text.find(needle)
    if i < 0:
        return ""
    return text[max(0, i - width): i + len(needle) + width].replace("\n", " ")


def id_number(i):
    """A valid 18-character resident ID (GB 11643 check character) for household i."""
    body = "32118319800101%03d" % (i % 1000)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
