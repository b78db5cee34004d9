/* test-bounce-vendors.c - the vendor-specific plain-text bounce families:
 * Notes/Domino, Exchange 2003/2007, security gateways, assorted servers,
 * mobile carriers and fml (bounce_domino.c, bounce_exchange.c,
 * bounce_gateways.c, bounce_servers.c, bounce_carriers.c, bounce_fml.c).
 *
 * Each fixture in fixtures/nonstandard/ is parsed as LF, CRLF and CR-only
 * text and must give the same parser, recipients, statuses and codes; the
 * addresses planted in each quoted original must never become recipients.
 */
#include "config.h"

#include <string.h>

#include "derive.h"
#include "fixture.h"
#include "parse.h"

static const OobTestBounceCase cases[] = {
  { "notes-user-unknown.eml", "notes", { { "alice@example.org", "5.0.911", 0, "failed", "not listed in public Name & Address Book" } } },
  /* A Notes name, no address: the returned message's single To: failed. */
  { "notes-hop-count.eml", "notes", { { "ada@example.org", "5.0.944", 0, "failed", "exceeded maximum hop count" } } },
  { "domino-not-listed.eml", "domino", { { "carol@example.net", "5.0.911", 0, "failed", "not listed in Domino Directory" } } },
  { "exchange2003-ims.eml", "exchange2003",
    { { "dave@example.org", "5.0.911", 0, "failed", "recipient name is not recognized" },
      { "erin@example.org", "5.0.911", 0, "failed", "000C05A6" } } },
  /* The same notice in HTML alone: its <BR> line ends are not blank lines. */
  { "exchange55-html-only.eml", "exchange2003",
    { { "hal@example.org", "5.0.911", 0, "failed", "The recipient name is not recognized MSEXCH:IMS" } } },
  /* Recipients as X.400 O/R addresses, the first one's date wrapped. */
  { "exchange2003-x400.eml", "exchange2003",
    { { "gale@example.org", "5.0.911", 0, "failed", "recipient name is not recognized" },
      { "hans@example.org", "5.0.911", 0, "failed", "000C05A6" } } },
  /* The MSEXCH error code gives the status: ambiguous (filtered), a
   * conversion failure (content); the code may wrap.  Under a code that
   * files any remote reply the reply's words give it. */
  { "exchange2003-msexch-codes.eml", "exchange2003",
    { { "ines@example.org", "5.0.910", 0, "failed", "(000C0595) Ambiguous Recipient" },
      { "jules@example.org", "5.0.960", 0, "failed", "Conversion to Internet format failed" },
      { "kurt@example.org", "5.0.912", 0, "failed", "(000B09AA) Host unreachable" } } },
  /* CDO's "--- Non-Delivery Report ---": the address, no reason. */
  { "ndreport-cdo.eml", "ndreport", { { "quentin@example.net", "5.0.901", 0, "failed", NULL } } },
  /* No Exchange header, one recipient named inline, no reason: on hold. */
  { "exchange-one-recipient.eml", "exchange2003", { { "rita@example.net", "5.0.901", 0, "failed", NULL } } },
  { "exchange2007-text.eml", "exchange2007", { { "grace@example.net", "5.1.1", 550, "failed", "RESOLVER.ADR.RecipNotFound" } } },
  /* The remote host's name on its own line before its reply. */
  { "exchange2007-remote-host.eml", "exchange2007", { { "tina@example.net", "5.7.1", 550, "failed", "rejected as spam by content filter" } } },
  /* Exchange's SMTP wrapper "#< #x.y.z smtp;reply> #SMTP#" around each reply. */
  { "exchange2007-smtp-wrapped.eml", "exchange2007",
    { { "ada@example.net", "5.1.1", 550, "failed", "550 5.1.1 <ada@example.net>... User unknown" },
      { "bob@example.net", "5.2.2", 552, "failed", "552 5.2.2 <bob@example.net>... Mailbox full" } } },
  { "interscanmss-rcpt.eml", "interscanmss", { { "ivan@example.org", "5.1.1", 550, "failed", "mailbox unavailable" } } },
  { "mailfoundry-quota.eml", "mailfoundry", { { "judy@example.net", "5.2.2", 552, "failed", "has no room left" } } },
  /* One block per recipient.  A gateway passing on its server's unknown
   * user without the stage: still an unknown user. */
  { "mailfoundry-two-recipients.eml", "mailfoundry",
    { { "hugo@example.net", "5.0.911", 550, "failed", "550 <hugo@example.net> recipient not known on this system" },
      { "iris@example.net", "5.0.922", 552, "failed", "mailbox is full" } } },
  /* Subject alone for a fingerprint; the host before the arrows; a bare
   * "Unable to deliver" is an unknown user. */
  { "interscanmss-host-arrows.eml", "interscanmss",
    { { "jack@example.org", "5.1.1", 550, "failed", "User unknown" },
      { "kate@other.example.org", "5.0.911", 0, "failed", "Unable to deliver message to <kate@other.example.org>" } } },
  { "mxlogic-exim-shape.eml", "mxlogic", { { "ken@example.org", "5.1.1", 550, "failed", "no mailbox by that name" } } },
  /* No such user, said after DATA: the content filter's refusal. */
  { "mfilter-data.eml", "mfilter", { { "nina@example.org", "5.0.910", 550, "failed", "rejected by content policy" } } },
  { "activehunter-fatal.eml", "activehunter", { { "mallory@example.net", "5.1.1", 550, "failed", "mailbox mallory unknown" } } },
  /* Known by its X-AHMailID header; no enhanced code, no stage. */
  { "activehunter-ahmailid.eml", "activehunter", { { "lucy@example.net", "5.0.911", 550, "failed", "User unknown, relay=[192.0.2.42]" } } },
  { "ezweb-user-unknown.eml", "ezweb", { { "peggy@ezweb.ne.jp", "5.0.911", 550, "failed", "User unknown" } } },
  { "ezweb-filter.eml", "ezweb", { { "quinn@ezweb.ne.jp", "5.0.910", 0, "failed", "rejected by a remote mail server" } } },
  /* From and Received are au's (another subject); the account sentence
   * says more than the "<address>: reply" line after it. */
  { "ezweb-account-limited.eml", "ezweb",
    { { "yuki@au.com", "5.0.921", 550, "failed", "temporarily limited. 550 user unknown" } } },
  /* X-SPASIGN: NG, au's spam filter refused it. */
  { "ezweb-spasign.eml", "ezweb", { { "aiko@ezweb.ne.jp", "5.0.910", 0, "failed", "could not be delivered" } } },
  /* EUC-JP text labelled ISO-2022-JP: the undecodable line is left out. */
  { "ezweb-mislabelled-charset.eml", "ezweb", { { "emi@ezweb.ne.jp", "5.0.921", 0, "failed", "The user(s) account is disabled." } } },
  { "kddi-mailbox-full.eml", "kddi", { { "sybil@dion.ne.jp", "5.0.922", 0, "failed", "mailbox is full" } } },
  /* Known by au's relays in Received; two recipients, each its reason;
   * the original's look-alike line adds nobody. */
  { "kddi-attempted-two.eml", "kddi",
    { { "taro@auone-net.jp", "5.0.922", 0, "failed", "As their mailbox is full." },
      { "umeko@example.net", "5.0.909", 0, "failed", "SMTP relay error" } } },
  /* X-SPASIGN: NG, au's filter refused it. */
  { "kddi-spasign.eml", "kddi", { { "wako@dion.ne.jp", "5.0.910", 0, "failed", "As the user refused it." } } },
  { "verizon-mmsc.eml", "verizon", { { "5550100@vzwpix.com", "5.0.911", 0, "failed", "No valid recipients" } } },
  /* vtext.com's details name every recipient on its "RCPT TO:" line. */
  { "verizon-vtext-two.eml", "verizon",
    { { "5550101@vtext.com", "5.0.911", 550, "failed", "no such user here" },
      { "5550102@vtext.com", "5.0.911", 550, "failed", "no such user here" } } },
  /* Its own post office's recipient has no address: only the relayed one. */
  { "mailenable-failure.eml", "mailenable", { { "sven@example.org", "5.1.1", 550, "failed", "No mailbox of that name here" } } },
  { "imail-mailbox-size.eml", "imailserver", { { "trent@example.net", "5.0.922", 0, "failed", "exceeds allowed size" } } },
  /* The reply under a heading naming the stage: RCPT, then DATA. */
  { "imail-rcpt-response.eml", "imailserver",
    { { "olive@example.org", "5.0.911", 550, "failed", "550 olive@example.org is not a known user on this system" },
      { "pete@example.org", "5.0.980", 554, "failed", "DATA command generated response: 554 Message refused" } } },
  /* The bare form says no reason. */
  { "imail-undeliverable-to.eml", "imailserver", { { "ulla@example.org", "5.0.901", 0, "failed", NULL } } },
  { "messagingserver-text.eml", "messagingserver",
    { { "uma@example.org", "5.1.1", 550, "failed", "unknown or illegal alias" },
      { "walter@example.org", "5.2.2", 552, "failed", "over quota" } } },
  /* The delay notice: every recipient listed is still queued. */
  { "messagingserver-delayed.eml", "messagingserver",
    { { "xia@example.org", "4.2.2", 452, "delayed", "mailbox over quota, try again later" },
      { "yves@example.net", "4.0.947", 0, "delayed", "connection timed out" } } },
  /* "address [reason]" lines. */
  { "x1-delivery-errors.eml", "x1",
    { { "carl@example.org", "5.0.911", 0, "failed", "User unknown" }, { "dina@example.org", "5.0.922", 0, "failed", "Mailbox is full" } } },
  /* "We're sorry." intro, a "To: <a>:" block; qmail-remote's reply code
   * and host read from "Remote host said:" and "Giving up on". */
  { "qmailclone-were-sorry.eml", "qmailclone",
    { { "mona@example.net", "5.0.911", 0, "failed", "no account by that name here" },
      { "noel@example.net", "5.0.911", 550, "failed", "Remote host said: 550 sorry, noel has no mailbox here" } } },
  { "qmailclone-quota.eml", "qmailclone", { { "xavier@example.net", "5.0.922", 0, "failed", "account is over quota" } } },
  /* Another clone's intro, no qmail stamp; the copied original is cut. */
  { "qmailclone-delivery-agent.eml", "qmailclone", { { "yann@example.net", "5.1.1", 550, "failed", "this user is not known here" } } },
  { "fml-not-member.eml", "fml", { { "news@lists.example.org", "5.0.918", 0, "failed", "not a member" } } },
  /* The reason only in the subject: fml's loop warning, its own trouble. */
  { "fml-loop-back.eml", "fml", { { "club@lists.example.org", "5.0.930", 0, "failed", "came back to the list" } } },
  { "smail-failed.eml", "smail",
    { { "olga@mail.example.org", "5.0.912", 0, "failed", "unknown host" },
      { "pablo@example.org", "5.0.911", 0, "failed", "unknown user" } } },
  /* Gateways whose delivery-status part is missing: their text is read. */
  { "messagelabs-text.eml", "messagelabs", { { "amy@example.net", "5.1.1", 550, "failed", "not known at the destination" } } },
  { "surfcontrol-text.eml", "surfcontrol", { { "ben@example.org", "5.0.0", 550, "failed", "mailbox ben is disabled" } } },
  { "mcafee-text.eml", "mcafee", { { "dan@example.net", "5.1.1", 0, "failed", "no such mailbox" } } },
  { "amavis-text.eml", "amavis", { { "eve@example.org", "5.1.1", 550, "failed", "Recipient address rejected" } } },
  { "exchange2007-french.eml", "exchange2007", { { "gilles@example.fr", "5.1.1", 550, "failed", "RESOLVER.ADR.RecipNotFound" } } },
  /* The notice names no SMTP stage: the words stand. */
  { "apachejames-notify.eml", "apachejames",
    { { "adam@example.net", "5.0.911", 550, "failed", "no such user on this server" },
      { "bella@example.net", "5.0.911", 550, "failed", "no such user on this server" } } },
  /* BIGLOBE had accepted the message: its "user unknown" is the filter's. */
  { "biglobe-user-unknown.eml", "biglobe", { { "ichiro@biglobe.ne.jp", "5.0.910", 0, "failed", "user unknown" } } },
  { "biglobe-mailbox-full.eml", "biglobe", { { "hana@biglobe.ne.jp", "5.0.922", 0, "failed", "exceeded the local limit" } } },
  /* The reply first, Mimecast's summary of it after. */
  { "mimecast-failure.eml", "mimecast",
    { { "vera@example.org", "5.1.1", 550, "failed", "no such mailbox at this site (Recipient email address is possibly incorrect)" } } },
  { "mailmarshal-undeliverable.eml", "mailmarshal", { { "dora@example.org", "5.1.1", 550, "failed", "no such recipient here" } } },
  { "x6-error-sending.eml", "x6", { { "fred@example.org", "5.1.1", 550, "failed", "no mailbox by that name" } } },
  /* No reply: the routing failure after hours of retries is the reason. */
  { "x3-routing.eml", "x3", { { "greta@example.net", "5.0.947", 0, "failed", "Routing: Could not find a gateway for greta@example.net" } } },
  /* The delivery agent's rejection, as a disposition notification. */
  { "dovecot-quota.eml", "dovecot", { { "nora@example.org", "5.0.922", 0, "failed", "Quota exceeded (mailbox for user is full)" } } },
  /* Cyrus lmtpd's Sieve reject: the same MDN shape, its own words. */
  { "cyrus-sieve-reject.eml", "dovecot", { { "cleo@example.org", "5.0.910", 0, "failed", "Mail about offers is not wanted here." } } },
};

