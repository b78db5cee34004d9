/* test-bounce-generic.c - the last-resort reader of unknown MTAs' plain-text
 * notices (bounce_generic.c): its gate, its recipient lead-ins and address
 * lines, the reason it gives each recipient, and delay notices, read from
 * fixtures/nonstandard and short inline notices through oob_parse_message(). */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "parse.h"

static const OobTestBounceCase cases[] = {
  /* A labelled field; the reason is in the paragraph under it. */
  { "generic-intended-recipient.eml", "generic",
    { { "olga@example.org", "5.1.1", 550, "failed", "answered: 550 5.1.1 user olga unknown" } } },
  /* LISTSERV-style field blocks; the reply is quoted on the line after "said:". */
  { "generic-error-for.eml", "generic",
    { { "piet@example.org", "5.1.1", 550, "failed", "Mailer mx.example.org said:" },
      { "quinn@example.net", "5.2.2", 552, "failed", "552 5.2.2 quinn: mailbox over quota" } } },
  /* The address alone on the line after "Your message to:"; a delay. */
  { "generic-delay-warning.eml", "generic",
    { { "rita@example.org", "4.0.947", 0, "delayed", "did not respond" } } },
  /* "addressed to 'x'," with the reason on the next line. */
  { "generic-addressed-to.eml", "generic",
    { { "sven@example.org", "5.0.911", 0, "failed", "failed because its mailbox does not exist" } } },
  /* A '>'-quoted address; the reply line quoting it, not the greeting. */
  { "generic-quoted-list.eml", "generic",
    { { "tess@example.org", "5.2.2", 552, "failed", "552 5.2.2 <tess@example.org> mailbox over quota" } } },
  /* "Failed Recipient:" / "Reason:" pairs, one folded by quoted-printable. */
  { "generic-failed-recipient.eml", "generic",
    { { "uma@example.org", "5.1.1", 550, "failed", "recipient not found" },
      { "vik@example.net", "5.7.1", 554, "failed", "refused by local policy" } } },
  /* "Your message to x" and the reason after it; the help desk is no recipient. */
  { "generic-your-message-to.eml", "generic",
    { { "wanda@campus.example.org", "5.0.911", 0, "failed", "no longer valid" } } },
  { "generic-unknown-mta.eml", "generic",
    { { "rosa@example.org", "5.3.0", 553, "failed", "no such user on this system" } } },
  /* A quoted SMTP session: a refused RCPT TO names the recipient; an
   * accepted one and our MAIL FROM nobody. */
  { "generic-session-log.eml", "generic",
    { { "zack@example.org", "5.1.1", 550, "failed", "<<< 550 5.1.1 mailbox unavailable, no such user" } } },
  /* The notice in HTML only, its plain alternative left blank. */
  { "generic-blank-plain-alternative.eml", "generic",
    { { "zed@example.org", "5.1.1", 550, "failed", "does not exist on this server" } } },
  /* A "Mail Delivery Service" sender; "address; Action: Delayed" lines. */
  { "generic-semicolon-action.eml", "generic",
    { { "ivy@example.org", "4.0.0", 0, "delayed", "Action: Delayed" } } },
  /* Addresses under a heading of failures, each with its own words. */
  { "generic-listed-words.eml", "generic",
    { { "jon@example.org", "5.0.911", 0, "failed", "is not a valid mailbox" },
      { "kai@example.net", "5.0.911", 0, "failed", "mailbox unknown" } } },
  /* No word of failure, only the remote's refusal: a reply code is one. */
  { "generic-reply-only.eml", "generic",
    { { "vic@example.org", "5.7.1", 554, "failed", "554 5.7.1 <vic@example.org>: Relay access denied" } } },
};

/* Short notices for shapes and branches the fixtures do not take. */
typedef struct {
  const char *name;
  const char *message;
  const char *addresses[3];
  const char *action;
  const char *status;  /* of the first recipient; NULL: not checked */
  const char *diagnostic_part;  /* in the first recipient's diagnostic; NULL: not checked */
} Inline;

