#!/bin/sh
# test-query.sh - the database commands end to end: check, suppressions,
# suppress, unsuppress, events (with the kumo and acct exports), stats and
# import, on a database built by piping fixtures, plus a few rows written
# directly for what the parsers do not produce yet (classes, campaigns,
# feedback).  Output is parsed back with python3's json and csv modules
# and checked field by field.
. "$top_srcdir/tests/tap.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
OOB=$OOBPROC
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
db="$work/oob.db"
fx="$top_srcdir/fixtures"
oob () { "$OOB" "$@" >"$work/out" 2>"$work/err"; }
out () { cat "$work/out"; }
sql () { python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in row))' "$db" "$1"; }
# py EXPR: python3 over the last output; `rows` is the parsed JSON lines,
# `csvrows` the parsed CSV (list of dicts); exits 0 when EXPR is true.
py () { python3 - "$1" "$work/out" <<'EOF'
import csv, json, sys
text = open(sys.argv[2], encoding="utf-8", newline="").read()
rows = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
csvrows = list(csv.DictReader(text.splitlines())) if not text.startswith("{") else []
sys.exit(0 if eval(sys.argv[1]) else 1)
EOF
}

deliver () { # FIXTURE: as Postfix local(8) would
  SENDER='' RECIPIENT=bounces@bounce.example.com "$OOBPROC" --db "$db" <"$1"
}
for f in postfix-550-user-unknown multi-recipient exim-dsn quota-552; do
  deliver "$fx/dsn/$f.eml" || not_ok "piping $f.eml"
done

# What the parsers do not fill in yet, written as the store would.
now=$(date +%s)
python3 - "$db" "$now" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); now = int(sys.argv[2])
m = db.execute("INSERT INTO messages (sha256, received_at, kind, size, envelope_recipient) VALUES "
               "('aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233', 1793527200, 'feedback', 100,"
               " 'fbl@bounce.example.com')").lastrowid
db.execute("INSERT INTO events (message, created_at, kind, recipient, recipient_domain, reporting_mta, action,"
           " feedback_type, campaign, tenant, orig_message_id) VALUES (?, 1793527200, 'feedback', 'zed@example.com',"
           " 'example.com', 'fbl.example.net', 'complaint', 'abuse', 'spring-sale', 'acme', 'm1@mailer.example.com')", (m,))
m = db.execute("INSERT INTO messages (sha256, received_at, kind, size, envelope_recipient) VALUES "
               "('bb11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233', 1793527201, 'dsn', 200,"
               " 'bounces+omar=example.com@bounce.example.com')").lastrowid
db.execute("INSERT INTO events (message, created_at, kind, recipient, recipient_domain, dsn_action, status,"
           " smtp_code, diagnostic, remote_mta, classification, action, campaign, tenant) VALUES (?, 1793527201,"
           " 'bounce', 'omar@example.com', 'example.com', 'failed', '5.1.1', 550, '550 5.1.1 no such user, sorry',"
           " '[192.0.2.7]', 'InvalidRecipient', 'suppress', 'spring-sale', 'acme')", (m,))
db.execute("INSERT INTO suppressions (address, reason, classification, status, first_seen, last_seen, count)"
           " VALUES ('omar@example.com', 'bounce', 'InvalidRecipient', '5.1.1', 1793527201, 1793527201, 2)")
db.execute("INSERT INTO suppressions (address, reason, first_seen, last_seen, expires_at)"
           " VALUES ('old@example.com', 'soft', 1, 1, ?)", (now - 10,))
db.execute("INSERT INTO suppressions (address, reason, first_seen, last_seen, expires_at)"
           " VALUES ('soon@example.com', 'soft', 1, 1, 4102444800)")
db.commit()
EOF
check "database built: 8 events" [ "$(sql "select count(*) from events")" = 8 ]

# --help everywhere
for c in check suppressions suppress unsuppress events stats import; do
  oob $c --help
  check "$c --help: exit 0, lists --db" sh -c "[ \$? -eq 0 ] || exit 1; grep -q -- '--db' '$work/out'"
