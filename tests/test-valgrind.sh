#!/bin/sh
# test-valgrind.sh - memcheck over every fixture: `oobproc scan` on all of
# fixtures/ and pipe mode (parse, rules, store) on one fixture of each kind,
# with no memory errors and no leaks (definite or indirect).  Suppressions
# in tests/valgrind.supp cover only code outside oobproc (pcre2 JIT, ld.so).
. "$top_srcdir/tests/tap.sh"
command -v valgrind >/dev/null || skip_all "valgrind not installed"
if ldd "$OOBPROC" 2>/dev/null | grep -q 'libasan\|libubsan\|libtsan'; then
  skip_all "oobproc built with sanitizers (ASan covers this build)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg () { # LOG COMMAND...: memcheck, exit 99 on any error or leak
  log=$1; shift
  G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --suppressions="$top_srcdir/tests/valgrind.supp" --log-file="$log" "$@"
}
fixtures=$(find "$top_srcdir/fixtures" -name '*.eml' | sort)
count=$(echo "$fixtures" | wc -l)
# shellcheck disable=SC2086
vg "$work/scan.log" "$OOBPROC" scan $fixtures > "$work/scan.out"
rc=$?
check "memcheck: scan over all $count fixtures clean, no leaks (status $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$work/scan.log" | head -60
check "memcheck: scan printed a line for every fixture" [ "$(wc -l < "$work/scan.out")" -ge "$count" ]
for f in dsn/postfix-550-user-unknown.eml dsn/multi-recipient.eml arf/*.eml other/human-reply-address-gone.eml; do
  for m in "$top_srcdir"/fixtures/$f; do
    name=$(basename "$m")
    SENDER='' RECIPIENT=bounces@bounce.example.com vg "$work/pipe.log" "$OOBPROC" --db "$work/oob.db" < "$m" > /dev/null 2>&1
    rc=$?
    check "memcheck: pipe mode on $name clean, no leaks (status $rc)" [ "$rc" -eq 0 ]
    [ "$rc" -eq 0 ] || sed 's/^/# /' "$work/pipe.log" | head -40
    break
  done
done
done_testing
