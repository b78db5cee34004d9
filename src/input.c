/* input.c - message bytes in: stdin, files, maildirs, mbox (see input.h). */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

void
oob_input_clear (OobInput *input)
{
  g_clear_pointer (&input->bytes, g_bytes_unref);
  g_clear_pointer (&input->sha256, g_free);
  g_clear_pointer (&input->from_line, g_free);
  input->total_size = 0;
  input->truncated = FALSE;
}

/* A From line longer than this is no mbox From line. */
#define FROM_LINE_MAX 1000

/* The end of the first line of buf[0..have): its LF, or the CR ending a
 * line of a CR-only message (a CR followed by anything but LF, or the last
 * byte when complete); NULL while undecided. */
static const char *
first_line_end (const char *buf, gsize have, gboolean complete)
{
  for (gsize i = 0; i < have; i++)
    if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 < have ? buf[i + 1] != '\n' : complete)))
      return buf + i;
  return NULL;
}

/* Length of a leading mbox "From " line including its line end, else 0. */
static gsize
from_line_length (const char *data, gsize len)
{
  if (len < 5 || memcmp (data, "From ", 5) != 0)
    return 0;
  const char *end = first_line_end (data, MIN (len, FROM_LINE_MAX), TRUE);
  return end ? (gsize) (end - data) + 1 : 0;
}

/* Accumulates bytes, keeping at most max_size of them after the From line. */
typedef struct {
  GByteArray *kept;
  GChecksum *sum;
  gsize max_size;
  gsize total;
  gboolean header_done;
  GString *first_line;
  char *from_line;
} Reader;

static void
reader_feed (Reader *reader, const char *data, gsize len)
{
  /* The From line may span reads: hold the start until it is decided. */
  if (!reader->header_done)
    {
      g_string_append_len (reader->first_line, data, len);
      const char *buf = reader->first_line->str;
      gsize have = reader->first_line->len;
      if (have < 5 && memcmp (buf, "From ", have) == 0)
        return;
      gsize skip = 0;
      if (memcmp (buf, "From ", 5) == 0)
        {
          const char *end = first_line_end (buf, MIN (have, FROM_LINE_MAX), FALSE);
          if (end == NULL && have < FROM_LINE_MAX)
            return;
          if (end != NULL)
            {
              skip = (gsize) (end - buf) + 1;
              reader->from_line = g_strndup (buf, end - buf);
              g_strchomp (reader->from_line);
            }
        }
      reader->header_done = TRUE;
      data = buf + skip;
      len = have - skip;
    }
  g_checksum_update (reader->sum, (const guchar *) data, len);
  reader->total += len;
  if (reader->kept->len < reader->max_size)
    g_byte_array_append (reader->kept, (const guint8 *) data,
                         MIN (len, reader->max_size - reader->kept->len));
}

static void
reader_finish (Reader *reader, OobInput *input)
{
  if (!reader->header_done)
    {
      reader->header_done = TRUE;
      g_autofree char *rest = g_strndup (reader->first_line->str, reader->first_line->len);
      gsize len = reader->first_line->len;
      g_checksum_update (reader->sum, (const guchar *) rest, len);
      reader->total += len;
      g_byte_array_append (reader->kept, (const guint8 *) rest, MIN (len, reader->max_size));
    }
  input->total_size = reader->total;
  input->truncated = reader->total > reader->kept->len;
  input->sha256 = g_strdup (g_checksum_get_string (reader->sum));
  input->from_line = reader->from_line;
  input->bytes = g_byte_array_free_to_bytes (reader->kept);
  g_checksum_free (reader->sum);
  g_string_free (reader->first_line, TRUE);
}

static void
reader_init (Reader *reader, gsize max_size)
{
  *reader = (Reader) {
    .kept = g_byte_array_new (),
    .sum = g_checksum_new (G_CHECKSUM_SHA256),
    .max_size = max_size,
    .first_line = g_string_new (NULL),
  };
}

