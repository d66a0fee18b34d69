#!/usr/bin/python3
"""Outputs that cannot collide and builds that survive faults (issue 10 §1, §4).

- Valid codes that look like bank-level names (villages index, Summary, bank, quality;
  branches Bank_HB, summary-BH, INDEX2) build, and no two files of the output share a path
  even ignoring case; the reserved codes and codes equal ignoring case are tests/fatal cases.
- kill -9 during a build leaves the previous output as it was; the next build removes the
  dead build's staging folder. SIGINT and SIGTERM, while pages are rendered and while the
  workbook writers run, remove the staging folder and leave no process behind.
- A build that died between the two renames of the fallback swap (the old output moved
  aside, the new one not in place) is recovered by the next build, other months included.
- A file-size limit (ulimit -f) is exit 3 naming the output path, not the staging folder.
- Two builds of different months into one output at once: both exit 0 and both months'
  reports are there; a build that cannot get the lock within CUNDANG_LOCK_WAIT exits 3.

Run from anywhere; CUNDANG defaults to ./cundang. Last line "N passed, N failed".
"""
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import CUNDANG, ROOT, Checks, build, run, scratch_dir  # noqa: E402


def small_archive():
    for rel in ("tests/regress/small/input", "tests/e2e/small"):
        if os.path.isfile(os.path.join(ROOT, rel, "site.yaml")):
            return os.path.join(ROOT, rel)
    raise SystemExit("no small archive")


def files_of(out):
    got = []
    for d, _, names in os.walk(out):
        for n in names:
            got.append(os.path.relpath(os.path.join(d, n), out))
    return sorted(got)


def leftovers(parent, base):
    return sorted(n for n in os.listdir(parent)
                  if n.startswith("." + base + ".new-") or n.startswith("." + base + ".old-"))


def session_alive(sid):
    """Pids of processes still in session sid (the build and its writers)."""
    pids = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(p))
        except (OSError, IndexError, ValueError):
            pass
    return pids


