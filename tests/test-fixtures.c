/* test-fixtures.c - every fixture through the whole processing, checked
 * against fixtures/expected.tsv: one row per expected recipient with its
 * kind, status, SMTP code and feedback type.  A fixture's recipients must
 * match its rows exactly, in any order. */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "process.h"

typedef struct {
  char *file;
  GPtrArray *rows; /* GStrv: recipient kind status code feedback_type */
} Expectation;

static void
expectation_free (gpointer data)
{
  Expectation *e = data;
  g_free (e->file);
  g_ptr_array_unref (e->rows);
  g_free (e);
}

static char *
describe (const OobReport *report, const OobRecipient *rcpt)
{
  const char *address = rcpt ? oob_recipient_address (rcpt) : NULL;
  OobKind kind = oob_recipient_kind (report, rcpt);
  g_autofree char *lower = address ? g_utf8_strdown (address, -1) : g_strdup ("");
  g_autofree char *code = rcpt && rcpt->smtp_code ? g_strdup_printf ("%d", rcpt->smtp_code) : g_strdup ("");
  return g_strdup_printf ("%s|%s|%s|%s|%s", lower, oob_kind_to_string (kind),
                          rcpt && rcpt->status ? rcpt->status : "", code,
                          report->feedback_type ? report->feedback_type : "");
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
test_fixture (gconstpointer data)
{
  const Expectation *e = data;
  gsize len;
  g_autofree char *bytes = oob_test_read_fixture (e->file, NULL, &len);
  g_autoptr (GError) error = NULL;
  g_autoptr (OobProcessor) processor = oob_processor_new (NULL, OOB_PROCESSOR_MANY, &error);
  g_assert_no_error (error);
  g_autoptr (OobReport) report = oob_processor_run (processor, bytes, len, NULL, NULL, &error);
  g_assert_no_error (error);
  if (report == NULL)
    return;

  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  if (report->recipients->len == 0)
    g_ptr_array_add (got, describe (report, NULL));
  for (guint i = 0; i < report->recipients->len; i++)
    g_ptr_array_add (got, describe (report, g_ptr_array_index (report->recipients, i)));
  g_ptr_array_sort (got, compare_strings);

  g_autoptr (GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < e->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (e->rows, i);
      g_autofree char *lower = g_utf8_strdown (row[0], -1);
      g_ptr_array_add (want, g_strdup_printf ("%s|%s|%s|%s|%s", lower, row[1], row[2], row[3], row[4]));
    }
  g_ptr_array_sort (want, compare_strings);

  g_autofree char *got_text = NULL, *want_text = NULL;
  g_ptr_array_add (got, NULL);
  g_ptr_array_add (want, NULL);
  got_text = g_strjoinv ("\n", (GStrv) got->pdata);
  want_text = g_strjoinv ("\n", (GStrv) want->pdata);
  g_assert_cmpstr (got_text, ==, want_text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_autofree char *tsv = g_build_filename (OOB_SRCDIR, "fixtures", "expected.tsv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (tsv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) expectations = g_ptr_array_new_with_free_func (expectation_free);
  g_autoptr (GHashTable) by_file = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 1; lines[i]; i++)
    {
      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;
      GStrv fields = g_strsplit (lines[i], "\t", 6);
      g_assert_cmpuint (g_strv_length (fields), >=, 5);
      if (g_strv_length (fields) == 5)
        {
          /* A missing trailing feedback_type column. */
          fields = g_renew (char *, fields, 7);
          fields[5] = g_strdup ("");
          fields[6] = NULL;
        }
      Expectation *e = g_hash_table_lookup (by_file, fields[0]);
      if (e == NULL)
        {
          e = g_new0 (Expectation, 1);
          e->file = g_strdup (fields[0]);
          e->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
          g_ptr_array_add (expectations, e);
          g_hash_table_insert (by_file, e->file, e);
        }
      /* Drop the file column: recipient kind status code feedback_type. */
      GStrv row = g_strdupv (fields + 1);
      g_strfreev (fields);
      g_ptr_array_add (e->rows, row);
    }
  for (guint i = 0; i < expectations->len; i++)
    {
      Expectation *e = g_ptr_array_index (expectations, i);
      g_autofree char *name = g_strdup_printf ("/fixtures/%s", e->file);
      g_test_add_data_func (name, e, test_fixture);
    }
  return g_test_run ();
}
