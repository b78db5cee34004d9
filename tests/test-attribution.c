/* test-attribution.c - whose bounce it is: the VERP recipient as the
 * authority, the cross-check note, the verified flag for forged reports,
 * campaign/tenant/message-id sources including X-KumoRef and ENVID. */
#include "config.h"

#include <string.h>

#include "mime.h"

#include "attribution.h"
#include "parse.h"

#define TODAY 20779
#define SECRET "attribution-test-secret-0001"

static OobVerpConfig *
verp_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET "\"],"
      "  \"domains\": { \"strict.example.net\": { \"require_signature\": true } } }", &error);
  g_assert_no_error (error);
  OobVerpConfig *cfg = oob_verp_config_new (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return cfg;
}

static OobAttributionConfig *
attribution_config (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_assert_no_error (error);
  OobAttributionConfig *cfg = oob_attribution_config_new (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return cfg;
}

static char *
signed_path (const OobVerpConfig *cfg, const char *domain, const char *rcpt, const char *campaign)
{
  g_autoptr (GError) error = NULL;
  char *path = oob_verp_encode (cfg, domain, rcpt, campaign, TODAY, &error);
  g_assert_no_error (error);
  return path;
}

static OobEnvelope *
envelope_for (const char *address)
{
  return oob_envelope_collect ("", address, NULL, NULL);
}

/* A one-recipient DSN for final (and optionally original) recipient. */
static OobReport *
dsn_report (const char *final, const char *original, const char *headers)
{
  OobReport *report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  if (final != NULL || original != NULL)
    {
      OobRecipient *r = oob_report_add_recipient (report);
      oob_set_string (&r->final_recipient, final);
      oob_set_string (&r->original_recipient, original);
      oob_set_string (&r->action, "failed");
    }
  oob_set_string (&report->orig_headers, headers);
  return report;
}

static const char RETURNED[] =
  "From: News <news@sender.example.com>\n"
  "To: John <john@example.com>\n"
  "Subject: Spring offers\n"
  "Message-ID: <spring.123@sender.example.com>\n"
  "X-Campaign-ID: spring-2026\n"
  "X-Tenant-ID: tenant-7\n";

static void
test_signed_single_recipient (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autofree char *path = signed_path (verp, NULL, "john@example.com", "spring-2026");
  g_autoptr (OobEnvelope) env = envelope_for (path);
  g_autoptr (OobReport) report = dsn_report ("John@Example.com", NULL, RETURNED);
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);

  g_assert_cmpint (att->verp_status, ==, OOB_VERP_VERIFIED);
  g_assert_true (att->verified);
  g_assert_false (att->signature_required);
  g_assert_cmpstr (att->verp_recipient, ==, "john@example.com");
  g_assert_cmpstr (att->bounce_address, ==, path);
  g_assert_cmpstr (att->bounce_source, ==, "argv");
  g_assert_cmpstr (att->campaign, ==, "spring-2026");
  g_assert_cmpstr (att->campaign_source, ==, "verp");
  g_assert_cmpstr (att->tenant, ==, "tenant-7");
  g_assert_cmpstr (att->tenant_source, ==, "header:X-Tenant-ID");
  g_assert_cmpstr (att->message_id, ==, "spring.123@sender.example.com");
  g_assert_null (att->note);
  const OobRecipient *r = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (oob_attribution_recipient (att, report, r), ==, "john@example.com");
}

