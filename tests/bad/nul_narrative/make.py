#!/usr/bin/python3
"""A NUL byte in the narrative of village.md (line 11). Like a NUL byte anywhere else
(README: fatal), it must stop the build, not silently cut the narrative short.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "villages/V1/village.md", "第二段\0被截断的文字。\n")
