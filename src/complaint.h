/* complaint.h - provider complaints that are not RFC 5965 reports.
 *
 * Each parser recognises one provider's shape and fills a report of type
 * OOB_REPORT_FEEDBACK like oob_arf_parse() does (see arf.h).
 */
#pragma once

#include "parse.h"

G_BEGIN_DECLS

/* Microsoft JMRP / Hotmail: "complaint about message from <ip>" with the
 * original attached; recipient from its X-HmXmrOriginalRecipient or To:. */
gboolean oob_complaint_parse_jmrp (OobMessageView *view, OobReport *report);

/* Amazon SES complaint notification (SNS e-mail): a JSON body with
 * notificationType (or eventType) "Complaint". */
gboolean oob_complaint_parse_ses (OobMessageView *view, OobReport *report);

/* Apple Mail's unsubscribe message (X-Apple-Unsubscribe: true): an
 * opt-out by the sender of the message. */
gboolean oob_complaint_parse_apple_unsubscribe (OobMessageView *view, OobReport *report);

G_END_DECLS
