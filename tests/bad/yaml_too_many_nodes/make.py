#!/usr/bin/python3
"""12,000 anchored lists of 9 aliases each: 108,000 values, past the 100,000 limit.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_bytes  # noqa: E402

s = "n0: &a0 [x, x, x, x, x, x, x, x, x]\n"
for i in range(1, 12000):
    s += "n%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9))
replace_bytes(sys.argv[1], "villages/V1/village.md", "grade: A\n", "grade: A\n" + s)