static const Inline inline_cases[] = {
  /* "was automatically rejected" (Dovecot's and Sieve's wording, sent
   * without their MDN part) states the failure; the reason is under it. */
  { "automatically-rejected",
    "From: MAILER-DAEMON@mail.example.net\n"
    "Subject: Rejected: Winter catalogue\n\n"
    "Your message to <bert@example.org> was automatically rejected:\n"
    "I am away and read no mail until next year.\n",
    { "bert@example.org" }, "failed", NULL, "read no mail until next year" },
  /* "address - reason" on a line of its own; "Warning:" in the subject
   * does not make a failure a delay. */
  { "address-dash-reason",
    "From: MDaemon@mx.example.net\n"
    "Subject: Warning: abel@example.org - no such mailbox\n\n"
    "abel@example.org - no such user here.\n\n"
    "No mailbox by that name exists on this server.\n",
    { "abel@example.org" }, "failed", "5.0.911" },
  /* An auto-replied notice with a null Return-Path from a sender that
   * looks like nothing in particular: its returned message shows it is a
   * notice, not a help desk's answer. */
  { "auto-replied-returning-message",
    "Return-Path: <>\n"
    "From: Relay Notices <notices@relay.example.net>\n"
    "Auto-Submitted: auto-replied\n"
    "Subject: Undelivered mail\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"B\"\n\n"
    "--B\n"
    "Content-Type: text/plain\n\n"
    "Your message could not be delivered to the following recipient:\n\n"
    "  erik@example.org (550 no such user)\n\n"
    "--B\n"
    "Content-Type: text/rfc822-headers\n\n"
    "From: news@example.com\n"
    "To: erik@example.org\n"
    "Subject: Spring sale\n\n"
    "--B--\n",
    { "erik@example.org" }, "failed", "5.0.911", "550 no such user" },
  /* "The non-delivered message is attached": what follows is the original's. */
  { "attached-message-stop",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Mail delivery failed\n\n"
    "Your message could not be delivered to the following recipient:\n\n"
    "  abel@example.org (550 no such user)\n\n"
    "The non-delivered message is attached to this message.\n\n"
    "  bert@example.org\n",
    { "abel@example.org" }, "failed", "5.0.911", "550 no such user" },
  /* "was not delivered to x" (sisimai's "delivered to" lead-in, negated). */
  { "not-delivered-to",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Mail delivery failed\n\n"
    "Your message was not delivered to cleo@example.org because the\n"
    "mailbox is unavailable.\n\n"
    "Your message was delivered to dirk@example.org.\n",
    { "cleo@example.org" }, "failed", NULL, "mailbox is unavailable" },
  /* Exchange's wording for the list, the address on the same line. */
  { "failed-to-these-recipients",
    "From: postmaster@mail.example.net\n"
    "Subject: Undeliverable: Spring sale\n\n"
    "Delivery has failed to these recipients or groups: elsa@example.org\n"
    "The e-mail address you entered couldn't be found.\n",
    { "elsa@example.org" }, "failed", "5.0.911", "couldn't be found" },
  /* A bare "Address:" field names the recipient; the reason under it.
   * (A footer's "E-mail address:" names none.) */
  { "address-field",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Mail delivery failed\n\n"
    "The mail system could not deliver your message.\n\n"
    "Address: abby@example.org\n"
    "Reason: 550 mailbox unavailable\n\n"
    "If you need help, write to our support team.\n"
    "E-mail address: helpdesk@isp.example.net\n",
    { "abby@example.org" }, "failed", "5.0.911", "550 mailbox unavailable" },
  /* The reason leads the line and names the address. */
  { "mailbox-full-lead-in",
    "From: MAILER-DAEMON@isp.example.net\n"
    "Subject: Returned mail: your newsletter\n\n"
    "User's mailbox is full: <bert@example.org>\n"
    "Unable to deliver mail.\n",
    { "bert@example.org" }, "failed", "5.0.922" },
  /* Exchange-style wording from a sender without an address. */
  { "did-not-reach",
    "From: Postmaster <>\n"
    "Subject: Undeliverable: Autumn offers\n\n"
    "Your message\n\n"
    "  Subject: Autumn offers\n\n"
    "did not reach the following recipient: carl@example.org\n",
    { "carl@example.org" }, "failed", "5.0.901" },
  /* A list of "<address>:" lines under a statement in another language
   * (Chinese: "the mail could not be delivered to the addresses below"). */
  { "address-colon-lines",
    "From: MAILER-DAEMON@mail.example.cn\n"
    "Subject: =?UTF-8?B?6YCA5L+h?=\n"
    "Content-Type: text/plain; charset=UTF-8\n\n"
    "邮件无法发送到下列地址\n\n"
    "<dora@example.cn>:\n\n"
    "<emil@example.cn>:\n",
    { "dora@example.cn", "emil@example.cn" }, "failed", "5.0.901" },
  /* Statements in Russian ("your letter cannot be delivered") and Japanese
   * ("could not be delivered to the address below"). */
  { "russian-statement",
    "From: MAILER-DAEMON@mail.example.ru\n"
    "Subject: =?UTF-8?B?0J3QtdC00L7RgdGC0LDQstC70LXQvdC90L7QtSDQv9C40YHRjNC80L4=?=\n"
    "Content-Type: text/plain; charset=UTF-8\n\n"
    "Ваше письмо не может быть доставлено.\n\n"
    "<lev@example.ru>: 550 ящик не найден\n",
    { "lev@example.ru" }, "failed", "5.0.0" },
  { "japanese-statement",
    "From: postmaster@mail.example.jp\n"
    "Subject: =?UTF-8?B?6YWN6YCB44Ko44Op44O8?=\n"
    "Content-Type: text/plain; charset=UTF-8\n\n"
    "以下のアドレスに配信できませんでした。\n\n"
    "  mio@example.jp\n",
    { "mio@example.jp" }, "failed", "5.0.901" },
  /* A quoted address between the statement and a delay's wording. */
  { "postponed-quoted-address",
    "From: <Postmaster@gw.example.net>\n"
    "Subject: Mail Delivery Warning\n\n"
    "Delivery of your mail to this address\n\n"
    "\"fay@example.org\"\n\n"
    "has been postponed because the mailbox is full.\n"
    "We will keep trying for the next few days.\n",
    { "fay@example.org" }, "delayed", "4.0.922" },
  /* A delay whose last reply was a 552: still temporary. */
  { "delay-after-552",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Delivery delayed\n\n"
    "Your message to lou@example.org has not yet been delivered.\n"
    "The last attempt was answered: 552 5.2.2 mailbox full\n\n"
    "Delivery will be retried for 3 more days.\n",
    { "lou@example.org" }, "delayed", "4.2.2" },
  /* Delay words, but the notice says it gave up: a failure. */
  { "given-up",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Delivery failure\n\n"
    "Your message has been delayed for five days and we have now given up.\n\n"
    "Could not be delivered to: gus@example.org\n",
    { "gus@example.org" }, "failed", "5.0.901" },
  /* An automated sender counts with a failure subject; the bounce's own
   * address and a postmaster line are never recipients. */
  { "own-addresses-skipped",
    "From: Mail Gateway <gateway@gw.example.net>\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Delivery failed\n\n"
    "The following recipients could not be reached:\n\n"
    "  hana@example.org\n"
    "  bounces@bounce.example.com\n"
    "  postmaster@gw.example.net\n",
    { "hana@example.org" }, "failed", NULL },
  /* The reason after the address goes on over indented lines. */
  { "continued-reason",
    "From: MAILER-DAEMON@gw.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "The message below could not be delivered.\n\n"
    "<kurt@example.org>: host mx.example.org[192.0.2.7] said: 550\n"
    "    5.1.1 mailbox kurt unknown (in reply to RCPT TO\n"
    "    command)\n\n"
    "A message sent by\n\n"
    "  <news@example.com>\n",
    { "kurt@example.org" }, "failed", "5.1.1", "(in reply to RCPT TO command)" },
  /* "address on DATE" with the reason indented under it. */
  { "address-on-date",
    "From: System Administrator <postmaster@mail.example.net>\n"
    "Subject: Undeliverable: Autumn offers\n\n"
    "Your message could not be delivered to these recipients:\n\n"
    "qiu@example.org on 11/2/2026 10:00 AM\n"
    "    The e-mail account does not exist at the organization\n",
    { "qiu@example.org" }, "failed", "5.0.911", "account does not exist" },
  /* An address, a space and a failure in words: a recipient... */
  { "address-then-failure",
    "From: mailer-daemon@mail.example.net\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "A message you sent could not be delivered to all of its recipients.\n\n"
    "ruth@example.org Invalid Address, code 550, mailbox unavailable\n"
    "sam@example.org will read your message next week\n",
    { "ruth@example.org" }, "failed", NULL, "Invalid Address" },
  /* Outlook's "address<mailto:address>" on a line of its own. */
  { "mailto-suffix",
    "From: <postmaster@mail.example.net>\n"
    "Subject: Undeliverable: Autumn offers\n\n"
    "mx.example.org rejected your message to the following email addresses:\n\n"
    "tina@example.org<mailto:tina@example.org>\n"
    "The address was not found at the destination. Remote server returned\n"
    "'550 5.1.1 recipient rejected'\n",
    { "tina@example.org" }, "failed", "5.1.1", NULL },
  /* "a problem delivering your message to <x>" and the reply under it. */
  { "problem-delivering",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Mail delivery problem\n\n"
    "We ran into a problem delivering your message to <udo@example.org>:\n"
    "mx.example.org said: 550 5.1.1 <udo@example.org>: no mailbox here\n",
    { "udo@example.org" }, "failed", "5.1.1", "no mailbox here" },
  /* An administrator's mailbox with a non-delivery subject; a quoted name
   * before the address; "Old message:" begins the original.  (With CDO's
   * "--- Non-Delivery Report ---" heading it would be ndreport's.) */
  { "quoted-name-line",
    "From: <admin@mail.example.net>\n"
    "Subject: Non-Delivery: Autumn offers\n\n"
    "The message below could not be delivered to the following user:\n\n"
    "\"Vera Example\" <vera@example.org>\n\n"
    "Old message:\n\n"
    "\"Walt Example\" <walt@example.org>\n",
    { "vera@example.org" }, "failed", "5.0.901", NULL },
  /* Where to write instead, and a no-reply address, name nobody who failed. */
  { "advice-not-recipient",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Undeliverable mail\n\n"
    "Your message to inez@example.org could not be delivered: no such user.\n"
    "Please send your message to office@example.org instead.\n"
    "Replies addressed to noreply@mx.example.net are not read.\n",
    { "inez@example.org" }, "failed", "5.0.911" },
  /* Exchange's and MailEnable's "[SMTP:address]" after a field label. */
  { "smtp-bracket",
    "From: \"Delivery Subsystem\" <POSTMASTER@mx.example.net>\n"
    "Subject: Message Delivery Failure\n\n"
    "Your message could not be delivered to some recipients.\n\n"
    "\tRecipient: [SMTP:ivy@example.org]\n"
    "\tReason: Remote SMTP Server Returned: 550 5.1.1 mailbox unavailable\n",
    { "ivy@example.org" }, "failed", "5.1.1", "Remote SMTP Server Returned: 550 5.1.1" },
  /* A list names the address, a detail block under a "--" bullet names it
   * again with the reason: one recipient, both texts. */
  { "list-then-detail",
    "From: MAILER-DAEMON@mx.example.edu\n"
    "Subject: Returned mail - directory error report\n\n"
    " --------Message not delivered to the following addresses:\n\n"
    "            jon@example.edu\n\n"
    " --------Error Detail:\n\n"
    "---- jon@example.edu\n"
    "     has no final delivery point in the directory.\n\n"
    " --------Unsent Message below:\n"
    "To: jon@example.edu\n",
    { "jon@example.edu" }, "failed", "5.0.901", "has no final delivery point" },
  /* The reason stated once for all, above lists that each head one
   * address; the closing words after the last are nobody's reason. */
  { "common-reason-above-lists",
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    "Subject: Delivery failure\n\n"
    "This Message was undeliverable due to the following reason:\n\n"
    "Your message was not delivered because the destination computer was\n"
    "not reachable within the allowed queue period.\n\n"
    "The following recipients did not receive your message:\n\n"
    "     <eda@example.org>\n"
    "The following recipients did not receive your message:\n\n"
    "     <finn@example.org>\n\n"
    "Please reply to Postmaster@mx.example.com\n"
    "if you feel this message to be in error.\n",
    { "eda@example.org", "finn@example.org" }, "failed", "5.0.947", "allowed queue period" },
  /* An address alone on its line under words that state no failure (a
   * help desk to ask, the sender it wrote for) is nobody's failure. */
  { "addresses-for-help",
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "Subject: Delivery failure\n\n"
    "Your message to ana@example.org could not be delivered.\n"
    "Reason: mailbox full\n\n"
    "For assistance, reach our helpdesk at\n"
    "  desk@example.net\n\n"
    "This message was sent by mx.example.net on behalf of\n"
    "  news@example.com\n",
    { "ana@example.org" }, "failed", "5.0.922", "mailbox full" },
  /* Lists of recipients that succeeded or got copies are not failures. */
  { "succeeded-and-copies",
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "Subject: Delivery failure\n\n"
    "Delivery to the following recipients failed:\n\n"
    "  ana@example.org\n\n"
    "Delivery to the following recipients succeeded:\n\n"
    "  ben@example.org\n\n"
    "Copies were also sent to:\n"
    "  carl@example.org\n",
    { "ana@example.org" }, "failed", NULL, NULL },
  /* The notice's signature, after "-- ", names nobody. */
  { "signature-footer",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "Your message could not be delivered to the following recipients:\n\n"
    "  ana@example.org\n\n"
    "The mailbox does not exist.\n\n"
    "-- \n"
    "Example Net hosting team\n"
    "help@example.net\n",
    { "ana@example.org" }, "failed", "5.0.911", "mailbox does not exist" },
  { "closing-words-no-reason",
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    "Subject: Delivery failure\n\n"
    "This Message was undeliverable due to the following reason:\n\n"
    "The recipient's mailbox is full.\n\n"
    "The following recipients did not receive your message:\n\n"
    "     <gus@example.org>\n\n"
    "Please reply to Postmaster@mx.example.com\n"
    "if you feel this message to be in error.\n",
    { "gus@example.org" }, "failed", "5.0.922", "mailbox is full" },
  /* A reply quoted as one states the failure without words of failure:
   * after "said:" with no enhanced code, and at a line's start naming the
   * address it refused. */
  { "reply-after-said",
    "Return-Path: <>\n"
    "From: MAILER-DAEMON@gw.example.net\n"
    "Subject: Mail delivery report\n\n"
    "This is the mail gateway at gw.example.net.\n\n"
    "Recipient: <cora@example.org>\n"
    "Remote host said: 550 No such user here\n",
    { "cora@example.org" }, "failed", "5.0.911", "550 No such user here" },
  { "reply-at-line-start",
    "Return-Path: <>\n"
    "From: MAILER-DAEMON@gw.example.net\n"
    "Subject: Mail delivery report\n\n"
    "This is the mail gateway at gw.example.net.\n\n"
    "  dora@example.org\n\n"
    "Transcript:\n"
    "550 <dora@example.org>... Mailbox disabled for this recipient\n",
    { "dora@example.org" }, "failed", NULL, "Mailbox disabled" },
  /* "a; b; c" lists addresses (every recipient the message had): the first
   * is no recipient with the others as its reason. */
  { "semicolon-address-list",
    "Return-Path: <>\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "Your message could not be delivered to one of its recipients.\n\n"
    "Failed recipient: paul@example.org\n"
    "Reason: 550 5.1.1 mailbox unknown\n\n"
    "The message had these recipients in all:\n"
    "quinn@example.org; paul@example.org; rosa@example.org\n",
    { "paul@example.org" }, "failed", "5.1.1", "550 5.1.1 mailbox unknown" },
  /* "a; Action: Delivered" beside "b; Action: Delayed": the delivered one
   * is no recipient. */
  { "semicolon-action-delivered",
    "From: Mail Delivery Service <notices@mx.example.net>\n"
    "Subject: Delivery Status Notification (Mail Delivery Delayed)\n\n"
    " - This is only a notification about a delay in the delivery of your message.\n"
    " - The following recipients have not yet received your message:\n\n"
    "uma@example.org; Action: Delayed\n\n"
    " - The following recipients have received your message:\n\n"
    "vera@example.org; Action: Delivered\n\n"
    " - The server will continue trying for up to 21 hours.\n",
    { "uma@example.org" }, "delayed", NULL, "Action: Delayed" },
  /* A heading that lists failures heads its list only: the lines after
   * the blank line that ends it, led by the sender's or a contact's
   * address, name no recipient. */
  { "list-then-address-lines",
    "Return-Path: <>\n"
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "The following recipients could not be reached:\n\n"
    "   zoe@example.org\n\n"
    "news@example.com sent this message on Tue, 17 Nov 2026 09:12 +0100.\n"
    "abuse@relay.example.net handles complaints about this server.\n",
    { "zoe@example.org" }, "failed", NULL, NULL },
};

