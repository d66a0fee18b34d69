#!/usr/bin/python3
"""The archive is an empty folder.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
os.makedirs(a, exist_ok=True)
