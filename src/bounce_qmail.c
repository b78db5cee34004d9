/* bounce_qmail.c - qmail-send bounces, as netqmail, qmail-ldap and
 * vpopmail (vdelivermail reasons) setups send them, and those of qmail
 * installations whose greeting was rewritten.  (Clones that open with
 * other words and are not marked as qmail's are bounce_servers.c's
 * "qmailclone".)
 *
 * Shape: an intro paragraph; per recipient a paragraph opening with a line
 * "<user@domain>:" (some setups write "To: <user@domain>:") and the reason
 * lines up to the next blank line; then
 * "--- Below this line is a copy of the message." (or "--- Original message
 * follows.", "--- Enclosed are the original headers of the message.", or
 * the same rule in the site's language) and the original message, which is
 * cut off and never read for recipients.  qmail only writes this notice
 * once it has given up, so every recipient has failed.
 *
 * A notice is qmail's when its intro is qmail-send's own, or, whatever its
 * intro says (sites replace it: apologies, their support number, a line in
 * their language), when it comes from a mail system with what qmail-send
 * stamps on every bounce: the "(qmail N invoked for bounce)" Received line,
 * or its fixed subject "failure notice".
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "plaintext.h"

static OobPattern re_qmail_intro = OOB_PATTERN (
  "^[^\\S\\n]*(?:Hi\\. This is the qmail-send program at|"
  "I'm afraid I wasn't able to deliver your message to the following addresses)",
  PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_qmail_program = OOB_PATTERN ("^Hi\\. This is the qmail-send program at ", PCRE2_MULTILINE);
static OobPattern re_qmail_invoked = OOB_PATTERN ("^\\s*\\(qmail \\d+ invoked for bounce\\)", 0);
static OobPattern re_qmail_subject = OOB_PATTERN ("^\\s*(?:failure notice|Permanent Delivery Failure)\\s*$", PCRE2_CASELESS);
static OobPattern re_qmail_original = OOB_PATTERN (
  "^--- ?(?:Below this line is|Original message follows|Enclosed (?:are|is) the original)",
  PCRE2_MULTILINE | PCRE2_CASELESS);
/* A rewritten notice may word the rule in its own language: any "--- "
 * line ending a sentence. */
static OobPattern re_qmail_any_rule = OOB_PATTERN ("^--- ?\\S[^\\n]*\\.[ \\t]*$", PCRE2_MULTILINE);
/* "<user@domain>:", in some setups "To: <user@domain>:". */
static OobPattern re_qmail_recipient = OOB_PATTERN ("^(?:To\\s*:\\s*)?<([^<>\\s]+@[^<>\\s]+)>:\\s*(.*)$", PCRE2_CASELESS);

/* TRUE if the bounce carries what qmail-send stamps on its notices. */
static gboolean
stamped_by_qmail (OobMessageView *view)
{
  return oob_pattern_match (&re_qmail_subject, view->subject, NULL) ||
         oob_plain_received_matches (view, &re_qmail_invoked);
}

gboolean
oob_bounce_qmail (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  gboolean own_intro = oob_pattern_match (&re_qmail_intro, body, NULL);
  if (own_intro && !oob_bounce_from_mail_system (view) && !oob_pattern_match (&re_qmail_program, body, NULL))
    return FALSE;
  if (!own_intro && !(oob_bounce_from_mail_system (view) && stamped_by_qmail (view)))
    return FALSE;

  g_autofree char *notice = oob_bounce_text_until (body, own_intro ? &re_qmail_original : &re_qmail_any_rule);
  g_auto (GStrv) lines = g_strsplit (notice, "\n", -1);
  for (gsize i = 0; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      g_autofree char *line = g_strchomp (g_strdup (lines[i]));
      /* A recipient opens a paragraph. */
      if ((i > 0 && !oob_bounce_blank (lines[i - 1])) || !oob_pattern_match (&re_qmail_recipient, line, &groups))
        continue;
      GString *reason = g_string_new (groups[2]);
      for (; lines[i + 1] && !oob_bounce_blank (lines[i + 1]); i++)
        g_string_append_printf (reason, "\n%s", lines[i + 1]);
      g_autofree char *text = g_string_free (reason, FALSE);
      oob_bounce_add_recipient (report, groups[1], text, "failed");
    }
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}
