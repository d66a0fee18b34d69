#!/usr/bin/python3
"""village.md cut inside its front matter (no closing '---').

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import cut_at  # noqa: E402

cut_at(sys.argv[1], "villages/V1/village.md", b"key_persons")
