/* test-dsn.c - the RFC 3464 / RFC 6533 parser on our fixtures. */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "derive.h"
#include "fields.h"
#include "fixture.h"
#include "mime.h"
#include "parse.h"
#include "status.h"

static OobRecipient *
recipient (OobReport *report, guint i)
{
  g_assert_cmpuint (report->recipients->len, >, i);
  return g_ptr_array_index (report->recipients, i);
}

static void
test_postfix (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/postfix-550-user-unknown.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->parser, ==, "rfc3464");
  g_assert_nonnull (report->reporting_mta);
  g_assert_nonnull (report->arrival_date);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->final_recipient, ==, "alice@example.org");
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->smtp_code, ==, 550);
  g_assert_cmpstr (r->diagnostic_type, ==, "smtp");
  g_assert_true (g_str_has_prefix (r->diagnostic, "550 5.1.1 "));
  /* Folding in the Diagnostic-Code leaves single spaces. */
  g_assert_null (strstr (r->diagnostic, "  "));
  g_assert_null (strchr (r->diagnostic, '\n'));
  g_assert_nonnull (r->remote_mta);
  g_assert_false (g_str_has_prefix (r->remote_mta, "dns"));
  /* The returned headers. */
  g_assert_nonnull (report->orig_message_id);
  g_assert_null (strchr (report->orig_message_id, '<'));
  g_assert_nonnull (report->orig_subject);
  g_assert_nonnull (report->orig_headers);
}

static void
test_multi_recipient (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/multi-recipient.eml", NULL);
  g_assert_cmpuint (report->recipients->len, ==, 3);
  g_assert_cmpint (oob_recipient_kind (report, recipient (report, 0)), ==, OOB_KIND_BOUNCE);
  g_assert_cmpint (oob_recipient_kind (report, recipient (report, 1)), ==, OOB_KIND_DELAY);
  g_assert_cmpint (oob_recipient_kind (report, recipient (report, 2)), ==, OOB_KIND_DELIVERED);
  g_assert_cmpstr (recipient (report, 1)->status, ==, "4.4.1");
  g_assert_nonnull (recipient (report, 1)->will_retry_until);
  g_assert_cmpstr (recipient (report, 2)->status, ==, "2.0.0");
}

static void
test_global_utf8 (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/global-dsn-utf8.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "ĺena@example.org");
  g_assert_true (g_utf8_validate (recipient (report, 0)->diagnostic, -1, NULL));
}

/* RFC 6533's utf-8 address type may write characters as \x{HHHH}. */
static void
test_utf8_escapes (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
    "\n"
    "--B\n"
    "Content-Type: message/global-delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: utf-8; j\\x{F6}rg.m\\x{FC}ller@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--B--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "jörg.müller@example.org");
}

static void
test_sloppy (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/sloppy-fields.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_null (report->reporting_mta);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->final_recipient, ==, "kevin@example.org");
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->smtp_code, ==, 550);
}

/* A gateway's transcript: the failure's reply code, the stated status over
 * a less specific one, a filter's version number taken for no status. */
static void
test_transcript_codes (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/gateway-transcript-codes.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.7.1");
  g_assert_cmpint (recipient (report, 0)->smtp_code, ==, 554);
  g_assert_cmpstr (recipient (report, 1)->final_recipient, ==, "zora@example.org");
  g_assert_cmpstr (recipient (report, 1)->status, ==, "5.0.911");
  g_assert_cmpint (recipient (report, 1)->smtp_code, ==, 550);
}

/* The same recipient in consecutive blocks is one recipient, as the later
 * block says; another original address forwarded there is another. */
static void
test_repeated_recipient (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/repeated-recipient-block.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_assert_cmpstr (oob_recipient_address (recipient (report, 0)), ==, "abel@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.1.1");
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx2.example.org");
  g_assert_cmpstr (oob_recipient_address (recipient (report, 1)), ==, "bea@example.org");
}

static void
test_status_from_diagnostic (void)
{
  /* Exim: Status 5.0.0 and a plain 550 reply stay as stated. */
  g_autoptr (OobReport) exim = oob_test_parse_fixture ("dsn/exim-dsn.eml", NULL);
  g_assert_cmpstr (recipient (exim, 0)->status, ==, "5.0.0");
  g_assert_cmpint (recipient (exim, 0)->smtp_code, ==, 550);
}

static void
check_refine (const char *status, const char *diagnostic, int code, const char *expected)
{
  g_autofree char *refined = oob_status_refine (status, diagnostic, code);
  g_assert_cmpstr (refined, ==, expected);
}

static void
test_status_refine (void)
{
  /* The remote reply's specific code beats the reporter's translation. */
  check_refine ("5.1.1", "550 5.7.1 Client host blocked", 550, "5.7.1");
  check_refine ("5.1.0", "5.1.0 - Unknown address error 550-'5.2.2 mailbox full'", 550, "5.2.2");
  /* A reply quoting another: the innermost (last) reply is the cause. */
  check_refine ("4.4.7", "554 4.4.7 Message expired <421 4.4.2 Connection timed out>", 554, "4.4.2");
  /* The reply code settles a class disagreement; without one the Status stays. */
  check_refine ("4.5.0", "550 5.5.0 Service refused", 550, "5.5.0");
  check_refine ("4.4.1", "5.1.1 gone", 0, "4.4.1");
  /* A generic code in the diagnostic never wins; none at all keeps the Status. */
  check_refine ("5.1.1", "550 5.0.0 rejected", 550, "5.1.1");
  check_refine ("5.2.2", "550 Mailbox full", 550, "5.2.2");
  check_refine (NULL, "550 5.2.2 Mailbox full", 550, "5.2.2");
  /* x.y.0 ("other or undefined") says less than a stated detail. */
  check_refine ("5.7.1", "554 5.7.0 Message refused by local policy", 554, "5.7.1");
  check_refine ("5.1.0", "550 5.1.1 No such user", 550, "5.1.1");
}

