/* test-classify.c - one recipient through response line, rewrite, rules
 * and policy. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "classify.h"
#include "cmd_rules.h"
#include "toml.h"

static OobRules *
shipped_rules (void)
{
  g_auto (GStrv) files = oob_rules_default_files (NULL);
  g_assert_nonnull (files);
  OobRules *rules = oob_rules_load ((const char *const *) files, NULL);
  g_assert_nonnull (rules);
  return rules;
}

static OobRecipient *
add_rcpt (OobReport *report, const char *addr, const char *action, const char *status, int code,
          const char *diag)
{
  OobRecipient *r = oob_report_add_recipient (report);
  oob_set_string (&r->final_recipient, addr);
  oob_set_string (&r->action, action);
  oob_set_string (&r->status, status);
  r->smtp_code = code;
  oob_set_string (&r->diagnostic, diag);
  return r;
}

static void
classify_ok (OobRules *rules, OobRewrite *rw, OobPolicy *policy, OobReport *report, OobRecipient *r,
             const char *tenant, const char *campaign)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_classify_recipient (rules, rw, policy, report, r, tenant, campaign, &error));
  g_assert_no_error (error);
}

static void
test_bounces (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autoptr (OobReport) report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  OobRecipient *unknown = add_rcpt (report, "nobody@example.com", "failed", "5.1.1", 550,
                                    "550-5.1.1 The account you tried to reach does not exist.\n"
                                    "550 5.1.1 Check the address.");
  OobRecipient *temp = add_rcpt (report, "someone@example.com", "failed", "4.1.1", 450,
                                 "<someone@example.com>: Recipient address rejected: User unknown");
  OobRecipient *full = add_rcpt (report, "full@example.com", "failed", "5.2.2", 0, NULL);
  OobRecipient *delay = add_rcpt (report, "slow@example.com", "delayed", "4.4.1", 0,
                                  "connect to mx.example.com[192.0.2.1]:25: Connection timed out");
  OobRecipient *blank = add_rcpt (report, "blank@example.com", "failed", NULL, 0, NULL);
  for (guint i = 0; i < report->recipients->len; i++)
    classify_ok (rules, NULL, NULL, report, report->recipients->pdata[i], NULL, NULL);

  g_assert_cmpstr (unknown->response_line, ==,
                   "550 5.1.1 The account you tried to reach does not exist. Check the address.");
  g_assert_cmpstr (unknown->classification, ==, "InvalidRecipient");
  g_assert_nonnull (strstr (unknown->rule, "10-text.toml:"));
  g_assert_cmpstr (unknown->policy_action, ==, "suppress");

  g_assert_cmpstr (temp->classification, ==, "InvalidRecipient");
  g_assert_cmpstr (temp->policy_action, ==, "soft");

  g_assert_cmpstr (full->response_line, ==, "550 5.2.2 ");
  g_assert_cmpstr (full->classification, ==, "QuotaIssues");
  g_assert_nonnull (strstr (full->rule, "90-iana.toml:"));
  g_assert_cmpstr (full->policy_action, ==, "soft");

  g_assert_cmpstr (delay->classification, ==, "NoAnswerFromHost");
  g_assert_cmpstr (delay->policy_action, ==, "ignore");

  g_assert_cmpstr (blank->response_line, ==, "");
  g_assert_cmpstr (blank->classification, ==, "Uncategorized");
  g_assert_null (blank->rule);
  g_assert_cmpstr (blank->policy_action, ==, "ignore");
}

static void
test_other_kinds (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autoptr (OobReport) fbl = oob_report_new ();
  fbl->type = OOB_REPORT_FEEDBACK;
  OobRecipient *f = add_rcpt (fbl, "complainer@example.com", NULL, NULL, 0, NULL);
  classify_ok (rules, NULL, NULL, fbl, f, NULL, NULL);
  g_assert_null (f->classification);
  g_assert_cmpstr (f->policy_action, ==, "complaint");
  /* the decision takes the report's feedback type */
  const struct { const char *type, *action; } by_type[] = {
    { "abuse", "complaint" }, { "opt-out", "complaint" },
    { "not-spam", "ignore" }, { "auth-failure", "ignore" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (by_type); i++)
    {
      oob_set_string (&fbl->feedback_type, by_type[i].type);
      classify_ok (rules, NULL, NULL, fbl, f, NULL, NULL);
      g_assert_null (f->classification);
      g_assert_cmpstr (f->policy_action, ==, by_type[i].action);
    }

  g_autoptr (OobReport) ar = oob_report_new ();
  ar->type = OOB_REPORT_AUTOREPLY;
  OobRecipient *a = add_rcpt (ar, "away@example.com", NULL, NULL, 0, NULL);
  classify_ok (rules, NULL, NULL, ar, a, NULL, NULL);
  g_assert_cmpstr (a->classification, ==, "AutoReply");
  g_assert_cmpstr (a->policy_action, ==, "ignore");

  g_autoptr (OobReport) ok = oob_report_new ();
  ok->type = OOB_REPORT_DSN;
  OobRecipient *d = add_rcpt (ok, "fine@example.com", "delivered", "2.0.0", 250, "ok");
  classify_ok (rules, NULL, NULL, ok, d, NULL, NULL);
  g_assert_null (d->classification);
  g_assert_cmpstr (d->policy_action, ==, "ignore");
}