static void
test_inline (gconstpointer data)
{
  const Inline *c = data;
  g_autoptr (OobReport) report = oob_parse_message (c->message, strlen (c->message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_BOUNCE);
  g_assert_cmpstr (report->parser, ==, "generic");
  guint expected = 0;
  while (expected < G_N_ELEMENTS (c->addresses) && c->addresses[expected])
    expected++;
  g_assert_cmpuint (report->recipients->len, ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      g_assert_cmpstr (rcpt->final_recipient, ==, c->addresses[i]);
      g_assert_cmpstr (rcpt->action, ==, c->action);
    }
  OobRecipient *first = g_ptr_array_index (report->recipients, 0);
  if (c->status)
    g_assert_cmpstr (first->status, ==, c->status);
  if (c->diagnostic_part)
    {
      g_assert_nonnull (first->diagnostic);
      g_assert_nonnull (strstr (first->diagnostic, c->diagnostic_part));
    }
}

/* A notice that sorts its recipients under headings by outcome: the
 * heading, not the notice's delay wording, decides each one's action, and
 * the delivered one is no recipient. */
static void
test_mixed_sections (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@gw.example.net\n"
    "Subject: Delivery report\n\n"
    "Delivery report for your message.\n\n"
    "=== Permanent errors: ===\n"
    "<mara@example.org>: 550 5.1.1 no such mailbox\n\n"
    "=== Temporary errors, still trying: ===\n"
    "<nils@example.net>: 451 4.4.1 no answer from host\n\n"
    "=== Delivered successfully: ===\n"
    "<otto@example.org>\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpstr (report->parser, ==, "generic");
  g_assert_cmpuint (report->recipients->len, ==, 2);
  OobRecipient *failed = g_ptr_array_index (report->recipients, 0);
  OobRecipient *delayed = g_ptr_array_index (report->recipients, 1);
  g_assert_cmpstr (failed->final_recipient, ==, "mara@example.org");
  g_assert_cmpstr (failed->action, ==, "failed");
  g_assert_cmpstr (failed->status, ==, "5.1.1");
  g_assert_cmpstr (delayed->final_recipient, ==, "nils@example.net");
  g_assert_cmpstr (delayed->action, ==, "delayed");
  g_assert_cmpstr (delayed->status, ==, "4.4.1");
}

/* A long list of addresses, each explained by the reply line that quotes
 * it further down: every recipient gets its own reply, and the list ends
 * at the report's limit without error. */
static void
test_long_list (void)
{
  GString *message = g_string_new ("From: MAILER-DAEMON@gw.example.net\n"
                                   "Subject: Undelivered Mail\n\n"
                                   "These addresses could not be delivered:\n\n");
  for (int i = 0; i < 300; i++)
    g_string_append_printf (message, "  user%d@example.org\n", i);
  g_string_append (message, "\nReplies:\n");
  for (int i = 299; i >= 0; i--)
    g_string_append_printf (message, "550 5.1.%d <user%d@example.org> refused\n", i % 2 ? 1 : 2, i);
  g_autoptr (OobReport) report = oob_parse_message (message->str, message->len);
  g_string_free (message, TRUE);
  g_assert_cmpstr (report->parser, ==, "generic");
  g_assert_cmpuint (report->recipients->len, ==, 300);
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      g_autofree char *address = g_strdup_printf ("user%u@example.org", i);
      g_autofree char *quoted = g_strdup_printf ("<%s>", address);
      g_assert_cmpstr (rcpt->final_recipient, ==, address);
      g_assert_nonnull (strstr (rcpt->diagnostic, quoted));
      g_assert_cmpstr (rcpt->status, ==, i % 2 ? "5.1.1" : "5.1.2");
    }
}