static void
check_find (const char *text, const char *status, int code)
{
  g_autofree char *found = oob_status_find (text);
  g_assert_cmpstr (found, ==, status);
  g_assert_cmpint (oob_smtp_code_find (text), ==, code);
}

/* Where a text holds several codes, which one it reports. */
static void
test_status_find (void)
{
  /* A transcript's success before the refusal says nothing of the failure. */
  check_find ("RCPT TO:<a@example.org> 250 2.1.5 ok; DATA 554 5.7.1 refused", "5.7.1", 554);
  check_find ("250 2.1.0 Sender ok\n550 User unknown", "2.1.0", 550);
  g_autofree char *derived = oob_status_derive ("250 2.1.0 Sender ok\n550 User unknown", 550, NULL);
  g_assert_cmpstr (derived, ==, "5.0.911");
  /* qmail's "(#5.x.x)" first, then a code after a reply code, then any. */
  check_find ("Remote host said: 4.4.1 delay... (#5.1.1)", "5.1.1", 0);
  check_find ("relay 192.0.2.1 said 4.2.2 first, then 550 5.1.1 last", "5.1.1", 550);
  check_find ("mailbox full 5.2.2", "5.2.2", 0);
  check_find ("Delivered: 2.0.0 Ok", "2.0.0", 0);
  /* IP addresses, versions and dates hold no status. */
  check_find ("connect to 10.5.1.1 failed", NULL, 0);
  check_find ("host 192.0.2.1 said: 5.1.1.3 is no code", NULL, 0);
  check_find ("550 Rejected by MailShield/5.10.2: no such user", NULL, 550);
  check_find ("Server: Apache/2.4.41 (Unix)", NULL, 0);
  check_find ("queued on 12.11.2026", NULL, 0);
  check_find ("smtp; 550-5.7.1 [192.0.2.1] blocked", "5.7.1", 550);
  /* A reply the words introduce ("said: 452"), not any number in them. */
  check_find ("host mx.example.org[192.0.2.1] said: 452 Mailbox full (in reply to RCPT TO command)", NULL, 452);
  check_find ("connect to mx.example.org[192.0.2.45]:25: Connection timed out after 450 seconds", NULL, 0);
}

/* A report whose multipart boundary matches no part, and one with no
 * Status field at all: the delivery-status text is still read. */
static void
test_broken_mime (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: bounces+zed=example.org@bounce.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"AAA\"\n"
    "\n"
    "--BBB\n"
    "Content-Type: text/plain\n"
    "\n"
    "The mail system could not deliver your message.\n"
    "\n"
    "--BBB\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; zed@example.org\n"
    "Action: failed\n"
    "Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled\n"
    "\n"
    "--BBB--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->reporting_mta, ==, "mx.example.net");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "zed@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.2.1");
}

/* A multipart/report whose boundary lines are all gone: only the report
 * fields are left in the body, and the quoted original adds nobody. */
static void
test_boundaryless_report (void)
{
  static const char message[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
    "To: <bounces+carol=example.org@bounce.example.com>\n"
    "Subject: Returned mail: Service unavailable\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "    boundary=\"GONE.12345/mx.example.net\"\n"
    "\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<carol@example.org>\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "Arrival-Date: Mon, 2 Mar 2026 10:00:00 +0000\n"
    "\n"
    "Final-Recipient: RFC822; <carol@example.org>\n"
    "Action: failed\n"
    "Status: 5.5.0\n"
    "\n"
    "Return-Path: <bounces+carol=example.org@bounce.example.com>\n"
    "From: news@example.com\n"
    "To: dave@example.org\n"
    "Subject: Hello\n"
    "\n"
    "Final-Recipient: rfc822; dave@example.org\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "carol@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.5.0");
  g_assert_cmpstr (report->reporting_mta, ==, "mx.example.net");
}

/* Two recipients run together in one block, no blank line between. */
static void
test_recipients_without_blank_line (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Delivery failure\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be delivered.\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Original-Recipient: rfc822; erin@example.org\n"
    "Final-Recipient: rfc822; erin@example.org\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
    "Diagnostic-Code: smtp; 552 5.2.2 mailbox is full\n"
    "Original-Recipient: rfc822; frank@example.org\n"
    "Final-Recipient: rfc822; frank@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 no such user\n"
    "Final-Recipient: rfc822; grace@example.org\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "--b1--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 3);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "erin@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.2.2");
  g_assert_cmpstr (recipient (report, 1)->final_recipient, ==, "frank@example.org");
  g_assert_cmpstr (recipient (report, 1)->original_recipient, ==, "frank@example.org");
  g_assert_cmpstr (recipient (report, 1)->status, ==, "5.1.1");
  g_assert_cmpstr (recipient (report, 2)->final_recipient, ==, "grace@example.org");
  g_assert_cmpstr (recipient (report, 2)->action, ==, "delayed");
}

/* Recipients whose report and text give no status: the action decides. */
static void
test_unexplained_status (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n"
    "\n"
    "Delivery failed.\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Final-Recipient: rfc822; heidi@example.org\n"
    "Action: expired\n"
    "Status: \n"
    "Diagnostic-Code: Connection timed out\n"
    "\n"
    "Final-Recipient: rfc822; ivan@example.org\n"
    "Action: failed\n"
    "\n"
    "Final-Recipient: rfc822; judy@example.org\n"
    "Action: delayed\n"
    "--b1--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpuint (report->recipients->len, ==, 3);
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.0.947");
  g_assert_cmpstr (recipient (report, 1)->status, ==, "5.0.900");
  g_assert_cmpstr (recipient (report, 2)->status, ==, "4.0.900");
}

