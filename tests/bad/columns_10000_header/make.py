#!/usr/bin/python3
"""A households.csv header of 10,000 columns.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_bytes  # noqa: E402

cols = b",".join(b"c%d" % i for i in range(10000))
# The header is the first line: the columns go before its newline.
replace_bytes(sys.argv[1], "villages/V1/households.csv", b"\n", b"," + cols + b"\n", 1)
