#!/usr/bin/python3
"""A NUL byte in the bank name of site.yaml.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
p = os.path.join(a, "site.yaml")
b = open(p, "rb").read()
open(p, "wb").write(b.replace("测试银行".encode(), "测试".encode() + b"\0" + "银行".encode(), 1))
