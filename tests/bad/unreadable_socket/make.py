#!/usr/bin/python3
"""households.csv is a Unix socket: open() fails (ENXIO) for every user, root included,
so this one is unreadable even in CI, where the tests run as root.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import replace_with_socket  # noqa: E402

replace_with_socket(sys.argv[1], "villages/V1/households.csv")
