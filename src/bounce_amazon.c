/* bounce_amazon.c - Amazon SES notifications and Amazon WorkMail notices.
 *
 * Amazon SES, when a configuration set or identity publishes bounce and
 * delivery events to an SNS topic with an e-mail subscription, mails the
 * event as JSON: either the bare event ({"notificationType":"Bounce",...})
 * followed by SNS's "--" footer, or SNS's own envelope whose "Message"
 * member holds the event as a string.  Bounce events list
 * bounce.bouncedRecipients (emailAddress, action, status, diagnosticCode;
 * one without a status has the reason the bounceSubType gives: NoEmail,
 * MailboxFull, MessageTooLarge); delivery-delay events list
 * deliveryDelay.delayedRecipients alike (the reason then in delayType);
 * delivery events list delivery.recipients with one smtpResponse.
 * Complaint events are feedback, not bounces: they are left to the
 * complaint parsers.
 *
 * Amazon WorkMail (sent through SES, from MAILER-DAEMON@*.amazonses.com,
 * or from a mail system address naming WorkMail in X-Mailer /
 * X-Original-Mailer with SES's X-SES-Outgoing stamp) writes "An error occurred while trying to deliver
 * the mail to the following recipients:", the addresses, then "Technical
 * report:" with RFC 3464 fields as plain text in the body.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bounce.h"
#include "bounce_provider.h"
#include "bounce_text.h"
#include "json.h"
#include "plaintext.h"
#include "ses.h"
#include "status.h"

static OobPattern re_workmail_intro =
  OOB_PATTERN ("An error occurred while trying to deliver the mail to the following recipients:", 0);
static OobPattern re_technical_report = OOB_PATTERN ("^\\s*Technical report:\\s*$", 0);

/* "dsn; a1-2.smtp-out.example" -> "a1-2.smtp-out.example". */
static const char *
after_type (const char *value)
{
  const char *semicolon = value ? strchr (value, ';') : NULL;
  if (semicolon == NULL)
    return value;
  semicolon++;
  while (*semicolon == ' ')
    semicolon++;
  return semicolon;
}

/* The pseudo status detail of what SES's bounceSubType says, or 0 when
 * the reply's words say more ("General", "Undetermined", a rejected
 * content or attachment: spam, a virus, a policy...). */
static int
subtype_status_detail (const char *subtype)
{
  if (g_strcmp0 (subtype, "NoEmail") == 0)
    return 911;
  if (g_strcmp0 (subtype, "MailboxFull") == 0)
    return 922;
  if (g_strcmp0 (subtype, "MessageTooLarge") == 0)
    return 934;
  return 0;
}

/* The same for a delivery-delay event's delayType. */
static int
delay_type_detail (const char *type)
{
  static const struct {
    const char *type;
    int detail;
  } table[] = {
    { "MailboxFull", 922 },                   /* the mailbox is full */
    { "SpamDetected", 980 },                  /* the remote server saw spam */
    { "IPFailure", 971 },                     /* our sending IP refused or listed */
    { "RecipientServerError", 930 },          /* the remote server's own trouble */
    { "TransientCommunicationFailure", 944 }, /* the connection failed */
    { "BYOIPHostNameLookupUnavailable", 944 },
  };
  for (gsize i = 0; type && i < G_N_ELEMENTS (table); i++)
    if (strcmp (type, table[i].type) == 0)
      return table[i].detail;
  return 0;
}

/* A bounce event's bouncedRecipients, or a delivery-delay event's
 * delayedRecipients (same members; SES keeps retrying those). */
