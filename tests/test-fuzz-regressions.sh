#!/bin/sh
# test-fuzz-regressions.sh - every input a fuzzer found a fault with, kept
# under fuzz/regressions/HARNESS/, replayed through the built program:
# messages (fuzz-parse) through `oobproc scan`, addresses (fuzz-verp)
# through `oobproc verp decode`.  Under valgrind when it is installed and
# oobproc has no sanitizers; the ASan build catches the same leaks itself.
. "$top_srcdir/tests/tap.sh"
regressions="$top_srcdir/fuzz/regressions"
run=
if command -v valgrind >/dev/null && ! ldd "$OOBPROC" 2>/dev/null | grep -q 'libasan\|libubsan'; then
  run="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
  run="$run --suppressions=$top_srcdir/tests/valgrind.supp"
fi
for f in "$regressions"/fuzz-parse/*; do
  [ -e "$f" ] || continue
  G_SLICE=always-malloc $run "$OOBPROC" scan "$f" > /dev/null 2>&1
  rc=$?
  check "fuzz-parse $(basename "$f"): scanned, no memory error or leak (status $rc)" [ "$rc" -eq 0 ]
done
for f in "$regressions"/fuzz-verp/*; do
  [ -e "$f" ] || continue
  G_SLICE=always-malloc $run "$OOBPROC" verp decode "$(cat "$f")" > /dev/null 2>&1
  rc=$?
  check "fuzz-verp $(basename "$f"): decoded, no memory error or leak (status $rc)" [ "$rc" -ne 99 -a "$rc" -lt 128 ]
done
done_testing
