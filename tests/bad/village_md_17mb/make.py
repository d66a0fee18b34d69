#!/usr/bin/python3
"""A village.md of 17 MB (the narrative): refused before parsing.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "villages/V1/village.md",
             ("甲" * 1000 + "\n") * (17 * 1024 * 1024 // 3001 + 1))
