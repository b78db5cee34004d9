/* test-bounce-providers.c - the mailbox-provider bounce parsers on our fixtures. */
#include "config.h"

#include <string.h>

#include "bounce_provider.h"
#include "bounce_text.h"
#include "fixture.h"
#include "parse.h"
#include "plaintext.h"

static OobReport *
parse_text (const char *text)
{
  return oob_parse_message (text, strlen (text));
}

static OobRecipient *
recipient (OobReport *report, guint i)
{
  g_assert_cmpuint (report->recipients->len, >, i);
  return g_ptr_array_index (report->recipients, i);
}

/* Asserts the report is parser's bounce with these recipients, in order. */
static void
assert_bounce (OobReport *report, const char *parser, const char *const *addresses)
{
  g_assert_cmpint (report->type, ==, OOB_REPORT_BOUNCE);
  g_assert_cmpstr (report->parser, ==, parser);
  guint n = g_strv_length ((GStrv) addresses);
  g_assert_cmpuint (report->recipients->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      OobRecipient *r = recipient (report, i);
      g_assert_cmpstr (r->final_recipient, ==, addresses[i]);
      /* Diagnostics are one trimmed line. */
      if (r->diagnostic)
        {
          g_assert_null (strchr (r->diagnostic, '\n'));
          g_assert_null (strstr (r->diagnostic, "  "));
          g_assert_false (g_ascii_isspace (r->diagnostic[0]));
        }
    }
}

static void
assert_recipient (OobReport *report, guint i, const char *action, const char *status, int code, const char *in_diagnostic)
{
  OobRecipient *r = recipient (report, i);
  g_assert_cmpstr (r->action, ==, action);
  g_assert_cmpstr (r->status, ==, status);
  g_assert_cmpint (r->smtp_code, ==, code);
  if (in_diagnostic)
    {
      g_assert_nonnull (r->diagnostic);
      g_assert_nonnull (strstr (r->diagnostic, in_diagnostic));
    }
}

static void
test_gmail_classic (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmail-classic-permanent.eml", NULL);
  const char *const want[] = { "alice@example.org", "bob@example.org", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "Recipient address rejected: no such mailbox on this server");
  assert_recipient (report, 1, "failed", "5.1.1", 550, NULL);
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx1.example.org");
  /* The diagnostic is the server's reply, not Google's preamble. */
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 5.1.1 "));
}

static void
test_gmail_delayed (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmail-classic-delayed.eml", NULL);
  const char *const want[] = { "carol@example.net", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "delayed", "4.0.947", 0, "did not accept our requests to connect");
  g_assert_cmpint (oob_recipient_kind (report, recipient (report, 0)), ==, OOB_KIND_DELAY);
}

static void
test_gmail_banner (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmail-banner-empty-dsn.eml", NULL);
  const char *const want[] = { "dave@example.org", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "failed", "5.7.1", 550, "sending domain not allowed");
  g_assert_cmpstr (report->orig_message_id, ==, "20261104.d7e8f9@mailer.example.com");
}

static const char gmail_incomplete[] =
  "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
  "To: bounces+zack=example.org@bounce.example.com\n"
  "Subject: Delivery Status Notification (Delay)\n"
  "X-Failed-Recipients: zack@example.org\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "** Delivery incomplete **\n\n"
  "There was a temporary problem delivering your message to zack@example.org.\n"
  "Gmail will retry for 40 more hours.\n\n"
  "The response was:\n\n"
  "451 4.3.0 mailbox temporarily unavailable\n";

static void
test_gmail_incomplete (void)
{
  g_autoptr (OobReport) report = parse_text (gmail_incomplete);
  const char *const want[] = { "zack@example.org", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "delayed", "4.3.0", 451, "temporarily unavailable");

  /* A warning without X-Failed-Recipients: Gmail's explanation names it. */
  g_auto (GStrv) pieces = g_strsplit (gmail_incomplete, "X-Failed-Recipients: zack@example.org\n", -1);
  g_autofree char *unlisted = g_strjoinv ("", pieces);
  g_autoptr (OobReport) named = parse_text (unlisted);
  assert_bounce (named, "gmail", want);
  assert_recipient (named, 0, "delayed", "4.3.0", 451, "temporarily unavailable");

  /* A failure lists its recipients there; passed on without the header
   * (and without a delivery-status part) it is named in the explanation. */
  g_auto (GStrv) banner = g_strsplit (unlisted, "** Delivery incomplete **", -1);
  g_autofree char *failure = g_strjoinv ("** Message not delivered **", banner);
  g_autoptr (OobReport) unnamed = parse_text (failure);
  assert_bounce (unnamed, "gmail", want);
  assert_recipient (unnamed, 0, "failed", "4.3.0", 451, "temporarily unavailable");
}

/* A reply without an enhanced code takes its reason from Gmail's state
 * code; the notice may end at "Message header follows". */
