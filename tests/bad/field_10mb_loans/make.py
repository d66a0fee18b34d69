#!/usr/bin/python3
"""A 10 MB amount in the loan ledger.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
with open(os.path.join(a, "loans/2026.csv"), "a", encoding="utf-8") as f:
    f.write("L2,V1-02," + "9" * (10 * 1024 * 1024) + ",2026-06-01,1,0\n")
