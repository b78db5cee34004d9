/* cmd_events.c - `oobproc events` and `oobproc stats`.
 *
 * Owns the analysts' view of what was recorded: events filtered and
 * printed or exported (KumoMTA log records, PowerMTA accounting CSV), and
 * counts with each group's share of the total, marking the groups above a
 * threshold share (the PowerMTA guide's bounce-share-by-domain script as
 * one command).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd_query.h"
#include "export.h"
#include "filter.h"
#include "output.h"
#include "store.h"

#define ISO_TIME(column) "strftime('%Y-%m-%dT%H:%M:%SZ', " column ", 'unixepoch')"

/* The filters events and stats share. */
typedef struct {
  char *config;
  char *database;
  char *since;
  char *until;
  char *kind;
  char *class;
  char *action;
  char *domain;
  char *recipient;
  char *campaign;
  char *tenant;
  char *format;
} EventOptions;

static void
event_options_clear (EventOptions *options)
{
  g_free (options->config);
  g_free (options->database);
  g_free (options->since);
  g_free (options->until);
  g_free (options->kind);
  g_free (options->class);
  g_free (options->action);
  g_free (options->domain);
  g_free (options->recipient);
  g_free (options->campaign);
  g_free (options->tenant);
  g_free (options->format);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EventOptions, event_options_clear)

#define EVENT_OPTION_ENTRIES(o)                                                                               \
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &(o).config, "Configuration file", "FILE" },                   \
  { "db", 'd', 0, G_OPTION_ARG_FILENAME, &(o).database, "Database file (default: the configuration's)",    \
    "PATH" },                                                                                                \
  { "since", 0, 0, G_OPTION_ARG_STRING, &(o).since, "Only events recorded since DATE", "DATE" },             \
  { "until", 0, 0, G_OPTION_ARG_STRING, &(o).until, "Only events recorded before DATE", "DATE" },            \
  { "kind", 0, 0, G_OPTION_ARG_STRING, &(o).kind, "Only this kind: bounce, delay, feedback, autoreply...",   \
    "KIND" },                                                                                                \
  { "class", 0, 0, G_OPTION_ARG_STRING, &(o).class, "Only this bounce class", "CLASS" },                     \
  { "action", 0, 0, G_OPTION_ARG_STRING, &(o).action, "Only this action: suppress, soft, complaint, ignore", \
    "ACTION" },                                                                                              \
  { "domain", 0, 0, G_OPTION_ARG_STRING, &(o).domain, "Only recipients at this domain", "DOMAIN" },          \
  { "recipient", 0, 0, G_OPTION_ARG_STRING, &(o).recipient, "Only this recipient", "ADDRESS" },              \
  { "campaign", 0, 0, G_OPTION_ARG_STRING, &(o).campaign, "Only this campaign", "ID" },                      \
  { "tenant", 0, 0, G_OPTION_ARG_STRING, &(o).tenant, "Only this tenant", "ID" }

/* The WHERE clause of the options, on events aliased e. */
static OobFilter *
event_filter (const EventOptions *options, gint64 now, GError **error)
{
  g_autoptr (OobFilter) filter = oob_filter_new ();
  gint64 time = 0;
  if (options->since)
    {
      if (!oob_cli_parse_time (options->since, now, &time, error))
        return NULL;
      oob_filter_int (filter, "e.created_at >= ?", time);
    }
  if (options->until)
    {
      if (!oob_cli_parse_time (options->until, now, &time, error))
        return NULL;
      oob_filter_int (filter, "e.created_at < ?", time);
    }
  g_autofree char *domain = options->domain ? g_utf8_strdown (options->domain, -1) : NULL;
  g_autofree char *recipient = options->recipient ? oob_store_canonical_address (options->recipient) : NULL;
  if (options->recipient && recipient == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' is not an email address",
                   options->recipient);
      return NULL;
    }
  oob_filter_text (filter, "e.kind = ?", options->kind);
  oob_filter_text (filter, "e.classification = ?", options->class);
  oob_filter_text (filter, "e.action = ?", options->action);
  oob_filter_text (filter, "e.recipient_domain = ?", domain);
  oob_filter_text (filter, "e.recipient = ?", recipient);
  oob_filter_text (filter, "e.campaign = ?", options->campaign);
  oob_filter_text (filter, "e.tenant = ?", options->tenant);
  return g_steal_pointer (&filter);
}

