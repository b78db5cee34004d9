/* bounce_provider.h - text helpers shared by the mailbox-provider parsers.
 *
 * Owns the small steps every provider parser repeats on a plain-text
 * notice: splitting the notice into lines up to the marker where the
 * quoted original begins, collapsing a wrapped diagnostic into one line,
 * picking the address out of a line, and adding a failed recipient once.
 */
#pragma once

#include "parse.h"
#include "pattern.h"

G_BEGIN_DECLS

/* Lines of text (LF or CRLF) before the first line matching stop (all
 * lines if stop is NULL).  Trailing white space is removed from each. */
GStrv oob_provider_lines (const char *text, OobPattern *stop);

/* Every run of white space (new lines included) as one space, trimmed. */
char *oob_provider_squash (const char *text);

/* The first address (local@domain) in text, <> and quotes removed, or NULL. */
char *oob_provider_address (const char *text);

/* TRUE if the line holds nothing but one address (maybe in <> or quotes,
 * maybe followed by a colon). */
gboolean oob_provider_is_address_line (const char *line);

/* Every address of the X-Failed-Recipients header(s), or an empty vector. */
GStrv oob_provider_failed_recipients (OobMessageView *view);

/* Adds a recipient for address (the existing one if already present) with
 * the diagnostic squashed and action "failed" (a provider notice is final
 * unless it says it is a warning: the caller changes it then), and marks
 * the report a bounce.  Returns it, or NULL once the report is full
 * (OOB_MAX_RECIPIENTS). */
OobRecipient *oob_provider_add (OobReport *report, const char *address, const char *diagnostic);

/* The domain of the From: address ("" if none). */
const char *oob_provider_from_domain (OobMessageView *view);

/* Adds (oob_provider_add) a recipient whose reason is an Exim-style "SMTP
 * error from remote (mail) server (or older Exim's "remote mailer") after
 * RCPT TO:<a>: host X [ip]: reply":
 * the reply is the diagnostic and X the remote MTA; other text is the
 * diagnostic as it is.  Returns the recipient or NULL (report full). */
OobRecipient *oob_provider_add_smtp_error (OobReport *report, const char *address, const char *text);

G_END_DECLS