/* No recipient block at all: the returned message's single To: failed;
 * with a Cc the failed address cannot be told, so nobody is named. */
static OobReport *
report_without_recipients (const char *cc)
{
  g_autofree char *message = g_strdup_printf (
    "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n"
    "\n"
    "--- Delivery report unavailable ---\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "Arrival-Date: Mon, 2 Mar 2026 10:00:00 +0000\n"
    "--b1\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: news@example.com\n"
    "To: Kim <kim@example.org>\n"
    "%s"
    "Subject: Hello\n"
    "\n"
    "Hi\n"
    "--b1--\n", cc);
  return oob_parse_message (message, strlen (message));
}

static void
test_recipient_from_returned (void)
{
  g_autoptr (OobReport) single = report_without_recipients ("");
  g_assert_cmpint (single->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (single->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (single, 0)->final_recipient, ==, "kim@example.org");
  g_assert_cmpstr (recipient (single, 0)->status, ==, "5.0.900");
  g_autoptr (OobReport) copied = report_without_recipients ("Cc: lee@example.org\n");
  g_assert_cmpuint (copied->recipients->len, ==, 0);

  /* A recipient block without Final-Recipient: the returned To: names it. */
  g_autoptr (OobReport) unnamed = oob_test_parse_fixture ("dsn/no-final-recipient.eml", NULL);
  g_assert_cmpuint (unnamed->recipients->len, ==, 1);
  OobRecipient *r = recipient (unnamed, 0);
  g_assert_cmpstr (r->final_recipient, ==, "abe@example.org");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->smtp_code, ==, 550);
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.org");
}

/* A mail system's plain-text notice with the report fields pasted after
 * it is read as a report; a person's forward of the same text is not. */
static OobReport *
pasted_report (const char *from, const char *subject)
{
  g_autofree char *message = g_strdup_printf (
    "From: %s\n"
    "To: bounces@bounce.example.com\n"
    "Subject: %s\n"
    "\n"
    "This is the mail system at host mx.example.net.\n"
    "\n"
    "<tom@example.org>: connect to mx.example.org[192.0.2.9]:25: No route to host\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "Arrival-Date: Mon, 2 Mar 2026 10:00:00 +0000\n"
    "\n"
    "Final-Recipient: rfc822; tom@example.org\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.9]:25: No route to host\n"
    "\n"
    "Return-Path: <bounces@bounce.example.com>\n"
    "Subject: Hello\n", from, subject);
  return oob_parse_message (message, strlen (message));
}

static void
test_pasted_report (void)
{
  g_autoptr (OobReport) notice = pasted_report ("MAILER-DAEMON@mx.example.net (Mail Delivery System)",
                                                "Delayed Mail (still being retried)");
  g_assert_cmpint (notice->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (notice->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (notice, 0)->status, ==, "4.4.1");
  g_assert_cmpstr (recipient (notice, 0)->action, ==, "delayed");
  g_autoptr (OobReport) forward = pasted_report ("Una <una@example.com>", "Fwd: Delayed Mail (still being retried)");
  g_assert_cmpint (forward->type, !=, OOB_REPORT_DSN);
  /* A postmaster's own message, written in a mail client (the field after
   * From:), quoting the report to ask about it. */
  g_autoptr (OobReport) asked = pasted_report ("Postmaster <postmaster@example.net>\nX-Mailer: Microsoft Outlook 16.0",
                                               "Why is your mail delayed?");
  g_assert_cmpint (asked->type, !=, OOB_REPORT_DSN);
  /* A postmaster team's mailing showing the fields as a sample. */
  g_autoptr (OobReport) mailing = pasted_report ("ESP Postmaster <postmaster@esp.example.net>\n"
                                                 "List-Unsubscribe: <mailto:unsub@esp.example.net>",
                                                 "Postmaster tips: reading delivery reports");
  g_assert_cmpint (mailing->type, !=, OOB_REPORT_DSN);
}

/* A text notice that pasted the per-recipient fields alone (no
 * Reporting-MTA): each block is a recipient, the returned headers after
 * them none. */
static void
test_pasted_recipient_fields (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/pasted-recipient-fields.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "bea@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.2.2");
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.org");
  g_assert_cmpstr (recipient (report, 0)->diagnostic, ==, "552 5.2.2 <bea@example.org>... mailbox full, no room for new mail");
  g_assert_cmpstr (recipient (report, 1)->final_recipient, ==, "cid@example.org");
  g_assert_cmpint (recipient (report, 1)->smtp_code, ==, 550);
  g_assert_cmpstr (report->orig_message_id, ==, NULL);
}

/* A delivery-status part labelled text/plain is still the report; the
 * returned message's look-alike field adds nobody.  A person's forward of
 * the same report is none. */
