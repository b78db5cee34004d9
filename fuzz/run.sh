#!/bin/sh
# fuzz/run.sh SECONDS [HARNESS...]: run each libFuzzer harness for SECONDS,
# seeded from fixtures/, with a fresh corpus directory; a crash leaves its
# input in fuzz/crashes/ and fails the run.  Needs a --enable-fuzzing build.
set -u
secs=${1:-60}; shift
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$top}
harnesses=${*:-"fuzz-parse"}
mkdir -p "$top/fuzz/crashes"
status=0
for h in $harnesses; do
  bin="$build/fuzz/$h"
  [ -x "$bin" ] || { echo "fuzz: $bin not built"; status=1; continue; }
  corpus=$(mktemp -d)
  case $h in
    fuzz-parse) seeds="$top/fixtures" ;;
    fuzz-toml) seeds="$top/rules" ;;
    *) seeds="$top/fuzz/seeds/$h" ;;
  esac
  find "$seeds" -type f -size -64k 2>/dev/null | while read -r f; do cp "$f" "$corpus/"; done
  # FUZZ_FLAGS: more libFuzzer flags (CI passes -detect_leaks=0, see .ci/run).
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 ${FUZZ_FLAGS:-} \
    -artifact_prefix="$top/fuzz/crashes/$h-" "$corpus" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Done" ||
    true
  ls "$top/fuzz/crashes/$h-"* >/dev/null 2>&1 && { echo "fuzz: $h found a crash"; status=1; }
  rm -rf "$corpus"
done
exit $status
