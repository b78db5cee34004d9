/* bounce_yahoo.c - Yahoo! Mail (and Yahoo-run domains) failure notices.
 *
 * Yahoo's outbound MTAs send a qmail-like plain-text "Failure Notice":
 * "Sorry, we were unable to deliver your message to the following
 * address.", then per recipient a "<address>:" line followed by what the
 * remote host said (often "Remote host said: 550 5.1.1 ... [RCPT_TO]"),
 * then "--- Below this line is a copy of the message." and the original.
 * The sender domain varies (yahoo.com, regional and partner domains), so
 * the wording of the notice is the fingerprint.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce_provider.h"

static OobPattern re_copy = OOB_PATTERN ("^\\s*-{2,}\\s*Below this line is a copy of the message", PCRE2_CASELESS);
static OobPattern re_intro =
  OOB_PATTERN ("^\\s*Sorry,? we were unable to deliver your message to the following address(es)?", 0);
static OobPattern re_remote_said = OOB_PATTERN ("^\\s*Remote host said:\\s*", 0);
static OobPattern re_leading_code = OOB_PATTERN ("^([245]\\d\\d)(?:[\\s:-]|$)", 0);
static OobPattern re_command = OOB_PATTERN ("\\s*\\[(RCPT_TO|MAIL_FROM|DATA|BODY|CONNECT|EHLO|HELO)\\]\\s*$", 0);

static void
add_recipient (OobReport *report, const char *address, GString *said)
{
  g_autofree char *without_prefix = oob_pattern_replace (&re_remote_said, said->str, "");
  g_autofree char *squashed = oob_provider_squash (without_prefix);
  g_autofree char *diagnostic = oob_pattern_replace (&re_command, squashed, "");
  OobRecipient *rcpt = oob_provider_add (report, address, diagnostic);
  if (rcpt == NULL)
    return;
  /* "550: ..." as well as "550 ...". */
  g_autofree char *code = oob_pattern_capture (&re_leading_code, diagnostic, 1);
  if (code)
    rcpt->smtp_code = atoi (code);
}

/* Sound: re_intro is matched case-sensitively in lines of the notice
 * text, so its fixed words are in that text. */
gboolean
oob_bounce_yahoo_candidate (OobMessageView *view)
{
  return g_str_has_prefix (view->from, "mailer-daemon@") &&
         strstr (oob_view_body (view), "we were unable to deliver your message to the following address");
}

gboolean
oob_bounce_yahoo (OobMessageView *view, OobReport *report)
{
  if (!g_str_has_prefix (view->from, "mailer-daemon@"))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), &re_copy);
  guint i = 0;
  while (lines[i] && !oob_pattern_match (&re_intro, lines[i], NULL))
    i++;
  if (lines[i] == NULL)
    return FALSE;

  g_autofree char *address = NULL;
  g_autoptr (GString) said = g_string_new (NULL);
  for (i++; lines[i]; i++)
    {
      if (oob_provider_is_address_line (lines[i]))
        {
          if (address)
            add_recipient (report, address, said);
          g_free (address);
          address = oob_provider_address (lines[i]);
          g_string_truncate (said, 0);
        }
      else if (address)
        g_string_append_printf (said, "%s\n", lines[i]);
    }
  if (address)
    add_recipient (report, address, said);
  return report->recipients->len > 0;
}
