#!/usr/bin/python3
"""A NUL byte inside an amount of the loan ledger.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "loans/2026.csv")
b = open(p, "rb").read()
open(p, "wb").write(b.replace(b"10000", b"100\x0000"))
