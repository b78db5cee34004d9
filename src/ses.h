/* ses.h - Amazon SES notifications (bounces, complaints, deliveries)
 * mailed as JSON, bare or inside an SNS envelope, its long lines maybe
 * cut by a relay ("!", a line end, a space). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The JSON object a text starts with (text after it is ignored), or NULL
 * when there is none or it nests too deep. */
JsonNode *oob_json_leading_object (const char *text);

/* The SES notification object in a mail body, unwrapped from its SNS
 * envelope if it has one, or NULL. */
JsonNode *oob_ses_notification (const char *body);

/* What a notification reports ("Bounce", "Complaint", "Delivery", ...):
 * its notificationType (SNS notifications) or eventType (configuration-set
 * events), or NULL. */
const char *oob_ses_type (JsonObject *notification);

G_END_DECLS
