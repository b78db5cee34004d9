/* export.c - recorded events as KumoMTA log records and PowerMTA
 * accounting CSV (see export.h). */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "export.h"
#include "json.h"
#include "pattern.h"
#include "store.h"

enum {
  COL_ID, COL_CREATED_AT, COL_KIND, COL_RECIPIENT, COL_STATUS, COL_SMTP_CODE, COL_DIAGNOSTIC,
  COL_REMOTE_MTA, COL_REPORTING_MTA, COL_CLASSIFICATION, COL_RULE, COL_ACTION, COL_FEEDBACK_TYPE,
  COL_ORIG_MESSAGE_ID, COL_CAMPAIGN, COL_TENANT, COL_DSN_ACTION, COL_SHA256, COL_SIZE,
  COL_BOUNCE_ADDRESS, COL_ENVELOPE_SENDER,
};

static const char *
text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
add_int (JsonBuilder *builder, const char *name, sqlite3_stmt *stmt, int column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
}

/* {class, subject, detail} of an enhanced status code, or null. */
static void
add_enhanced_code (JsonBuilder *builder, const char *status)
{
  static OobPattern enhanced = OOB_PATTERN ("^([245])\\.([0-9]{1,3})\\.([0-9]{1,3})$", 0);
  g_auto (GStrv) parts = NULL;
  json_builder_set_member_name (builder, "enhanced_code");
  if (status == NULL || !oob_pattern_match (&enhanced, status, &parts))
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  static const char *const names[] = { "class", "subject", "detail" };
  for (int i = 0; i < 3; i++)
    {
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_int_value (builder, g_ascii_strtoll (parts[i + 1], NULL, 10));
    }
  json_builder_end_object (builder);
}

/* KumoMTA's response.content is the reply text after the code and the
 * enhanced code; our diagnostics usually start with both. */
static char *
response_content (const char *diagnostic)
{
  static OobPattern prefix = OOB_PATTERN ("^[245][0-9][0-9][ -](?:[245]\\.[0-9]{1,3}\\.[0-9]{1,3}\\s+)?", 0);
  return diagnostic ? oob_pattern_replace (&prefix, diagnostic, "") : NULL;
}

/* A remote MTA named by an address literal ("[192.0.2.1]", "192.0.2.1"). */
static char *
address_literal (const char *host)
{
  if (host == NULL)
    return NULL;
  g_autofree char *bare = g_strdup (host);
  g_strstrip (bare);
  gsize len = strlen (bare);
  if (len >= 2 && bare[0] == '[' && bare[len - 1] == ']')
    {
      bare[len - 1] = '\0';
      memmove (bare, bare + 1, len - 1);
    }
  if (g_str_has_prefix (bare, "IPv6:") || g_str_has_prefix (bare, "ipv6:"))
    memmove (bare, bare + 5, strlen (bare + 5) + 1);
  return g_hostname_is_ip_address (bare) ? g_steal_pointer (&bare) : NULL;
}