static void
test_status_as_text_part (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/status-as-text-part.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "dora@example.org");
  g_assert_cmpstr (recipient (report, 0)->status, ==, "5.1.1");
  g_assert_cmpstr (recipient (report, 0)->remote_mta, ==, "mx.example.org");

  gsize len = 0;
  g_autofree char *data = oob_test_read_fixture ("dsn", "status-as-text-part.eml", &len);
  g_autoptr (GString) forward = g_string_new (data);
  g_string_replace (forward, "From: Mail Delivery System <mailer-daemon@gw.example.net>", "From: Ann Reader <ann@example.net>", 1);
  g_string_replace (forward, "Subject: Delivery", "Subject: Fwd: Delivery", 1);
  g_autoptr (OobReport) forwarded = oob_parse_message (forward->str, forward->len);
  g_assert_cmpint (forwarded->type, !=, OOB_REPORT_DSN);

  /* The fields in the notice's first text part are a sample a mail
   * system's mailbox shows (a postmaster team's newsletter), not a report
   * after its explanation; in a multipart/alternative they are the same
   * text twice. */
  static const char *const samples[] = {
    "From: ESP Postmaster Team <postmaster@esp.example.net>\n"
    "Subject: Postmaster tips: reading delivery reports\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"B\"\n\n"
    "--B\n"
    "Content-Type: text/plain\n\n"
    "This month: what the fields of a report mean.\n\n"
    "Final-Recipient: rfc822; dora@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n\n"
    "--B\n"
    "Content-Type: text/html\n\n"
    "<p>This month: what the fields of a report mean.</p>\n"
    "--B--\n",
    "From: ESP Postmaster Team <postmaster@esp.example.net>\n"
    "Subject: Postmaster tips: reading delivery reports\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"B\"\n\n"
    "--B\n"
    "Content-Type: text/plain\n\n"
    "This month: what the fields of a report mean.\n\n"
    "Final-Recipient: rfc822; dora@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n\n"
    "--B\n"
    "Content-Type: application/pdf\n\n"
    "%PDF-1.4\n"
    "--B--\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr (OobReport) sample = oob_parse_message (samples[i], strlen (samples[i]));
      g_assert_cmpint (sample->type, ==, OOB_REPORT_UNKNOWN);
    }
}

/* No Diagnostic-Code: the reason comes from the notice's paragraph that
 * names the recipient. */
static void
test_reason_from_notice (void)
{
  static const char message[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
    "\n"
    "--B\n"
    "Content-Type: text/plain\n"
    "\n"
    "Hello, this is the mail system.\n"
    "\n"
    "    Yuki@Example.ORG: domain has no\n"
    "    mail exchanger\n"
    "\n"
    "--B\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; yuki@example.org\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "\n"
    "--B--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient (report, 0)->diagnostic, ==, "Yuki@Example.ORG: domain has no mail exchanger");
}

static void
test_not_a_report (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("other/forward-attached-message.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
  g_autoptr (OobReport) garbage = oob_parse_message ("\0\377\376 not mail", 12);
  g_assert_cmpint (garbage->type, ==, OOB_REPORT_UNKNOWN);
}

/* Line ends must not change the answer. */
static void
test_line_endings (void)
{
  g_autofree char *path = g_build_filename (OOB_SRCDIR, "fixtures", "dsn", "sendmail-550.eml", NULL);
  g_autofree char *lf = NULL;
  g_assert_true (g_file_get_contents (path, &lf, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (lf, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autofree char *cr = g_strjoinv ("\r", lines);
  const char *versions[] = { lf, crlf, cr };
  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autoptr (OobReport) report = oob_parse_message (versions[i], strlen (versions[i]));
      g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
      g_assert_cmpuint (report->recipients->len, ==, 1);
      g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "bob@example.net");
      g_assert_cmpstr (recipient (report, 0)->status, ==, "5.1.1");
    }
}

/* Lines delivery-status blocks are made of, good and broken. */
static const char *const field_lines[] = {
  "Reporting-MTA: dns; mx.example.net", "Final-Recipient: rfc822; user@example.org",
  "Final-Recipient:rfc822;other@example.org", "final-recipient: RFC822; <Third@Example.ORG>",
  "Original-Recipient: rfc822;user@example.org", "Action: failed", "ACTION:delayed", "Status: 5.1.1",
  "Status : 4.4.7", "Status\t:5.0.0 (comment)", "Remote-MTA: dns; mx.example.org (192.0.2.1)",
  "Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>: Recipient address rejected:",
  "    User unknown in virtual mailbox table", "\tcontinued after a tab", " ", "\t",
  "Diagnostic-Code: smtp; 550 =?utf-8?q?caf=C3=A9?= rejected", "X-Latin: d\xe9j\xe0 vu",
  "X-Encoded: =?iso-8859-1?q?d=E9j=E0?= =?iso-8859-1?q?_vu?=", "X-Broken: =?utf-8?q?never-ends",
  "Last-Attempt-Date: Mon, 2 Mar 2026 10:00:00 +0000", "X-Empty:", "X-Blank:   \t",
  ": a field without a name", ":", "junk without a colon", "From MAILER-DAEMON Mon Mar  2 10:00:00 2026",
  "--boundary-line", "name with spaces: value", "X-Ctl\x01: control character", "X-Del\x7f: delete",
  "X-8bit-\xc3\xa9: eight-bit name", "Name:: double colon", "a:b", " : a field after a space", "\t:after a tab", " not a field", "X-Space-Before :value",
  "=?utf-8?q?x?=: encoded name", ">From: quoted", "X-Semicolon;: v", "Status:\r", "Action: failed\r",
};

/* Names to look up in every block: all of the above, in other case too. */
static const char *const field_names[] = {
  "Reporting-MTA", "Final-Recipient", "FINAL-RECIPIENT", "final-recipient", "Original-Recipient", "Action",
  "action", "Status", "STATUS", "Remote-MTA", "Diagnostic-Code", "X-Latin", "X-Encoded", "X-Broken",
  "Last-Attempt-Date", "X-Empty", "X-Blank", "", "junk without a colon", "From", "--boundary-line", "name",
  "X-Ctl\x01", "X-Del\x7f", "X-8bit-\xc3\xa9", "Name", "a", "X-Space-Before", "=?utf-8?q?x?=", ">From",
  "X-Semicolon;", "X-Missing",
};

/* fields.c reads a block as GMime's header parser does: the same fields
 * present, the same value for each, or no block at all. */
static void
assert_fields_as_gmime (const char *text)
{
  g_autoptr (GMimeHeaderList) gmime = oob_mime_parse_fields (text, strlen (text));
  g_autoptr (OobFieldBlock) block = oob_field_block_read (text, strlen (text));
  g_autofree char *shown = g_strescape (text, NULL);
  if ((gmime == NULL) != (block == NULL))
    g_error ("block %s: GMime reads %s, fields.c %s", shown, gmime ? "fields" : "none", block ? "fields" : "none");
  if (gmime == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      const char *expected = oob_mime_header (gmime, field_names[i]);
      const char *got = oob_field_block_get (block, field_names[i]);
      if (g_strcmp0 (expected, got) != 0)
        g_error ("block %s, field %s: GMime reads \"%s\", fields.c \"%s\"", shown, field_names[i],
                 expected ? expected : "(none)", got ? got : "(none)");
    }
  for (int i = 0; i < g_mime_header_list_get_count (gmime); i++)
    {
      const char *name = g_mime_header_get_name (g_mime_header_list_get_header_at (gmime, i));
      g_assert_cmpstr (oob_field_block_get (block, name), ==, oob_mime_header (gmime, name));
    }
}

static void
test_field_blocks (void)
{
  /* What a block says, read by hand. */
  const char *block_text = "Final-Recipient: rfc822;\n  user@example.org\nstatus : 5.1.1\n"
                           "junk line\n  its continuation\nAction: failed\nAction: delayed\n";
  g_autoptr (OobFieldBlock) block = oob_field_block_read (block_text, strlen (block_text));
  g_assert_nonnull (block);
  g_assert_cmpstr (oob_field_block_get (block, "STATUS"), ==, "5.1.1");
  g_assert_cmpstr (oob_field_block_get (block, "action"), ==, "failed");
  g_assert_nonnull (strstr (oob_field_block_get (block, "Final-Recipient"), "user@example.org"));
  g_assert_null (oob_field_block_get (block, "junk line"));
  g_assert_null (oob_field_block_read ("junk first\nStatus: 5.1.1\n", 26));
  g_assert_null (oob_field_block_read ("  folded first\nStatus: 5.1.1\n", 29));
  g_assert_null (oob_field_block_read ("", 0));
  assert_fields_as_gmime (block_text);

  /* Each line alone, then a few thousand mixes of them, against GMime. */
  for (gsize i = 0; i < G_N_ELEMENTS (field_lines); i++)
    assert_fields_as_gmime (field_lines[i]);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3464);
  for (int n = 0; n < 3000; n++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      int lines = g_rand_int_range (rand, 1, 8);
      for (int l = 0; l < lines; l++)
        {
          g_string_append (text, field_lines[g_rand_int_range (rand, 0, G_N_ELEMENTS (field_lines))]);
          if (l < lines - 1 || g_rand_boolean (rand))
            g_string_append (text, g_rand_int_range (rand, 0, 4) ? "\n" : "\r\n");
        }
      assert_fields_as_gmime (text->str);
    }

  /* Lines past 998 characters, where GMime's own buffering decides (a
   * name of 4,224 characters or more makes it read nothing). */
  for (gsize length = 990; length < 6000; length += 997)
    {
      g_autoptr (GString) long_value = g_string_new ("Status: 5.1.1\nDiagnostic-Code: smtp; ");
      g_autoptr (GString) long_name = g_string_new ("Status: 5.1.1\n");
      for (gsize i = 0; i < length; i++)
        {
          g_string_append_c (long_value, 'a' + i % 26);
          g_string_append_c (long_name, 'N');
        }
      g_string_append (long_value, "\nAction: failed\n");
      g_string_append (long_name, ": value\nAction: failed\n");
      assert_fields_as_gmime (long_value->str);
      assert_fields_as_gmime (long_name->str);
      assert_fields_as_gmime (long_name->str + strlen ("Status: 5.1.1\n"));
    }
}

static char *
text_of_part (const char *data, gsize len, const char *charset)
{
  oob_mime_init ();
  g_autoptr (GMimeObject) part = GMIME_OBJECT (g_mime_part_new_with_type ("text", "plain"));
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), content);
  g_object_unref (content);
  if (charset)
    g_mime_object_set_content_type_parameter (part, "charset", charset);
  return oob_mime_part_text (part);
}

