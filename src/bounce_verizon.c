/* bounce_verizon.c - Verizon Wireless e-mail-to-SMS/MMS gateway notices.
 *
 * Two gateways answer with plain text:
 *  - the MMS gateway (vzwpix.com, "MMSC NDR Administrator"): "Message could
 *    not be delivered to mobile." and "Error: ...", the failed number only
 *    in the To: of the summary under "Original Message:";
 *  - the SMS gateway (vtext.com, post_master@): "Error: ...", "Error message
 *    below:" with the reply, then "Message details:" whose "RCPT TO:" names
 *    the recipient.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_provider.h"

static OobPattern re_mms_intro = OOB_PATTERN ("^\\s*Message could not be delivered to mobile", PCRE2_CASELESS);
static OobPattern re_error = OOB_PATTERN ("^\\s*Error:\\s*(.+)$", 0);
static OobPattern re_original = OOB_PATTERN ("^\\s*Original Message:\\s*$", PCRE2_CASELESS);
static OobPattern re_to = OOB_PATTERN ("^\\s*To:\\s*(.+)$", PCRE2_CASELESS);
static OobPattern re_error_below = OOB_PATTERN ("^\\s*Error message below:\\s*$", PCRE2_CASELESS);
static OobPattern re_details = OOB_PATTERN ("^\\s*Message details:\\s*$", PCRE2_CASELESS);
static OobPattern re_rcpt_to = OOB_PATTERN ("^\\s*RCPT TO:\\s*(.+)$", PCRE2_CASELESS);

static gboolean
from_domain (OobMessageView *view, const char *domain)
{
  const char *own = oob_provider_from_domain (view);
  return strcmp (own, domain) == 0 || (g_str_has_suffix (own, domain) && own[strlen (own) - strlen (domain) - 1] == '.');
}

static gboolean
parse_mms (GStrv lines, OobReport *report)
{
  g_autofree char *error = NULL, *address = NULL;
  gboolean intro = FALSE, original = FALSE;
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *value = NULL;
      if (oob_pattern_match (&re_mms_intro, lines[i], NULL))
        intro = TRUE;
      else if (oob_pattern_match (&re_original, lines[i], NULL))
        original = TRUE;
      else if (!original && error == NULL && (value = oob_pattern_capture (&re_error, lines[i], 1)))
        error = g_steal_pointer (&value);
      else if (original && address == NULL && (value = oob_pattern_capture (&re_to, lines[i], 1)))
        address = oob_provider_address (value);
    }
  if (!intro || address == NULL)
    return FALSE;
  oob_provider_add (report, address, error);
  return TRUE;
}

static gboolean
parse_sms (GStrv lines, OobReport *report)
{
  g_autoptr (GString) reply = g_string_new (NULL);
  g_autofree char *error = NULL, *address = NULL;
  gboolean below = FALSE, details = FALSE;
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *value = NULL;
      if (oob_pattern_match (&re_error_below, lines[i], NULL))
        below = TRUE;
      else if (oob_pattern_match (&re_details, lines[i], NULL))
        details = TRUE;
      else if (details && address == NULL && (value = oob_pattern_capture (&re_rcpt_to, lines[i], 1)))
        address = oob_provider_address (value);
      else if (below && !details)
        g_string_append_printf (reply, "%s\n", lines[i]);
      else if (!below && error == NULL && (value = oob_pattern_capture (&re_error, lines[i], 1)))
        error = g_steal_pointer (&value);
    }
  if (!below || address == NULL)
    return FALSE;
  g_autofree char *diagnostic = g_strdup_printf ("%s %s", reply->str, error ? error : "");
  oob_provider_add (report, address, diagnostic);
  return TRUE;
}

gboolean
oob_bounce_verizon (OobMessageView *view, OobReport *report)
{
  gboolean mms = from_domain (view, "vzwpix.com");
  if (!mms && !from_domain (view, "vtext.com"))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), NULL);
  return mms ? parse_mms (lines, report) : parse_sms (lines, report);
}
