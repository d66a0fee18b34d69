#!/usr/bin/python3
"""A NUL byte in the front matter of village.md (line 2, the name).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/village.md")
b = open(p, "rb").read()
open(p, "wb").write(b.replace("测试村\n".encode(), "测试村".encode() + b"\0\n", 1))
