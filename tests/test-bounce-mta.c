/* test-bounce-mta.c - the plain-text bounce families of open-source MTAs
 * (qmail, Exim, Sendmail, Postfix, OpenSMTPD, dma) and the generic last
 * resort, read from fixtures/nonstandard through oob_parse_message(). */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "parse.h"

static const OobTestBounceCase cases[] = {
  { "qmail-two-recipients.eml", "qmail",
    { { "alice@example.org", "5.1.1", 550, "failed", "no mailbox by this name here" },
      { "bruno@example.net", "5.1.1", 0, "failed", "(#5.1.1)" } } },
  { "exim-failed.eml", "exim",
    { { "erin@example.org", "5.0.911", 550, "failed", "550 no such person at this address" } } },
  { "exim-delayed.eml", "exim",
    { { "gina@example.org", "4.3.2", 451, "delayed", "system busy" } } },
  /* A hidden address stands for the one it was generated from. */
  { "exim-undisclosed.eml", "exim",
    { { "kim@example.org", "5.0.922", 0, "failed", "mailbox is full" },
      { "lou@example.org", "5.0.912", 0, "failed", "Unrouteable address" } } },
  { "sendmail-text.eml", "sendmail",
    { { "hugo@example.org", "5.1.1", 550, "failed", "mailbox unknown here" },
      { "iris@example.net", "5.2.2", 552, "failed", "no space left" } } },
  { "sendmail-v5.eml", "sendmail",
    { { "jack@example.org", "5.0.909", 550, "failed", "relaying is not allowed" },
      { "kate@nowhere.example.test", "5.0.912", 550, "failed", "Host unknown" } } },
  /* A result line naming no address is about the message: the listed
   * recipient without a reason of its own takes it. */
  { "sendmail-expanded-hops.eml", "sendmail",
    { { "pat@home.example.org", "5.4.6", 554, "failed", "Too many hops 26 (25 max)" } } },
  /* A transcript naming only the host: the returned message's To: failed. */
  { "sendmail-v5-deferred.eml", "sendmail",
    { { "lena@example.org", "4.0.944", 421, "failed", "Connection refused" } } },
  /* A transcript naming no one: the returned To:, the remote's reply. */
  { "sendmail-v5-no-address.eml", "sendmail",
    { { "wade@example.org", "5.7.1", 554, "failed", "554 5.7.1 Message refused: content not accepted here" } } },
  /* A local delivery: the agent's words, not Sendmail's summary of them. */
  { "sendmail-local-agent.eml", "sendmail",
    { { "ada@example.org", "5.0.911", 0, "failed", "mail.local: unknown user: ada" },
      { "bea@example.org", "5.0.922", 0, "failed", "mail.local: Disc quota exceeded" } } },
  /* The SMTP server's notice to the postmaster: RCPT TO and the last error reply. */
  { "postfix-server-errors.eml", "postfix",
    { { "sam@example.org", "4.3.1", 452, "failed", "insufficient system storage" } } },
  { "postfix-text.eml", "postfix",
    { { "liam@example.org", "5.1.1", 550, "failed", "recipient not known on this server" },
      { "mona@example.net", "5.0.922", 0, "failed", "mailbox is full" } } },
  /* A site's own intro; only the signature line is Postfix's. */
  { "postfix-rewritten-intro.eml", "postfix",
    { { "pia@example.org", "5.2.2", 552, "failed", "mailbox quota exceeded" },
      { "ron@mail.example.net", "5.0.911", 0, "failed", "unknown user: \"ron\"" } } },
  /* No recipient lines: the returned message's single To:, no reason. */
  { "postfix-report-unavailable.eml", "postfix", { { "tom@example.org", "5.0.900", 0, "failed", NULL } } },
  { "opensmtpd.eml", "opensmtpd",
    { { "nina@example.org", "5.1.1", 550, "failed", "mailbox nina not found" },
      { "oscar@example.net", "5.0.912", 0, "failed", "Domain does not exist" } } },
  { "dragonfly.eml", "dragonfly",
    { { "quinn@example.org", "5.2.2", 552, "failed", "did not like our RCPT TO: 552 5.2.2" } } },
  { "courier-text.eml", "courier",
    { { "tara@example.org", "5.1.1", 550, "failed", "this mailbox is not in use" },
      { "ugo@example.net", "5.0.934", 552, "failed", "552 message size exceeds the limit" } } },
  /* Courier's stamps, its text reworded: the list is the "<address>:" blocks. */
  { "courier-reworded.eml", "courier",
    { { "vic@example.org", "5.1.1", 550, "failed", "no such mailbox here" } } },
  { "generic-unknown-mta.eml", "generic",
    { { "rosa@example.org", "5.3.0", 553, "failed", "no such user on this system" } } },
  /* Reasons after a colon on the address line; "address <parent>:" names
   * the address the failing one was routed from. */
  { "exim-same-line-reasons.eml", "exim",
    { { "hana@example.org", "5.0.932", 0, "failed", "no host found for existing SMTP connection" },
      { "ivo@mail.example.net", "5.0.947", 0, "failed", "retry timeout exceeded" } } },
  /* Pipes and files stand for the address that generated them. */
  { "exim-pipe-generated-by.eml", "exim",
    { { "una@example.org", "5.0.930", 0, "failed", "local delivery failed" },
      { "vera@example.org", "5.0.922", 0, "failed", "mailbox is full" } } },
  /* An address Exim could not parse: a syntax error. */
  { "exim-incorrectly-constructed.eml", "exim",
    { { "bob..smith@example.org", "5.0.902", 0, "failed", "malformed address" } } },
  /* qmail-send's stamps, with a greeting and a separator of the site's own. */
  { "qmail-rewritten-greeting.eml", "qmail",
    { { "emma@example.net", "5.1.1", 0, "failed", "not known here, sorry. (#5.1.1)" },
      { "felix@example.net", "5.0.922", 0, "failed", "mailbox is full" } } },
};


