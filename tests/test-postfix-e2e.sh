#!/bin/sh
# test-postfix-e2e.sh - LogThenDrop and LogThenRelay under a real Postfix.
#
# As root on Debian: installs Postfix if it is missing, configures it for
# loopback only with two bounce domains (bounce.example.test through an
# alias pipe run by local(8), pipe.example.test through a pipe(8)
# transport), injects DSN and ARF fixtures with Postfix's own sendmail, and
# checks the database, the mailboxes the relayed copies land in, the user
# oobproc ran as, and Postfix's log.  Stops the Postfix it started and puts
# its configuration back.  Anywhere else it reports itself skipped.
. "$top_srcdir/tests/tap.sh"

[ -z "${OOB_SKIP_POSTFIX_E2E:-}" ] || skip_all "OOB_SKIP_POSTFIX_E2E is set (the release check runs it once already)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to install and run Postfix"
[ -r /etc/debian_version ] && command -v apt-get >/dev/null || skip_all "needs Debian (apt-get, debconf)"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
[ -x "$OOBPROC" ] || skip_all "oobproc not built"
fx="$top_srcdir/fixtures"
PATH=$PATH:/usr/sbin:/sbin
timeout=60
# One machine, one Postfix: a second run of this test (two build trees'
# make check at once) waits for the first to put Postfix back.
mkdir -p /run/lock && exec 9>/run/lock/oobproc-postfix-e2e.lock || skip_all "cannot open /run/lock/oobproc-postfix-e2e.lock"
flock -w 900 9 || skip_all "another run held the Postfix end-to-end lock for 15 minutes"

if [ ! -x /usr/sbin/postfix ]; then
  # Never replace another MTA to make room for Postfix.
  [ -e /usr/sbin/sendmail ] && skip_all "another MTA provides /usr/sbin/sendmail; not replacing it with Postfix"
  printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
    "postfix postfix/mailname string oobproc-e2e.example.test" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix >/dev/null 2>&1; } ||
    skip_all "cannot install postfix with apt-get"
  # The package may have started it; this test wants it stopped to begin with.
  postfix stop >/dev/null 2>&1
fi
[ -x /usr/sbin/postfix ] || skip_all "postfix not installed"
postfix status >/dev/null 2>&1 && skip_all "a Postfix is already running here; not reconfiguring it"
spool=$(postconf -h queue_directory)
queue_empty () {
  [ -z "$(find "$spool/maildrop" "$spool/incoming" "$spool/active" "$spool/deferred" "$spool/hold" -type f 2>/dev/null | head -n 1)" ]
}
queue_empty || skip_all "Postfix's queue is not empty; not touching it"

