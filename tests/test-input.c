/* test-input.c - reading messages: the From line, the size cap, the hash,
 * and splitting mbox files and maildirs. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

static void
test_from_line (void)
{
  static const char data[] = "From MAILER-DAEMON Mon Nov  2 10:00:00 2026\nSubject: x\n\nbody\n";
  g_auto (OobInput) input = { 0 };
  oob_input_from_data (data, strlen (data), OOB_DEFAULT_MAX_SIZE, &input);
  g_assert_cmpstr (input.from_line, ==, "From MAILER-DAEMON Mon Nov  2 10:00:00 2026");
  gsize len;
  const char *kept = g_bytes_get_data (input.bytes, &len);
  g_assert_cmpmem (kept, len, "Subject: x\n\nbody\n", 17);
  g_assert_false (input.truncated);
  /* The hash is of the message without the From line. */
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "Subject: x\n\nbody\n", -1);
  g_assert_cmpstr (input.sha256, ==, sum);
}

static void
test_no_from_line (void)
{
  static const char data[] = "Subject: From here\n\nFrom the start\n";
  g_auto (OobInput) input = { 0 };
  oob_input_from_data (data, strlen (data), OOB_DEFAULT_MAX_SIZE, &input);
  g_assert_null (input.from_line);
  g_assert_cmpuint (g_bytes_get_size (input.bytes), ==, strlen (data));
}

static void
test_size_cap (void)
{
  g_autofree char *big = g_strnfill (5000, 'x');
  g_auto (OobInput) input = { 0 };
  oob_input_from_data (big, 5000, 1024, &input);
  g_assert_true (input.truncated);
  g_assert_cmpuint (g_bytes_get_size (input.bytes), ==, 1024);
  g_assert_cmpuint (input.total_size, ==, 5000);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, big, 5000);
  g_assert_cmpstr (input.sha256, ==, sum);
}

static void
test_read_fd (void)
{
  int fds[2];
  g_assert_cmpint (pipe (fds), ==, 0);
  static const char data[] = "From x\nA: b\n\nc\n";
  g_assert_cmpint (write (fds[1], data, strlen (data)), ==, (gssize) strlen (data));
  close (fds[1]);
  g_auto (OobInput) input = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_input_read_fd (fds[0], 1 << 20, &input, &error));
  close (fds[0]);
  g_assert_cmpstr (input.from_line, ==, "From x");
  g_assert_cmpuint (input.total_size, ==, 8);
}

static gboolean
collect (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%d:%.*s", index, (int) MIN (len, 6), data));
  return TRUE;
}

static void
test_mbox_and_maildir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oobproc-input-XXXXXX", NULL);
  g_autofree char *mbox = g_build_filename (dir, "box", NULL);
  g_assert_true (g_file_set_contents (mbox,
                                      "From a Mon Nov  2 10:00:00 2026\nSub: 1\n\nbody\nFrom inside a body line\n\n"
                                      "From b Mon Nov  2 10:00:01 2026\nSub: 2\n\nx\n", -1, NULL));
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_input_foreach (mbox, collect, seen, &error));
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "1:Sub: 1");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "2:Sub: 2");

  g_autofree char *maildir = g_build_filename (dir, "Maildir", NULL);
  for (const char *const *sub = (const char *const[]) { "cur", "new", "tmp", NULL }; *sub; sub++)
    {
      g_autofree char *d = g_build_filename (maildir, *sub, NULL);
      g_assert_cmpint (g_mkdir_with_parents (d, 0700), ==, 0);
      g_autofree char *file = g_build_filename (d, "1.msg", NULL);
      g_autofree char *body = g_strdup_printf ("Dir: %s\n\n", *sub);
      g_assert_true (g_file_set_contents (file, body, -1, NULL));
    }
  g_ptr_array_set_size (seen, 0);
  g_assert_true (oob_input_foreach (maildir, collect, seen, &error));
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "0:Dir: c");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "0:Dir: n");

  g_autofree char *missing = g_build_filename (dir, "nothing-here", NULL);
  g_assert_false (oob_input_foreach (missing, collect, seen, &error));
  g_assert_nonnull (error);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A CR-only message (old Mac line ends) with a From line: the line ends at
 * its CR, in a pipe and in a file; a CRLF From line keeps working; a "From "
 * start with no line end in sight is no From line (and is not held whole). */
static void
test_from_line_cr (void)
{
  static const char cr[] = "From MAILER-DAEMON Mon Nov  2 10:00:00 2026\rSubject: x\r\rbody\r";
  g_auto (OobInput) input = { 0 };
  oob_input_from_data (cr, strlen (cr), OOB_DEFAULT_MAX_SIZE, &input);
  g_assert_cmpstr (input.from_line, ==, "From MAILER-DAEMON Mon Nov  2 10:00:00 2026");
  g_assert_cmpmem (g_bytes_get_data (input.bytes, NULL), g_bytes_get_size (input.bytes), "Subject: x\r\rbody\r", 17);

  static const char crlf[] = "From x\r\nA: b\r\n\r\nc\r\n";
  g_auto (OobInput) input2 = { 0 };
  oob_input_from_data (crlf, strlen (crlf), OOB_DEFAULT_MAX_SIZE, &input2);
  g_assert_cmpstr (input2.from_line, ==, "From x");
  g_assert_cmpuint (input2.total_size, ==, 11);

  g_autofree char *xs = g_strnfill (4000, 'x');
  g_autofree char *long_line = g_strdup_printf ("From %s", xs);
  g_auto (OobInput) input3 = { 0 };
  oob_input_from_data (long_line, strlen (long_line), OOB_DEFAULT_MAX_SIZE, &input3);
  g_assert_null (input3.from_line);
  g_assert_cmpuint (input3.total_size, ==, strlen (long_line));

  g_autofree char *dir = g_dir_make_tmp ("oobproc-input-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "cr.eml", NULL);
  g_assert_true (g_file_set_contents (file, cr, -1, NULL));
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_input_foreach (file, collect, seen, &error));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "1:Subjec");
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/input/from-line", test_from_line);
  g_test_add_func ("/input/no-from-line", test_no_from_line);
  g_test_add_func ("/input/size-cap", test_size_cap);
  g_test_add_func ("/input/read-fd", test_read_fd);
  g_test_add_func ("/input/mbox-and-maildir", test_mbox_and_maildir);
  g_test_add_func ("/input/from-line-cr", test_from_line_cr);
  return g_test_run ();
}
