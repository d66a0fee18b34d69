#!/usr/bin/python3
"""households.csv cut inside a quoted field (an export interrupted mid-write).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
b = open(p, "rb").read()
open(p, "wb").write(b + b'V1-04,"\xe5\xad\x99')
