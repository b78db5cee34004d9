/* test-feedback.c - ARF reports and provider complaints (arf.c, complaint.c).
 *
 * Parses the fixtures in fixtures/arf/ with oob_parse_message() and checks
 * the report type, parser, feedback type, stored fields and complained-about
 * recipients; and that messages which merely attach or quote something are
 * not taken for complaints.
 */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "parse.h"

static void
assert_complaint (const OobReport *report, const char *parser, const char *feedback_type)
{
  g_assert_cmpint (report->type, ==, OOB_REPORT_FEEDBACK);
  g_assert_cmpstr (report->parser, ==, parser);
  g_assert_cmpstr (report->feedback_type, ==, feedback_type);
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      g_assert_cmpint (oob_recipient_kind (report, rcpt), ==, OOB_KIND_FEEDBACK);
      g_assert_null (rcpt->status);
    }
}

static const char *
recipient_at (const OobReport *report, guint i)
{
  g_assert_cmpuint (i, <, report->recipients->len);
  return oob_recipient_address (g_ptr_array_index (report->recipients, i));
}

static void
test_abuse_rfc5965 (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/abuse-rfc5965.eml", NULL);
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "nina@example.net");

  /* Every field is kept verbatim, in order. */
  g_assert_cmpuint (report->fields->len, ==, 12);
  OobField *first = g_ptr_array_index (report->fields, 0);
  g_assert_cmpstr (first->name, ==, "Feedback-Type");
  g_assert_cmpstr (oob_report_get_field (report, "User-Agent"), ==, "ExampleNetFBL/2.4");
  g_assert_cmpstr (oob_report_get_field (report, "Version"), ==, "1");
  g_assert_cmpstr (oob_report_get_field (report, "Original-Mail-From"), ==,
                   "<bounces+nina=example.net@bounce.example.com>");
  g_assert_cmpstr (oob_report_get_field (report, "Original-Rcpt-To"), ==, "<nina@example.net>");
  g_assert_cmpstr (oob_report_get_field (report, "Source-IP"), ==, "192.0.2.10");
  g_assert_cmpstr (oob_report_get_field (report, "Incidents"), ==, "1");
  g_assert_cmpstr (oob_report_get_field (report, "Reported-Domain"), ==, "example.com");
  g_assert_cmpstr (oob_report_get_field (report, "Reported-URI"), ==, "https://shop.example.com/spring-sale");
  const char *auth = oob_report_get_field (report, "Authentication-Results");
  g_assert_nonnull (auth);
  g_assert_nonnull (strstr (auth, "dkim=pass header.d=example.com"));
  g_assert_null (strchr (auth, '\n'));

  g_assert_cmpstr (report->arrival_date, ==, "Sun, 1 Nov 2026 09:58:02 +0000");
  g_assert_cmpstr (report->reporting_mta, ==, "mx.example.net");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.bcf456@mailer.example.com");
}

static void
test_yahoo_draft (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/yahoo-v0.1.eml", NULL);
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpstr (oob_report_get_field (report, "Version"), ==, "0.1");
  g_assert_cmpstr (report->arrival_date, ==, "Sun, 1 Nov 2026 10:07:12 +0000");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "oscar@example.net");
}

static void
test_auth_failure (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/auth-failure-dkim.eml", NULL);
  assert_complaint (report, "arf", "auth-failure");
  g_assert_cmpstr (oob_report_get_field (report, "Auth-Failure"), ==, "dkim");
  g_assert_cmpstr (oob_report_get_field (report, "DKIM-Domain"), ==, "example.com");
  g_assert_cmpstr (oob_report_get_field (report, "DKIM-Identity"), ==, "@example.com");
  g_assert_cmpstr (oob_report_get_field (report, "DKIM-Selector"), ==, "s2026");
  g_assert_cmpstr (oob_report_get_field (report, "Delivery-Result"), ==, "delivered");
  g_assert_cmpstr (oob_report_get_field (report, "Identity-Alignment"), ==, "dkim");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "pat@example.org");
  /* The headers came as text/rfc822-headers. */
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.deb678@mailer.example.com");
}