static void
test_remote_mta (void)
{
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", "postfix-text.eml", &len);
  g_autoptr (OobReport) report = oob_parse_message (text, len);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  OobRecipient *first = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (first->remote_mta, ==, "mx.example.org");
  /* The returned message is read for its headers, not its recipients. */
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.p1q2r3@mailer.example.com");
}

/* A DSN without Diagnostic-Code takes the reason from its notice text. */
static void
test_dsn_gap_filled (void)
{
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", "opensmtpd-report-no-diagnostic.eml", &len);
  g_autoptr (OobReport) report = oob_parse_message (text, len);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  OobRecipient *rcpt = oob_test_only_recipient (report, "rfc3464");
  g_assert_cmpstr (rcpt->final_recipient, ==, "sven@example.org");
  g_assert_cmpstr (rcpt->diagnostic, ==, "Domain does not exist");
  g_assert_cmpstr (rcpt->status, ==, "5.0.912");
  g_assert_cmpstr (rcpt->action, ==, "failed");
}

/* Short notices for the branches the fixtures do not take. */
typedef struct {
  const char *name;
  const char *message;
  const char *parser;
  const char *address;
  const char *action;
  const char *status;
} Inline;

static const Inline inline_cases[] = {
  { "sendmail-transient",
    "From: Mail Delivery Subsystem <MAILER-DAEMON@gw.example.net>\n"
    "Subject: Warning: could not send message for past 4 hours\n\n"
    "   ----- The following addresses had transient non-fatal errors -----\n"
    "<xena@example.org>\n\n"
    "   ----- Transcript of session follows -----\n"
    "xena@example.org... Deferred: Connection timed out with mx.example.org.\n"
    "Warning: message still undelivered after 4 hours\n\n"
    "   ----- Original message follows -----\n\n"
    "To: yuri@example.net\n",
    "sendmail", "xena@example.org", "delayed", "4.0.947" },
  { "postfix-warning",
    "From: MAILER-DAEMON@out.example.net (Mail Delivery System)\n"
    "Subject: Delayed Mail (still being retried)\n\n"
    "This is the mail system at host out.example.net.\n\n"
    "####################################################################\n"
    "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
    "####################################################################\n\n"
    "<zoe@example.org>: connect to mx.example.org[192.0.2.94]:25: Connection\n"
    "    refused\n",
    "postfix", "zoe@example.org", "delayed", "4.0.944" },
  /* A success report (without its delivery-status part) fails nobody. */
  { "postfix-success",
    "From: MAILER-DAEMON@out.example.net (Mail Delivery System)\n"
    "Subject: Successful Mail Delivery Report\n\n"
    "This is the mail system at host out.example.net.\n\n"
    "Your message was successfully delivered to the destination(s)\n"
    "listed below.\n\n"
    "                   The mail system\n\n"
    "<amy@example.org>: delivery via mx.example.org[192.0.2.5]:25: 250 2.0.0 Ok:\n"
    "    queued as 4ABCD\n",
    "postfix", "amy@example.org", "delivered", "2.0.0" },
  { "exim-failed-header-only",
    "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "X-Failed-Recipients: abel@example.org\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n"
    "  save to /var/mail/shared\n"
    "    generated by abel@example.org\n"
    "    mailbox is full (MTA-imposed quota exceeded while writing)\n",
    "exim", "abel@example.org", "failed", "5.0.922" },
  /* A qmail setup that writes "To: <address>:". */
  { "qmail-to-prefix",
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: failure notice\n\n"
    "Hi. This is the qmail-send program at mx.example.net.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
    "To: <abe@example.org>:\n"
    "Sorry, no mailbox here by that name. (#5.1.1)\n\n"
    "--- Below this line is a copy of the message.\n\n"
    "To: <zed@example.org>:\n",
    "qmail", "abe@example.org", "failed", "5.1.1" },
  /* A rewritten template that indents with tabs. */
  { "exim-tab-indented",
    "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\n"
    "Subject: Mail delivery failed: returning message to sender\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n"
    "\tcara@example.org\n"
    "\t\tSMTP error from remote mail server after RCPT TO:<cara@example.org>:\n"
    "\t\thost mx.example.org [192.0.2.1]: 550 5.1.1 no such user\n",
    "exim", "cara@example.org", "failed", "5.1.1" },
  { "generic-delayed",
    "From: postmaster@gw.example.net\n"
    "Subject: Delivery Status Notification (Delay)\n\n"
    "This is an automatically generated notice.\n"
    "THIS IS A WARNING MESSAGE ONLY.\n\n"
    "Delivery to the following recipient has been delayed:\n\n"
    "     bea@example.org\n\n"
    "Message will be retried for 2 more day(s)\n",
    "generic", "bea@example.org", "delayed", NULL },
};

