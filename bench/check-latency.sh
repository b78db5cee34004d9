#!/bin/sh
# check-latency.sh - how fast `oobproc check` answers on a big suppression
# list, and how fast `oobproc import` records mail.
#
#   bench/check-latency.sh [ROWS] [MESSAGES] [CALLS]   (defaults 10000000, 20000, 1000)
#
# 1. Generates a database of ROWS suppressions (one transaction, sqlite3's
#    recursive CTE) with oobproc's own schema, in WAL mode as the pipe
#    leaves it.
# 2. Times 1000 `oobproc check` processes (half suppressed addresses, half
#    not): the latency a sender's script sees per call, process start
#    included; then 100000 look-ups in one process (`check -q -`): the cost
#    of the look-up itself.
# 3. Times `oobproc import` of an mbox of MESSAGES copies of the DSN
#    fixtures (each made unique), then the same import again (all
#    duplicates).
# Needs sqlite3 and python3.  Work files go to $TMPDIR (default /tmp).
set -eu
rows=${1:-10000000}
messages=${2:-20000}
calls=${3:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
OOB=${OOBPROC:-$top/src/oobproc}
[ -x "$OOB" ] || { echo "build first (make)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/oob-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/big.db

now_ns () { date +%s%N; }
ms () { echo "$1 $2" | awk '{ printf "%.3f", ($2 - $1) / 1e6 }'; }
# measure LABEL COUNT UNIT SHELL-COMMAND: wall time and CPU time (user +
# system, of every process the command ran), in all and per UNIT.  CPU
# time is the figure to trust on a loaded machine.
measure () {
  python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
label, count, unit, command = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
start = time.monotonic()
subprocess.call(command, shell=True)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print("%s: %.2f s wall, %.2f s CPU; per %s %.3f ms wall, %.3f ms CPU; %.0f %ss/s by CPU"
      % (label, wall, cpu, unit, 1000 * wall / count, 1000 * cpu / count, count / cpu if cpu else 0, unit))
EOF
}

echo "oobproc: $OOB; load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc 2>/dev/null) CPUs"
echo "== generating $rows suppressions"
t0=$(now_ns)
"$OOB" suppress --db "$db" first@example.com --reason "bench" >/dev/null
sqlite3 "$db" >/dev/null <<EOF
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO suppressions (address, reason, classification, status, diagnostic, first_seen, last_seen, count)
SELECT printf('user%09d@d%03d.example.net', i, i % 1000), 'bounce', 'InvalidRecipient', '5.1.1',
       '550 5.1.1 no such user', 1790000000 + i % 86400, 1790000000 + i % 86400, 1 + i % 3 FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
t1=$(now_ns)
echo "generated in $(ms "$t0" "$t1") ms; $(sqlite3 "$db" 'select count(*) from suppressions') rows;" \
  "$(du -h "$db" | cut -f1) on disk"

echo "== check: 1000 processes"
python3 - "$rows" >"$work/addresses" <<'EOF'
import random, sys
rows = int(sys.argv[1]); random.seed(7)
for k in range(100000):
    i = random.randint(1, rows)
    # even lines: suppressed (in mixed case); odd lines: never suppressed
    print(("User%09d@D%03d.Example.NET" % (i, i % 1000)) if k % 2 == 0 else ("nobody%09d@d%03d.example.net" % (i, i % 1000)))
EOF
head -"$calls" "$work/addresses" >"$work/first1000"
# warm the page cache as a busy sender's would be
"$OOB" check --db "$db" -q - <"$work/first1000" >/dev/null || true
measure "$calls x oobproc check ADDRESS (exit 1: $(grep -c '^User' "$work/first1000"), exit 0: the rest)" "$calls" call \
  "while read -r a; do '$OOB' check --db '$db' -q \"\$a\"; [ \$? -le 1 ] || echo ERROR; done <'$work/first1000'"
measure "baseline: $calls x /bin/true" "$calls" call "i=0; while [ \$i -lt $calls ]; do /bin/true; i=\$((i + 1)); done"
measure "baseline: $calls x the same look-up with the sqlite3 CLI" "$calls" call \
  "i=0; while [ \$i -lt $calls ]; do sqlite3 '$db' \"select 1 from suppressions where address = 'user000000001@d001.example.net'\" >/dev/null; i=\$((i + 1)); done"
measure "baseline: $calls x oobproc check --help (process start, no database)" "$calls" call \
  "i=0; while [ \$i -lt $calls ]; do '$OOB' check --help >/dev/null; i=\$((i + 1)); done"

echo "== check: 100000 look-ups in one process (check -q -)"
measure "100000 look-ups" 100000 look-up "'$OOB' check --db '$db' -q - <'$work/addresses'"

echo "== import: $messages messages"
python3 - "$top/fixtures/dsn" "$messages" >"$work/bench.mbox" <<'EOF'
import glob, sys
files = sorted(glob.glob(sys.argv[1] + "/*.eml"))
texts = [open(f, "rb").read() for f in files]
out = sys.stdout.buffer
for k in range(int(sys.argv[2])):
    out.write(b"From MAILER-DAEMON Sun Nov  1 12:00:00 2026\n")
    out.write(b"Delivered-To: bounces@bounce.example.com\nX-Bench-Copy: %d\n" % k)
    out.write(texts[k % len(texts)])
    out.write(b"\n")
EOF
echo "mbox: $(du -h "$work/bench.mbox" | cut -f1)"
measure "first import" "$messages" message "'$OOB' import --db '$work/import.db' -q '$work/bench.mbox'"
measure "same import again (all already recorded)" "$messages" message \
  "'$OOB' import --db '$work/import.db' -q '$work/bench.mbox'"
measure "first import, --jobs 2" "$messages" message "'$OOB' import --db '$work/import2.db' --jobs 2 -q '$work/bench.mbox'"
# A check right after writes: the first connection to open the database
# rebuilds the WAL index by reading what the WAL holds, so the WAL a writer
# leaves behind costs every check (writers truncate it once it holds 200
# frames; the figure shows what is left).
"$OOB" suppress --db "$work/import.db" bench@example.com --reason bench
wal=$(du -k "$work/import.db-wal" 2>/dev/null | cut -f1)
measure "$calls x oobproc check on the import database, ${wal:-0} KB of WAL left by writers" "$calls" call \
  "i=0; while [ \$i -lt $calls ]; do '$OOB' check --db '$work/import.db' -q bench@example.com; i=\$((i + 1)); done"

