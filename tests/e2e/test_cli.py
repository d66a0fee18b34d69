#!/usr/bin/python3
"""test_cli.py — end-to-end checks of the command line on the bundled sample archive:
determinism, the sample generator, --month/--branch, exit codes and atomic publishing."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks, run, scratch_dir, tree_diff, tree_files  # noqa: E402

checks = Checks()
check = checks.check

with scratch_dir("cli") as tmp:
    # The committed input/ is exactly `cundang sample` with the defaults.
    rc, _, err = run("sample", "-o", f"{tmp}/s1")
    check("sample exits 0", rc == 0, err)
    check("input/ is the default sample", not tree_diff("input", f"{tmp}/s1"),
          "regenerate with: rm -rf input && ./cundang sample -o input")
    rc, _, _ = run("sample", "-o", f"{tmp}/s2", "--households", "800", "--seed", "9")
    rc2, _, _ = run("sample", "-o", f"{tmp}/s3", "--households", "800", "--seed", "9")
    check("sample is deterministic", rc == 0 and rc2 == 0 and not tree_diff(f"{tmp}/s2", f"{tmp}/s3"))
    rc, _, _ = run("sample", "-o", f"{tmp}/s4", "--households", "800", "--seed", "10")
    check("another seed gives another archive", rc == 0 and tree_diff(f"{tmp}/s2", f"{tmp}/s4") != [])
    rc, _, err = run("sample", "-o", f"{tmp}/s1")
    check("sample refuses a non-empty directory", rc != 0 and "not empty" in err, err)

    # The planted findings of the sample, in order.
    rc, out, err = run("check", "--json", "-i", "input")
    found = [(f["file"], f["line"], f["code"]) for f in json.loads(out)] if rc == 0 else []
    want = [
        ("villages/BH01/households.csv", 6, "invalid_id_number"),
        ("villages/BH01/households.csv", 11, "signed_before_grant"),
        ("villages/BH02/households.csv", 5, "duplicate_household"),
        ("villages/BH02/households.csv", 8, "invalid_date"),
        ("villages/BH03/households.csv", 7, "credit_without_grant_date"),
        ("villages/BH03/households.csv", 10, "unknown_segment"),
        ("villages/BH04/households.csv", 1, "unknown_column"),
        ("villages/BH04/households.csv", 9, "negative_with_credit"),
        ("loans/2026H1.csv", 5, "balance_exceeds_amount"),
        ("loans/2026H1.csv", 7, "unknown_household"),
        ("loans/2026H2.csv", 9, "duplicate_loan"),
    ]
    check("sample findings", found == want, f"got {found}")
    rc, out, _ = run("check", "-i", "input")
    check("check prints file:line: messages", rc == 0 and
          "input/villages/BH02/households.csv:5: error: 户号 BH01-0003 重复".encode() in out)
    rc, _, _ = run("check", "--strict", "-i", "input")
    check("check --strict exits 1 on findings", rc == 1)

    # Determinism across thread counts and runs.
    _, a, _ = run("stats", "--json", "-i", "input")
    _, b, _ = run("stats", "--json", "-i", "input")
    check("stats --json is deterministic", a == b and len(a) > 1000)
    rc, out, _ = run("build", "-i", "input", "-o", f"{tmp}/o1", "-j", "1", "-q")
    rc2, _, _ = run("build", "-i", "input", "-o", f"{tmp}/o2", "-j", "4", "-q")
    check("build -j1 and -j4 give identical trees", rc == 0 and rc2 == 0 and
          not tree_diff(f"{tmp}/o1", f"{tmp}/o2"))
    with open(f"{tmp}/o1/data/indicators-2026-10.json", "rb") as f:
        check("data/indicators-YYYY-MM.json equals stats --json", f.read() == a)

    doc = json.loads(a)
    check("document month from site.yaml", doc["month"] == "2026-10" and doc["as_of"] == "2026-10-31")
    check("sample has a not-started village",
          sum(v["verdict"] == "not_started" for v in doc["villages"]) == 1)
    check("sample has every grade", {v["grade"] for v in doc["villages"]} == {"A", "B", "C"})
    check("sample has 3 branches and 15 villages",
          len(doc["branches"]) == 3 and len(doc["villages"]) == 15)
    # Aggregates are recomputed from sums, never averaged.
    bank = doc["bank"]
    for key in ("households_total", "visited", "granted", "signed", "used", "loans_outstanding"):
        check(f"bank {key} is the sum of the villages",
              bank[key] == sum(v[key] for v in doc["villages"]))
    check("bank visit_rate from sums",
          abs(bank["visit_rate"] - bank["visited"] / bank["households_total"]) < 1e-12)
    check("bank trend ends with today's counts",
          doc["trend"][-1]["used"] == bank["used"] and doc["trend"][-1]["month"] == "2026-10")

    rc, out, _ = run("stats", "--json", "-i", "input", "--month", "2026-06")
    d6 = json.loads(out) if rc == 0 else {}
    check("--month overrides site.yaml", d6.get("as_of") == "2026-06-30" and
          d6["trend"][-1]["month"] == "2026-06" and d6["bank"]["visited"] < bank["visited"])
    check("--month 2026-06 equals the 2026-06 trend point of 2026-10",
          d6["bank"]["granted"] == doc["trend"][-5]["granted"])

    rc, _, err = run("stats", "-i", "input", "--branch", "ZZ")
    check("unknown --branch is exit 2", rc == 2 and "ZZ" in err, err)
    rc, _, err = run("stats", "-i", "input", "--month", "2026-13")
    check("bad --month is exit 2", rc == 2, err)
    rc, _, err = run("stats", "-i", "input", "--bogus")
    check("unknown option is exit 2", rc == 2 and "usage" in err, err)
    rc, _, _ = run("frobnicate")
    check("unknown command is exit 2", rc == 2)
    rc, out, _ = run("--version")
    check("--version", rc == 0 and out.startswith(b"cundang "))
    rc, _, err = run("stats", "-i", f"{tmp}/nonexistent")
    check("missing archive is exit 2 naming it", rc == 2 and "nonexistent" in err, err)

    # Publishing: refusals and failures leave the old output byte-identical.
    before = tree_files(f"{tmp}/o1")
    rc, _, err = run("build", "-i", "input", "-o", "input")
    check("-o equal to the input is refused", rc == 2 and "refusing" in err, err)
    rc, _, err = run("build", "-i", "input", "-o", ".")
    check("-o a parent of the input is refused", rc == 2, err)
    rc, _, err = run("build", "-i", "input", "-o", "/")
    check("-o / is refused", rc == 2, err)
    shutil.copytree("input", f"{tmp}/broken")
    with open(f"{tmp}/broken/loans/2025.csv", "a") as f:
        f.write('X1,BH01-0001,"never closed\n')
    rc, _, err = run("build", "-i", f"{tmp}/broken", "-o", f"{tmp}/o1")
    check("a fatal input error is exit 2", rc == 2 and "unterminated" in err, err)
    check("the previous output is untouched", tree_files(f"{tmp}/o1") == before and
          not tree_diff(f"{tmp}/o1", f"{tmp}/o2"))
    check("no staging directory is left behind",
          # the lock files .o1.lock and .o2.lock stay beside the outputs (README)
          sorted(os.listdir(tmp)) == [".o1.lock", ".o2.lock", "broken", "o1", "o2", "s1", "s2",
                                      "s3", "s4"],
          str(sorted(os.listdir(tmp))))
    os.makedirs(f"{tmp}/o1/reports/2026-09")
    with open(f"{tmp}/o1/reports/2026-09/index.html", "w") as f:
        f.write("september")
    rc, _, err = run("build", "-i", "input", "-o", f"{tmp}/o1", "-q")
    with open(f"{tmp}/o1/reports/2026-09/index.html") as f:
        kept = f.read() == "september"
    check("reports of other months are kept", rc == 0 and kept, err)
    check("build ends with a summary line", "cundang: built" in err and err.strip().count("\n") == 0, err)
    # --templates replaces built-in templates file by file; a broken one is exit 2.
    os.makedirs(f"{tmp}/tpl")
    with open(f"{tmp}/tpl/quality.mustache", "w") as f:
        f.write("<p id=custom>{{quality.errors}} / {{quality.warnings}}</p>{{> foot}}")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/o3", "--templates", f"{tmp}/tpl")
    with open(f"{tmp}/o3/quality.html", encoding="utf-8") as f:
        q = f.read()
    with open(f"{tmp}/o3/index.html", encoding="utf-8") as f:
        idx = f.read()
    check("--templates overrides one file", rc == 0 and q.startswith("<p id=custom>5 / 6</p>"), err)
    check("--templates keeps the other built-in templates", "<!DOCTYPE html>" in idx)
    before = {p: open(os.path.join(f"{tmp}/o3", p), "rb").read() for p in tree_files(f"{tmp}/o3")}
    with open(f"{tmp}/tpl/village.mustache", "w") as f:
        f.write("line one\n{{#village}}unclosed")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/o3", "--templates", f"{tmp}/tpl")
    check("a broken template is exit 2 naming it", rc == 2 and "village.mustache:2" in err, err)
    after = {p: open(os.path.join(f"{tmp}/o3", p), "rb").read() for p in tree_files(f"{tmp}/o3")}
    check("a broken template leaves the output untouched", before == after)
    # A partial that includes itself, directly or through another, is a broken template
    # too (exit 2 before anything is written), not a render failure (exit 3).
    os.remove(f"{tmp}/tpl/village.mustache")
    with open(f"{tmp}/tpl/quality.mustache", "w") as f:
        f.write("a\n{{#quality}}{{> quality}}{{/quality}}")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/o3", "--templates", f"{tmp}/tpl")
    check("a self-including partial is exit 2 naming the tag",
          rc == 2 and f"{tmp}/tpl/quality.mustache:2: partial 'quality' includes itself" in err, err)
    os.remove(f"{tmp}/tpl/quality.mustache")
    with open(f"{tmp}/tpl/foot.mustache", "w") as f:
        f.write("x{{> ring}}")
    with open(f"{tmp}/tpl/ring.mustache", "w") as f:
        f.write("\n\n{{#bank}}{{> foot}}{{/bank}}")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/o3", "--templates", f"{tmp}/tpl")
    check("a loop through two partials is exit 2 naming the tag that closes it",
          rc == 2 and f"{tmp}/tpl/ring.mustache:3: partial 'foot' includes itself" in err, err)
    after = {p: open(os.path.join(f"{tmp}/o3", p), "rb").read() for p in tree_files(f"{tmp}/o3")}
    check("a self-including partial leaves the output untouched", before == after)
    shutil.rmtree(f"{tmp}/o3")
    shutil.rmtree(f"{tmp}/tpl")

    mode = os.stat(f"{tmp}/o1").st_mode & 0o777
    check("published tree is not world-writable", mode & 0o002 == 0, oct(mode))

    # What -o may replace: a new or empty folder, or an earlier output (it has .cundang);
    # never a folder inside the input, nor a folder of someone's files.
    shutil.copytree("input", f"{tmp}/in")
    before = tree_files(f"{tmp}/in")
    rc, _, err = run("build", "-q", "-i", f"{tmp}/in", "-o", f"{tmp}/in/villages")
    check("-o a folder inside the input is refused, the input untouched",
          rc == 2 and "inside it" in err and tree_files(f"{tmp}/in") == before, err)
    os.makedirs(f"{tmp}/docs")
    with open(f"{tmp}/docs/年度总结.docx", "w") as f:
        f.write("x")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/docs")
    check("-o a folder of other files is refused and keeps them",
          rc == 2 and "not a cundang output" in err and os.listdir(f"{tmp}/docs") == ["年度总结.docx"],
          err)
    os.makedirs(f"{tmp}/empty")
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/empty")
    check("-o an empty folder is used", rc == 0 and os.path.isfile(f"{tmp}/empty/.cundang"), err)
    rc, _, err = run("build", "-q", "-i", "input", "-o", f"{tmp}/new/deep/out")
    check("-o with missing parents creates them",
          rc == 0 and os.path.isfile(f"{tmp}/new/deep/out/index.html"), err)
    rc, _, err = run("build", "-q", "-i", "input", "-o", "/dev/null/out")
    check("-o where nothing can be written is exit 3", rc == 3 and "/dev/null/out" in err, err)

    # check needs a report month like stats and build (SPEC §2).
    with open(f"{tmp}/in/site.yaml", encoding="utf-8") as f:
        y = f.read()
    with open(f"{tmp}/in/site.yaml", "w", encoding="utf-8") as f:
        f.write("\n".join(l for l in y.splitlines() if not l.startswith("month:")) + "\n")
    rc, _, err = run("check", "-i", f"{tmp}/in")
    check("check without a month is exit 2 naming month", rc == 2 and "month" in err, err)
    rc, _, err = run("check", "-i", f"{tmp}/in", "--month", "2026-10")
    check("check with --month runs", rc == 0, err)

    # Other months: reports, workbooks and indicator documents are kept, within the
    # selection of the new build (--branch keeps nothing of another branch).
    out = f"{tmp}/months"
    rc1, _, e1 = run("build", "-q", "-i", "input", "-o", out)
    rc2, _, e2 = run("build", "-q", "-i", "input", "-o", out, "--month", "2026-09")
    files = tree_files(out)
    want = [f"{d}/{m}/{f}" for m in ("2026-09", "2026-10")
            for d, f in (("reports", "index.html"), ("workbooks", "summary.xlsx"))]
    want += [f"data/indicators-{m}.json" for m in ("2026-09", "2026-10")]
    check("a build of 2026-09 keeps 2026-10's report, workbooks and indicator document",
          rc1 == rc2 == 0 and all(w in files for w in want), (e1, e2, [w for w in want if w not in files]))
    with open(f"{out}/.cundang", encoding="utf-8") as f:
        marker = f.read().splitlines()[1:]
    check("the marker lists both months, all branches", marker == ["2026-09 *", "2026-10 *"], marker)
    rc, _, err = run("build", "-q", "-i", "input", "-o", out, "--month", "2026-08", "--branch", "HB")
    files = tree_files(out)
    other = [f for f in files if f.startswith(("reports/", "workbooks/", "data/"))
             and "2026-08" not in f]
    check("a --branch HB build keeps of other months only HB's report and workbook",
          rc == 0 and sorted(other) == sorted(f"{d}/{m}/HB.{x}" for m in ("2026-09", "2026-10")
                                             for d, x in (("reports", "html"), ("workbooks", "xlsx"))),
          (err, other))
    with open(f"{out}/.cundang", encoding="utf-8") as f:
        marker = f.read().splitlines()[1:]
    check("... and its marker says those months now cover HB only",
          marker == ["2026-08 HB", "2026-10 HB", "2026-09 HB"], marker)
    leaks = []
    for f in files:
        if f.endswith(".html"):
            with open(os.path.join(out, f), encoding="utf-8") as fh:
                t = fh.read()
            leaks += [f for code in ("BH0", "XJ0") if code in t]
    check("... and no page of it names a village of another branch", not leaks, leaks[:5])

sys.exit(checks.summary())
