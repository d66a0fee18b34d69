#!/usr/bin/python3
"""Fatal input errors (SPEC §2, §3, §4): each tests/fatal/<case>/ holds a tiny archive
`archive/` with exactly one fatal defect and a file `expect` of two lines: the exit status
(2) and a fragment that must appear in standard error (a path such as
`villages/bad name`, or the offending key).

Runs `$CUNDANG stats -i tests/fatal/<case>/archive` for every case, from the repository
root (CUNDANG defaults to ./cundang). One check per case. The last line printed is
"N passed, N failed"; the exit status is 1 when anything failed.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join("tests", "fatal")


def binary():
    exe = os.environ.get("CUNDANG", "./cundang")
    # Resolve a relative path against the caller's directory before we chdir to ROOT.
    if os.sep in exe:
        exe = os.path.abspath(exe)
    return exe


def run_case(case):
    """Returns a list of problems (empty when the case passes)."""
    with open(os.path.join(CASES, case, "expect"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    if len(lines) < 2 or not lines[0].strip().isdigit() or not lines[1]:
        return ["malformed expect file: want the exit status, then a message fragment"]
    status, fragment = int(lines[0].strip()), lines[1]
    args = [binary(), "stats", "-i", os.path.join(CASES, case, "archive")]
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return ["cannot run %s: %s" % (" ".join(args), e)]
    stderr = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode != status:
        problems.append("exit status: expected %d, got %d" % (status, p.returncode))
    if fragment not in stderr:
        problems.append("stderr lacks %r" % fragment)
    if problems:
        problems.append("stderr was: %s" % (stderr.strip()[-1000:] or "(empty)"))
    return problems


def main():
    os.chdir(ROOT)
    cases = sorted(c for c in os.listdir(CASES)
                   if os.path.isfile(os.path.join(CASES, c, "expect")))
    passed = failed = 0
    for case in cases:
        problems = run_case(case)
        if problems:
            failed += 1
            print("FAIL %s" % case)
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print("ok   %s" % case)
    if not cases:
        failed += 1
        print("FAIL no cases under %s" % CASES)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