static gboolean
read_bounce (JsonObject *bounce, const char *list, OobReport *report)
{
  JsonArray *bounced = oob_json_member_array (bounce, list);
  if (bounced == NULL)
    return FALSE;
  oob_set_string (&report->reporting_mta, after_type (oob_json_member_string (bounce, "reportingMTA")));
  const char *remote = oob_json_member_string (bounce, "remoteMtaIp");
  /* A recipient without a status (SES adds one only when the remote
   * server sent a report) has the reason SES's bounce type gives. */
  gboolean delay = strcmp (list, "delayedRecipients") == 0;
  gboolean transient = delay || g_strcmp0 (oob_json_member_string (bounce, "bounceType"), "Transient") == 0;
  int subtype_detail = delay ? delay_type_detail (oob_json_member_string (bounce, "delayType"))
                             : subtype_status_detail (oob_json_member_string (bounce, "bounceSubType"));
  for (guint i = 0; i < json_array_get_length (bounced); i++)
    {
      JsonNode *node = json_array_get_element (bounced, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *address = oob_provider_address (oob_json_member_string (entry, "emailAddress"));
      if (address == NULL)
        continue;
      OobRecipient *rcpt = oob_provider_add (report, address, after_type (oob_json_member_string (entry, "diagnosticCode")));
      if (rcpt == NULL)
        break;
      oob_set_string (&rcpt->diagnostic_type, "smtp");
      const char *status = oob_json_member_string (entry, "status");
      if (oob_status_valid (status))
        oob_set_string (&rcpt->status, status);
      else if (subtype_detail)
        rcpt->status = g_strdup_printf ("%c.0.%d", transient ? '4' : '5', subtype_detail);
      const char *action = oob_json_member_string (entry, "action");
      if (strcmp (list, "delayedRecipients") == 0)
        action = "delayed";
      if (action)
        {
          g_free (rcpt->action);
          rcpt->action = g_ascii_strdown (action, -1);
        }
      oob_set_string (&rcpt->remote_mta, remote);
    }
  return report->recipients->len > 0;
}

static gboolean
read_delivery (JsonObject *delivery, OobReport *report)
{
  JsonArray *recipients = oob_json_member_array (delivery, "recipients");
  if (recipients == NULL)
    return FALSE;
  oob_set_string (&report->reporting_mta, oob_json_member_string (delivery, "reportingMTA"));
  const char *response = oob_json_member_string (delivery, "smtpResponse");
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      JsonNode *node = json_array_get_element (recipients, i);
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      g_autofree char *address = oob_provider_address (json_node_get_string (node));
      if (address == NULL)
        continue;
      OobRecipient *rcpt = oob_provider_add (report, address, response);
      if (rcpt == NULL)
        break;
      oob_set_string (&rcpt->action, "delivered");
      g_free (rcpt->status);
      rcpt->status = oob_status_find (response);
      oob_set_string (&rcpt->remote_mta, oob_json_member_string (delivery, "remoteMtaIp"));
    }
  return report->recipients->len > 0;
}

/* The event's "mail" object describes the message SES sent: its headers
 * (when the configuration set includes them) stand in for a returned
 * original, so that attribution can read them. */
static void
read_sent_mail (JsonObject *mail, OobReport *report)
{
  JsonArray *headers = oob_json_member_array (mail, "headers");
  if (headers && json_array_get_length (headers) > 0)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      for (guint i = 0; i < json_array_get_length (headers); i++)
        {
          JsonNode *node = json_array_get_element (headers, i);
          JsonObject *header = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *name = oob_json_member_string (header, "name"), *value = oob_json_member_string (header, "value");
          if (name && value && !strpbrk (name, ":\r\n") && !strpbrk (value, "\r\n"))
            g_string_append_printf (text, "%s: %s\n", name, value);
        }
      if (text->len)
        report->orig_headers = g_string_free (g_steal_pointer (&text), FALSE);
    }
  JsonObject *common = oob_json_member_object (mail, "commonHeaders");
  const char *id = oob_json_member_string (common, "messageId");
  if (id)
    report->orig_message_id = g_mime_utils_decode_message_id (id);
  oob_set_string (&report->orig_subject, oob_json_member_string (common, "subject"));
  JsonArray *from = oob_json_member_array (common, "from");
  if (from && json_array_get_length (from) > 0)
    {
      JsonNode *first = json_array_get_element (from, 0);
      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
        oob_set_string (&report->orig_from, json_node_get_string (first));
    }
  JsonArray *to = oob_json_member_array (common, "to");
  if (to && json_array_get_length (to) > 0)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint i = 0; i < json_array_get_length (to); i++)
        {
          JsonNode *node = json_array_get_element (to, i);
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            g_ptr_array_add (names, (gpointer) json_node_get_string (node));
        }
      g_ptr_array_add (names, NULL);
      report->orig_to = g_strjoinv (", ", (GStrv) names->pdata);
    }
}

