#!/bin/sh
# test-faults.sh - the machine fails under oobproc: a database locked past
# the busy timeout, read-only database file and directory, a full disk
# (RLIMIT_FSIZE), a corrupt database, missing or invalid configuration and
# rules, a hanging relay, and kill -9 at random moments followed by the
# MTA's retry.  Every failure is exit 75 with nothing printed (the reason
# only under -v) and nothing half-written.
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
work=$(mktemp -d)
chmod 755 "$work"
holder= immutable=
cleanup () {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  chattr -i "$work"/* "$work"/*/* 2>/dev/null
  chmod -R u+w "$work"; rm -rf "$work"
}
trap cleanup EXIT
fx="$top_srcdir/fixtures/dsn/postfix-550-user-unknown.eml"
db="$work/oob.db"
q () { sqlite3 "$db" "$1"; }
pipe () { # DB [oobproc args...] < message: exit status in $rc, output in $work/out
  d=$1; shift
  SENDER='' RECIPIENT=bounces@bounce.example.com "$OOBPROC" --db "$d" "$@" >"$work/out" 2>"$work/err"
  rc=$?
}
events () { sqlite3 "$1" "select count(*) from events"; }

pipe "$db" < "$fx"
check "baseline: recorded" [ "$rc" -eq 0 -a "$(events "$db")" = 1 ]

# --- Database locked past the busy timeout --------------------------------
printf 'busy_timeout_ms = 300\n' > "$work/short.toml"
# The holder says when it has the write lock (a probe taking the lock
# itself could make the holder's BEGIN fail); it waits out any other lock.
{ echo "BEGIN IMMEDIATE;"; echo ".system touch '$work/locked'"; sleep 30; } |
  sqlite3 -bail -cmd ".timeout 10000" "$db" >/dev/null 2>&1 &