static void
print_kumo (FILE *out, sqlite3_stmt *stmt)
{
  gboolean feedback = g_strcmp0 (text (stmt, COL_KIND), "feedback") == 0;
  const char *peer = text (stmt, COL_REMOTE_MTA) ? text (stmt, COL_REMOTE_MTA) : text (stmt, COL_REPORTING_MTA);
  g_autofree char *id = g_strndup (text (stmt, COL_SHA256), 32);
  g_autofree char *content = response_content (text (stmt, COL_DIAGNOSTIC));
  g_autofree char *addr = address_literal (peer);

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  oob_json_add_string (builder, "type", feedback ? "Feedback" : "OOB");
  oob_json_add_string (builder, "id", id);
  oob_json_add_string (builder, "sender", text (stmt, COL_BOUNCE_ADDRESS));
  oob_json_add_string (builder, "recipient", text (stmt, COL_RECIPIENT));
  add_int (builder, "size", stmt, COL_SIZE);

  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  add_int (builder, "code", stmt, COL_SMTP_CODE);
  add_enhanced_code (builder, text (stmt, COL_STATUS));
  oob_json_add_string (builder, "content", content);
  oob_json_add_string (builder, "command", NULL);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "peer_address");
  if (peer)
    {
      json_builder_begin_object (builder);
      oob_json_add_string (builder, "name", peer);
      oob_json_add_string (builder, "addr", addr);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_int (builder, "timestamp", stmt, COL_CREATED_AT);
  add_int (builder, "created", stmt, COL_CREATED_AT);
  json_builder_set_member_name (builder, "num_attempts");
  json_builder_add_int_value (builder, 0);
  oob_json_add_string (builder, "bounce_classification",
              text (stmt, COL_CLASSIFICATION) ? text (stmt, COL_CLASSIFICATION) : "Uncategorized");

  json_builder_set_member_name (builder, "feedback_report");
  if (feedback)
    {
      json_builder_begin_object (builder);
      oob_json_add_string (builder, "feedback_type", text (stmt, COL_FEEDBACK_TYPE));
      oob_json_add_string (builder, "reporting_mta", text (stmt, COL_REPORTING_MTA));
      json_builder_set_member_name (builder, "original_rcpt_to");
      json_builder_begin_array (builder);
      if (text (stmt, COL_RECIPIENT))
        json_builder_add_string_value (builder, text (stmt, COL_RECIPIENT));
      json_builder_end_array (builder);
      oob_json_add_string (builder, "original_message_id", text (stmt, COL_ORIG_MESSAGE_ID));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  /* What oobproc adds, where KumoMTA keeps message metadata. */
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  oob_json_add_string (builder, "campaign", text (stmt, COL_CAMPAIGN));
  oob_json_add_string (builder, "tenant", text (stmt, COL_TENANT));
  oob_json_add_string (builder, "oob_kind", text (stmt, COL_KIND));
  oob_json_add_string (builder, "oob_action", text (stmt, COL_ACTION));
  oob_json_add_string (builder, "oob_rule", text (stmt, COL_RULE));
  oob_json_add_string (builder, "message_id", text (stmt, COL_ORIG_MESSAGE_ID));
  add_int (builder, "oob_event", stmt, COL_ID);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = json_to_string (root, FALSE);
  fprintf (out, "%s\n", line);
}

char *
oob_export_bounce_category (const char *classification)
{
  /* KumoMTA's classes are PowerMTA's categories in CamelCase, except these. */
  static const struct {
    const char *class;
    const char *category;
  } renamed[] = {
    { "InvalidRecipient", "bad-mailbox" }, { "SpamBlock", "spam-related" },
    { "SpamContent", "spam-related" },     { "RelayDenied", "relaying-issues" },
    { "Uncategorized", "other" },
  };
  if (classification == NULL || *classification == '\0')
    return g_strdup ("other");
  for (gsize i = 0; i < G_N_ELEMENTS (renamed); i++)
    if (g_str_equal (classification, renamed[i].class))
      return g_strdup (renamed[i].category);
  GString *category = g_string_new (NULL);
  for (const char *p = classification; *p; p++)
    {
      if (g_ascii_isupper (*p) && p != classification)
        g_string_append_c (category, '-');
      g_string_append_c (category, g_ascii_tolower (*p));
    }
  return g_string_free (category, FALSE);
}

static const char *const acct_header[] = {
  "type", "timeLogged", "orig", "rcpt", "dsnAction", "dsnStatus", "dsnDiag", "dsnMta", "bounceCat",
  "campaign", "tenant",
};

static void
print_acct_line (FILE *out, const char *const *fields)
{
  g_autoptr (GString) line = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (acct_header); i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      oob_csv_append (line, fields[i]);
    }
  fprintf (out, "%s\r\n", line->str);
}

/* One accounting line; FALSE for events that have no accounting type. */
static gboolean
print_acct (FILE *out, sqlite3_stmt *stmt)
{
  const char *kind = text (stmt, COL_KIND);
  gboolean feedback = g_strcmp0 (kind, "feedback") == 0;
  if (!feedback && g_strcmp0 (kind, "bounce") != 0)
    return FALSE;
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, COL_CREATED_AT));
  g_autofree char *logged = g_date_time_format (time, "%Y-%m-%d %H:%M:%S%z");
  g_autofree char *category = feedback ? NULL : oob_export_bounce_category (text (stmt, COL_CLASSIFICATION));
  const char *action = text (stmt, COL_DSN_ACTION) ? text (stmt, COL_DSN_ACTION) : feedback ? NULL : "failed";
  const char *fields[] = {
    feedback ? "f" : "b",
    logged,
    text (stmt, COL_BOUNCE_ADDRESS),
    text (stmt, COL_RECIPIENT),
    action,
    text (stmt, COL_STATUS),
    text (stmt, COL_DIAGNOSTIC),
    text (stmt, COL_REMOTE_MTA),
    category,
    text (stmt, COL_CAMPAIGN),
    text (stmt, COL_TENANT),
  };
  print_acct_line (out, fields);
  return TRUE;
}

gint64
oob_export_events (FILE *out, sqlite3_stmt *stmt, OobFormat format, GError **error)
{
  g_return_val_if_fail (format == OOB_FORMAT_KUMO || format == OOB_FORMAT_ACCT, -1);
  gint64 records = 0;
  if (format == OOB_FORMAT_ACCT)
    print_acct_line (out, acct_header);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (format == OOB_FORMAT_KUMO)
        {
          print_kumo (out, stmt);
          records++;
        }
      else if (print_acct (out, stmt))
        records++;
    }
  if (rc == SQLITE_DONE)
    return records;
  g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN, "reading the database: %s",
               sqlite3_errmsg (sqlite3_db_handle (stmt)));
  return -1;
}
