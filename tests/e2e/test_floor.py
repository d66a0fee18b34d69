#!/usr/bin/python3
"""test_floor.py — the floor of the workbook stage (issue 13, make bench) is a fair floor:
build/floor_workbooks writes, for the sample input/ and a generated archive of 3,000
households with findings, the same workbook files as `cundang build`, sheet for sheet with the
same cells by type and number format (scripts/wb-cells); and wb-cells tells a difference.
No timing is checked. Skipped (one failure) when build/floor_workbooks is not built: make test
builds it. Runs from the repository root; CUNDANG is the binary (default ./cundang).
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import ROOT, Checks, build, run, scratch_dir  # noqa: E402

FLOOR = os.path.join(ROOT, "build", "floor_workbooks")
CELLS = os.path.join(ROOT, "scripts", "wb-cells")

checks = Checks(detail_limit=3000)
check = checks.check


def cells(site, floor):
    p = subprocess.run([CELLS, site, floor], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def compare(name, archive, tmp):
    site, floor = f"{tmp}/{name}-site", f"{tmp}/{name}-floor"
    rc, err = build(archive, site, "-j", "2")
    check(f"{name}: cundang builds", rc == 0, err)
    p = subprocess.run([FLOOR, "-j", "2", "-i", archive, "-o", floor], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    out = p.stdout.decode()
    check(f"{name}: the floor writes its workbooks and says how long it took",
          p.returncode == 0 and out.startswith("floor: ") and " workbooks in " in out,
          (p.returncode, out, p.stderr.decode("utf-8", "replace")))
    rc, out = cells(site, floor)
    check(f"{name}: every workbook and sheet has the same cells by type and number format",
          rc == 0 and "the floor writes the same cells" in out, out)
    return site, floor


with scratch_dir("floor") as tmp:
    os.chdir(ROOT)
    if not os.access(FLOOR, os.X_OK):
        check("build/floor_workbooks is built (make build/floor_workbooks)", False, FLOOR)
    else:
        site, floor = compare("sample", "input", tmp)
        arc = f"{tmp}/archive"
        rc, _, err = run("sample", "-o", arc, "--households", "3000", "--seed", "7")
        check("a 3,000-household archive is generated", rc == 0, err)
        if rc == 0:
            compare("3,000 households", arc, tmp)
        # A difference is told: the floor's HB workbook replaced by its XJ workbook.
        hb = f"{floor}/workbooks/2026-10/HB.xlsx"
        if os.path.exists(hb):
            shutil.copy(f"{floor}/workbooks/2026-10/XJ.xlsx", hb)
            rc, out = cells(site, floor)
            check("wb-cells tells a workbook whose cells differ (exit 1, the sheet named)",
                  rc == 1 and "workbooks/2026-10/HB.xlsx sheet" in out and "DIFFERENT" in out,
                  out)
            os.remove(hb)
            rc, out = cells(site, floor)
            check("wb-cells tells a workbook the floor did not write",
                  rc == 1 and "HB.xlsx: not written by the floor" in out, out)

sys.exit(checks.summary())