static void
test_gmail_state (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmail-classic-state.eml", NULL);
  const char *const want[] = { "frank@example.org", NULL };
  assert_bounce (report, "gmail", want);
  /* "Unknown user" refused at the end of the data (state 18): filtered. */
  assert_recipient (report, 0, "failed", "5.0.910", 550, "Unknown user frank@example.org (state 18).");
  g_assert_cmpstr (recipient (report, 0)->smtp_command, ==, "DATA");
  g_assert_null (strstr (recipient (report, 0)->diagnostic, "Return-Path"));
}

static const char gmail_state_delayed[] =
  "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
  "To: bounces+ivan=example.org@bounce.example.com\n"
  "Subject: Delivery Status Notification (Delay)\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "Delivery to the following recipient has been delayed:\n\n"
  "     ivan@example.org\n\n"
  "Message will be retried for 2 more day(s)\n\n"
  "Technical details of temporary failure:\n"
  "The error that the other server returned was:\n"
  "451 451 Access temporarily refused (state 13).\n";

/* Its class follows the reply code (or the warning); a stated code wins. */
static void
test_gmail_state_delayed (void)
{
  g_autoptr (OobReport) report = parse_text (gmail_state_delayed);
  const char *const want[] = { "ivan@example.org", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "delayed", "4.0.971", 451, "(state 13)");

  g_auto (GStrv) parts = g_strsplit (gmail_state_delayed, "Access temporarily refused", 2);
  g_autofree char *stated = g_strjoinv ("4.2.2 Mailbox full", parts);
  g_autoptr (OobReport) with_code = parse_text (stated);
  assert_recipient (with_code, 0, "delayed", "4.2.2", 451, "Mailbox full (state 13)");

  /* Words that name a reason keep it; the state gives their stage. */
  g_auto (GStrv) again = g_strsplit (gmail_state_delayed, "Access temporarily refused (state 13)", 2);
  g_autofree char *worded = g_strjoinv ("<ivan@example.org>... Mailbox Full (state 14)", again);
  g_autoptr (OobReport) full = parse_text (worded);
  assert_recipient (full, 0, "delayed", "4.0.922", 451, "Mailbox Full (state 14)");
  g_assert_cmpstr (recipient (full, 0)->smtp_command, ==, "RCPT");
}

/* Gmail gives up when it cannot reach DNS at all: expired, not a bad host. */
static void
test_gmail_dns (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmail-classic-dns.eml", NULL);
  const char *const want[] = { "heidi@example.net", NULL };
  assert_bounce (report, "gmail", want);
  assert_recipient (report, 0, "failed", "5.0.947", 0, "DNS Error: Could not contact DNS servers");
}

/* Google Workspace's report gives "Diagnostic-Code: smtp; 550" and a
 * class-only status; the notice beside it quotes the reply, which then
 * gives both. */
static void
test_gsuite_code_only (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/gsuite-code-only.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "Recipient address rejected: User unknown");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 5.1.1"));
}

static void
test_googlegroups (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/googlegroups-post-refused.eml", NULL);
  const char *const want[] = { "team@groups.example.org", NULL };
  assert_bounce (report, "googlegroups", want);
  assert_recipient (report, 0, "failed", "5.0.918", 0, "could not post your message");
  /* The quoted original stays out of the diagnostic. */
  g_assert_null (strstr (recipient (report, 0)->diagnostic, "X-Campaign-ID"));
}

static void
test_yahoo (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/yahoo-failure-notice.eml", NULL);
  const char *const want[] = { "erin@example.net", "frank@example.net", NULL };
  assert_bounce (report, "yahoo", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "unknown user, please check the address");
  assert_recipient (report, 1, "failed", "5.2.2", 552, "mailbox is full");
  /* "Remote host said:" and the SMTP phase are Yahoo's framing, not the reply. */
  g_assert_null (strstr (recipient (report, 0)->diagnostic, "Remote host said"));
  g_assert_null (strstr (recipient (report, 1)->diagnostic, "RCPT_TO"));
  /* ... though it names the command the reply answered. */
  g_assert_cmpstr (recipient (report, 0)->smtp_command, ==, "RCPT");
  g_assert_cmpstr (recipient (report, 1)->smtp_command, ==, "RCPT");
}

static void
test_amazonses_bare (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/amazonses-sns-bounce.eml", NULL);
  const char *const want[] = { "henry@example.org", "ivy@example.org", NULL };
  assert_bounce (report, "amazonses", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "mailbox unknown");
  assert_recipient (report, 1, "failed", "5.4.4", 550, "no mail hosts");
  g_assert_cmpstr (report->reporting_mta, ==, "a8-50.smtp-out.amazonses.test");
  g_assert_false (g_str_has_prefix (recipient (report, 0)->diagnostic, "smtp;"));
  /* The sent message's headers from the event stand in for a returned original. */
  g_assert_cmpstr (report->orig_message_id, ==, "20261107.2c3d4e@mailer.example.com");
  g_assert_cmpstr (report->orig_subject, ==, "Your November newsletter");
  g_assert_cmpstr (report->orig_from, ==, "Example News <news@example.com>");
  g_assert_cmpstr (report->orig_to, ==, "henry@example.org, ivy@example.org");
  g_assert_nonnull (report->orig_headers);
  g_assert_nonnull (strstr (report->orig_headers, "X-Campaign-ID: spring-sale\n"));
}

