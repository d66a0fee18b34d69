#!/usr/bin/python3
"""villages/V1/village.md is a FIFO with no writer: opening it for reading would block forever, so
it must be refused before it is opened (the test's timeout catches a hang).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_with_fifo  # noqa: E402

replace_with_fifo(sys.argv[1], 'villages/V1/village.md')
