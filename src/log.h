/* log.h - where oobproc's words go.
 *
 * Owns the pipe-mode rule: nothing on stdout or stderr (Exim fails a pipe
 * delivery that prints; Postfix reads a leading X.Y.Z as a status), one
 * syslog line per message on the mail facility, and with -v a copy of
 * everything on stderr.  GLib's own warnings are routed the same way.
 */
#pragma once

#include <glib.h>
#include <syslog.h>

G_BEGIN_DECLS

/* to_syslog: open syslog (mail facility); verbose: also write to stderr. */
void oob_log_init (gboolean to_syslog, gboolean verbose);

/* One line at a syslog priority (LOG_INFO, LOG_WARNING, LOG_ERR...). */
void oob_log (int priority, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