static void
test_opt_out (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/opt-out.eml", NULL);
  assert_complaint (report, "arf", "opt-out");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "quinn@example.org");
}

/* Blank lines before and among the report's fields lose nothing. */
static void
test_blank_lines_in_report (void)
{
  g_autofree char *data = oob_test_read_fixture ("arf", "opt-out.eml", NULL);
  g_auto (GStrv) halves = g_strsplit (data, "Content-Type: message/feedback-report\n\n", 2);
  g_assert_cmpuint (g_strv_length (halves), ==, 2);
  g_auto (GStrv) fields = g_strsplit (halves[1], "Version: 1\n", 2);
  g_assert_cmpuint (g_strv_length (fields), ==, 2);
  g_autofree char *message = g_strconcat (halves[0], "Content-Type: message/feedback-report\n\n\n \n",
                                          fields[0], "Version: 1\n\n", fields[1], NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  assert_complaint (report, "arf", "opt-out");
  g_assert_cmpstr (oob_report_get_field (report, "Version"), ==, "1");
  g_assert_cmpstr (oob_report_get_field (report, "Reported-Domain"), ==, "example.com");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "quinn@example.org");
}

static void
test_several_recipients (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/multiple-rcpt-to.eml", NULL);
  /* "Feedback-Type: Abuse" is stored as given and reported in lower case. */
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpstr (oob_report_get_field (report, "Feedback-Type"), ==, "Abuse");
  g_assert_cmpuint (report->recipients->len, ==, 3);
  g_assert_cmpstr (recipient_at (report, 0), ==, "carla@example.org");
  g_assert_cmpstr (recipient_at (report, 1), ==, "dmitri@example.org");
  g_assert_cmpstr (recipient_at (report, 2), ==, "elif@example.org");
}

static void
test_recipient_from_enclosed_to (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/no-original-rcpt-to.eml", NULL);
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "tina@isp.example.test");
}

/* With several addresses in the enclosed To:, who complained is unknown. */
static void
test_enclosed_to_several (void)
{
  g_autofree char *data = oob_test_read_fixture ("arf", "no-original-rcpt-to.eml", NULL);
  g_auto (GStrv) halves = g_strsplit (data, "To: Tina Example <tina@isp.example.test>", 2);
  g_assert_cmpuint (g_strv_length (halves), ==, 2);
  g_autofree char *message = g_strjoin ("To: tina@isp.example.test, uli@isp.example.test", halves[0], halves[1], NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_null (recipient_at (report, 0));
}

static void
test_no_recipient_named (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/undisclosed-recipient.eml", NULL);
  assert_complaint (report, "arf", "abuse");
  /* One recipient without an address: the envelope fills it in later. */
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_null (recipient_at (report, 0));
}

static void
test_missing_report_type (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/missing-report-type.eml", NULL);
  assert_complaint (report, "arf", "fraud");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "felix@example.net");
  g_assert_cmpstr (oob_report_get_field (report, "User-Agent"), ==, "FraudDesk/1.1");
}

static void
test_mistyped_feedback_part (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/mistyped-feedback-part.eml", NULL);
  assert_complaint (report, "arf", "opt-out");
  /* The 0.1 draft's Removal-Recipient, not the enclosed "Undisclosed Recipients". */
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "gina@example.test");
  /* text/rfc822-header (singular) is read as the original's headers. */
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.cc0d33@mailer.example.com");
}

/* No Original-Rcpt-To, only Redacted-Address: the complainer is the
 * enclosed message's X-HmXmrOriginalRecipient (its To: names nobody). */
static void
test_redacted_microsoft_arf (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/microsoft-arf-redacted.eml", NULL);
  assert_complaint (report, "arf", "abuse");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "vera@example.net");
  g_assert_cmpstr (report->arrival_date, ==, "Sun, 1 Nov 2026 14:02:40 +0000");
}