/* A relay cut the one-line JSON at 990 characters ("!", a line end, a
 * space), once inside a string and once between members. */
static void
test_amazonses_line_cut (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/amazonses-sns-line-cut.eml", NULL);
  const char *const want[] = { "kim@example.net", NULL };
  assert_bounce (report, "amazonses", want);
  assert_recipient (report, 0, "failed", "5.2.2", 552, "4Zr1Uv3Wx5z9vQ7-kim (queue 2026-11-08)");
  g_assert_null (strchr (recipient (report, 0)->diagnostic, '!'));
  g_assert_nonnull (report->orig_headers);
  g_assert_nonnull (strstr (report->orig_headers, "X-Campaign-ID: weekly-digest\n"));
}

static void
test_amazonses_envelope (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/amazonses-sns-envelope.eml", NULL);
  const char *const want[] = { "jack@example.net", NULL };
  assert_bounce (report, "amazonses", want);
  assert_recipient (report, 0, "failed", "5.2.2", 552, "over quota");
}

static const char ses_delivery[] =
  "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
  "To: ses-events@bounce.example.com\n"
  "Subject: AWS Notification Message\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "{\"notificationType\":\"Delivery\",\"mail\":{\"source\":\"news@example.com\"},"
  "\"delivery\":{\"recipients\":[\"xena@example.org\"],\"smtpResponse\":\"250 2.6.0 queued as 1234\","
  "\"reportingMTA\":\"a8-52.smtp-out.amazonses.test\"}}\n--\nfooter\n";

static const char ses_delay_event[] =
  "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
  "To: ses-events@bounce.example.com\n"
  "Subject: AWS Notification Message\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "{\"eventType\":\"DeliveryDelay\",\"mail\":{\"source\":\"news@example.com\"},"
  "\"deliveryDelay\":{\"delayType\":\"TransientCommunicationFailure\",\"delayedRecipients\":"
  "[{\"emailAddress\":\"yves@example.org\",\"status\":\"4.4.1\",\"diagnosticCode\":\"smtp; 421 4.4.1 try later\"}]}}\n";

static const char ses_complaint[] =
  "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
  "To: ses-events@bounce.example.com\n"
  "Subject: AWS Notification Message\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":"
  "[{\"emailAddress\":\"yara@example.org\"}],\"complaintFeedbackType\":\"abuse\"}}\n";

/* SES sends no status when the remote server sent no report: the bounce
 * type says the reason; "General" leaves it to the words. */
static const char ses_no_status[] =
  "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
  "To: ses-events@bounce.example.com\n"
  "Subject: AWS Notification Message\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "{\"notificationType\":\"Bounce\",\"mail\":{\"source\":\"news@example.com\"},"
  "\"bounce\":{\"bounceType\":\"Transient\",\"bounceSubType\":\"MailboxFull\",\"bouncedRecipients\":"
  "[{\"emailAddress\":\"abel@example.org\"}]}}\n";

static const char ses_broken[] =
  "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
  "To: ses-events@bounce.example.com\n"
  "Subject: AWS Notification Message\n"
  "Content-Type: text/plain; charset=UTF-8\n\n"
  "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"zoe@example.org\"\n";

static void
test_amazonses_events (void)
{
  g_autoptr (OobReport) delivery = parse_text (ses_delivery);
  g_assert_cmpstr (delivery->parser, ==, "amazonses");
  assert_recipient (delivery, 0, "delivered", "2.6.0", 250, "queued");
  g_assert_cmpint (oob_recipient_kind (delivery, recipient (delivery, 0)), ==, OOB_KIND_DELIVERED);

  g_autoptr (OobReport) delay = parse_text (ses_delay_event);
  g_assert_cmpstr (delay->parser, ==, "amazonses");
  assert_recipient (delay, 0, "delayed", "4.4.1", 421, "try later");
  /* Without a status, the delay type says why. */
  g_auto (GStrv) stated = g_strsplit (ses_delay_event, ",\"status\":\"4.4.1\",\"diagnosticCode\":\"smtp; 421 4.4.1 try later\"", -1);
  g_autofree char *bare = g_strjoinv ("", stated);
  g_autoptr (OobReport) unstated = parse_text (bare);
  assert_recipient (unstated, 0, "delayed", "4.0.944", 0, NULL);

  /* Complaints are feedback, for the complaint parsers; never a bounce. */
  g_autoptr (OobReport) complaint = parse_text (ses_complaint);
  g_assert_cmpstr (complaint->parser, !=, "amazonses");
  g_assert_cmpint (complaint->type, !=, OOB_REPORT_BOUNCE);

  g_autoptr (OobReport) no_status = parse_text (ses_no_status);
  g_assert_cmpstr (no_status->parser, ==, "amazonses");
  assert_recipient (no_status, 0, "failed", "4.0.922", 0, NULL);
  g_auto (GStrv) halves = g_strsplit (ses_no_status, "\"Transient\",\"bounceSubType\":\"MailboxFull\"", -1);
  g_autofree char *no_email = g_strjoinv ("\"Permanent\",\"bounceSubType\":\"NoEmail\"", halves);
  g_autoptr (OobReport) unknown = parse_text (no_email);
  assert_recipient (unknown, 0, "failed", "5.0.911", 0, NULL);
  g_autofree char *general = g_strjoinv ("\"Permanent\",\"bounceSubType\":\"General\"", halves);
  g_autoptr (OobReport) unexplained = parse_text (general);
  g_assert_cmpstr (recipient (unexplained, 0)->status, !=, "5.0.911");

  /* Cut JSON is not guessed at. */
  g_autoptr (OobReport) broken = parse_text (ses_broken);
  g_assert_cmpstr (broken->parser, !=, "amazonses");
}

static void
test_amazonworkmail (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/amazonworkmail-failure.eml", NULL);
  const char *const want[] = { "kate@example.org", NULL };
  assert_bounce (report, "amazonworkmail", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "no such user in this domain");
  g_assert_cmpstr (report->reporting_mta, ==, "a27-90.smtp-out.us-west-2.amazonses.test");
  g_assert_cmpstr (report->orig_message_id, ==, "20261108.3d4e5f@mailer.example.com");
}

/* Known by its X-Mailer and SES's stamp instead of the sender and intro. */
static void
test_amazonworkmail_mailer (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/amazonworkmail-mailer.eml", NULL);
  const char *const want[] = { "lena@example.org", NULL };
  assert_bounce (report, "amazonworkmail", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "no such user in this domain");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 5.1.1"));

  /* The same text from anyone else, naming no mailer: not WorkMail's. */
  gsize len;
  g_autofree char *data = oob_test_read_fixture ("nonstandard/amazonworkmail-mailer.eml", NULL, &len);
  g_auto (GStrv) pieces = g_strsplit (data, "X-Mailer: Amazon WorkMail\n", -1);
  g_autofree char *unnamed = g_strjoinv ("", pieces);
  g_autoptr (OobReport) other = parse_text (unnamed);
  g_assert_cmpstr (other->parser, !=, "amazonworkmail");

  /* A WorkMail user forwarding such a report is not WorkMail's notice. */
  g_auto (GStrv) sender = g_strsplit (data, "From: Mail Delivery <postmaster@mail.example.org>", -1);
  g_autofree char *forwarded = g_strjoinv ("From: Lena Brandt <lena.brandt@mail.example.org>", sender);
  g_autoptr (OobReport) user = parse_text (forwarded);
  g_assert_cmpstr (user->parser, !=, "amazonworkmail");

  /* Nor is a report a user's no-reply mailbox sends through WorkMail. */
  g_autofree char *no_reply = g_strjoinv ("From: Reports <noreply@mail.example.org>", sender);
  g_autoptr (OobReport) automated = parse_text (no_reply);
  g_assert_cmpstr (automated->parser, !=, "amazonworkmail");
}

static void
test_mailru (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/mailru-failure.eml", NULL);
  /* The English list has the full addresses; the quoted one is not read. */
  const char *const want[] = { "leo@example.net", "mia@example.net", NULL };
  assert_bounce (report, "mailru", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "no such user here");
  assert_recipient (report, 1, "failed", "5.2.2", 552, "over quota");
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.net");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 "));
}

/* Mail.Ru's own refusal has no list: the mailbox its error names, once,
 * and none from the copied message. */
static void
test_mailru_local_refusal (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/mailru-local-refusal.eml", NULL);
  const char *const want[] = { "nika@example.net", NULL };
  assert_bounce (report, "mailru", want);
  assert_recipient (report, 0, "failed", "5.0.921", 0, "Local mailbox nika@example.net is unavailable: account is disabled");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "Message was not accepted -- invalid mailbox."));
}

