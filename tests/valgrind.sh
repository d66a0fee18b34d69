#!/bin/sh
# tests/valgrind.sh — one build of the sample input/ (charts included) by the release binary
# ./cundang (make cundang: -O2 -g) under valgrind memcheck: no invalid access, no use of
# uninitialised memory, no leak (definite or indirect; "possibly lost" blocks of Pango's
# one-off caches are not errors). tests/valgrind.supp suppresses only system-library leaks.
# Builds nothing. Prints valgrind's summary; the last line is "1 passed, 0 failed" or
# "0 passed, 1 failed". VALGRIND_CUNDANG overrides the binary (never an ASan build).
cd "$(dirname "$0")/.." || exit 2
bin=${VALGRIND_CUNDANG:-./cundang}

fail() {
	echo "FAIL valgrind: $*"
	echo "0 passed, 1 failed"
	exit 1
}

command -v valgrind >/dev/null 2>&1 || fail "valgrind is not installed (Debian package valgrind)"
[ -x "$bin" ] || fail "no $bin: build it first (make cundang)"

tmp=$(mktemp -d) || fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
log=$tmp/valgrind.log

start=$(date +%s)
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --num-callers=40 --error-exitcode=1 \
	--suppressions=tests/valgrind.supp --log-file="$log" \
	"$bin" build -q -j 2 -i input -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
secs=$(($(date +%s) - start))

grep -E 'ERROR SUMMARY|definitely lost:|indirectly lost:|possibly lost:|still reachable:|suppressed:' "$log" |
	sed 's/^==[0-9]*== */    /'
echo "    ($secs s under valgrind; $(tail -n 1 "$tmp/stderr"))"
if [ "$status" -ne 0 ] || [ ! -f "$tmp/out/index.html" ]; then
	echo "valgrind log (errors, then leaks):"
	sed -n '/Command:/,$p' "$log" | head -n 200
	tail -n 5 "$tmp/stderr"
	fail "exit status $status (valgrind reports errors with 1)"
fi
echo "ok   valgrind: sample build, no leak and no invalid access"
echo "1 passed, 0 failed"
