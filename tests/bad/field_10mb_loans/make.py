#!/usr/bin/python3
"""A 10 MB amount in the loan ledger.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "loans/2026.csv",
             "L2,V1-02," + "9" * (10 * 1024 * 1024) + ",2026-06-01,1,0\n")
