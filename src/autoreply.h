/* autoreply.h - RFC 3834 auto-replies, vacation and out-of-office messages.
 *
 * oob_autoreply_parse() gives a report of type OOB_REPORT_AUTOREPLY with one
 * recipient, the address that replied (From:), and no action.  It declines
 * anything that looks like a delivery report or a bounce, even when that
 * carries Auto-Submitted: auto-replied as Postfix and Exim bounces do.
 */
#pragma once

#include "parse.h"

G_BEGIN_DECLS

gboolean oob_autoreply_parse (OobMessageView *view, OobReport *report);

G_END_DECLS