/* report-type=feedback-report with no field part: a complaint of no stated
 * type; without the complained-about message as well, nothing is reported. */
static void
test_report_without_fields (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/report-without-fields.eml", NULL);
  assert_complaint (report, "arf", "other");
  g_assert_cmpuint (report->fields->len, ==, 0);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "wilma@example.org");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.d1b234@mailer.example.com");

  gsize len = 0;
  g_autofree char *data = oob_test_read_fixture ("arf", "report-without-fields.eml", &len);
  g_autoptr (GString) bare = g_string_new (data);
  g_string_replace (bare, "Content-Type: message/rfc822", "Content-Type: text/plain", 1);
  g_autoptr (OobReport) note = oob_parse_message (bare->str, bare->len);
  g_assert_cmpint (note->type, !=, OOB_REPORT_FEEDBACK);
}

static void
test_jmrp (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/jmrp-microsoft.eml", NULL);
  assert_complaint (report, "jmrp", "abuse");
  /* The attached message's X-HmXmrOriginalRecipient, not the outer one
   * (which names our own feedback address). */
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "rose@example.net");
  g_assert_cmpstr (oob_report_get_field (report, "Source-IP"), ==, "192.0.2.10");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.fbe890@mailer.example.com");
}

/* Only the complained-about message's headers, as text/rfc822-headers. */
static void
test_jmrp_headers_only (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/jmrp-headers-only.eml", NULL);
  assert_complaint (report, "jmrp", "abuse");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "tess@example.net");
  g_assert_cmpstr (oob_report_get_field (report, "Source-IP"), ==, "192.0.2.12");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.fbe891@mailer.example.com");

  /* The same report forwarded by a person, or their own message about it
   * written in a mail client, is no report. */
  gsize len = 0;
  g_autofree char *data = oob_test_read_fixture ("arf", "jmrp-headers-only.eml", &len);
  g_autoptr (GString) forwarded = g_string_new (data);
  g_string_replace (forwarded, "Subject: complaint", "Subject: Fwd: complaint", 1);
  g_autoptr (OobReport) forward = oob_parse_message (forwarded->str, forwarded->len);
  g_assert_cmpint (forward->type, ==, OOB_REPORT_UNKNOWN);
  g_autoptr (GString) written = g_string_new (data);
  g_string_replace (written, "From: staff@hotmail.com\n", "From: Tess <tess@example.net>\nUser-Agent: Mozilla Thunderbird\n", 1);
  g_autoptr (OobReport) client = oob_parse_message (written->str, written->len);
  g_assert_cmpint (client->type, ==, OOB_REPORT_UNKNOWN);
}

