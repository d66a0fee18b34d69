#!/usr/bin/python3
"""Bytes 0x80 0xFF (invalid UTF-8, and 0x80/0xFF are no GB18030 lead byte)
in a name of households.csv.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "villages/V1/households.csv")
b = open(p, "rb").read()
open(p, "wb").write(b.replace("李四".encode(), b"\x80\xff\x80\xff"))
