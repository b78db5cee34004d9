#!/usr/bin/python3
"""flufl-scan.py PATH...: parse every message with Mailman's flufl.bounce
(Debian's python3-flufl.bounce): files, maildirs (cur/ new/) or mbox files."""
import mailbox, os, sys, email
from email import policy
from flufl.bounce import scan_message

def messages(path):
    if os.path.isdir(os.path.join(path, 'cur')) or os.path.isdir(os.path.join(path, 'new')):
        yield from mailbox.Maildir(path, factory=None, create=False)
    elif os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            yield from messages(os.path.join(path, name))
    else:
        with open(path, 'rb') as f:
            yield email.message_from_binary_file(f, policy=policy.compat32)

n = found = 0
for p in sys.argv[1:]:
    for m in messages(p):
        n += 1
        found += len(scan_message(m))
print(f"flufl.bounce: {n} messages, {found} addresses", file=sys.stderr)
