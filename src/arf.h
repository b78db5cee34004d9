/* arf.h - feedback reports: spam complaints, opt-outs, auth-failure reports.
 *
 * oob_arf_parse() reads RFC 5965 / RFC 6591 reports (and the older 0.1
 * draft); complaint.c reads provider complaints that are not ARF.  Each
 * gives a report of type OOB_REPORT_FEEDBACK with feedback_type set (lower
 * case) and one OobRecipient per complained-about address; a recipient with
 * no address is left when the report names none, for the envelope (VERP)
 * to fill in later.
 */
#pragma once

#include "parse.h"

G_BEGIN_DECLS

/* RFC 5965 multipart/report with a message/feedback-report part (also with a
 * wrong or missing report-type parameter, or, with report-type stated, with
 * only the complained-about message). */
gboolean oob_arf_parse (OobMessageView *view, OobReport *report);

/* Shared by the feedback parsers: adds one recipient per mailbox address
 * in an address-list header value (addresses without '@' are skipped).
 * Returns the number added. */
guint oob_arf_add_addresses (OobReport *report, const char *address_list, guint max);

/* The same for an address list that names exactly one mailbox (the To: of
 * a complained-about message: with several, who complained is unknown). */
guint oob_arf_add_sole_address (OobReport *report, const char *address_list);

/* The complainer named by the complained-about message's headers:
 * Microsoft's X-HmXmrOriginalRecipient, else a To: naming one mailbox.
 * Returns the number of recipients added. */
guint oob_arf_add_enclosed_recipient (OobReport *report, GMimeHeaderList *enclosed);

G_END_DECLS