static void
test_jmrp_without_original (void)
{
  static const char message[] =
    "From: staff@hotmail.test\n"
    "To: fbl@bounce.example.com\n"
    "Subject: complaint about message from 192.0.2.10\n"
    "Content-Type: text/plain\n"
    "\n"
    "No message is attached to this one.\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

static void
test_amazon_ses (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/amazon-ses-complaint.eml", NULL);
  assert_complaint (report, "amazonses-complaint", "abuse");
  /* A person forwarding the notification sends no complaint. */
  gsize len = 0;
  g_autofree char *data = oob_test_read_fixture ("arf", "amazon-ses-complaint.eml", &len);
  g_autoptr (GString) forwarded = g_string_new (data);
  g_string_replace (forwarded, "Subject: ", "Subject: Fwd: ", 1);
  g_autoptr (OobReport) forward = oob_parse_message (forwarded->str, forwarded->len);
  g_assert_cmpint (forward->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "sam@example.org");
  g_assert_cmpstr (oob_report_get_field (report, "User-Agent"), ==, "ExampleOrgMail/3.1");
  g_assert_cmpstr (oob_report_get_field (report, "Source-IP"), ==, "192.0.2.11");
  g_assert_cmpstr (report->arrival_date, ==, "2026-11-01T10:45:31.000Z");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.acf901@mailer.example.com");
}

static void
test_amazon_ses_sns_envelope (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/amazon-ses-sns-envelope.eml", NULL);
  /* No complaintFeedbackType: SES complaints are abuse. */
  assert_complaint (report, "amazonses-complaint", "abuse");
  g_assert_null (oob_report_get_field (report, "Feedback-Type"));
  g_assert_cmpuint (report->recipients->len, ==, 2);
  g_assert_cmpstr (recipient_at (report, 0), ==, "hugo@example.net");
  g_assert_cmpstr (recipient_at (report, 1), ==, "ines@example.net");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.ee0f55@mailer.example.com");
}

static void
test_amazon_ses_bounce_is_not_complaint (void)
{
  static const char message[] =
    "From: AWS Notifications <no-reply@sns.amazonaws.test>\n"
    "To: ses-notices@bounce.example.com\n"
    "Subject: AWS Notification Message\n"
    "Content-Type: text/plain\n"
    "\n"
    "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
    "\"bouncedRecipients\":[{\"emailAddress\":\"zoe@example.org\"}]},\"complaint\":{}}\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, !=, OOB_REPORT_FEEDBACK);
}

/* The DSN parser tries this text first (it quotes a delivery-status block)
 * and declines, leaving its Arrival-Date: the complaint's own replaces it
 * (and, under the sanitizers, nothing leaks). */
static void
test_amazon_ses_after_declined_dsn (void)
{
  static const char message[] =
    "From: AWS Notifications <no-reply@sns.amazonaws.test>\n"
    "Subject: AWS Notification Message\n"
    "Content-Type: text/plain\n"
    "\n"
    "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":"
    "[{\"emailAddress\":\"zoe@example.org\"}],\"arrivalDate\":\"2026-11-01T10:00:00.000Z\"}}\n"
    "\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Arrival-Date: some other day\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  assert_complaint (report, "amazonses-complaint", "abuse");
  g_assert_cmpstr (report->arrival_date, ==, "2026-11-01T10:00:00.000Z");
  g_assert_cmpstr (recipient_at (report, 0), ==, "zoe@example.org");
}

/* A body of endlessly nested JSON is declined, not a crash. */
static void
test_deep_json (void)
{
  GString *message = g_string_new ("From: no-reply@sns.amazonaws.test\n"
                                   "Subject: AWS Notification Message\n"
                                   "Content-Type: text/plain\n\n");
  for (int i = 0; i < 200000; i++)
    g_string_append (message, "{\"a\":[");
  g_string_append (message, "1");
  for (int i = 0; i < 200000; i++)
    g_string_append (message, "]}");
  g_autoptr (OobReport) report = oob_parse_message (message->str, message->len);
  g_assert_cmpint (report->type, !=, OOB_REPORT_FEEDBACK);
  g_string_free (message, TRUE);
}

static void
test_apple_unsubscribe (void)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture ("arf/apple-unsubscribe.eml", NULL);
  /* Auto-Submitted: auto-replied too, but an opt-out, not an auto-reply. */
  assert_complaint (report, "apple-unsubscribe", "opt-out");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  g_assert_cmpstr (recipient_at (report, 0), ==, "jules@icloud.test");
  g_assert_cmpstr (oob_report_get_field (report, "X-Apple-Unsubscribe"), ==, "true");
}

/* Same report with CRLF and CR-only line ends. */
static void
test_line_ends (void)
{
  g_autofree char *path = g_build_filename (OOB_SRCDIR, "fixtures", "arf", "multiple-rcpt-to.eml", NULL);
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  const char *const ends[] = { "\r\n", "\r" };
  for (gsize i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autofree char *converted = g_strjoinv (ends[i], lines);
      g_autoptr (OobReport) report = oob_parse_message (converted, strlen (converted));
      assert_complaint (report, "arf", "abuse");
      g_assert_cmpuint (report->recipients->len, ==, 3);
      g_assert_cmpstr (recipient_at (report, 2), ==, "elif@example.org");
      g_assert_cmpstr (oob_report_get_field (report, "Incidents"), ==, "3");
    }
}