def wait_for(pred, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def staging_has(parent, base, rel):
    for n in leftovers(parent, base):
        if os.path.exists(os.path.join(parent, n, rel)):
            return True
    return False


def test_collisions(c, tmp):
    src = small_archive()
    arc = os.path.join(tmp, "tricky")
    shutil.copytree(src, arc)
    villages = {"A1": "index", "A2": "Summary", "B1": "bank", "B2": "quality"}
    branches = {"HB": "Bank_HB", "BH": "summary-BH", "GZ": "INDEX2"}
    site = open(os.path.join(arc, "site.yaml"), encoding="utf-8").read()
    for old, new in branches.items():
        site = site.replace("{code: %s," % old, "{code: %s," % new)
    open(os.path.join(arc, "site.yaml"), "w", encoding="utf-8").write(site)
    for old, new in villages.items():
        os.rename(os.path.join(arc, "villages", old), os.path.join(arc, "villages", new))
        md = os.path.join(arc, "villages", new, "village.md")
        text = open(md, encoding="utf-8").read()
        for bo, bn in branches.items():
            text = text.replace("branch: %s\n" % bo, "branch: %s\n" % bn)
        open(md, "w", encoding="utf-8").write(text)
    out = os.path.join(tmp, "tricky-out")
    rc, err = build(arc, out)
    c.check("tricky codes build", rc == 0, err[-500:])
    got = files_of(out)
    folded = [p.lower() for p in got]
    # 13 pages (index, quality, bank report, 3 branch pages and reports, 4 dossiers), 9 PNGs,
    # 4 workbooks, the indicator document, the findings CSV and the marker; then 8 managers'
    # pages (4 in each branch with villages: 3 managers and 未分配), 3 tasks workbooks and the
    # village directory villages.html (beside villages/, never inside it) and guide.html.
    c.check("tricky codes: 42 files", len(got) == 42, got)
    c.check("tricky codes: no two paths equal ignoring case",
            len(set(folded)) == len(folded), got)
    for want in ("villages/index.html", "villages/Summary.html", "villages/bank.html",
                 "villages/quality.html", "reports/2026-10/index.html",
                 "reports/2026-10/Bank_HB.html", "workbooks/2026-10/summary.xlsx",
                 "workbooks/2026-10/summary-BH.xlsx", "charts/bank-funnel.png",
                 "charts/Bank_HB-funnel.png", "branches/INDEX2.html"):
        c.check("tricky codes: %s" % want, want in got)
    with open(os.path.join(out, "reports/2026-10/index.html"), encoding="utf-8") as f:
        c.check("tricky codes: the bank report is the bank's", "测试农村商业银行" in f.read())


def sample(tmp):
    arc = os.path.join(tmp, "sample")
    rc, _, err = run("sample", "-o", arc, "--households", "3000")
    if rc != 0:
        raise SystemExit("sample failed: " + err)
    return arc


def start_build(arc, out, *extra, env=None):
    return subprocess.Popen([CUNDANG, "build", "-q", "-j", "2", "-i", arc, "-o", out, *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env=env)


def test_kill9(c, tmp, arc):
    parent = os.path.join(tmp, "k9")
    os.mkdir(parent)
    out = os.path.join(parent, "out")
    rc, err = build(arc, out, "--month", "2026-09")
    c.check("kill -9: first build", rc == 0, err[-300:])
    before = {p: open(os.path.join(out, p), "rb").read() for p in files_of(out)}
    p = start_build(arc, out)
    reached = wait_for(lambda: staging_has(parent, "out", "villages"))
    p.kill()
    p.wait()
    c.check("kill -9: staging reached", reached)
    alive = wait_for(lambda: not session_alive(p.pid), 10)
    c.check("kill -9: no writer outlives the build", alive, session_alive(p.pid))
    after = {q: open(os.path.join(out, q), "rb").read() for q in files_of(out)}
    c.check("kill -9: previous output as it was", after == before,
            sorted(set(after) ^ set(before)))
    c.check("kill -9: the dead build's staging folder is left", len(leftovers(parent, "out")) == 1,
            leftovers(parent, "out"))
    rc, err = build(arc, out)
    c.check("kill -9: next build", rc == 0, err[-300:])
    c.check("kill -9: next build removed the dead build's folder",
            leftovers(parent, "out") == [], leftovers(parent, "out"))
    c.check("kill -9: other month kept",
            os.path.isfile(os.path.join(out, "reports/2026-09/index.html")))


def test_signal(c, tmp, arc, sig, stage_file, label):
    parent = os.path.join(tmp, "sig-%s-%s" % (int(sig), label))
    os.mkdir(parent)
    out = os.path.join(parent, "out")
    p = start_build(arc, out)
    reached = wait_for(lambda: staging_has(parent, "out", stage_file))
    p.send_signal(sig)
    p.wait()
    name = "%s %s" % (signal.Signals(sig).name, label)
    c.check("%s: reached" % name, reached)
    c.check("%s: ended by the signal" % name, p.returncode == -sig, p.returncode)
    c.check("%s: staging folder removed" % name, leftovers(parent, "out") == [],
            leftovers(parent, "out"))
    c.check("%s: no output made" % name, not os.path.exists(out))
    gone = wait_for(lambda: not session_alive(p.pid), 10)
    c.check("%s: no process left" % name, gone, session_alive(p.pid))


def test_recover(c, tmp):
    arc = small_archive()
    parent = os.path.join(tmp, "rec")
    os.mkdir(parent)
    out = os.path.join(parent, "out")
    rc, err = build(arc, out, "--month", "2026-09")
    c.check("recover: first build", rc == 0, err[-300:])
    # What a build killed between the fallback's two renames leaves: the old output aside.
    os.rename(out, os.path.join(parent, ".out.old-Zx81Qa"))
    rc, err = build(arc, out)
    c.check("recover: next build", rc == 0, err[-300:])
    c.check("recover: other month's report kept",
            os.path.isfile(os.path.join(out, "reports/2026-09/index.html")))
    c.check("recover: this month's report",
            os.path.isfile(os.path.join(out, "reports/2026-10/index.html")))
    c.check("recover: nothing left beside", leftovers(parent, "out") == [],
            leftovers(parent, "out"))


def test_fsize(c, tmp):
    arc = small_archive()
    parent = os.path.join(tmp, "fsize")
    os.mkdir(parent)
    out = os.path.join(parent, "out")

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
    p = subprocess.run([CUNDANG, "build", "-q", "-i", arc, "-o", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)
    err = p.stderr.decode("utf-8", "replace")
    c.check("file-size limit: exit 3", p.returncode == 3, (p.returncode, err[-300:]))
    c.check("file-size limit: message names the output", (out + "/") in err, err[-300:])
    c.check("file-size limit: not the staging folder", ".new-" not in err, err[-300:])
    c.check("file-size limit: File too large", "File too large" in err, err[-300:])
    c.check("file-size limit: nothing left", leftovers(parent, "out") == []
            and not os.path.exists(out))


def test_concurrent(c, tmp):
    arc = small_archive()
    parent = os.path.join(tmp, "conc")
    os.mkdir(parent)
    out = os.path.join(parent, "out")
    ok = True
    for rnd in range(3):
        shutil.rmtree(out, ignore_errors=True)
        a = start_build(arc, out, "--month", "2026-09")
        b = start_build(arc, out, "--month", "2026-10")
        ea, eb = a.communicate()[1], b.communicate()[1]
        both = a.returncode == 0 and b.returncode == 0
        months = all(os.path.isfile(os.path.join(out, "reports", m, "index.html"))
                     for m in ("2026-09", "2026-10"))
        if not (both and months and leftovers(parent, "out") == []):
            ok = False
            c.check("concurrent round %d" % rnd, False,
                    (a.returncode, b.returncode, months, ea[-200:], eb[-200:]))
    c.check("concurrent: both builds succeed and both months are kept (3 rounds)", ok)
    # The lock held by someone else past the wait: exit 3, saying so.
    with open(os.path.join(parent, ".out.lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        env = dict(os.environ, CUNDANG_LOCK_WAIT="0.3")
        t0 = time.time()
        p = subprocess.run([CUNDANG, "build", "-q", "-i", arc, "-o", out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        waited = time.time() - t0
    err = p.stderr.decode("utf-8", "replace")
    c.check("lock held: exit 3", p.returncode == 3, (p.returncode, err[-300:]))
    c.check("lock held: says another build is writing the output",
            "%s: another build is writing this output" % out in err, err[-300:])
    c.check("lock held: waited the bound", 0.3 <= waited < 5, waited)


def main():
    os.chdir(ROOT)
    c = Checks()
    with scratch_dir("faults") as tmp:
        test_collisions(c, tmp)
        test_recover(c, tmp)
        test_fsize(c, tmp)
        test_concurrent(c, tmp)
        arc = sample(tmp)
        test_kill9(c, tmp, arc)
        for sig in (signal.SIGINT, signal.SIGTERM):
            test_signal(c, tmp, arc, sig, "villages", "rendering pages")
            test_signal(c, tmp, arc, sig, "charts/bank-funnel.png", "writing workbooks")
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