static const char *const our_parsers[] = {
  "notes", "domino", "exchange2003", "exchange2007", "ndreport", "interscanmss", "mailfoundry", "mxlogic", "mfilter",
  "activehunter", "ezweb", "kddi", "verizon", "imailserver", "messagingserver", "x1", "qmailclone", "x3", "fml",
  "smail", "apachejames", "biglobe", "mailmarshal", "x5", "x6", "dovecot", "rewrapped", "mailenable", "mimecast",
};


/* The same text with every LF made eol. */
static char *
with_line_ends (const char *text, const char *eol)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  return g_strjoinv (eol, lines);
}

static gboolean
is_ours (const char *parser)
{
  for (gsize i = 0; parser && i < G_N_ELEMENTS (our_parsers); i++)
    if (strcmp (parser, our_parsers[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A person forwarding a Domino bounce inline is not a bounce. */
static void
test_forwarded_bounce (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "forwarded-domino-bounce.eml", &length);
  g_autoptr (OobReport) report = oob_parse_message (data, length);
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

static void
test_exchange_wrapped_date (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "exchange2003-x400.eml", &length);
  g_autoptr (OobReport) report = oob_parse_message (data, length);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_true (g_str_has_prefix (rcpt->diagnostic, "The recipient name is not recognized"));
}

/* text with the first occurrence of from replaced by to. */
static char *
text_with (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  g_assert_nonnull (at);
  g_autofree char *head = g_strndup (text, (gsize) (at - text));
  return g_strconcat (head, to, at + strlen (from), NULL);
}

/* fixture with the first occurrence of from replaced by to. */
static char *
fixture_with (const char *file, const char *from, const char *to)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", file, &length);
  return text_with (data, from, to);
}

static void
assert_not_claimed_by (const char *data, const char *parser)
{
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_false (g_strcmp0 (report->parser, parser) == 0);
}

/* Dovecot's rejection says who sent it; a Sieve reject's own words may
 * replace the standard line, and then the Reporting-UA names the agent.
 * A message deleted unread that no delivery agent reports on, or one a
 * person's client reports as deleted, is a receipt, not a rejection. */
static void
test_dovecot_reject (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "dovecot-quota.eml", &length);
  g_autoptr (OobReport) report = oob_parse_message (data, length);
  g_assert_cmpstr (report->reporting_mta, ==, "mx.example.org");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.dv1a2b@mailer.example.com");

  g_autofree char *sieve = text_with (data, "Your message to <nora@example.org> was automatically rejected:\n"
                                            "Quota exceeded (mailbox for user is full)",
                                      "I am not taking mail about sales.");
  g_autofree char *sieve_ua = text_with (sieve, "Dovecot Mail Delivery Agent", "Dovecot Pigeonhole Sieve 0.5");
  g_autoptr (OobReport) rejected = oob_parse_message (sieve_ua, strlen (sieve_ua));
  OobRecipient *rcpt = oob_test_only_recipient (rejected, "dovecot");
  g_assert_cmpstr (rcpt->final_recipient, ==, "nora@example.org");
  g_assert_cmpstr (rcpt->diagnostic, ==, "I am not taking mail about sales.");

  g_autofree char *client_ua = text_with (sieve, "Dovecot Mail Delivery Agent", "ExampleMail 5.1");
  assert_not_claimed_by (client_ua, "dovecot");
  g_autofree char *manual = text_with (data, "automatic-action/MDN-sent-automatically; deleted",
                                       "manual-action/MDN-sent-manually; deleted");
  assert_not_claimed_by (manual, "dovecot");
  g_autofree char *displayed = text_with (data, "automatic-action/MDN-sent-automatically; deleted",
                                          "automatic-action/MDN-sent-automatically; displayed");
  assert_not_claimed_by (displayed, "dovecot");
}

/* The heading alone, or the subject and X-Mailer without the heading, is
 * not the CDO notice: a person may paste such a report into a message. */
static void
test_ndreport_needs_heading_and_mark (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "ndreport-cdo.eml", &length);
  g_autofree char *no_subject = text_with (data, "Subject: Non-Delivery:", "Subject: About the sale:");
  g_autofree char *heading_only = text_with (no_subject, "X-Mailer: Microsoft CDO", "X-Mailer: ExampleMail");
  assert_not_claimed_by (heading_only, "ndreport");
  g_autofree char *no_heading = text_with (data, "--- Non-Delivery Report ---", "Notes from the help desk");
  assert_not_claimed_by (no_heading, "ndreport");
}

