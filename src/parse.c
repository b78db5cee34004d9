/* parse.c - one message in, one report out.
 *
 * Tries the RFC parsers first (DSN, ARF, auto-reply), then the non-standard
 * bounce families registered in bounce.c, and stops at the first that
 * recognises the message.  Whatever recognised it, the returned original
 * message's headers are read here once.
 */
#include "config.h"

#include <string.h>

#include "arf.h"
#include "autoreply.h"
#include "bounce.h"
#include "bounce_text.h"
#include "complaint.h"
#include "derive.h"
#include "mime.h"
#include "parse.h"
#include "pattern.h"
#include "smtp_command.h"
#include "status.h"

static const OobParser rfc_parsers[] = {
  { "rfc3464", oob_dsn_parse },
  { "arf", oob_arf_parse },
  { "jmrp", oob_complaint_parse_jmrp },
  { "amazonses-complaint", oob_complaint_parse_ses },
  { "apple-unsubscribe", oob_complaint_parse_apple_unsubscribe },
  { "rfc3834", oob_autoreply_parse },
};

static const OobParser last_resort_parsers[] = {
  { "rfc3464", oob_dsn_parse_empty },
};

void
oob_view_init (OobMessageView *view, GMimeMessage *message)
{
  g_autofree char *from = oob_mime_first_address (g_mime_object_get_header (GMIME_OBJECT (message), "From"));
  const char *subject = g_mime_message_get_subject (message);
  *view = (OobMessageView) {
    .message = message,
    .subject = subject ? subject : "",
    .from_ = from ? g_ascii_strdown (from, -1) : NULL,
  };
  view->from = view->from_ ? view->from_ : "";
}

void
oob_view_clear (OobMessageView *view)
{
  g_clear_pointer (&view->from_, g_free);
  g_clear_pointer (&view->body_, g_free);
}

const char *
oob_view_body (OobMessageView *view)
{
  if (view->body_ == NULL)
    view->body_ = oob_mime_body_text (view->message);
  return view->body_;
}

static gboolean
is_returned_part (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (ct == NULL)
    return FALSE;
  return GMIME_IS_MESSAGE_PART (part) ||
         g_mime_content_type_is_type (ct, "text", "rfc822-headers") ||
         g_mime_content_type_is_type (ct, "text", "rfc822-header") || /* sic, some feedback loops */
         g_mime_content_type_is_type (ct, "message", "rfc822-headers") ||
         g_mime_content_type_is_type (ct, "message", "global-headers");
}

GMimeObject *
oob_view_returned (OobMessageView *view)
{
  return oob_mime_find (GMIME_OBJECT (view->message), FALSE, is_returned_part, NULL);
}

/* The header block of part, an attached message or its headers alone. */
static GMimeHeaderList *
part_headers (GMimeObject *part)
{
  if (GMIME_IS_MESSAGE_PART (part))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
      GMimeHeaderList *headers = inner ? g_mime_object_get_header_list (GMIME_OBJECT (inner)) : NULL;
      return headers ? g_object_ref (headers) : NULL;
    }
  g_autofree char *text = oob_mime_part_text (part);
  return oob_mime_parse_fields (text, strlen (text));
}

GMimeHeaderList *
oob_view_returned_headers (OobMessageView *view)
{
  GMimeObject *part = oob_view_returned (view);
  return part ? part_headers (part) : NULL;
}

void
oob_parse_returned_headers (OobMessageView *view, OobReport *report)
{
  if (report->orig_headers != NULL)
    return;
  GMimeObject *part = oob_view_returned (view);
  if (part == NULL)
    return;
  if (GMIME_IS_MESSAGE_PART (part))
    view->returned = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
  g_autoptr (GMimeHeaderList) headers = part_headers (part);
  if (headers == NULL)
    return;
  report->orig_headers = g_mime_header_list_to_string (headers, NULL);
  if (report->orig_message_id == NULL)
    {
      const char *id = oob_mime_header (headers, "Message-ID");
      if (id)
        report->orig_message_id = g_mime_utils_decode_message_id (id);
    }
  if (report->orig_from == NULL)
    report->orig_from = g_strdup (oob_mime_header (headers, "From"));
  if (report->orig_to == NULL)
    report->orig_to = g_strdup (oob_mime_header (headers, "To"));
  if (report->orig_subject == NULL)
    report->orig_subject = g_strdup (oob_mime_header (headers, "Subject"));
}

/* A report with no recipient block at all (Postfix's "Delivery report
 * unavailable"), or with one that names no address (no Final-Recipient),
 * whose returned message went to a single address (To: one mailbox, no
 * Cc): that address is the one that failed. */
static void
recipient_from_returned (OobReport *report)
{
  if (report->type != OOB_REPORT_DSN || report->recipients->len > 1 || report->orig_headers == NULL)
    return;
  OobRecipient *rcpt = report->recipients->len ? g_ptr_array_index (report->recipients, 0) : NULL;
  if (rcpt && oob_recipient_address (rcpt) != NULL)
    return;
  g_autoptr (GMimeHeaderList) headers = oob_mime_parse_fields (report->orig_headers, strlen (report->orig_headers));
  g_autofree char *address = oob_bounce_single_recipient (headers);
  if (address == NULL)
    return;
  if (rcpt == NULL)
    {
      rcpt = oob_report_add_recipient (report);
      rcpt->action = g_strdup ("failed");
    }
  rcpt->final_recipient = g_steal_pointer (&address);
}

