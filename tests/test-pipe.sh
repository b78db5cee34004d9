#!/bin/sh
# test-pipe.sh - pipe mode end to end: fixtures piped through the built
# binary the way Postfix local(8) delivers them (environment, leading From
# line), into a temporary database; exit statuses; silence on stdout/stderr.
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
db="$work/oob.db"
fx="$top_srcdir/fixtures"

deliver () { # FIXTURE [oobproc args...]: as Postfix local(8) would
  f=$1; shift
  { printf 'From MAILER-DAEMON  Sun Nov 22 10:00:00 2026\n'
    printf 'Return-Path: <>\nX-Original-To: bounces@bounce.example.com\n'
    printf 'Delivered-To: bounces@bounce.example.com\n'
    cat "$f"; } |
  SENDER='' RECIPIENT=bounces@bounce.example.com ORIGINAL_RECIPIENT=bounces@bounce.example.com \
  "$OOBPROC" "$@" >"$work/out" 2>&1
}
q () { sqlite3 "$db" "$1"; }

deliver "$fx/dsn/postfix-550-user-unknown.eml" --db "$db"
check "postfix DSN: exit 0" [ $? -eq 0 ]
check "postfix DSN: nothing printed" [ ! -s "$work/out" ]
check "postfix DSN: one message row, kind dsn" [ "$(q "select count(*) || kind from messages")" = "1dsn" ]
check "postfix DSN: event for alice with 5.1.1/550" \
  [ "$(q "select recipient || ' ' || status || ' ' || smtp_code || ' ' || kind from events")" = "alice@example.org 5.1.1 550 bounce" ]
check "postfix DSN: envelope recorded" \
  [ "$(q "select envelope_recipient from messages")" = "bounces@bounce.example.com" ]
check "postfix DSN: alice suppressed" [ "$(q "select count(*) from suppressions where address = 'alice@example.org'")" = 1 ]

deliver "$fx/dsn/postfix-550-user-unknown.eml" --db "$db"
check "same message again: exit 0, no second event" [ $? -eq 0 -a "$(q "select count(*) from events")" = 1 ]

deliver "$fx/dsn/multi-recipient.eml" --db "$db"
check "multi-recipient: three events" [ "$(q "select count(*) from events where message = (select max(id) from messages)")" = 3 ]
check "multi-recipient: delayed and delivered not suppressed" \
  [ "$(q "select count(*) from suppressions where address in ('ivan@example.net', 'judy@example.test')")" = 0 ]

deliver "$fx/other/human-reply-address-gone.eml" --db "$db"
check "not a report: exit 0" [ $? -eq 0 ]
check "not a report: kind unknown with raw bytes kept" \
  [ "$(q "select kind, length(raw) > 100 from messages order by id desc limit 1")" = "unknown|1" ]

printf 'From x\n' | "$OOBPROC" --db "$db" >"$work/out" 2>&1
check "empty message: exit 0, recorded as unknown" [ $? -eq 0 -a "$(q "select kind from messages order by id desc limit 1")" = unknown ]

# Failures to commit: exit 75, print nothing, write nothing.
mkdir "$work/ro"
deliver "$fx/dsn/sendmail-550.eml" --db "$work/ro/missing-dir/x.db"
check "database directory missing: exit 75" [ $? -eq 75 ]
check "database directory missing: nothing printed" [ ! -s "$work/out" ]
if [ "$(id -u)" -ne 0 ]; then
  chmod a-w "$work/ro"
  deliver "$fx/dsn/sendmail-550.eml" --db "$work/ro/x.db"
  check "unwritable directory: exit 75" [ $? -eq 75 ]
  check "unwritable directory: nothing printed" [ ! -s "$work/out" ]
  chmod u+w "$work/ro"
else
  # root ignores permissions: a database that is a directory is unwritable for everyone.
  mkdir "$work/ro/x.db"
  deliver "$fx/dsn/sendmail-550.eml" --db "$work/ro/x.db"
  check "unwritable database: exit 75" [ $? -eq 75 ]
  check "unwritable database: nothing printed" [ ! -s "$work/out" ]
fi
printf 'not a database, just some bytes that are long enough to look like a header.....' > "$work/corrupt.db"
deliver "$fx/dsn/sendmail-550.eml" --db "$work/corrupt.db"
check "corrupt database: exit 75" [ $? -eq 75 ]
deliver "$fx/dsn/sendmail-550.eml" --db "$db" --no-such-option
check "bad option: exit 75 (never bounce a bounce)" [ $? -eq 75 ]

deliver "$fx/dsn/sendmail-550.eml" --db "$db" -v
check "-v prints the summary on stderr" grep -q "kind=dsn" "$work/out"

printf 'database = "%s"\nevent_log = "%s"\n' "$work/logged.db" "$work/events.jsonl" > "$work/log.toml"
deliver "$fx/dsn/sendmail-550.eml" --config "$work/log.toml"
check "event_log: one JSON line per event after the commit" \
  sh -c "[ \$(wc -l < '$work/events.jsonl') -eq 1 ] && grep -q 'bob@example.net' '$work/events.jsonl'"
deliver "$fx/dsn/sendmail-550.eml" --config "$work/log.toml"
check "event_log: a duplicate adds no line" [ "$(wc -l < "$work/events.jsonl")" -eq 1 ]

printf '[relay]\ntimout = "5s"\n' > "$work/typo.toml"
deliver "$fx/dsn/sendmail-550.eml" --db "$db" --config "$work/typo.toml"
check "a misspelt [relay] key: exit 75, message kept" [ $? -eq 75 ]
printf 'policy = "suppress"\n' > "$work/notable.toml"
deliver "$fx/dsn/sendmail-550.eml" --db "$db" --config "$work/notable.toml"
check "a table key given a string: exit 75, message kept" [ $? -eq 75 ]

# One process per message must not leave a growing WAL behind: each new
# process would read all of it.  (40 messages wrote ~1.6 MB of WAL when
# checkpoints were left to SQLite's automatic ones; the store truncates it
# once it holds 200 frames, ~0.8 MB.)
wal="$work/wal.db"
i=0
while [ $i -lt 40 ]; do
  sed "s/bob/wal$i/g" "$fx/dsn/sendmail-550.eml" | "$OOBPROC" --db "$wal" || break
  i=$((i + 1))
done
# (Size first: the sqlite3 command checkpoints when it closes.)
check "40 messages, one process each: the WAL is kept short" [ "$(stat -c %s "$wal-wal" 2>/dev/null || echo 0)" -lt 1048576 ]
check "40 messages, one process each: all recorded" [ "$(sqlite3 "$wal" "select count(*) from messages")" = 40 ]

out=$("$OOBPROC" scan --format=jsonl "$fx/dsn/sendmail-550.eml")
check "scan prints one JSON line with the stable keys" sh -c "echo '$out' | grep -q '\"source\":.*\"kind\":\"bounce\".*\"recipient\":\"bob@example.net\".*\"status\":\"5.1.1\".*\"code\":550'"
done_testing
