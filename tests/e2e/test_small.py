#!/usr/bin/python3
"""End-to-end test on the hand-made archive tests/regress/small/input (SPEC §3–§6).

Runs, from the repository root (standard library only):
  $CUNDANG stats --json -i tests/regress/small/input        vs tests/e2e/small.expected.json
  $CUNDANG check --json -i tests/regress/small/input        vs tests/e2e/small.findings.json
  $CUNDANG check [--strict] -i tests/regress/small/input    exit status 0, and 1 with --strict
  $CUNDANG stats --json --branch CODE ...         only that branch, bank == branch
  $CUNDANG build -i tests/regress/small/input [--branch BH]  each dossier's findings section

CUNDANG defaults to ./cundang. Every expected figure was worked out by hand: see
tests/e2e/small.worked.md. The stats document is compared value by value: the same keys
in the same order at every level, numbers within 1e-9, strings, booleans and nulls exact.
One check per top-level element (month, as_of, bank, each branch, each village, managers,
trend, quality). Findings are compared as [file, line, code] in order; findings of one
CSV record (same file and line) are compared as a set, because the spec does not say to
which column a cross-field warning (e.g. credit_without_grant_date) belongs.
Each village dossier (villages/CODE.html, section id="findings") lists exactly that village's
findings, as [file, line, code] in order: a loan row's findings belong to the village of the
household its household_id names, even when the row is dropped before the household lookup
(loans/2026-10.csv lines 10-12 in B2); a loan of an unknown household is in no dossier.
The last line printed is "N passed, N failed"; the exit status is 1 when anything failed.
"""
import difflib
import html.parser
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import (AMOUNTS, COUNTS, HERE, RATES, ROOT, Checks, build, run,  # noqa: E402
                     scratch_dir)

ARCHIVE = os.path.join("tests", "regress", "small", "input")
TOLERANCE = 1e-9
TIMEOUT = 120

ACCEPTANCE = ["villages_total", "villages_passed", "acceptance_rate"]
TREND_COUNTS = ["visited", "archived", "granted", "signed", "used"]


class DuplicateKey(Exception):
    pass


def ordered_pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise DuplicateKey("duplicate key %r" % k)
        seen.add(k)
    return dict(pairs)


def parse_json(text):
    return json.loads(text, object_pairs_hook=ordered_pairs)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def show(x):
    return json.dumps(x, ensure_ascii=False)


