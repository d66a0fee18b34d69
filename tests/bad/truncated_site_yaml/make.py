#!/usr/bin/python3
"""site.yaml cut inside a flow mapping, after the first bytes of a branch name.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "site.yaml")
b = open(p, "rb").read()
open(p, "wb").write(b[:b.index("后白".encode()) + 4])