/* Messages the gate or the reader must refuse: kind unknown. */
typedef struct {
  const char *name;
  const char *message;
} Negative;

static const Negative negatives[] = {
  /* An address with words after it, under a heading that lists no
   * failures, is no recipient (the notice fails elsewhere). */
  { "listed-under-other-heading",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "Your message could not be delivered to some recipients.\n\n"
    "Copies went to these addresses:\n"
    "  lee@example.org as requested\n" },
  /* A mail system's announcement quoting the reply it will give: a reply
   * code states a failure, but an address to write to is no recipient. */
  { "announcement-quoting-reply",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Mail system notice\n\n"
    "From 1 December, messages without a DKIM signature will be refused with\n"
    "550 5.7.26 Unauthenticated mail is not accepted.\n\n"
    "Please write to:\n"
    "  helpdesk@example.net\n" },
  /* A person's message: failure words everywhere, no mail-system mark. */
  { "person-failure-subject",
    "From: Ida Writer <ida@example.net>\n"
    "Return-Path: <ida@example.net>\n"
    "Subject: Mail delivery failed for my parcel\n\n"
    "The courier could not be delivered to: jan@example.org, again.\n\n"
    "  kai@example.org\n" },
  /* An automated-looking sender needs a failure-notice subject too. */
  { "weak-sender-plain-subject",
    "From: noreply@shop.example.net\n"
    "Subject: Your order has shipped\n\n"
    "Your parcel could not be delivered to: lea@example.org\n" },
  /* A mail system's notice that reports success. */
  { "success-notice",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Delivery Status Notification (Success)\n\n"
    "Your message was delivered to the following recipient:\n\n"
    "  max@example.org\n" },
  /* A reply, even from a mail-system mailbox. */
  { "reply-subject",
    "From: postmaster@example.net\n"
    "Subject: Re: Undeliverable: Autumn offers\n\n"
    "We checked: the message could not be delivered to:\n\n"
    "  ned@example.org\n" },
  /* The failed-looking address is only in the quoted original. */
  { "address-after-cut",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "Your message could not be delivered.\n\n"
    "----- Original message -----\n"
    "To: olaf@example.org\n\n"
    "  olaf@example.org\n" },
  /* A contact address under "please contact" names nobody who failed. */
  { "contact-only",
    "From: MAILER-DAEMON@relay.example.net\n"
    "Subject: Undelivered Mail\n\n"
    "Your message could not be delivered.  For help please contact:\n\n"
    "  helpdesk@example.net\n" },
  /* A help desk's automatic acknowledgement quoting the request it got,
   * a pasted notice among it: a quoted passage names nobody. */
  { "helpdesk-quoting-notice",
    "From: Example Support <no-reply@desk.example.net>\n"
    "Auto-Submitted: auto-replied\n"
    "Subject: [#5521] Mail delivery failed\n\n"
    "We received your request and opened ticket #5521.  Your message:\n\n"
    "> I keep getting this when I write to your sales team:\n"
    "> The following address(es) failed:\n"
    ">   sales@example.org\n"
    ">     550 5.1.1 User unknown\n\n"
    "We will answer within two working days.\n" },
  /* A help desk's acknowledgement (an RFC 3834 auto-reply, null
   * Return-Path) echoing a request that pasted a notice unquoted. */
  { "helpdesk-auto-reply",
    "Return-Path: <>\n"
    "From: Example Support <support@desk.example.net>\n"
    "Auto-Submitted: auto-replied\n"
    "Subject: [#5522] Undeliverable: invoice\n\n"
    "Thank you for contacting us; ticket #5522 was opened.  Your message:\n\n"
    "Delivery has failed to these recipients or groups:\n"
    "billing@example.org\n"
    "The e-mail address you entered couldn't be found.\n\n"
    "We will reply soon.\n" },
  /* A postmaster writing in a mail client about a notice. */
  { "postmaster-in-client",
    "From: Postmaster <postmaster@example.net>\n"
    "User-Agent: Mozilla Thunderbird\n"
    "Subject: Your mail to our users\n\n"
    "One of our users got this back:\n\n"
    "Delivery has failed to these recipients or groups:\n\n"
    "grace@example.org\n"
    "The e-mail address you entered couldn't be found.\n" },
  /* A postmaster asking in Gmail's web app, which names no client but
   * gives its own Message-ID. */
  { "postmaster-in-gmail",
    "From: Postmaster <postmaster@example.net>\n"
    "Message-ID: <CAH7x+q9Zk1LmN0pQ@mail.gmail.com>\n"
    "Subject: Bounces from your list\n\n"
    "Our logs show that for your last run the following address(es) failed:\n\n"
    "  alice@example.net\n"
    "  bob@example.net\n\n"
    "They are valid mailboxes.\n" },
};