/* Older Exim's "SMTP error from remote mailer after ...": the same reply,
 * remote host and stage. */
static void
test_mailru_remote_mailer (void)
{
  gsize len;
  g_autofree char *data = oob_test_read_fixture ("nonstandard/mailru-failure.eml", NULL, &len);
  g_auto (GStrv) pieces = g_strsplit (data, "SMTP error from remote mail server after RCPT", -1);
  g_autofree char *older = g_strjoinv ("SMTP error from remote mailer after RCPT", pieces);
  g_autoptr (OobReport) report = parse_text (older);
  const char *const want[] = { "leo@example.net", "mia@example.net", NULL };
  assert_bounce (report, "mailru", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "no such user here");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 5.1.1"));
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.net");
  g_assert_cmpstr (recipient (report, 0)->smtp_command, ==, "RCPT");
}

/* The list shows the local part alone: X-Failed-Recipients names it; a
 * refusal at MAIL FROM without an enhanced code is the sender's. */
static void
test_mailru_local_part (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/mailru-local-part.eml", NULL);
  const char *const want[] = { "oleg@example.org", NULL };
  assert_bounce (report, "mailru", want);
  assert_recipient (report, 0, "failed", "5.0.918", 550, "550 Not allowed");
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.org");
  g_assert_cmpstr (recipient (report, 0)->smtp_command, ==, "MAIL");

  /* A reply that names its reason keeps it. */
  gsize len;
  g_autofree char *data = oob_test_read_fixture ("nonstandard/mailru-local-part.eml", NULL, &len);
  g_auto (GStrv) pieces = g_strsplit (data, "550 Not allowed", -1);
  g_autofree char *listed = g_strjoinv ("550 your IP is blacklisted", pieces);
  g_autoptr (OobReport) blocked = parse_text (listed);
  assert_recipient (blocked, 0, "failed", "5.0.971", 550, "blacklisted");
}

