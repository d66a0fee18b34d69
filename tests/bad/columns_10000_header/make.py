#!/usr/bin/python3
"""A households.csv header of 10,000 columns.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
b = open(p, "rb").read()
head, rest = b.split(b"\n", 1)
cols = b",".join(b"c%d" % i for i in range(10000))
open(p, "wb").write(head + b"," + cols + b"\n" + rest)