def compare(expected, got, path, out):
    """Appends to out one line per difference between expected and got under path."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            out.append("%s: expected an object, got %s" % (path, show(got)))
            return
        ek, gk = list(expected), list(got)
        if ek != gk:
            missing = [k for k in ek if k not in got]
            extra = [k for k in gk if k not in expected]
            if missing:
                out.append("%s: missing keys %s" % (path, ", ".join(missing)))
            if extra:
                out.append("%s: unexpected keys %s" % (path, ", ".join(extra)))
            if not missing and not extra:
                out.append("%s: keys out of order: expected %s, got %s"
                           % (path, ", ".join(ek), ", ".join(gk)))
        for k in ek:
            if k in got:
                compare(expected[k], got[k], "%s.%s" % (path, k) if path else k, out)
    elif isinstance(expected, list):
        if not isinstance(got, list):
            out.append("%s: expected an array, got %s" % (path, show(got)))
            return
        if len(expected) != len(got):
            out.append("%s: expected %d entries, got %d" % (path, len(expected), len(got)))
        for i in range(min(len(expected), len(got))):
            compare(expected[i], got[i], "%s[%d]" % (path, i), out)
    elif is_number(expected):
        if not is_number(got):
            out.append("%s: expected %s, got %s" % (path, show(expected), show(got)))
        elif abs(expected - got) > TOLERANCE:
            out.append("%s: expected %s, got %s" % (path, show(expected), show(got)))
    else:  # string, bool, null: exact
        if type(expected) is not type(got) or expected != got:
            out.append("%s: expected %s, got %s" % (path, show(expected), show(got)))


def element_checks(res, expected, got, key, label):
    """One check per element of the array expected[key] (plus one for extra entries)."""
    exp_list = expected[key]
    got_list = got.get(key) if isinstance(got, dict) else None
    if not isinstance(got_list, list):
        res.problems_check(key, ["%s: expected an array, got %s" % (key, show(got_list))])
        return
    for i, e in enumerate(exp_list):
        name = "%s[%d] (%s)" % (key, i, e.get(label))
        if i >= len(got_list):
            res.problems_check(name, ["%s[%d]: missing (got only %d entries)"
                                      % (key, i, len(got_list))])
            continue
        out = []
        compare(e, got_list[i], "%s[%d]" % (key, i), out)
        res.problems_check(name, out)
    if len(got_list) > len(exp_list):
        extra = [show(g.get(label) if isinstance(g, dict) else g) for g in got_list[len(exp_list):]]
        res.problems_check("%s: no extra entries" % key,
                           ["%s: unexpected entries %s" % (key, ", ".join(extra))])


def check_stats(res, expected):
    status, stdout, stderr = run("stats", "--json", "-i", ARCHIVE, timeout=TIMEOUT, text=True)
    res.problems_check("stats --json exits 0", [] if status == 0 else
                       ["exit status %d; stderr: %s" % (status, stderr.strip()[-2000:])])
    try:
        got = parse_json(stdout)
    except (ValueError, DuplicateKey) as e:
        res.problems_check("stats --json prints one JSON document",
                           ["%s; stdout starts %r" % (e, stdout[:300])])
        return
    if not isinstance(got, dict):
        res.problems_check("stats --json prints an object", ["got %s" % show(got)[:300]])
        return
    ek, gk = list(expected), list(got)
    res.problems_check("document keys", [] if ek == gk else
                       ["top level: expected keys %s, got %s" % (", ".join(ek), ", ".join(gk))])
    for key in expected:
        if key in ("branches", "villages"):
            element_checks(res, expected, got, key, "code")
            continue
        out = []
        if key not in got:
            out.append("%s: missing" % key)
        else:
            compare(expected[key], got[key], key, out)
        res.problems_check(key, out)


def finding_triple(f):
    if isinstance(f, dict):
        return [f.get("file"), f.get("line"), f.get("code")]
    if isinstance(f, list) and len(f) >= 3:
        return list(f[:3])
    return [None, None, show(f)]


def canonical(triples):
    """Sorts the findings of one CSV record (same file and consecutive equal line) by code,
    keeping the order of records."""
    out, i = [], 0
    while i < len(triples):
        j = i
        while j < len(triples) and triples[j][:2] == triples[i][:2]:
            j += 1
        out.extend(sorted(triples[i:j], key=lambda t: str(t[2])))
        i = j
    return out


def check_findings(res):
    expected = canonical(json.load(open(os.path.join(HERE, "small.findings.json"), encoding="utf-8")))
    status, stdout, stderr = run("check", "--json", "-i", ARCHIVE, timeout=TIMEOUT, text=True)
    res.problems_check("check --json exits 0 without --strict", [] if status == 0 else
                       ["exit status %d; stderr: %s" % (status, stderr.strip()[-2000:])])
    try:
        doc = parse_json(stdout)
    except (ValueError, DuplicateKey) as e:
        res.problems_check("check --json findings",
                           ["not JSON (%s); stdout starts %r" % (e, stdout[:300])])
        return
    findings = doc.get("findings") if isinstance(doc, dict) else doc
    if not isinstance(findings, list):
        res.problems_check("check --json findings", ["no findings array in %s" % show(doc)[:300]])
        return
    got = canonical([finding_triple(f) for f in findings])
    problems = []
    if got != expected:
        problems.append("expected %d findings, got %d; diff of [file, line, code] (-expected +got):"
                        % (len(expected), len(got)))
        problems.extend(l.rstrip("\n") for l in difflib.unified_diff(
            [show(t) for t in expected], [show(t) for t in got], "expected", "got", lineterm="", n=1))
    res.problems_check("check --json findings (%d)" % len(expected), problems)

    status, _, stderr = run("check", "-i", ARCHIVE, timeout=TIMEOUT)
    res.problems_check("check (no --strict) exits 0", [] if status == 0 else
                       ["exit status %d; stderr: %s" % (status, stderr.strip()[-2000:])])
    status, _, stderr = run("check", "--strict", "-i", ARCHIVE, timeout=TIMEOUT)
    res.problems_check("check --strict exits 1", [] if status == 1 else
                       ["exit status %d; stderr: %s" % (status, stderr.strip()[-2000:])])


def check_branch(res, expected, code):
    name = "stats --json --branch %s" % code
    status, stdout, stderr = run("stats", "--json", "--branch", code, "-i", ARCHIVE,
                                 timeout=TIMEOUT, text=True)
    if status != 0:
        res.problems_check(name, ["exit status %d; stderr: %s" % (status, stderr.strip()[-2000:])])
        return
    try:
        got = parse_json(stdout)
    except (ValueError, DuplicateKey) as e:
        res.problems_check(name, ["not JSON: %s" % e])
        return
    out = []
    exp_branch = [b for b in expected["branches"] if b["code"] == code][0]
    exp_villages = [v for v in expected["villages"] if v["branch"] == code]
    branches = got.get("branches")
    if not isinstance(branches, list) or len(branches) != 1:
        out.append("branches: expected exactly 1 entry (%s), got %s" % (
            code, show([b.get("code") for b in branches] if isinstance(branches, list) else branches)))
    else:
        compare(exp_branch, branches[0], "branches[0]", out)
    villages = got.get("villages")
    if not isinstance(villages, list):
        out.append("villages: expected an array")
    else:
        codes = [v.get("code") for v in villages]
        want = [v["code"] for v in exp_villages]
        if codes != want:
            out.append("villages: expected codes %s, got %s" % (show(want), show(codes)))
        else:
            for i, v in enumerate(exp_villages):
                compare(v, villages[i], "villages[%d]" % i, out)
    bank = got.get("bank")
    if not isinstance(bank, dict):
        out.append("bank: missing")
    else:
        for k in COUNTS + AMOUNTS + RATES + ACCEPTANCE:
            compare(exp_branch[k], bank.get(k, "<missing>"), "bank.%s (= branch %s)" % (k, code), out)
        # The bank trend is the branch's villages summed: nothing of another branch.
        trend = got.get("trend")
        if not isinstance(trend, list) or len(trend) != 12:
            out.append("trend: expected 12 entries")
        else:
            for i in range(12):
                for k in TREND_COUNTS:
                    want = sum(v["trend"][i][k] for v in exp_villages)
                    compare(want, trend[i].get(k, "<missing>"), "trend[%d].%s" % (i, k), out)
        managers = got.get("managers")
        if isinstance(managers, list) and is_number(bank.get("listed")):
            listed = sum(m.get("listed", 0) for m in managers if isinstance(m, dict))
            if listed != bank["listed"]:
                out.append("managers: listed sums to %s, bank.listed is %s" % (listed, bank["listed"]))
        else:
            out.append("managers: expected an array")
    res.problems_check(name, out)


# ---- dossier findings (SPEC §7: "this village's data-quality findings") ----

# Village B2's findings, in the order of the findings list: its households.csv, then the loan
# rows whose household_id names a B2 household — line 9 (L302, B2-06) is kept, lines 10
# (L303, B2-07, no disbursed_on), 11 (L304, B2-09, 2026-13-01) and 12 (no loan_id, B2-01)
# are dropped before the household lookup and still belong to B2.
B2_FINDINGS = [
    ["villages/B2/households.csv", 5, "invalid_amount"],
    ["villages/B2/households.csv", 11, "invalid_id_number"],
    ["loans/2026-10.csv", 9, "invalid_amount"],
    ["loans/2026-10.csv", 10, "invalid_disbursed_on"],
    ["loans/2026-10.csv", 11, "invalid_disbursed_on"],
    ["loans/2026-10.csv", 12, "missing_value"],
]
# Findings that belong to no village: in no dossier.
NO_VILLAGE = [
    ["loans/2026-10.csv", 1, "unknown_column"],
    ["loans/2026-10.csv", 7, "unknown_household"],  # L205, household Z9-99
]


class SectionRows(html.parser.HTMLParser):
    """The text of the cells of every table row inside the element with id="findings"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0      # open elements inside the section (0: outside)
        self.rows = []
        self.row = None
        self.cell = None
        self.found = False

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            if dict(attrs).get("id") == "findings":
                self.depth, self.found = 1, True
            return
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self.depth += 1
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        self.depth -= 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def dossier_findings(path, codes):
    """[file, line, code] of each row of the findings section of the dossier at path (None
    when the page has no such section): the file is the cell naming an archive file, the line
    the cell holding just a number, the code the word of a cell that is a known finding code
    (alone, or beside its Chinese name)."""
    p = SectionRows()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    if not p.found:
        return None
    out = []
    for cells in p.rows:
        file = next((c for c in cells if c.endswith((".csv", ".md"))), None)
        line = next((int(c) for c in cells if c.isdigit()), None)
        code = next((k for c in cells for k in c.split() if k in codes), None)
        if file or code:
            out.append([file, line, code])
    return out


