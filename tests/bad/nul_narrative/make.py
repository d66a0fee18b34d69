#!/usr/bin/python3
"""A NUL byte in the narrative of village.md (line 11). Like a NUL byte anywhere else
(README: fatal), it must stop the build, not silently cut the narrative short.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/village.md")
with open(p, "ab") as f:
    f.write("第二段".encode() + b"\0" + "被截断的文字。\n".encode())
