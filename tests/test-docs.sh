#!/bin/sh
# test-docs.sh - the manual pages against the program: every subcommand of
# `oobproc help` has a section in oobproc(1) and every section is a
# subcommand; every option a subcommand's --help prints is in its section;
# every configuration key of oobproc.toml(5) is accepted by the program
# (pipe mode exits 0 with it set to a valid value, 75 with a bad one where
# the program checks the value); an unknown key is refused; and every
# top-level key the program knows (src/conf.c) is documented.
. "$top_srcdir/tests/tap.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
man1="$top_srcdir/man/oobproc.1"
man5="$top_srcdir/man/oobproc.toml.5"
fixture="$top_srcdir/fixtures/dsn/sendmail-550.eml"

# Subcommands <-> sections.  A section is `.SS "oobproc WORD[ WORD] ...`:
# the lower-case words after "oobproc" are the command line to run.
"$OOBPROC" help >"$work/help" || not_ok "oobproc help exits 0"
sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' "$work/help" | sort >"$work/commands"
check "oobproc help lists subcommands" [ "$(wc -l <"$work/commands")" -ge 10 ]
sed -n 's/^\.SS "oobproc \([a-z][a-z]*\).*/\1/p' "$man1" | sort -u >"$work/sections"
for c in $(cat "$work/commands"); do
  check "oobproc(1) has a section for $c" grep -qx "$c" "$work/sections"
done
for c in $(cat "$work/sections"); do
  check "oobproc(1) section $c is a subcommand of oobproc help" grep -qx "$c" "$work/commands"
done

# Options: each section against its command's --help.
sed -n 's/^\.SS "oobproc \(\([a-z][a-z]* \)*\).*/\1/p' "$man1" | sed 's/ *$//' >"$work/lines"
while read -r line; do
  # shellcheck disable=SC2086 # the words of the command line
  "$OOBPROC" $line --help >"$work/opts" 2>&1
  rc=$?
  python3 - "$man1" "$line" "$work/opts" <<'EOF'
import re, sys
man, line, help_text = open(sys.argv[1]).read(), sys.argv[2], open(sys.argv[3]).read()
section = re.search(r'^\.SS "oobproc %s\b.*?(?=^\.SS |^\.SH )' % re.escape(line), man, re.S | re.M).group(0)
documented = set(m.replace("\\-", "-") for m in re.findall(r'\\-\\-([a-z](?:[a-z]|\\-[a-z])*)', section))
offered = set(re.findall(r'--([a-z][a-z-]*)', help_text)) - {"help", "help-all"}
missing = offered - documented
sys.exit(0 if offered and not missing else (print("# not documented:", sorted(missing)) or 1))
EOF
  same=$?
  if [ $rc -eq 0 ] && [ $same -eq 0 ]; then ok "oobproc(1): every option of '$line --help' is in its section"
  else not_ok "oobproc(1): every option of '$line --help' is in its section"; fi
done <"$work/lines"

# Pipe mode's options are in the PIPE MODE section.
"$OOBPROC" --help >"$work/opts" 2>&1
python3 - "$man1" "$work/opts" <<'EOF'
import re, sys
man, help_text = open(sys.argv[1]).read(), open(sys.argv[2]).read()
section = re.search(r'^\.SH "PIPE MODE".*?(?=^\.SS |^\.SH )', man, re.S | re.M).group(0)
documented = set(m.replace("\\-", "-") for m in re.findall(r'\\-\\-([a-z](?:[a-z]|\\-[a-z])*)', section))
offered = set(re.findall(r'--([a-z][a-z-]*)', help_text)) - {"help", "help-all"}
sys.exit(0 if offered and offered <= documented else (print("# not documented:", sorted(offered - documented)) or 1))
EOF
check "oobproc(1): every pipe-mode option is in PIPE MODE" [ $? -eq 0 ]

# Configuration keys.  oobproc.toml(5) documents a key as `.TP` then
# `.B key` under a `.SH [table]` / `.SS [table]` heading (TOP-LEVEL KEYS
# for the top level; the listener-domain file has its own section).
python3 - "$man5" >"$work/keys" <<'EOF'
import re, sys
table, previous = None, ""
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith((".SH ", ".SS ")):
        heading = line[4:].strip().strip('"')
        table = ("" if heading == "TOP-LEVEL KEYS" else
                 "listener" if heading == "LISTENER-DOMAIN FILE" else
                 heading.strip("[]") if heading.startswith("[") else None)
        if table and table != "listener" and re.fullmatch(r"[a-z_]+", table):
            print("- %s" % table)   # a table is a top-level key too
    m = re.match(r'^\.B ((?:[a-z_]|\\-)+)$', line)
    if m and previous == ".TP" and table is not None:
        print("%s %s" % (table or "-", m.group(1).replace("\\-", "-")))
    previous = line
