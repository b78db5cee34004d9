/* bounce_gmx.c - GMX, mail.com, WEB.DE and 1&1 (IONOS) failure notices.
 *
 * The United Internet mail platform (GMX, mail.com, WEB.DE, 1&1's
 * kundenserver.de) sends an Exim-like text: "This message was created
 * automatically by mail delivery software. ... The following address(es)
 * failed:", then per recipient an address line ("a@b", "\"a@b\":") and the
 * reason: "SMTP error from remote server after RCPT command: host: mx...
 * 550 ..." or, when it gave up itself ("<a@b>", "Reason:", "delivery
 * retry timeout exceeded") or for 1&1 ("For the following reason:"), the
 * text under its label.  The original's headers follow "--- The header
 * of the original message is following. ---", which is the fingerprint
 * that sets it apart from Exim.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "bounce_provider.h"

static OobPattern re_header_follows =
  OOB_PATTERN ("^\\s*-{2,}\\s*The header of the original message is following\\.?\\s*-{2,}", PCRE2_CASELESS);
static OobPattern re_automatic = OOB_PATTERN ("created automatically by mail delivery software", PCRE2_CASELESS);
static OobPattern re_failed = OOB_PATTERN ("(^|\\s)failed:\\s*$", 0);
static OobPattern re_reason_label = OOB_PATTERN ("^\\s*(?:For the following reason|Reason):\\s*$", PCRE2_CASELESS);

/* The fixed words of re_header_follows, anywhere in the text. */
static OobPattern re_header_follows_words =
  OOB_PATTERN ("The header of the original message is following", PCRE2_CASELESS);

/* Sound: the notice must have a line matching re_header_follows, and
 * such a line holds a match of its fixed words (same flags). */
gboolean
oob_bounce_gmx_candidate (OobMessageView *view)
{
  return g_str_has_prefix (view->from, "mailer-daemon@") &&
         oob_pattern_match (&re_header_follows_words, oob_view_body (view), NULL);
}

gboolean
oob_bounce_gmx (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!g_str_has_prefix (view->from, "mailer-daemon@"))
    return FALSE;
  const char *body = oob_view_body (view);
  g_auto (GStrv) all = oob_provider_lines (body, NULL);
  g_auto (GStrv) lines = oob_provider_lines (body, &re_header_follows);
  /* The marker must be there: without it this is some other Exim-like text. */
  if (g_strv_length (lines) == g_strv_length (all))
    return FALSE;
  g_autofree char *notice = g_strjoinv (" ", lines);
  if (!oob_pattern_match (&re_automatic, notice, NULL))
    return FALSE;

  guint i = 0;
  while (lines[i] && !oob_pattern_match (&re_failed, lines[i], NULL))
    i++;
  if (lines[i] == NULL)
    return FALSE;
  g_autofree char *address = NULL;
  g_autoptr (GString) detail = g_string_new (NULL);
  for (i++; lines[i]; i++)
    {
      if (oob_provider_is_address_line (lines[i]))
        {
          if (address)
            oob_provider_add_smtp_error (report, address, detail->str);
          g_free (address);
          address = oob_provider_address (lines[i]);
          g_string_truncate (detail, 0);
        }
      else if (address && !oob_pattern_match (&re_reason_label, lines[i], NULL))
        g_string_append_printf (detail, "%s\n", lines[i]);
    }
  if (address)
    oob_provider_add_smtp_error (report, address, detail->str);
  return report->recipients->len > 0;
}