/* MailEnable's layout without its intro line is not claimed as its own. */
static void
test_mailenable_needs_intro (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "mailenable-failure.eml", &length);
  g_autofree char *no_intro = text_with (data, "MailEnable: Message could not be delivered to some recipients.",
                                         "Notes on our mail routing:");
  assert_not_claimed_by (no_intro, "mailenable");
}

/* The status of the only recipient of text parsed by the named family. */
static char *
only_status (const char *text, const char *parser)
{
  g_autoptr (OobReport) report = oob_parse_message (text, strlen (text));
  g_assert_cmpstr (report->parser, ==, parser);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  return g_strdup (((OobRecipient *) g_ptr_array_index (report->recipients, 0))->status);
}

/* MX Logic's notice is known by its message-id, its relays or its own
 * headers; Exim's text alone is Exim's. */
static void
test_mxlogic_fingerprints (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "mxlogic-exim-shape.eml", &length);
  g_autofree char *no_id = text_with (data, "Message-Id: <mxl~a1b2.c3d4.e5f6@relay7.mxlogic.example.net>",
                                      "Message-Id: <a1b2.c3d4.e5f6@relay7.mxlogic.example.net>");
  g_autofree char *plain = g_strdup (no_id);
  for (char *at = strstr (plain, "mxlogic."); at; at = strstr (plain, "mxlogic."))
    memcpy (at, "gateway.", 8);
  assert_not_claimed_by (plain, "mxlogic");
  g_autofree char *hashed = text_with (plain, "MIME-Version:", "X-MXL-Hash: 4f2a9c1b0d3e5a67-8b9c0d1e2f3a4b5c\nMIME-Version:");
  g_autoptr (OobReport) report = oob_parse_message (hashed, strlen (hashed));
  g_assert_cmpstr (report->parser, ==, "mxlogic");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  /* MX Logic stamps X-MXL-Hash on all mail it filters: a person's
   * forward, or their own message pasting the notice, is none of its. */
  g_autofree char *forward = text_with (hashed, "Subject: ", "Subject: Fwd: ");
  assert_not_claimed_by (forward, "mxlogic");
  g_autofree char *client = text_with (hashed, "MIME-Version:", "User-Agent: Mozilla Thunderbird\nMIME-Version:");
  assert_not_claimed_by (client, "mxlogic");
}

/* m-FILTER names itself in its notice or in X-Mailer; its layout alone is
 * not claimed. */
static void
test_mfilter_fingerprints (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "mfilter-data.eml", &length);
  g_autofree char *unnamed = text_with (data, "m-FILTER", "x-GATE");
  assert_not_claimed_by (unnamed, "mfilter");
  g_autofree char *mailer = text_with (unnamed, "MIME-Version:", "X-Mailer: m-FILTER\nMIME-Version:");
  g_autoptr (OobReport) report = oob_parse_message (mailer, strlen (mailer));
  g_assert_cmpstr (report->parser, ==, "mfilter");
  g_assert_cmpuint (report->recipients->len, ==, 1);
}

/* Active!Hunter without its transcript heading: the reply is the first
 * line of text under the addresses. */
static void
test_activehunter_without_transcript (void)
{
  g_autofree char *data = fixture_with ("activehunter-fatal.eml", "  ----- Transcript of session follows -----\n", "");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  OobRecipient *rcpt = oob_test_only_recipient (report, "activehunter");
  g_assert_cmpstr (rcpt->diagnostic, ==, "550 5.1.1 mailbox mallory unknown here");
  g_assert_cmpstr (rcpt->status, ==, "5.1.1");
}

/* x3's technical details name the command refused ("SMTP:RCPT host ..."):
 * an unknown user there is the remote server's, not a filter's. */
static void
test_x3_command (void)
{
  g_autofree char *data = fixture_with ("x3-routing.eml", "Routing: Could not find a gateway for greta@example.net",
                                        "SMTP:RCPT host 192.0.2.5: 550 sorry, no such user here");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  OobRecipient *rcpt = oob_test_only_recipient (report, "x3");
  g_assert_cmpstr (rcpt->smtp_command, ==, "RCPT");
  g_assert_cmpstr (rcpt->remote_mta, ==, "192.0.2.5");
  g_assert_cmpstr (rcpt->status, ==, "5.0.911");
  g_assert_cmpint (rcpt->smtp_code, ==, 550);
}

/* A qmail clone sent from an ordinary address is known by its subject or
 * qmail's bounce stamp; with neither, its layout alone is not claimed. */
static void
test_qmailclone_sender (void)
{
  g_autofree char *data = fixture_with ("qmailclone-were-sorry.eml", "From: MAILER-DAEMON@mx.example.net",
                                        "From: \"Mail Service\" <mail-service@mx.example.net>");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "qmailclone");
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_autofree char *unmarked = text_with (data, "Subject: Delivery failure", "Subject: Your order");
  assert_not_claimed_by (unmarked, "qmailclone");
  g_autofree char *stamped = text_with (unmarked, "Date:", "Received: (qmail 4321 invoked for bounce); 1 Nov 2026 11:41:58 -0000\nDate:");
  g_autoptr (OobReport) stamped_report = oob_parse_message (stamped, strlen (stamped));
  g_assert_cmpstr (stamped_report->parser, ==, "qmailclone");
  g_autofree char *forwarded = text_with (data, "Subject: Delivery failure", "Subject: Fwd: Delivery failure");
  assert_not_claimed_by (forwarded, "qmailclone");
  /* The subject and the notice pasted by a person: their envelope sender,
   * or their mail client. */
  g_autofree char *pasted = text_with (data, "Return-Path: <>", "Return-Path: <mona.lind@example.net>");
  assert_not_claimed_by (pasted, "qmailclone");
  g_autofree char *client = text_with (data, "Subject: Delivery failure", "User-Agent: Mozilla Thunderbird\nSubject: Delivery failure");
  assert_not_claimed_by (client, "qmailclone");
}

