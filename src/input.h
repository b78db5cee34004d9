/* input.h - getting message bytes in: stdin for the pipe, files, maildirs
 * and mbox files for scan and import.
 *
 * Owns the size cap, the leading mbox "From " line, the sha256 of the raw
 * bytes, and splitting mailboxes into messages.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OOB_DEFAULT_MAX_SIZE (32 * 1024 * 1024)

typedef struct {
  GBytes *bytes;       /* at most max_size bytes, the "From " line removed */
  gsize total_size;    /* bytes read in all */
  gboolean truncated;  /* total_size > bytes kept */
  char *sha256;        /* hex digest of every byte read (From line excluded) */
  char *from_line;     /* the mbox "From " line, without its newline, or NULL */
} OobInput;

void oob_input_clear (OobInput *input);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OobInput, oob_input_clear)

/* Reads a whole message from fd, keeping the first max_size bytes. */
gboolean oob_input_read_fd (int fd, gsize max_size, OobInput *input, GError **error);

/* The same for a message already in memory (scan, import, tests). */
void oob_input_from_data (const char *data, gsize len, gsize max_size, OobInput *input);

/* Called once per message found under a path; return FALSE to stop.
 * index is 0 for a file holding one message, 1.. for mbox messages. */
typedef gboolean (*OobMessageFunc) (const char *path, int index, const char *data, gsize len,
                                    gpointer user_data);

/* Walks a file (one message, or an mbox if it starts with "From "), a
 * maildir (cur/ and new/) or a directory of files, in name order. */
gboolean oob_input_foreach (const char *path, OobMessageFunc func, gpointer user_data, GError **error);

G_END_DECLS
