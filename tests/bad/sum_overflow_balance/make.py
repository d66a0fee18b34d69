#!/usr/bin/python3
"""10,000 loans with amounts and balances of 10^13 yuan: the ledger's total of amount stops
fitting a signed 64-bit count of fen at the 9,224th loan (line 9,226: header and L1 first).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case.
The ASan build reading these 10,000 rows in a worker thread peaks near 700 MiB (the plain
build: 12 MiB; the ASan build with -j1: 17 MiB), hence the bound of 1024 in expect."""
import os
import sys

path = os.path.join(sys.argv[1], "loans", "2026.csv")
with open(path, "a", encoding="utf-8") as f:
    for i in range(10000):
        f.write("M%05d,V1-01,10000000000000,2026-05-01,10000000000000,0\n" % i)
