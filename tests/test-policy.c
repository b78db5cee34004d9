/* test-policy.c - handling policy: defaults, overrides, domains, errors. */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "toml.h"

static OobPolicy *
policy_from_toml (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = oob_toml_parse (text, strlen (text), "oobproc.toml", &error);
  g_assert_no_error (error);
  JsonObject *table = json_object_get_object_member (json_node_get_object (root), "policy");
  OobPolicy *policy = oob_policy_new (table, &error);
  g_assert_no_error (error);
  return policy;
}

static void
test_defaults (void)
{
  g_autoptr (OobPolicy) p = oob_policy_new (NULL, NULL);
  const char *suppress[] = { "InvalidRecipient", "BadDomain", "InactiveMailbox" };
  const char *soft[] = { "QuotaIssues", "TransientFailure", "MessageExpired", "NoAnswerFromHost",
                         "BadConnection", "DNSFailure", "RoutingErrors" };
  const char *ignore[] = { "SpamBlock", "SpamContent", "SpamRelated", "PolicyRelated",
                           "ContentRelated", "AuthenticationFailed", "BadConfiguration",
                           "VirusRelated", "ProhibitedAttachment", "InvalidSender",
                           "RelayDenied", "RelayingIssues", "ProtocolErrors", "TooManyRecipients",
                           "AutoReply", "Uncategorized", "SomeUserClass" };
  for (guint i = 0; i < G_N_ELEMENTS (suppress); i++)
    g_assert_cmpstr (oob_policy_action (p, "example.com", OOB_KIND_BOUNCE, suppress[i], FALSE), ==,
                     "suppress");
  for (guint i = 0; i < G_N_ELEMENTS (soft); i++)
    g_assert_cmpstr (oob_policy_action (p, "example.com", OOB_KIND_BOUNCE, soft[i], FALSE), ==, "soft");
  for (guint i = 0; i < G_N_ELEMENTS (ignore); i++)
    g_assert_cmpstr (oob_policy_action (p, "example.com", OOB_KIND_BOUNCE, ignore[i], FALSE), ==,
                     "ignore");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "Unsubscribe", FALSE), ==, "complaint");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_FEEDBACK, NULL, FALSE), ==, "complaint");
  /* delayed never suppresses or counts, whatever the class */
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_DELAY, "InvalidRecipient", FALSE), ==, "ignore");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_DELAY, "QuotaIssues", TRUE), ==, "ignore");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_DELIVERED, "InvalidRecipient", FALSE), ==,
                   "ignore");
  /* a 4xx failure that would suppress is soft; other actions stay */
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "InvalidRecipient", TRUE), ==, "soft");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "SpamBlock", TRUE), ==, "ignore");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "QuotaIssues", TRUE), ==, "soft");
  g_assert_cmpuint (oob_policy_soft_threshold (p, NULL), ==, 3);
  g_assert_cmpint (oob_policy_soft_window (p, NULL), ==, 7 * 86400);
  g_assert_cmpint (oob_policy_expiry (p, NULL, "suppress"), ==, 0);
  g_assert_cmpint (oob_policy_expiry (p, NULL, "soft"), ==, 30 * 86400);
  g_assert_cmpint (oob_policy_expiry (p, NULL, "complaint"), ==, 0);
}

static void
test_configured (void)
{
  g_autoptr (OobPolicy) p = policy_from_toml (
    "[policy]\n"
    "soft_threshold = 5\n"
    "soft_window = \"14d\"\n"
    "default = \"soft\"\n"
    "temporary = \"ignore\"\n"
    "feedback = \"ignore\"\n"
    "SpamBlock = \"soft\"\n"
    "MyClass = \"suppress\"\n"
    "[policy.expire]\n"
    "suppress = \"365d\"\n"
    "soft = \"never\"\n"
    "complaint = 3600\n"
    "[policy.domains.\"Gmail.com\"]\n"
    "QuotaIssues = \"suppress\"\n"
    "soft_threshold = 2\n"
    "[policy.domains.\"example.net\"]\n"
    "temporary = \"suppress\"\n");
  g_assert_cmpuint (oob_policy_soft_threshold (p, "example.com"), ==, 5);
  g_assert_cmpint (oob_policy_soft_window (p, NULL), ==, 14 * 86400);
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "Uncategorized", FALSE), ==, "soft");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "SpamBlock", FALSE), ==, "soft");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "MyClass", FALSE), ==, "suppress");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_BOUNCE, "MyClass", TRUE), ==, "ignore");
  g_assert_cmpstr (oob_policy_action (p, NULL, OOB_KIND_FEEDBACK, NULL, FALSE), ==, "ignore");
  g_assert_cmpint (oob_policy_expiry (p, NULL, "suppress"), ==, 365 * 86400);
  g_assert_cmpint (oob_policy_expiry (p, NULL, "soft"), ==, 0);
  g_assert_cmpint (oob_policy_expiry (p, NULL, "complaint"), ==, 3600);
  /* per-domain override, case-insensitive, inheriting the rest */
  g_assert_cmpstr (oob_policy_action (p, "gmail.com", OOB_KIND_BOUNCE, "QuotaIssues", FALSE), ==,
                   "suppress");
  g_assert_cmpstr (oob_policy_action (p, "GMAIL.COM", OOB_KIND_BOUNCE, "QuotaIssues", FALSE), ==,
                   "suppress");
  g_assert_cmpstr (oob_policy_action (p, "example.com", OOB_KIND_BOUNCE, "QuotaIssues", FALSE), ==,
                   "soft");
  g_assert_cmpstr (oob_policy_action (p, "gmail.com", OOB_KIND_BOUNCE, "SpamBlock", FALSE), ==, "soft");
  g_assert_cmpuint (oob_policy_soft_threshold (p, "gmail.com"), ==, 2);
  g_assert_cmpint (oob_policy_soft_window (p, "gmail.com"), ==, 14 * 86400);
  g_assert_cmpint (oob_policy_expiry (p, "gmail.com", "suppress"), ==, 365 * 86400);
  /* a domain that turns the 4xx downgrade off */
  g_assert_cmpstr (oob_policy_action (p, "example.net", OOB_KIND_BOUNCE, "InvalidRecipient", TRUE), ==,
                   "suppress");
  g_assert_cmpstr (oob_policy_class_action (p, "gmail.com", "QuotaIssues"), ==, "suppress");
}