static void
test_not_complaints (gconstpointer name)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture (name, NULL);
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
  g_assert_null (report->feedback_type);
}

/* A person forwarding a complaint as an attachment is not a complaint. */
static void
test_forwarded_report (void)
{
  g_autofree char *path = g_build_filename (OOB_SRCDIR, "fixtures", "arf", "abuse-rfc5965.eml", NULL);
  g_autofree char *report_text = NULL;
  g_assert_true (g_file_get_contents (path, &report_text, NULL, NULL));
  g_autofree char *message = g_strconcat (
    "From: Olga Ops <ops@example.net>\n"
    "To: bounces@bounce.example.com\n"
    "Subject: Fwd: look at this report\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer-fwd\"\n"
    "\n"
    "--outer-fwd\n"
    "Content-Type: text/plain\n"
    "\n"
    "See the attached report.\n"
    "\n"
    "--outer-fwd\n"
    "Content-Type: message/rfc822\n"
    "\n",
    report_text,
    "\n--outer-fwd--\n", NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  g_assert_cmpuint (report->recipients->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/feedback/arf/abuse", test_abuse_rfc5965);
  g_test_add_func ("/feedback/arf/yahoo-0.1", test_yahoo_draft);
  g_test_add_func ("/feedback/arf/auth-failure", test_auth_failure);
  g_test_add_func ("/feedback/arf/opt-out", test_opt_out);
  g_test_add_func ("/feedback/arf/blank-lines", test_blank_lines_in_report);
  g_test_add_func ("/feedback/arf/several-recipients", test_several_recipients);
  g_test_add_func ("/feedback/arf/enclosed-to", test_recipient_from_enclosed_to);
  g_test_add_func ("/feedback/arf/no-recipient", test_no_recipient_named);
  g_test_add_func ("/feedback/arf/enclosed-to-several", test_enclosed_to_several);
  g_test_add_func ("/feedback/arf/missing-report-type", test_missing_report_type);
  g_test_add_func ("/feedback/arf/mistyped-part", test_mistyped_feedback_part);
  g_test_add_func ("/feedback/arf/redacted-microsoft", test_redacted_microsoft_arf);
  g_test_add_func ("/feedback/arf/without-fields", test_report_without_fields);
  g_test_add_func ("/feedback/arf/line-ends", test_line_ends);
  g_test_add_func ("/feedback/jmrp", test_jmrp);
  g_test_add_func ("/feedback/jmrp/without-original", test_jmrp_without_original);
  g_test_add_func ("/feedback/jmrp/headers-only", test_jmrp_headers_only);
  g_test_add_func ("/feedback/amazonses", test_amazon_ses);
  g_test_add_func ("/feedback/amazonses/sns-envelope", test_amazon_ses_sns_envelope);
  g_test_add_func ("/feedback/amazonses/bounce", test_amazon_ses_bounce_is_not_complaint);
  g_test_add_func ("/feedback/amazonses/deep-json", test_deep_json);
  g_test_add_func ("/feedback/amazonses/after-declined-dsn", test_amazon_ses_after_declined_dsn);
  g_test_add_func ("/feedback/apple-unsubscribe", test_apple_unsubscribe);
  g_test_add_data_func ("/feedback/negative/forward", "other/forward-attached-message.eml", test_not_complaints);
  g_test_add_data_func ("/feedback/negative/newsletter", "other/newsletter-quoting-bounce.eml", test_not_complaints);
  g_test_add_data_func ("/feedback/negative/human-reply", "other/human-reply-address-gone.eml", test_not_complaints);
  g_test_add_data_func ("/feedback/negative/dmarc-forensic-without-fields", "other/dmarc-forensic-without-fields.eml",
                        test_not_complaints);
  g_test_add_func ("/feedback/negative/forwarded-report", test_forwarded_report);
  return g_test_run ();
}