/* A status part's text: UTF-8 with LF line ends, whatever it came as. */
static void
test_part_text (void)
{
  static const char plain[] = "Final-Recipient: rfc822; user@example.org\nAction: failed\n";
  static const char crlf[] = "Action: failed\r\nStatus: 5.1.1\rX: y\r\n";
  static const char nul[] = "Act\0ion: failed\r\nStatus: 5.1.1\n";
  static const char invalid[] = "Diagnostic-Code: smtp; caf\xc3 \xff";
  static const char latin[] = "Diagnostic-Code: smtp; d\xe9j\xe0 vu\r\n";
  g_autofree char *a = text_of_part (plain, sizeof plain - 1, NULL);
  g_autofree char *b = text_of_part (crlf, sizeof crlf - 1, "us-ascii");
  g_autofree char *c = text_of_part (nul, sizeof nul - 1, NULL);
  g_autofree char *d = text_of_part (invalid, sizeof invalid - 1, "utf-8");
  g_autofree char *e = text_of_part (latin, sizeof latin - 1, "iso-8859-1");
  g_autofree char *f = text_of_part ("", 0, NULL);
  g_assert_cmpstr (a, ==, plain);
  g_assert_cmpstr (b, ==, "Action: failed\nStatus: 5.1.1\nX: y\n");
  g_assert_cmpstr (c, ==, "Action: failed\nStatus: 5.1.1\n");
  g_assert_cmpstr (d, ==, "Diagnostic-Code: smtp; caf\xef\xbf\xbd \xef\xbf\xbd");
  g_assert_cmpstr (e, ==, "Diagnostic-Code: smtp; d\xc3\xa9j\xc3\xa0 vu\n");
  g_assert_cmpstr (f, ==, "");
}

/* The event is about the address we sent to: Original-Recipient when it
 * is a mail address (an alias that forwards, an X.400 gateway's report),
 * Final-Recipient otherwise. */