gboolean
oob_input_read_fd (int fd, gsize max_size, OobInput *input, GError **error)
{
  Reader reader;
  reader_init (&reader, max_size);
  char buffer[65536];
  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);
      if (n == 0)
        break;
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          int saved = errno;
          OobInput discard = { 0 };
          reader_finish (&reader, &discard);
          oob_input_clear (&discard);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "reading the message: %s", g_strerror (saved));
          return FALSE;
        }
      reader_feed (&reader, buffer, (gsize) n);
    }
  reader_finish (&reader, input);
  return TRUE;
}

void
oob_input_from_data (const char *data, gsize len, gsize max_size, OobInput *input)
{
  Reader reader;
  reader_init (&reader, max_size);
  reader_feed (&reader, data, len);
  reader_finish (&reader, input);
}

/* TRUE if a "From " line at pos starts a new mbox message: it follows a
 * blank line. */
static gboolean
is_mbox_separator (const char *data, gsize len, gsize pos)
{
  if (pos + 5 > len || memcmp (data + pos, "From ", 5) != 0)
    return FALSE;
  return (pos >= 2 && data[pos - 1] == '\n' && data[pos - 2] == '\n') ||
         (pos >= 3 && data[pos - 1] == '\n' && data[pos - 2] == '\r' && data[pos - 3] == '\n');
}

/* A file is one message, or an mbox if it starts with a "From " line. */
static gboolean
foreach_message_in (const char *path, const char *data, gsize len, OobMessageFunc func, gpointer user_data)
{
  if (from_line_length (data, len) == 0)
    return func (path, 0, data, len, user_data);
  gsize start = 0;
  int index = 0;
  for (gsize pos = 0; pos <= len;)
    {
      const char *nl = pos < len ? memchr (data + pos, '\n', len - pos) : NULL;
      /* The last line (or a CR-only file's one "line") runs to the end. */
      gsize next = nl ? (gsize) (nl - data) + 1 : pos < len ? len : len + 1;
      if (pos == len || (pos > start && is_mbox_separator (data, len, pos)))
        {
          gsize skip = from_line_length (data + start, pos - start);
          if (pos > start + skip && !func (path, ++index, data + start + skip, pos - start - skip, user_data))
            return FALSE;
          start = pos;
        }
      pos = next;
    }
  return TRUE;
}

/* Files up to this size are read, larger ones (mbox files) mapped: with
 * scan --jobs, unmapping a file makes the kernel stop the other threads'
 * cores to flush their TLBs, once per message in a maildir. */
#define READ_WHOLE_MAX (4 * 1024 * 1024)

static gboolean
foreach_file (const char *path, OobMessageFunc func, gpointer user_data, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) == 0 && st.st_size <= READ_WHOLE_MAX)
    {
      g_autofree char *data = NULL;
      gsize len;
      if (!g_file_get_contents (path, &data, &len, error))
        return FALSE;
      return foreach_message_in (path, data, len, func, user_data);
    }
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return FALSE;
  const char *data = g_mapped_file_get_contents (file);
  gsize len = g_mapped_file_get_length (file);
  if (data == NULL)
    data = "";
  return foreach_message_in (path, data, len, func, user_data);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
foreach_dir (const char *path, OobMessageFunc func, gpointer user_data, GError **error)
{
  g_autofree char *cur = g_build_filename (path, "cur", NULL);
  g_autofree char *new_ = g_build_filename (path, "new", NULL);
  if (g_file_test (cur, G_FILE_TEST_IS_DIR) || g_file_test (new_, G_FILE_TEST_IS_DIR))
    {
      /* A maildir: its messages, never tmp/. */
      for (const char *sub = "cur"; sub; sub = g_strcmp0 (sub, "cur") == 0 ? "new" : NULL)
        {
          g_autofree char *dir = g_build_filename (path, sub, NULL);
          if (g_file_test (dir, G_FILE_TEST_IS_DIR) && !foreach_dir (dir, func, user_data, error))
            return FALSE;
        }
      return TRUE;
    }
  g_autoptr (GDir) dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      if (!oob_input_foreach (child, func, user_data, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
oob_input_foreach (const char *path, OobMessageFunc func, gpointer user_data, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return foreach_dir (path, func, user_data, error);
  return foreach_file (path, func, user_data, error);
}
