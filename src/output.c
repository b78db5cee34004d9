/* output.c - printing query results (see output.h). */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "output.h"
#include "store.h"

/* A table is aligned on the widths of its first rows, then streamed. */
#define TABLE_SAMPLE_ROWS 1000

gboolean
oob_format_parse (const char *name, gboolean exports, OobFormat *format, GError **error)
{
  static const struct {
    const char *name;
    OobFormat format;
    gboolean export;
  } formats[] = {
    { "table", OOB_FORMAT_TABLE, FALSE }, { "csv", OOB_FORMAT_CSV, FALSE },
    { "jsonl", OOB_FORMAT_JSONL, FALSE }, { "kumo", OOB_FORMAT_KUMO, TRUE },
    { "acct", OOB_FORMAT_ACCT, TRUE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (name, formats[i].name) && (exports || !formats[i].export))
      {
        *format = formats[i].format;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown format '%s' (%s)", name,
               exports ? "table, csv, jsonl, kumo or acct" : "table, csv or jsonl");
  return FALSE;
}

void
oob_csv_append (GString *line, const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static gboolean
is_flag (const char *name, const char *const *flags)
{
  return flags && g_strv_contains (flags, name);
}

/* The text of one cell as a table or CSV shows it; NULL for SQL NULL. */
static char *
cell_text (sqlite3_stmt *stmt, int column, OobFormat format, const char *const *flags)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  if (is_flag (sqlite3_column_name (stmt, column), flags))
    {
      gboolean set = sqlite3_column_int (stmt, column) != 0;
      if (format == OOB_FORMAT_TABLE)
        return g_strdup (set ? "*" : "");
      return g_strdup (set ? "1" : "0");
    }
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
print_json_row (FILE *out, sqlite3_stmt *stmt, const char *const *flags)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      json_builder_set_member_name (builder, name);
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_NULL:
          json_builder_add_null_value (builder);
          break;
        case SQLITE_INTEGER:
          if (is_flag (name, flags))
            json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, i) != 0);
          else
            json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          json_builder_add_double_value (builder, sqlite3_column_double (stmt, i));
          break;
        default:
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, i));
          break;
        }
    }
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = json_to_string (root, FALSE);
  fprintf (out, "%s\n", line);
}

static void
print_csv_row (FILE *out, sqlite3_stmt *stmt, const char *const *flags, gboolean header)
{
  g_autoptr (GString) line = g_string_new (NULL);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      g_autofree char *text = header ? g_strdup (sqlite3_column_name (stmt, i))
                                     : cell_text (stmt, i, OOB_FORMAT_CSV, flags);
      if (i > 0)
        g_string_append_c (line, ',');
      oob_csv_append (line, text);
    }
  fprintf (out, "%s\r\n", line->str);
}

static void
print_table_row (FILE *out, char **cells, const int *widths, int columns)
{
  g_autoptr (GString) line = g_string_new (NULL);
  for (int i = 0; i < columns; i++)
    {
      const char *text = cells[i];
      g_string_append (line, text);
      if (i + 1 < columns)
        for (glong pad = widths[i] - g_utf8_strlen (text, -1) + 2; pad > 0; pad--)
          g_string_append_c (line, ' ');
    }
  fprintf (out, "%s\n", line->str);
}

static char **
table_cells (sqlite3_stmt *stmt, const char *const *flags)
{
  int columns = sqlite3_column_count (stmt);
  char **cells = g_new0 (char *, columns + 1);
  for (int i = 0; i < columns; i++)
    {
      /* NULL shows as "-" (and must not end the string vector early). */
      cells[i] = cell_text (stmt, i, OOB_FORMAT_TABLE, flags);
      if (cells[i] == NULL)
        cells[i] = g_strdup ("-");
      /* One line per row: a multi-line value is shown on one. */
      for (char *p = cells[i]; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
          *p = ' ';
    }
  return cells;
}

static void
widen (int *widths, char **cells, int columns)
{
  for (int i = 0; i < columns; i++)
    widths[i] = MAX (widths[i], (int) g_utf8_strlen (cells[i], -1));
}

gint64
oob_output_rows (FILE *out, sqlite3_stmt *stmt, OobFormat format, const char *const *flags, GError **error)
{
  int columns = sqlite3_column_count (stmt);
  gint64 rows = 0;
  g_autofree int *widths = g_new0 (int, columns);
  g_autoptr (GPtrArray) sample = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto (GStrv) header = g_new0 (char *, columns + 1);
  for (int i = 0; i < columns; i++)
    header[i] = g_strdup (sqlite3_column_name (stmt, i));
  if (format == OOB_FORMAT_CSV)
    print_csv_row (out, stmt, flags, TRUE);
  if (format == OOB_FORMAT_TABLE)
    widen (widths, header, columns);

  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      rows++;
      if (format == OOB_FORMAT_JSONL)
        print_json_row (out, stmt, flags);
      else if (format == OOB_FORMAT_CSV)
        print_csv_row (out, stmt, flags, FALSE);
      else if (sample != NULL)
        {
          char **cells = table_cells (stmt, flags);
          widen (widths, cells, columns);
          g_ptr_array_add (sample, cells);
          if (sample->len == TABLE_SAMPLE_ROWS)
            {
              print_table_row (out, header, widths, columns);
              for (guint i = 0; i < sample->len; i++)
                print_table_row (out, g_ptr_array_index (sample, i), widths, columns);
              g_clear_pointer (&sample, g_ptr_array_unref);
            }
        }
      else
        {
          g_auto (GStrv) cells = table_cells (stmt, flags);
          print_table_row (out, cells, widths, columns);
        }
    }
  if (format == OOB_FORMAT_TABLE && sample != NULL)
    {
      print_table_row (out, header, widths, columns);
      for (guint i = 0; i < sample->len; i++)
        print_table_row (out, g_ptr_array_index (sample, i), widths, columns);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN, "reading the database: %s",
                   sqlite3_errmsg (sqlite3_db_handle (stmt)));
      return -1;
    }
  return rows;
}
