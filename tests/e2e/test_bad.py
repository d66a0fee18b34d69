#!/usr/bin/python3
"""test_bad.py — the bad-input corpus tests/bad/ (issue #6, "Bad-input corpus").

Every tests/bad/<case>/ holds a small archive `archive/` that is valid but for one defect,
an optional `make.py` that adds the defects that must not be committed (large or binary
files, symbolic links, sockets, FIFOs, truncations), and a file `expect`:
  line 1  the exit status of `cundang build`: 2 (fatal), or 0 when the defect must become a
          finding and the build go on;
  line 2  for 2, a fragment of standard error; for 0, a finding code that
          `cundang check --json` must report, or "-" when the input must simply be accepted;
  line 3  optional: the peak resident memory allowed, in MiB (default 512).
For each case the archive is copied to a temporary folder, `make.py ARCHIVE` is run there
(exit 77 skips the case, e.g. one that cannot be made as root), then:
  - `cundang build -q -i ARCHIVE -o OUT` must end within 60 s (a hang is a failure), with the
    expected status, no crash (no signal, no sanitizer report) and a peak RSS in bounds;
  - for status 2: standard error holds the fragment, and OUT — the sample input/ built once
    beforehand — is byte for byte what it was, with no staging folder left beside it;
    `cundang check` fails the same way;
  - for status 0: the site is built (into a folder of its own, so OUT stays the sample) and
    `cundang check --json` lists the finding code.
Runs from the repository root; CUNDANG is the binary (default ./cundang). One check per
case; the last line is "N passed, N failed", and the exit status 1 when anything failed.
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import CUNDANG, ROOT, Checks, remove_tree, scratch_dir  # noqa: E402

CASES = os.path.join("tests", "bad")
TIMEOUT = 60
DEFAULT_RSS_MIB = 512
SKIP = 77
CRASH_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
               "runtime error:", "Segmentation fault", "core dumped")


class Run:
    """One finished (or killed) run: status (negative: killed by that signal), stdout,
    stderr (text), peak RSS in MiB, seconds, and whether it timed out."""

    def __init__(self, args, timeout=TIMEOUT):
        self.args = args
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.monotonic()
            p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True)
            self.timed_out = False
            while True:
                # wait4 gives the rusage of this one child (its own peak RSS), unlike
                # getrusage(RUSAGE_CHILDREN), which keeps the maximum of all children so far.
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > timeout:
                    self.timed_out = True
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    pid, status, ru = os.wait4(p.pid, 0)
                    break
                time.sleep(0.005)
            self.seconds = time.monotonic() - start
            self.status = os.waitstatus_to_exitcode(status)
            p.returncode = self.status  # reaped here; keep Popen from waiting again
            self.rss_mib = ru.ru_maxrss / 1024.0
            out.seek(0)
            err.seek(0)
            self.stdout = out.read()
            self.stderr = err.read().decode("utf-8", "replace")

    def crash_problems(self):
        probs = []
        if self.timed_out:
            probs.append("no answer after %d s (a hang): %s" % (TIMEOUT, " ".join(self.args)))
        elif self.status < 0 or self.status >= 128:
            probs.append("crashed: status %d" % self.status)
        marks = [m for m in CRASH_MARKS if m in self.stderr]
        if marks:
            probs.append("sanitizer or crash report (%s)" % ", ".join(marks))
        return probs


def snapshot(top):
    """Every entry under top (and top itself): kind, permission bits and content hash."""
    snap = {".": ("dir", os.lstat(top).st_mode & 0o7777, None)}
    for d, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(d, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, top)
            if os.path.isdir(p) and not os.path.islink(p):
                snap[rel] = ("dir", st.st_mode & 0o7777, None)
            elif os.path.islink(p):
                snap[rel] = ("link", 0, os.readlink(p))
            else:
                with open(p, "rb") as f:
                    snap[rel] = ("file", st.st_mode & 0o7777, hashlib.sha256(f.read()).hexdigest())
    return snap


def diff_snapshots(a, b):
    out = []
    for rel in sorted(set(a) | set(b)):
        if rel not in b:
            out.append("removed " + rel)
        elif rel not in a:
            out.append("added " + rel)
        elif a[rel] != b[rel]:
            out.append("changed " + rel)
    return out


def read_expect(case):
    with open(os.path.join(CASES, case, "expect"), encoding="utf-8") as f:
        lines = [l.strip() for l in f.read().splitlines()]
    if len(lines) < 2 or not lines[0].isdigit() or not lines[1]:
        raise ValueError("malformed expect file: want the exit status, a fragment (or a "
                         "finding code, or -), then optionally a maximum RSS in MiB")
    rss = float(lines[2]) if len(lines) > 2 and lines[2] else DEFAULT_RSS_MIB
    return int(lines[0]), lines[1], rss


def prepare(case, work):
    """Copies the case's archive into work/archive and runs its make.py. Returns
    (archive path, None) or (None, reason to skip); raises RuntimeError on a broken recipe."""
    src = os.path.join(CASES, case, "archive")
    arch = os.path.join(work, "archive")
    if os.path.isdir(src):
        shutil.copytree(src, arch, symlinks=True)
    make = os.path.join(CASES, case, "make.py")
    if os.path.isfile(make):
        p = subprocess.run([sys.executable, os.path.abspath(make), arch], cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if p.returncode == SKIP:
            return None, p.stdout.decode("utf-8", "replace").strip() or "skipped by make.py"
        if p.returncode != 0:
            raise RuntimeError("make.py failed: " + p.stdout.decode("utf-8", "replace")[-800:])
    if not os.path.isdir(arch):
        raise RuntimeError("no archive/ and no make.py making one")
    return arch, None


def tail(text, n=800):
    return text.strip()[-n:] or "(empty)"


def build_sample(exe, out):
    """Builds the sample input/ into out; returns None or what went wrong."""
    r = Run([exe, "build", "-q", "-i", "input", "-o", out], timeout=300)
    if r.status != 0 or r.crash_problems():
        return "cannot build the sample input/ into %s: %s" % (out, tail(r.stderr))
    return None


def restore(exe, out, out_snap):
    """Puts the sample back after a case that wrongly replaced it, so that one failure
    does not make every later case fail too; out_snap becomes the new snapshot."""
    remove_tree(out)
    problem = build_sample(exe, out)
    if problem:
        raise RuntimeError(problem)
    out_snap.clear()
    out_snap.update(snapshot(out))


def run_case(case, exe, work, out, out_snap, scratch):
    """Returns (problems, skip reason or None, summary)."""
    status, fragment, max_rss = read_expect(case)
    arch, skip = prepare(case, work)
    if skip:
        return [], skip, ""
    probs = []
    target = out if status != 0 else os.path.join(scratch, "out")
    b = Run([exe, "build", "-q", "-i", arch, "-o", target])
    summary = "exit %d, %.2f s, %.0f MiB" % (b.status, b.seconds, b.rss_mib)
    probs += b.crash_problems()
    if b.status != status:
        probs.append("build: exit status %d, expected %d" % (b.status, status))
    if b.rss_mib > max_rss:
        probs.append("build: peak RSS %.0f MiB, more than %.0f MiB" % (b.rss_mib, max_rss))
    if status != 0:
        if fragment not in b.stderr:
            probs.append("build: standard error lacks %r" % fragment)
        changed = diff_snapshots(out_snap, snapshot(out))
        if changed:
            probs.append("the previous output changed: " + "; ".join(changed[:8]))
            restore(exe, out, out_snap)
        base = os.path.basename(out)  # the output and its lock file (README) belong there
        left = sorted(set(os.listdir(os.path.dirname(out))) - {base, "." + base + ".lock"})
        if left:
            probs.append("left beside the output: " + ", ".join(left))
            for name in left:  # so that the next cases are judged on their own
                remove_tree(os.path.join(os.path.dirname(out), name))
        if not b.timed_out:  # a hang would only hang again
            c = Run([exe, "check", "-i", arch])
            probs += ["check: " + p for p in c.crash_problems()]
            if c.status != status:
                probs.append("check: exit status %d, expected %d" % (c.status, status))
            elif fragment not in c.stderr:
                probs.append("check: standard error lacks %r" % fragment)
    else:
        if b.status == 0 and not os.path.isfile(os.path.join(target, "index.html")):
            probs.append("build: exit 0 but no index.html")
        c = Run([exe, "check", "--json", "-i", arch])
        probs += ["check: " + p for p in c.crash_problems()]
        if c.status != 0:
            probs.append("check --json: exit status %d" % c.status)
        else:
            try:
                codes = [f["code"] for f in json.loads(c.stdout)]
            except (ValueError, TypeError, KeyError) as e:
                codes = None
                probs.append("check --json: not a JSON array of findings (%s)" % e)
            if codes is not None and fragment != "-" and fragment not in codes:
                probs.append("check --json: no finding %r (got %s)" % (fragment, codes))
        remove_tree(target)
    if probs:
        probs.append("build stderr: " + tail(b.stderr))
    return probs, None, summary


def main():
    os.chdir(ROOT)
    cases = sorted(c for c in os.listdir(CASES)
                   if os.path.isfile(os.path.join(CASES, c, "expect")))
    only = sys.argv[1:]
    if only:
        cases = [c for c in cases if c in only]
    checks = Checks(problem_limit=None, one_per_line=True)
    with scratch_dir("bad") as tmp:
        # The previous output every failing case must leave alone: the sample, built once.
        out = os.path.join(tmp, "site", "out")
        os.makedirs(os.path.dirname(out))
        problem = build_sample(CUNDANG, out)
        if problem:
            checks.check(problem, False)
            return checks.summary()
        out_snap = snapshot(out)
        for case in cases:
            work = os.path.join(tmp, "case")
            scratch = os.path.join(tmp, "scratch")
            os.makedirs(work)
            os.makedirs(scratch)
            try:
                probs, skip, summary = run_case(case, CUNDANG, work, out, out_snap, scratch)
            except (OSError, ValueError, RuntimeError, subprocess.SubprocessError) as e:
                probs, skip, summary = ["%s: %s" % (type(e).__name__, e)], None, ""
            finally:
                remove_tree(work)
                remove_tree(scratch)
            if skip:
                print("skip %s: %s" % (case, skip))
            else:
                checks.problems_check("%s (%s)" % (case, summary), probs)
        if not cases:
            checks.check("no cases under %s" % CASES, False)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
