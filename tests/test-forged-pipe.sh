#!/bin/sh
# test-forged-pipe.sh - a forged DSN through the pipe: a listener domain
# that requires signed VERP records it, unverified, and suppresses no one;
# its twin sent to a return path signed by `oobproc verp encode` suppresses.
. "$top_srcdir/tests/tap.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/oob.db"
cat > "$work/oobproc.toml" <<EOC
database = "$db"
[verp]
secrets = ["pipe-test-secret-0123456789"]
[verp.domains."bounce.example.com"]
require_signature = true
EOC
fixture="$top_srcdir/fixtures/dsn/postfix-550-user-unknown.eml"

deliver () { # RETURN-PATH: the fixture as delivered to that address
  sed "s/bounces+alice=example.org@bounce.example.com/$1/g" "$fixture" |
    SENDER='' RECIPIENT="$1" "$OOBPROC" --config "$work/oobproc.toml"
}

deliver "bounces+alice=example.org@bounce.example.com"
check "forged report: exit 0 (recorded, not bounced)" [ $? -eq 0 ]
check "forged report: one event, marked unverified" \
  [ "$(sqlite3 "$db" "select count(*) || ' ' || verified from events")" = "1 0" ]
check "forged report: suppressions untouched" [ "$(sqlite3 "$db" "select count(*) from suppressions")" = 0 ]

signed=$("$OOBPROC" verp encode alice@example.org --domain bounce.example.com --config "$work/oobproc.toml")
check "verp encode prints a signed return path" sh -c "echo '$signed' | grep -q '^bounces+alice=example.org+[0-9a-f]*.*@bounce.example.com$'"
deliver "$signed"
check "signed twin: exit 0" [ $? -eq 0 ]
check "signed twin: verified event" [ "$(sqlite3 "$db" "select verified from events order by id desc limit 1")" = 1 ]
check "signed twin: alice suppressed" \
  [ "$(sqlite3 "$db" "select count(*) from suppressions where address = 'alice@example.org'")" = 1 ]
done_testing
