#!/usr/bin/python3
"""/usr/bin/python3 bench/vocabulary.py [OOBPROC] - how much of sisimai's
vocabulary of failure reasons oobproc reads the same way.

sisimai (libsisimai-perl, the tool the corpus labels come from) lists the
words servers write for each reason: Sisimai/Reason/*.pm (`$index`, the
general phrases) and the per-MTA and per-provider tables of
Sisimai/Lhost/*.pm and Sisimai/Rhost/*.pm (`'reason' => [...]`).  Each
phrase is put, alone, as the reason line of a Postfix-style plain-text
notice with no status and no reply code, and scanned; a phrase counts when
the status oobproc derives is sisimai's pseudo status for that reason
(x.0.9NN, any class).  The phrases are read from the installed modules at
run time; nothing of them is kept.  Many MTA-table entries are codes or
fragments that mean something only inside that MTA's notice (Facebook's
"RCP-P1", Exchange's "000C05A6"); those count as misses here, so the
table figures are a floor, and a change is what to watch.

Prints one table; NA when libsisimai-perl is not installed.
"""
import glob, json, os, re, subprocess, sys, tempfile
from collections import Counter

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
oobproc = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, 'src', 'oobproc')
sisimai = '/usr/share/perl5/Sisimai'
reasons = {
    'blocked': 971, 'contenterror': 960, 'exceedlimit': 923, 'expired': 947, 'filtered': 910,
    'hasmoved': 916, 'hostunknown': 912, 'mailboxfull': 922, 'mailererror': 939, 'mesgtoobig': 934,
    'networkerror': 944, 'norelaying': 909, 'notaccept': 932, 'policyviolation': 972, 'rejected': 918,
    'securityerror': 970, 'spamdetected': 980, 'suspend': 921, 'systemerror': 930, 'systemfull': 931,
    'syntaxerror': 902, 'toomanyconn': 945, 'userunknown': 911, 'virusdetected': 971,
}
QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def strings(block):
    block = re.sub(r'#[^\n]*', '', block)
    for single, double in QUOTED.findall(block):
        text = (single or double).replace("\\'", "'").replace('\\"', '"')
        if len(text.strip()) >= 4:
            yield text


def general_phrases():
    for path in sorted(glob.glob(os.path.join(sisimai, 'Reason', '*.pm'))):
        reason = os.path.basename(path)[:-3].lower()
        m = re.search(r'state \$index = \[(.*?)\];', open(path).read(), re.S)
        if reason in reasons and m:
            for text in strings(m.group(1)):
                yield reason, text


def table_phrases():
    for path in sorted(glob.glob(os.path.join(sisimai, 'Lhost', '*.pm')) +
                       glob.glob(os.path.join(sisimai, 'Rhost', '*.pm'))):
        for m in re.finditer(r"['\"]?(\w+)['\"]?\s*=>\s*\[(.*?)\]", open(path).read(), re.S):
            if m.group(1).lower() in reasons:
                for text in strings(m.group(2)):
                    yield m.group(1).lower(), text


NOTICE = '''Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: bounces@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <vocabulary-{n}@mx.example.net>
Content-Type: text/plain; charset=utf-8

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<rcpt@example.org>: {text}
'''


def measure(phrases):
    """{reason: (read alike, phrases)} for [(reason, text)]."""
    with tempfile.TemporaryDirectory() as work:
        for n, (_, text) in enumerate(phrases):
            with open(os.path.join(work, f'{n:05d}.eml'), 'w') as f:
                f.write(NOTICE.format(n=n, text=text.replace('\n', ' ')))
        out = subprocess.run([oobproc, 'scan', '--format=jsonl', work], capture_output=True, text=True,
                             check=True).stdout
        status = {}
        for line in out.splitlines():
            o = json.loads(line)
            status[int(os.path.basename(o['source'])[:5])] = o.get('status') or ''
    hit, total = Counter(), Counter()
    for n, (reason, _) in enumerate(phrases):
        total[reason] += 1
        hit[reason] += status.get(n, '')[1:] == f'.0.{reasons[reason]}'
    return hit, total


if not os.path.isdir(sisimai):
    print('libsisimai-perl not installed: NA')
    sys.exit(0)
general, tables = list(general_phrases()), list(table_phrases())
g_hit, g_total = measure(general)
t_hit, t_total = measure(tables)
print('| reason | general phrases read alike | MTA/provider table phrases read alike |')
print('| --- | ---: | ---: |')
for reason in sorted(set(g_total) | set(t_total)):
    print(f'| {reason} | {g_hit[reason]}/{g_total[reason]} | {t_hit[reason]}/{t_total[reason]} |')
print(f'| all | {sum(g_hit.values())}/{sum(g_total.values())} | {sum(t_hit.values())}/{sum(t_total.values())} |')