def check_dossiers(res):
    expected = json.load(open(os.path.join(HERE, "small.findings.json"), encoding="utf-8"))
    codes = {f[2] for f in expected}
    with scratch_dir("small-dossiers") as tmp:
        out = os.path.join(tmp, "out")
        rc, err = build(ARCHIVE, out)
        res.problems_check("build exits 0", [] if rc == 0 else
                           ["exit status %d; stderr: %s" % (rc, err.strip()[-2000:])])
        if rc != 0:
            return
        vdir = os.path.join(out, "villages")
        pages = sorted(f for f in os.listdir(vdir) if f.endswith(".html"))
        shown = {}
        for f in pages:
            got = dossier_findings(os.path.join(vdir, f), codes)
            res.problems_check("villages/%s has a findings section" % f, [] if got is not None
                               else ["no element with id=\"findings\""])
            shown[f[:-5]] = got or []

        got = shown.get("B2", [])
        problems = []
        if got != B2_FINDINGS:
            problems.append("diff of [file, line, code] (-expected +got):")
            problems.extend(l.rstrip("\n") for l in difflib.unified_diff(
                [show(t) for t in B2_FINDINGS], [show(t) for t in got], "expected", "got",
                lineterm="", n=1))
        res.problems_check("villages/B2.html findings: loans/2026-10.csv lines 10, 11 and 12 "
                           "(dropped before the household lookup) are B2's", problems)

        leaked = ["villages/%s.html: %s" % (v, show(t)) for v, rows in sorted(shown.items())
                  for t in rows if t in NO_VILLAGE or t[0] == "loans/2026-10.csv" and t[1] == 7]
        res.problems_check("a loan of an unknown household (loans/2026-10.csv line 7) and the "
                           "ledger's unknown column are in no dossier", leaked)

        # Every other finding is in exactly one dossier.
        counts = {}
        for rows in shown.values():
            for t in rows:
                counts[show(t)] = counts.get(show(t), 0) + 1
        problems = ["%s: in %d dossiers" % (show(t), counts.get(show(t), 0))
                    for t in expected if t not in NO_VILLAGE and counts.get(show(t), 0) != 1]
        res.problems_check("every finding of a village's file or household is in exactly one "
                           "dossier", problems)

        # A --branch build shows the same dossier findings.
        bout = os.path.join(tmp, "bh")
        rc, err = build(ARCHIVE, bout, "--branch", "BH")
        if rc != 0:
            res.problems_check("build --branch BH", ["exit status %d; stderr: %s"
                                                     % (rc, err.strip()[-2000:])])
            return
        got = dossier_findings(os.path.join(bout, "villages", "B2.html"), codes)
        res.problems_check("build --branch BH: villages/B2.html lists the same findings",
                           [] if got == B2_FINDINGS else ["got %s" % show(got)])


def main():
    os.chdir(ROOT)
    res = Checks(problem_limit=60, one_per_line=True)
    expected = json.load(open(os.path.join(HERE, "small.expected.json"), encoding="utf-8"),
                         object_pairs_hook=ordered_pairs)
    check_stats(res, expected)
    check_findings(res)
    for b in expected["branches"]:
        check_branch(res, expected, b["code"])
    check_dossiers(res)
    return res.summary()


if __name__ == "__main__":
    sys.exit(main())
