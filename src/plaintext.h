/* plaintext.h - small readers shared by the plain-text bounce families.
 *
 * Owns the chores every non-standard parser repeats: cutting a notice at
 * the line where the quoted original begins, squashing a multi-line
 * diagnostic into one line, finding a bare address in a line of text,
 * adding a recipient once, and finishing a report (status derived from the
 * text, else the "onhold" pseudo status 5.0.901 for a failure whose reason
 * the notice does not say).  Knows nothing of any one MTA's wording.
 */
#pragma once

#include "parse.h"
#include "pattern.h"

G_BEGIN_DECLS

/* A copy of text up to the first line that end matches (all of it if
 * none).  Lines are matched one at a time, without their "\n". */
char *oob_plain_cut (const char *text, OobPattern *end);

/* The lines after the first line that start matches, or NULL. */
char *oob_plain_after (const char *text, OobPattern *start);

/* The lines after the first line that start matches, up to (not including)
 * the first line after it that end matches; NULL if start never matches. */
char *oob_plain_between (const char *text, OobPattern *start, OobPattern *end);

/* White space runs (newlines included) become one space; trimmed. */
char *oob_plain_squash (const char *text);

/* The first address in text ("<a@b>", "Name <a@b>", "a@b on ..."),
 * normalised by GMime, or NULL. */
char *oob_plain_address (const char *text);

/* TRUE if line holds nothing but one address (maybe in <>). */
gboolean oob_plain_is_address_line (const char *line);

/* Adds address as a failed recipient, unless it is already there; returns
 * the recipient, or NULL once OOB_MAX_RECIPIENTS are read (report->note
 * then says so).  diagnostic (may be NULL) is squashed; a later non-empty
 * diagnostic for the same address is appended. */
OobRecipient *oob_plain_add (OobReport *report, const char *address, const char *diagnostic);

/* oob_plain_add for the address of every line of block that holds nothing
 * but one (oob_plain_is_address_line), all with the same diagnostic. */
void oob_plain_add_address_lines (OobReport *report, const char *block, const char *diagnostic);

/* TRUE if the sender's local part says it is a mail system
 * (mailer-daemon, postmaster, ...): view->from, tested once per message. */
gboolean oob_plain_from_system (OobMessageView *view);

/* Value of a top-level header of the bounce, or NULL. */
const char *oob_plain_header (OobMessageView *view, const char *name);

/* TRUE if one of the bounce's own Received: headers matches pattern. */
gboolean oob_plain_received_matches (OobMessageView *view, OobPattern *pattern);

/* The notice text: oob_view_body(), or, when GMime found neither a text
 * part nor an attached message (a multipart whose boundaries do not
 * match), the raw body with its MIME structure and transfer encodings left
 * in place and line ends made LF.  Never NULL; free it. */
char *oob_plain_body (OobMessageView *view);

/* Marks report as a bounce; each recipient without an action gets
 * "failed" (the message was given up on, even after a 4xx reply), and
 * each without a status the one derived from its diagnostic, else 5.0.901.
 * FALSE if no recipient. */
gboolean oob_plain_finish (OobReport *report);

G_END_DECLS
