#!/usr/bin/python3
"""A village.md of 17 MB (the narrative): refused before parsing.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
with open(os.path.join(a, "villages/V1/village.md"), "a", encoding="utf-8") as f:
    f.write(("甲" * 1000 + "\n") * (17 * 1024 * 1024 // 3001 + 1))