static void
test_original_recipient (void)
{
  g_autoptr (OobReport) fwd = oob_test_parse_fixture ("dsn/postfix-alias-forward.eml", NULL);
  OobRecipient *r = recipient (fwd, 0);
  g_assert_cmpstr (oob_recipient_address (r), ==, "sam@example.org");
  g_assert_cmpstr (r->final_recipient, ==, "sam.home@example.net");
  g_assert_cmpstr (r->note, ==, "Final-Recipient sam.home@example.net");
  g_assert_cmpstr (r->status, ==, "5.1.1");

  g_autoptr (OobReport) x400 = oob_test_parse_fixture ("dsn/x400-gateway.eml", NULL);
  r = recipient (x400, 0);
  g_assert_cmpstr (oob_recipient_address (r), ==, "pat.rowe@example.co.uk");
  g_assert_cmpstr (r->final_recipient, ==, "/S=Rowe/G=Pat/OU=sales/O=example/PRMD=example/ADMD= /C=GB/");

  /* An X.400 gateway's X400-Supplementary-Info completes its reason code. */
  g_autoptr (OobReport) relay = oob_test_parse_fixture ("dsn/x400-supplementary-info.eml", NULL);
  r = recipient (relay, 0);
  g_assert_cmpstr (r->diagnostic, ==,
                   "Reason 1 (Unable-To-Transfer); Diagnostic -1 (Unknown); "
                   "MTA 'relay.example.org' gives error message 5.7.1 Relaying denied for lena.hart(a)example.org");
  g_assert_cmpstr (r->status, ==, "5.7.1");

  /* Same address in both fields: no note. */
  g_autoptr (OobReport) same = oob_test_parse_fixture ("dsn/postfix-550-user-unknown.eml", NULL);
  g_assert_null (recipient (same, 0)->note);

  /* An Original-Recipient that is no mail address leaves the final one. */
  OobRecipient *odd = oob_recipient_new ();
  odd->final_recipient = g_strdup ("kim@example.org");
  odd->original_recipient = g_strdup ("/o=Example/ou=Admin/cn=Recipients/cn=kim");
  g_assert_cmpstr (oob_recipient_address (odd), ==, "kim@example.org");
  g_free (odd->original_recipient);
  odd->original_recipient = g_strdup ("kim@");
  g_assert_cmpstr (oob_recipient_address (odd), ==, "kim@example.org");
  oob_recipient_free (odd);
}

/* A delay notice for an envelope that expired is a failure: the message
 * left the queue.  A delay with another reason stays a delay. */
static void
test_envelope_expired (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/opensmtpd-envelope-expired.eml", NULL);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->diagnostic, ==, "Envelope expired");
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_cmpstr (r->status, ==, "4.4.7");
  g_assert_cmpint (oob_recipient_kind (report, r), ==, OOB_KIND_BOUNCE);

  g_autoptr (OobReport) delay = oob_test_parse_fixture ("dsn/delay-4xx.eml", NULL);
  g_assert_cmpint (oob_recipient_kind (delay, recipient (delay, 0)), ==, OOB_KIND_DELAY);
}

/* "Action: failure" means failed; a Status holding a reply gives the code,
 * the reason and a status derived from its words. */
static void
test_status_holds_reply (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/status-holds-reply.eml", NULL);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_cmpint (r->smtp_code, ==, 552);
  g_assert_cmpstr (r->status, ==, "5.0.934");
  g_assert_true (g_str_has_prefix (r->diagnostic, "552 Message exceeds"));
  g_assert_cmpint (oob_recipient_kind (report, r), ==, OOB_KIND_BOUNCE);
}

/* RFC 1894's draft label message/x-delivery-status names the same part. */
static void
test_x_delivery_status (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/x-delivery-status.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->reporting_mta, ==, "relay.example.net");
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->final_recipient, ==, "owen@example.net");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->smtp_code, ==, 550);
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.net");
}

/* No Diagnostic-Code, but the reply written into the block as a line of
 * its own: that line is the reason, without the address before it; the
 * stated class-only Status stays. */
