#!/usr/bin/python3
"""100,000 nested flow lists in the front matter.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/village.md")
t = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(
    t.replace("grade: A\n", "grade: A\nindustries: " + "[" * 100000 + "]" * 100000 + "\n"))
