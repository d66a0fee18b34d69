#!/usr/bin/python3
"""A loan file named with a newline ("20\\n26.csv"): refused, the name shown escaped, so that
no file:line: message is split in two.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

loans = os.path.join(sys.argv[1], "loans")
os.rename(os.path.join(loans, "2026.csv"), os.path.join(loans, "20\n26.csv"))