/* A forged report names a customer; the signature decides. */
static void
test_forged_reports (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autofree char *good = signed_path (verp, "strict.example.net", "john@example.com", NULL);
  g_autofree char *other = signed_path (verp, "strict.example.net", "jane@example.com", NULL);
  /* jane's valid tag pasted onto john's address */
  g_autofree char *tag = g_strdup (strrchr (other, '+'));
  g_autofree char *pasted = g_strdup_printf ("bounces+john=example.com%s", tag);

  static const struct { const char *name; gboolean verified; OobVerpStatus status; } expect[] = {
    { "signed", TRUE, OOB_VERP_VERIFIED },
    { "unsigned", FALSE, OOB_VERP_UNSIGNED },
    { "pasted tag", FALSE, OOB_VERP_BAD_SIGNATURE },
    { "not verp", FALSE, OOB_VERP_NOT_VERP },
    { "unsigned, lax listener", TRUE, OOB_VERP_UNSIGNED },
    { "bad tag, lax listener", FALSE, OOB_VERP_BAD_SIGNATURE },
    { "not verp, lax listener", TRUE, OOB_VERP_NOT_VERP },
  };
  const char *addresses[] = {
    good,
    "bounces+john=example.com@strict.example.net",
    pasted,
    "postmaster@strict.example.net",
    "bounces+john=example.com@bounce.example.net",
    "bounces+john=example.com+0123456789ab@bounce.example.net",
    "postmaster@bounce.example.net",
  };
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_test_message ("%s: %s", expect[i].name, addresses[i]);
      g_autoptr (OobEnvelope) env = envelope_for (addresses[i]);
      g_autoptr (OobReport) report = dsn_report ("john@example.com", NULL, NULL);
      g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
      g_assert_cmpint (att->verified, ==, expect[i].verified);
      g_assert_cmpstr (oob_verp_status_to_string (att->verp_status), ==,
                       oob_verp_status_to_string (expect[i].status));
      g_assert_cmpint (att->signature_required, ==, i < 4);
    }
}

static void
test_expired_is_unverified (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autofree char *path = signed_path (verp, NULL, "john@example.com", "c1");
  g_autoptr (OobEnvelope) env = envelope_for (path);
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, NULL, TODAY + 31);
  g_assert_cmpint (att->verp_status, ==, OOB_VERP_EXPIRED);
  g_assert_false (att->verified);
  /* An unverified tag's campaign is used only as the last resort. */
  g_assert_cmpstr (att->campaign, ==, "c1");
  g_assert_cmpstr (att->campaign_source, ==, "verp");
}

static void
test_recipient_disagreement (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@bounce.example.net");

  /* Final-Recipient names someone else: VERP wins, a note is kept. */
  g_autoptr (OobReport) other = dsn_report ("jane@example.org", NULL, NULL);
  g_autoptr (OobAttribution) a = oob_attribute (verp, NULL, env, other, TODAY);
  g_assert_cmpstr (a->note, ==, "report recipient jane@example.org differs from VERP recipient john@example.com");
  g_assert_cmpstr (oob_attribution_recipient (a, other, g_ptr_array_index (other->recipients, 0)),
                   ==, "john@example.com");

  /* Forwarded: Final-Recipient differs, Original-Recipient agrees. */
  g_autoptr (OobReport) forwarded = dsn_report ("john.forward@example.org", "JOHN@example.com", NULL);
  g_autoptr (OobAttribution) b = oob_attribute (verp, NULL, env, forwarded, TODAY);
  g_assert_null (b->note);

  /* The returned To: disagrees. */
  g_autoptr (OobReport) to = dsn_report ("john@example.com", NULL,
                                         "To: Jane <jane@example.org>\nSubject: x\n");
  g_autoptr (OobAttribution) c = oob_attribute (verp, NULL, env, to, TODAY);
  g_assert_nonnull (c->note);
  g_assert_nonnull (strstr (c->note, "returned To:"));
  g_assert_nonnull (strstr (c->note, "jane@example.org"));

  /* A report without recipients (an auto-reply) is about the VERP recipient. */
  g_autoptr (OobReport) none = dsn_report (NULL, NULL, NULL);
  g_autoptr (OobAttribution) d = oob_attribute (verp, NULL, env, none, TODAY);
  g_assert_null (d->note);
  g_assert_cmpstr (oob_attribution_recipient (d, none, NULL), ==, "john@example.com");
}

static void
test_several_recipients (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+list=example.com@bounce.example.net");
  g_autoptr (OobReport) report = dsn_report ("alice@example.org", NULL, NULL);
  OobRecipient *bob = oob_report_add_recipient (report);
  oob_set_string (&bob->final_recipient, "bob@example.org");
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  g_assert_cmpstr (att->note, ==, "report names 2 recipients; VERP recipient list@example.com");
  g_assert_cmpstr (oob_attribution_recipient (att, report, g_ptr_array_index (report->recipients, 0)),
                   ==, "alice@example.org");
  g_assert_cmpstr (oob_attribution_recipient (att, report, bob), ==, "bob@example.org");
}

static void
test_without_verp (void)
{
  g_autoptr (OobReport) report = dsn_report ("jane@example.org", NULL, NULL);
  g_autoptr (OobAttribution) att = oob_attribute (NULL, NULL, NULL, report, TODAY);
  g_assert_null (att->verp_recipient);
  g_assert_null (att->bounce_address);
  g_assert_true (att->verified);
  g_assert_null (att->note);
  g_assert_cmpstr (oob_attribution_recipient (att, report, g_ptr_array_index (report->recipients, 0)),
                   ==, "jane@example.org");
  g_assert_null (oob_attribution_recipient (att, NULL, NULL));
}

