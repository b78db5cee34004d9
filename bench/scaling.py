#!/usr/bin/python3
"""/usr/bin/python3 bench/scaling.py [--oobproc PATH] [--sizes KB,KB,...]
                                    [--markdown] [--fixtures] [--only NAME,...]

Does pipe mode's time grow with the size of a message, and no faster?  An
MTA runs oobproc once per message (|/usr/bin/oobproc), where pcre2 only
interprets its patterns (no JIT): a path that costs the square of a text's
length stalls the MTA's pipe for minutes on a bounce of a few megabytes.

For each shape below (one per family oobproc reads, and the hostile shapes:
very long lines, many short or blank lines, runs of spaces, one long token,
many recipients, invalid UTF-8, CR-only line ends, deep MIME nesting, many
parts, many header lines), the message is built at each
size (default 100, 400 and 1600 KB: each 4x the one before) and fed to
`oobproc --db FRESH.db -r bounces@bounce.example.com`, best of three runs.
The table gives each time and the growth of the last step, t(4n) / t(n):
about 4 is linear; a shape is marked SUPER-LINEAR when the step costs more
than 7x and the largest run more than 0.25 s (below that, process start and
the database dominate).

--fixtures (or --stretch-dir DIR, for DIR/*.eml, e.g. ../shared/corpus/sisimai/eml,
read in place): instead, each of the project's fixtures is stretched (every
body line repeated k times) and widened (every body line's words repeated
k times) to the sizes, and only the super-linear ones are listed: a search
over every family's real shape, for finding what the named shapes miss.

Every message is written here, in our own words, with example.* addresses.
Nothing is kept; no thresholds fail anything (speed is measured, not tested).
"""
import argparse, glob, math, os, random, re, subprocess, sys, tempfile, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RCPT = 'bounces@bounce.example.com'
TIMEOUT = 60  # seconds a run may take before it is stopped
VOCAB = ('mailbox', 'delivery', 'server', 'remote', 'rejected', 'because', 'policy', 'account',
         'message', 'domain', 'temporary', 'storage', 'quota', 'recipient', 'address', 'unknown',
         'host', 'relay', 'attempt', 'configured', 'service', 'network', 'filter', 'content')


def words(nbytes, seed=1, width=0):
    """About nbytes of our words: one line, or lines of `width` columns."""
    rnd = random.Random(seed)
    out, size = [], 0
    while size < nbytes:
        w = rnd.choice(VOCAB) + str(rnd.randrange(100))
        out.append(w)
        size += len(w) + 1
    text = ' '.join(out)
    if not width:
        return text
    lines, line = [], ''
    for w in out:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = line + ' ' + w if line else w
    lines.append(line)
    return '\n'.join(lines)


def head(sender, subject, ctype='text/plain; charset=us-ascii', extra=''):
    return ('Return-Path: <>\n'
            'Received: from mx.example.net (mx.example.net [192.0.2.30])\n'
            '\tby bounce.example.com (Postfix) with ESMTP id 4Zs1\n'
            '\tfor <%s>; Mon, 23 Nov 2026 08:00:02 +0000 (UTC)\n'
            'Date: Mon, 23 Nov 2026 08:00:01 +0000\n'
            'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <scaling.%d@mx.example.net>\n'
            'MIME-Version: 1.0\nContent-Type: %s\n%s\n') % (RCPT, sender, RCPT, subject, random.randrange(10**9), ctype, extra)


ORIGINAL = ('Return-Path: <bounces+ann=example.org@bounce.example.com>\n'
            'Message-ID: <20261123.s1@mailer.example.com>\nFrom: Example News <news@example.com>\n'
            'To: ann@example.org\nSubject: Your November newsletter\nX-Campaign-ID: autumn\n'
            'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nHello from Example News.\n')


def addresses(count):
    return ['user%d@example.org' % i for i in range(count)]


