/* eventlog.h - the optional JSON-lines log of recorded events.
 *
 * Owns the log file's promises: one JSON object per recipient event, each
 * line written by one write() on a descriptor opened with O_APPEND, so
 * concurrent pipes never interleave inside a line; the file is opened
 * afresh for every message and never kept, so logrotate can move it away
 * and the next message creates a new one (no signal, no copytruncate).
 */
#pragma once

#include <glib.h>

#include "report.h"

G_BEGIN_DECLS

/* Adds to lines (char *, each ending in a newline) one line per
 * recipient of report, or one for a report without any.  sha256 and
 * received_at identify the message as stored. */
void oob_event_log_lines (GPtrArray *lines, const OobReport *report, const char *sha256, gint64 received_at,
                          const char *bounce_address);

/* Appends lines to the log at path, one write() each. */
gboolean oob_event_log_write (const char *path, GPtrArray *lines, GError **error);

/* Both at once: what the pipe calls once its record is committed. */
gboolean oob_event_log_append (const char *path, const OobReport *report, const char *sha256, gint64 received_at,
                               const char *bounce_address, GError **error);

G_END_DECLS