static sqlite3_stmt *
prepare (OobStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (oob_store_connection (store), sql, -1, &stmt, NULL) == SQLITE_OK)
    return stmt;
  g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_SCHEMA, "%s", sqlite3_errmsg (oob_store_connection (store)));
  return NULL;
}

/* Columns of `events` in the generic formats: a readable few for a
 * table, everything for CSV and JSON. */
static const char *
event_columns (OobFormat format)
{
  if (format == OOB_FORMAT_TABLE)
    return "SELECT " ISO_TIME ("e.created_at") " AS time, e.kind, e.recipient, e.status,"
           " e.classification AS class, e.action, e.campaign, e.diagnostic";
  return "SELECT e.id, " ISO_TIME ("e.created_at") " AS time, e.kind, e.recipient, e.original_recipient,"
         " e.status, e.smtp_code AS code, e.smtp_command, e.classification AS class, e.rule, e.action, e.dsn_action,"
         " e.diagnostic, e.remote_mta, e.reporting_mta, e.feedback_type, e.orig_message_id AS message_id,"
         " e.campaign, e.tenant, m.envelope_recipient AS bounce_address, e.verified, m.sha256";
}

int
oob_cmd_events (int argc, char **argv)
{
  g_auto (EventOptions) options = { 0 };
  int limit = 0;
  const GOptionEntry entries[] = {
    EVENT_OPTION_ENTRIES (options),
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "Only the N most recent events", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      "table (default), csv, jsonl, kumo (KumoMTA log records) or acct (PowerMTA accounting CSV)", "FORMAT" },
    { NULL },
  };
  if (!oob_cli_parse ("events", "- list recorded events, oldest first",
                      "DATE is YYYY-MM-DD, an ISO 8601 time, an age such as 7d or 12h, or @SECONDS.", entries,
                      &argc, &argv))
    return OOB_EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  OobFormat format = OOB_FORMAT_TABLE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  if (options.format && !oob_format_parse (options.format, TRUE, &format, &error))
    return oob_cli_fail ("events", error);
  g_autoptr (OobFilter) filter = event_filter (&options, now, &error);
  if (filter == NULL)
    return oob_cli_fail ("events", error);
  if (argc > 1)
    {
      fprintf (stderr, "oobproc events: unexpected argument '%s'\n", argv[1]);
      return OOB_EXIT_ERROR;
    }
  g_autoptr (OobStore) store = oob_cli_open (options.config, options.database, FALSE, &error);
  if (store == NULL)
    return oob_cli_fail ("events", error);

  gboolean export = format == OOB_FORMAT_KUMO || format == OOB_FORMAT_ACCT;
  g_autofree char *select = g_strdup_printf ("%s%s", export ? OOB_EXPORT_EVENTS_SQL : event_columns (format),
                                             export ? "" : " FROM events e JOIN messages m ON m.id = e.message");
  /* --limit keeps the most recent N, still printed oldest first. */
  if (limit > 0)
    {
      g_autofree char *recent = g_strdup_printf ("e.id IN (SELECT e.id FROM events e%s"
                                                 " ORDER BY e.created_at DESC, e.id DESC LIMIT %d)",
                                                 oob_filter_sql (filter), limit);
      oob_filter_raw (filter, recent);
    }
  g_autofree char *sql = g_strdup_printf ("%s%s ORDER BY e.created_at, e.id", select, oob_filter_sql (filter));
  sqlite3_stmt *stmt = prepare (store, sql, &error);
  if (stmt == NULL)
    return oob_cli_fail ("events", error);
  oob_filter_bind (filter, stmt);
  gint64 rows = export ? oob_export_events (stdout, stmt, format, &error)
                       : oob_output_rows (stdout, stmt, format, (const char *const[]) { "verified", NULL }, &error);
  sqlite3_finalize (stmt);
  if (rows < 0)
    return oob_cli_fail ("events", error);
  return 0;
}