/* x1 from an ordinary address: its "Returned Mail:" subject marks it. */
static void
test_x1_sender (void)
{
  g_autofree char *data = fixture_with ("x1-delivery-errors.eml", "<MAILER-DAEMON@relay.example.org>", "<mail@relay.example.org>");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "x1");
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_autofree char *unmarked = text_with (data, "Subject: Returned Mail:", "Subject: About:");
  assert_not_claimed_by (unmarked, "x1");
  /* The subject on a person's message pasting the notice. */
  g_autofree char *pasted = text_with (data, "Return-Path: <>", "Return-Path: <carl.berg@example.net>");
  assert_not_claimed_by (pasted, "x1");
}

/* IMail's own "Unknown user:" is its unknown user; a refusal of the
 * message body ("Body of message generated response:") came after DATA:
 * an unknown user there is a filter's. */
static void
test_imail_stages (void)
{
  g_autofree char *body = fixture_with ("imail-rcpt-response.eml",
                                        "DATA command generated response:\n554 Message refused: spam content detected",
                                        "Body of message generated response:\n550 no such user here");
  g_autofree char *data = text_with (body, "undeliverable  to olive@example.org\n\nAdditional RCPT TO generated following response:\n"
                                           "550 olive@example.org is not a known user on this system",
                                     "Unknown user: olive@example.org");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "imailserver");
  g_assert_cmpuint (report->recipients->len, ==, 2);
  OobRecipient *olive = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (olive->status, ==, "5.0.911");
  OobRecipient *pete = g_ptr_array_index (report->recipients, 1);
  g_assert_cmpstr (pete->smtp_command, ==, "DATA");
  g_assert_cmpstr (pete->status, ==, "5.0.910");
  g_assert_cmpint (pete->smtp_code, ==, 550);
}

/* InterScan's "Unable to deliver message to <a>" is an unknown user only
 * when the session it gives before states no other status. */
static void
test_interscan_status_stands (void)
{
  g_autofree char *full = fixture_with ("interscanmss-host-arrows.eml", "Reason: Unable to deliver message to <kate",
                                        "Sent <<< RCPT TO:<kate@other.example.org>\n"
                                        "Received >>> 552 5.2.2 mailbox full.\n\n"
                                        "Unable to deliver message to <kate");
  g_autoptr (OobReport) report = oob_parse_message (full, strlen (full));
  g_assert_cmpstr (report->parser, ==, "interscanmss");
  OobRecipient *kate = oob_report_find_recipient (report, "kate@other.example.org");
  g_assert_nonnull (kate);
  g_assert_cmpstr (kate->status, ==, "5.2.2");
  g_assert_cmpstr (kate->smtp_command, ==, "RCPT");
}

/* InterScan known by its subject alone: not on a person's message that
 * pastes its session under the same subject. */
static void
test_interscan_subject_sender (void)
{
  g_autofree char *plain = fixture_with ("interscanmss-host-arrows.eml", "From: postmaster@gw.example.org",
                                         "From: Jack Moss <jack.moss@example.net>");
  g_autoptr (OobReport) report = oob_parse_message (plain, strlen (plain));
  g_assert_cmpstr (report->parser, ==, "interscanmss");
  g_autofree char *pasted = text_with (plain, "Return-Path: <postmaster@gw.example.org>", "Return-Path: <jack.moss@example.net>");
  assert_not_claimed_by (pasted, "interscanmss");
  g_autofree char *client = text_with (plain, "Subject:", "X-Mailer: Apple Mail (2.3774)\nSubject:");
  assert_not_claimed_by (client, "interscanmss");
}

/* Active!Hunter's X-AHMailID is on every message its gateway passes: a
 * person's forward or own message carrying its text is not its notice. */
static void
test_activehunter_gateway_header (void)
{
  g_autofree char *forward = fixture_with ("activehunter-ahmailid.eml", "Subject: FAILURE NOTICE :", "Subject: Fwd: FAILURE NOTICE :");
  assert_not_claimed_by (forward, "activehunter");
  g_autofree char *person = fixture_with ("activehunter-ahmailid.eml", "From: \"MAILER-DAEMON\" <MAILER-DAEMON@ah2.example.net>",
                                          "From: Lucy Hart <lucy.hart@example.net>");
  g_autofree char *sent = text_with (person, "Return-Path: <>", "Return-Path: <lucy.hart@example.net>");
  assert_not_claimed_by (sent, "activehunter");
}

/* A qmail clone names no SMTP stage: an unknown user it passes on from
 * the server behind it is an unknown user (suppressed), like qmail-local's
 * own "no mailbox here by that name"; a stated status stands. */
static void
test_unstaged_unknown_user (void)
{
  const char *quota = "Sorry, your message to xavier@example.net cannot be delivered.  This\naccount is over quota.";
  g_autofree char *passed_on = fixture_with ("qmailclone-quota.eml", quota, "This user doesn't have an example.net account.");
  g_autofree char *passed_on_status = only_status (passed_on, "qmailclone");
  g_assert_cmpstr (passed_on_status, ==, "5.0.911");
  g_autofree char *local = fixture_with ("qmailclone-quota.eml", quota, "Sorry, no mailbox here by that name.");
  g_autofree char *local_status = only_status (local, "qmailclone");
  g_assert_cmpstr (local_status, ==, "5.0.911");
  g_autofree char *stated = fixture_with ("qmailclone-quota.eml", quota, "550 5.1.1 user unknown");
  g_autofree char *stated_status = only_status (stated, "qmailclone");
  g_assert_cmpstr (stated_status, ==, "5.1.1");
}

/* Mimecast gives up after a temporary reply it kept getting: a failure,
 * the message expired in its queue.  Its wording without its subject or
 * headers is not claimed. */
static void
test_mimecast_gave_up (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "mimecast-failure.eml", &length);
  g_autofree char *busy = text_with (data, "-- 550 5.1.1 <vera@example.org>: no such mailbox at this site",
                                     "-- 451 4.4.4 try again later, server busy");
  g_autofree char *retried = text_with (busy, "after 1 attempt(s)", "after 27 attempt(s)");
  g_autoptr (OobReport) report = oob_parse_message (retried, strlen (retried));
  OobRecipient *rcpt = oob_test_only_recipient (report, "mimecast");
  g_assert_cmpstr (rcpt->action, ==, "failed");
  g_assert_cmpstr (rcpt->status, ==, "5.0.947");

  g_autofree char *plain_subject = text_with (data, "Subject: [Postmaster] Email Delivery Failure", "Subject: Notes");
  g_autofree char *no_header = text_with (plain_subject, "X-Mimecast-Originator", "X-Other-Originator");
  assert_not_claimed_by (no_header, "mimecast");
}

