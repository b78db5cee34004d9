/* fixture.c - see fixture.h. */
#include "config.h"

#include <string.h>

#include "fixture.h"

char *
oob_test_read_fixture (const char *dir, const char *file, gsize *len)
{
  g_autofree char *path = g_build_filename (OOB_SRCDIR, "fixtures", dir, file, NULL);
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

OobReport *
oob_test_parse_fixture (const char *dir, const char *file)
{
  gsize len;
  g_autofree char *data = oob_test_read_fixture (dir, file, &len);
  return oob_parse_message (data, len);
}

void
oob_test_check_bounce (const OobTestBounceCase *c, const char *data, gsize len)
{
  g_autoptr (OobReport) report = oob_parse_message (data, len);
  g_assert_cmpint (report->type, ==, OOB_REPORT_BOUNCE);
  g_assert_cmpstr (report->parser, ==, c->parser);
  guint expected = 0;
  while (expected < G_N_ELEMENTS (c->recipients) && c->recipients[expected].address)
    expected++;
  g_assert_cmpuint (report->recipients->len, ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      const OobTestRecipient *want = &c->recipients[i];
      OobRecipient *got = g_ptr_array_index (report->recipients, i);
      g_assert_cmpstr (got->final_recipient, ==, want->address);
      g_assert_cmpstr (got->status, ==, want->status);
      g_assert_cmpint (got->smtp_code, ==, want->code);
      g_assert_cmpstr (got->action, ==, want->action);
      if (want->diagnostic_part == NULL)
        {
          /* The notice gives no reason at all. */
          g_assert_null (got->diagnostic);
          continue;
        }
      g_assert_nonnull (got->diagnostic);
      g_assert_nonnull (strstr (got->diagnostic, want->diagnostic_part));
      g_assert_null (strchr (got->diagnostic, '\n'));
    }
}

void
oob_test_bounce_fixture (gconstpointer data)
{
  const OobTestBounceCase *c = data;
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", c->file, &len);
  oob_test_check_bounce (c, text, len);
}

void
oob_test_bounce_line_ends (gconstpointer data)
{
  const OobTestBounceCase *c = data;
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", c->file, &len);
  g_autoptr (GString) crlf = g_string_new (NULL);
  g_autoptr (GString) cr = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, text[i]);
      g_string_append_c (cr, text[i] == '\n' ? '\r' : text[i]);
    }
  oob_test_check_bounce (c, crlf->str, crlf->len);
  oob_test_check_bounce (c, cr->str, cr->len);
}

OobRecipient *
oob_test_only_recipient (const OobReport *report, const char *parser)
{
  g_assert_cmpstr (report->parser, ==, parser);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  return g_ptr_array_index (report->recipients, 0);
}