done

# check
sum_before=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$db")
oob check --db "$db" alice@example.org; rc=$?
check "check suppressed address: exit 1" [ $rc -eq 1 ]
check "check prints address, reason, class, since, count, expiry" \
  [ "$(out)" = "alice@example.org reason=bounce class=$(sql "select coalesce(classification, '-') || ' since=' || strftime('%Y-%m-%dT%H:%M:%SZ', first_seen, 'unixepoch') from suppressions where address = 'alice@example.org'") count=1 expires=never" ]
oob check --db "$db" '<ALICE@Example.ORG>'
if [ $? -eq 1 ] && out | grep -q '^alice@example.org '; then ok "check is case-insensitive and takes <address>"; else not_ok "check is case-insensitive and takes <address>"; fi
oob check --db "$db" nobody@example.com
if [ $? -eq 0 ] && [ ! -s "$work/out" ]; then ok "check unknown address: exit 0, silent"; else not_ok "check unknown address: exit 0, silent"; fi
oob check --db "$db" nobody@example.com omar@example.com nobody2@example.com
if [ $? -eq 1 ] && 
  [ "$(out)" = "omar@example.com reason=bounce class=InvalidRecipient since=2026-11-01T10:00:01Z count=2 expires=never" ]; then ok "check several: exit 1, only the suppressed printed"; else not_ok "check several: exit 1, only the suppressed printed"; fi
oob check --db "$db" old@example.com
if [ $? -eq 0 ] && [ ! -s "$work/out" ]; then ok "check: an expired suppression does not count"; else not_ok "check: an expired suppression does not count"; fi
oob check --db "$db" soon@example.com
if [ $? -eq 1 ] && out | grep -q 'expires=2100-01-01T00:00:00Z$'; then ok "check: a suppression expiring later counts, with its expiry"; else not_ok "check: a suppression expiring later counts, with its expiry"; fi
printf 'nobody@example.com\n\nheidi@example.org\n' | "$OOB" check --db "$db" - >"$work/out"
if [ $? -eq 1 ] && [ "$(out | cut -d' ' -f1)" = "heidi@example.org" ]; then ok "check - reads addresses from stdin"; else not_ok "check - reads addresses from stdin"; fi
oob check --db "$db" -q alice@example.org
if [ $? -eq 1 ] && [ ! -s "$work/out" ]; then ok "check -q: exit 1, silent"; else not_ok "check -q: exit 1, silent"; fi
oob check --db "$db" not-an-address
if [ $? -eq 2 ] && grep -q 'not an email address' "$work/err"; then ok "check a non-address: exit 2 with a message"; else not_ok "check a non-address: exit 2 with a message"; fi
oob check --db "$work/missing.db" alice@example.org
if [ $? -eq 2 ] && [ ! -e "$work/missing.db" ]; then ok "check a missing database: exit 2, file not created"; else not_ok "check a missing database: exit 2, file not created"; fi
: >"$work/empty.db"
oob check --db "$work/empty.db" alice@example.org
if [ $? -eq 2 ] && grep -q 'not an oobproc database' "$work/err"; then ok "check a database without schema: exit 2"; else not_ok "check a database without schema: exit 2"; fi
sum_after=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$db")
check "check leaves the database file unchanged" [ "$sum_before" = "$sum_after" ]

# suppressions
oob suppressions --db "$db"
if [ $? -eq 0 ] && out | head -1 | grep -q '^address  *reason  *class' && 
  out | grep -q '^omar@example.com ' && ! out | grep -q '^old@example.com'; then ok "suppressions table: header and active rows"; else not_ok "suppressions table: header and active rows"; fi
active=$(sql "select address from suppressions where expires_at is null or expires_at > $now order by address" | tr '\n' ' ')
oob suppressions --db "$db" --format jsonl
check "suppressions jsonl: every active suppression once" \
  py "' '.join(sorted(r['address'] for r in rows)) + ' ' == '$active' and 'alice@example.org' in '$active' and 'old@' not in '$active'"
