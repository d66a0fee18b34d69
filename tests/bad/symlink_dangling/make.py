#!/usr/bin/python3
"""households.csv is a dangling symbolic link (readable by nobody, not even root).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
os.remove(os.path.join(a, "villages/V1/households.csv"))
os.symlink("/nonexistent/cundang/households.csv", os.path.join(a, "villages/V1/households.csv"))
