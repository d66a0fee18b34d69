#!/usr/bin/python3
"""households.csv cut in the middle of the last row's id_number: the row is kept with a
finding, the build goes on.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import cut_at  # noqa: E402

cut_at(sys.argv[1], "villages/V1/households.csv", b"321183197808", 9, last=True)
