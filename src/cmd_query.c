/* cmd_query.c - `oobproc check`, `suppressions`, `suppress`, `unsuppress`.
 *
 * Owns the suppression list as the senders see it: the one question asked
 * before every send (check: a primary-key lookup on a read-only connection,
 * exit 0 none suppressed, 1 some, 2 error), the list itself with filters,
 * and the manual changes, each kept in suppression_history.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_query.h"
#include "filter.h"
#include "output.h"
#include "store.h"

static void
print_suppression (const OobSuppression *suppression)
{
  g_autofree char *since = oob_cli_format_time (suppression->first_seen);
  g_autofree char *expires = suppression->expires_at ? oob_cli_format_time (suppression->expires_at)
                                                     : g_strdup ("never");
  printf ("%s reason=%s class=%s since=%s count=%" G_GINT64_FORMAT " expires=%s\n", suppression->address,
          suppression->reason, suppression->classification ? suppression->classification : "-", since,
          suppression->count, expires);
}

/* Checks one address; returns 1 if suppressed, 0 if not, -1 on error. */
static int
check_one (OobStore *store, const char *address, gint64 now, gboolean quiet)
{
  g_auto (OobSuppression) suppression = { 0 };
  gboolean found = FALSE;
  g_autoptr (GError) error = NULL;
  if (!oob_store_lookup (store, address, now, &suppression, &found, &error))
    {
      oob_cli_fail ("check", error);
      return -1;
    }
  if (found && !quiet)
    print_suppression (&suppression);
  return found ? 1 : 0;
}

int
oob_cmd_check (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing; only the exit status tells", NULL },
    { NULL },
  };
  if (!oob_cli_parse ("check", "ADDRESS... - is any of these addresses suppressed?",
                      "Exit status 0: none is suppressed; 1: at least one is (each is printed);\n"
                      "2: an error.  ADDRESS - reads addresses from stdin, one per line.\n"
                      "Addresses are compared whole and case-insensitively.",
                      entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  if (argc < 2)
    {
      fprintf (stderr, "oobproc check: no ADDRESS given\n");
      return OOB_EXIT_ERROR;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_cli_open (config, database, FALSE, &error);
  if (store == NULL)
    return oob_cli_fail ("check", error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean any = FALSE, failed = FALSE;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-"))
        {
          char line[4096];
          while (fgets (line, sizeof line, stdin))
            {
              g_strstrip (line);
              if (line[0] == '\0')
                continue;
              int found = check_one (store, line, now, quiet);
              any |= found == 1;
              failed |= found < 0;
            }
          continue;
        }
      int found = check_one (store, argv[i], now, quiet);
      any |= found == 1;
      failed |= found < 0;
    }
  fflush (stdout);
  return failed ? OOB_EXIT_ERROR : any ? 1 : 0;
}

int
oob_cmd_suppressions (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL, *since = NULL, *class = NULL, *domain = NULL, *reason = NULL;
  g_autofree char *format_name = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, "Only suppressions created or renewed since DATE", "DATE" },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class, "Only this bounce class (e.g. InvalidRecipient)", "CLASS" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Only this reason: bounce, soft, complaint or manual", "REASON" },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, "Only addresses at this domain", "DOMAIN" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Include expired suppressions", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "table (default), csv or jsonl", "FORMAT" },
    { NULL },
  };
  if (!oob_cli_parse ("suppressions", "- list the suppressed addresses",
                      "DATE is YYYY-MM-DD, an ISO 8601 time, an age such as 7d or 12h, or @SECONDS.",
                      entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  OobFormat format = OOB_FORMAT_TABLE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, since_time = 0;
  if ((format_name && !oob_format_parse (format_name, FALSE, &format, &error)) ||
      (since && !oob_cli_parse_time (since, now, &since_time, &error)))
    return oob_cli_fail ("suppressions", error);
  if (argc > 1)
    {
      fprintf (stderr, "oobproc suppressions: unexpected argument '%s'\n", argv[1]);
      return OOB_EXIT_ERROR;
    }
  g_autoptr (OobStore) store = oob_cli_open (config, database, FALSE, &error);
  if (store == NULL)
    return oob_cli_fail ("suppressions", error);

  g_autoptr (OobFilter) filter = oob_filter_new ();
  if (!all)
    oob_filter_int (filter, "expires_at IS NULL OR expires_at > ?", now);
  if (since)
    oob_filter_int (filter, "last_seen >= ?", since_time);
  oob_filter_text (filter, "classification = ?", class);
  oob_filter_text (filter, "reason = ?", reason);
  g_autofree char *domain_lower = domain ? g_utf8_strdown (domain, -1) : NULL;
  /* Addresses are stored in lower case: compare the part after the last @. */
  oob_filter_text (filter, "substr(address, -length(?) - 1) = '@' || ?", domain_lower);
  g_autofree char *sql = g_strdup_printf (
    "SELECT address, reason, classification AS class, status,"
    " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', first_seen, 'unixepoch') AS since,"
    " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', last_seen, 'unixepoch') AS last_seen, count,"
    " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', expires_at, 'unixepoch') AS expires, %s AS note, diagnostic"
    " FROM suppressions%s ORDER BY address",
    oob_store_version (store) >= 2 ? "note" : "NULL", oob_filter_sql (filter));
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (oob_store_connection (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "oobproc suppressions: %s\n", sqlite3_errmsg (oob_store_connection (store)));
      return OOB_EXIT_ERROR;
    }
  oob_filter_bind (filter, stmt);
  gint64 rows = oob_output_rows (stdout, stmt, format, NULL, &error);
  sqlite3_finalize (stmt);
  if (rows < 0)
    return oob_cli_fail ("suppressions", error);
  return 0;
}

int
oob_cmd_suppress (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required; kept in the history)", "TEXT" },
    { NULL },
  };
  if (!oob_cli_parse ("suppress", "ADDRESS... - suppress addresses by hand",
                      "A manual suppression never expires; `oobproc unsuppress` removes it.", entries, &argc,
                      &argv))
    return OOB_EXIT_ERROR;
  if (argc < 2 || reason == NULL || *reason == '\0')
    {
      fprintf (stderr, "oobproc suppress: %s\n", argc < 2 ? "no ADDRESS given" : "--reason TEXT is required");
      return OOB_EXIT_ERROR;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_cli_open (config, database, TRUE, &error);
  if (store == NULL)
    return oob_cli_fail ("suppress", error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  for (int i = 1; i < argc; i++)
    if (!oob_store_suppress_manual (store, argv[i], reason, now, &error))
      return oob_cli_fail ("suppress", error);
  return 0;
}

int
oob_cmd_unsuppress (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (kept in the history)", "TEXT" },
    { NULL },
  };
  if (!oob_cli_parse ("unsuppress", "ADDRESS... - remove addresses from the suppression list",
                      "The removed suppression is kept in the history.  Exit status 1 if an\n"
                      "address was not suppressed.",
                      entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  if (argc < 2)
    {
      fprintf (stderr, "oobproc unsuppress: no ADDRESS given\n");
      return OOB_EXIT_ERROR;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_cli_open (config, database, TRUE, &error);
  if (store == NULL)
    return oob_cli_fail ("unsuppress", error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int status = 0;
  for (int i = 1; i < argc; i++)
    {
      gboolean removed = FALSE;
      if (!oob_store_unsuppress (store, argv[i], reason, now, &removed, &error))
        return oob_cli_fail ("unsuppress", error);
      if (!removed)
        {
          fprintf (stderr, "oobproc unsuppress: %s was not suppressed\n", argv[i]);
          status = 1;
        }
    }
  return status;
}
