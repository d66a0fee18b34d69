#!/usr/bin/python3
"""A quoted 10 MB field made of 5 million short lines.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
with open(os.path.join(a, "villages/V1/households.csv"), "a", encoding="utf-8") as f:
    f.write('V1-04,孙七,321183198511204565,"' + "a\n" * (5 * 1024 * 1024) + '"\n')
