#!/usr/bin/python3
"""200 nested block mappings under an unknown key of site.yaml.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from defects import append_bytes  # noqa: E402

append_bytes(sys.argv[1], "site.yaml",
             "extra:\n" + "".join("  " * (i + 1) + "k%d:\n" % i for i in range(200))
             + "  " * 201 + "end\n")
