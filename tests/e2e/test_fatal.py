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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import ROOT, Checks, run  # noqa: E402

CASES = os.path.join("tests", "fatal")


def run_case(case):
    """Returns a list of problems (empty when the case passes)."""
    with open(os.path.join(CASES, case, "expect"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    if len(lines) < 2 or not lines[0].strip().isdigit() or not lines[1]:
        return ["malformed expect file: want the exit status, then a message fragment"]
    status, fragment = int(lines[0].strip()), lines[1]
    got, _, stderr = run("stats", "-i", os.path.join(CASES, case, "archive"), timeout=60)
    problems = []
    if got != status:
        problems.append("exit status: expected %d, got %d" % (status, got))
    if fragment not in stderr:
        problems.append("stderr lacks %r" % fragment)
    if problems:
        problems.append("stderr was: %s" % (stderr.strip()[-1000:] or "(empty)"))
    return problems


def main():
    os.chdir(ROOT)
    cases = sorted(c for c in os.listdir(CASES)
                   if os.path.isfile(os.path.join(CASES, c, "expect")))
    checks = Checks(problem_limit=None, one_per_line=True)
    for case in cases:
        checks.problems_check(case, run_case(case))
    if not cases:
        checks.check("no cases under %s" % CASES, False)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
