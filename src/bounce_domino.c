/* bounce_domino.c - IBM/HCL Lotus Notes and Domino plain-text bounces.
 *
 * Notes (the old Lotus SMTP MTA): Subject "Undeliverable message", a
 * "------- Failure Reasons --------" block in which each reason line is
 * followed by the address it applies to, then "------- Returned Message
 * --------" and the original as text.  Where the reasons name the
 * recipient by its Notes name only ("Ann Lee/Sales/Example"), the returned
 * message's single To: address (no Cc) is the one that failed.
 * Domino: Subject "DELIVERY FAILURE: ..." (or DELIVERY_FAILURE), body
 * "Your message ... was not delivered to: <addresses> because: <reason>".
 * Domino bounces that carry a delivery-status part are read by the RFC
 * parser before these run.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "mime.h"
#include "plaintext.h"

static OobPattern re_notes_subject = OOB_PATTERN ("^\\s*Undeliverable message", PCRE2_CASELESS);
static OobPattern re_notes_reasons = OOB_PATTERN ("^-{3,}\\s*Failure Reasons\\s*-{3,}", PCRE2_CASELESS);
static OobPattern re_notes_returned = OOB_PATTERN ("^-{3,}\\s*Returned Message\\s*-{3,}", PCRE2_CASELESS);

/* The returned message's To: when it names one address and there is no
 * Cc: that address failed, for the reasons given. */
static void
recipient_of_returned (const char *body, const char *reasons, OobReport *report)
{
  g_autofree char *returned = oob_plain_after (body, &re_notes_returned);
  if (returned == NULL)
    return;
  g_autoptr (GMimeHeaderList) headers = oob_mime_parse_fields (returned, strlen (returned));
  g_autofree char *address = oob_bounce_single_recipient (headers);
  if (address)
    oob_plain_add (report, address, reasons);
}

gboolean
oob_bounce_notes (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_notes_subject, view->subject, NULL))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_notes_reasons, &re_notes_returned);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  GString *reason = g_string_new (NULL);
  for (char **line = lines; *line; line++)
    {
      if (oob_plain_is_address_line (*line))
        {
          g_autofree char *address = oob_plain_address (*line);
          if (address)
            oob_plain_add (report, address, reason->str);
          g_string_truncate (reason, 0);
        }
      else if (**line)
        g_string_append_printf (reason, "%s\n", *line);
    }
  if (report->recipients->len == 0)
    recipient_of_returned (oob_view_body (view), reason->str, report);
  g_string_free (reason, TRUE);
  return oob_plain_finish (report);
}

static OobPattern re_domino_subject = OOB_PATTERN ("^\\s*DELIVERY[ _]FAILURE:", PCRE2_CASELESS);
static OobPattern re_domino_not_delivered = OOB_PATTERN ("^\\s*was not delivered to:\\s*$", PCRE2_CASELESS);
static OobPattern re_domino_because = OOB_PATTERN ("^\\s*because:\\s*$", PCRE2_CASELESS);
/* After the reason: a blank line then anything, or a returned-copy rule. */
static OobPattern re_domino_reason_end = OOB_PATTERN ("^\\s*$|^-{3,}", 0);

gboolean
oob_bounce_domino (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_domino_subject, view->subject, NULL))
    return FALSE;
  g_autofree char *targets = oob_plain_after (oob_view_body (view), &re_domino_not_delivered);
  if (targets == NULL)
    return FALSE;
  g_autofree char *addresses = oob_plain_cut (targets, &re_domino_because);
  g_autofree char *after_because = oob_plain_after (targets, &re_domino_because);
  if (after_because == NULL)
    return FALSE;
  /* The reason is the first paragraph after "because:". */
  const char *start = after_because;
  while (*start == '\n' || *start == ' ' || *start == '\t' || *start == '\r')
    start++;
  g_autofree char *reason = oob_plain_cut (start, &re_domino_reason_end);
  g_auto (GStrv) lines = g_strsplit (addresses, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_autofree char *address = oob_plain_address (*line);
      if (address)
        oob_plain_add (report, address, reason);
    }
  return oob_plain_finish (report);
}
