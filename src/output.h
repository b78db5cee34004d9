/* output.h - printing query results: aligned tables, CSV and JSON lines.
 *
 * Owns the three generic formats every query command offers, over the rows
 * of any SQLite statement (column names become headers and JSON keys), and
 * the format names the commands accept.  The event exports (kumo, acct)
 * are in export.h.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef enum {
  OOB_FORMAT_TABLE,
  OOB_FORMAT_CSV,
  OOB_FORMAT_JSONL,
  OOB_FORMAT_KUMO,
  OOB_FORMAT_ACCT,
} OobFormat;

/* Parses a --format value; the exports (kumo, acct) only when allowed. */
gboolean oob_format_parse (const char *name, gboolean exports, OobFormat *format, GError **error);

/* Prints every row of stmt in a generic format (table, csv or jsonl).
 * Integer columns named in `flags` are yes/no marks: "*" in a table,
 * true/false in JSON, 1/0 in CSV.  Returns the row count, -1 on error. */
gint64 oob_output_rows (FILE *out, sqlite3_stmt *stmt, OobFormat format, const char *const *flags,
                        GError **error);

/* Appends value to line as one CSV field (RFC 4180 quoting; NULL is an
 * empty field); the caller writes the commas. */
void oob_csv_append (GString *line, const char *value);

G_END_DECLS
