/* test-listener.c - KumoMTA listener-domain files: every value form, the
 * lookup order, the decision per message kind, and errors that name the
 * domain and key. */
#include "config.h"

#include <glib/gstdio.h>

#include "listener.h"

static OobListenerDomains *
domains_from_json (const char *json, GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (JsonNode) root = json_from_string (json, &parse_error);
  g_assert_no_error (parse_error);
  return oob_listener_domains_new (json_node_get_object (root), error);
}

static void
test_value_forms (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobListenerDomains) domains = domains_from_json (
      "{\"drop.example.com\": {\"log_oob\": \"LogThenDrop\", \"log_arf\": \"Ignore\"},"
      " \"relay.example.com\": {\"log_oob\": \"LogThenRelay\", \"log_arf\": true,"
      "                         \"oob_relay_recipients\": [\"a@example.org\", \"B <b@example.org>\"],"
      "                         \"arf_relay_recipients\": \"c@example.org\"},"
      " \"off.example.com\": {\"log_oob\": false, \"log_arf\": false},"
      " \"empty.example.com\": {}}",
      &error);
  g_assert_no_error (error);

  const OobListenerDomain *drop = oob_listener_domains_lookup (domains, "drop.example.com");
  g_assert_nonnull (drop);
  g_assert_cmpint (drop->log_oob, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_cmpint (drop->log_arf, ==, OOB_DISPOSITION_IGNORE);
  g_assert_false (drop->relay_to);

  const OobListenerDomain *relay = oob_listener_domains_lookup (domains, "relay.example.com");
  g_assert_cmpint (relay->log_oob, ==, OOB_DISPOSITION_LOG_THEN_RELAY);
  g_assert_cmpint (relay->log_arf, ==, OOB_DISPOSITION_LOG_THEN_RELAY); /* true */
  const char *const oob_expected[] = { "a@example.org", "b@example.org", NULL };
  g_assert_true (g_strv_equal ((const char *const *) relay->oob_relay_recipients, oob_expected));
  const char *const arf_expected[] = { "c@example.org", NULL };
  g_assert_true (g_strv_equal ((const char *const *) relay->arf_relay_recipients, arf_expected));

  const OobListenerDomain *off = oob_listener_domains_lookup (domains, "off.example.com");
  g_assert_cmpint (off->log_oob, ==, OOB_DISPOSITION_IGNORE); /* false */
  g_assert_cmpint (off->log_arf, ==, OOB_DISPOSITION_IGNORE);

  const OobListenerDomain *empty = oob_listener_domains_lookup (domains, "empty.example.com");
  g_assert_cmpint (empty->log_oob, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_cmpint (empty->log_arf, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_cmpuint (g_strv_length (empty->oob_relay_recipients), ==, 0);
}

static void
test_lookup_order (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobListenerDomains) domains = domains_from_json (
      "{\"Bounce.Example.com\": {}, \"*.example.net\": {}, \"*.deep.example.net\": {},"
      " \"plain.example.org\": {}, \"*\": {}}",
      &error);
  g_assert_no_error (error);
  const OobListenerDomain *entry;

  entry = oob_listener_domains_lookup (domains, "bounce.example.com");
  g_assert_cmpstr (entry->domain, ==, "Bounce.Example.com");
  entry = oob_listener_domains_lookup (domains, "BOUNCE.example.COM");
  g_assert_cmpstr (entry->domain, ==, "Bounce.Example.com");
  /* Wildcards cover subdomains, the nearest first, not the bare domain. */
  entry = oob_listener_domains_lookup (domains, "a.example.net");
  g_assert_cmpstr (entry->domain, ==, "*.example.net");
  entry = oob_listener_domains_lookup (domains, "x.y.deep.example.net");
  g_assert_cmpstr (entry->domain, ==, "*.deep.example.net");
  entry = oob_listener_domains_lookup (domains, "example.net");
  g_assert_cmpstr (entry->domain, ==, "*");
  /* A plain entry is for that domain only. */
  entry = oob_listener_domains_lookup (domains, "sub.plain.example.org");
  g_assert_cmpstr (entry->domain, ==, "*");
  entry = oob_listener_domains_lookup (domains, "other.example");
  g_assert_cmpstr (entry->domain, ==, "*");
  entry = oob_listener_domains_lookup (domains, NULL);
  g_assert_cmpstr (entry->domain, ==, "*");

  g_autoptr (OobListenerDomains) no_default = domains_from_json ("{\"a.example.com\": {}}", &error);
  g_assert_no_error (error);
  g_assert_null (oob_listener_domains_lookup (no_default, "b.example.com"));
  g_assert_null (oob_listener_domains_lookup (no_default, NULL));
}

static void
test_decide (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobListenerDomains) domains = domains_from_json (
      "{\"mixed.example.com\": {\"log_oob\": \"LogThenDrop\", \"log_arf\": \"LogThenRelay\","
      "                         \"arf_relay_recipients\": [\"fbl@example.org\"]},"
      " \"ignore-relay.example.com\": {\"log_oob\": \"Ignore\", \"log_arf\": \"Ignore\", \"relay_to\": true,"
      "                         \"oob_relay_recipients\": [\"all@example.org\"],"
      "                         \"arf_relay_recipients\": [\"fbl@example.org\"]},"
      " \"ignore-drop.example.com\": {\"log_oob\": \"Ignore\", \"relay_to\": false}}",
      &error);
  g_assert_no_error (error);
  OobListenerDecision decision;

  const OobListenerDomain *mixed = oob_listener_domains_lookup (domains, "mixed.example.com");
  oob_listener_decide (mixed, FALSE, &decision);
  g_assert_cmpint (decision.disposition, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_true (decision.record);
  g_assert_null (decision.relay_recipients);
  oob_listener_decide (mixed, TRUE, &decision);
  g_assert_cmpint (decision.disposition, ==, OOB_DISPOSITION_LOG_THEN_RELAY);
  g_assert_true (decision.record);
  g_assert_cmpstr (decision.relay_recipients[0], ==, "fbl@example.org");
  g_assert_null (decision.relay_recipients[1]);

  const OobListenerDomain *ignore_relay = oob_listener_domains_lookup (domains, "ignore-relay.example.com");
  oob_listener_decide (ignore_relay, FALSE, &decision);
  g_assert_cmpint (decision.disposition, ==, OOB_DISPOSITION_IGNORE);
  g_assert_false (decision.record);
  g_assert_cmpstr (decision.relay_recipients[0], ==, "all@example.org");
  oob_listener_decide (ignore_relay, TRUE, &decision);
  g_assert_cmpstr (decision.relay_recipients[0], ==, "fbl@example.org");

  oob_listener_decide (oob_listener_domains_lookup (domains, "ignore-drop.example.com"), FALSE, &decision);
  g_assert_false (decision.record);
  g_assert_null (decision.relay_recipients);

  /* No file or no entry: record, then drop. */
  oob_listener_decide (NULL, TRUE, &decision);
  g_assert_cmpint (decision.disposition, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_true (decision.record);
  g_assert_null (decision.relay_recipients);
}

static void
assert_rejected (const char *json, const char *expected_text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobListenerDomains) domains = domains_from_json (json, &error);
  g_assert_null (domains);
  g_assert_error (error, OOB_LISTENER_ERROR, OOB_LISTENER_ERROR_INVALID);
  if (strstr (error->message, expected_text) == NULL)
    g_error ("error \"%s\" does not contain \"%s\"", error->message, expected_text);
}

static void
test_bad_values (void)
{
  assert_rejected ("{\"a.example.com\": {\"log_oob\": \"Drop\"}}", "\"a.example.com\": log_oob: \"Drop\" is not");
  assert_rejected ("{\"a.example.com\": {\"log_arf\": 1}}", "\"a.example.com\": log_arf: expected");
  assert_rejected ("{\"a.example.com\": {\"log_oob\": \"logthendrop\"}}", "log_oob");
  assert_rejected ("{\"*\": {\"relay_to\": \"yes\"}}", "\"*\": relay_to: expected true or false");
  assert_rejected ("{\"a.example.com\": {\"oob_relay_recipients\": [1]}}", "oob_relay_recipients: element 1");
  assert_rejected ("{\"a.example.com\": {\"arf_relay_recipients\": [\"nobody\"]}}",
                   "arf_relay_recipients: \"nobody\" is not an email address");
  assert_rejected ("{\"a.example.com\": {\"oob_relay_recipients\": [\"-oQ/tmp@example.com\"]}}",
                   "oob_relay_recipients");
  assert_rejected ("{\"a.example.com\": {\"oob_relay_recipients\": [\"a@example.com, b@example.com\"]}}",
                   "oob_relay_recipients");
  assert_rejected ("{\"a.example.com\": {\"oob_relay_recipients\": {\"x\": 1}}}", "oob_relay_recipients: expected");
  assert_rejected ("{\"a.example.com\": {\"log_oob\": \"LogThenRelay\"}}",
                   "\"a.example.com\": oob_relay_recipients: log_oob = \"LogThenRelay\" relays");
  assert_rejected ("{\"a.example.com\": {\"log_arf\": true}}", "arf_relay_recipients");
  assert_rejected ("{\"a.example.com\": {\"log_oob\": \"Ignore\", \"relay_to\": true}}",
                   "oob_relay_recipients: log_oob = \"Ignore\" with relay_to = true relays");
  assert_rejected ("{\"a.example.com\": true}", "\"a.example.com\": expected a table");
  assert_rejected ("{\"a.example.com\": {}, \"A.EXAMPLE.COM\": {}}", "given twice");
}

/* A file as KumoMTA users have it, with KumoMTA keys we do not use. */
static void
test_load_toml (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oobproc-listener-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "listener_domains.toml", NULL);
  const char *text = "# listener domains\n"
                     "[\"bounce.example.com\"]\n"
                     "log_oob = true\n"
                     "log_arf = \"LogThenDrop\"\n"
                     "relay_to = false\n"
                     "oob_relay_recipients = [\"archive@example.com\"]\n"
                     "\n"
                     "[\"fbl.example.com\"]\n"
                     "log_arf = \"LogThenRelay\"\n"
                     "arf_relay_recipients = \"abuse-desk@example.com\"\n"
                     "\n"
                     "[\"*\"]\n"
                     "relay_from = [\"127.0.0.1\", \"192.0.2.0/24\"]\n"
                     "relay_to = true\n"
                     "log_oob = \"Ignore\"\n"
                     "log_arf = \"Ignore\"\n"
                     "oob_relay_recipients = [\"postmaster@example.com\"]\n"
                     "arf_relay_recipients = [\"postmaster@example.com\"]\n";
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (OobListenerDomains) domains = oob_listener_domains_load (path, &error);
  g_assert_no_error (error);
  const OobListenerDomain *entry = oob_listener_domains_lookup (domains, "bounce.example.com");
  g_assert_cmpint (entry->log_oob, ==, OOB_DISPOSITION_LOG_THEN_RELAY);
  g_assert_cmpint (entry->log_arf, ==, OOB_DISPOSITION_LOG_THEN_DROP);
  g_assert_cmpstr (entry->oob_relay_recipients[0], ==, "archive@example.com");
  entry = oob_listener_domains_lookup (domains, "fbl.example.com");
  g_assert_cmpstr (entry->arf_relay_recipients[0], ==, "abuse-desk@example.com");
  entry = oob_listener_domains_lookup (domains, "elsewhere.example.com");
  g_assert_cmpstr (entry->domain, ==, "*");
  g_assert_true (entry->relay_to);

  g_assert_true (g_file_set_contents (path, "[\"x.example.com\"]\nlog_oob = \"Sometimes\"\n", -1, NULL));
  g_autoptr (OobListenerDomains) bad = oob_listener_domains_load (path, &error);
  g_assert_null (bad);
  g_assert_error (error, OOB_LISTENER_ERROR, OOB_LISTENER_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "log_oob"));
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "missing.toml", NULL);
  g_assert_null (oob_listener_domains_load (missing, &error));
  g_assert_nonnull (error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/listener/value-forms", test_value_forms);
  g_test_add_func ("/listener/lookup-order", test_lookup_order);
  g_test_add_func ("/listener/decide", test_decide);
  g_test_add_func ("/listener/bad-values", test_bad_values);
  g_test_add_func ("/listener/load-toml", test_load_toml);
  return g_test_run ();
}
