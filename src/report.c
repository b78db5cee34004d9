/* report.c - construction, destruction and small queries of the report model. */
#include "config.h"

#include <string.h>

#include "report.h"

char *
oob_diagnostic_window (const char *text)
{
  if (text == NULL)
    return NULL;
  gsize length = strnlen (text, OOB_MAX_DIAGNOSTIC + 1);
  if (length > OOB_MAX_DIAGNOSTIC)
    {
      length = OOB_MAX_DIAGNOSTIC;
      while (length > 0 && ((guchar) text[length] & 0xC0) == 0x80)
        length--;
    }
  return g_strndup (text, length);
}

void
oob_set_string (char **slot, const char *value)
{
  if (*slot == value)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

OobRecipient *
oob_recipient_new (void)
{
  return g_new0 (OobRecipient, 1);
}

void
oob_recipient_free (OobRecipient *rcpt)
{
  if (rcpt == NULL)
    return;
  g_free (rcpt->final_recipient);
  g_free (rcpt->original_recipient);
  g_free (rcpt->action);
  g_free (rcpt->status);
  g_free (rcpt->diagnostic);
  g_free (rcpt->diagnostic_type);
  g_free (rcpt->remote_mta);
  g_free (rcpt->last_attempt_date);
  g_free (rcpt->will_retry_until);
  g_free (rcpt->classification);
  g_free (rcpt->rule);
  g_free (rcpt->policy_action);
  g_free (rcpt->response_line);
  g_free (rcpt->note);
  g_free (rcpt);
}

static void
field_free (gpointer data)
{
  OobField *field = data;
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

OobReport *
oob_report_new (void)
{
  OobReport *report = g_new0 (OobReport, 1);
  report->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) oob_recipient_free);
  report->fields = g_ptr_array_new_with_free_func (field_free);
  return report;
}

void
oob_report_free (OobReport *report)
{
  if (report == NULL)
    return;
  g_free (report->parser);
  g_free (report->reporting_mta);
  g_free (report->arrival_date);
  g_free (report->original_envelope_id);
  g_free (report->received_from_mta);
  g_free (report->orig_message_id);
  g_free (report->orig_from);
  g_free (report->orig_to);
  g_free (report->orig_subject);
  g_free (report->orig_headers);
  g_free (report->feedback_type);
  g_free (report->campaign);
  g_free (report->tenant);
  g_free (report->note);
  g_ptr_array_unref (report->fields);
  g_ptr_array_unref (report->recipients);
  g_free (report);
}

OobRecipient *
oob_report_add_recipient (OobReport *report)
{
  OobRecipient *rcpt = oob_recipient_new ();
  g_ptr_array_add (report->recipients, rcpt);
  return rcpt;
}

OobRecipient *
oob_report_find_recipient (const OobReport *report, const char *address)
{
  for (guint i = 0; address && i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if ((rcpt->final_recipient && g_ascii_strcasecmp (rcpt->final_recipient, address) == 0) ||
          (rcpt->original_recipient && g_ascii_strcasecmp (rcpt->original_recipient, address) == 0))
        return rcpt;
    }
  return NULL;
}

gboolean
oob_report_is_full (OobReport *report)
{
  if (report->recipients->len < OOB_MAX_RECIPIENTS)
    return FALSE;
  oob_set_string (&report->note, "recipient limit reached; later recipients not read");
  return TRUE;
}

OobRecipient *
oob_report_recipient_once (OobReport *report, const char *address, gboolean *is_new)
{
  OobRecipient *rcpt = oob_report_find_recipient (report, address);
  *is_new = rcpt == NULL;
  if (rcpt || oob_report_is_full (report))
    return rcpt;
  rcpt = oob_report_add_recipient (report);
  rcpt->final_recipient = g_strdup (address);
  return rcpt;
}

void
oob_report_add_field (OobReport *report, const char *name, const char *value)
{
  OobField *field = g_new0 (OobField, 1);
  field->name = g_strdup (name);
  field->value = g_strdup (value);
  g_ptr_array_add (report->fields, field);
}

const char *
oob_report_get_field (const OobReport *report, const char *name)
{
  for (guint i = 0; i < report->fields->len; i++)
    {
      const OobField *field = g_ptr_array_index (report->fields, i);
      if (g_ascii_strcasecmp (field->name, name) == 0)
        return field->value;
    }
  return NULL;
}

/* TRUE if address is "local@domain" with both parts present: an X.400 or
 * X.500 name in an address field is not one. */
static gboolean
is_mailbox_address (const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;
  return at != NULL && at != address && at[1] != '\0';
}

const char *
oob_recipient_address (const OobRecipient *rcpt)
{
  if (is_mailbox_address (rcpt->original_recipient))
    return rcpt->original_recipient;
  if (rcpt->final_recipient && *rcpt->final_recipient)
    return rcpt->final_recipient;
  if (rcpt->original_recipient && *rcpt->original_recipient)
    return rcpt->original_recipient;
  return NULL;
}

OobKind
oob_recipient_kind (const OobReport *report, const OobRecipient *rcpt)
{
  switch (report->type)
    {
    case OOB_REPORT_FEEDBACK:
      return OOB_KIND_FEEDBACK;
    case OOB_REPORT_AUTOREPLY:
      return OOB_KIND_AUTOREPLY;
    case OOB_REPORT_UNKNOWN:
      return OOB_KIND_UNKNOWN;
    case OOB_REPORT_DSN:
    case OOB_REPORT_BOUNCE:
      break;
    }
  if (rcpt == NULL)
    return OOB_KIND_UNKNOWN;
  const char *action = rcpt->action ? rcpt->action : "failed";
  if (g_ascii_strcasecmp (action, "delayed") == 0)
    return OOB_KIND_DELAY;
  if (g_ascii_strcasecmp (action, "delivered") == 0)
    return OOB_KIND_DELIVERED;
  if (g_ascii_strcasecmp (action, "relayed") == 0)
    return OOB_KIND_RELAYED;
  if (g_ascii_strcasecmp (action, "expanded") == 0)
    return OOB_KIND_EXPANDED;
  return OOB_KIND_BOUNCE;
}

const char *
oob_kind_to_string (OobKind kind)
{
  static const char *const names[] = {
    [OOB_KIND_UNKNOWN] = "unknown",   [OOB_KIND_BOUNCE] = "bounce",
    [OOB_KIND_DELAY] = "delay",       [OOB_KIND_DELIVERED] = "delivered",
    [OOB_KIND_RELAYED] = "relayed",   [OOB_KIND_EXPANDED] = "expanded",
    [OOB_KIND_FEEDBACK] = "feedback", [OOB_KIND_AUTOREPLY] = "autoreply",
  };
  return names[kind];
}

const char *
oob_report_type_to_string (OobReportType type)
{
  static const char *const names[] = {
    [OOB_REPORT_UNKNOWN] = "unknown",     [OOB_REPORT_DSN] = "dsn",
    [OOB_REPORT_BOUNCE] = "bounce",       [OOB_REPORT_FEEDBACK] = "feedback",
    [OOB_REPORT_AUTOREPLY] = "autoreply",
  };
  return names[type];
}