check "suppressions jsonl: omar's fields" \
  py '[r for r in rows if r["address"] == "omar@example.com"] == [{"address": "omar@example.com", "reason": "bounce", "class": "InvalidRecipient", "status": "5.1.1", "since": "2026-11-01T10:00:01Z", "last_seen": "2026-11-01T10:00:01Z", "count": 2, "expires": None, "note": None, "diagnostic": None}]'
oob suppressions --db "$db" --all --format csv
check "suppressions --all csv: expired included, fields parsed back" \
  py "any(r['address'] == 'old@example.com' and r['reason'] == 'soft' and r['expires'] != '' for r in csvrows) and len(csvrows) == $(sql "select count(*) from suppressions")"
check "suppressions csv: alice's status and count" \
  py '[(r["status"], r["count"], r["reason"]) for r in csvrows if r["address"] == "alice@example.org"] == [("5.1.1", "1", "bounce")]'
oob suppressions --db "$db" --domain EXAMPLE.ORG --format jsonl
check "suppressions --domain (any case)" py "' '.join(sorted(r['address'] for r in rows)) + ' ' == '$(sql "select address from suppressions where address like '%@example.org' order by address" | tr '\n' ' ')' and 'alice@example.org' in [r['address'] for r in rows]"
oob suppressions --db "$db" --class InvalidRecipient --format jsonl
check "suppressions --class" py "' '.join(r['address'] for r in rows) + ' ' == '$(sql "select address from suppressions where classification = 'InvalidRecipient' order by address" | tr '\n' ' ')' and 'omar@example.com' in [r['address'] for r in rows] and all(r['class'] == 'InvalidRecipient' for r in rows)"
oob suppressions --db "$db" --since 2100-01-01 --format jsonl
if [ $? -eq 0 ] && [ ! -s "$work/out" ]; then ok "suppressions --since in the future: none"; else not_ok "suppressions --since in the future: none"; fi
oob suppressions --db "$db" --since 2026-11-01 --reason bounce --format jsonl
check "suppressions --since DATE --reason" py "len(rows) == $(sql "select count(*) from suppressions where reason = 'bounce' and last_seen >= 1793491200") and len(rows) >= 2 and all(r['reason'] == 'bounce' for r in rows)"
oob suppressions --db "$db" --format xml
check "suppressions unknown format: exit 2" [ $? -eq 2 ]
oob suppressions --db "$db" --since yesterday-ish
if [ $? -eq 2 ] && grep -q 'cannot read the time' "$work/err"; then ok "suppressions unreadable date: exit 2"; else not_ok "suppressions unreadable date: exit 2"; fi