static void
test_reply_line_in_block (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/reply-line-in-block.eml", NULL);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->diagnostic, ==, "552 Mailbox over quota, message refused");
  g_assert_cmpint (r->smtp_code, ==, 552);
  g_assert_cmpstr (r->status, ==, "5.0.0");

  /* Lines that are no reply ("Note: ...", an indented one) are not read. */
  static const char block[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "Subject: failure\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/plain\n\nFailed.\n\n"
    "--b\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mx.example.net\n\n"
    "Final-Recipient: rfc822; tia@example.org\nAction: failed\nStatus: 5.1.1\nplain words 550\n"
    "\n--b--\n";
  g_autoptr (OobReport) none = oob_parse_message (block, sizeof block - 1);
  g_assert_null (recipient (none, 0)->diagnostic);
}

/* What sloppy reports write around the address in a recipient field. */
static void
test_address_forms (void)
{
  static const char *const cases[][2] = {
    { "rfc822; Quinn Hale <quinn@example.org>", "quinn@example.org" },
    { "rfc822; \"rosa m\"@example.org", "\"rosa m\"@example.org" },
    { "rfc822; \"Hale, Quinn\" <quinn@example.org>", "quinn@example.org" },
    { "rfc822; \"quinn@example.org\"", "quinn@example.org" },
    { "rfc822; 'sven@example.org'.", "sven@example.org" },
    { "rfc822; [sven@example.org]", "sven@example.org" },
    { "rfc822; <<sven@example.org>>", "sven@example.org" },
    { "rfc822; sven@example.org;", "sven@example.org" },
    { "rfc822; sven@example.org,", "sven@example.org" },
    { "rfc822: sven@example.org", "sven@example.org" },
    { "rfc822; (Sven) sven@example.org", "sven@example.org" },
    { "rfc822; sven@[192.0.2.7]", "sven@[192.0.2.7]" },
    /* A Japanese carrier's local part may end in a dot: kept. */
    { "rfc822; sven.@example.ne.jp", "sven.@example.ne.jp" },
    { "rfc822; sven", "sven" },
    { "rfc822; |/usr/bin/procmail", "|/usr/bin/procmail" },
    { "utf-8; ĺena@example.org", "ĺena@example.org" },
    /* A domain stays as written, in ASCII or in Unicode. */
    { "rfc822; sven@xn--bcher-kva.example", "sven@xn--bcher-kva.example" },
    { "utf-8; sven@bücher.example", "sven@bücher.example" },
    /* The obsolete spaces of an address folded at a dot. */
    { "rfc822; sven@example.\n org", "sven@example.org" },
    { "rfc822; <sven@example. org>", "sven@example.org" },
    { "rfc822;", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *address = oob_dsn_address (cases[i][0]);
      g_assert_cmpstr (address, ==, cases[i][1]);
    }

  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/address-forms.eml", NULL);
  g_assert_cmpuint (report->recipients->len, ==, 3);
  g_assert_cmpstr (recipient (report, 0)->final_recipient, ==, "quinn@example.org");
  g_assert_cmpstr (recipient (report, 1)->final_recipient, ==, "\"rosa m\"@example.org");
  g_assert_cmpstr (recipient (report, 2)->final_recipient, ==, "sven@example.org");
  g_assert_cmpstr (recipient (report, 2)->status, ==, "5.2.2");
}

/* A local delivery agent's own words in the notice are the reason, where
 * the report gives none or only an exit status: not the MTA's summary. */
static void
test_agent_message (void)
{
  g_autoptr (OobReport) local = oob_test_parse_fixture ("dsn/sendmail-mail-local.eml", NULL);
  OobRecipient *r = recipient (local, 0);
  g_assert_cmpstr (r->diagnostic, ==, "mail.local: unknown user: tess");
  g_assert_cmpstr (r->status, ==, "5.3.0");

  g_autoptr (OobReport) procmail = oob_test_parse_fixture ("dsn/procmail-exit-status.eml", NULL);
  r = recipient (procmail, 0);
  g_assert_cmpstr (r->diagnostic, ==, "procmail: Quota exceeded while writing \"/var/spool/mail/uma\"");
  g_assert_cmpstr (r->status, ==, "5.0.922");

  /* Each recipient its own agent's words, not the first the notice quotes. */
  g_autoptr (OobReport) two = oob_test_parse_fixture ("dsn/sendmail-local-agents.eml", NULL);
  g_assert_cmpuint (two->recipients->len, ==, 2);
  g_assert_cmpstr (recipient (two, 0)->diagnostic, ==, "mail.local: unknown user: ada");
  g_assert_cmpstr (recipient (two, 1)->diagnostic, ==, "mail.local: Disc quota exceeded");

  /* A Diagnostic-Code with words of its own is kept. */
  g_autoptr (OobReport) stated = oob_test_parse_fixture ("dsn/quota-552.eml", NULL);
  g_assert_null (strstr (recipient (stated, 0)->diagnostic, "procmail"));

  /* A report for two recipients whose notice no family reads: the agent's
   * line naming one ("unknown user: ann") is not the other's reason. */
  static const char pair[] =
    "From: MAILER-DAEMON@mx.example.org\nSubject: Returned mail\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"d\"\n\n"
    "--d\nContent-Type: text/plain\n\nLocal delivery for one of them reported:\n"
    "mail.local: unknown user: ann\n\n"
    "--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
    "Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: X-Unix; 67\n\n"
    "Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550\n\n"
    "--d--\n";
  g_autoptr (OobReport) shared = oob_parse_message (pair, strlen (pair));
  g_assert_cmpuint (shared->recipients->len, ==, 2);
  g_assert_cmpstr (recipient (shared, 0)->diagnostic, ==, "mail.local: unknown user: ann");
  g_assert_cmpstr (recipient (shared, 0)->status, ==, "5.0.911");
  g_assert_null (strstr (recipient (shared, 1)->diagnostic, "mail.local"));
  g_assert_cmpstr (recipient (shared, 1)->status, ==, "5.0.0");
  g_autofree char *about = oob_mda_agent_message_about ("mail.local: unknown user: annie\nmail.local: unknown user: ann\n",
                                                        "ann@example.org");
  g_assert_cmpstr (about, ==, "mail.local: unknown user: ann");

  g_assert_null (oob_mda_agent_message ("see what procmail: said"));
  g_autofree char *agent = oob_mda_agent_message ("Transcript:\n  maildrop: maildir over quota.\n");
  g_assert_cmpstr (agent, ==, "maildrop: maildir over quota.");
}

/* A part whose transfer encoding is named under a misspelt field name
 * ("Content-Transfer-Encodeing: base64") is decoded all the same. */
static void
test_misspelt_transfer_encoding (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/misspelt-transfer-encoding.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->reporting_mta, ==, "gate.example.net");
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->final_recipient, ==, "wes@example.net");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->smtp_code, ==, 550);
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.net");

  /* The field named rightly wins over the misspelt one. */
  static const char both[] =
    "Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\nContent-Transfer-Encodeing: base64\n\nQUJD\n";
  g_autoptr (GMimeObject) part = oob_mime_parse_header_block (both, sizeof both - 1);
  g_autofree char *text = oob_mime_part_text (part);
  g_assert_cmpstr (text, ==, "QUJD\n");
}

/* Gmail's per-message X-Original-Message-ID names the message when the
 * notice returns none of it. */