work=$(mktemp -d /tmp/oobproc-e2e.XXXXXX)
chmod 755 "$work"
conf=$(postconf -h config_directory)
maillog=/var/log/oobproc-e2e-postfix.log
started=no
cleanup () {
  if [ "$started" = yes ]; then
    postsuper -d ALL >/dev/null 2>&1
    postfix stop >/dev/null 2>&1
  fi
  [ -f "$work/main.cf" ] && cp -p "$work/main.cf" "$conf/main.cf"
  [ -f "$work/master.cf" ] && cp -p "$work/master.cf" "$conf/master.cf"
  rm -f "$maillog"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cp -p "$conf/main.cf" "$conf/master.cf" "$work/"

# The program, its database directory and the archive mailboxes belong to
# nobody: local(8) runs alias commands and deliveries as default_privs
# because the alias file is root's; the pipe(8) transport names the user.
# The build tree may sit under a directory nobody cannot enter, so the
# binary and the shipped rules are copied, and a configuration names them.
mkdir -p "$work/bin" "$work/db" "$work/archive" "$work/complaints" "$work/rules"
cp "$OOBPROC" "$work/bin/oobproc"
cp "$OOBPROC_RULES_DIR"/*.toml "$work/rules/"
printf 'rules = [%s]\n' "$(for r in "$work"/rules/*.toml; do printf '"%s", ' "$r"; done)" > "$work/oobproc.toml"
chmod -R a+rX "$work/bin" "$work/rules" "$work/oobproc.toml"
chown nobody "$work/db" "$work/archive" "$work/complaints"
db="$work/db/oobproc.db"
listener="$work/listener_domains.toml"
cat >"$listener" <<'EOF'
# KumoMTA listener-domain file, as KumoMTA reads it, plus oobproc's relay keys.
["bounce.example.test"]
log_oob = "LogThenDrop"
log_arf = "LogThenRelay"
arf_relay_recipients = ["complaints@archive.example.test"]

["pipe.example.test"]
log_oob = true
oob_relay_recipients = ["archive@archive.example.test"]
log_arf = "LogThenDrop"
relay_to = false

["*"]
log_oob = "Ignore"
log_arf = "Ignore"
relay_to = true
oob_relay_recipients = ["archive@archive.example.test"]
arf_relay_recipients = ["complaints@archive.example.test"]
EOF
chmod 644 "$listener"

# docs/mta.md shows these lines.
cat >"$work/aliases" <<EOF
bounces: "|$work/bin/oobproc -c $work/oobproc.toml --db $db --listener-domains $listener"
archive: $work/archive/Maildir/
complaints: $work/complaints/Maildir/
EOF
echo "pipe.example.test oobproc:" >"$work/transport"
postalias "$work/aliases" && postmap "$work/transport" || skip_all "postalias/postmap failed"

postconf -e \
  "inet_interfaces = loopback-only" \
  "inet_protocols = ipv4" \
  "myhostname = oobproc-e2e.example.test" \
  "mydestination = localhost, bounce.example.test, other.example.test, archive.example.test" \
  "alias_maps = hash:$work/aliases" \
  "alias_database = hash:$work/aliases" \
  "transport_maps = hash:$work/transport" \
  "recipient_delimiter = +" \
  "oobproc_destination_recipient_limit = 1" \
  "maillog_file = $maillog" \
  "relayhost =" || skip_all "postconf -e failed"
postconf -M "oobproc/unix=oobproc unix - n n - - pipe flags=DOR user=nobody null_sender= argv=$work/bin/oobproc -c $work/oobproc.toml --db $db --listener-domains $listener -f \${sender} -r \${recipient}" ||
  skip_all "postconf -M failed"
postconf -M postlog/unix-dgram >/dev/null 2>&1 ||
  postconf -M "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd"
postfix check >/dev/null 2>&1 || skip_all "postfix check rejects the test configuration"
postfix start >/dev/null 2>&1 || skip_all "cannot start postfix"
started=yes
ok "postfix started on loopback only"

# bounce.example.test (alias pipe): DSNs dropped, ARF relayed to complaints@.
# pipe.example.test (pipe transport): DSNs relayed to archive@, ARF dropped.
# other.example.test (alias pipe, the "*" entry): Ignore, relayed unrecorded.
drop_bounce="dsn/postfix-550-user-unknown.eml dsn/exim-dsn.eml"
relay_bounce="arf/abuse-rfc5965.eml arf/jmrp-microsoft.eml"
relay_pipe="dsn/gmail-dsn.eml dsn/global-dsn-utf8.eml"
drop_pipe="arf/opt-out.eml"
ignore_other="dsn/kumomta-dsn.eml"
inject () { # DOMAIN FIXTURE...
  domain=$1; shift
  for f in "$@"; do
    sendmail -G -i -f '' -- "bounces+$(basename "$f" .eml)=example.org@$domain" <"$fx/$f" || return 1
  done
}
# Feedback reports follow log_arf only in a build that recognises them.
if "$OOBPROC" scan "$fx/arf/abuse-rfc5965.eml" | grep -q '"kind":"feedback"'; then
  arf=yes messages=7 relayed=5
else
  arf=no messages=4 relayed=3 relay_bounce= drop_pipe=
fi
inject bounce.example.test $drop_bounce $relay_bounce && inject pipe.example.test $relay_pipe $drop_pipe &&
  inject other.example.test $ignore_other
check "fixtures injected with Postfix's sendmail" [ $? -eq 0 ]

# Read the database as nobody, and only once oobproc has created it: a
# root-owned file or -shm made by the query would lock oobproc out.
q () { [ -f "$db" ] && runuser -u nobody -- sqlite3 "$db" "$1" 2>/dev/null; }
count_files () { find "$work/archive" "$work/complaints" -type f -path '*/new/*' 2>/dev/null | wc -l; }
wait_for () { # SECONDS COMMAND...: poll until the command succeeds
  limit=$1; shift
  i=0
  while [ "$i" -lt "$limit" ]; do
    "$@" && return 0
    sleep 1; i=$((i + 1))
  done
  return 1
}
delivered () { [ "$(q 'select count(*) from messages')" = $messages ] && [ "$(count_files)" -ge $relayed ] && queue_empty; }
check "all $messages delivered within ${timeout}s (database, mailboxes, empty queue)" wait_for $timeout delivered
sleep 1

check "$messages messages in the database" [ "$(q 'select count(*) from messages')" = $messages ]
check "$relayed relayed copies in the mailboxes" [ "$(count_files)" = $relayed ]
check "DSN events through the alias pipe" \
  [ "$(q "select count(*) from events e join messages m on m.id = e.message where m.envelope_recipient like '%@bounce.example.test' and m.kind = 'dsn'")" -ge 2 ]
arf_check () { if [ $arf = yes ]; then check "$@"; else skip "$1: this build does not parse ARF"; fi; }
arf_check "ARF events through the alias pipe" \
  [ "$(q "select count(*) from events e join messages m on m.id = e.message where m.envelope_recipient like '%@bounce.example.test' and e.kind = 'feedback'")" = 2 ]
check "DSN events through the pipe transport" \
  [ "$(q "select count(*) from events e join messages m on m.id = e.message where m.envelope_recipient like '%@pipe.example.test' and m.kind = 'dsn'")" -ge 2 ]
arf_check "ARF event through the pipe transport" \
  [ "$(q "select count(*) from events e join messages m on m.id = e.message where m.envelope_recipient like '%@pipe.example.test' and e.kind = 'feedback'")" = 1 ]
check "envelope: null sender and the VERP recipient, through both routes" \
  [ "$(q "select count(*) from messages where coalesce(envelope_sender, '') = '' and envelope_recipient like 'bounces+%=example.org@%.example.test'")" = $messages ]
check "suppressions recorded" [ "$(q 'select count(*) from suppressions')" -ge 2 ]

check "database created by nobody (the user Postfix ran oobproc as)" [ "$(stat -c %U "$db")" = nobody ]

message_id () { sed -n 's/^[Mm]essage-[Ii][Dd]:[[:space:]]*//p' "$1" | head -n 1; }
mailbox_copy () { # MAILDIR FIXTURE: the delivered file carrying the fixture's Message-ID
  grep -l -F -- "$(message_id "$fx/$2")" "$1"/Maildir/new/* 2>/dev/null | head -n 1
}
# The header fields MTAs and oobproc add on the way; all else must match.
strip_trace () {
  awk 'BEGIN { header = 1; skip = 0 }
    header && /^\r?$/ { header = 0 }
    header && /^[ \t]/ { if (!skip) print; next }
    header { name = tolower($0); sub(/:.*/, "", name)
             skip = name == "received" || name == "return-path" || name == "delivered-to" ||
                    name == "x-original-to" || name == "x-oobproc-relayed"
             if (skip) next }
    { print }' "$1"
}
for f in $drop_bounce $drop_pipe; do
  check "LogThenDrop $f: in no mailbox" [ -z "$(mailbox_copy "$work/archive" "$f")$(mailbox_copy "$work/complaints" "$f")" ]
