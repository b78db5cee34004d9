/* bounce_yahoo.c - Yahoo! Mail (and Yahoo-run domains) failure notices.
 *
 * Yahoo's outbound MTAs send a qmail-like plain-text "Failure Notice":
 * "Sorry, we were unable to deliver your message to the following
 * address.", then per recipient a "<address>:" line followed by what the
 * remote host said (often "Remote host said: 550 5.1.1 ... [RCPT_TO]",
 * the bracket naming the command the reply answered),
 * then "--- Below this line is a copy of the message." and the original.
 * When it gives up without a reply to quote it sends a summary instead:
 * "I'm afraid I wasn't able to deliver the following message.", "This is
 * a permanent error; I've given up.", the message's "Subject:" and "To:"
 * lines (the recipients), then the same copy marker.
 * The sender domain varies (yahoo.com, regional and partner domains), so
 * the wording of the notice is the fingerprint.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "bounce_provider.h"
#include "smtp_command.h"

static OobPattern re_copy = OOB_PATTERN ("^\\s*-{2,}\\s*Below this line is a copy of the message", PCRE2_CASELESS);
static OobPattern re_intro =
  OOB_PATTERN ("^\\s*Sorry,? we were unable to deliver your message to the following address(es)?", 0);
static OobPattern re_summary_intro =
  OOB_PATTERN ("^\\s*I(?:'|\u2019)m afraid I wasn(?:'|\u2019)t able to deliver the following message\\.", 0);
static OobPattern re_summary_permanent = OOB_PATTERN ("^\\s*This is a permanent error\\b", 0);
static OobPattern re_summary_to = OOB_PATTERN ("^\\s*To:\\s*(\\S.*)$", 0);
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
  /* "[RCPT_TO]", "[BODY]"...: the command the reply answered. */
  g_autofree char *command = oob_pattern_capture (&re_command, squashed, 1);
  const char *stage = command ? oob_smtp_command_from_name (strcmp (command, "BODY") == 0 ? "DATA" : command) : NULL;
  if (stage)
    rcpt->smtp_command = stage;
  /* "550: ..." as well as "550 ...". */
  g_autofree char *code = oob_pattern_capture (&re_leading_code, diagnostic, 1);
  if (code)
    rcpt->smtp_code = atoi (code);
}

/* Sound: re_intro and re_summary_intro are matched case-sensitively in
 * lines of the notice text, so their fixed words are in that text. */
gboolean
oob_bounce_yahoo_candidate (OobMessageView *view)
{
  const char *body = oob_view_body (view);
  return g_str_has_prefix (view->from, "mailer-daemon@") &&
         (strstr (body, "we were unable to deliver your message to the following address") ||
          strstr (body, "t able to deliver the following message."));
}

/* The summary form, its intro at lines[i]: a permanent failure of every
 * address of its "To:" line. */
static gboolean
read_summary (char **lines, guint i, OobReport *report)
{
  const char *permanent = NULL;
  for (i++; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      if (permanent == NULL && oob_pattern_match (&re_summary_permanent, lines[i], NULL))
        permanent = lines[i];
      else if (permanent && oob_pattern_match (&re_summary_to, lines[i], &groups))
        {
          g_autoptr (InternetAddressList) to = internet_address_list_parse (NULL, groups[1]);
          for (int n = 0; to && n < internet_address_list_length (to); n++)
            {
              InternetAddress *ia = internet_address_list_get_address (to, n);
              if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
                continue;
              g_autofree char *address = oob_provider_address (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
              if (address)
                oob_provider_add (report, address, permanent);
            }
          break;
        }
    }
  return report->recipients->len > 0;
}

gboolean
oob_bounce_yahoo (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!g_str_has_prefix (view->from, "mailer-daemon@"))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), &re_copy);
  guint i = 0;
  while (lines[i] && !oob_pattern_match (&re_intro, lines[i], NULL) && !oob_pattern_match (&re_summary_intro, lines[i], NULL))
    i++;
  if (lines[i] == NULL)
    return FALSE;
  if (!oob_pattern_match (&re_intro, lines[i], NULL))
    return read_summary (lines, i, report);

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
