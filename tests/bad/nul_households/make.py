#!/usr/bin/python3
"""A NUL byte inside a name of households.csv.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_bytes  # noqa: E402

replace_bytes(sys.argv[1], "villages/V1/households.csv", "李四", "李\0四")
