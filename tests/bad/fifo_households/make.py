#!/usr/bin/python3
"""villages/V1/households.csv is a FIFO with no writer: opening it for reading would block forever, so
it must be refused before it is opened (the test's timeout catches a hang).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, 'villages/V1/households.csv')
os.remove(p)
os.mkfifo(p)
