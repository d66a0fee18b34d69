#!/usr/bin/python3
"""households.csv is a Unix socket: open() fails (ENXIO) for every user, root included,
so this one is unreadable even in CI, where the tests run as root.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
import socket
p = os.path.join(a, "villages/V1/households.csv")
os.remove(p)
s = socket.socket(socket.AF_UNIX)
s.bind(p)
s.close()