/* The first envelope candidate that is VERP wins. */
static void
test_candidate_choice (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  const char *envp[] = { "ORIGINAL_RECIPIENT=oob@localhost.example.net",
                         "RECIPIENT=bounces+john=example.com@bounce.example.net",
                         "SENDER=", NULL };
  g_autoptr (OobEnvelope) env = oob_envelope_collect (NULL, "oob@localhost.example.net", envp, NULL);
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, NULL, TODAY);
  g_assert_cmpstr (att->verp_recipient, ==, "john@example.com");
  g_assert_cmpstr (att->bounce_address, ==, "bounces+john=example.com@bounce.example.net");
  g_assert_cmpstr (att->bounce_source, ==, "env:postfix");
}

static char *
kumo_ref (const char *json)
{
  return g_base64_encode ((const guchar *) json, strlen (json));
}

static void
test_kumo_ref (void)
{
  g_autofree char *ref = kumo_ref ("{\"_@_\":\"\\\\_o<(\",\"recipient\":\"jane@example.org\","
                                   "\"campaign\":\"autumn\",\"tenant\":\"acme\",\"queue\":\"x\"}");
  g_autofree char *headers = g_strdup_printf ("Subject: x\nX-KumoRef: %s\n", ref);
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@bounce.example.net");
  g_autoptr (OobReport) report = dsn_report ("john@example.com", NULL, headers);
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  g_assert_cmpstr (att->campaign, ==, "autumn");
  g_assert_cmpstr (att->campaign_source, ==, "X-KumoRef");
  g_assert_cmpstr (att->tenant, ==, "acme");
  g_assert_cmpstr (att->tenant_source, ==, "X-KumoRef");
  g_assert_cmpstr (att->note, ==, "X-KumoRef recipient jane@example.org differs from VERP recipient john@example.com");

  /* Folded over lines, numbers as values, no marker: still read. */
  g_autofree char *ref2 = kumo_ref ("{\"recipient\":\"john@example.com\",\"campaign\":42}");
  gsize half = strlen (ref2) / 2;
  g_autofree char *headers2 = g_strdup_printf ("Subject: x\nX-KumoRef: %.*s\n %s\n",
                                               (int) half, ref2, ref2 + half);
  g_autoptr (OobReport) report2 = dsn_report ("john@example.com", NULL, headers2);
  g_autoptr (OobAttribution) att2 = oob_attribute (verp, NULL, env, report2, TODAY);
  g_assert_cmpstr (att2->campaign, ==, "42");
  g_assert_null (att2->note);

  /* Garbage is ignored, not fatal. */
  const char *garbage[] = { "X-KumoRef: !!!not base64!!!\n", "X-KumoRef: WzEsMiwzXQ==\n" /* [1,2,3] */,
                            "X-KumoRef: bm90IGpzb24=\n" /* "not json" */ };
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr (OobReport) r = dsn_report ("john@example.com", NULL, garbage[i]);
      g_autoptr (OobAttribution) a = oob_attribute (verp, NULL, env, r, TODAY);
      g_assert_null (a->campaign);
      g_assert_null (a->note);
    }

  /* The header name is configurable, and can be switched off. */
  g_autoptr (OobAttributionConfig) off = attribution_config ("{ \"trace_header\": \"\" }");
  g_autoptr (OobAttribution) att3 = oob_attribute (verp, off, env, report, TODAY);
  g_assert_null (att3->campaign);
}

