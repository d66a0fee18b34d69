#!/usr/bin/python3
"""Bytes 0x80 0xFF (invalid UTF-8, and 0x80/0xFF are no GB18030 lead byte)
in a name of loans/2026.csv.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
with open(os.path.join(a, "loans/2026.csv"), "ab") as f:
    f.write(b"L2,V1-02,\x80\xff,2026-06-01,1,0\n")
