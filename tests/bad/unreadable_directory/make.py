#!/usr/bin/python3
"""households.csv is a directory (read() fails with EISDIR, for root too).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
os.remove(p)
os.mkdir(p)