static void
test_headers_and_envid (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@bounce.example.net");
  g_autoptr (OobAttributionConfig) acfg = attribution_config (
      "{ \"campaign_header\": [\"X-Mailer-Campaign\", \"X-Campaign-ID\"],"
      "  \"tenant_header\": \"X-Customer\", \"envid\": \"campaign\" }");

  g_autoptr (OobReport) report = dsn_report ("john@example.com", NULL,
      "Subject: x\nX-Campaign-ID: second\nX-Mailer-Campaign:  first \nX-Customer: =?utf-8?q?K=C3=A4se?=\n");
  g_autoptr (OobAttribution) att = oob_attribute (verp, acfg, env, report, TODAY);
  g_assert_cmpstr (att->campaign, ==, "first");
  g_assert_cmpstr (att->campaign_source, ==, "header:X-Mailer-Campaign");
  g_assert_cmpstr (att->tenant, ==, "K\xc3\xa4se");
  g_assert_cmpstr (att->tenant_source, ==, "header:X-Customer");

  /* Nothing in the headers: ENVID is the campaign, the report's before the environment's. */
  g_autoptr (OobReport) bare = dsn_report ("john@example.com", NULL, NULL);
  oob_set_string (&bare->original_envelope_id, "cmp-77");
  const char *envp[] = { "ORIGINAL_RECIPIENT=bounces+john=example.com@bounce.example.net",
                         "ENVID=from-env", NULL };
  g_autoptr (OobEnvelope) env2 = oob_envelope_collect (NULL, NULL, envp, NULL);
  g_autoptr (OobAttribution) att2 = oob_attribute (verp, acfg, env2, bare, TODAY);
  g_assert_cmpstr (att2->envid, ==, "cmp-77");
  g_assert_cmpstr (att2->campaign, ==, "cmp-77");
  g_assert_cmpstr (att2->campaign_source, ==, "envid");
  g_autoptr (OobReport) bare2 = dsn_report ("john@example.com", NULL, NULL);
  g_autoptr (OobAttribution) att3 = oob_attribute (verp, acfg, env2, bare2, TODAY);
  g_assert_cmpstr (att3->campaign, ==, "from-env");

  /* ENVID as the message id; the report's own Message-ID comes first. */
  g_autoptr (OobAttributionConfig) mid = attribution_config ("{ \"envid\": \"message-id\" }");
  g_autoptr (OobAttribution) att4 = oob_attribute (verp, mid, env2, bare2, TODAY);
  g_assert_cmpstr (att4->message_id, ==, "from-env");
  g_assert_null (att4->campaign);
  oob_set_string (&bare2->orig_message_id, "<m1@sender.example.com>");
  g_autoptr (OobAttribution) att5 = oob_attribute (verp, mid, env2, bare2, TODAY);
  g_assert_cmpstr (att5->message_id, ==, "m1@sender.example.com");
}

static void
test_campaign_disagreement (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autofree char *path = signed_path (verp, NULL, "john@example.com", "spring");
  g_autoptr (OobEnvelope) env = envelope_for (path);
  g_autoptr (OobReport) report = dsn_report ("john@example.com", NULL,
                                             "Subject: x\nX-Campaign-ID: winter\n");
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  g_assert_cmpstr (att->campaign, ==, "spring");
  g_assert_cmpstr (att->note, ==, "X-Campaign-ID winter differs from VERP campaign spring");
}

static void
test_config_errors (void)
{
  const char *bad[] = {
    "{ \"campaign_headers\": \"X-C\" }",
    "{ \"campaign_header\": \"Bad Name\" }",
    "{ \"campaign_header\": [\"X-C\", 3] }",
    "{ \"tenant_header\": 1 }",
    "{ \"trace_header\": \"X:Y\" }",
    "{ \"envid\": \"recipient\" }",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = json_from_string (bad[i], &error);
      g_assert_no_error (error);
      g_autoptr (OobAttributionConfig) cfg = oob_attribution_config_new (json_node_get_object (node), &error);
      g_assert_null (cfg);
      g_assert_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_CONFIG);
    }
}

