/* derive.h - a status for bounces that do not state one.
 *
 * Plain-text bounces often give only an SMTP reply code or only words.
 * oob_status_derive() returns, in order: the enhanced status code the text
 * itself carries; else a derived status from what the text says, in the
 * "pseudo status" convention x.0.9NN (as sisimai uses), so that a derived
 * status can always be told from one the remote MTA reported; else the
 * class-level status of the SMTP reply code (5.0.0, 4.0.0); else NULL.
 * smtp_command (smtp_command.h, may be NULL) is the stage of the session
 * the reply answered: user-unknown words after DATA derive x.0.910
 * (filtered), and a refusal of the connection or greeting that gives no
 * reason derives x.0.971 (blocked).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *oob_status_derive (const char *text, int smtp_code, const char *smtp_command);

/* TRUE if a "user unknown" is a filter's word for a mailbox it has: the
 * status is the derived x.0.910 (filtered), or the reply is KDDI's filter
 * answer "550 : User unknown" (the address left out), whatever status the
 * report gives it. */
gboolean oob_status_filtered (const char *status, const char *text);

G_END_DECLS
