#!/usr/bin/python3
"""/usr/bin/python3 bench/accuracy.py [OOBPROC] - what oobproc, sisimai and flufl.bounce
recognise, side by side, on real mail none of them was written from here:

  flufl   the real bounces Debian's python3-flufl.bounce ships with its
          tests, and the addresses its test table expects of each (read in
          place; flufl.bounce is scored on its own test set, so its column
          is an upper bound, not a peer's result);
  corpus  ../shared/corpus/sisimai (when present): a file counts when a
          tool reports as many recipients as the labels list;
  returned the messages the corpus bounces return (their message/rfc822
          parts), read as messages of their own: senders' mail, with a few
          bounces and auto-replies among them;
  plain   the ordinary messages of Python's email test data (when
          installed: libpython3.11-testsuite, or a pyenv): how many each
          tool takes for a bounce.  msg_16, msg_25 and msg_43 there are
          real delivery reports and are left out.

Prints one table; reads nothing into the repository.  Tools that are not
installed show NA.
"""
import ast, glob, json, os, shutil, subprocess, sys, tempfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
oobproc = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, 'src', 'oobproc')
flufl_data = '/usr/lib/python3/dist-packages/flufl/bounce/tests/data'
corpus = os.path.join(top, '..', 'shared', 'corpus', 'sisimai')
plain_dirs = sorted(glob.glob('/usr/lib/python3*/test/test_email/data') +
                    glob.glob(os.path.expanduser('~/.pyenv/versions/*/lib/python3*/test/test_email/data')))
plain_reports = {'msg_16.txt', 'msg_25.txt', 'msg_43.txt'}

SISIMAI = r'''
use strict; use warnings; use Sisimai; use JSON::PP;
my $bounces_only = shift;
for my $p (@ARGV) {
  my $v = Sisimai->make($p, 'delivered' => !$bounces_only) || [];
  my @r = map { lc $_->recipient->address }
          grep { !$bounces_only || ($_->reason ne 'vacation' && $_->reason ne 'feedback') } @$v;
  print JSON::PP->new->canonical->encode({file => $p, rcpts => \@r}), "\n";
}
'''


# Each tool gives {path: [recipient, ...]}: with bounces_only, the failed
# and delayed ones; else every result (complaints, auto-replies, successes).
def oobproc_recipients(paths, bounces_only):
    out = subprocess.run([oobproc, 'scan', '--format=jsonl'] + paths,
                         capture_output=True, text=True, check=True).stdout
    got = {p: [] for p in paths}
    for line in out.splitlines():
        o = json.loads(line)
        if o.get('kind') in ('bounce', 'delay') or (not bounces_only and o.get('kind') != 'unknown'):
            got.setdefault(o['source'], []).append((o.get('recipient') or '').lower())
    return got


def sisimai_recipients(paths, bounces_only):
    try:
        out = subprocess.run(['perl', '-e', SISIMAI, '1' if bounces_only else ''] + paths, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    got = {}
    for line in out.splitlines():
        o = json.loads(line)
        got[o['file']] = o['rcpts']
    return got


def flufl_recipients(paths, bounces_only):
    try:
        import email
        from flufl.bounce import all_failures
    except ImportError:
        return None
    got = {}
    for p in paths:
        with open(p, 'rb') as f:
            msg = email.message_from_binary_file(f)
        try:
            temporary, permanent = all_failures(msg)
        except Exception:  # flufl.bounce raises on some messages: nothing found
            temporary = permanent = set()
        got[p] = sorted((a.decode('utf-8', 'replace') if isinstance(a, bytes) else a).lower()
                        for a in temporary | permanent)
    return got


def flufl_expected():
    """flufl's test table: (detector, file, addresses[, temporary])."""
    tree = ast.parse(open('/usr/lib/python3/dist-packages/flufl/bounce/testing/helpers.py').read())
    data = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == 'DATA' for t in node.targets))
    expected = {}
    for row in data:
        detector, name, addresses = row[:3]
        if detector == 'groupwise' and name == 'groupwise_02.txt':
            continue  # listed twice; the Exchange row is the one that names the address
        expected[os.path.join(flufl_data, name)] = sorted(a.decode().lower() for a in addresses)
    return expected


def score(got, check):
    if got is None:
        return 'NA'
    return str(sum(1 for p, ok in check.items() if ok(got.get(p, []))))


rows = []
tools = (oobproc_recipients, sisimai_recipients, flufl_recipients)
if os.path.isdir(flufl_data):
    exp = flufl_expected()
    paths = sorted(exp)
    check = {p: (lambda got, want=exp[p]: sorted(set(got)) == want) for p in paths}
    rows.append(('flufl.bounce test bounces: expected recipients', len(paths),
                 [score(t(paths, True), check) for t in tools]))
if os.path.isdir(corpus):
    want = {}
    for i, line in enumerate(open(os.path.join(corpus, 'labels.tsv'))):
        if i:
            name = line.split('\t')[0]
            want[os.path.join(corpus, 'eml', name)] = want.get(os.path.join(corpus, 'eml', name), 0) + 1
    paths = sorted(want)
    check = {p: (lambda got, n=want[p]: len(got) == n) for p in paths}
    rows.append(('../shared/corpus: as many recipients as labelled', len(paths),
                 [score(t(paths, False), check) for t in tools]))
if os.path.isdir(corpus):
    import email
    from email import policy
    returned = tempfile.mkdtemp(prefix='oobproc-accuracy-')
    for path in sorted(glob.glob(os.path.join(corpus, 'eml', '*.eml'))):
        with open(path, 'rb') as f:
            msg = email.message_from_binary_file(f, policy=policy.compat32)
        inner = next((part.get_payload() for part in msg.walk() if part.get_content_type() == 'message/rfc822'), None)
        if isinstance(inner, list) and inner:
            with open(os.path.join(returned, os.path.basename(path)), 'wb') as f:
                f.write(inner[0].as_bytes())
    paths = sorted(glob.glob(os.path.join(returned, '*.eml')))
    check = {p: (lambda got: len(got) > 0) for p in paths}
    rows.append(('messages the corpus bounces return, taken for bounces', len(paths),
                 [score(t(paths, True), check) for t in tools]))
    shutil.rmtree(returned)
if plain_dirs:
    paths = sorted(p for p in glob.glob(os.path.join(plain_dirs[0], 'msg_*.txt'))
                   if os.path.basename(p) not in plain_reports)
    check = {p: (lambda got: len(got) > 0) for p in paths}
    rows.append(('ordinary messages taken for bounces (fewer is better)', len(paths),
                 [score(t(paths, False), check) for t in tools]))

print('| set | messages | oobproc | sisimai | flufl.bounce |')
print('| --- | ---: | ---: | ---: | ---: |')
for name, n, figures in rows:
    print(f'| {name} | {n} | ' + ' | '.join(figures) + ' |')
