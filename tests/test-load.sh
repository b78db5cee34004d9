#!/bin/sh
# test-load.sh - 16 pipe processes at once, 500 messages each, into one
# database: exactly 8,000 events and no exit 75 under that normal load.
# OOB_LOAD_PROCS and OOB_LOAD_MESSAGES scale it down for a quick run.
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
procs=${OOB_LOAD_PROCS:-16}
per=${OOB_LOAD_MESSAGES:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/load.db"
template="$top_srcdir/fixtures/dsn/postfix-550-user-unknown.eml"

worker () { # N: deliver $per distinct messages, count non-zero exits
  n=$1 fails=0 i=0
  while [ $i -lt "$per" ]; do
    sed "s/alice/u$n-$i/g" "$template" |
      SENDER='' RECIPIENT=bounces@bounce.example.com "$OOBPROC" --db "$db" || fails=$((fails + 1))
    i=$((i + 1))
  done
  echo "$fails" > "$work/fails.$n"
}

"$OOBPROC" --db "$db" < /dev/null  # create the schema before the crowd arrives
p=0
while [ $p -lt "$procs" ]; do worker $p & p=$((p + 1)); done
wait
total=$((procs * per))
check "no tempfail under normal load ($procs x $per)" [ "$(cat "$work"/fails.* | awk '{s += $1} END {print s}')" = 0 ]
check "exactly $total bounce events" [ "$(sqlite3 "$db" "select count(*) from events where kind = 'bounce'")" = "$total" ]
check "exactly $total distinct recipients suppressed" [ "$(sqlite3 "$db" "select count(*) from suppressions")" = "$total" ]
check "database integrity" [ "$(sqlite3 "$db" "pragma integrity_check")" = ok ]
done_testing