# suppress / unsuppress, with history
oob suppress --db "$db" pat@example.com
check "suppress without --reason: exit 2" [ $? -eq 2 ]
oob suppress --db "$db" Pat@Example.COM --reason "asked by phone"
check "suppress: exit 0" [ $? -eq 0 ]
oob check --db "$db" pat@example.com
if [ $? -eq 1 ] && out | grep -q '^pat@example.com reason=manual .* expires=never$'; then ok "suppressed by hand: check says manual"; else not_ok "suppressed by hand: check says manual"; fi
oob suppressions --db "$db" --reason manual --format jsonl
check "manual suppression keeps the reason text" py '[(r["address"], r["note"]) for r in rows] == [("pat@example.com", "asked by phone")]'
oob unsuppress --db "$db" pat@example.com --reason "wrong person"
check "unsuppress: exit 0" [ $? -eq 0 ]
oob check --db "$db" pat@example.com
check "unsuppressed: check exit 0" [ $? -eq 0 ]
check "history: suppress then unsuppress, with notes" \
  [ "$(sql "select change || ':' || note || ':' || reason from suppression_history where address = 'pat@example.com' order by id")" = "suppress:asked by phone:manual
unsuppress:wrong person:manual" ]
oob unsuppress --db "$db" pat@example.com
if [ $? -eq 1 ] && 
  [ "$(sql "select count(*) from suppression_history where address = 'pat@example.com'")" = 2 ]; then ok "unsuppress an address not suppressed: exit 1, no history row"; else not_ok "unsuppress an address not suppressed: exit 1, no history row"; fi
oob unsuppress --db "$db" ALICE@example.org
if [ $? -eq 0 ] && 
  [ "$(sql "select reason || ' ' || status || ' ' || count from suppression_history where address = 'alice@example.org'")" = "bounce 5.1.1 1" ]; then ok "unsuppress a bounce: history keeps its status and count"; else not_ok "unsuppress a bounce: history keeps its status and count"; fi
oob check --db "$db" alice@example.org
check "unsuppressed bounce: check exit 0" [ $? -eq 0 ]

# events
oob events --db "$db" --format jsonl
check "events jsonl: every event, oldest first" \
  py 'len(rows) == 8 and [r["time"] for r in rows] == sorted(r["time"] for r in rows)'
check "events jsonl: alice's bounce" \
  py '[(r["kind"], r["status"], r["code"], r["action"], r["bounce_address"]) for r in rows if r["recipient"] == "alice@example.org"] == [("bounce", "5.1.1", 550, "suppress", "bounces@bounce.example.com")]'
oob events --db "$db" --kind feedback --format jsonl
check "events --kind feedback" py '[(r["recipient"], r["feedback_type"], r["campaign"], r["tenant"]) for r in rows] == [("zed@example.com", "abuse", "spring-sale", "acme")]'
oob events --db "$db" --domain Example.NET --format csv
check "events --domain csv" py 'sorted(r["recipient"] for r in csvrows) == ["carol@example.net", "ivan@example.net"]'
oob events --db "$db" --campaign spring-sale --since 2026-11-01 --until 2026-11-02 --format jsonl
check "events --campaign --since --until" py 'sorted(r["recipient"] for r in rows) == ["omar@example.com", "zed@example.com"]'
oob events --db "$db" --recipient '<Omar@Example.com>' --format jsonl
check "events --recipient (canonicalised)" py 'len(rows) == 1 and rows[0]["class"] == "InvalidRecipient"'
oob events --db "$db" --limit 2 --format jsonl
all_times=$(sql "select strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') from events order by created_at desc, id desc limit 2" | sort | tr '\n' ' ')
check "events --limit 2: the two most recent, oldest first" \
  py "' '.join(r['time'] for r in rows) + ' ' == '$all_times' and rows[0]['time'] <= rows[1]['time']"
oob events --db "$db"
if [ "$(out | wc -l)" -eq 9 ] && out | head -1 | grep -q '^time  *kind  *recipient'; then ok "events table: a header and one line per event"; else not_ok "events table: a header and one line per event"; fi

# kumo export
oob events --db "$db" --format kumo
check "kumo: one JSON record per event" py 'len(rows) == 8 and all(set(["type", "id", "sender", "recipient", "peer_address", "response", "timestamp", "bounce_classification", "feedback_report"]) <= set(r) for r in rows)'
check "kumo: feedback record" py '[(r["type"], r["id"], r["sender"], r["timestamp"], r["feedback_report"]["feedback_type"], r["feedback_report"]["original_rcpt_to"], r["meta"]["campaign"], r["meta"]["tenant"]) for r in rows if r["recipient"] == "zed@example.com"] == [("Feedback", "aa11bb22cc33dd44ee55ff6600112233", "fbl@bounce.example.com", 1793527200, "abuse", ["zed@example.com"], "spring-sale", "acme")]'
check "kumo: bounce record response" py '[r["response"] for r in rows if r["recipient"] == "omar@example.com"] == [{"code": 550, "enhanced_code": {"class": 5, "subject": 1, "detail": 1}, "content": "no such user, sorry", "command": None}]'
check "kumo: bounce record peer, class, type" py '[(r["type"], r["peer_address"], r["bounce_classification"], r["feedback_report"], r["sender"]) for r in rows if r["recipient"] == "omar@example.com"] == [("OOB", {"name": "[192.0.2.7]", "addr": "192.0.2.7"}, "InvalidRecipient", None, "bounces+omar=example.com@bounce.example.com")]'
check "kumo: an unclassified event (judy, delivered)" py '[(r["type"], r["bounce_classification"], r["response"]["code"], r["response"]["enhanced_code"]) for r in rows if r["recipient"] == "judy@example.test"] == [("OOB", "Uncategorized", 250, {"class": 2, "subject": 0, "detail": 0})]'

# acct export
oob events --db "$db" --format acct
if [ "$(out | head -1)" = "$(printf 'type,timeLogged,orig,rcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,campaign,tenant\r')" ]; then ok "acct: header row"; else not_ok "acct: header row"; fi
check "acct: bounces and feedback only" py 'sorted((r["type"], r["rcpt"]) for r in csvrows) == [("b", "alice@example.org"), ("b", "carol@example.net"), ("b", "heidi@example.org"), ("b", "mia@example.org"), ("b", "omar@example.com"), ("f", "zed@example.com")]'
check "acct: omar's bounce field by field" py '[r for r in csvrows if r["rcpt"] == "omar@example.com"] == [{"type": "b", "timeLogged": "2026-11-01 10:00:01+0000", "orig": "bounces+omar=example.com@bounce.example.com", "rcpt": "omar@example.com", "dsnAction": "failed", "dsnStatus": "5.1.1", "dsnDiag": "550 5.1.1 no such user, sorry", "dsnMta": "[192.0.2.7]", "bounceCat": "bad-mailbox", "campaign": "spring-sale", "tenant": "acme"}]'
check "acct: feedback line" py '[(r["type"], r["bounceCat"], r["campaign"], r["tenant"], r["timeLogged"]) for r in csvrows if r["rcpt"] == "zed@example.com"] == [("f", "", "spring-sale", "acme", "2026-11-01 10:00:00+0000")]'
oob events --db "$db" --format acct --campaign nothing-like-this
if [ "$(out | wc -l)" -eq 1 ]; then ok "acct: header even with no rows"; else not_ok "acct: header even with no rows"; fi

# stats
oob stats --db "$db" --format jsonl
check "stats by domain: counts match the events" py '{r["domain"]: r["events"] for r in rows} == {"example.org": 3, "example.net": 2, "example.com": 2, "example.test": 1}'
check "stats: shares in percent, summing to 100" py 'abs(sum(r["share_pct"] for r in rows) - 100) < 0.05 and [r["share_pct"] for r in rows if r["domain"] == "example.test"] == [12.5]'
check "stats: kinds counted" py '[(r["bounces"], r["delays"], r["complaints"]) for r in rows if r["domain"] == "example.com"] == [(1, 0, 1)]'
oob stats --db "$db" --format jsonl --threshold 30
check "stats --threshold 30 marks only shares above it" py '{r["domain"]: r["above"] for r in rows} == {"example.org": True, "example.net": False, "example.com": False, "example.test": False}'
oob stats --db "$db" --threshold 30
if out | grep -q '^example.org .* \*$' && ! out | grep -q '^example.net .*\*'; then ok "stats table: the mark is a *"; else not_ok "stats table: the mark is a *"; fi
oob stats --db "$db" --by campaign --format csv
check "stats --by campaign csv" py "sorted((r['campaign'], r['events']) for r in csvrows) == sorted(tuple(l.split('|')) for l in '$(sql "select coalesce(campaign, '-'), count(*) from events group by 1" | tr '\n' ';')'.split(';') if l) and any(r['campaign'] == 'spring-sale' for r in csvrows)"
oob stats --db "$db" --by class --kind bounce --format jsonl
check "stats --by class --kind bounce" py "{r['class']: str(r['events']) for r in rows} == dict(l.split('|') for l in '$(sql "select coalesce(classification, '-'), count(*) from events where kind = 'bounce' group by 1" | tr '\n' ';')'.split(';') if l) and sum(r['events'] for r in rows) == 5 and [r for r in rows if r['class'] == 'InvalidRecipient']"
oob stats --db "$db" --by day --format jsonl
check "stats --by day" py '[(r["day"], r["events"]) for r in rows if r["day"] == "2026-11-01"] == [("2026-11-01", 2)] and sum(r["events"] for r in rows) == 8'
oob stats --db "$db" --by hour
check "stats --by unknown: exit 2" [ $? -eq 2 ]
# not-spam and auth-failure reports are feedback, not complaints
cp "$db" "$db.notspam"
python3 - "$db.notspam" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for n, kind in enumerate(('not-spam', 'Auth-Failure')):
    m = db.execute("INSERT INTO messages (sha256, received_at, kind, size, envelope_recipient) VALUES"
                   " (?, 1793527300, 'feedback', 100, 'fbl@bounce.example.com')", ('cc%062d' % n,)).lastrowid
    db.execute("INSERT INTO events (message, created_at, kind, recipient, recipient_domain, action, feedback_type)"
               " VALUES (?, 1793527300, 'feedback', 'zoe@example.com', 'example.com', 'ignore', ?)", (m, kind))
db.commit()
EOF
oob stats --db "$db.notspam" --format jsonl
check "stats: not-spam and auth-failure reports are events, not complaints" py '[(r["events"], r["complaints"]) for r in rows if r["domain"] == "example.com"] == [(4, 1)]'

# import: an mbox and a maildir
mkdir -p "$work/md/cur" "$work/md/new" "$work/md/tmp"
for f in postfix-550-user-unknown multi-recipient exim-dsn; do
  printf 'From MAILER-DAEMON Sun Nov  1 12:00:00 2026\nReturn-Path: <>\nDelivered-To: bounces@bounce.example.com\n'
  cat "$fx/dsn/$f.eml"; echo
done >"$work/box.mbox"
cp "$fx/dsn/quota-552.eml" "$work/md/new/1793531574.M1P1.mx"
idb="$work/import.db"
oob import --db "$idb" "$work/box.mbox" "$work/md"
rc=$?; cp "$work/out" "$work/first-import"
if [ $rc -eq 0 ] && out | grep -q '^4 messages read, 4 recorded, 0 already recorded, 6 events, [0-9]* suppressions'; then ok "import: exit 0, summary"; else not_ok "import: exit 0, summary"; fi
check "import: no progress lines for a short run off a terminal" [ ! -s "$work/err" ]
check "import: events dated by the messages' Date header" \
  [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select created_at from events where recipient = ?", ("alice@example.org",)).fetchone()[0])' "$idb")" = 1793524447 ]
check "import: envelope recipient from Delivered-To" \
  [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from messages where envelope_recipient = ?", ("bounces@bounce.example.com",)).fetchone()[0])' "$idb")" = 3 ]
oob import --db "$idb" "$work/box.mbox" "$work/md"
if [ $? -eq 0 ] && out | grep -q '^4 messages read, 0 recorded, 4 already recorded, 0 events'; then ok "import again: nothing recorded twice"; else not_ok "import again: nothing recorded twice"; fi
oob import --db "$work/import2.db" --batch 1 "$work/md" "$work/box.mbox"
if [ "$(out | cut -d' ' -f1-12)" = "$(cut -d' ' -f1-12 "$work/first-import")" ]; then ok "import --batch 1: same result"; else not_ok "import --batch 1: same result"; fi
# --jobs: parsed in parallel, recorded in input order: the same rows.
rows () { python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
for r in db.execute("select m.sha256, m.kind, m.envelope_recipient, e.recipient, e.status, e.classification, e.created_at from events e join messages m on m.id = e.message order by e.id"): print(r)
for r in db.execute("select address, reason, status from suppressions order by address"): print(r)' "$1"; }
for j in 1 3; do
  cp "$work/box.mbox" "$work/jobs.mbox"; for k in 1 2 3; do cat "$work/box.mbox"; done >>"$work/jobs.mbox"
  sed "s/alice/zoe/g" "$work/box.mbox" >>"$work/jobs.mbox"
  oob import --db "$work/jobs$j.db" --jobs $j --batch 2 "$work/jobs.mbox" "$work/md"
  cp "$work/out" "$work/jobs$j.out"
done
if [ "$(cut -d' ' -f1-12 "$work/jobs3.out")" = "$(cut -d' ' -f1-12 "$work/jobs1.out")" ] && grep -q '^16 messages read, 5 recorded, 11 already recorded' "$work/jobs3.out"; then
  ok "import --jobs 3: same summary as one job"; else not_ok "import --jobs 3: same summary as one job"; fi
check "import --jobs 3: the same rows, in the same order" [ "$(rows "$work/jobs3.db")" = "$(rows "$work/jobs1.db")" ]
oob import --db "$work/jobs1.db" --jobs 0 "$work/md"
check "import --jobs 0: exit 2" [ $? -eq 2 ]
oob check --db "$idb" alice@example.org
check "imported suppression: check exit 1" [ $? -eq 1 ]
oob import --db "$idb" "$work/nowhere"
if [ $? -eq 2 ] && grep -q 'nowhere' "$work/err"; then ok "import a missing path: exit 2 with a message"; else not_ok "import a missing path: exit 2 with a message"; fi

# import --event-log: the JSON-lines log, written once records are committed
log="$work/events.jsonl"
oob import --db "$work/log.db" --event-log "$log" "$work/box.mbox" "$work/md"
cp "$log" "$work/out"
check "event log: one JSON line per event recorded" py 'len(rows) == 6 and len(text.splitlines()) == 6'
check "event log: alice's line" py '[(r["kind"], r["status"], r["code"], r["action"], r["time"], r["bounce_address"]) for r in rows if r["recipient"] == "alice@example.org"] == [("bounce", "5.1.1", 550, "suppress", "2026-11-01T09:14:07Z", "bounces@bounce.example.com")]'
oob import --db "$work/log.db" --event-log "$log" "$work/box.mbox" "$work/md"
check "event log: nothing logged for what was already recorded" [ "$(wc -l <"$log")" -eq 6 ]
mv "$log" "$log.1"
oob import --db "$work/log2.db" --event-log "$log" "$work/md"
check "event log: moved away (logrotate), the next run creates it anew" [ "$(wc -l <"$log")" -eq 1 -a "$(wc -l <"$log.1")" -eq 6 ]
rm -f "$log"
for n in 1 2 3 4; do "$OOB" import --db "$work/par$n.db" --batch 1 --event-log "$log" "$work/box.mbox" "$work/md" >/dev/null & done
wait
cp "$log" "$work/out"
check "event log: four concurrent writers, every line whole" py 'len(rows) == 24 and len(text.splitlines()) == 24'

# The manual: each subcommand it documents answers --help, and the long
# options of its section are exactly those --help lists.
man="$top_srcdir/man/oobproc.1"
for c in check suppressions suppress unsuppress events stats import; do
  "$OOB" "$c" --help >"$work/help" 2>&1 || "$OOBPROC" "$c" --help >"$work/help" 2>&1
  rc=$?
  python3 - "$man" "$c" "$work/help" <<'EOF'
import re, sys
man, command, help_text = open(sys.argv[1]).read(), sys.argv[2], open(sys.argv[3]).read()
section = re.search(r'^\.SS "oobproc %s\b.*?(?=^\.SS |^\.SH )' % command, man, re.S | re.M).group(0)
documented = set(m.replace("\\-", "-") for m in re.findall(r'\\-\\-([a-z](?:[a-z]|\\-[a-z])*)', section))
offered = set(re.findall(r'--([a-z][a-z-]*)', help_text)) - {"help", "help-all"}
sys.exit(0 if documented == offered else (print("# documented", sorted(documented), "offered", sorted(offered)) or 1))
EOF
  same=$?
  if [ $rc -eq 0 ] && [ $same -eq 0 ]; then ok "man page: $c documented with exactly its options"; else not_ok "man page: $c documented with exactly its options"; fi
done

done_testing