/* Mail that arrives at a bounce address carrying a mark this session's
 * widenings read, but that is no notice. */
static const Negative session_negatives[] = {
  /* "Mail Delivery Service" within a longer name is a company's service
   * (a parcel carrier), not a mail system. */
  { "parcel-mail-delivery-service",
    "Return-Path: <tracking@parcels.example.net>\n"
    "From: Parcel Mail Delivery Service <tracking@parcels.example.net>\n"
    "Subject: We missed you today - parcel 4471 0932\n\n"
    "We were unable to deliver your parcel 4471 0932 today because nobody\n"
    "was at home.\n\n"
    "Recipient: alice@example.org\n"
    "Address: 12 Harbour Street, Springfield\n" },
  /* A reply code a person mentions in prose quotes no reply. */
  { "postmaster-prose-reply-code",
    "Return-Path: <postmaster@example.net>\n"
    "From: Example.net Postmaster <postmaster@example.net>\n"
    "Subject: Question about your mailing to our users\n\n"
    "Our filter answered your server with 550 5.7.1 a few times this week\n"
    "because your messages lacked a DKIM signature.  The users who asked\n"
    "me about it are:\n\n"
    "grace@example.org\n"
    "henry@example.org\n\n"
    "They do want your newsletter.\n" },
  /* A help desk's acknowledgement with a null Return-Path: a ticket number
   * is no reply code. */
  { "ticket-number-null-return-path",
    "Return-Path: <>\n"
    "From: Example Support <support@example.net>\n"
    "Subject: [Ticket 512] We received your request\n\n"
    "Thank you for contacting us.  Your request has been logged as\n"
    "ticket 512 and a member of our team will answer within one working day.\n\n"
    "Requester: ivan@example.org\n"
    "ivan@example.org: priority normal\n" },
  /* A calendar daemon's confirmation: "Room 512 - Second floor" is no
   * reply, and the attendees are nobody's failure. */
  { "calendar-room-number",
    "Return-Path: <>\n"
    "From: Calendar <calendar-daemon@example.net>\n"
    "Auto-Submitted: auto-generated\n"
    "Subject: Room booking confirmed: Room 512 - 10:00\n\n"
    "Your booking is confirmed.\n\n"
    "Room 512 - Second floor\n"
    "Organiser: sam@example.org\n"
    "Attendees:\n"
    "sam@example.org\n"
    "tina@example.org\n" },
  /* A postmaster's follow-up (Outlook on the web names no client): a
   * message "was rejected" by a person's account of it is no delivery
   * agent's "was automatically rejected". */
  { "postmaster-message-was-rejected",
    "Return-Path: <postmaster@example.net>\n"
    "From: Postmaster <postmaster@example.net>\n"
    "Thread-Index: AdtYc2x0k3d9Qm1kT0uWc2x0k3d9Qm==\n"
    "Subject: About last week's newsletter\n\n"
    "Your message to leo@example.net was rejected by our new filter last\n"
    "Tuesday.  We have since added your servers to our allow list.\n" },
  /* Already refused: a challenge-response system holding the message, and
   * a list holding it for its moderator, null Return-Path both. */
  { "challenge-response",
    "Return-Path: <>\n"
    "From: Mail Delivery Service <verify@cr.example.net>\n"
    "Subject: Please confirm your message to xena@example.net\n\n"
    "xena@example.net protects her inbox from spam.  Your message has been\n"
    "held and will be delivered once you confirm that you are a person:\n\n"
    "https://cr.example.net/confirm?id=4471\n" },
  { "list-held-for-moderator",
    "Return-Path: <>\n"
    "From: lists@lists.example.net\n"
    "Subject: Your message to announce@lists.example.net awaits moderator approval\n\n"
    "Your mail to 'Announce' with the subject\n\n"
    "    Winter catalogue\n\n"
    "Is being held until the list moderator can review it for approval.\n" },
};

