#!/usr/bin/python3
"""site.yaml is a directory.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_with_directory  # noqa: E402

replace_with_directory(sys.argv[1], "site.yaml")
