#!/usr/bin/python3
"""site.yaml is a directory.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "site.yaml")
os.remove(p)
os.mkdir(p)