done
compare_relayed () { # MAILDIR FIXTURE
  copy=$(mailbox_copy "$1" "$2")
  [ -n "$copy" ] || return 1
  strip_trace "$fx/$2" >"$work/expected"
  strip_trace "$copy" >"$work/got"
  cmp -s "$work/expected" "$work/got" || { diff "$work/expected" "$work/got" | head -n 20 | sed 's/^/# /'; return 1; }
  [ "$(grep -c '^X-Oobproc-Relayed: ' "$copy")" = 1 ]
}
for f in $relay_bounce; do
  check "LogThenRelay $f: in complaints' mailbox, identical but for trace headers" compare_relayed "$work/complaints" "$f"
done
for f in $relay_pipe; do
  check "LogThenRelay $f: in archive's mailbox, identical but for trace headers" compare_relayed "$work/archive" "$f"
done
[ $arf = yes ] || skip "LogThenRelay of ARF through the alias pipe: this build does not parse ARF"
check "Ignore ($ignore_other): not recorded" [ "$(q "select count(*) from messages where envelope_recipient like '%@other.example.test'")" = 0 ]
check "Ignore with relay_to ($ignore_other): in archive's mailbox, identical but for trace headers" \
  compare_relayed "$work/archive" "$ignore_other"
check "relayed copies were submitted by uid 65534 (nobody)" \
  [ "$(find "$work/archive" "$work/complaints" -type f -path '*/new/*' -exec grep -l 'from userid 65534' {} + | wc -l)" = $relayed ]

check "Postfix log shows the alias pipe deliveries" grep -q 'status=sent (delivered to command: ' "$maillog"
check "Postfix log shows the pipe transport deliveries" grep -q 'relay=oobproc, .*status=sent' "$maillog"
check "no bounce of a bounce (no status=bounced)" sh -c "! grep -q 'status=bounced' '$maillog'"
check "no deferral (oobproc never exited 75)" sh -c "! grep -q 'status=deferred' '$maillog'"
check "Postfix sent no notification back to the null sender" sh -c "! grep -q 'sender non-delivery notification' '$maillog'"
if [ "$tap_failed" -ne 0 ]; then
  sed 's/^/# postfix: /' "$maillog" | tail -n 40
fi

postsuper -d ALL >/dev/null 2>&1
postfix stop >/dev/null 2>&1
wait_for 20 sh -c '! postfix status >/dev/null 2>&1'
check "the Postfix this test started is stopped" [ $? -eq 0 ]
started=no
done_testing
