#!/usr/bin/python3
"""loans/2026.csv is a symbolic link to a valid file outside the archive (../outside/):
following it would succeed, so only a refusal of the link passes.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from link_outside import link_outside  # noqa: E402

link_outside(sys.argv[1], 'loans/2026.csv')
