#!/usr/bin/python3
"""households.csv cut inside the UTF-8 bytes of a name on its last line: the tail is
invalid UTF-8, and the whole file is then no valid GB18030 either.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
b = open(p, "rb").read()
open(p, "wb").write(b[:b.rindex("王五".encode()) + 2])
