#!/usr/bin/python3
"""households.csv holds only a UTF-8 BOM and blank CRLF lines.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
open(os.path.join(a, "villages/V1/households.csv"), "wb").write(b"\xef\xbb\xbf\r\n\r\n")
