/* fixture.c - see fixture.h. */
#include "config.h"

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