static void
test_original_message_id (void)
{
  static const char message[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"g\"\n\n"
    "--g\nContent-Type: text/plain\n\nAddress not found.\n\n"
    "--g\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; googlemail.com\n"
    "X-Original-Message-ID: <20261108.c5c5c5@mailer.example.com>\n\n"
    "Final-Recipient: rfc822; xena@example.org\nAction: failed\nStatus: 5.1.1\n\n"
    "--g--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, sizeof message - 1);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpstr (report->orig_message_id, ==, "20261108.c5c5c5@mailer.example.com");
}

/* A mail system's notice that returns the message and pastes the report's
 * fields under its explanation, in the same text part; the same text with
 * no returned message, or sent to a list, shows sample fields. */
static void
test_fields_under_explanation (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("dsn/fields-under-explanation.eml", NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_DSN);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *r = recipient (report, 0);
  g_assert_cmpstr (r->final_recipient, ==, "yves@example.org");
  g_assert_cmpstr (r->status, ==, "5.2.2");
  g_assert_cmpint (r->smtp_code, ==, 552);
  g_assert_cmpstr (report->orig_message_id, ==, "20261108.d6d6d6@mailer.example.com");

  static const char *const heads[] = {
    "From: MAILER-DAEMON@mx.example.org\nSubject: How to read a report\n",
    "From: MAILER-DAEMON@mx.example.org\nSubject: How to read a report\nList-Id: <help.example.org>\n",
  };
  static const char *const tails[] = {
    "--m--\n",
    "--m\nContent-Type: message/rfc822\n\nFrom: news@example.com\nTo: zia@example.org\n\nHi\n--m--\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *message = g_strconcat (
        heads[i], "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
        "--m\nContent-Type: text/plain\n\nA report looks like this:\n\n"
        "Final-Recipient: rfc822; zia@example.org\nAction: failed\nStatus: 5.1.1\n\n",
        tails[i], NULL);
      g_autoptr (OobReport) sample = oob_parse_message (message, strlen (message));
      g_assert_cmpint (sample->type, ==, OOB_REPORT_UNKNOWN);
    }

  /* A postmaster's letter (no client named) that pastes a few fields and
   * goes on under them, the message attached: fields pasted by a notice
   * end its explanation, so these are a person's quotation. */
  static const char letter[] =
    "From: Postmaster <postmaster@example.net>\nSubject: Your message to our user\n"
    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
    "--m\nContent-Type: text/plain\n\nOur log shows it was delivered both times:\n\n"
    "Final-Recipient: rfc822; nina@example.org\nAction: delivered\nStatus: 2.0.0\n\n"
    "Do you know why you sent it twice?\n\nMia\n\n"
    "--m\nContent-Type: message/rfc822\n\nFrom: news@example.com\nTo: nina@example.org\n\nHi\n--m--\n";
  g_autoptr (OobReport) pasted = oob_parse_message (letter, strlen (letter));
  g_assert_cmpint (pasted->type, ==, OOB_REPORT_UNKNOWN);
  g_autoptr (OobReport) asked = oob_test_parse_fixture ("other/postmaster-pastes-fields-attached.eml", NULL);
  g_assert_cmpint (asked->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (asked->recipients->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsn/postfix", test_postfix);
  g_test_add_func ("/dsn/multi-recipient", test_multi_recipient);
  g_test_add_func ("/dsn/global-utf8", test_global_utf8);
  g_test_add_func ("/dsn/utf8-escapes", test_utf8_escapes);
  g_test_add_func ("/dsn/sloppy", test_sloppy);
  g_test_add_func ("/dsn/status-from-diagnostic", test_status_from_diagnostic);
  g_test_add_func ("/dsn/status-refine", test_status_refine);
  g_test_add_func ("/dsn/status-find", test_status_find);
  g_test_add_func ("/dsn/transcript-codes", test_transcript_codes);
  g_test_add_func ("/dsn/repeated-recipient", test_repeated_recipient);
  g_test_add_func ("/dsn/broken-mime", test_broken_mime);
  g_test_add_func ("/dsn/boundaryless-report", test_boundaryless_report);
  g_test_add_func ("/dsn/recipients-without-blank-line", test_recipients_without_blank_line);
  g_test_add_func ("/dsn/unexplained-status", test_unexplained_status);
  g_test_add_func ("/dsn/recipient-from-returned", test_recipient_from_returned);
  g_test_add_func ("/dsn/pasted-report", test_pasted_report);
  g_test_add_func ("/dsn/pasted-recipient-fields", test_pasted_recipient_fields);
  g_test_add_func ("/dsn/status-as-text-part", test_status_as_text_part);
  g_test_add_func ("/dsn/reason-from-notice", test_reason_from_notice);
  g_test_add_func ("/dsn/not-a-report", test_not_a_report);
  g_test_add_func ("/dsn/line-endings", test_line_endings);
  g_test_add_func ("/dsn/field-blocks", test_field_blocks);
  g_test_add_func ("/dsn/part-text", test_part_text);
  g_test_add_func ("/dsn/original-recipient", test_original_recipient);
  g_test_add_func ("/dsn/status-holds-reply", test_status_holds_reply);
  g_test_add_func ("/dsn/envelope-expired", test_envelope_expired);
  g_test_add_func ("/dsn/x-delivery-status", test_x_delivery_status);
  g_test_add_func ("/dsn/reply-line-in-block", test_reply_line_in_block);
  g_test_add_func ("/dsn/address-forms", test_address_forms);
  g_test_add_func ("/dsn/agent-message", test_agent_message);
  g_test_add_func ("/dsn/misspelt-transfer-encoding", test_misspelt_transfer_encoding);
  g_test_add_func ("/dsn/original-message-id", test_original_message_id);
  g_test_add_func ("/dsn/fields-under-explanation", test_fields_under_explanation);
  return g_test_run ();
}
