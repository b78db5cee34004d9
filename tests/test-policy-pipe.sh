#!/bin/sh
# test-policy-pipe.sh - the status rewrite and per-domain policy overrides,
# end to end through the pipe: a full mailbox is soft by default, suppressed
# where a domain's policy says so, and a 452 only once a rewrite made it 552.
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixture="$top_srcdir/fixtures/dsn/quota-552.eml"
temporary () { sed 's/552 5\.2\.2/452 4.2.2/g; s/^Status: 5\.2\.2/Status: 4.2.2/' "$fixture"; }
deliver () { # CONFIG: the message on stdin into that configuration's database
  SENDER='' RECIPIENT=bounces@bounce.example.com "$OOBPROC" --config "$1"
}
q () { sqlite3 "$1" "$2"; }

printf 'database = "%s"\n' "$work/plain.db" > "$work/plain.toml"
deliver "$work/plain.toml" < "$fixture"
check "default policy: a full mailbox is QuotaIssues, soft, not suppressed" \
  [ "$(q "$work/plain.db" "select classification || ' ' || action from events; select count(*) from suppressions")" = "QuotaIssues soft
0" ]

cat > "$work/domain.toml" <<EOC
database = "$work/domain.db"
[policy.domains."example.org"]
QuotaIssues = "suppress"
EOC
deliver "$work/domain.toml" < "$fixture"
check "example.org override: the same bounce suppresses" \
  [ "$(q "$work/domain.db" "select action from events; select reason from suppressions where address = 'mia@example.org'")" = "suppress
bounce" ]
temporary | deliver "$work/domain.toml"
check "example.org override: a 452 4.2.2 stays soft (temporary failure)" \
  [ "$(q "$work/domain.db" "select smtp_code || ' ' || action from events order by id desc limit 1")" = "452 soft" ]

printf '{ "4\\\\.2\\\\.2 .*mailbox full": 552 }\n' > "$work/rewrite.json"
cat > "$work/rewrite.toml" <<EOC
database = "$work/rewrite.db"
rewrite = "$work/rewrite.json"
[policy.domains."example.org"]
QuotaIssues = "suppress"
EOC
temporary | deliver "$work/rewrite.toml"
check "rewrite 452 -> 552: the code downstream is 552 and the address suppressed" \
  [ "$(q "$work/rewrite.db" "select smtp_code || ' ' || action from events; select count(*) from suppressions")" = "552 suppress
1" ]
sed 's/mia@example\.org/ned@example.net/g; s/mia=example\.org/ned=example.net/g' "$fixture" |
  sed 's/552 5\.2\.2/452 4.2.2/g; s/^Status: 5\.2\.2/Status: 4.2.2/' | deliver "$work/rewrite.toml"
check "the override is per domain: example.net's rewritten quota bounce stays soft" \
  [ "$(q "$work/rewrite.db" "select action from events where recipient = 'ned@example.net'")" = "soft" ]
done_testing