/* The Exchange 2003 text without Exchange's headers is not claimed. */
static void
test_exchange_needs_fingerprint (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "exchange2003-ims.eml", &length);
  g_autofree char *no_mailer = text_with (data, "with Internet Mail Service", "with ESMTP");
  for (const char *name = "X-Mailer:"; name; name = g_str_equal (name, "X-Mailer:") ? "X-MS-Embedded-Report:" : NULL)
    {
      char *at = strstr (no_mailer, name);
      g_assert_nonnull (at);
      memcpy (at, "X-Nothing", 9);
    }
  g_autoptr (OobReport) report = oob_parse_message (no_mailer, strlen (no_mailer));
  g_assert_false (g_strcmp0 (report->parser, "exchange2003") == 0);

  /* Exchange's X-MimeOLE, or its Internet Mail Service's Received line,
   * stands for the X-Mailer ... */
  g_autofree char *mimeole = text_with (no_mailer, "X-Nothing", "X-MimeOLE: Produced By Microsoft Exchange V6.5\nX-Nothing");
  g_autoptr (OobReport) by_mimeole = oob_parse_message (mimeole, strlen (mimeole));
  g_assert_cmpstr (by_mimeole->parser, ==, "exchange2003");
  g_assert_cmpuint (by_mimeole->recipients->len, ==, 2);
  g_autofree char *received = text_with (no_mailer, "X-Nothing", "Received: by exch1.example.org with Internet Mail Service (5.5.2657.72)\nX-Nothing");
  g_autoptr (OobReport) by_received = oob_parse_message (received, strlen (received));
  g_assert_cmpstr (by_received->parser, ==, "exchange2003");
  /* ... but a user of that Exchange forwarding the NDR sends no NDR. */
  g_autofree char *forward = text_with (mimeole, "Subject: Undeliverable:", "Subject: FW: Undeliverable:");
  assert_not_claimed_by (forward, "exchange2003");
}

/* A date wrapped after an X.400 recipient is no part of its reason. */
/* A handset user's own mail through the carrier's gateway is not an NDR. */
static void
test_carrier_user_mail (void)
{
  g_autofree char *data = fixture_with ("verizon-mmsc.eml", "MMSC NDR Administrator <sysadmin@mmsc1.vzwpix.com>",
                                        "5550199@vzwpix.com");
  assert_not_claimed_by (data, "verizon");
}

/* A BIGLOBE subscriber's own mail is not the ISP's notice. */
static void
test_carrier_subscriber_mail (void)
{
  g_autofree char *data = fixture_with ("biglobe-user-unknown.eml", "From: postmaster@biglobe.ne.jp",
                                        "From: kenta@biglobe.ne.jp");
  assert_not_claimed_by (data, "biglobe");
}

/* An au subscriber's own mail, relayed by au, is not au's notice, even
 * when it quotes an address alone on a line. */
static void
test_ezweb_subscriber_mail (void)
{
  g_autofree char *data = fixture_with ("ezweb-account-limited.eml", "From: Postmaster@au.com", "From: kenta@au.com");
  g_autofree char *personal = text_with (data, "Subject: Returned mail", "Subject: Re: your order");
  assert_not_claimed_by (personal, "ezweb");
}

/* What a mislabelled charset left undecodable is no part of the reason. */
static void
test_ezweb_undecodable_line (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard", "ezweb-mislabelled-charset.eml");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *r = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (r->diagnostic, ==, "The user(s) account is disabled.");
}

/* A remote reply Exchange files under 000B09AA whose words name no reason
 * is on hold. */
static void
test_exchange2003_remote_unexplained (void)
{
  g_autofree char *data = fixture_with ("exchange2003-msexch-codes.eml", "(000B09AA) Host unreachable", "(000B09AA) Remote error");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "exchange2003");
  g_assert_cmpuint (report->recipients->len, ==, 3);
  OobRecipient *r = g_ptr_array_index (report->recipients, 2);
  g_assert_cmpstr (r->final_recipient, ==, "kurt@example.org");
  g_assert_cmpstr (r->status, ==, "5.0.901");
}

/* A BIGLOBE notice without its "Non-delivered information": the list ends
 * at its blank line and gives no reason (on hold). */
static void
test_biglobe_without_reason (void)
{
  g_autofree char *data = fixture_with ("biglobe-user-unknown.eml",
                                        "   ----- Non-delivered information -----\nMail delivery failed... user unknown\n", "");
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  OobRecipient *r = oob_test_only_recipient (report, "biglobe");
  g_assert_cmpstr (r->final_recipient, ==, "ichiro@biglobe.ne.jp");
  g_assert_cmpstr (r->status, ==, "5.0.901");
}

/* A post distributed by an fml list (no .FML Message-ID) is not a notice. */
static void
test_fml_list_post (void)
{
  g_autofree char *data = fixture_with ("fml-not-member.eml", "<202611012040.FMLA1B2C3.news@lists.example.org>",
                                        "<20261101.post42@home.example.net>");
  assert_not_claimed_by (data, "fml");
}

/* A person forwarding a Messaging Server notice as an attachment, with no
 * text of their own, is not the notice. */
static void
test_forwarded_attachment (void)
{
  gsize length;
  g_autofree char *notice = oob_test_read_fixture ("nonstandard", "messagingserver-text.eml", &length);
  g_autofree char *data = g_strconcat ("From: Zoe Park <zoe@example.org>\n"
                                       "To: bounces+zoe=example.org@bounce.example.com\n"
                                       "Subject: Fwd: Delivery Notification: Delivery has failed\n"
                                       "MIME-Version: 1.0\n"
                                       "Content-Type: multipart/mixed; boundary=\"fwd-1\"\n\n"
                                       "--fwd-1\n"
                                       "Content-Type: message/rfc822\n\n",
                                       notice, "\n--fwd-1--\n", NULL);
  assert_not_claimed_by (data, "messagingserver");
}

/* The James notice's layout alone, without any of James's marks
 * (subject, JavaMail Message-ID, Received), is not claimed. */
static void
test_james_needs_fingerprint (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "apachejames-notify.eml", &length);
  g_autofree char *subject = text_with (data, "Subject: [BOUNCE]", "Subject: Returned");
  g_autofree char *id = text_with (subject, ".JavaMail.james@", ".notify@");
  g_autofree char *unmarked = text_with (id, "(JAMES SMTP Server 2.3.2)", "(SMTP Server)");
  assert_not_claimed_by (unmarked, "apachejames");
  g_autoptr (OobReport) marked = oob_parse_message (id, strlen (id));
  g_assert_cmpstr (marked->parser, ==, "apachejames");
}

/* x5: the DSN attached as a message of its own is read; the original
 * whose headers count is the one it returns, not the attached notice. */
static void
check_x5 (const char *data)
{
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "x5");
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->reporting_mta, ==, "relay.example.net");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.x50001@mailer.example.com");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->final_recipient, ==, "emil@example.net");
  g_assert_cmpstr (rcpt->status, ==, "5.2.2");
  g_assert_cmpstr (rcpt->remote_mta, ==, "mx.example.net");
  g_assert_nonnull (strstr (rcpt->diagnostic, "over its storage allowance"));
}

static void
test_x5_attached_dsn (void)
{
  gsize length;
  g_autofree char *lf = oob_test_read_fixture ("nonstandard", "x5-wrapped-dsn.eml", &length);
  g_autofree char *crlf = with_line_ends (lf, "\r\n");
  check_x5 (lf);
  check_x5 (crlf);
}

/* One mark of the x5 sender is not enough: a person's message with the
 * same notice attached is not claimed. */
static void
test_x5_needs_two_marks (void)
{
  gsize length;
  g_autofree char *data = oob_test_read_fixture ("nonstandard", "x5-wrapped-dsn.eml", &length);
  g_autofree char *person = text_with (data, "=?utf-8?B?TWFpbCBEZWxpdmVyeSBTdWJzeXN0ZW0=?= <mailer-daemon@relay.example.net>",
                                       "Zoe Park <zoe@example.org>");
  g_autofree char *forward = text_with (person, "Subject: =?utf-8?B?TWFpbCBEZWxpdmVyeSBTdWJzeXN0ZW06IGRlbGl2ZXJ5IGZhaWxlZA==?=",
                                        "Subject: Fwd: this came back");
  assert_not_claimed_by (forward, "x5");
}

