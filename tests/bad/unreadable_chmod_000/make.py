#!/usr/bin/python3
"""households.csv has mode 000. Root reads it anyway, so the case is skipped as root.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
if os.geteuid() == 0:
    print("root reads a file of mode 000")
    sys.exit(77)
os.chmod(os.path.join(a, "villages/V1/households.csv"), 0)
