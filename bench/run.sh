#!/usr/bin/env bash
# bench/run.sh [--smoke] - oobproc's speed and memory beside sisimai,
# flufl.bounce and the GMime floor, on the same messages in one run; writes
# bench/RESULTS.md.  --smoke: tiny sizes, no file written (CI keeps the
# script working; no thresholds anywhere).  Run from a built tree.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
oob=$build/src/oobproc
floor=$build/bench/floor
smoke=0; [ "${1:-}" = --smoke ] && smoke=1
nfix=$(ls "$top"/fixtures/*/*.eml | wc -l)
copies=$((smoke ? 1 : (10000 + nfix - 1) / nfix))   # fixtures x copies >= 10,000 messages
pipe_runs=$((smoke ? 5 : 200))
conc_each=$((smoke ? 3 : 100))
check_rows=$((smoke ? 10000 : 10000000))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
have () { command -v "$1" >/dev/null 2>&1; }
sisimai_ok=0; perl -MSisimai -e1 2>/dev/null && sisimai_ok=1
flufl_ok=0; /usr/bin/python3 -c 'import flufl.bounce' 2>/dev/null && flufl_ok=1
one_core () { if have taskset; then taskset -c 0 "$@"; else "$@"; fi; }

# seconds CMD...: wall-clock seconds of one run (stdout discarded)
seconds () {
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
rate () { echo "scale=0; $1 / $2" | bc -l; }
ratio () { echo "scale=2; $1 / $2" | bc -l; }

# The message sets: our fixtures replicated, and the shared corpus if present.
fixtures=$work/fixtures; mkdir -p "$fixtures/cur"
n=0
for i in $(seq 1 $copies); do
  for f in "$top"/fixtures/*/*.eml; do n=$((n + 1)); cp "$f" "$fixtures/cur/$n.eml"; done
done
sets="fixtures"
corpus_dir=$top/../shared/corpus/sisimai/eml
if [ -d "$corpus_dir" ]; then
  corpus=$work/corpus; mkdir -p "$corpus/cur"; m=0
  for i in $(seq 1 $((smoke ? 1 : 25))); do
    for f in "$corpus_dir"/*.eml; do m=$((m + 1)); cp "$f" "$corpus/cur/$m.eml"; done
  done
  sets="fixtures corpus"
fi

declare -A R
for set in $sets; do
  dir=$work/$set/cur; count=$(ls "$dir" | wc -l)
  R[$set.count]=$count
  R[$set.floor]=$(seconds one_core "$floor" "$dir")
  R[$set.scan1]=$(seconds one_core "$oob" scan "$dir")
  R[$set.scan2]=$(seconds "$oob" scan --jobs 2 "$dir")
  R[$set.sisimai]=$([ $sisimai_ok = 1 ] && seconds one_core perl "$top/bench/sisimai-scan.pl" "$dir" || echo NA)
  R[$set.flufl]=$([ $flufl_ok = 1 ] && seconds one_core /usr/bin/python3 "$top/bench/flufl-scan.py" "$dir" || echo NA)
done

# Pipe mode: one process per message, durable commit included.
msg=$top/fixtures/dsn/postfix-550-user-unknown.eml
db=$work/pipe.db
"$oob" --db "$db" < /dev/null
pipe_loop () { for i in $(seq 1 $pipe_runs); do sed "s/alice/p$i/g" "$msg" | "$oob" --db "$db"; done; }
floor_loop () { for i in $(seq 1 $pipe_runs); do sed "s/alice/p$i/g" "$msg" | "$floor" -; done; }
R[pipe.oob]=$(seconds pipe_loop)
R[pipe.floor]=$(seconds floor_loop)

# 16 concurrent pipe processes.
cdb=$work/conc.db; "$oob" --db "$cdb" < /dev/null
conc_worker () {
  local fails=0
  for i in $(seq 1 $conc_each); do
    sed "s/alice/c$1-$i/g" "$msg" | "$oob" --db "$cdb" || fails=$((fails + 1))
  done
  echo $fails > "$work/fails.$1"
}
conc_all () { for p in $(seq 1 16); do conc_worker $p & done; wait; }
R[conc.secs]=$(seconds conc_all)
R[conc.msgs]=$((16 * conc_each))
R[conc.tempfail]=$(cat "$work"/fails.* | awk '{s += $1} END {print s}')

# A 15 MB message of base64 attachments.
big=$work/big.eml
python3 - "$big" <<'PY'
import base64, os, sys
with open(sys.argv[1], 'w') as f:
    f.write("From: MAILER-DAEMON@mx.example.net\nTo: bounces+big=example.org@bounce.example.com\n"
            "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=Z\n\n")
    for i in range(15):
        f.write("--Z\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
        f.write(base64.encodebytes(os.urandom(730000)).decode())
    f.write("--Z--\n")
PY
R[big.size]=$(stat -c %s "$big")
/usr/bin/time -f "%e %M" -o "$work/big.time" "$oob" --db "$work/big.db" < "$big"
read -r R[big.secs] R[big.kb] < "$work/big.time"

# A notice whose reason runs to 300 KB of words (a Domino "because:"
# paragraph): in pipe mode pcre2 interprets, and a loop of matches over one
# text must stay linear in its length (src/pattern.c, compiled_for_valid).
long=$work/long-reason.eml
python3 - "$long" <<'PY'
import sys
words = ' '.join('word%d' % (i % 97) for i in range(40000))
with open(sys.argv[1], 'w') as f:
    f.write("From: Mail Delivery Subsystem <MAILER-DAEMON@notes.example.net>\n"
            "To: bounces+long=example.org@bounce.example.com\n"
            "Subject: DELIVERY FAILURE: User long (long@example.org) not listed in Domino Directory\n\n"
            "Your message\n\n  Subject: Hello\n\nwas not delivered to:\n\n  long@example.org\n\nbecause:\n\n")
    f.write('\n'.join(words[i:i + 70] for i in range(0, len(words), 70)) + '\n')
PY
R[long.size]=$(stat -c %s "$long")
/usr/bin/time -f "%e" -o "$work/long.time" "$oob" --db "$work/long.db" < "$long"
R[long.secs]=$(cat "$work/long.time")

# check latency on a large suppressions table, and import throughput.
OOBPROC=$oob sh "$top/bench/check-latency.sh" "$check_rows" "$((smoke ? 200 : 20000))" "$((smoke ? 20 : 1000))" \
  > "$work/check.txt" 2>&1
R[check]=$(grep -m1 ' x oobproc check ADDRESS' "$work/check.txt" | sed 's/.*; per call //; s/;.*//')
R[lookup]=$(grep -m1 '^100000 look-ups' "$work/check.txt" | sed 's/.*; per look-up //; s/;.*//')
R[import]=$(grep -m1 '^first import:' "$work/check.txt" | sed 's/.*; //')
import_wall () { grep -m1 "^$1" "$work/check.txt" | sed 's/.*: \([0-9.]*\) s wall.*/\1/'; }
R[import2]=$(ratio "$(import_wall 'first import:')" "$(import_wall 'first import, --jobs 2:')")

# Report.
{
  echo "# oobproc benchmark results"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'). Date: $(date -u +%Y-%m-%d). Produced by \`bench/run.sh\`."
  echo
  echo "## Throughput (messages per second; one core unless noted)"
  echo
  echo "| set | messages | GMime floor | oobproc scan | scan --jobs 2 | jobs-2 speed-up | scan / floor time | sisimai | flufl.bounce | oobproc / sisimai | oobproc / flufl |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for set in $sets; do
    c=${R[$set.count]}
    f=$(rate "$c" "${R[$set.floor]}"); s1=$(rate "$c" "${R[$set.scan1]}"); s2=$(rate "$c" "${R[$set.scan2]}")
    ss=NA; fl=NA; rs=NA; rf=NA
    [ "${R[$set.sisimai]}" != NA ] && ss=$(rate "$c" "${R[$set.sisimai]}") && rs=$(ratio "${R[$set.sisimai]}" "${R[$set.scan1]}")
    [ "${R[$set.flufl]}" != NA ] && fl=$(rate "$c" "${R[$set.flufl]}") && rf=$(ratio "${R[$set.flufl]}" "${R[$set.scan1]}")
    echo "| $set | $c | $f | $s1 | $s2 | $(ratio "${R[$set.scan1]}" "${R[$set.scan2]}")x | $(ratio "${R[$set.scan1]}" "${R[$set.floor]}")x | $ss | $fl | ${rs}x | ${rf}x |"
  done
  echo
  echo "## Pipe mode, one process per message"
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| oobproc, per message (parse, classify, durable commit) | $(echo "scale=2; ${R[pipe.oob]} * 1000 / $pipe_runs" | bc -l) ms |"
  echo "| floor process, per message | $(echo "scale=2; ${R[pipe.floor]} * 1000 / $pipe_runs" | bc -l) ms |"
  echo "| oobproc / floor | $(ratio "${R[pipe.oob]}" "${R[pipe.floor]}")x |"
  echo "| 16 concurrent pipes: messages per second | $(rate "${R[conc.msgs]}" "${R[conc.secs]}") |"
  echo "| 16 concurrent pipes: tempfails | ${R[conc.tempfail]} of ${R[conc.msgs]} |"
  echo "| ${R[big.size]}-byte message: wall time | ${R[big.secs]} s |"
  echo "| ${R[big.size]}-byte message: peak memory | $((R[big.kb] / 1024)) MiB |"
  echo "| ${R[long.size]}-byte notice reason, pipe mode: wall time | ${R[long.secs]} s |"
  echo "| \`check ADDRESS\` per process, ${check_rows} suppressions | ${R[check]} |"
  echo "| one look-up inside \`check -\`, ${check_rows} suppressions | ${R[lookup]} |"
  echo "| \`import\` throughput | ${R[import]} |"
  echo "| \`import --jobs 2\` speed-up (wall) | ${R[import2]}x |"
  echo
  echo "The per-message pipe figures include the shell loop and \`sed\` that feed each run, on both sides."
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "## What each tool recognises (bench/accuracy.py)"
  echo
  if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$top/bench/accuracy.py" "$oob"; else echo "no /usr/bin/python3"; fi
  echo
  echo "## sisimai's reason vocabulary, read alike (bench/vocabulary.py)"
  echo
  if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$top/bench/vocabulary.py" "$oob"; else echo "no /usr/bin/python3"; fi
  echo
  echo "## The same notice in another shape (bench/consistency.py)"
  echo
  if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$top/bench/consistency.py" "$oob"; else echo "no /usr/bin/python3"; fi
  echo
  echo "## Pipe mode as a message grows (bench/scaling.py)"
  echo
  echo "Seconds per message in pipe mode (no JIT), fastest of three runs (one with --smoke), each shape at three sizes; \"last step\" is t(4n) / t(n): about 4 is linear."
  echo
  if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 "$top/bench/scaling.py" --oobproc "$oob" --markdown $([ $smoke = 1 ] && echo --sizes 4,16 --runs 1)
  else echo "no /usr/bin/python3"; fi
  echo
  echo "### bench/check-latency.sh"
  echo
  echo '```'
  cat "$work/check.txt"
  echo '```'
} > "$work/RESULTS.md"
# The analysis written by hand below this line survives a re-run.
marker='<!-- Written by hand below this line; run.sh keeps it. -->'
if [ -f "$top/bench/RESULTS.md" ] && grep -qxF "$marker" "$top/bench/RESULTS.md"; then
  { echo; sed -n "/^$marker\$/,\$p" "$top/bench/RESULTS.md"; } >> "$work/RESULTS.md"
fi
cat "$work/RESULTS.md"
[ $smoke = 1 ] || cp "$work/RESULTS.md" "$top/bench/RESULTS.md"