def fill(n, unit):
    """How many `unit`-byte items make about n bytes."""
    return max(1, n // unit)


def dsn(human, per_recipient, extra_parts='', top_ctype=None):
    b = 'scaling-dsn-boundary'
    return (head('MAILER-DAEMON@mx.example.net (Mail Delivery System)', 'Undelivered Mail Returned to Sender',
                 top_ctype or 'multipart/report; report-type=delivery-status;\n\tboundary="%s"' % b) +
            '--%s\nContent-Type: text/plain; charset=us-ascii\n\n%s\n\n' % (b, human) +
            '--%s\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n%s\n' % (b, per_recipient) +
            extra_parts +
            '--%s\nContent-Type: text/rfc822-headers\n\n%s--%s--\n' % (b, ORIGINAL.split('\n\n')[0] + '\n\n', b))


def block(address, diagnostic):
    return ('Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.org\n'
            'Diagnostic-Code: smtp; %s\n' % (address, diagnostic))


# --- the shapes: name -> builder(n bytes) -> str -------------------------------------------

def dsn_long_diagnostic(n):
    folded = words(n, width=70).replace('\n', '\n    ')
    return dsn('Your message could not be delivered to user0@example.org.',
               block('user0@example.org', '550 5.1.1 <user0@example.org>: mailbox unavailable ' + folded))


def dsn_diagnostic_one_line(n):
    return dsn('Your message could not be delivered to user0@example.org.',
               block('user0@example.org', '550 5.1.1 mailbox unavailable ' + words(n)))


def dsn_many_recipients(n):
    count = fill(n, 260)
    human = '\n'.join('<%s>: host mx.example.org said: 550 5.1.1 no such user' % a for a in addresses(count))
    blocks = '\n'.join(block(a, '550 5.1.1 <%s>: no such user here' % a) for a in addresses(count))
    return dsn(human, blocks)


def dsn_long_human_part(n):
    return dsn('This is the mail system at host mx.example.net.\n\n' + words(n, width=72) +
               '\n\n<user0@example.org>: host mx.example.org said: 550 5.1.1 unknown user',
               block('user0@example.org', '550 5.1.1 unknown user'))


def postfix_text(n, many=False):
    if many:
        count = fill(n, 130)
        body = '\n\n'.join('<%s>: host mx.example.org[192.0.2.25] said: 550 5.1.1\n    <%s>: no such mailbox'
                           ' (in reply to RCPT TO command)' % (a, a) for a in addresses(count))
    else:
        body = ('<user0@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1\n    ' +
                words(n, width=70).replace('\n', '\n    ') + ' (in reply to RCPT TO command)')
    return (head('MAILER-DAEMON@mx.example.net (Mail Delivery System)', 'Undelivered Mail Returned to Sender') +
            'This is the mail system at host mx.example.net.\n\nI\'m sorry to have to inform you that your message'
            ' could not\nbe delivered to one or more recipients.\n\n                   The mail system\n\n' +
            body + '\n\n--- Original message follows ---\n\n' + ORIGINAL)


def sendmail_transcript(n):
    count = fill(n, 190)
    listed = '\n'.join('<%s>\n    (reason: 550 5.1.1 mailbox unknown)' % a for a in addresses(count))
    talk = '\n'.join('... while talking to mx.example.org.:\n>>> RCPT To:<%s>\n<<< 550 5.1.1 <%s>... mailbox unknown'
                     % (a, a) for a in addresses(count))
    return (head('Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'Returned mail: see transcript for details') +
            'The original message was received at Mon, 23 Nov 2026 08:00:00 +0000\nfrom mailer.example.com\n\n'
            '   ----- The following addresses had permanent fatal errors -----\n' + listed +
            '\n\n   ----- Transcript of session follows -----\n' + talk +
            '\n\n   ----- Original message follows -----\n\n' + ORIGINAL)


def sendmail_long_reply(n):
    return (head('Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'Returned mail: see transcript for details') +
            '   ----- The following addresses had permanent fatal errors -----\n<user0@example.org>\n\n'
            '   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n'
            '>>> RCPT To:<user0@example.org>\n' +
            '\n'.join('<<< 550-5.1.1 ' + l for l in words(n, width=60).split('\n')) +
            '\n<<< 550 5.1.1 mailbox unknown\n\n   ----- Original message follows -----\n\n' + ORIGINAL)


def exim(n, many=False):
    if many:
        failed = '\n'.join('  %s\n    host mx.example.org [192.0.2.52]\n    SMTP error from remote mail server after'
                           ' RCPT TO:<%s>:\n    550 no such person' % (a, a) for a in addresses(fill(n, 150)))
    else:
        failed = ('  user0@example.org\n    host mx.example.org [192.0.2.52]\n    SMTP error from remote mail server'
                  ' after RCPT TO:<user0@example.org>:\n    550 ' + words(n, width=70).replace('\n', '\n    '))
    return (head('Mail Delivery System <Mailer-Daemon@relay.example.net>', 'Mail delivery failed: returning message to sender') +
            'This message was created automatically by mail delivery software.\n\nA message that you sent could not be'
            ' delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n' +
            failed + '\n\n------ This is a copy of the message, including all the headers. ------\n\n' + ORIGINAL)


def qmail(n, many=False):
    if many:
        failed = '\n\n'.join('<%s>:\n192.0.2.41 does not like recipient.\nRemote host said: 550 5.1.1 no mailbox here\n'
                             'Giving up on 192.0.2.41.' % a for a in addresses(fill(n, 130)))
    else:
        failed = '<user0@example.org>:\n192.0.2.41 does not like recipient.\nRemote host said: 550 5.1.1 ' + words(n) + '\nGiving up on 192.0.2.41.'
    return (head('MAILER-DAEMON@mx.example.net', 'failure notice') +
            'Hi. This is the qmail-send program at mx.example.net.\nI\'m afraid I wasn\'t able to deliver your message to'
            ' the following addresses.\nThis is a permanent error; I\'ve given up. Sorry it didn\'t work out.\n\n' +
            failed + '\n\n--- Below this line is a copy of the message.\n\n' + ORIGINAL)


def office365(n, many=False, html=False):
    count = fill(n, 400) if many else 1
    reason = words(n, width=76) if not many else 'We could not find this address at the recipient\'s domain.'
    text = ('Delivery has failed to these recipients or groups:\n\n' +
            '\n'.join('%s<mailto:%s>\n%s\n' % (a, a, reason) for a in addresses(count)) +
            '\nDiagnostic information for administrators:\n\nGenerating server: DM6PR10MB0001.example.outlook.com\n\n' +
            '\n'.join('%s\nRemote Server returned \'550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient %s not found\'' % (a, a)
                      for a in addresses(count)) + '\n')
    b, a = 'scaling-o365-outer', 'scaling-o365-alt'
    htmlpart = '<html><body><p>' + text.replace('\n', '<br>\n') + '</p></body></html>\n'
    parts = ('--%s\nContent-Type: text/plain; charset=us-ascii\n\n%s\n' % (a, text) if not html else '') + \
            '--%s\nContent-Type: text/html; charset=us-ascii\n\n%s\n--%s--\n' % (a, htmlpart, a)
    return (head('<postmaster@example.org>', 'Undeliverable: Your November newsletter',
                 'multipart/mixed; boundary="%s"' % b) +
            '--%s\nContent-Type: multipart/alternative; boundary="%s"\n\n%s\n--%s\nContent-Type: text/rfc822-headers\n\n%s--%s--\n'
            % (b, a, parts, b, ORIGINAL.split('\n\n')[0] + '\n\n', b))


def gmail(n, many=False):
    count = fill(n, 24) if many else 1
    error = '550 5.1.1 <user0@example.org>: ' + (words(n, width=76) if not many else 'no such mailbox')
    return (head('Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'Delivery Status Notification (Failure)') +
            'Delivery to the following recipients failed permanently:\n\n' +
            '\n'.join('     ' + a for a in addresses(count)) +
            '\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by'
            ' the server for the recipient domain example.org by mx1.example.org. [192.0.2.25].\n\n'
            'The error that the other server returned was:\n' + error + '\n\n----- Original message -----\n\n' + ORIGINAL)


def domino(n):
    return (head('Mail Delivery Subsystem <MAILER-DAEMON@notes.example.net>',
                 'DELIVERY FAILURE: User user0 (user0@example.org) not listed in Domino Directory') +
            'Your message\n\n  Subject: Hello\n\nwas not delivered to:\n\n  user0@example.org\n\nbecause:\n\n' +
            words(n, width=70) + '\n')


def generic(n, many=False):
    if many:
        body = ('The following recipients failed permanently:\n\n' +
                '\n'.join('%s: 550 5.1.1 unknown user' % a for a in addresses(fill(n, 42))))
    else:
        body = 'Your message to user0@example.org could not be delivered.\nReason: 550 5.1.1 ' + words(n, width=72)
    return (head('Mail Administrator <postmaster@relay.example.net>', 'Delivery failure') +
            body + '\n\n-- Original message --\n\n' + ORIGINAL)


def arf(n):
    b = 'scaling-arf'
    return (head('Feedback Loop <fbl@feedback.example.net>', 'FW: Your November newsletter',
                 'multipart/report; report-type=feedback-report;\n\tboundary="%s"' % b) +
            '--%s\nContent-Type: text/plain\n\nThis is an abuse report.\n\n'
            '--%s\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: ExampleFBL/1\nVersion: 1\n'
            'Original-Mail-From: <bounces+ann=example.org@bounce.example.com>\nOriginal-Rcpt-To: <ann@example.org>\n\n'
            '--%s\nContent-Type: message/rfc822\n\n%s%s\n--%s--\n' % (b, b, b, ORIGINAL, words(n, width=76), b))


def autoreply(n):
    return (head('Ann Example <ann@example.org>', 'Auto: Your November newsletter',
                 extra='Auto-Submitted: auto-replied (vacation)\nIn-Reply-To: <20261123.s1@mailer.example.com>\n') +
            'I am away until December and will not read mail.\n\n' + words(n, width=72) + '\n')


def html_only(n):
    rows = '\n'.join('<tr><td>%s</td><td>The recipient name is not recognized</td></tr>' % a
                     for a in addresses(fill(n, 90)))
    return (head('System Administrator <postmaster@example.org>', 'Undeliverable: Your November offers',
                 'text/html; charset=iso-8859-1') +
            '<html><head><title>Undeliverable</title></head><body>\n<p>Your message did not reach the following'
            ' recipient(s):</p>\n<table>\n' + rows + '\n</table>\n</body></html>\n')


def long_line(n):
    return (head('MAILER-DAEMON@mx.example.net', 'Undelivered Mail Returned to Sender') +
            'Delivery to user0@example.org failed: 550 5.1.1 ' + words(n) + '\n')


def short_lines(n):
    return (head('MAILER-DAEMON@mx.example.net', 'Undelivered Mail Returned to Sender') +
            'Delivery to user0@example.org failed:\n550 5.1.1 unknown user\n\n' + 'a\n' * (n // 2))


def blank_lines(n):
    return (head('MAILER-DAEMON@mx.example.net', 'Undelivered Mail Returned to Sender') +
            'Delivery to user0@example.org failed:\n' + '\n' * n + '550 5.1.1 unknown user\n')


def invalid_utf8(n):
    text = words(n, width=70)
    bad = ''.join(c + ('\udcff' if i % 50 == 0 else '') for i, c in enumerate(text))
    return ('Delivery to user0@example.org failed.\n<user0@example.org>: host mx.example.org said: 550 5.1.1 ' + bad,
            head('MAILER-DAEMON@mx.example.net (Mail Delivery System)', 'Undelivered Mail Returned to Sender',
                 'text/plain; charset=utf-8'))


def cr_only(n):
    return postfix_text(n).replace('\n', '\r')


def deep_nesting(n):
    depth = 60
    pad = words(max(1, n // depth), width=72)
    inner = ('Final-Recipient: rfc822; user0@example.org\nAction: failed\nStatus: 5.1.1\n')
    msg = head('MAILER-DAEMON@mx.example.net', 'Nested', 'multipart/report; report-type=delivery-status; boundary="d0"') + \
        '--d0\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n' + inner + '\n'
    for level in range(1, depth):
        msg += '--d%d\nContent-Type: text/plain\n\n%s\n--d%d\nContent-Type: multipart/mixed; boundary="d%d"\n\n' % (
            level - 1, pad, level - 1, level)
    for level in reversed(range(depth)):
        msg += '--d%d--\n' % level
    return msg


def many_parts(n):
    b = 'scaling-parts'
    parts = ''.join('--%s\nContent-Type: text/plain\n\nPart %d of the notice.\n' % (b, i) for i in range(fill(n, 60)))
    return dsn('Your message could not be delivered.', block('user0@example.org', '550 5.1.1 unknown user'),
               extra_parts=parts.replace(b, 'scaling-dsn-boundary'))


def many_headers(n):
    received = ''.join('Received: from relay%d.example.net (relay%d.example.net [192.0.2.%d])\n\tby mx.example.net; Mon, 23 Nov 2026 08:00:00 +0000\n'
                       % (i, i, i % 250) for i in range(fill(n, 110)))
    return (head('MAILER-DAEMON@mx.example.net', 'Undelivered Mail Returned to Sender') +
            'Delivery to user0@example.org failed:\n550 5.1.1 unknown user\n\n--- Original message follows ---\n\n' +
            received + ORIGINAL)


def notice(text, subject='Undelivered Mail Returned to Sender'):
    """A plain-text notice from a mail system around text."""
    return (head('MAILER-DAEMON@mx.example.net (Mail Delivery System)', subject) +
            'Delivery to the following recipient failed permanently:\n\n  user0@example.org\n\n'
            'Reason: 550 5.1.1 ' + text + '\n\n--- Original message follows ---\n\n' + ORIGINAL)


def space_run(n):
    return notice('unknown user' + ' ' * n + 'here')


def one_token(n):
    return notice('unknown user ' + 'x' * n + '@example.org')


def at_signs(n):
    return notice('unknown user ' + 'a@' * (n // 2))


def angle_brackets(n):
    return notice('unknown user ' + '<' * (n // 2) + '>' * (n // 2))


def quoted_lines(n):
    return notice('unknown user\n' + '> \n' * (n // 3))


def dash_lines(n):
    return notice('unknown user\n' + '-' * 70 + '\n' + ('-' * 30 + '\n') * (n // 31))


def digits(n):
    return notice('unknown user ' + ' '.join('550 5.1.1' for _ in range(n // 10)))


def long_subject(n):
    return notice('unknown user', subject='Undeliverable: ' + words(n))


def many_addresses_one_line(n):
    return notice('unknown users ' + ', '.join('<%s>' % a for a in addresses(fill(n, 22))))


def ses_json(n):
    import json
    rcpts = [{'emailAddress': a, 'action': 'failed', 'status': '5.1.1',
              'diagnosticCode': 'smtp; 550 5.1.1 <%s>: mailbox unknown' % a} for a in addresses(fill(n, 120))]
    note = {'notificationType': 'Bounce', 'bounce': {'bounceType': 'Permanent', 'bounceSubType': 'General',
                                                     'bouncedRecipients': rcpts, 'reportingMTA': 'dsn; a1.smtp-out.amazonses.test'},
            'mail': {'source': 'news@example.com', 'messageId': '0101019a-0000', 'destination': [r['emailAddress'] for r in rcpts]}}
    return (head('AWS Notifications <no-reply@sns.amazonaws.test>', 'AWS Notification Message',
                 extra='x-amz-sns-message-type: Notification\n') + json.dumps(note, separators=(',', ':')) + '\n')


def original_headers(n):
    lines = ''.join('X-Example-Trace-%d: hop %d via relay%d.example.net\n' % (i, i, i) for i in range(fill(n, 48)))
    b = 'scaling-dsn-boundary'
    return dsn('Your message could not be delivered.', block('user0@example.org', '550 5.1.1 unknown user')).replace(
        '--%s\nContent-Type: text/rfc822-headers\n\n' % b, '--%s\nContent-Type: text/rfc822-headers\n\n%s' % (b, lines))


def to_many(n):
    count = fill(n, 22)
    msg = postfix_text(1000)
    return msg.replace('To: %s\n' % RCPT, 'To: %s,\n %s\n' % (RCPT, ',\n '.join(addresses(count))), 1)


def dsn_many_without_diagnostic(n):
    count = fill(n, 200)
    human = '\n'.join('<%s>: host mx.example.org said: 550 5.1.1 <%s>... no such user' % (a, a) for a in addresses(count))
    blocks = '\n'.join('Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.0.0\n' % a for a in addresses(count))
    return dsn(human, blocks)


def sendmail_agents(n):
    count = fill(n, 150)
    listed = '\n'.join('<%s>' % a for a in addresses(count))
    talk = '\n'.join('mail.local: unknown user: %s' % a.split('@')[0] for a in addresses(count))
    return (head('Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'Returned mail: see transcript for details') +
            '   ----- The following addresses had permanent fatal errors -----\n' + listed +
            '\n\n   ----- Transcript of session follows -----\n' + talk +
            '\n550 5.1.1 User unknown\n\n   ----- Original message follows -----\n\n' + ORIGINAL)


SHAPES = [
    ('dsn-folded-diagnostic', dsn_long_diagnostic),
    ('dsn-one-line-diagnostic', dsn_diagnostic_one_line),
    ('dsn-many-recipients', dsn_many_recipients),
    ('dsn-long-human-part', dsn_long_human_part),
    ('dsn-many-without-diagnostic', dsn_many_without_diagnostic),
    ('postfix-long-reason', postfix_text),
    ('postfix-many-recipients', lambda n: postfix_text(n, many=True)),
    ('sendmail-transcript', sendmail_transcript),
    ('sendmail-long-reply', sendmail_long_reply),
    ('sendmail-local-agents', sendmail_agents),
    ('exim-long-reason', exim),
    ('exim-many-recipients', lambda n: exim(n, many=True)),
    ('qmail-long-reason', qmail),
    ('qmail-many-recipients', lambda n: qmail(n, many=True)),
    ('office365-long-reason', office365),
    ('office365-many-recipients', lambda n: office365(n, many=True)),
    ('office365-html-only', lambda n: office365(n, many=True, html=True)),
    ('gmail-long-error', gmail),
    ('gmail-many-recipients', lambda n: gmail(n, many=True)),
    ('domino-long-because', domino),
    ('generic-long-reason', generic),
    ('generic-many-recipients', lambda n: generic(n, many=True)),
    ('arf-big-original', arf),
    ('autoreply-long-body', autoreply),
    ('html-only-table', html_only),
    ('one-long-line', long_line),
    ('many-short-lines', short_lines),
    ('many-blank-lines', blank_lines),
    ('invalid-utf8', invalid_utf8),
    ('cr-only-line-ends', cr_only),
    ('deep-mime-nesting', deep_nesting),
    ('many-parts', many_parts),
    ('many-header-lines', many_headers),
    ('space-run', space_run),
    ('one-long-token', one_token),
    ('at-signs', at_signs),
    ('angle-brackets', angle_brackets),
    ('quoted-blank-lines', quoted_lines),
    ('dash-lines', dash_lines),
    ('reply-codes', digits),
    ('long-subject', long_subject),
    ('addresses-one-line', many_addresses_one_line),
    ('amazonses-json-recipients', ses_json),
    ('dsn-original-headers', original_headers),
    ('to-header-many-addresses', to_many),
]


def encode(built):
    """A builder's message as bytes (lone surrogates become the invalid bytes they stand for)."""
    if isinstance(built, tuple):
        body, headers = built
        return headers.encode() + body.encode('utf-8', 'surrogateescape')
    return built.encode('utf-8', 'surrogateescape')


def run_once(oobproc, data, work):
    db = os.path.join(work, 'x.db')
    for suffix in ('', '-wal', '-shm', '-journal'):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    t0 = time.perf_counter()
    try:
        subprocess.run([oobproc, '--db', db, '-r', RCPT], input=data, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return TIMEOUT  # a lower bound: the table says so with '>'
    return time.perf_counter() - t0


def timed(oobproc, data, work, runs):
    """The fastest of `runs` runs (one is enough when it takes seconds)."""
    best = run_once(oobproc, data, work)
    for _ in range(runs - 1):
        if best > 2:
            break
        best = min(best, run_once(oobproc, data, work))
    return best


def growth(times):
    return times[-1] / times[-2] if len(times) > 1 and times[-2] > 0 else float('nan')


def verdict(times):
    if max(times) >= TIMEOUT:
        return 'SUPER-LINEAR (stopped at %d s)' % TIMEOUT
    return 'SUPER-LINEAR' if growth(times) > 7 and times[-1] > 0.25 else 'linear'


def stretched(raw, factor, widen):
    """A fixture with every body line repeated (or its words repeated) factor times."""
    out, in_headers, boundaries = [], True, set(m.decode() for m in re.findall(rb'boundary="?([^";\s]+)', raw))
    for line in raw.decode('utf-8', 'surrogateescape').split('\n'):
        stripped = line.strip()
        if in_headers:
            out.append(line)
            in_headers = stripped != ''
            continue
        if stripped.startswith('--') and stripped.strip('-') in boundaries:
            out.append(line)
            in_headers = True
            continue
        if not stripped:
            out.append(line)
        elif widen:
            out.append(' '.join([line] * factor))
        else:
            out.extend([line] * factor)
    return '\n'.join(out).encode('utf-8', 'surrogateescape')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[1])
    parser.add_argument('--oobproc', default=os.path.join(top, 'src', 'oobproc'))
    parser.add_argument('--sizes', default='100,400,1600', help='message sizes in KB')
    parser.add_argument('--runs', type=int, default=3, help='runs per message (the fastest counts)')
    parser.add_argument('--markdown', action='store_true', help='a Markdown table (bench/run.sh)')
    parser.add_argument('--fixtures', action='store_true', help='stretch every fixture instead')
    parser.add_argument('--stretch-dir', metavar='DIR', help='stretch every DIR/*.eml instead (e.g. a corpus)')
    parser.add_argument('--only', help='comma-separated shape names')
    parser.add_argument('--write', metavar='DIR', help='also write each message built into DIR')
    args = parser.parse_args()
    sizes = [int(s) * 1024 for s in args.sizes.split(',')]
    with tempfile.TemporaryDirectory() as work:
        if args.fixtures or args.stretch_dir:
            return fixtures_search(args, sizes, work)
        names = args.only.split(',') if args.only else None
        cols = ['%d KB' % (s // 1024) for s in sizes]
        if args.markdown:
            print('| shape | ' + ' | '.join(cols) + ' | last step | verdict |')
            print('| --- |' + ' ---: |' * len(cols) + ' ---: | --- |')
        else:
            print('%-28s' % 'shape' + ''.join('%10s' % c for c in cols) + '%11s  verdict' % 'last step')
        flagged = 0
        for name, build in SHAPES:
            if names and name not in names:
                continue
            times = []
            for size in sizes:
                random.seed(size)
                data = encode(build(size))
                if args.write:
                    with open(os.path.join(args.write, '%s-%dk.eml' % (name, size // 1024)), 'wb') as f:
                        f.write(data)
                times.append(timed(args.oobproc, data, work, args.runs))
            judged = verdict(times)
            flagged += judged != 'linear'
            cells = ['%.3f s' % t for t in times]
            if args.markdown:
                print('| %s | %s | %.1fx | %s |' % (name, ' | '.join(cells), growth(times), judged))
            else:
                print('%-28s' % name + ''.join('%10s' % c for c in cells) + '%10.1fx  %s' % (growth(times), judged))
            sys.stdout.flush()
        print('\n%d of %d shapes super-linear (last step > 7x and > 0.25 s).' % (flagged, len(names or SHAPES)))


def fixtures_search(args, sizes, work):
    files = sorted(glob.glob(os.path.join(args.stretch_dir, '*.eml')) if args.stretch_dir else
                   glob.glob(os.path.join(top, 'fixtures', '*', '*.eml')))
    flagged = 0
    for path in files:
        raw = open(path, 'rb').read()
        for widen in (False, True):
            times = []
            for size in sizes:
                factor = max(1, size // max(1, len(raw)))
                times.append(timed(args.oobproc, stretched(raw, factor, widen), work, 1))
                if times[-1] > 20:
                    break
            if verdict(times) != 'linear' or times[-1] > 20:
                flagged += 1
                print('%-60s %-8s %s  %.1fx' % (os.path.relpath(path, top)[-60:], 'widened' if widen else 'stretched',
                                               ' '.join('%.3f' % t for t in times), growth(times)))
                sys.stdout.flush()
    print('%d of %d fixture stretches super-linear' % (flagged, 2 * len(files)))


if __name__ == '__main__':
    sys.exit(main())
