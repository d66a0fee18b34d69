#!/usr/bin/python3
"""A 10 MB head_name (unquoted, one line): fatal at the 64 KiB limit, in bounded memory.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "villages/V1/households.csv",
             "V1-04," + "甲" * (10 * 1024 * 1024 // 3) + ",321183198511204565\n")
