/* filter.c - a SQL WHERE clause built from command-line filters (see filter.h). */
#include "config.h"

#include "filter.h"

typedef struct {
  char *text;   /* NULL: the integer */
  gint64 number;
} Value;

struct OobFilter {
  GString *sql;
  GArray *values;
};

static void
value_clear (gpointer data)
{
  g_free (((Value *) data)->text);
}

OobFilter *
oob_filter_new (void)
{
  OobFilter *filter = g_new0 (OobFilter, 1);
  filter->sql = g_string_new (NULL);
  filter->values = g_array_new (FALSE, TRUE, sizeof (Value));
  g_array_set_clear_func (filter->values, value_clear);
  return filter;
}

void
oob_filter_free (OobFilter *filter)
{
  if (filter == NULL)
    return;
  g_string_free (filter->sql, TRUE);
  g_array_unref (filter->values);
  g_free (filter);
}

static void
add (OobFilter *filter, const char *condition, Value value)
{
  g_array_append_val (filter->values, value);
  g_string_append (filter->sql, filter->sql->len ? " AND (" : " WHERE (");
  for (const char *p = condition; *p; p++)
    if (*p == '?')
      g_string_append_printf (filter->sql, "?%u", filter->values->len);
    else
      g_string_append_c (filter->sql, *p);
  g_string_append_c (filter->sql, ')');
}

void
oob_filter_text (OobFilter *filter, const char *condition, const char *value)
{
  if (value)
    add (filter, condition, (Value) { .text = g_strdup (value) });
}

void
oob_filter_int (OobFilter *filter, const char *condition, gint64 value)
{
  add (filter, condition, (Value) { .number = value });
}

void
oob_filter_raw (OobFilter *filter, const char *condition)
{
  g_string_append_printf (filter->sql, "%s(%s)", filter->sql->len ? " AND " : " WHERE ", condition);
}

const char *
oob_filter_sql (OobFilter *filter)
{
  return filter->sql->str;
}

void
oob_filter_bind (OobFilter *filter, sqlite3_stmt *stmt)
{
  for (guint i = 0; i < filter->values->len; i++)
    {
      const Value *value = &g_array_index (filter->values, Value, i);
      if (value->text)
        sqlite3_bind_text (stmt, (int) i + 1, value->text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, value->number);
    }
}
