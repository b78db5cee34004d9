/* arf.c - RFC 5965 Abuse Reporting Format and RFC 6591 auth-failure reports.
 *
 * Owns reading a message/feedback-report part: every field is stored
 * verbatim (oob_report_add_field), Feedback-Type becomes feedback_type,
 * Arrival-Date (or the 0.1 draft's Received-Date) and Reporting-MTA fill
 * the per-message fields.  Reads the 0.1 draft that Yahoo and others still
 * send, a report whose multipart/report lacks the report-type parameter
 * or has a wrong one, and a multipart/report that says
 * report-type=feedback-report but carries only the complained-about
 * message, without its field part (type "other": none is stated), unless
 * its text calls it an authentication failure report (DMARC's forensic
 * reports enclose mail that only claimed our domain).  The
 * complained-about recipients come from every Original-Rcpt-To (else the
 * draft's Removal-Recipient), else from the enclosed message: Microsoft's
 * X-HmXmrOriginalRecipient, else its To: when it names exactly one mailbox;
 * else one recipient without an address is left for the envelope (VERP)
 * to fill.
 */
#include "config.h"

#include <string.h>

#include "arf.h"
#include "mime.h"
#include "pattern.h"

guint
oob_arf_add_addresses (OobReport *report, const char *address_list, guint max)
{
  if (address_list == NULL)
    return 0;
  oob_mime_init ();
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, address_list);
  if (list == NULL)
    return 0;
  guint added = 0;
  for (int i = 0; i < internet_address_list_length (list) && added < max; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      if (!INTERNET_ADDRESS_IS_MAILBOX (address))
        continue;
      const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
      if (addr == NULL || strchr (addr, '@') == NULL || strpbrk (addr, " \t") != NULL)
        continue;
      if (oob_report_is_full (report))
        break;
      OobRecipient *rcpt = oob_report_add_recipient (report);
      rcpt->final_recipient = g_strdup (addr);
      added++;
    }
  return added;
}

static gboolean
is_feedback_part (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  return ct && g_mime_content_type_is_type (ct, "message", "feedback-report");
}

static gboolean
is_text_leaf (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  return GMIME_IS_PART (part);
}

/* The field block of a report part.  Some feedback loops put blank lines
 * before or between the fields: the part is one block, so they go. */
static GMimeHeaderList *
parse_report_fields (GMimeObject *part)
{
  g_autofree char *text = oob_mime_part_text (part);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *block = g_string_sized_new (strlen (text));
  for (char **line = lines; *line; line++)
    {
      const char *c = *line;
      while (g_ascii_isspace (*c))
        c++;
      if (*c == '\0')
        continue;
      g_string_append (block, *line);
      g_string_append_c (block, '\n');
    }
  GMimeHeaderList *fields = oob_mime_parse_fields (block->str, block->len);
  g_string_free (block, TRUE);
  return fields;
}

/* The top part when it is a multipart/report that says
 * report-type=feedback-report, else NULL. */
static GMimeMultipart *
declared_feedback_report (OobMessageView *view)
{
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  GMimeContentType *ct = root ? g_mime_object_get_content_type (root) : NULL;
  const char *report_type = ct ? g_mime_content_type_get_parameter (ct, "report-type") : NULL;
  if (!GMIME_IS_MULTIPART (root) || !g_mime_content_type_is_type (ct, "multipart", "report") ||
      report_type == NULL || g_ascii_strcasecmp (report_type, "feedback-report") != 0)
    return NULL;
  return GMIME_MULTIPART (root);
}

/* What an authentication failure report (RFC 6591, DMARC's forensic
 * reports) says of itself; such a report encloses a message that failed
 * authentication, often one that only claimed our domain. */
static OobPattern re_auth_failure_text = OOB_PATTERN (
  "\\b(?:DMARC|DKIM|SPF)\\b|authentication[- ](?:failure|results?)|\\bforensic\\b", PCRE2_CASELESS);

/* The report's fields: the message/feedback-report part, else, in a
 * declared feedback report, the first part whose text is a field block
 * with Feedback-Type (a mistyped part), else an empty block when the
 * declared report at least carries the complained-about message and its
 * text does not call it an authentication failure report (whose fields,
 * and so its type, are then missing: nobody complained). */