int
oob_cmd_stats (int argc, char **argv)
{
  g_auto (EventOptions) options = { 0 };
  g_autofree char *by = NULL;
  double threshold = 2.0;
  const GOptionEntry entries[] = {
    EVENT_OPTION_ENTRIES (options),
    { "by", 'b', 0, G_OPTION_ARG_STRING, &by, "Group by domain (default), class, day or campaign", "KEY" },
    { "threshold", 't', 0, G_OPTION_ARG_DOUBLE, &threshold,
      "Mark groups whose share of all events is above PERCENT (default 2)", "PERCENT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format, "table (default), csv or jsonl", "FORMAT" },
    { NULL },
  };
  if (!oob_cli_parse ("stats", "- count events by domain, class, day or campaign",
                      "Each group's share is its percentage of all events that pass the filters;\n"
                      "groups above --threshold are marked.", entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  static const struct {
    const char *name;
    const char *expression;
    const char *order;
  } keys[] = {
    { "domain", "coalesce(e.recipient_domain, '-')", "events DESC, 1" },
    { "class", "coalesce(e.classification, '-')", "events DESC, 1" },
    { "day", "strftime('%Y-%m-%d', e.created_at, 'unixepoch')", "1" },
    { "campaign", "coalesce(e.campaign, '-')", "events DESC, 1" },
  };
  gsize key = 0;
  while (by && key < G_N_ELEMENTS (keys) && !g_str_equal (by, keys[key].name))
    key++;
  g_autoptr (GError) error = NULL;
  if (key == G_N_ELEMENTS (keys))
    {
      fprintf (stderr, "oobproc stats: cannot group by '%s' (domain, class, day or campaign)\n", by);
      return OOB_EXIT_ERROR;
    }
  OobFormat format = OOB_FORMAT_TABLE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  if (options.format && !oob_format_parse (options.format, FALSE, &format, &error))
    return oob_cli_fail ("stats", error);
  g_autoptr (OobFilter) filter = event_filter (&options, now, &error);
  if (filter == NULL)
    return oob_cli_fail ("stats", error);
  if (argc > 1)
    {
      fprintf (stderr, "oobproc stats: unexpected argument '%s'\n", argv[1]);
      return OOB_EXIT_ERROR;
    }
  g_autoptr (OobStore) store = oob_cli_open (options.config, options.database, FALSE, &error);
  if (store == NULL)
    return oob_cli_fail ("stats", error);

  const char *where = oob_filter_sql (filter);
  g_autofree char *sql = g_strdup_printf (
    "SELECT %s AS %s, count(*) AS events, sum(e.kind = 'bounce') AS bounces, sum(e.kind = 'delay') AS delays,"
    /* a not-spam report (RFC 6430) and an authentication failure report
     * (RFC 6591) are feedback, but nobody complained */
    " sum(e.kind = 'feedback' AND coalesce(lower(e.feedback_type), '') NOT IN ('not-spam', 'auth-failure'))"
    " AS complaints,"
    " round(100.0 * count(*) / (SELECT count(*) FROM events e%s), 2) AS share_pct,"
    " 100.0 * count(*) / (SELECT count(*) FROM events e%s) > :threshold AS above"
    " FROM events e%s GROUP BY 1 ORDER BY %s",
    keys[key].expression, keys[key].name, where, where, where, keys[key].order);
  sqlite3_stmt *stmt = prepare (store, sql, &error);
  if (stmt == NULL)
    return oob_cli_fail ("stats", error);
  oob_filter_bind (filter, stmt);
  sqlite3_bind_double (stmt, sqlite3_bind_parameter_index (stmt, ":threshold"), threshold);
  gint64 rows = oob_output_rows (stdout, stmt, format, (const char *const[]) { "above", NULL }, &error);
  sqlite3_finalize (stmt);
  if (rows < 0)
    return oob_cli_fail ("stats", error);
  return 0;
}
