#!/usr/bin/python3
"""households.csv saved as GB18030 (so decoded in pieces through iconv) with a 10 MB name.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
t = open(p, encoding="utf-8").read()
t += "V1-04," + "甲" * (5 * 1024 * 1024) + ",321183198511204565\n"
open(p, "wb").write(t.encode("gb18030"))
