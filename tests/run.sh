#!/bin/sh
# tests/run.sh — runs every test suite of `make test` and prints the total as its last line:
# "N passed, N failed". Unit tests and end-to-end runs use the ASan+UBSan build.
cd "$(dirname "$0")/.." || exit 2
export CUNDANG="${CUNDANG:-$PWD/build/asan/cundang}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
# fontconfig leaks a few bytes parsing its configuration; nothing of ours is suppressed.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
PY=/usr/bin/python3
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts of one suite. cmocka prints "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)"; the script suites end with "N passed, N failed".
count() {
	name=$1
	status=$2
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	if [ -z "$p$f" ]; then
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed*}
	fi
	p=${p:-0}
	f=${f:-0}
	# A suite that crashed or printed no count is one failure, never a silent pass.
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed)"
		sed 's/^/    /' "$log" | tail -n 60
	else
		echo "ok   $name ($p passed)"
	fi
}

# The house style: every C file as clang-format (.clang-format) writes it (make format fixes).
sh scripts/format-check $(find src tests/unit tests/fuzz tests/bench -name '*.[ch]' | sort) >"$log" 2>&1
count format-check $?

for t in build/asan/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	count "$(basename "$t")" $?
done

for t in tests/e2e/test_*.py; do
	[ -f "$t" ] || continue
	$PY "$t" >"$log" 2>&1
	count "$(basename "$t")" $?
done

# Golden files: the pages and the indicator document of two archives (tests/regress/).
$PY tests/regress/run.py >"$log" 2>&1
count regress $?

# Every libFuzzer target, regression inputs first, then about 10 s of runs from a fixed seed (the same
# work on every machine; open-ended random fuzzing is make fuzz).
sh scripts/fuzz --fixed >"$log" 2>&1
count fuzz $?

# One build of the sample by the release binary under valgrind memcheck (leaks, invalid access).
sh tests/valgrind.sh >"$log" 2>&1
count valgrind.sh $?

# The real-browser test: a dossier of the sample, opened from file:// in Debian's Chromium
# through chromedriver and python3-selenium (all Debian packages; no npm).
site=$(mktemp -d)
if "$CUNDANG" build -q -i input -o "$site/out" >"$log" 2>&1; then
	$PY tests/browser/test_dossier.py "$site/out" >"$log" 2>&1
	count test_dossier.py $?
else
	count test_dossier.py 1
fi
rm -rf "$site"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