static void
test_inline (gconstpointer data)
{
  const Inline *c = data;
  g_autoptr (OobReport) report = oob_parse_message (c->message, strlen (c->message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_BOUNCE);
  g_assert_cmpstr (report->parser, ==, c->parser);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->final_recipient, ==, c->address);
  g_assert_cmpstr (rcpt->action, ==, c->action);
  if (c->status)
    g_assert_cmpstr (rcpt->status, ==, c->status);
}

/* Courier's delay notice reports a delay, not a failure. */
static void
test_courier_delay (void)
{
  static const char message[] =
    "From: postmaster@courier.example.net\n"
    "To: bounces+wim=example.org@bounce.example.com\n"
    "Subject: WARNING: delayed mail.\n"
    "\n"
    "This is a delivery status notification from courier.example.net,\n"
    "running the Courier mail server, version 1.1.\n"
    "\n"
    "                        DELAYS IN DELIVERING YOUR MESSAGE\n"
    "\n"
    "This is a warning message only.  We will keep trying for a while.\n"
    "Your message to the following recipients is still in the queue:\n"
    "\n"
    "<wim@example.org>:\n"
    "    mx.example.org [192.0.2.93]:\n"
    "<<< 451 4.3.0 mailbox temporarily locked\n"
    "\n"
    "---------------------------------------------------------------------------\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "courier");
  g_assert_cmpstr (rcpt->final_recipient, ==, "wim@example.org");
  g_assert_cmpstr (rcpt->action, ==, "delayed");
  g_assert_cmpstr (rcpt->status, ==, "4.3.0");
  g_assert_cmpint (rcpt->smtp_code, ==, 451);
  g_assert_cmpstr (rcpt->remote_mta, ==, "mx.example.org");
}