EOF
check "oobproc.toml(5) documents keys" [ "$(wc -l <"$work/keys")" -ge 30 ]

# A valid and, where the program checks it, an invalid value of each key
# the manual may document, as TOML lines.  A documented key missing here
# fails: add it with values the program accepts and refuses.
cat >"$work/rules.toml" <<'EOF'
[rules]
LocalClass = ['(?i)local wording']
EOF
printf '{ "5\\\\.2\\\\.2 over quota": 552 }\n' >"$work/rewrite.json"
printf '["*"]\nlog_oob = "LogThenDrop"\n' >"$work/listener.toml"
values () { # TABLE KEY -> "valid<TAB>invalid" (invalid empty: any value accepted)
  case "$1 $2" in
    "- database") printf '"%s"\t42' "$work/other.db" ;;
    "- max_message_size") printf '"16M"\t"lots"' ;;
    "- busy_timeout_ms") printf '5000\t"soon"' ;;
    "- dedupe_window") printf '"7d"\t"a while"' ;;
    "- rules") printf '["%s", "shipped"]\t42' "$work/rules.toml" ;;
    "- rewrite") printf '"%s"\t"%s"' "$work/rewrite.json" "$work/missing.json" ;;
    "- listener_domains") printf '"%s"\t"%s"' "$work/listener.toml" "$work/missing.toml" ;;
    "- event_log") printf '"%s"\t42' "$work/events.jsonl" ;;
    "- policy") printf '{ soft_threshold = 2 }\t{ soft_threshold = 0 }' ;;
    "- verp") printf '{ prefix = "ret" }\t{ prefix = "" }' ;;
    "- attribution") printf '{ envid = "tenant" }\t{ envid = "x" }' ;;
    "- relay") printf '{ timeout = "30s" }\t{ timeout = "0" }' ;;
    "policy default"|"policy temporary"|"policy feedback") printf '"ignore"\t"maybe"' ;;
    "policy soft_threshold") printf '5\t0' ;;
    "policy.feedback not-spam"|"policy.feedback auth-failure"|"policy.feedback default") printf '"complaint"\t"maybe"' ;;
    "policy soft_window") printf '"14d"\t"fortnight"' ;;
    "policy.expire suppress"|"policy.expire soft"|"policy.expire complaint") printf '"90d"\t"later"' ;;
    "verp domain") printf '"bounce.example.com"\t42' ;;
    "verp prefix") printf '"ret"\t""' ;;
    "verp delimiters") printf '"-="\t"ab"' ;;
    "verp secrets") printf '["0123456789abcdef0123"]\t["short"]' ;;
    "verp require_signature") printf 'true\t"yes"' ;;
    "verp tag_length") printf '16\t4' ;;
    "verp max_age_days") printf '60\t-1' ;;
    "attribution campaign_header"|"attribution tenant_header") printf '["X-Mailing"]\t42' ;;
    "attribution trace_header") printf '""\t"bad header:"' ;;
    "attribution envid") printf '"campaign"\t"whatever"' ;;
    "relay command") printf '["/usr/sbin/sendmail", "-i"]\t"sendmail"' ;;
    "relay timeout") printf '"30s"\t"0"' ;;
    "listener log_oob"|"listener log_arf") printf '"LogThenDrop"\t"Keep"' ;;
    "listener relay_to") printf 'false\t"no"' ;;
    "listener oob_relay_recipients"|"listener arf_relay_recipients") printf '["archive@example.com"]\t["not an address"]' ;;
    *) return 1 ;;
  esac
}
# pipe FILE: pipe mode over the fixture with the configuration FILE.
pipe () {
  SENDER='' RECIPIENT=bounces@bounce.example.com \
    "$OOBPROC" --config "$1" --db "$work/oob.db" <"$fixture" >"$work/out" 2>&1
}
# config TABLE KEY VALUE: a configuration setting one key.
config () {
  case "$1" in
    -) printf '%s = %s\n' "$2" "$3" ;;
    listener) printf '["*"]\n%s = %s\n' "$2" "$3" >"$work/ld.toml"
              printf 'listener_domains = "%s"\n' "$work/ld.toml" ;;
    *) printf '[%s]\n%s = %s\n' "$1" "$2" "$3" ;;
  esac
}
while read -r table key; do
  pair=$(values "$table" "$key") || { not_ok "no test value for documented key $table.$key"; continue; }
  good=$(printf '%s' "$pair" | cut -f1)
  bad=$(printf '%s' "$pair" | cut -f2)
  config "$table" "$key" "$good" >"$work/good.toml"
  pipe "$work/good.toml"
  rc=$?
  if [ $rc -eq 0 ] && [ ! -s "$work/out" ]; then ok "key $table.$key = $good: pipe exits 0, silent"
  else not_ok "key $table.$key = $good: pipe exits 0, silent (got $rc)"; sed 's/^/# /' "$work/out"; fi
  if [ -n "$bad" ]; then
    config "$table" "$key" "$bad" >"$work/bad.toml"
    pipe "$work/bad.toml"
    check "key $table.$key = $bad: refused, pipe exits 75" [ $? -eq 75 ]
  fi
