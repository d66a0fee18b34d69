#!/usr/bin/python3
"""10,000 households with credit lines of 10^13 yuan (the largest amount accepted): their
total, 10^19 yuan in fen, does not fit a signed 64-bit count; the 9,224th row is where it
stops fitting (9,223 × 10^15 fen still does).

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(n):
    """A valid GB 11643 ID number, different for each n."""
    body = "321183" + "19800101" + "%03d" % (n % 1000)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


path = os.path.join(sys.argv[1], "villages", "V1", "households.csv")
with open(path, "w", encoding="utf-8") as f:
    f.write("household_id,head_name,id_number,credit_line,granted_on\n")
    for i in range(10000):
        f.write("V1-%05d,张三,%s,10000000000000,2026-04-01\n" % (i, resident_id(i)))
