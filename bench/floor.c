/* floor.c - the speed floor for oobproc: parse each message with GMime and
 * walk its parts (reading every leaf's decoded content), nothing else.
 *
 *   bench/floor PATH...   files, maildirs or mbox files (like oobproc scan)
 *   bench/floor -         one message on stdin (like oobproc's pipe mode)
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "input.h"
#include "mime.h"

static gsize leaves;

static gboolean
touch_leaf (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  g_autoptr (GBytes) content = oob_mime_part_bytes (part);
  leaves += g_bytes_get_size (content) > 0;
  return FALSE;
}

static gboolean
parse_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  g_autoptr (GMimeMessage) message = oob_mime_parse (data, len);
  if (message)
    oob_mime_find (GMIME_OBJECT (message), TRUE, touch_leaf, NULL);
  (*(guint *) user_data)++;
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint messages = 0;
  if (argc == 2 && g_str_equal (argv[1], "-"))
    {
      g_auto (OobInput) input = { 0 };
      if (!oob_input_read_fd (STDIN_FILENO, OOB_DEFAULT_MAX_SIZE, &input, NULL))
        return 1;
      gsize len;
      const char *data = g_bytes_get_data (input.bytes, &len);
      parse_one ("-", 0, data ? data : "", len, &messages);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    if (!oob_input_foreach (argv[i], parse_one, &messages, NULL))
      return 1;
  fprintf (stderr, "floor: %u messages, %zu non-empty leaves\n", messages, leaves);
  return 0;
}
