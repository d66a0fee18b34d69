#!/usr/bin/python3
"""A households.csv data row of 10,000 fields.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "villages/V1/households.csv",
             "V1-04,孙七,321183198511204565" + ",x" * 10000 + "\n")