static void
test_gmx (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmx-failure.eml", NULL);
  const char *const want[] = { "olga@example.org", "paul@example.org", NULL };
  assert_bounce (report, "gmx", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "user not found");
  /* A temporary reply in a permanent-error notice: the message failed. */
  assert_recipient (report, 1, "failed", "4.2.2", 452, "mailbox full");
  g_assert_cmpstr (recipient (report, 1)->remote_mta, ==, "mx.example.org");
}

/* GMX gave up itself: "<address>", "Reason:" and the text under it. */
static void
test_gmx_retry_timeout (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/gmx-retry-timeout.eml", NULL);
  const char *const want[] = { "quinn@example.net", NULL };
  assert_bounce (report, "gmx", want);
  assert_recipient (report, 0, "failed", "5.0.947", 0, NULL);
  g_assert_cmpstr (recipient (report, 0)->diagnostic, ==, "delivery retry timeout exceeded");
}

static void
test_einsundeins (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/einsundeins-size.eml", NULL);
  const char *const want[] = { "quinn@example.net", NULL };
  assert_bounce (report, "gmx", want);
  assert_recipient (report, 0, "failed", "5.0.934", 0, "Mail size limit exceeded");
  g_assert_null (strstr (recipient (report, 0)->diagnostic, "For the following reason"));
}

static void
test_zoho (void)
{
  g_autoptr (OobReport) failure = oob_test_parse_fixture ("nonstandard/zoho-failure.eml", NULL);
  const char *const want_failure[] = { "rita@example.org", NULL };
  assert_bounce (failure, "zoho", want_failure);
  assert_recipient (failure, 0, "failed", "5.1.1", 550, "recipient does not exist here");
  g_assert_null (strstr (recipient (failure, 0)->diagnostic, "ERROR_CODE"));

  g_autoptr (OobReport) delay = oob_test_parse_fixture ("nonstandard/zoho-delay.eml", NULL);
  const char *const want_delay[] = { "sam@example.net", NULL };
  assert_bounce (delay, "zoho", want_delay);
  assert_recipient (delay, 0, "delayed", "4.0.947", 421, "Host not reachable");
}

/* A recipient's line broken quoted-printable style in 7bit text. */
static void
test_zoho_soft_break (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/zoho-soft-break.eml", NULL);
  const char *const want[] = { "sven@example.org", NULL };
  assert_bounce (report, "zoho", want);
  assert_recipient (report, 0, "failed", "5.1.1", 550, "recipient does not exist here, please check the address and try again");
  g_assert_null (strchr (recipient (report, 0)->diagnostic, '='));
}

static void
test_office365 (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/office365-text-ndr.eml", NULL);
  /* uma@ is only in the quoted headers. */
  const char *const want[] = { "tom@example.org", NULL };
  assert_bounce (report, "office365", want);
  assert_recipient (report, 0, "failed", "5.1.10", 550, "RESOLVER.ADR.RecipientNotFound");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "550 5.1.10"));
  g_assert_cmpstr (report->reporting_mta, ==, "DM6PR10MB0001.namprd10.prod.outlook.com");
}

/* The remote server refused it: its host line comes before the reply. */
static void
test_office365_rejected_remote (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/office365-rejected-remote.eml", NULL);
  /* walt@ is only in the quoted headers. */
  const char *const want[] = { "vera@example.net", NULL };
  assert_bounce (report, "office365", want);
  assert_recipient (report, 0, "failed", "5.2.2", 552, "Mailbox quota exceeded");
  g_assert_true (g_str_has_prefix (recipient (report, 0)->diagnostic, "552 5.2.2"));
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.net");
  g_assert_cmpstr (report->reporting_mta, ==, "BN8PR12MB0002.namprd12.prod.outlook.com");
}

/* The newer layout: "Recipient Address:", "Reported error:", "DSN
 * generated by:"; the hops table names nobody. */