/* A failure that says nothing usable: the pseudo status of its action,
 * "expired" (SendGrid's non-standard Action) x.0.947, else undefined
 * x.0.900, temporary for a delay.  Successes keep no status. */
static char *
unexplained_status (const char *action)
{
  if (action == NULL || g_ascii_strcasecmp (action, "failed") == 0)
    return g_strdup ("5.0.900");
  if (g_ascii_strcasecmp (action, "expired") == 0)
    return g_strdup ("5.0.947");
  if (g_ascii_strcasecmp (action, "delayed") == 0)
    return g_strdup ("4.0.900");
  return NULL;
}

/* An envelope that expired was removed from the queue: OpenSMTPD reports
 * it in a delay notice ("Action: delayed", "Envelope expired"), yet no
 * further attempt will be made. */
static OobPattern re_envelope_expired = OOB_PATTERN ("(?i)\\benvelope\\s+(?:has\\s+)?expired\\b", 0);

/* Every recipient of a bounce gets a status and an action, stated or derived. */
static void
complete_recipients (OobReport *report)
{
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (g_strcmp0 (rcpt->action, "delayed") == 0 && rcpt->diagnostic &&
          oob_pattern_match (&re_envelope_expired, rcpt->diagnostic, NULL))
        oob_set_string (&rcpt->action, "failed");
      if (rcpt->smtp_code == 0 && rcpt->diagnostic)
        rcpt->smtp_code = oob_smtp_code_find (rcpt->diagnostic);
      if (rcpt->smtp_command == NULL)
        rcpt->smtp_command = oob_smtp_command_find (rcpt->diagnostic);
      if (rcpt->status == NULL && (report->type == OOB_REPORT_DSN || report->type == OOB_REPORT_BOUNCE))
        rcpt->status = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, rcpt->smtp_command);
      if (rcpt->status == NULL && (report->type == OOB_REPORT_DSN || report->type == OOB_REPORT_BOUNCE))
        rcpt->status = unexplained_status (rcpt->action);
      if (rcpt->action == NULL && report->type == OOB_REPORT_BOUNCE)
        rcpt->action = g_strdup (rcpt->status && rcpt->status[0] == '4' ? "delayed" : "failed");
    }
}

gboolean
oob_parser_try (const OobParser *parser, OobMessageView *view, OobReport *report)
{
  if (parser->candidate && !parser->candidate (view))
    return FALSE;
  return parser->parse (view, report);
}

static gboolean
try_parsers (const OobParser *parsers, gsize count, OobMessageView *view, OobReport *report)
{
  for (gsize i = 0; i < count && parsers[i].name; i++)
    {
      if (oob_parser_try (&parsers[i], view, report))
        {
          if (report->parser == NULL)
            report->parser = g_strdup (parsers[i].name);
          return TRUE;
        }
      /* A parser that declined must leave nothing behind. */
      g_ptr_array_set_size (report->recipients, 0);
    }
  return FALSE;
}

OobReport *
oob_parse_message (const char *data, gsize len)
{
  g_autoptr (GMimeMessage) message = oob_mime_parse (data, len);
  return oob_parse_mime (message);
}

OobReport *
oob_parse_mime (GMimeMessage *message)
{
  return oob_parse_mime_returned (message, NULL);
}

OobReport *
oob_parse_mime_returned (GMimeMessage *message, GMimeMessage **returned)
{
  if (returned)
    *returned = NULL;
  OobReport *report = oob_report_new ();
  if (message == NULL)
    return report;

  GDateTime *date = g_mime_message_get_date (message);
  report->written_at = date ? g_date_time_to_unix (date) : 0;

  OobMessageView view;
  oob_view_init (&view, message);

  if (try_parsers (rfc_parsers, G_N_ELEMENTS (rfc_parsers), &view, report) ||
      try_parsers (oob_bounce_parsers, G_MAXSIZE, &view, report) ||
      try_parsers (last_resort_parsers, G_N_ELEMENTS (last_resort_parsers), &view, report))
    {
      oob_bounce_fill_dsn_gaps (&view, report);
      oob_dsn_fill_from_notice (&view, report);
      oob_parse_returned_headers (&view, report);
      recipient_from_returned (report);
      complete_recipients (report);
    }
  else
    report->type = OOB_REPORT_UNKNOWN;
  if (report->note == NULL && oob_mime_too_deep (GMIME_OBJECT (message)))
    report->note = g_strdup_printf ("MIME nested deeper than %d levels; the deeper parts were not read",
                                    OOB_MIME_MAX_DEPTH);

  if (returned && view.returned && report->orig_headers)
    *returned = g_object_ref (view.returned);
  oob_view_clear (&view);
  return report;
}
