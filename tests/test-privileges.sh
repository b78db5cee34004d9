#!/bin/sh
# test-privileges.sh - least privilege: oobproc runs as nobody with only the
# database directory writable and creates its files 0640; it does not
# follow a symlink planted where its rules cache goes; and no message
# content reaches a command line (the relay's argv is the configured
# command, "--" and the configured recipients, whatever the message says).
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
fx="$top_srcdir/fixtures/dsn/postfix-550-user-unknown.eml"

# --- As nobody, only the database directory writable -----------------------
if nobody_setup "$work/bin"; then
  mkdir "$work/dbdir" && chown nobody "$work/dbdir" && chmod 700 "$work/dbdir"
  sed 's/alice/nobody/g' "$fx" | (umask 022; nobody_oobproc --db "$work/dbdir/oob.db" >"$work/out" 2>&1)
  check "as nobody: exit 0, nothing printed" [ $? -eq 0 -a ! -s "$work/out" ]
  check "as nobody: recorded" [ "$(sqlite3 "$work/dbdir/oob.db" "select count(*) from events where recipient = 'nobody@example.org'")" = 1 ]
  check "as nobody: database owned by nobody" [ "$(stat -c %U "$work/dbdir/oob.db")" = nobody ]
  check "as nobody: database files 0640 despite umask 022" \
    sh -c 'for f in "$1"/*; do [ "$(stat -c %a "$f")" = 640 ] || exit 1; done' sh "$work/dbdir"
  check "as nobody: nothing written outside the database directory" \
    [ "$(find "$work" -user nobody | grep -v "^$work/dbdir" | wc -l)" = 0 ]
else
  skip "as nobody: needs root, setpriv and a nobody user who can run a copy of oobproc"
fi

# --- The rules cache does not follow a planted symlink ---------------------
db="$work/cache.db"
echo "precious" > "$work/victim"
ln -s "$work/victim" "$db.rules-cache"
"$OOBPROC" --db "$db" < "$fx" >"$work/out" 2>&1
check "planted rules-cache symlink: exit 0" [ $? -eq 0 ]
check "planted rules-cache symlink: the target is untouched" [ "$(cat "$work/victim")" = precious ]
check "planted rules-cache symlink: not written through" [ ! -L "$db.rules-cache" -o "$(readlink "$db.rules-cache")" = "$work/victim" ]
ln -s "$work/victim" "$work/link.db"
"$OOBPROC" --db "$work/link.db" < "$fx" >"$work/out" 2>&1
check "planted database symlink: exit 75, target untouched" [ $? -eq 75 -a "$(cat "$work/victim")" = precious ]

# --- No message content on a command line ----------------------------------
cat > "$work/sendmail" <<'SH'
#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done > "$(dirname "$0")/argv"
cat > /dev/null
SH
chmod 755 "$work/sendmail"
printf '["bounce.example.com"]\nlog_oob = "LogThenRelay"\noob_relay_recipients = ["archive@example.com"]\n' > "$work/listener.toml"
# Shell metacharacters in the recipient, subject, sender and diagnostic.
evil='x;touch${IFS}PWNED`id`$(id)|>'
sed "s/bounces+alice=example.org@/bounces@/g; s/alice@example.org/\"$evil\"@example.org/g; s/^Subject: .*/Subject: \$(touch PWNED); \`id\` | rm -rf \/ \&/; s/Recipient address/'\"; touch PWNED #/" "$fx" > "$work/evil.eml"
(cd "$work" && SENDER='$(touch PWNED)' RECIPIENT=bounces@bounce.example.com "$OOBPROC" --db "$work/relay.db" \
  -f '$(touch PWNED)' -r bounces@bounce.example.com --listener-domains "$work/listener.toml" \
  --sendmail "$work/sendmail" < "$work/evil.eml" >"$work/out" 2>&1)
check "relay: exit 0" [ $? -eq 0 ]
check "relay: argv is the configured command, -- and the configured recipient only" \
  [ "$(tr '\n' ' ' < "$work/argv")" = "-G -i -f <> -- archive@example.com " ]
check "relay: nothing from the message ran" [ ! -e "$work/PWNED" -a ! -e PWNED ]
check "relay: the hostile recipient was recorded as data" \
  [ "$(sqlite3 "$work/relay.db" "select count(*) from events where recipient like '%touch%'")" = 1 ]
done_testing