static void
test_office365_message_details (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/office365-message-details.eml", NULL);
  const char *const want[] = { "xena@example.org", NULL };
  assert_bounce (report, "office365", want);
  assert_recipient (report, 0, "failed", "5.1.10", 550, "Recipient not found by SMTP address lookup");
  g_assert_cmpstr (report->reporting_mta, ==, "CO1PR11MB0003.namprd11.prod.outlook.com");

  /* Generated on premises: not ours. */
  gsize len;
  g_autofree char *data = oob_test_read_fixture ("nonstandard/office365-message-details.eml", NULL, &len);
  g_auto (GStrv) pieces = g_strsplit (data, "CO1PR11MB0003.namprd11.prod.outlook.com\n", -1);
  g_autofree char *on_premises = g_strjoinv ("EXCH02.corp.example.org\n", pieces);
  g_autoptr (OobReport) local = parse_text (on_premises);
  g_assert_cmpstr (local->parser, !=, "office365");

  /* Forwarded by someone: not the notice itself. */
  g_auto (GStrv) subject = g_strsplit (data, "Subject: Undeliverable:", -1);
  g_autofree char *forwarded = g_strjoinv ("Subject: Fwd: Undeliverable:", subject);
  g_autoptr (OobReport) forward = parse_text (forwarded);
  g_assert_cmpstr (forward->parser, !=, "office365");
}

static void
test_office365_on_premises (void)
{
  /* The same wording generated by an on-premises Exchange is not ours. */
  gsize len;
  g_autofree char *data = oob_test_read_fixture ("nonstandard/office365-text-ndr.eml", NULL, &len);
  g_auto (GStrv) pieces = g_strsplit (data, "Generating server: DM6PR10MB0001.namprd10.prod.outlook.com", -1);
  g_assert_cmpuint (g_strv_length (pieces), ==, 2);
  g_autofree char *on_premises = g_strjoinv ("Generating server: EXCH01.corp.example.org", pieces);
  g_autoptr (OobReport) report = parse_text (on_premises);
  g_assert_cmpstr (report->parser, !=, "office365");
}

