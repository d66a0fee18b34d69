#!/usr/bin/python3
"""households.csv cut inside the UTF-8 bytes of a name on its last line: the tail is
invalid UTF-8, and the whole file is then no valid GB18030 either.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import cut_at  # noqa: E402

cut_at(sys.argv[1], "villages/V1/households.csv", "王五", 2, last=True)
