#!/usr/bin/python3
"""/usr/bin/python3 bench/consistency.py [OOBPROC] - does oobproc read the same
notice the same way when it reaches us in another shape?

Each real bounce of ../shared/corpus/sisimai (and of flufl.bounce's test
data, when installed) is rewritten in ways that change nothing a postmaster
would care about, or take away a part the MTA's other versions leave out,
and scanned again beside the original:

  crlf       line ends CRLF;
  base64     every 7bit/8bit text part base64-encoded;
  qp         the same, quoted-printable;
  renamed    each recipient oobproc found renamed (another local part) in
             files without encoded parts: the renamed address must come out;
  no-dsn     the message/delivery-status part taken out of a
             multipart/report: the text readers alone.  Some notices say
             nothing in words (Amazon SES, SendGrid), so this one is a
             measure, not a target.

A file counts as "same" when the recipients and, per recipient, the kind
and action agree with the original's (python's email package writes the
message again for base64, qp and no-dsn, so those are compared with the
original written again unchanged).  Prints one table; nothing is kept.
"""
import base64, collections, email, glob, json, os, quopri, re, subprocess, sys, tempfile
from email import policy

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
oobproc = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, 'src', 'oobproc')
sources = [d for d in (os.path.join(top, '..', 'shared', 'corpus', 'sisimai', 'eml'),
                       '/usr/lib/python3/dist-packages/flufl/bounce/tests/data') if os.path.isdir(d)]
DSN_TYPES = ('message/delivery-status', 'message/global-delivery-status')


def scan(directory):
    """{file name: sorted [(recipient, kind, action)]} of the reports found."""
    out = subprocess.run([oobproc, 'scan', '--format=jsonl', directory], capture_output=True, text=True).stdout
    seen = collections.defaultdict(list)
    for line in out.splitlines():
        o = json.loads(line)
        name = os.path.basename(o['source'])
        seen[name]
        if o.get('kind') not in (None, 'unknown'):
            seen[name].append(((o.get('recipient') or '').lower(), o['kind'], o.get('action')))
    return {name: sorted(found) for name, found in seen.items()}


def rewritten(raw, mode):
    """The message written again by python's email package, changed per mode, or None."""
    try:
        msg = email.message_from_bytes(raw, policy=policy.compat32)
        changed = mode == 'again'
        for part in msg.walk():
            if mode == 'no-dsn' and part.is_multipart() and part.get_content_type() == 'multipart/report':
                parts = part.get_payload()
                if isinstance(parts, list) and all(not isinstance(p, str) for p in parts):
                    keep = [p for p in parts if p.get_content_type() not in DSN_TYPES]
                    changed |= len(keep) != len(parts)
                    part.set_payload(keep)
            if mode in ('base64', 'qp') and not part.is_multipart() and part.get_content_maintype() == 'text':
                cte = (part.get('Content-Transfer-Encoding') or '7bit').strip().lower()
                payload = part.get_payload(decode=True)
                if cte not in ('7bit', '8bit', 'binary') or payload is None:
                    continue
                del part['Content-Transfer-Encoding']
                if mode == 'base64':
                    part['Content-Transfer-Encoding'] = 'base64'
                    part.set_payload(base64.encodebytes(payload).decode('ascii'))
                else:
                    part['Content-Transfer-Encoding'] = 'quoted-printable'
                    part.set_payload(quopri.encodestring(payload).decode('ascii'))
                changed = True
        return msg.as_bytes() if changed else None
    except Exception:
        return None


def renamed(raw, found):
    """raw with each found recipient's local part replaced, and the new names."""
    if re.search(rb'(?im)^content-transfer-encoding:\s*(base64|quoted-printable)', raw):
        return None, None
    names = {}
    for n, (address, _, _) in enumerate(found):
        local, at, domain = address.rpartition('@')
        if not at or len(local) < 3 or not re.fullmatch(r'[a-z0-9._+-]+', local):
            return None, None
        names[address] = f'renamed{n}x{local[::-1]}@{domain}'
    out = raw
    for old, new in names.items():
        out = re.sub(re.escape(old.encode()), new.encode(), out, flags=re.I)
    return out, names


def compare(before, after, names=None):
    counts = collections.Counter()
    for name, was in after.items():
        want = before.get(name, [])
        if names is not None:
            want = sorted((names[name].get(r, r), k, a) for r, k, a in want)
        now = after[name]
        if now == want:
            counts['same'] += 1
        elif not now:
            counts['lost'] += 1
        elif [r for r, _, _ in now] != [r for r, _, _ in want]:
            counts['recipients'] += 1
        else:
            counts['action'] += 1
    return counts


if not sources:
    print('no corpus: NA')
    sys.exit(0)
print('| rewrite | files | same recipients, kind, action | other kind or action | other recipients | none found |')
print('| --- | ---: | ---: | ---: | ---: | ---: |')
totals = collections.defaultdict(collections.Counter)
with tempfile.TemporaryDirectory() as work:
    for index, source in enumerate(sources):
        files = sorted(f for f in glob.glob(os.path.join(source, '*')) if os.path.isfile(f))
        original = scan(source)
        raws = {os.path.basename(f): open(f, 'rb').read() for f in files}
        dirs = {m: os.path.join(work, f'{index}-{m}') for m in ('crlf', 'again', 'base64', 'qp', 'renamed', 'no-dsn')}
        for d in dirs.values():
            os.mkdir(d)
        names = {}
        for name, raw in raws.items():
            if not original.get(name):
                continue
            open(os.path.join(dirs['crlf'], name), 'wb').write(re.sub(rb'\r?\n', b'\r\n', raw))
            for mode in ('again', 'base64', 'qp', 'no-dsn'):
                out = rewritten(raw, mode)
                if out is not None:
                    open(os.path.join(dirs[mode], name), 'wb').write(out)
            out, names[name] = renamed(raw, original[name])
            if out is not None:
                open(os.path.join(dirs['renamed'], name), 'wb').write(out)
        again = scan(dirs['again'])
        for mode in ('crlf', 'base64', 'qp', 'renamed', 'no-dsn'):
            after = scan(dirs[mode])
            base = original if mode in ('crlf', 'renamed') else again
            totals[mode] += compare(base, after, names if mode == 'renamed' else None)
            totals[mode]['files'] += len(after)
for mode in ('crlf', 'base64', 'qp', 'renamed', 'no-dsn'):
    c = totals[mode]
    print(f"| {mode} | {c['files']} | {c['same']} | {c['action']} | {c['recipients']} | {c['lost']} |")
