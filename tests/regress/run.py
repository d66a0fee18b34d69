#!/usr/bin/python3
# tests/regress/run.py — golden files for the pages: builds each case's archive and compares
# every HTML page and the indicator document with tests/regress/<case>/, file by file.
"""Usage: tests/regress/run.py [--regen]

Each case tests/regress/<case>/ builds its archive input/ with $CUNDANG (default ./cundang)
into a temporary folder and compares the build with the golden files beside input/. The pages are compared after three normalisations, so that a
golden file shows what a page says and how it is marked up, and stays readable in a diff:
every inline <svg> chart becomes <svg><!-- chart --></svg> (charts are tested by
test_charts.py; their glyph outlines would bury the text), and the shared inline
<style> and <script> become placeholders (they are the same templates in every page).
Prints one line per file and, last, "N passed, N failed". --regen rewrites the golden
files from this build (make regen), for review with git diff before committing."""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CUNDANG = os.path.abspath(os.path.join(ROOT, os.environ.get("CUNDANG", "./cundang")))

# Every folder with an input/ archive is a case: tests/regress/<case>/input/ is built, and the
# pages beside it are what the build must write (as lowdown's regress/ keeps them side by side).
# small: the hand-made archive of test_small.py; hostile: <script>, javascript: links and
# quotes in every field.
CASES = sorted(c for c in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, c, "input")))

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def normalise(text):
    """The page as kept in a golden file: charts, style sheet and script as placeholders."""
    text = SVG.sub("<svg><!-- chart --></svg>", text)
    text = STYLE.sub("<style><!-- style.mustache --></style>", text)
    return SCRIPT.sub("<script><!-- script.mustache --></script>", text)


def outputs(root):
    """Relative paths of the pages and JSON documents below root, sorted; a case's input/
    archive is not an output."""
    found = []
    for d, dirs, files in os.walk(root):
        if d == root and "input" in dirs:
            dirs.remove("input")
        for f in files:
            if f.endswith((".html", ".json")):
                found.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(found)


def build(archive, out):
    """Builds archive into out; returns (exit status, stderr)."""
    p = subprocess.run([CUNDANG, "build", "-q", "-i", os.path.join(ROOT, archive), "-o", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def main():
    regen = sys.argv[1:] == ["--regen"]
    if sys.argv[1:] and not regen:
        print(__doc__, file=sys.stderr)
        return 2
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="cundang-regress-")
    try:
        for case in CASES:
            out = os.path.join(tmp, case)
            golden = os.path.join(HERE, case)
            archive = os.path.join(golden, "input")
            rc, err = build(archive, out)
            if rc != 0:
                print(f"FAIL {case}: build exits {rc}: {err[-400:]}")
                failed += 1
                continue
            got = outputs(out)
            if regen:
                # The golden files go, the archive input/ stays.
                for rel in outputs(golden):
                    os.remove(os.path.join(golden, rel))
                for rel in got:
                    with open(os.path.join(out, rel), encoding="utf-8") as f:
                        text = normalise(f.read())
                    os.makedirs(os.path.dirname(os.path.join(golden, rel)), exist_ok=True)
                    with open(os.path.join(golden, rel), "w", encoding="utf-8") as f:
                        f.write(text)
                print(f"regen {case}: {len(got)} files in tests/regress/{case}/")
                continue
            want = outputs(golden) if os.path.isdir(golden) else []
            if got != want:
                print(f"FAIL {case}: the files differ: only built {sorted(set(got) - set(want))}, "
                      f"only golden {sorted(set(want) - set(got))}")
                failed += 1
            for rel in sorted(set(got) & set(want)):
                with open(os.path.join(out, rel), encoding="utf-8") as f:
                    text = normalise(f.read())
                with open(os.path.join(golden, rel), encoding="utf-8") as f:
                    expected = f.read()
                if text == expected:
                    print(f"ok   {case}/{rel}")
                    passed += 1
                    continue
                print(f"FAIL {case}/{rel} differs from its golden file (make regen to accept):")
                diff = difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                            f"golden/{rel}", f"built/{rel}", lineterm="", n=1)
                for line in list(diff)[:40]:
                    print("    " + line[:200])
                failed += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not regen:
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
