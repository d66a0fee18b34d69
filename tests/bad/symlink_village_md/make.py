#!/usr/bin/python3
"""villages/V1/village.md is a symbolic link to a valid file outside the archive (../outside/):
following it would succeed, so only a refusal of the link passes.

Run by tests/e2e/test_bad.py as `make.py ARCHIVE` (ARCHIVE: a temporary copy of archive/,
the current directory its parent); exit 77 skips the case."""
import os
import sys

a = sys.argv[1]
rel = 'villages/V1/village.md'
outside = os.path.abspath(os.path.join(a, "..", "outside"))
os.makedirs(outside, exist_ok=True)
target = os.path.join(outside, os.path.basename(rel))
os.rename(os.path.join(a, rel), target)
os.symlink(target, os.path.join(a, rel))
