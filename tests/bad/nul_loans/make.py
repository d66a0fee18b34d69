#!/usr/bin/python3
"""A NUL byte inside an amount of the loan ledger.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_bytes  # noqa: E402

replace_bytes(sys.argv[1], "loans/2026.csv", b"10000", b"100\x0000")