gboolean
oob_bounce_amazonses (OobMessageView *view, OobReport *report)
{
  /* SES notifications come from the service's own no-reply address, not
   * a mail system's; a person forwarding one writes in a mail client. */
  if (oob_bounce_written_in_client (view))
    return FALSE;
  g_autoptr (JsonNode) root = oob_ses_notification (oob_view_body (view));
  if (root == NULL)
    return FALSE;
  JsonObject *event = json_node_get_object (root);

  const char *type = oob_ses_type (event);
  gboolean read = FALSE;
  if (g_strcmp0 (type, "Bounce") == 0)
    read = read_bounce (oob_json_member_object (event, "bounce"), "bouncedRecipients", report);
  else if (g_strcmp0 (type, "DeliveryDelay") == 0)
    read = read_bounce (oob_json_member_object (event, "deliveryDelay"), "delayedRecipients", report);
  else if (g_strcmp0 (type, "Delivery") == 0)
    read = read_delivery (oob_json_member_object (event, "delivery"), report);
  if (read)
    read_sent_mail (oob_json_member_object (event, "mail"), report);
  return read;
}

/* One block of "Name: value" fields for one recipient. */
static void
read_workmail_block (const char *block, OobReport *report)
{
  g_autoptr (GMimeHeaderList) fields = oob_mime_parse_fields (block, strlen (block));
  if (fields == NULL)
    return;
  const char *reporting = oob_mime_header (fields, "Reporting-MTA");
  if (reporting && report->reporting_mta == NULL)
    report->reporting_mta = g_strdup (after_type (reporting));
  g_autofree char *address = oob_dsn_address (oob_mime_header (fields, "Final-Recipient"));
  if (address == NULL || strchr (address, '@') == NULL)
    return;
  OobRecipient *rcpt = oob_provider_add (report, address, after_type (oob_mime_header (fields, "Diagnostic-Code")));
  if (rcpt == NULL)
    return;
  /* As in a delivery-status part: the remote reply's own code may say more. */
  g_autofree char *status = oob_status_refine (oob_mime_header (fields, "Status"), rcpt->diagnostic,
                                               oob_smtp_code_find (rcpt->diagnostic));
  if (oob_status_valid (status))
    oob_set_string (&rcpt->status, status);
  const char *action = oob_mime_header (fields, "Action");
  if (action)
    {
      g_free (rcpt->action);
      rcpt->action = g_ascii_strdown (action, -1);
    }
  oob_set_string (&rcpt->remote_mta, after_type (oob_mime_header (fields, "Remote-MTA")));
}

gboolean
oob_bounce_amazonworkmail (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_written_in_client (view))
    return FALSE;
  gboolean from_ses = g_str_has_prefix (view->from, "mailer-daemon@") && g_str_has_suffix (view->from, ".amazonses.com");
  /* WorkMail names itself, and SES stamps what it sends; a WorkMail user's
   * own mail has both, so the sender must be a mail system's mailbox (a
   * user's no-reply or root mailbox sends reports of its own). */
  gboolean by_workmail = (g_strcmp0 (oob_plain_header (view, "X-Mailer"), "Amazon WorkMail") == 0 ||
                          g_strcmp0 (oob_plain_header (view, "X-Original-Mailer"), "Amazon WorkMail") == 0) &&
                         oob_plain_header (view, "X-SES-Outgoing") != NULL && oob_bounce_from_mail_system (view);
  if (!from_ses && !by_workmail)
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), NULL);
  g_autofree char *joined = g_strjoinv ("\n", lines);
  g_autofree char *intro = oob_provider_squash (joined);
  /* Sent from SES's mailer-daemon, the intro says it is WorkMail's. */
  if (!by_workmail && !oob_pattern_match (&re_workmail_intro, intro, NULL))
    return FALSE;
  guint i = 0;
  while (lines[i] && !oob_pattern_match (&re_technical_report, lines[i], NULL))
    i++;
  if (lines[i] == NULL)
    return FALSE;
  /* Blocks separated by blank lines, as in a delivery-status part. */
  g_autoptr (GString) block = g_string_new (NULL);
  for (i++;; i++)
    {
      if (lines[i] == NULL || *lines[i] == '\0')
        {
          if (block->len)
            read_workmail_block (block->str, report);
          g_string_truncate (block, 0);
          if (lines[i] == NULL)
            break;
        }
      else
        g_string_append_printf (block, "%s\n", lines[i]);
    }
  return report->recipients->len > 0;
}