done <"$work/keys"

# The program reads the key, not just accepts it: two that change output.
printf 'rules = ["%s"]\n' "$work/rules.toml" >"$work/c.toml"
"$OOBPROC" scan --config "$work/c.toml" "$fixture" >"$work/out" 2>&1
check "rules = [own file] replaces the shipped rules in scan" \
  grep -q '"classification":"Uncategorized"' "$work/out"
printf 'event_log = "%s"\n' "$work/log.jsonl" >"$work/c.toml"
rm -f "$work/oob.db" "$work/log.jsonl"
pipe "$work/c.toml"
check "event_log: the pipe appends the recorded event" grep -q '"recipient":"[^"]*@' "$work/log.jsonl"
printf '[policy]\nInvalidRecipient = "ignore"\n' >"$work/c.toml"
"$OOBPROC" scan --config "$work/c.toml" "$fixture" >"$work/out" 2>&1
check "policy class key changes the action in scan" grep -q '"action":"ignore"' "$work/out"
printf '[policy]\nQuotaIssues = "suppress"\n[policy.domains."example.org"]\nQuotaIssues = "ignore"\n' >"$work/c.toml"
pipe "$work/c.toml"
check "policy class keys and [policy.domains.\"DOMAIN\"] accepted" [ $? -eq 0 ]
printf '[verp.domains."bounce.example.com"]\nprefix = "ret"\n' >"$work/c.toml"
pipe "$work/c.toml"
check "[verp.domains.\"DOMAIN\"] accepted" [ $? -eq 0 ]

# Unknown keys are refused: pipe 75, scan 2.
for t in - verp attribution policy.expire; do
  config "$t" no_such_key 1 >"$work/c.toml"
  pipe "$work/c.toml"
  check "unknown key in ${t#-} refused by the pipe (75)" [ $? -eq 75 ]
done
printf 'no_such_key = 1\n' >"$work/c.toml"
"$OOBPROC" scan --config "$work/c.toml" "$fixture" >"$work/out" 2>&1
if [ $? -eq 2 ] && grep -q "unknown key 'no_such_key'" "$work/out"; then ok "unknown top-level key: scan exits 2 naming it"
else not_ok "unknown top-level key: scan exits 2 naming it"; fi
if "$OOBPROC" scan --config "$work/good.toml" "$fixture" >/dev/null 2>&1; then ok "a file without it is accepted by scan"
else not_ok "a file without it is accepted by scan"; fi

# Every top-level key the program knows is documented.
sed -n '/top_level_keys\[\] = {/,/};/p' "$top_srcdir/src/conf.c" | grep -o '"[a-z_]*"' | tr -d '"' >"$work/known"
check "src/conf.c lists top-level keys" [ "$(wc -l <"$work/known")" -ge 10 ]
for k in $(cat "$work/known"); do
  check "top-level key $k is documented in oobproc.toml(5)" grep -qx -- "- $k" "$work/keys"
done
for k in $(sed -n 's/^- //p' "$work/keys"); do
  check "documented top-level key $k is in src/conf.c" grep -qx -- "$k" "$work/known"
done

done_testing