static void
test_rewrite_and_domain_policy (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autoptr (OobRewrite) rw = oob_rewrite_load_data (
    "{ \"rewrites\": [ { \"match\": \"^452 4\\\\.2\\\\.2 \", \"code\": 552, \"tenant\": \"bulk\" } ] }",
    -1, "rw.json", NULL);
  g_assert_nonnull (rw);
  const char *conf = "[policy.domains.\"gmail.com\"]\nQuotaIssues = \"suppress\"\n";
  g_autoptr (JsonNode) root = oob_toml_parse (conf, strlen (conf), "oobproc.toml", NULL);
  g_autoptr (OobPolicy) policy = oob_policy_new (
    json_object_get_object_member (json_node_get_object (root), "policy"), NULL);
  g_assert_nonnull (policy);

  g_autoptr (OobReport) report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  /* rewritten for tenant "bulk": 452 -> 552, no longer temporary */
  OobRecipient *a = add_rcpt (report, "x@gmail.com", "failed", "4.2.2", 452, "mailbox full");
  classify_ok (rules, rw, policy, report, a, "bulk", NULL);
  g_assert_cmpint (a->smtp_code, ==, 552);
  g_assert_cmpstr (a->response_line, ==,
                   "552 4.2.2 mailbox full (oobproc: status was rewritten from 452 -> 552)");
  g_assert_cmpstr (a->classification, ==, "QuotaIssues");
  g_assert_cmpstr (a->policy_action, ==, "suppress");
  /* other tenant: not rewritten, 4xx stays soft even at gmail.com */
  OobRecipient *b = add_rcpt (report, "y@gmail.com", "failed", "4.2.2", 452, "mailbox full");
  classify_ok (rules, rw, policy, report, b, "other", NULL);
  g_assert_cmpint (b->smtp_code, ==, 452);
  g_assert_cmpstr (b->response_line, ==, "452 4.2.2 mailbox full");
  g_assert_cmpstr (b->policy_action, ==, "soft");
  /* permanent quota at gmail.com suppresses, elsewhere soft */
  OobRecipient *c = add_rcpt (report, "z@GMAIL.com", "failed", "5.2.2", 552, "mailbox full");
  OobRecipient *d = add_rcpt (report, "z@example.org", "failed", "5.2.2", 552, "mailbox full");
  classify_ok (rules, rw, policy, report, c, NULL, NULL);
  classify_ok (rules, rw, policy, report, d, NULL, NULL);
  g_assert_cmpstr (c->policy_action, ==, "suppress");
  g_assert_cmpstr (d->policy_action, ==, "soft");
}

static void
test_bad_rule (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oob-classify-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "user.toml", NULL);
  g_assert_true (g_file_set_contents (path, "[rules]\n\nInvalidRecipient = ['[unclosed']\n", -1, NULL));
  const char *files[] = { path, NULL };
  g_autoptr (OobRules) rules = oob_rules_load (files, NULL);
  g_assert_nonnull (rules);
  g_autoptr (OobReport) report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  OobRecipient *r = add_rcpt (report, "a@example.com", "failed", "5.1.1", 550, "user unknown");
  g_autoptr (GError) error = NULL;
  g_assert_false (oob_classify_recipient (rules, NULL, NULL, report, r, NULL, NULL, &error));
  g_assert_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_REGEX);
  g_autofree char *where = g_strdup_printf ("%s:3:", path);
  g_assert_true (g_str_has_prefix (error->message, where));
  g_unlink (path);
  g_rmdir (dir);
}

/* "Rejected as spam" before DATA judges the sender (no content was sent
 * yet); at the end of DATA, the message. */
static void
test_spam_stage (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autoptr (OobReport) report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  OobRecipient *rcpt = add_rcpt (report, "a@example.com", "failed", "5.7.1", 550, "550 5.7.1 Mail from this sender rejected as spam");
  rcpt->smtp_command = "RCPT";
  OobRecipient *data = add_rcpt (report, "b@example.com", "failed", "5.7.1", 550, "550 5.7.1 Mail from this sender rejected as spam");
  data->smtp_command = "DATA";
  classify_ok (rules, NULL, NULL, report, rcpt, NULL, NULL);
  classify_ok (rules, NULL, NULL, report, data, NULL, NULL);
  g_assert_cmpstr (rcpt->classification, ==, "SpamBlock");
  g_assert_nonnull (strstr (rcpt->rule, "refused before DATA"));
  g_assert_cmpstr (data->classification, ==, "SpamContent");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/classify/bounces", test_bounces);
  g_test_add_func ("/classify/other-kinds", test_other_kinds);
  g_test_add_func ("/classify/rewrite-and-domain-policy", test_rewrite_and_domain_policy);
  g_test_add_func ("/classify/bad-rule", test_bad_rule);
  g_test_add_func ("/classify/spam-stage", test_spam_stage);
  return g_test_run ();
}
