#!/usr/bin/python3
"""A narrative of pathological Markdown: 50,000 nested block quotes, 3,000 nested list
levels, 50,000 unclosed emphasis runs, brackets and <div>s.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

s = ">" * 50000 + " x\n\n"
s += "".join("  " * i + "- x\n" for i in range(3000)) + "\n"
s += "*a **" * 50000 + "\n\n" + "[" * 50000 + "\n\n" + "<div>" * 50000 + "\n"
append_bytes(sys.argv[1], "villages/V1/village.md", s)
