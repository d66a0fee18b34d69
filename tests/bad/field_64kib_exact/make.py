#!/usr/bin/python3
"""A head_name of exactly 65536 bytes: the largest field accepted (no finding).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
b = open(p, "rb").read()
open(p, "wb").write(b.replace("王五".encode(), b"w" * 65536))
