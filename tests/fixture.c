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

/* data with its top-level header fields named in drop (and their folded
 * lines) left out, first put before the others, and a "Subject:" field's
 * value led by subject_prefix. */
static char *
with_headers (const char *data, const char *const *drop, const char *first, const char *subject_prefix)
{
  GString *out = g_string_new (first);
  gboolean in_headers = TRUE, dropping = FALSE;
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      if (in_headers && **line == '\0')
        in_headers = FALSE;
      if (in_headers && (**line == ' ' || **line == '\t'))
        {
          if (!dropping)
            g_string_append_printf (out, "%s\n", *line);
          continue;
        }
      dropping = FALSE;
      for (const char *const *name = drop; in_headers && *name; name++)
        dropping = dropping || g_ascii_strncasecmp (*line, *name, strlen (*name)) == 0;
      if (dropping)
        continue;
      if (in_headers && subject_prefix && g_ascii_strncasecmp (*line, "Subject:", 8) == 0)
        g_string_append_printf (out, "Subject: %s%s", subject_prefix, *line + 8 + strspn (*line + 8, " "));
      else
        g_string_append (out, *line);
      if (line[1])
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

void
oob_test_bounce_sent_by_person (gconstpointer data)
{
  const OobTestBounceCase *c = data;
  gsize len = 0;
  g_autofree char *text = oob_test_read_fixture ("nonstandard", c->file, &len);
  static const char *const sender[] = { "From:", "Return-Path:", NULL };
  static const char *const none[] = { NULL };
  g_autofree char *pasted = with_headers (text, sender, "Return-Path: <jane.roe@example.net>\n"
                                                        "From: Jane Roe <jane.roe@example.net>\n", NULL);
  g_autofree char *client = with_headers (text, none, "User-Agent: Mozilla Thunderbird\n", NULL);
  g_autofree char *forwarded = with_headers (text, none, "", "Fwd: ");
  const char *const variants[] = { pasted, client, forwarded };
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr (OobReport) report = oob_parse_message (variants[i], strlen (variants[i]));
      if (g_strcmp0 (report->parser, c->parser) == 0)
        g_error ("%s as a person's message (variant %" G_GSIZE_FORMAT ") claimed by %s", c->file, i, c->parser);
    }
}

OobRecipient *
oob_test_only_recipient (const OobReport *report, const char *parser)
{
  g_assert_cmpstr (report->parser, ==, parser);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  return g_ptr_array_index (report->recipients, 0);
}
