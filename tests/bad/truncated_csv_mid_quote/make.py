#!/usr/bin/python3
"""households.csv cut inside a quoted field (an export interrupted mid-write).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "villages/V1/households.csv", b'V1-04,"\xe5\xad\x99')
