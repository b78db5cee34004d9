# tap.sh - tiny TAP helpers for the shell tests (sourced, not run).
tap_n=0
tap_failed=0
ok () { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok () { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check () { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
skip_all () { echo "1..0 # SKIP $*"; exit 0; }
skip () { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $*"; }
done_testing () { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
# nobody_setup DIR: as root with setpriv and a nobody user, copy oobproc and
# the rules into DIR and define nobody_oobproc ARGS... to run that copy as
# nobody.  A build tree under a private directory (mode 700, as CI's can
# be) is out of nobody's reach, so the binary under test is copied rather
# than run in place.  Fails when any of that is missing.
nobody_setup () {
  [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 || return 1
  mkdir -p "$1" && cp "$OOBPROC" "$1/oobproc" && cp -R "$OOBPROC_RULES_DIR" "$1/rules" || return 1
  chmod -R a+rX "$1" && nobody_dir=$1
  nobody_oobproc () {
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
      env OOBPROC_RULES_DIR="$nobody_dir/rules" "$nobody_dir/oobproc" "$@"
  }
  nobody_oobproc rules check >/dev/null 2>&1
}
