#!/usr/bin/python3
"""200 nested block mappings under an unknown key of site.yaml.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
with open(os.path.join(a, "site.yaml"), "a", encoding="utf-8") as f:
    f.write("extra:\n" + "".join("  " * (i + 1) + "k%d:\n" % i for i in range(200))
            + "  " * 201 + "end\n")
