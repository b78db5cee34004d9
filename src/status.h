/* status.h - reading SMTP reply codes and enhanced status codes out of text.
 *
 * Owns the small, shared rules for finding "550" and "5.1.1" in a
 * diagnostic or a bounce text, and for deriving one from the other when a
 * report carries only one of them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The enhanced status code (x.y.z, x in 2/4/5) a text reports, or NULL:
 * qmail's "(#x.y.z)" first, then one after a reply code, then the first
 * failure code, then a success code; never part of an IP address or a
 * version number. */
char *oob_status_find (const char *text);

/* The SMTP reply code a text reports: one directly before an enhanced code,
 * else one at the start of the text or of a line, else one after "said:"
 * and the like; a failure (4xx, 5xx) before a success; else 0. */
int oob_smtp_code_find (const char *text);

/* Class-level status for a reply code: 550 -> "5.0.0", 421 -> "4.0.0". */
char *oob_status_from_code (int code);

/* TRUE if status is a well-formed x.y.z with x in 2, 4, 5. */
gboolean oob_status_valid (const char *status);

/* The better of a report's own status and one found in its diagnostic
 * (smtp_code: the reply code of the diagnostic, 0 if none).  The
 * diagnostic is the remote server's own reply, the Status the reporting
 * MTA's translation of it, so a specific code in the diagnostic wins when
 * its class agrees with the Status, or with the reply code where the
 * Status contradicts the reply code.  A generic x.0.0 never wins. */
char *oob_status_refine (const char *status, const char *diagnostic, int smtp_code);

G_END_DECLS