holder=$!
i=0
until [ -e "$work/locked" ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
check "lock holder has the write lock" [ -e "$work/locked" ]
sed 's/alice/locked/g' "$fx" > "$work/msg"; pipe "$db" -c "$work/short.toml" < "$work/msg"
check "locked past the timeout: exit 75" [ "$rc" -eq 75 ]
check "locked past the timeout: nothing printed" [ ! -s "$work/out" -a ! -s "$work/err" ]
sed 's/alice/locked/g' "$fx" > "$work/msg"; pipe "$db" -c "$work/short.toml" -v < "$work/msg"
check "locked past the timeout: -v says why" grep -qi "lock\|busy" "$work/err"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=
check "locked past the timeout: nothing written" [ "$(events "$db")" = 1 ]
sed 's/alice/locked/g' "$fx" > "$work/msg"; pipe "$db" -c "$work/short.toml" < "$work/msg"
check "lock released: the retry is recorded" [ "$rc" -eq 0 -a "$(events "$db")" = 2 ]

# --- Read-only database file and directory --------------------------------
# Root ignores permission bits: run oobproc as nobody, or use chattr +i.
as_nobody=
if [ "$(id -u)" -ne 0 ]; then
  as_nobody="$OOBPROC"
elif nobody_setup "$work/bin"; then
  as_nobody=nobody_oobproc
fi
if [ -n "$as_nobody" ]; then
  mkdir "$work/ro" && cp "$db" "$work/ro/oob.db" && chmod 755 "$work/ro" && chmod 444 "$work/ro/oob.db"
  sed 's/alice/rofile/g' "$fx" | { $as_nobody --db "$work/ro/oob.db" >"$work/out" 2>&1; echo $? > "$work/rc"; }
  check "read-only database file: exit 75" [ "$(cat "$work/rc")" -eq 75 ]
  check "read-only database file: nothing printed" [ ! -s "$work/out" ]
  check "read-only database file: unchanged" [ "$(events "$work/ro/oob.db")" = 2 ]
  chmod 555 "$work/ro"; chmod 644 "$work/ro/oob.db"
  sed 's/alice/rodir/g' "$fx" | { $as_nobody --db "$work/ro/new.db" >"$work/out" 2>&1; echo $? > "$work/rc"; }
  check "read-only directory: exit 75, nothing printed" [ "$(cat "$work/rc")" -eq 75 -a ! -s "$work/out" ]
  check "read-only directory: no database created" [ ! -e "$work/ro/new.db" ]
  chmod 755 "$work/ro"
else
  skip "read-only database file: root without setpriv or a nobody user who can run oobproc"
  skip "read-only directory: root without setpriv or a nobody user who can run oobproc"
fi
# Some filesystems take the flag without enforcing it: probe with a copy.
cp "$db" "$work/probe.db" && chattr +i "$work/probe.db" 2>/dev/null && ! (: >> "$work/probe.db") 2>/dev/null &&
  immutable=yes
chattr -i "$work/probe.db" 2>/dev/null
if [ "$(id -u)" -eq 0 ] && [ -n "$immutable" ] && cp "$db" "$work/immutable.db" && chattr +i "$work/immutable.db"; then
  sed 's/alice/immutable/g' "$fx" > "$work/msg"; pipe "$work/immutable.db" < "$work/msg"
  check "immutable database file (chattr +i): exit 75, nothing printed" [ "$rc" -eq 75 -a ! -s "$work/out" ]
  chattr -i "$work/immutable.db"
  check "immutable database file: unchanged" [ "$(events "$work/immutable.db")" = 2 ]
else
  skip "chattr +i: not root, or the filesystem does not support or enforce it"
fi

# --- Disk full: RLIMIT_FSIZE ----------------------------------------------
# The message is not a report, so its raw bytes (200 KB) are kept: the write
# must cross the limit.  SIGXFSZ would kill us (exit 153); we want 75.
cp "$db" "$work/full.db"
before=$(events "$work/full.db")
python3 -c "
import sys
sys.stdout.write('From: someone@example.org\nSubject: hello\n\n' + ('just some words of text\n' * 9000))" > "$work/big.eml"
(ulimit -f 64 && pipe "$work/full.db" < "$work/big.eml" && echo $rc > "$work/rc"; cat "$work/out" "$work/err" > "$work/both")
check "file size limit: exit 75, not killed by SIGXFSZ" [ "$(cat "$work/rc")" = 75 ]
check "file size limit: nothing printed" [ ! -s "$work/both" ]
check "file size limit: database intact, nothing written" \
  [ "$(sqlite3 "$work/full.db" "pragma integrity_check")" = ok -a "$(sqlite3 "$work/full.db" "select count(*) from messages")" = "$(sqlite3 "$db" "select count(*) from messages")" ]
(ulimit -f 64 && pipe "$work/full.db" -v < "$work/big.eml"; cat "$work/err" > "$work/both")
check "file size limit: -v says why" grep -qi "disk\|full\|I/O\|large" "$work/both"
pipe "$work/full.db" < "$work/big.eml"
check "space back: the retry is recorded" [ "$rc" -eq 0 -a "$(sqlite3 "$work/full.db" "select count(*) from messages where kind = 'unknown'")" = 1 ]

# --- Corrupt database ------------------------------------------------------
cp "$db" "$work/corrupt.db"
# Keep the 16-byte magic, overwrite the rest of page 1 (the schema).
dd if=/dev/urandom of="$work/corrupt.db" bs=1 seek=100 count=3900 conv=notrunc 2>/dev/null
sed 's/alice/corrupt/g' "$fx" > "$work/msg"; pipe "$work/corrupt.db" < "$work/msg"
check "corrupt database: exit 75, nothing printed" [ "$rc" -eq 75 -a ! -s "$work/out" -a ! -s "$work/err" ]
sed 's/alice/corrupt/g' "$fx" > "$work/msg"; pipe "$work/corrupt.db" -v < "$work/msg"
check "corrupt database: -v says why" grep -qi "malformed\|corrupt\|not a database" "$work/err"

# --- Configuration and rules ----------------------------------------------
conf_fault () { # NAME CONFIG-FILE PATTERN
  sed "s/alice/conf$1/g" "$fx" > "$work/msg"; pipe "$db" -c "$2" < "$work/msg"
  check "$1: exit 75, nothing printed" [ "$rc" -eq 75 -a ! -s "$work/out" -a ! -s "$work/err" ]
  sed "s/alice/conf$1/g" "$fx" > "$work/msg"; pipe "$db" -c "$2" -v < "$work/msg"
  check "$1: -v keeps the reason" grep -qi "$3" "$work/err"
}
n0=$(events "$db")
conf_fault "missing configuration" "$work/no-such.toml" "no-such.toml"
printf 'busy_timeout_ms = [unclosed\n' > "$work/bad.toml"
conf_fault "invalid TOML" "$work/bad.toml" "bad.toml"
printf 'busy_timeout_ms = "soon"\n' > "$work/badvalue.toml"
conf_fault "invalid value" "$work/badvalue.toml" "busy_timeout_ms"
printf 'rules = ["%s"]\n' "$work/missing-rules.toml" > "$work/norules.toml"
conf_fault "missing rules file" "$work/norules.toml" "missing-rules.toml"
printf '[rules]\nInvalidRecipient = ["(unclosed group"]\n' > "$work/badregex.toml"
printf 'rules = ["%s", "shipped"]\n' "$work/badregex.toml" > "$work/badrules.toml"
conf_fault "bad regex in a rules file" "$work/badrules.toml" "badregex.toml"
check "configuration faults: nothing written" [ "$(events "$db")" = "$n0" ]

# --- Relay command hanging -------------------------------------------------
# (Failing relays and the unit-level timeout are in test-relay.c.)
printf '["bounce.example.com"]\nlog_oob = "LogThenRelay"\noob_relay_recipients = ["archive@example.com"]\n' > "$work/listener.toml"
printf '#!/bin/sh\nsleep 60\n' > "$work/hang"; chmod 755 "$work/hang"
sed 's/alice/hang/g' "$fx" > "$work/msg"; pipe "$db" -r bounces@bounce.example.com --listener-domains "$work/listener.toml" \
  --sendmail "$work/hang" --relay-timeout 1 < "$work/msg"
check "hanging relay: killed after the timeout, exit 75" [ "$rc" -eq 75 -a ! -s "$work/out" -a ! -s "$work/err" ]
check "hanging relay: the record is kept (the retry is a duplicate)" \
  [ "$(q "select count(*) from events where recipient = 'hang@example.org'")" = 1 ]

# --- kill -9 at random moments, then the MTA's retry -----------------------
kdb="$work/kill.db"
"$OOBPROC" --db "$kdb" < /dev/null
workers=4 per=${OOB_KILL_MESSAGES:-40}
rand_ms () { od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ printf "%.3f", ($1 % m) / 1000 }'; }
killer () { # N: deliver $per messages of 2 recipients, kill -9 each at a random moment
  n=$1 i=0
  while [ $i -lt "$per" ]; do
    sed "s/ivan/k$n-$i-a/g; s/judy/k$n-$i-b/g; s/heidi/k$n-$i-c/g" "$top_srcdir/fixtures/dsn/multi-recipient.eml" > "$work/m.$n.$i"
    "$OOBPROC" --db "$kdb" < "$work/m.$n.$i" >/dev/null 2>&1 &
    pid=$!
    sleep "$(rand_ms 60)"
    kill -9 $pid 2>/dev/null
    if wait $pid; then rm "$work/m.$n.$i"; fi
    i=$((i + 1))
  done
}
p=0
while [ $p -lt $workers ]; do killer $p 2>/dev/null & p=$((p + 1)); done
wait
unfinished=$(ls "$work"/m.* 2>/dev/null | wc -l)
retry_fail=0
for m in "$work"/m.*; do
  [ -e "$m" ] || continue
  "$OOBPROC" --db "$kdb" < "$m" >/dev/null 2>&1 || retry_fail=$((retry_fail + 1))
done
total=$((workers * per))
echo "# kill -9: $total messages, $unfinished killed before exit 0 and retried"
check "kill -9: every retry succeeds" [ "$retry_fail" = 0 ]
check "kill -9: integrity_check ok" [ "$(sqlite3 "$kdb" "pragma integrity_check")" = ok ]
sqlite3 "$kdb" "select kind, count(*) from messages group by kind" | sed "s/^/# /"
check "kill -9: exactly one message row per message" [ "$(sqlite3 "$kdb" "select count(*) from messages where kind = 'dsn'")" = "$total" ]
rcpts=$(grep -c '^Final-Recipient' "$top_srcdir/fixtures/dsn/multi-recipient.eml")
check "kill -9: exactly one event per message and recipient" \
  [ "$(sqlite3 "$kdb" "select count(*) || ' ' || count(distinct message || recipient) from events")" = "$((total * rcpts)) $((total * rcpts))" ]
done_testing
