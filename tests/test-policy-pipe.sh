#!/bin/sh
# test-policy-pipe.sh - the status rewrite and per-domain policy overrides,
# end to end through the pipe: a full mailbox is soft by default, suppressed
# where a domain's policy says so, and a 452 only once a rewrite made it 552.
# Feedback reports by type: not-spam and auth-failure reports are recorded
# and suppress nobody, an abuse report suppresses, unless [policy.feedback]
# says otherwise.
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

arf="$top_srcdir/fixtures/arf"
report () { # CONFIG FIXTURE [OPTION...]: a feedback report into that configuration's database
  config=$1 fixture=$2; shift 2
  SENDER='' RECIPIENT=fbl@bounce.example.com "$OOBPROC" --config "$config" "$@" < "$arf/$fixture"
}
printf 'database = "%s"\n' "$work/feedback.db" > "$work/feedback.toml"
report "$work/feedback.toml" not-spam.eml
report "$work/feedback.toml" auth-failure-dkim.eml
check "default policy: not-spam and auth-failure reports are recorded as feedback, action ignore" \
  [ "$(q "$work/feedback.db" "select recipient || ' ' || kind || ' ' || feedback_type || ' ' || action from events order by id")" = "ottilie@example.net feedback not-spam ignore
pat@example.org feedback auth-failure ignore" ]
check "default policy: not-spam and auth-failure reports suppress no one" \
  [ "$(q "$work/feedback.db" "select count(*) from suppressions")" = "0" ]
check "oobproc check: the not-spam reporter is not suppressed" \
  "$OOBPROC" check --db "$work/feedback.db" ottilie@example.net
report "$work/feedback.toml" abuse-rfc5965.eml
check "default policy: an abuse report still suppresses its recipient as a complaint" \
  [ "$(q "$work/feedback.db" "select e.action || ' ' || s.reason from events e join suppressions s on s.address = e.recipient; select count(*) from suppressions")" = "complaint complaint
1" ]

cat > "$work/feedback-table.toml" <<EOC
database = "$work/feedback-table.db"
[policy.feedback]
Abuse = "ignore"
[policy.domains."example.org".feedback]
auth-failure = "complaint"
EOC
report "$work/feedback-table.toml" abuse-rfc5965.eml
report "$work/feedback-table.toml" not-spam.eml
report "$work/feedback-table.toml" auth-failure-dkim.eml
check "[policy.feedback]: abuse ignored, not-spam keeps its default, example.org's auth-failure complains" \
  [ "$(q "$work/feedback-table.db" "select feedback_type || ' ' || action from events order by id; select address || ' ' || reason from suppressions")" = "abuse ignore
not-spam ignore
auth-failure complaint
pat@example.org complaint" ]

printf 'database = "%s"\n[policy]\nfeedback = "complaint"\n' "$work/feedback-string.db" > "$work/feedback-string.toml"
report "$work/feedback-string.toml" not-spam.eml
check "feedback = \"complaint\": one action for every type, a not-spam report too" \
  [ "$(q "$work/feedback-string.db" "select action from events; select reason from suppressions where address = 'ottilie@example.net'")" = "complaint
complaint" ]

cat > "$work/bad.toml" <<EOC
database = "$work/bad.db"
[policy.feedback]
not-spam = "keep"
EOC
report "$work/bad.toml" not-spam.eml -v 2>"$work/bad.err"
check "a bad [policy.feedback] value: exit 75, the message stays queued" [ $? -eq 75 ]
check "a bad [policy.feedback] value: the error names the key" grep -q 'policy\.feedback\.not-spam: expected an action' "$work/bad.err"
done_testing
