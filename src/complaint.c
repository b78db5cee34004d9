/* complaint.c - provider complaints that are not RFC 5965 reports.
 *
 * Owns three shapes, each confident on its own fingerprint:
 *  - Microsoft JMRP / Hotmail: subject "complaint about message from <ip>"
 *    and the complained-about message attached as message/rfc822 (or its
 *    headers alone as text/rfc822-headers); the complainer is the attached
 *    message's X-HmXmrOriginalRecipient, else its To:.  The type is
 *    implied: abuse.
 *  - Amazon SES complaint notifications delivered by SNS e-mail: a body
 *    that is a JSON object (possibly an SNS envelope whose "Message" holds
 *    it) with notificationType or eventType "Complaint"; complainedRecipients
 *    and complaintFeedbackType (abuse when SES had none from the provider).
 *  - Apple Mail's unsubscribe message, marked X-Apple-Unsubscribe: true: an
 *    opt-out by the address that sent it.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "arf.h"
#include "bounce_text.h"
#include "complaint.h"
#include "json.h"
#include "ses.h"
#include "mime.h"
#include "pattern.h"

static gboolean
is_message_part (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  return GMIME_IS_MESSAGE_PART (part);
}

static OobPattern re_jmrp_subject = OOB_PATTERN ("(?i)\\bcomplaint about message from\\s*\\[?([0-9A-Fa-f.:]*)", 0);

gboolean
oob_complaint_parse_jmrp (OobMessageView *view, OobReport *report)
{
  g_auto (GStrv) groups = NULL;
  /* The subject is unanchored: a person forwarding a report, or writing
   * about one in a mail client, sends no report. */
  if (!oob_pattern_match (&re_jmrp_subject, view->subject, &groups) || oob_bounce_written_in_client (view))
    return FALSE;
  GMimeObject *part = oob_mime_find (GMIME_OBJECT (view->message), FALSE, is_message_part, NULL);
  GMimeMessage *inner = part ? g_mime_message_part_get_message (GMIME_MESSAGE_PART (part)) : NULL;
  /* The message attached, or its headers alone (text/rfc822-headers). */
  g_autoptr (GMimeHeaderList) headers = inner ? g_object_ref (g_mime_object_get_header_list (GMIME_OBJECT (inner)))
                                              : oob_view_returned_headers (view);
  if (headers == NULL)
    return FALSE;

  report->type = OOB_REPORT_FEEDBACK;
  oob_set_string (&report->feedback_type, "abuse");
  if (*groups[1])
    oob_report_add_field (report, "Source-IP", groups[1]);

  const char *original = oob_mime_header (headers, "X-HmXmrOriginalRecipient");
  if (original)
    oob_report_add_field (report, "X-HmXmrOriginalRecipient", original);
  oob_arf_add_enclosed_recipient (report, headers);
  if (report->recipients->len == 0)
    oob_report_add_recipient (report);
  return TRUE;
}

static void
add_field_if (OobReport *report, const char *name, const char *value)
{
  if (value && *value)
    oob_report_add_field (report, name, value);
}

/* First string of a JSON array of strings, or NULL. */
static const char *
first_string (JsonArray *array)
{
  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  JsonNode *node = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
read_ses_mail (JsonObject *mail, OobReport *report)
{
  add_field_if (report, "Original-Mail-From", oob_json_member_string (mail, "source"));
  add_field_if (report, "Source-IP", oob_json_member_string (mail, "sourceIp"));
  add_field_if (report, "SES-Message-ID", oob_json_member_string (mail, "messageId"));
  JsonObject *common = oob_json_member_object (mail, "commonHeaders");
  const char *message_id = oob_json_member_string (common, "messageId");
  g_autofree char *decoded_id = message_id ? g_mime_utils_decode_message_id (message_id) : NULL;
  oob_set_string (&report->orig_message_id, decoded_id);
  oob_set_string (&report->orig_subject, oob_json_member_string (common, "subject"));
  oob_set_string (&report->orig_from, first_string (oob_json_member_array (common, "from")));
  oob_set_string (&report->orig_to, first_string (oob_json_member_array (common, "to")));
}

gboolean
oob_complaint_parse_ses (OobMessageView *view, OobReport *report)
{
  /* SNS sends the notification; a person forwarding it writes in a client. */
  if (oob_bounce_written_in_client (view))
    return FALSE;
  g_autoptr (JsonNode) root = oob_ses_notification (oob_view_body (view));
  if (root == NULL)
    return FALSE;
  JsonObject *notification = json_node_get_object (root);

  const char *kind = oob_ses_type (notification);
  JsonObject *complaint = oob_json_member_object (notification, "complaint");
  if (kind == NULL || g_ascii_strcasecmp (kind, "Complaint") != 0 || complaint == NULL)
    return FALSE;

  report->type = OOB_REPORT_FEEDBACK;
  const char *type = oob_json_member_string (complaint, "complaintFeedbackType");
  g_autofree char *lower_type = g_ascii_strdown (type && *type ? type : "abuse", -1);
  oob_set_string (&report->feedback_type, lower_type);
  add_field_if (report, "Feedback-Type", type);
  add_field_if (report, "User-Agent", oob_json_member_string (complaint, "userAgent"));
  add_field_if (report, "Arrival-Date", oob_json_member_string (complaint, "arrivalDate"));
  add_field_if (report, "Feedback-ID", oob_json_member_string (complaint, "feedbackId"));
  add_field_if (report, "Complaint-Sub-Type", oob_json_member_string (complaint, "complaintSubType"));
  add_field_if (report, "Timestamp", oob_json_member_string (complaint, "timestamp"));
  oob_set_string (&report->arrival_date, oob_json_member_string (complaint, "arrivalDate"));
  read_ses_mail (oob_json_member_object (notification, "mail"), report);

  JsonArray *recipients = oob_json_member_array (complaint, "complainedRecipients");
  for (guint i = 0; recipients && i < json_array_get_length (recipients); i++)
    {
      JsonNode *node = json_array_get_element (recipients, i);
      const char *address = JSON_NODE_HOLDS_OBJECT (node) ? oob_json_member_string (json_node_get_object (node), "emailAddress") : NULL;
      if (address)
        oob_report_add_field (report, "Original-Rcpt-To", address);
      oob_arf_add_addresses (report, address, 1);
    }
  if (report->recipients->len == 0)
    oob_report_add_recipient (report);
  return TRUE;
}

gboolean
oob_complaint_parse_apple_unsubscribe (OobMessageView *view, OobReport *report)
{
  GMimeObject *object = GMIME_OBJECT (view->message);
  const char *marker = g_mime_object_get_header (object, "X-Apple-Unsubscribe");
  if (marker == NULL)
    return FALSE;
  g_autofree char *value = g_strstrip (g_strdup (marker));
  if (g_ascii_strcasecmp (value, "true") != 0 && g_ascii_strcasecmp (value, "yes") != 0)
    return FALSE;

  report->type = OOB_REPORT_FEEDBACK;
  oob_set_string (&report->feedback_type, "opt-out");
  oob_report_add_field (report, "X-Apple-Unsubscribe", value);
  const char *to = g_mime_object_get_header (object, "To");
  if (to)
    oob_report_add_field (report, "To", to);
  if (oob_arf_add_addresses (report, view->from, 1) == 0)
    oob_report_add_recipient (report);
  return TRUE;
}
