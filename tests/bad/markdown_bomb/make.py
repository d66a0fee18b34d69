#!/usr/bin/python3
"""A narrative of pathological Markdown: 50,000 nested block quotes, 3,000 nested list
levels, 50,000 unclosed emphasis runs, brackets and <div>s.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
s = ">" * 50000 + " x\n\n"
s += "".join("  " * i + "- x\n" for i in range(3000)) + "\n"
s += "*a **" * 50000 + "\n\n" + "[" * 50000 + "\n\n" + "<div>" * 50000 + "\n"
with open(os.path.join(a, "villages/V1/village.md"), "a", encoding="utf-8") as f:
    f.write(s)