/* Courier's dialogue names the stage: "no such user" after DATA, once
 * the mailbox had been accepted, is a filter's refusal. */
static void
test_courier_stage (void)
{
  static const char message[] =
    "From: postmaster@courier.example.net\n"
    "Subject: NOTICE: mail delivery status.\n\n"
    "This is a delivery status notification from courier.example.net,\n"
    "running the Courier mail server, version 1.1.\n\n"
    "Your message to the following recipients cannot be delivered:\n\n"
    "<ida@example.org>:\n"
    "    mx.example.org [192.0.2.93]:\n"
    ">>> DATA\n"
    "<<< 550 no such user here\n\n"
    "---------------------------------------------------------------------------\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "courier");
  g_assert_cmpstr (rcpt->smtp_command, ==, "DATA");
  g_assert_cmpstr (rcpt->status, ==, "5.0.910");
  g_assert_null (strstr (rcpt->diagnostic, ">>>"));
}

/* Sendmail's transcript names the command each refusal answered. */
static void
test_sendmail_stage (void)
{
  static const char message[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@gw.example.net>\n"
    "Subject: Returned mail: see transcript for details\n\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<ida@example.org>\n"
    "    (reason: 550 User unknown)\n\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.org.:\n"
    ">>> DATA\n"
    "<<< 550 User unknown\n"
    "554 5.0.0 <ida@example.org>... Service unavailable\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "sendmail");
  g_assert_cmpstr (rcpt->smtp_command, ==, "DATA");
  g_assert_cmpstr (rcpt->status, ==, "5.0.910");
}

/* Courier's success report lists delivered recipients. */
static void
test_courier_success (void)
{
  static const char message[] =
    "From: postmaster@courier.example.net\n"
    "Subject: NOTICE: mail delivery status.\n\n"
    "This is a delivery status notification from courier.example.net,\n"
    "running the Courier mail server, version 1.1.\n\n"
    "Your message was successfully delivered to the following recipients:\n\n"
    "<ann@example.org>:\n"
    "    mx.example.org [192.0.2.93]:\n"
    "<<< 250 ok\n\n"
    "---------------------------------------------------------------------------\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "courier");
  g_assert_cmpstr (rcpt->action, ==, "delivered");
  g_assert_cmpint (oob_recipient_kind (report, rcpt), ==, OOB_KIND_DELIVERED);
}

/* Courier's subject on a person's message is no Courier notice. */
static void
test_courier_stamps (void)
{
  static const char message[] =
    "From: Ann Reader <ann@example.net>\n"
    "Subject: NOTICE: mail delivery status.\n\n"
    "Our list of who did not get the newsletter:\n\n"
    "<abe@example.org>:\n"
    "    mx.example.org [192.0.2.93]:\n"
    "<<< 550 5.1.1 no such mailbox here\n\n"
    "---------------------------------------------------------------------------\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpstr (report->parser, !=, "courier");
}

/* A notice with a greeting that is not qmail-send's is qmail's only when
 * a mail system sends it with qmail-send's stamps, and its recipients are
 * the "<address>:" lines that open a paragraph. */
static void
test_qmail_stamps (void)
{
  static const char *const not_qmail[] = {
    /* qmail's subject and Received line, but a person wrote it. */
    "From: Ann Reader <ann@example.net>\n"
    "Received: (qmail 4242 invoked for bounce); 1 Nov 2026 10:00:00 -0000\n"
    "Subject: failure notice\n\n"
    "We could not reach you.\n\n"
    "<abe@example.org>:\n"
    "no mailbox here by that name.\n\n"
    "--- Below this line is a copy of the message.\n",
    /* qmail-send's own words, pasted by a person (their envelope sender). */
    "Return-Path: <ann@example.net>\n"
    "From: Ann Reader <ann@example.net>\n"
    "Subject: failure notice\n\n"
    "Hi. This is the qmail-send program at mail.example.net.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
    "<abe@example.org>:\n"
    "no mailbox here by that name.\n\n"
    "Is that address still yours?\n",
    /* A mail system, but nothing of qmail-send's. */
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Returned mail\n\n"
    "We could not reach you.\n\n"
    "<abe@example.org>:\n"
    "no mailbox here by that name.\n\n"
    "--- Below this line is a copy of the message.\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (not_qmail); i++)
    {
      g_autoptr (OobReport) report = oob_parse_message (not_qmail[i], strlen (not_qmail[i]));
      g_assert_cmpstr (report->parser, !=, "qmail");
    }

  static const char stamped[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "Received: (qmail 4242 invoked for bounce); 1 Nov 2026 10:00:00 -0000\n"
    "Subject: failure notice\n\n"
    "Our apologies; write to help@example.net for help, quoting\n"
    "<cleo@example.org>: as the address.\n\n"
    "<dino@example.org>:\n"
    "no mailbox here by that name.\n\n"
    "--- Below this line is a copy of the message.\n\n"
    "<eve@example.org>:\n"
    "quoted text.\n";
  g_autoptr (OobReport) report = oob_parse_message (stamped, strlen (stamped));
  OobRecipient *rcpt = oob_test_only_recipient (report, "qmail");
  g_assert_cmpstr (rcpt->final_recipient, ==, "dino@example.org");
}

/* Sendmail's "(expanded from: address)" names the address the message was
 * sent to, which an alias turned into the one that failed. */
static void
test_sendmail_expanded_from (void)
{
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", "sendmail-expanded-hops.eml", &len);
  g_autoptr (OobReport) report = oob_parse_message (text, len);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->final_recipient, ==, "pat@home.example.org");
  g_assert_cmpstr (rcpt->original_recipient, ==, "pat@example.org");
}

/* Postfix's "refused to talk to me: 550 ...": the greeting's reply code;
 * refused before any address, our host is blocked.  The diagnostic is the
 * reply, as the delivery-status part would carry it, the host and stage
 * read from Postfix's words around it. */
static void
test_postfix_refused_greeting (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@out.example.net (Mail Delivery System)\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "This is the mail system at host out.example.net.\n\n"
    "<abe@example.org>: host mx.example.org[192.0.2.5] refused to talk to me: 550\n"
    "    Please go away\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "postfix");
  g_assert_cmpint (rcpt->smtp_code, ==, 550);
  g_assert_cmpstr (rcpt->status, ==, "5.0.971");
  g_assert_cmpstr (rcpt->diagnostic, ==, "550 Please go away");
  g_assert_cmpstr (rcpt->remote_mta, ==, "mx.example.org");
  g_assert_cmpstr (rcpt->smtp_command, ==, "CONN");
}

/* A reworded Exim notice is Exim's by its Message-ID when a mail system
 * sends it with the Auto-Submitted field Exim puts on every notice; the
 * same text from a person is no bounce, nor is a postmaster's own message
 * (Exim gives every message such an ID). */
static void
test_exim_message_id (void)
{
  static const char notice[] =
    "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\n"
    "Subject: Returned message\n"
    "Auto-Submitted: auto-replied\n"
    "Message-Id: <E1aBcDe-000123-Xy@relay.example.net>\n\n"
    "Our mail server could not pass your message on.\n"
    "The following address(es) failed:\n\n"
    "  dana@example.org\n"
    "    SMTP error from remote mail server after RCPT TO:<dana@example.org>:\n"
    "    host mx.example.org [192.0.2.1]: 550 5.1.1 no such user\n";
  g_autoptr (OobReport) report = oob_parse_message (notice, strlen (notice));
  g_assert_cmpstr (report->parser, ==, "exim");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (((OobRecipient *) g_ptr_array_index (report->recipients, 0))->status, ==, "5.1.1");

  g_autoptr (GString) personal = g_string_new (notice);
  g_string_replace (personal, "Mail Delivery System <Mailer-Daemon@relay.example.net>", "Ann Reader <ann@example.net>", 1);
  g_autoptr (OobReport) other = oob_parse_message (personal->str, personal->len);
  g_assert_cmpint (other->type, ==, OOB_REPORT_UNKNOWN);

  g_autoptr (GString) postmaster = g_string_new (notice);
  g_string_replace (postmaster, "Auto-Submitted: auto-replied\n", "", 1);
  g_autoptr (OobReport) written = oob_parse_message (postmaster->str, postmaster->len);
  g_assert_cmpstr (written->parser, !=, "exim");
}

/* Exim's subjects and its software line are text a person can paste into
 * a message of their own: from a person's address, or written in a mail
 * client, they mark no notice. */
static void
test_exim_pasted_by_person (void)
{
  static const char notice[] =
    "From: Relay <mail@relay.example.net>\n"
    "Subject: Delivery Status Notification\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n"
    "  dana@example.org\n"
    "    SMTP error from remote mail server after RCPT TO:<dana@example.org>:\n"
    "    host mx.example.org [192.0.2.1]: 550 5.1.1 no such user\n";
  g_autoptr (OobReport) report = oob_parse_message (notice, strlen (notice));
  OobRecipient *rcpt = oob_test_only_recipient (report, "exim");
  g_assert_cmpstr (rcpt->status, ==, "5.1.1");

  static const char *const from_person[] = {
    "Return-Path: <jane@example.net>\n",   /* a person's envelope sender */
    "User-Agent: Mozilla Thunderbird\n",   /* a mail client */
    "X-Mailer: Microsoft Outlook 16.0\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (from_person); i++)
    {
      g_autofree char *pasted = g_strconcat (from_person[i], notice, NULL);
      g_autoptr (OobReport) other = oob_parse_message (pasted, strlen (pasted));
      g_assert_cmpint (other->type, ==, OOB_REPORT_UNKNOWN);
    }
}

/* Exim's "(generated from ADDRESS)" under an address names the address
 * we sent to, which a forward or alias turned into the failing one. */
static void
test_exim_generated_from (void)
{
  static const char message[] =
    "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\n"
    "Subject: Mail delivery failed: returning message to sender\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n"
    "  bob@home.example.net\n"
    "    (generated from bob@example.org)\n"
    "    SMTP error from remote mail server after RCPT TO:<bob@home.example.net>:\n"
    "    host mx.home.example.net [192.0.2.1]: 550 5.1.1 no such user\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  OobRecipient *rcpt = oob_test_only_recipient (report, "exim");
  g_assert_cmpstr (rcpt->final_recipient, ==, "bob@home.example.net");
  g_assert_cmpstr (rcpt->original_recipient, ==, "bob@example.org");
  g_assert_null (strstr (rcpt->diagnostic, "generated from"));
}

/* Postfix's "(expanded from <alias>)" names the address we sent to. */
static void
test_postfix_expanded_from (void)
{
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", "postfix-rewritten-intro.eml", &len);
  g_autoptr (OobReport) report = oob_parse_message (text, len);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 1);
  g_assert_cmpstr (rcpt->final_recipient, ==, "ron@mail.example.net");
  g_assert_cmpstr (rcpt->original_recipient, ==, "ron@example.net");
}

/* "an undisclosed address" with no address it came from names nobody. */
static void
test_exim_undisclosed_alone (void)
{
  static const char message[] =
    "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\n"
    "Subject: Mail delivery failed: returning message to sender\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n"
    "  an undisclosed address\n"
    "    mailbox is full\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpstr (report->parser, !=, "exim");
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      g_assert_null (strstr (rcpt->final_recipient, "undisclosed"));
    }
}

/* A person forwarding an Exim bounce inline is not a bounce. */
static void
test_forwarded_bounce (void)
{
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", "negative-forwarded-exim.eml", &len);
  g_autoptr (OobReport) report = oob_parse_message (text, len);
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

/* The same forward with its subject made to look like a bounce's is still
 * refused when the sender is a person and no MTA fingerprint leads the body. */
static void
test_person_quoting_generic_shape (void)
{
  static const char message[] =
    "From: Sam Writer <sam@example.net>\n"
    "To: bounces@bounce.example.com\n"
    "Subject: delivery notes\n"
    "\n"
    "Delivery to the following recipients failed permanently:\n"
    "\n"
    "   * tom@example.org\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-mta/fixture/%s", cases[i].file);
      g_test_add_data_func (name, &cases[i], oob_test_bounce_fixture);
      g_autofree char *person = g_strdup_printf ("/bounce-mta/negative/sent-by-person/%s", cases[i].file);
      g_test_add_data_func (person, &cases[i], oob_test_bounce_sent_by_person);
    }
  g_test_add_data_func ("/bounce-mta/line-ends/qmail", &cases[0], oob_test_bounce_line_ends);
  g_test_add_data_func ("/bounce-mta/line-ends/exim", &cases[2], oob_test_bounce_line_ends);
  g_test_add_data_func ("/bounce-mta/line-ends/exim-undisclosed", &cases[3], oob_test_bounce_line_ends);
  g_test_add_data_func ("/bounce-mta/line-ends/sendmail", &cases[5], oob_test_bounce_line_ends);
  g_test_add_data_func ("/bounce-mta/line-ends/sendmail-expanded", &cases[6], oob_test_bounce_line_ends);
  g_test_add_data_func ("/bounce-mta/line-ends/qmail-rewritten", &cases[G_N_ELEMENTS (cases) - 1], oob_test_bounce_line_ends);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_equal (cases[i].file, "exim-same-line-reasons.eml") || g_str_equal (cases[i].file, "courier-reworded.eml") ||
        g_str_equal (cases[i].file, "postfix-rewritten-intro.eml") || g_str_equal (cases[i].file, "sendmail-v5-no-address.eml") ||
        g_str_equal (cases[i].file, "exim-pipe-generated-by.eml"))
      {
        g_autofree char *name = g_strdup_printf ("/bounce-mta/line-ends/%s", cases[i].file);
        g_test_add_data_func (name, &cases[i], oob_test_bounce_line_ends);
      }
  g_test_add_func ("/bounce-mta/remote-mta-and-returned-headers", test_remote_mta);
  g_test_add_func ("/bounce-mta/dsn-gap-filled-from-notice", test_dsn_gap_filled);
  for (gsize i = 0; i < G_N_ELEMENTS (inline_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce-mta/inline/%s", inline_cases[i].name);
      g_test_add_data_func (name, &inline_cases[i], test_inline);
    }
  g_test_add_func ("/bounce-mta/courier-delay", test_courier_delay);
  g_test_add_func ("/bounce-mta/courier-stage", test_courier_stage);
  g_test_add_func ("/bounce-mta/courier-success", test_courier_success);
  g_test_add_func ("/bounce-mta/sendmail-stage", test_sendmail_stage);
  g_test_add_func ("/bounce-mta/negative/courier-stamps-from-a-person", test_courier_stamps);
  g_test_add_func ("/bounce-mta/qmail-stamps", test_qmail_stamps);
  g_test_add_func ("/bounce-mta/exim-undisclosed-alone", test_exim_undisclosed_alone);
  g_test_add_func ("/bounce-mta/sendmail-expanded-from", test_sendmail_expanded_from);
  g_test_add_func ("/bounce-mta/postfix-expanded-from", test_postfix_expanded_from);
  g_test_add_func ("/bounce-mta/exim-generated-from", test_exim_generated_from);
  g_test_add_func ("/bounce-mta/exim-message-id", test_exim_message_id);
  g_test_add_func ("/bounce-mta/negative/exim-pasted-by-person", test_exim_pasted_by_person);
  g_test_add_func ("/bounce-mta/postfix-refused-greeting", test_postfix_refused_greeting);
  g_test_add_func ("/bounce-mta/negative/forwarded-bounce", test_forwarded_bounce);
  g_test_add_func ("/bounce-mta/negative/person-generic-shape", test_person_quoting_generic_shape);
  return g_test_run ();
}