static void
test_forwarded_notice (void)
{
  /* A person forwarding a provider's notice is not the provider. */
  g_autoptr (OobReport) report = oob_test_parse_fixture ("other/forwarded-gmail-notice.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

static const char exim_like[] =
  "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
  "To: bounces+abe=example.org@bounce.example.com\n"
  "Subject: Mail delivery failed: returning message to sender\n\n"
  "This message was created automatically by mail delivery software.\n\n"
  "A message that you sent could not be delivered to one or more of its\n"
  "recipients. This is a permanent error. The following address(es) failed:\n\n"
  "  abe@example.org\n"
  "    SMTP error from remote mail server after RCPT TO:<abe@example.org>:\n"
  "    550 5.1.1 unknown user\n";

/* Yahoo's summary: the recipients of its "To:" line, given up on, and
 * nothing of the copied message after the marker. */
static void
test_yahoo_summary (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("nonstandard/yahoo-summary.eml", NULL);
  const char *const want[] = { "gus@example.net", NULL };
  assert_bounce (report, "yahoo", want);
  assert_recipient (report, 0, "failed", "5.0.900", 0, "This is a permanent error");
}

/* Without "This is a permanent error" the summary is not taken. */
static const char yahoo_summary_unsure[] =
  "From: MAILER-DAEMON@yahoo.com\n"
  "To: bounces+ida=example.net@bounce.example.com\n"
  "Subject: Failure Notice\n\n"
  "I'm afraid I wasn't able to deliver the following message.\n"
  "I'll keep trying for a while.\n\n"
  "To: ida@example.net\n\n"
  "---Below this line is a copy of the message.\n";

static const char yahoo_from_person[] =
  "From: Bea <bea@example.net>\n"
  "To: bounces+bea=example.net@bounce.example.com\n"
  "Subject: Failure Notice\n\n"
  "Sorry, we were unable to deliver your message to the following address.\n\n"
  "<cid@example.net>:\n"
  "Remote host said: 550 5.1.1 unknown [RCPT_TO]\n";

static void
test_not_ours (void)
{
  /* Exim's own notice has no GMX header marker and no Mail.Ru sender. */
  g_autoptr (OobReport) exim = parse_text (exim_like);
  g_assert_cmpstr (exim->parser, !=, "gmx");
  g_assert_cmpstr (exim->parser, !=, "mailru");
  /* Yahoo's wording from a person's address. */
  g_autoptr (OobReport) person = parse_text (yahoo_from_person);
  g_assert_cmpstr (person->parser, !=, "yahoo");
  g_autoptr (OobReport) unsure = parse_text (yahoo_summary_unsure);
  g_assert_cmpstr (unsure->parser, !=, "yahoo");
}

/* Same fixture with CRLF and CR-only line ends gives the same report. */
static void
assert_same_with_line_ends (const char *name)
{
  gsize len;
  g_autofree char *data = oob_test_read_fixture (name, NULL, &len);
  g_autoptr (OobReport) lf = oob_parse_message (data, len);
  g_assert_cmpuint (lf->recipients->len, >, 0);
  for (int variant = 0; variant < 2; variant++)
    {
      g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
      g_autofree char *converted = g_strjoinv (variant == 0 ? "\r\n" : "\r", lines);
      g_autoptr (OobReport) other = oob_parse_message (converted, strlen (converted));
      g_assert_cmpint (other->type, ==, lf->type);
      g_assert_cmpstr (other->parser, ==, lf->parser);
      g_assert_cmpuint (other->recipients->len, ==, lf->recipients->len);
      for (guint i = 0; i < lf->recipients->len; i++)
        {
          OobRecipient *a = recipient (lf, i), *b = recipient (other, i);
          g_assert_cmpstr (a->final_recipient, ==, b->final_recipient);
          g_assert_cmpstr (a->status, ==, b->status);
          g_assert_cmpint (a->smtp_code, ==, b->smtp_code);
          g_assert_cmpstr (a->action, ==, b->action);
          g_assert_cmpstr (a->diagnostic, ==, b->diagnostic);
        }
    }
}

static void
test_line_ends (void)
{
  assert_same_with_line_ends ("nonstandard/yahoo-failure-notice.eml");
  assert_same_with_line_ends ("nonstandard/yahoo-summary.eml");
  assert_same_with_line_ends ("nonstandard/gmail-classic-permanent.eml");
  assert_same_with_line_ends ("nonstandard/gmail-classic-state.eml");
  assert_same_with_line_ends ("nonstandard/office365-message-details.eml");
  assert_same_with_line_ends ("nonstandard/office365-rejected-remote.eml");
  assert_same_with_line_ends ("nonstandard/mailru-failure.eml");
  assert_same_with_line_ends ("nonstandard/amazonses-sns-line-cut.eml");
  assert_same_with_line_ends ("nonstandard/mailru-local-refusal.eml");
  assert_same_with_line_ends ("nonstandard/mailru-local-part.eml");
  assert_same_with_line_ends ("nonstandard/gmx-failure.eml");
  assert_same_with_line_ends ("nonstandard/zoho-soft-break.eml");
}

/* The three ways families add a recipient share one rule: an address
 * already listed (case aside) is the same recipient, and a full report
 * takes no new one. */
static void
test_recipient_once (void)
{
  g_autoptr (OobReport) report = oob_report_new ();
  OobRecipient *first = oob_provider_add (report, "Ann@example.org", "550 no such user");
  g_assert_nonnull (first);
  g_assert_true (oob_provider_add (report, "ann@EXAMPLE.org", "550 other words") == first);
  g_assert_cmpstr (first->diagnostic, ==, "550 no such user");
  g_assert_true (oob_bounce_add_recipient (report, "<ann@example.org>:", "550 again", "failed") == first);
  g_assert_true (oob_plain_add (report, "ANN@example.org", "mailbox  removed") == first);
  g_assert_cmpstr (first->diagnostic, ==, "550 no such user mailbox removed");
  g_assert_cmpuint (report->recipients->len, ==, 1);

  for (guint i = 1; i < OOB_MAX_RECIPIENTS; i++)
    {
      g_autofree char *address = g_strdup_printf ("r%u@example.org", i);
      g_assert_nonnull (oob_plain_add (report, address, NULL));
    }
  g_assert_null (report->note);
  g_assert_null (oob_provider_add (report, "late@example.org", "550 x"));
  g_assert_null (oob_bounce_add_recipient (report, "late@example.org", "550 x", NULL));
  g_assert_null (oob_plain_add (report, "late@example.org", NULL));
  g_assert_cmpuint (report->recipients->len, ==, OOB_MAX_RECIPIENTS);
  g_assert_nonnull (report->note);
  g_assert_true (oob_provider_add (report, "r7@example.org", NULL) == oob_report_find_recipient (report, "R7@example.org"));
}

/* A recipient's diagnostic is a bounded window of the reason a notice gives
 * (report.h, OOB_MAX_DIAGNOSTIC), cut before a UTF-8 sequence, not inside
 * one: a reason shared by many recipients, or an address named again and
 * again, must not be copied and read again in full for each. */
static void
test_diagnostic_window (void)
{
  g_autoptr (GString) reason = g_string_new ("550 5.1.1 no such user");
  while (reason->len < 3 * OOB_MAX_DIAGNOSTIC)
    g_string_append (reason, " \xc3\xa9t\xc3\xa9 mailbox");
  g_autofree char *window = oob_diagnostic_window (reason->str);
  g_assert_cmpuint (strlen (window), <=, OOB_MAX_DIAGNOSTIC);
  g_assert_cmpuint (strlen (window), >, OOB_MAX_DIAGNOSTIC - 4);
  g_assert_true (g_str_has_prefix (reason->str, window));
  g_assert_true (g_utf8_validate (window, -1, NULL));
  g_autofree char *short_window = oob_diagnostic_window ("550 short");
  g_assert_cmpstr (short_window, ==, "550 short");
  g_assert_null (oob_diagnostic_window (NULL));

  g_autoptr (OobReport) report = oob_report_new ();
  OobRecipient *plain = oob_plain_add (report, "ann@example.org", reason->str);
  g_assert_cmpuint (strlen (plain->diagnostic), <=, OOB_MAX_DIAGNOSTIC);
  g_assert_true (g_str_has_prefix (plain->diagnostic, "550 5.1.1 no such user "));
  g_assert_true (g_utf8_validate (plain->diagnostic, -1, NULL));
  /* More words for the same recipient are kept until the bound is reached. */
  g_assert_true (oob_plain_add (report, "ann@example.org", "mailbox removed") == plain);
  g_assert_null (strstr (plain->diagnostic, "mailbox removed"));
  OobRecipient *provider = oob_provider_add (report, "bob@example.org", reason->str);
  g_assert_cmpuint (strlen (provider->diagnostic), <=, OOB_MAX_DIAGNOSTIC);
  g_assert_true (g_str_has_prefix (provider->diagnostic, "550 5.1.1 no such user "));

  /* Gmail's classic notice listing one address three times, a long reply. */
  g_autoptr (GString) notice = g_string_new (
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: bounces@bounce.example.com\nSubject: Delivery Status Notification (Failure)\n\n"
    "Delivery to the following recipients failed permanently:\n\n"
    "     cy@example.org\n     cy@example.org\n     CY@example.org\n\n"
    "Technical details of permanent failure:\n"
    "Google tried to deliver your message, but it was rejected by the server for the recipient domain "
    "example.org by mx.example.org. [192.0.2.25].\n\nThe error that the other server returned was:\n"
    "550 550 Unknown user cy@example.org (state 14).");
  g_autofree char *short_notice = g_strconcat (notice->str, "\n", NULL);
  g_autoptr (OobReport) brief = parse_text (short_notice);
  while (notice->len < 3 * OOB_MAX_DIAGNOSTIC)
    g_string_append (notice, " the mailbox is not known here");
  g_string_append (notice, "\n");
  g_autoptr (OobReport) gmail = parse_text (notice->str);
  const char *const cy[] = { "cy@example.org", NULL };
  assert_bounce (gmail, "gmail", cy);
  OobRecipient *r = recipient (gmail, 0);
  g_assert_cmpuint (strlen (r->diagnostic), <=, OOB_MAX_DIAGNOSTIC);
  g_assert_true (g_str_has_prefix (r->diagnostic, "550 550 Unknown user cy@example.org (state 14)."));
  /* Read as the same notice with a short reply is. */
  assert_bounce (brief, "gmail", cy);
  g_assert_nonnull (recipient (brief, 0)->status);
  g_assert_cmpstr (r->status, ==, recipient (brief, 0)->status);
  g_assert_cmpint (r->smtp_code, ==, 550);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bounce/gmail/classic", test_gmail_classic);
  g_test_add_func ("/bounce/gmail/delayed", test_gmail_delayed);
  g_test_add_func ("/bounce/gmail/banner-empty-dsn", test_gmail_banner);
  g_test_add_func ("/bounce/gmail/incomplete", test_gmail_incomplete);
  g_test_add_func ("/bounce/gmail/state", test_gmail_state);
  g_test_add_func ("/bounce/gmail/state-delayed", test_gmail_state_delayed);
  g_test_add_func ("/bounce/gmail/dns", test_gmail_dns);
  g_test_add_func ("/bounce/gsuite/code-only", test_gsuite_code_only);
  g_test_add_func ("/bounce/googlegroups", test_googlegroups);
  g_test_add_func ("/bounce/yahoo", test_yahoo);
  g_test_add_func ("/bounce/yahoo-summary", test_yahoo_summary);
  g_test_add_func ("/bounce/amazonses/bare", test_amazonses_bare);
  g_test_add_func ("/bounce/amazonses/envelope", test_amazonses_envelope);
  g_test_add_func ("/bounce/amazonses/line-cut", test_amazonses_line_cut);
  g_test_add_func ("/bounce/amazonses/events", test_amazonses_events);
  g_test_add_func ("/bounce/amazonworkmail", test_amazonworkmail);
  g_test_add_func ("/bounce/amazonworkmail/mailer", test_amazonworkmail_mailer);
  g_test_add_func ("/bounce/mailru", test_mailru);
  g_test_add_func ("/bounce/mailru-local-refusal", test_mailru_local_refusal);
  g_test_add_func ("/bounce/mailru-local-part", test_mailru_local_part);
  g_test_add_func ("/bounce/mailru-remote-mailer", test_mailru_remote_mailer);
  g_test_add_func ("/bounce/gmx", test_gmx);
  g_test_add_func ("/bounce/gmx/retry-timeout", test_gmx_retry_timeout);
  g_test_add_func ("/bounce/einsundeins", test_einsundeins);
  g_test_add_func ("/bounce/zoho", test_zoho);
  g_test_add_func ("/bounce/zoho/soft-break", test_zoho_soft_break);
  g_test_add_func ("/bounce/office365", test_office365);
  g_test_add_func ("/bounce/office365/on-premises", test_office365_on_premises);
  g_test_add_func ("/bounce/office365/rejected-remote", test_office365_rejected_remote);
  g_test_add_func ("/bounce/office365/message-details", test_office365_message_details);
  g_test_add_func ("/bounce/negative/forwarded", test_forwarded_notice);
  g_test_add_func ("/bounce/negative/not-ours", test_not_ours);
  g_test_add_func ("/bounce/line-ends", test_line_ends);
  g_test_add_func ("/bounce/recipient-once", test_recipient_once);
  g_test_add_func ("/bounce/diagnostic-window", test_diagnostic_window);
  return g_test_run ();
}
