/* cli.c - what the database commands share on the command line (see cli.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pattern.h"

gboolean
oob_cli_parse_time (const char *text, gint64 now, gint64 *result, GError **error)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  static OobPattern relative = OOB_PATTERN ("^([0-9]{1,9})([smhdw])$", 0);
  g_auto (GStrv) match = NULL;
  if (text[0] == '@' && text[1])
    {
      char *end = NULL;
      gint64 seconds = g_ascii_strtoll (text + 1, &end, 10);
      if (*end == '\0')
        {
          *result = seconds;
          return TRUE;
        }
    }
  else if (oob_pattern_match (&relative, text, &match))
    {
      static const char units[] = "smhdw";
      static const gint64 seconds[] = { 1, 60, 3600, 86400, 7 * 86400 };
      *result = now - g_ascii_strtoll (match[1], NULL, 10) * seconds[strchr (units, match[2][0]) - units];
      return TRUE;
    }
  else
    {
      int year, month, day;
      char tail;
      if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3 &&
          g_date_valid_dmy (day, month, year))
        {
          g_autoptr (GDateTime) date = g_date_time_new (utc, year, month, day, 0, 0, 0);
          *result = g_date_time_to_unix (date);
          return TRUE;
        }
      g_autoptr (GDateTime) date = g_date_time_new_from_iso8601 (text, utc);
      if (date)
        {
          *result = g_date_time_to_unix (date);
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "cannot read the time '%s' (YYYY-MM-DD, an ISO 8601 time, 7d, 12h or @SECONDS)", text);
  return FALSE;
}

char *
oob_cli_format_time (gint64 seconds)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (seconds);
  return time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup_printf ("@%" G_GINT64_FORMAT, seconds);
}

int
oob_cli_fail (const char *command, const GError *error)
{
  fprintf (stderr, "oobproc %s: %s\n", command, error->message);
  return OOB_EXIT_ERROR;
}

gboolean
oob_cli_parse (const char *command, const char *parameters, const char *summary, const GOptionEntry *entries,
               int *argc, char ***argv)
{
  g_autofree char *name = g_strdup_printf ("oobproc %s", command);
  g_set_prgname (name);
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, "See oobproc(1).");
  g_autoptr (GError) error = NULL;
  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  oob_cli_fail (command, error);
  return FALSE;
}

OobStore *
oob_cli_open (const char *config_path, const char *database, gboolean writable, GError **error)
{
  g_autoptr (OobConfig) config = oob_config_load (config_path, error);
  if (config == NULL)
    return NULL;
  const char *path = database ? database : config->database;
  if (writable)
    return oob_store_open (path, config->busy_timeout_ms, error);
  return oob_store_open_readonly (path, config->busy_timeout_ms, error);
}