static void
test_apply (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@strict.example.net");

  /* One recipient the report names differently: the event is about the VERP
   * recipient, and what the report said stays in the note. */
  g_autoptr (OobReport) report = dsn_report ("jane@example.org", NULL, RETURNED);
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  oob_attribution_apply (att, report);
  const OobRecipient *r = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (oob_recipient_address (r), ==, "john@example.com");
  g_assert_cmpstr (r->original_recipient, ==, "john@example.com");
  g_assert_cmpstr (r->final_recipient, ==, "jane@example.org");
  g_assert_nonnull (strstr (r->note, "report recipient jane@example.org differs"));
  g_assert_true (report->unverified);  /* strict listener, unsigned */
  g_assert_cmpstr (report->campaign, ==, "spring-2026");
  g_assert_cmpstr (report->tenant, ==, "tenant-7");
  g_assert_cmpstr (report->orig_message_id, ==, "spring.123@sender.example.com");

  /* Forwarded: Original-Recipient agrees with VERP and is the address acted
   * on; the forwarding address stays the final recipient (dsn.c notes it). */
  g_autoptr (OobEnvelope) lax = envelope_for ("bounces+john=example.com@bounce.example.net");
  g_autoptr (OobReport) fwd = dsn_report ("john.forward@example.org", "john@example.com", NULL);
  g_autoptr (OobAttribution) att2 = oob_attribute (verp, NULL, lax, fwd, TODAY);
  oob_attribution_apply (att2, fwd);
  r = g_ptr_array_index (fwd->recipients, 0);
  g_assert_cmpstr (oob_recipient_address (r), ==, "john@example.com");
  g_assert_cmpstr (r->original_recipient, ==, "john@example.com");
  g_assert_cmpstr (r->final_recipient, ==, "john.forward@example.org");
  g_assert_null (r->note);
  g_assert_false (fwd->unverified);

  /* A bounce whose text named nobody gets the VERP recipient. */
  g_autoptr (OobReport) bare = dsn_report (NULL, NULL, NULL);
  bare->type = OOB_REPORT_BOUNCE;
  g_autoptr (OobAttribution) att3 = oob_attribute (verp, NULL, lax, bare, TODAY);
  oob_attribution_apply (att3, bare);
  g_assert_cmpuint (bare->recipients->len, ==, 1);
  r = g_ptr_array_index (bare->recipients, 0);
  g_assert_cmpstr (oob_recipient_address (r), ==, "john@example.com");
  g_assert_cmpstr (r->note, ==, "recipient from the VERP address only");

  /* ...but a message nobody understood stays without recipients. */
  g_autoptr (OobReport) unknown = dsn_report (NULL, NULL, NULL);
  unknown->type = OOB_REPORT_UNKNOWN;
  g_autoptr (OobAttribution) att4 = oob_attribute (verp, NULL, lax, unknown, TODAY);
  oob_attribution_apply (att4, unknown);
  g_assert_cmpuint (unknown->recipients->len, ==, 0);

  /* Several recipients keep their own addresses. */
  g_autoptr (OobReport) many = dsn_report ("alice@example.org", NULL, NULL);
  OobRecipient *bob = oob_report_add_recipient (many);
  oob_set_string (&bob->final_recipient, "bob@example.org");
  g_autoptr (OobAttribution) att5 = oob_attribute (verp, NULL, lax, many, TODAY);
  oob_attribution_apply (att5, many);
  g_assert_cmpstr (oob_recipient_address (g_ptr_array_index (many->recipients, 0)), ==, "alice@example.org");
  g_assert_cmpstr (bob->final_recipient, ==, "bob@example.org");
  g_assert_cmpstr (bob->note, ==, "report names 2 recipients; VERP recipient john@example.com");
}

/* A DSN returning the message whose headers are RETURNED. */
static char *
dsn_returning (const char *returned_type, const char *headers)
{
  return g_strdup_printf (
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: bounces@bounce.example.net\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be delivered.\n"
    "\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; john@example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--b1\n"
    "Content-Type: %s\n"
    "\n"
    "%s"
    "\n"
    "Body of the offer.\n"
    "\n"
    "--b1--\n", returned_type, headers);
}

/* The returned message GMime already parsed is read in place of the
 * orig_headers text it was written from, with the same result. */
