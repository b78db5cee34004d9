/* cli.h - what the database commands share on the command line.
 *
 * Owns the date syntax of --since/--until, how times are printed (ISO 8601
 * UTC), the exit status for errors (2), and opening the database named by
 * --db, else by the configuration file (--config, else the default one).
 */
#pragma once

#include <glib.h>

#include "conf.h"
#include "store.h"

G_BEGIN_DECLS

/* Exit status of a database command that failed. */
#define OOB_EXIT_ERROR 2

/* Parses a time given on the command line: YYYY-MM-DD (midnight UTC), an
 * ISO 8601 date-time (UTC unless it has an offset), a relative age N[smhdw]
 * counted back from now ("7d", "12h"), or @SECONDS since the epoch. */
gboolean oob_cli_parse_time (const char *text, gint64 now, gint64 *result, GError **error);

/* "2026-11-01T12:00:00Z". */
char *oob_cli_format_time (gint64 seconds);

/* Prints "oobproc COMMAND: message" on stderr and returns OOB_EXIT_ERROR. */
int oob_cli_fail (const char *command, const GError *error);

/* Parses options, with COMMAND --help printing them; FALSE after printing
 * the error. */
gboolean oob_cli_parse (const char *command, const char *parameters, const char *summary,
                        const GOptionEntry *entries, int *argc, char ***argv);

/* Opens --db (or the configuration's database) read-only or read-write,
 * with the configuration's busy timeout. */
OobStore *oob_cli_open (const char *config_path, const char *database, gboolean writable, GError **error);

G_END_DECLS