/* Feedback action of @type at @domain. */
#define FEEDBACK(p, domain, type) oob_policy_feedback_action ((p), (domain), (type))

static void
test_feedback_defaults (void)
{
  g_autoptr (OobPolicy) p = oob_policy_new (NULL, NULL);
  /* the recipient said it is not spam; a failure report about mail that
   * claims to be ours: recorded, nobody suppressed */
  g_assert_cmpstr (FEEDBACK (p, "example.org", "not-spam"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (p, "example.org", "auth-failure"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (p, NULL, "Not-Spam"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (p, NULL, "AUTH-FAILURE"), ==, "ignore");
  const char *complaints[] = { "abuse", "fraud", "virus", "other", "opt-out", "Abuse",
                               "x-unlisted-type", "default" };
  for (guint i = 0; i < G_N_ELEMENTS (complaints); i++)
    g_assert_cmpstr (FEEDBACK (p, "example.org", complaints[i]), ==, "complaint");
  /* a report that states no type; the kind-only decision is the same */
  g_assert_cmpstr (FEEDBACK (p, "example.org", NULL), ==, "complaint");
  g_assert_cmpstr (oob_policy_action (p, "example.org", OOB_KIND_FEEDBACK, NULL, FALSE), ==,
                   "complaint");
}

static void
test_feedback_string (void)
{
  /* one action for every feedback type, not-spam and auth-failure too */
  g_autoptr (OobPolicy) all = policy_from_toml ("[policy]\nfeedback = \"complaint\"\n");
  g_assert_cmpstr (FEEDBACK (all, NULL, "not-spam"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (all, NULL, "auth-failure"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (all, NULL, "abuse"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (all, NULL, NULL), ==, "complaint");

  g_autoptr (OobPolicy) none = policy_from_toml (
    "[policy]\n"
    "feedback = \"ignore\"\n"
    "[policy.domains.\"example.net\"]\n"
    "feedback = \"suppress\"\n");
  g_assert_cmpstr (FEEDBACK (none, "example.org", "abuse"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (none, "example.org", "not-spam"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (none, "Example.NET", "abuse"), ==, "suppress");
  g_assert_cmpstr (FEEDBACK (none, "example.net", "auth-failure"), ==, "suppress");
  g_assert_cmpstr (FEEDBACK (none, "example.net", NULL), ==, "suppress");
}

static void
test_feedback_table (void)
{
  g_autoptr (OobPolicy) p = policy_from_toml (
    "[policy.feedback]\n"
    "ABUSE = \"suppress\"\n"
    "Not-Spam = \"soft\"\n"
    "x-arf-custom = \"complaint\"\n"
    "default = \"ignore\"\n"
    "[policy.domains.\"example.net\".feedback]\n"
    "auth-failure = \"complaint\"\n"
    "fraud = \"suppress\"\n"
    "[policy.domains.\"example.org\"]\n"
    "feedback = \"complaint\"\n");
  /* the global table: its keys (any case), the documented default for the
   * keys it leaves out, its own default for the rest */
  g_assert_cmpstr (FEEDBACK (p, "example.com", "abuse"), ==, "suppress");
  g_assert_cmpstr (FEEDBACK (p, "example.com", "not-spam"), ==, "soft");
  g_assert_cmpstr (FEEDBACK (p, "example.com", "NOT-SPAM"), ==, "soft");
  g_assert_cmpstr (FEEDBACK (p, "example.com", "X-ARF-Custom"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (p, "example.com", "auth-failure"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (p, "example.com", "fraud"), ==, "ignore");
  g_assert_cmpstr (FEEDBACK (p, "example.com", NULL), ==, "ignore");
  g_assert_cmpstr (oob_policy_action (p, "example.com", OOB_KIND_FEEDBACK, NULL, FALSE), ==, "ignore");
  /* a domain's table overrides keys and inherits the rest */
  g_assert_cmpstr (FEEDBACK (p, "example.net", "auth-failure"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (p, "example.net", "Fraud"), ==, "suppress");
  g_assert_cmpstr (FEEDBACK (p, "example.net", "abuse"), ==, "suppress");
  g_assert_cmpstr (FEEDBACK (p, "example.net", "not-spam"), ==, "soft");
  g_assert_cmpstr (FEEDBACK (p, "example.net", "virus"), ==, "ignore");
  /* a domain's string replaces the whole table there */
  g_assert_cmpstr (FEEDBACK (p, "example.org", "not-spam"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (p, "example.org", "abuse"), ==, "complaint");
  g_assert_cmpstr (FEEDBACK (p, "example.org", NULL), ==, "complaint");
  /* the feedback table leaves bounce classes alone */
  g_assert_cmpstr (oob_policy_action (p, "example.net", OOB_KIND_BOUNCE, "InvalidRecipient", FALSE), ==,
                   "suppress");
}

static void
test_durations (void)
{
  struct { const char *text; gint64 seconds; } ok[] = {
    { "0", 0 }, { "90", 90 }, { "90s", 90 }, { "5m", 300 }, { "2h", 7200 }, { "7d", 604800 },
    { "2w", 1209600 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      gint64 s = -1;
      g_assert_true (oob_parse_duration (ok[i].text, &s));
      g_assert_cmpint (s, ==, ok[i].seconds);
    }
  const char *bad[] = { "", "d", "7x", "7dd", "-1d", " 7d", "99999999999999999999w" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 s;
      g_assert_false (oob_parse_duration (bad[i], &s));
    }
}

static void
test_errors (void)
{
  struct { const char *toml, *where; } cases[] = {
    { "[policy]\nQuotaIssues = \"block\"\n", "policy.QuotaIssues:" },
    { "[policy]\nsoft_treshold = 3\n", "policy.soft_treshold:" },
    { "[policy]\nsoft_threshold = 0\n", "policy.soft_threshold:" },
    { "[policy]\nsoft_window = \"never\"\n", "policy.soft_window:" },
    { "[policy]\nexpire = 3\n", "policy.expire:" },
    { "[policy.expire]\nsofts = \"1d\"\n", "policy.expire.softs:" },
    { "[policy]\ndomains = 1\n", "policy.domains:" },
    { "[policy.domains]\n\"a.com\" = \"suppress\"\n", "policy.domains.\"a.com\":" },
    { "[policy.domains.\"a.com\"]\nQuotaIssues = \"nope\"\n", "policy.domains.\"a.com\".QuotaIssues:" },
    { "[policy.domains.\"a.com\".domains]\n", "policy.domains.\"a.com\".domains:" },
    { "[policy]\nfeedback = \"block\"\n", "policy.feedback: expected an action" },
    { "[policy]\nfeedback = 3\n", "policy.feedback: expected an action" },
    { "[policy.feedback]\nabuse = \"nope\"\n", "policy.feedback.abuse: expected an action" },
    { "[policy.feedback.abuse]\n", "policy.feedback.abuse: expected an action" },
    { "[policy.feedback]\n\"not spam\" = \"ignore\"\n", "policy.feedback.\"not spam\": not a feedback type" },
    { "[policy.feedback]\n\"-abuse\" = \"ignore\"\n", "policy.feedback.-abuse: not a feedback type" },
    { "[policy.feedback]\nAbuse = \"ignore\"\nabuse = \"complaint\"\n",
      "policy.feedback.abuse: the same feedback type as Abuse" },
    { "[policy.domains.\"a.com\".feedback]\nnot-spam = 1\n",
      "policy.domains.\"a.com\".feedback.not-spam: expected an action" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) root = oob_toml_parse (cases[i].toml, strlen (cases[i].toml), "c", NULL);
      g_assert_nonnull (root);
      JsonObject *table = json_object_get_object_member (json_node_get_object (root), "policy");
      g_autoptr (GError) error = NULL;
      g_autoptr (OobPolicy) p = oob_policy_new (table, &error);
      g_assert_null (p);
      g_assert_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].where))
        g_error ("case %u: expected '%s...', got '%s'", i, cases[i].where, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/policy/defaults", test_defaults);
  g_test_add_func ("/policy/configured", test_configured);
  g_test_add_func ("/policy/feedback/defaults", test_feedback_defaults);
  g_test_add_func ("/policy/feedback/string", test_feedback_string);
  g_test_add_func ("/policy/feedback/table", test_feedback_table);
  g_test_add_func ("/policy/durations", test_durations);
  g_test_add_func ("/policy/errors", test_errors);
  return g_test_run ();
}