static void
test_negative (gconstpointer data)
{
  const Negative *c = data;
  g_autoptr (OobReport) report = oob_parse_message (c->message, strlen (c->message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

static void
test_negative_fixture (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("other", "person-undeliverable-subject.eml");
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-generic/fixture/%s", cases[i].file);
      g_test_add_data_func (name, &cases[i], oob_test_bounce_fixture);
      g_autofree char *ends = g_strdup_printf ("/bounce-generic/line-ends/%s", cases[i].file);
      g_test_add_data_func (ends, &cases[i], oob_test_bounce_line_ends);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (inline_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-generic/inline/%s", inline_cases[i].name);
      g_test_add_data_func (name, &inline_cases[i], test_inline);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (negatives); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-generic/negative/%s", negatives[i].name);
      g_test_add_data_func (name, &negatives[i], test_negative);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (session_negatives); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-generic/negative/%s", session_negatives[i].name);
      g_test_add_data_func (name, &session_negatives[i], test_negative);
    }
  g_test_add_func ("/bounce-generic/mixed-sections", test_mixed_sections);
  g_test_add_func ("/bounce-generic/long-list", test_long_list);
  g_test_add_func ("/bounce-generic/negative/person-undeliverable-fixture", test_negative_fixture);
  return g_test_run ();
}