static void
check_rewrapped (const char *data)
{
  g_autoptr (OobReport) report = oob_parse_message (data, strlen (data));
  g_assert_cmpstr (report->parser, ==, "rewrapped");
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->reporting_mta, ==, "exch3.example.org");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.rw0001@mailer.example.com");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->final_recipient, ==, "ruth@example.org");
  g_assert_cmpstr (rcpt->status, ==, "5.1.1");
}

/* A DSN a gateway sent on inside a copy of itself (same sender, subject
 * and Message-ID), with its disclaimer added as a part of its own. */
static void
test_rewrapped_dsn (void)
{
  gsize length;
  g_autofree char *lf = oob_test_read_fixture ("nonstandard", "rewrapped-dsn.eml", &length);
  check_rewrapped (lf);
  g_autofree char *crlf = with_line_ends (lf, "\r\n");
  check_rewrapped (crlf);
  g_autofree char *cr = with_line_ends (lf, "\r");
  check_rewrapped (cr);

  /* A wrapper with an ID of its own is the notice's copy only while it
   * says nothing itself. */
  g_autofree char *new_id = text_with (lf, "<DSN.20261105071010.0001@exch3.example.org>", "<wrap.0001@scan.example.org>");
  assert_not_claimed_by (new_id, "rewrapped");
  const char *footer = strstr (new_id, "--=_Wrap_0001\nContent-Type: text/plain");
  g_assert_nonnull (footer);
  g_autofree char *head = g_strndup (new_id, (gsize) (footer - new_id));
  g_autofree char *bare = g_strconcat (head, "--=_Wrap_0001--\n", NULL);
  check_rewrapped (bare);

  /* A person sending the notice on, or a wrapper about something else. */
  g_autofree char *person = text_with (lf, "From: postmaster@example.org", "From: Ruth Stone <ruth.stone@example.net>");
  assert_not_claimed_by (person, "rewrapped");
  g_autofree char *other_subject = text_with (lf, "Subject: Delivery Status Notification (Failure)",
                                              "Subject: Held message released");
  assert_not_claimed_by (other_subject, "rewrapped");
}

/* A notice listing more recipients than the bound keeps the first ones. */
static void
test_recipient_limit (void)
{
  GString *data = g_string_new ("From: MAILER-DAEMON@mta.example.net\n"
                                "To: bounces@bounce.example.com\n"
                                "Subject: failure delivery\n\n"
                                "Unable to deliver message to the following address(es).\n\n");
  for (int i = 0; i < OOB_MAX_RECIPIENTS + 5; i++)
    g_string_append_printf (data, "<user%d@example.net>:\nThis account is over quota.\n\n", i);
  g_string_append (data, "--- Original message follows.\n");
  g_autoptr (OobReport) report = oob_parse_message (data->str, data->len);
  g_string_free (data, TRUE);
  g_assert_cmpstr (report->parser, ==, "qmailclone");
  g_assert_cmpuint (report->recipients->len, ==, OOB_MAX_RECIPIENTS);
  g_assert_nonnull (report->note);
  OobRecipient *last = g_ptr_array_index (report->recipients, OOB_MAX_RECIPIENTS - 1);
  g_autofree char *expected = g_strdup_printf ("user%d@example.net", OOB_MAX_RECIPIENTS - 1);
  g_assert_cmpstr (last->final_recipient, ==, expected);
}