static GMimeHeaderList *
feedback_fields (OobMessageView *view)
{
  GMimeObject *part = oob_mime_find (GMIME_OBJECT (view->message), FALSE, is_feedback_part, NULL);
  if (part)
    return parse_report_fields (part);

  GMimeMultipart *multipart = declared_feedback_report (view);
  if (multipart == NULL)
    return NULL;
  for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
    {
      GMimeObject *leaf = oob_mime_find (g_mime_multipart_get_part (multipart, i), FALSE, is_text_leaf, NULL);
      if (leaf == NULL)
        continue;
      g_autoptr (GMimeHeaderList) fields = parse_report_fields (leaf);
      if (oob_mime_header (fields, "Feedback-Type"))
        return g_steal_pointer (&fields);
    }
  if (oob_view_returned (view) == NULL || oob_pattern_match (&re_auth_failure_text, oob_view_body (view), NULL))
    return NULL;
  return g_mime_header_list_new (NULL);
}

/* "abuse", "Abuse (user clicked spam)" -> "abuse". */
static OobPattern re_feedback_type = OOB_PATTERN ("^\\s*([A-Za-z0-9][A-Za-z0-9_.-]*)", 0);
/* "dns; mx.example.net (comment)" -> "mx.example.net". */
static OobPattern re_mta_name = OOB_PATTERN ("^\\s*(?:[A-Za-z0-9-]+\\s*;)?\\s*([^\\s;()]+)", 0);

static guint
add_recipients_from_fields (OobReport *report, GMimeHeaderList *fields, const char *name)
{
  guint added = 0;
  for (int i = 0; i < g_mime_header_list_get_count (fields); i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (fields, i);
      if (g_ascii_strcasecmp (g_mime_header_get_name (header), name) == 0)
        added += oob_arf_add_addresses (report, g_mime_header_get_value (header), G_MAXUINT);
    }
  return added;
}

guint
oob_arf_add_sole_address (OobReport *report, const char *address_list)
{
  if (address_list == NULL)
    return 0;
  oob_mime_init ();
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, address_list);
  if (list == NULL || internet_address_list_length (list) != 1)
    return 0;
  return oob_arf_add_addresses (report, address_list, 1);
}

guint
oob_arf_add_enclosed_recipient (OobReport *report, GMimeHeaderList *enclosed)
{
  guint added = oob_arf_add_addresses (report, oob_mime_header (enclosed, "X-HmXmrOriginalRecipient"), G_MAXUINT);
  if (added == 0)
    added = oob_arf_add_sole_address (report, oob_mime_header (enclosed, "To"));
  return added;
}

gboolean
oob_arf_parse (OobMessageView *view, OobReport *report)
{
  g_autoptr (GMimeHeaderList) fields = feedback_fields (view);
  if (fields == NULL)
    return FALSE;

  for (int i = 0; i < g_mime_header_list_get_count (fields); i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (fields, i);
      const char *value = g_mime_header_get_value (header);
      g_autofree char *trimmed = g_strstrip (g_strdup (value ? value : ""));
      oob_report_add_field (report, g_mime_header_get_name (header), trimmed);
    }

  g_autofree char *type = oob_pattern_capture (&re_feedback_type, oob_mime_header (fields, "Feedback-Type"), 1);
  g_autofree char *lower_type = g_ascii_strdown (type ? type : "other", -1);
  oob_set_string (&report->feedback_type, lower_type);
  report->type = OOB_REPORT_FEEDBACK;

  const char *arrival = oob_mime_header (fields, "Arrival-Date");
  if (arrival == NULL)
    arrival = oob_mime_header (fields, "Received-Date");
  g_autofree char *arrival_date = arrival ? g_strstrip (g_strdup (arrival)) : NULL;
  oob_set_string (&report->arrival_date, arrival_date);
  g_autofree char *reporting_mta = oob_pattern_capture (&re_mta_name, oob_mime_header (fields, "Reporting-MTA"), 1);
  oob_set_string (&report->reporting_mta, reporting_mta);

  if (add_recipients_from_fields (report, fields, "Original-Rcpt-To") == 0 &&
      add_recipients_from_fields (report, fields, "Removal-Recipient") == 0)
    {
      g_autoptr (GMimeHeaderList) enclosed = oob_view_returned_headers (view);
      oob_arf_add_enclosed_recipient (report, enclosed);
    }
  if (report->recipients->len == 0)
    oob_report_add_recipient (report);
  return TRUE;
}