static void
test_returned_message (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  /* A VERP recipient the returned To: does not name, so that the To:
   * cross-check (addresses read from the headers) shows in the note. */
  g_autofree char *path = signed_path (verp, NULL, "jane@example.com", "spring-2026");
  g_autoptr (OobEnvelope) env = envelope_for (path);

  g_autofree char *text = dsn_returning ("message/rfc822", RETURNED);
  g_autoptr (GMimeMessage) message = oob_mime_parse (text, strlen (text));
  g_autoptr (GMimeMessage) returned = NULL;
  g_autoptr (OobReport) report = oob_parse_mime_returned (message, &returned);
  g_assert_nonnull (returned);
  g_assert_nonnull (report->orig_headers);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (returned), "X-Campaign-ID"), ==, "spring-2026");

  g_autoptr (OobAttribution) from_text = oob_attribute (verp, NULL, env, report, TODAY);
  g_autoptr (OobAttribution) from_message = oob_attribute_returned (verp, NULL, env, report, returned, TODAY);
  g_assert_cmpstr (from_message->tenant, ==, "tenant-7");
  g_assert_cmpstr (from_message->tenant, ==, from_text->tenant);
  g_assert_cmpstr (from_message->tenant_source, ==, from_text->tenant_source);
  g_assert_cmpstr (from_message->campaign, ==, from_text->campaign);
  g_assert_cmpstr (from_message->campaign_source, ==, from_text->campaign_source);
  g_assert_cmpstr (from_message->message_id, ==, from_text->message_id);
  g_assert_nonnull (strstr (from_message->note, "returned To: John <john@example.com> differs"));
  g_assert_cmpstr (from_message->note, ==, from_text->note);

  /* The message, not the text, is what is read when both are given. */
  oob_set_string (&report->orig_headers, "X-Tenant-ID: from-the-text\n");
  g_autoptr (OobAttribution) text_only = oob_attribute (verp, NULL, env, report, TODAY);
  g_autoptr (OobAttribution) message_read = oob_attribute_returned (verp, NULL, env, report, returned, TODAY);
  g_assert_cmpstr (text_only->tenant, ==, "from-the-text");
  g_assert_cmpstr (message_read->tenant, ==, "tenant-7");

  /* Returned headers alone are no parsed message: the text is read. */
  g_autofree char *headers_only = dsn_returning ("text/rfc822-headers", RETURNED);
  g_autoptr (GMimeMessage) message2 = oob_mime_parse (headers_only, strlen (headers_only));
  g_autoptr (GMimeMessage) returned2 = NULL;
  g_autoptr (OobReport) report2 = oob_parse_mime_returned (message2, &returned2);
  g_assert_null (returned2);
  g_assert_nonnull (strstr (report2->orig_headers, "X-Tenant-ID: tenant-7"));
}

/* Each address is parsed once per report and the answer reused: the same
 * address met again (as a recipient, in the returned To:, in X-KumoRef)
 * compares as it did the first time, a differently written form of it as
 * the same address, and a non-address never equals anything. */
static void
test_compare_reused (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@bounce.example.net");
  g_autoptr (OobReport) report = dsn_report ("John@EXAMPLE.com", NULL,
                                             "To: other@example.org, JOHN@example.COM\n"
                                             "Cc: john@example.com\n");
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  g_assert_null (att->note);
  oob_attribution_apply (att, report);
  const OobRecipient *r = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (r->final_recipient, ==, "John@EXAMPLE.com");
  g_assert_null (r->note);

  /* Without VERP, several recipients, one written twice, one not an
   * address: each keeps its own address; the non-address is noted as the
   * comparison always did. */
  g_autoptr (OobReport) many = dsn_report ("alice@example.org", NULL, NULL);
  const char *others[] = { "alice@example.org", "ALICE@example.org", "not an address" };
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    oob_set_string (&oob_report_add_recipient (many)->final_recipient, others[i]);
  g_autoptr (OobAttribution) plain = oob_attribute (verp, NULL, NULL, many, TODAY);
  oob_attribution_apply (plain, many);
  for (guint i = 0; i < many->recipients->len; i++)
    {
      r = g_ptr_array_index (many->recipients, i);
      g_assert_cmpstr (r->final_recipient, ==, i == 0 ? "alice@example.org" : others[i - 1]);
      if (i == 3)
        g_assert_nonnull (strstr (r->note, "not an address"));
      else
        g_assert_null (r->note);
    }
}

/* The returned header block is read as the original message's header:
 * whatever GMime's parse of it as a message says (first configured field,
 * no Content-* one; the last Message-ID; every To), for blocks written in
 * every way the reading could get wrong. */
static const char *const header_blocks[] = {
  RETURNED,
  "Message-ID: <first@example.org>\nTo: Other <other@example.org>\nMessage-ID: <second@example.org>\n"
  "To: =?UTF-8?Q?Doe=2C_John?= <john@example.com>\nContent-Campaign: not-read\nX-Campaign-ID: c2\n"
  "x-tenant-id: t2\n",
  "From sender@example.org Mon Jan  5 10:00:00 2026\nMessage-ID: <mbox@example.org>\n"
  "To: other@example.org\nX-Campaign-ID: c3\n",
  "Message-ID: <a@example.org>\nthis line is not a field\nX-Campaign-ID: c4\nTo: john@example.com\n",
  "to: Team: other@example.org, john@example.com;\nmessage-id: (note) <lower@example.org>\n"
  "X-Campaign-ID:\nX-Campaign-ID: c5\nContent-Type: multipart/mixed; boundary=\"b\"\n",
  "Message-ID: <kept@example.org>\nMessage-ID:\nTo:\nTo: broken <<x@example.org>\n",
  "",
};