/* The derive.c phrase families these notices rely on. */
static void
test_derive_phrases (void)
{
  static const struct {
    const char *text;
    int code;
    const char *status;
  } phrases[] = { /* (the stage of the session: test-smtp-command.c) */
    { "User Ann Lee (ann@example.org) not listed in Domino Directory", 0, "5.0.911" },
    { "This user doesn't have a example.net account", 0, "5.0.911" },
    { "User mailbox exceeds allowed size: ann@example.org", 0, "5.0.922" },
    /* McAfee Email Gateway, amavisd-new relaying through its MTA */
    { "User (ann@example.org) unknown. ", 0, "5.0.911" },
    { "450 4.4.0 Reject, id=01234-05 - temporary MTA failure on relaying", 450, "4.4.0" },
    { "Reject, id=01234-05 - temporary MTA failure on relaying", 0, "5.0.930" },
    { "Reject, id=01234-05 - rejected by next-hop MTA on relaying", 0, "5.0.930" },
    { "Reject, id=01234-05 - unable to relay message back to MTA", 0, "5.0.930" },
    { "554 unable to relay for ann@example.org", 554, "5.0.909" },
    { "The user(s) account is disabled.", 0, "5.0.921" },
    { "Your message was not delivered within 2 days and 4 hours.", 0, "5.0.947" },
    { "Delivery failed 12 attempts: ann@example.org", 0, "5.0.947" },
    { "You are not a member of this mailing list <list@example.org>.", 0, "5.0.918" },
    { "Maximum hop count exceeded", 554, "5.0.944" },
    { "Duplicated Message-ID in <list@example.org>.", 0, "5.0.930" },
    { "host/domain does not accept mail", 0, "5.0.932" },
    { "Illegal host/domain name found", 0, "5.0.912" },
    { "Error message below: 451 not a member", 451, "4.0.918" },
    { "500 Line limit exceeded", 500, "5.0.934" },
    { "SMTP error from remote mail server after MAIL FROM:<b@example.com>: 550 rDNS missing", 550, "5.0.901" },
    { "SMTP error from remote mail server after MAIL FROM:<b@example.com>: 451 try later", 451, "4.0.901" },
    { "SMTP error from remote mail server after MAIL FROM:<b@example.com>: 553 5.1.8 bad sender", 553, "5.1.8" },
    { "500 Remote server does not support TLS", 500, "5.0.930" },
    { "554 Invalid IP for sending mail of domain example.com", 554, "5.0.971" },
    { "The number of messages in the recipient's mailbox exceeded the local limit.", 0, "5.0.922" },
    /* one case per family, in the words servers use; the order of the
     * families decides where two of them meet */
    { "421 Too many concurrent SMTP connections from this IP", 421, "4.0.945" },
    { "550 Throttling failure: Daily message quota exceeded", 550, "5.0.945" },
    { "452 Insufficient system storage", 452, "4.0.931" },
    { "550 Recipient rejected: mailbox would exceed maximum allowed storage", 550, "5.0.922" },
    { "552 Mailbox size limit exceeded", 552, "5.0.922" },
    { "552 User has exceeded quota, bouncing mail", 552, "5.0.922" },
    { "550 Header size exceeds maximum permitted", 550, "5.0.960" },
    { "552 Message length exceeds administrative limit", 552, "5.0.934" },
    { "550 This mailbox is frozen", 550, "5.0.921" },
    { "550 User suspended: ann@example.org", 550, "5.0.921" },
    { "550 The account of ann@example.org has been suspended", 550, "5.0.921" },
    { "451 Delivery to this domain is currently suspended", 451, "4.0.0" },
    { "550 ann@example.org has been replaced by bob@example.org", 550, "5.0.916" },
    { "554 We do not act as a relay", 554, "5.0.909" },
    { "550 Sorry, that domain isn't in my list of allowed rcpthosts", 550, "5.0.909" },
    { "550 Sender verify failed", 550, "5.0.918" },
    { "553 Null sender is not allowed", 553, "5.0.918" },
    { "550 Access denied (sender blacklisted)", 550, "5.0.918" },
    { "550 Recipient address rejected: unknown domain name", 550, "5.0.912" },
    { "550 Mail domain mentioned in email address is unknown", 550, "5.0.912" },
    { "550 Requested action not taken: mailbox unavailable", 550, "5.0.911" },
    { "550 Unknown local-part ann in domain example.org", 550, "5.0.911" },
    { "550 ann@example.org is not a valid mailbox", 550, "5.0.911" },
    { "550 Recipient unknown", 550, "5.0.911" },
    { "550 Utilisateur inconnu !", 550, "5.0.911" },
    { "550 Mailbox unavailable: over quota", 550, "5.0.922" },
    { "550 Message rejected due to user rules", 550, "5.0.910" },
    { "550 The recipient is only accepting mail from specific email addresses", 550, "5.0.910" },
    { "Connection timed out", 0, "5.0.947" },
    { "Unable to deliver message after multiple retries", 0, "5.0.947" },
    { "Unable to open an SMTP connection; the message has been in the queue too long.", 0, "5.0.944" },
    { "Host name lookup failure", 0, "5.0.944" },
    { "451 Temporary local problem - please try later", 451, "4.0.930" },
    { "421 Service temporarily unavailable", 421, "4.0.930" },
    { "550 No MX found for domain example.net", 550, "5.0.932" },
    { "554 Client host rejected: cannot find your hostname", 554, "5.0.971" },
    { "550 We do not accept mail from dynamic IPs", 550, "5.0.971" },
    { "550 Rejected due to the sending MTA's poor reputation", 550, "5.0.971" },
    { "554 You are sending spam from a dynamic range", 554, "5.0.971" },
    { "550 Please use the SMTP server of your ISP", 550, "5.0.971" },
    { "550 Bad DNS PTR resource record", 550, "5.0.973" },
    { "554 Your email breaches local URIBL policy", 554, "5.0.980" },
    { "550 Message detected as spam", 550, "5.0.980" },
    { "550 Your message has been temporarily blocked by our filter", 550, "5.0.980" },
    { "550 Blocked by SpamAssassin", 550, "5.0.980" },
    { "550 Virus detected", 550, "5.0.971" },
    { "550 Message not accepted for policy reasons", 550, "5.0.972" },
    { "550 Denied by policy", 550, "5.0.972" },
    { "530 Authentication required", 530, "5.0.970" },
    { "550 Unauthenticated senders not allowed", 550, "5.0.970" },
    { "procmail: Quota exceeded while writing", 0, "5.0.922" },
    { "Command died with status 1: /usr/bin/procmail", 0, "5.0.939" },
    { "mailer error", 0, "5.0.939" },
    /* MTAs' own notices (no remote reply) */
    { "all relevant MX records point to non-existent hosts", 0, "5.0.912" },
    { "an MX or SRV record indicated no SMTP service", 0, "5.0.932" },
    { "Too many \"Received\" headers - suspected mail loop", 0, "5.0.960" },
    { "malformed address: ann may not follow <bob@example.org>", 0, "5.0.902" },
    /* reasons servers and MTAs give in their own words (OpenSMTPD, Exim,
     * hosted gateways) */
    { "Delivery timeout", 0, "5.0.947" },
    { "552 Account storage limit reached", 552, "5.0.922" },
    { "552 Maximum email size exceeded", 552, "5.0.934" },
    { "550 Mail message is malformed. Not accepted.", 550, "5.0.960" },
    { "Invalid domain name", 0, "5.0.912" },
    { "550 Nonexistent domain", 550, "5.0.912" },
    { "All routes to destination blocked", 0, "5.0.944" },
    { "Address family mismatch on destination MXs", 0, "5.0.944" },
    { "DNS Error: Could not contact DNS servers", 0, "5.0.944" },
    { "452 Insufficient system resources", 452, "4.0.931" },
    { "451 Temporary system problem. Try again later.", 451, "4.0.930" },
    { "535 Incorrect authentication data", 535, "5.0.970" },
    { "530 TLS required for RCPT domain, closing connection.", 530, "5.0.970" },
    { "Could not retrieve credentials", 0, "5.0.970" },
    { "500 Unrecognized command", 500, "5.0.902" },
    { "550 Destination server rejected recipients", 550, "5.0.911" },
    { "No matches to nameserver query", 0, "5.0.911" },
    /* our host refused or not trusted, in the words of the SMTP greeting,
     * Sender ID and SPF checks */
    { "421 mx.example.org Service not available, closing transmission channel", 421, "4.0.971" },
    { "421 Service not available", 421, "4.0.930" },
    { "553 sorry, can't determine purported responsible address", 553, "5.0.971" },
    { "550 192.0.2.1 is not allowed to send mail from example.com", 550, "5.0.971" },
    { "550 Rejected because the sending MTA or the sender has not passed validation", 550, "5.0.971" },
    { "554 go away", 554, "5.0.971" },
    { "554 This message was rejected by Recurrent Pattern Detection System", 554, "5.0.980" },
    /* qmail-ldap's own notices, in its own spelling */
    { "Mailaddress is administrativley disabled.", 0, "5.0.921" },
    { "The message exeeded the maximum size the user accepts.", 0, "5.0.934" },
    { "Temporary failure in LDAP lookup.", 0, "5.0.930" },
    { "Sorry, I couldn't find a mail exchanger or IP address.", 0, "5.0.944" },
    { "550 Message threshold exceeded", 550, "5.0.945" },
    { "554 Attachment extension is forbidden", 554, "5.0.972" },
    { "delivery to pipe forbidden", 0, "5.0.930" },
    { "Message has exceeded maximum hop count", 0, "5.0.944" },
    { "192.0.2.1 does not like recipient. Remote host said: 550 bad luck", 550, "5.0.911" },
    { "452 Requested action not taken: mailbox unavailable (not enough free space)", 452, "4.0.931" },
    /* the RFC 3463 descriptions, which MTAs print in words */
    { "550 Bad destination mailbox address", 550, "5.0.911" },
    { "550 Bad destination system address", 550, "5.0.912" },
    { "551 Destination mailbox has moved, no forwarding address", 551, "5.0.916" },
    { "553 Bad sender's system address", 553, "5.0.918" },
    { "521 System not accepting network messages", 521, "5.0.932" },
    { "554 Media not supported", 554, "5.0.960" },
    { "551 Delivery not authorized, message refused", 551, "5.0.970" },
    { "503 Bad sequence of commands", 503, "5.0.902" },
    /* Postfix's "Recipient address rejected:" gives way to the reason after it */
    { "550 <ann@example.org>: Recipient address rejected: Message length exceeds administrative limit", 550, "5.0.934" },
    { "550 <ann@example.org>: Recipient address rejected: Virus detected", 550, "5.0.971" },
    { "550 <ann@example.org>: Recipient address rejected: No relaying", 550, "5.0.909" },
    { "550 <ann@example.org>: Recipient address rejected: Access denied", 550, "5.0.911" },
    { "550 <ann@example.org>: Recipient address rejected: Greylisted", 550, "5.0.911" },
    { "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", 550, "5.1.1" },
    { "550 RESOLVER.ADR.RecipNotFound; not found", 550, "5.0.911" },
    { "550 Recipient no longer on server: ann@example.org", 550, "5.0.916" },
    { "550 Connection frequency limited, try later", 550, "5.0.945" },
    { "lost connection with mx.example.org[192.0.2.9] while receiving the initial server greeting", 0, "5.0.944" },
    { "552 Headers too large", 552, "5.0.960" },
    { "554 Transaction failed: Duplicate header 'Subject'", 554, "5.0.960" },
    { "450 Access denied. IP name lookup failed [192.0.2.9]", 450, "4.0.973" },
    { "550 Message filtered", 550, "5.0.910" },
    { "554 Message rejected: Email address is not verified.", 554, "5.0.909" },
    { "550 The recipient account is blocked", 550, "5.0.921" },
    { "550 Please turn on SMTP Authentication in your mail client", 550, "5.0.970" },
    { "550 Recipient address rejected: Domain not found", 550, "5.0.912" },
    { "550 Sender address rejected: Domain not found", 550, "5.0.918" },
    { "550 Mailbox temporarily disabled", 550, "5.0.921" },
    { "553 Relaying disallowed", 553, "5.0.909" },
    { "421 Throttled: too many messages", 421, "4.0.945" },
    { "550 Rejected: an attachment type that is not allowed", 550, "5.0.972" },
    { "450 Unable to verify sender address", 450, "4.0.918" },
    { "The user(s) account is temporarily limited.", 0, "5.0.921" },
    { "554 Connection refused. This IP is listed on a block list we use. XB104", 554, "5.0.971" },
    { "554 This IP has been blocked for the day for mailing too many invalid recipients", 554, "5.0.971" },
    { "550 Rejected by header-based blocked senders - block policy for header From", 550, "5.0.918" },
    { "Connected to 192.0.2.25 but sender was rejected.", 0, "5.0.918" },
    { "DNS Error: DNS type 'mx' lookup of example.net had no relevant answers.", 0, "5.0.944" },
    { "Connected to 192.0.2.7 but sender was rejected. Remote host said: 553 go away", 553, "5.0.918" },
    { "Connected to 192.0.2.7 but my name was rejected. Remote host said: 501 bad HELO", 501, "5.0.971" },
    { "no host found for existing SMTP connection", 0, "5.0.932" },
    { "Loop detected", 0, "5.0.944" },
    { "This domain's DNS violates RFC 1035.", 0, "5.0.930" },
    { "Cannot route mail to user (ann@example.org)", 0, "5.0.910" },
    { "Sorry, I couldn't find a mail exchanger or IP address.", 0, "5.0.944" },
    { "Mailaddress is administrativly disabled.", 0, "5.0.921" },
    { "Temporary failure in LDAP lookup.", 451, "4.0.930" },
    { "Permanent error while executing qmail-forward.", 0, "5.0.930" },
    { "malformed address: expected word or \"<\"", 0, "5.0.902" },
    { "mail.local: temporary file write error", 0, "5.0.930" },
    { "procmail: No space left to finish writing \"/var/mail/ann\"", 0, "5.0.931" },
    { "maildrop: Invalid user specified.", 0, "5.0.911" },
    { "vdeliver: Invalid or unknown virtual user", 0, "5.0.911" },
    { "The e-mail address you entered couldn't be found.", 0, "5.0.911" },
    { "Your message was automatically rejected by Sieve, a mail filtering language.", 0, "5.0.910" },
    /* Dovecot's LDA and LMTP for a user it does not know */
    { "Command died with status 67: \"/usr/lib/dovecot/deliver\". Command output: User doesn't exist: ann@example.org", 0, "5.0.911" },
    /* A reply in the x0z (syntax) category no words explain; other replies
     * without words give their class only. */
    { "501 Invalid argument", 501, "5.0.902" },
    { "502 Command not implemented", 502, "5.0.902" },
    { "550 Requested action not taken", 550, "5.0.0" },
    /* A transcript's success code is no status of the failure. */
    { "RCPT TO:<ann@example.org> 250 2.1.5 Ok; DATA 554 Refused", 554, "5.0.0" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      g_autofree char *status = oob_status_derive (phrases[i].text, phrases[i].code, NULL);
      g_assert_cmpstr (status, ==, phrases[i].status);
    }
}

/* Fixtures of other kinds are never claimed by these families. */
static void
test_others_not_claimed (void)
{
  static const char *const dirs[] = { "dsn", "arf", "autoreply", "other" };
  for (gsize d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *path = g_build_filename (OOB_SRCDIR, "fixtures", dirs[d], NULL);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      g_assert_nonnull (dir);
      for (const char *name; (name = g_dir_read_name (dir));)
        {
          if (!g_str_has_suffix (name, ".eml"))
            continue;
          gsize length;
          g_autofree char *data = oob_test_read_fixture (dirs[d], name, &length);
          g_autoptr (OobReport) report = oob_parse_message (data, length);
          if (is_ours (report->parser))
            g_error ("%s/%s claimed by %s", dirs[d], name, report->parser);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/bounce/vendors/%s", cases[i].file);
      g_test_add_data_func (name, &cases[i], oob_test_bounce_fixture);
      g_autofree char *ends = g_strdup_printf ("/bounce/vendors/line-ends/%s", cases[i].file);
      g_test_add_data_func (ends, &cases[i], oob_test_bounce_line_ends);
      /* Carrier notices answer the message ("Re: <subject>"); fml's come
       * from the list's own administrative address. */
      if (!g_str_equal (cases[i].parser, "verizon") && !g_str_equal (cases[i].parser, "fml"))
        {
          g_autofree char *person = g_strdup_printf ("/bounce/vendors/sent-by-person/%s", cases[i].file);
          g_test_add_data_func (person, &cases[i], oob_test_bounce_sent_by_person);
        }
    }
  g_test_add_func ("/bounce/vendors/forwarded-bounce", test_forwarded_bounce);
  g_test_add_func ("/bounce/vendors/exchange-needs-fingerprint", test_exchange_needs_fingerprint);
  g_test_add_func ("/bounce/vendors/exchange-wrapped-date", test_exchange_wrapped_date);
  g_test_add_func ("/bounce/vendors/ndreport-needs-heading-and-mark", test_ndreport_needs_heading_and_mark);
  g_test_add_func ("/bounce/vendors/dovecot-reject", test_dovecot_reject);
  g_test_add_func ("/bounce/vendors/carrier-user-mail", test_carrier_user_mail);
  g_test_add_func ("/bounce/vendors/carrier-subscriber-mail", test_carrier_subscriber_mail);
  g_test_add_func ("/bounce/vendors/fml-list-post", test_fml_list_post);
  g_test_add_func ("/bounce/vendors/forwarded-attachment", test_forwarded_attachment);
  g_test_add_func ("/bounce/vendors/recipient-limit", test_recipient_limit);
  g_test_add_func ("/bounce/vendors/james-needs-fingerprint", test_james_needs_fingerprint);
  g_test_add_func ("/bounce/vendors/x5-attached-dsn", test_x5_attached_dsn);
  g_test_add_func ("/bounce/vendors/x5-needs-two-marks", test_x5_needs_two_marks);
  g_test_add_func ("/bounce/vendors/rewrapped-dsn", test_rewrapped_dsn);
  g_test_add_func ("/bounce/vendors/mailenable-needs-intro", test_mailenable_needs_intro);
  g_test_add_func ("/bounce/vendors/mimecast-gave-up", test_mimecast_gave_up);
  g_test_add_func ("/bounce/vendors/biglobe-without-reason", test_biglobe_without_reason);
  g_test_add_func ("/bounce/vendors/exchange2003-remote-unexplained", test_exchange2003_remote_unexplained);
  g_test_add_func ("/bounce/vendors/ezweb-subscriber-mail", test_ezweb_subscriber_mail);
  g_test_add_func ("/bounce/vendors/ezweb-undecodable-line", test_ezweb_undecodable_line);
  g_test_add_func ("/bounce/vendors/unstaged-unknown-user", test_unstaged_unknown_user);
  g_test_add_func ("/bounce/vendors/interscan-status-stands", test_interscan_status_stands);
  g_test_add_func ("/bounce/vendors/mxlogic-fingerprints", test_mxlogic_fingerprints);
  g_test_add_func ("/bounce/vendors/mfilter-fingerprints", test_mfilter_fingerprints);
  g_test_add_func ("/bounce/vendors/activehunter-without-transcript", test_activehunter_without_transcript);
  g_test_add_func ("/bounce/vendors/x3-command", test_x3_command);
  g_test_add_func ("/bounce/vendors/qmailclone-sender", test_qmailclone_sender);
  g_test_add_func ("/bounce/vendors/x1-sender", test_x1_sender);
  g_test_add_func ("/bounce/vendors/interscan-subject-sender", test_interscan_subject_sender);
  g_test_add_func ("/bounce/vendors/activehunter-gateway-header", test_activehunter_gateway_header);
  g_test_add_func ("/bounce/vendors/imail-stages", test_imail_stages);
  g_test_add_func ("/bounce/vendors/derive-phrases", test_derive_phrases);
  g_test_add_func ("/bounce/vendors/others-not-claimed", test_others_not_claimed);
  return g_test_run ();
}
