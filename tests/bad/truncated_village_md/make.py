#!/usr/bin/python3
"""village.md cut inside its front matter (no closing '---').

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/village.md")
b = open(p, "rb").read()
open(p, "wb").write(b[:b.index(b"key_persons")])