static char *
message_field (GMimeMessage *msg, const char *const *names)
{
  for (guint i = 0; msg && names[i]; i++)
    {
      const char *value = g_mime_object_get_header (GMIME_OBJECT (msg), names[i]);
      g_autofree char *trimmed = value ? g_strstrip (g_strdup (value)) : NULL;
      if (trimmed && *trimmed)
        return g_steal_pointer (&trimmed);
    }
  return NULL;
}

static void
test_header_block_as_message (void)
{
  g_autoptr (OobVerpConfig) verp = verp_config ();
  g_autoptr (OobAttributionConfig) acfg =
    attribution_config ("{ \"campaign_header\": [\"Content-Campaign\", \"X-Campaign-ID\"],"
                        "  \"tenant_header\": \"x-tenant-id\" }");
  g_autoptr (OobEnvelope) env = envelope_for ("bounces+john=example.com@bounce.example.net");
  const char *campaigns[] = { "Content-Campaign", "X-Campaign-ID", NULL };
  const char *tenants[] = { "x-tenant-id", NULL };
  for (gsize i = 0; i < G_N_ELEMENTS (header_blocks); i++)
    {
      g_autoptr (OobReport) report = dsn_report ("john@example.com", NULL, header_blocks[i]);
      g_autoptr (OobAttribution) att = oob_attribute (verp, acfg, env, report, TODAY);
      g_autofree char *text = g_strconcat (header_blocks[i], "\n", NULL);
      g_autoptr (GMimeMessage) msg = oob_mime_parse (text, strlen (text));

      g_autofree char *campaign = message_field (msg, campaigns);
      g_autofree char *tenant = message_field (msg, tenants);
      g_assert_cmpstr (att->campaign, ==, campaign);
      g_assert_cmpstr (att->tenant, ==, tenant);
      g_assert_cmpstr (att->message_id, ==, msg ? g_mime_message_get_message_id (msg) : NULL);

      InternetAddressList *to = msg ? g_mime_message_get_addresses (msg, GMIME_ADDRESS_TYPE_TO) : NULL;
      gboolean names_john = FALSE;
      for (int j = 0; to && j < internet_address_list_length (to); j++)
        {
          InternetAddress *ia = internet_address_list_get_address (to, j);
          names_john |= INTERNET_ADDRESS_IS_MAILBOX (ia) &&
                        g_strcmp0 (INTERNET_ADDRESS_MAILBOX (ia)->addr, "john@example.com") == 0;
        }
      if (to == NULL || internet_address_list_length (to) == 0 || names_john)
        g_assert_true (att->note == NULL || strstr (att->note, "returned To:") == NULL);
      else
        {
          g_autofree char *list = internet_address_list_to_string (to, NULL, FALSE);
          g_autofree char *expected = g_strdup_printf ("returned To: %s differs", list);
          g_assert_nonnull (att->note);
          g_assert_nonnull (strstr (att->note, expected));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  oob_mime_init ();
  g_test_add_func ("/attribution/signed-single-recipient", test_signed_single_recipient);
  g_test_add_func ("/attribution/forged-reports", test_forged_reports);
  g_test_add_func ("/attribution/expired-is-unverified", test_expired_is_unverified);
  g_test_add_func ("/attribution/recipient-disagreement", test_recipient_disagreement);
  g_test_add_func ("/attribution/several-recipients", test_several_recipients);
  g_test_add_func ("/attribution/without-verp", test_without_verp);
  g_test_add_func ("/attribution/candidate-choice", test_candidate_choice);
  g_test_add_func ("/attribution/kumo-ref", test_kumo_ref);
  g_test_add_func ("/attribution/headers-and-envid", test_headers_and_envid);
  g_test_add_func ("/attribution/campaign-disagreement", test_campaign_disagreement);
  g_test_add_func ("/attribution/config-errors", test_config_errors);
  g_test_add_func ("/attribution/apply", test_apply);
  g_test_add_func ("/attribution/compare-reused", test_compare_reused);
  g_test_add_func ("/attribution/header-block-as-message", test_header_block_as_message);
  g_test_add_func ("/attribution/returned-message", test_returned_message);
  return g_test_run ();
}
