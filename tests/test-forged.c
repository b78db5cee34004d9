/* test-forged.c - a forged DSN against a listener that requires signed
 * VERP leaves the suppressions table untouched; its signed twin
 * suppresses.  Library level: parse, attribute, store, without the pipe. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "attribution.h"
#include "mime.h"
#include "parse.h"
#include "store.h"

#define TODAY 20779
#define SECRET "forged-report-test-secret-01"

/* A Postfix-style DSN for john@example.com, delivered to `bounce_address`. */
static char *
dsn_message (const char *bounce_address)
{
  return g_strdup_printf (
      "Return-Path: <>\n"
      "X-Original-To: %s\n"
      "Delivered-To: %s\n"
      "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
      "To: %s\n"
      "Subject: Undelivered Mail Returned to Sender\n"
      "Message-ID: <dsn.1@mx.example.org>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
      "\n"
      "--b1\n"
      "Content-Type: text/plain\n"
      "\n"
      "The mail system could not deliver your message to john@example.com.\n"
      "\n"
      "--b1\n"
      "Content-Type: message/delivery-status\n"
      "\n"
      "Reporting-MTA: dns; mx.example.org\n"
      "\n"
      "Final-Recipient: rfc822; john@example.com\n"
      "Action: failed\n"
      "Status: 5.1.1\n"
      "Diagnostic-Code: smtp; 550 5.1.1 <john@example.com>: mailbox unavailable\n"
      "\n"
      "--b1\n"
      "Content-Type: text/rfc822-headers\n"
      "\n"
      "From: news@sender.example.net\n"
      "To: john@example.com\n"
      "Subject: Offers\n"
      "Message-ID: <offer.9@sender.example.net>\n"
      "X-Campaign-ID: autumn\n"
      "\n"
      "--b1--\n",
      bounce_address, bounce_address, bounce_address);
}

typedef struct {
  guint events, suppressed, suppressions, verified;
} Outcome;

static Outcome
process (const char *db_path, const char *bounce_address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET "\"],"
      "  \"require_signature\": true }", &error);
  g_assert_no_error (error);
  g_autoptr (OobVerpConfig) verp = oob_verp_config_new (json_node_get_object (node), &error);
  g_assert_no_error (error);

  g_autofree char *data = dsn_message (bounce_address);
  gsize len = strlen (data);
  g_autoptr (GMimeMessage) message = oob_mime_parse (data, len);
  g_autoptr (OobReport) report = oob_parse_mime (message);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  oob_set_string (&rcpt->policy_action, "suppress");

  g_autoptr (OobEnvelope) env = oob_envelope_collect ("", NULL, NULL, message);
  g_assert_cmpstr (env->source, ==, "header:X-Original-To");
  g_autoptr (OobAttribution) att = oob_attribute (verp, NULL, env, report, TODAY);
  oob_attribution_apply (att, report);

  g_autoptr (OobStore) store = oob_store_open (db_path, 1000, &error);
  g_assert_no_error (error);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  OobMessageRecord record = {
    .sha256 = sha,
    .received_at = TODAY * (gint64) 86400,
    .envelope_sender = env->sender,
    .envelope_recipient = env->recipient,
    .size = len,
  };
  OobStoreRules rules;
  oob_store_rules_init (&rules);
  OobStoreResult result;
  g_assert_true (oob_store_record (store, &record, report, &rules, &result, &error));
  g_assert_no_error (error);

  Outcome out = { result.events, result.suppressed, 0, 0 };
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *stmt;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT count(*) FROM suppressions WHERE address = ?1),"
                                       " (SELECT count(*) FROM events WHERE recipient = ?1 AND verified = 1"
                                       "  AND campaign = 'autumn')", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "john@example.com", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  out.suppressions = (guint) sqlite3_column_int (stmt, 0);
  out.verified = (guint) sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return out;
}

static void
test_forged_and_signed (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("oob-forged-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *forged_db = g_build_filename (dir, "forged.db", NULL);
  g_autofree char *signed_db = g_build_filename (dir, "signed.db", NULL);

  /* Anyone can write to the bounce domain naming a customer... */
  Outcome forged = process (forged_db, "bounces+john=example.com@bounce.example.net");
  g_assert_cmpuint (forged.events, ==, 1);
  g_assert_cmpuint (forged.suppressed, ==, 0);
  g_assert_cmpuint (forged.suppressions, ==, 0);
  g_assert_cmpuint (forged.verified, ==, 0);

  /* ...but only we can sign the return path. */
  g_autoptr (JsonNode) node = json_from_string ("{ \"secrets\": [\"" SECRET "\"] }", NULL);
  g_autoptr (OobVerpConfig) verp = oob_verp_config_new (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_autofree char *path = oob_verp_encode (verp, "bounce.example.net", "john@example.com", NULL,
                                           TODAY - 2, &error);
  g_assert_no_error (error);
  Outcome twin = process (signed_db, path);
  g_assert_cmpuint (twin.events, ==, 1);
  g_assert_cmpuint (twin.suppressed, ==, 1);
  g_assert_cmpuint (twin.suppressions, ==, 1);
  g_assert_cmpuint (twin.verified, ==, 1);

  const char *files[] = { "forged.db", "forged.db-wal", "forged.db-shm",
                          "signed.db", "signed.db-wal", "signed.db-shm" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (dir, files[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  oob_mime_init ();
  g_test_add_func ("/forged/forged-and-signed", test_forged_and_signed);
  return g_test_run ();
}
