/* bounce_generic.c - the last resort for plain-text bounces from MTAs no
 * other family knows.  Tried after every fingerprinted family.
 *
 * It needs a mail system's sender (MAILER-DAEMON, postmaster, "Mail
 * Delivery System"), a subject that is not a forward or reply, and a
 * failure statement ("the following addresses had delivery errors",
 * "delivery to the following recipients failed", "could not be delivered
 * to", "unable to deliver"...).  After that statement and before the quoted
 * original message, each line that is only an address (maybe bulleted or in
 * <>) names a failed recipient, with its reason on the same line
 * ("user@domain: 550 ...", "user@domain [User unknown]"), or in the
 * paragraph under it, or else in the reply line elsewhere in the notice
 * that quotes it (or the first SMTP reply line).  A notice that says the
 * message is delayed or will be retried reports delays.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"

static OobPattern re_generic_failure = OOB_PATTERN (
  "following\\s+(?:e-?mail\\s+)?(?:address(?:es|\\(es\\))?|recipients?)|"
  "addresses\\s+had\\s+(?:delivery|permanent|fatal)\\s+errors|"
  "could\\s+not\\s+be\\s+delivered\\s+to|unable\\s+to\\s+deliver|failed\\s+permanently|"
  "undeliverable\\s+to|delivery\\s+(?:has\\s+)?failed\\s+(?:to|for)",
  PCRE2_CASELESS);
static OobPattern re_generic_delayed = OOB_PATTERN (
  "warning message only|has been delayed|(?:is|was) delayed|not yet been delivered|will (?:be )?retr(?:y|ied)",
  PCRE2_CASELESS);
static OobPattern re_generic_original = OOB_PATTERN (
  "^[\\s>]*[-=_*]*\\s*(?:original\\s+message|below\\s+this\\s+line|this\\s+is\\s+a\\s+copy|unsent\\s+message|"
  "message\\s+headers?\\s+follow|returned\\s+message|enclosed\\s+(?:is|are)|included\\s+is|"
  "the\\s+original\\s+message\\s+(?:follows|is\\s+(?:attached|included|below)))|"
  "^(?:Return-Path|Received|Message-ID|DKIM-Signature):\\s",
  PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_generic_recipient = OOB_PATTERN (
  "^\\s*(?:[*\\x{2022}-]\\s+)?<?([^\\s<>()\\[\\]:;,\"]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)>?"
  "\\s*(?::\\s*(.*?)|\\[(.*)\\]|\\((.*)\\))?\\s*$", 0);
static OobPattern re_generic_reply = OOB_PATTERN ("(?:^|[\\s:])[45]\\d\\d[ -]\\S", 0);

static OobPattern re_generic_rule = OOB_PATTERN ("^[\\s=*_-]*$", 0);

/* The reply line of the notice that quotes address, else the first reply line. */
static const char *
reply_line (char **lines, const char *address)
{
  const char *first = NULL;
  for (char **line = lines; *line; line++)
    {
      if (!oob_pattern_match (&re_generic_reply, *line, NULL) ||
          oob_pattern_match (&re_generic_recipient, *line, NULL))
        continue;
      if (strstr (*line, address))
        return *line;
      if (first == NULL)
        first = *line;
    }
  return first;
}

/* The paragraph under a recipient line ("<a>:" then the reason); a lead-in
 * line ending in ':' ("For the following reason:") takes the next one too. */
static char *
following_paragraph (char **line)
{
  GString *out = g_string_new (NULL);
  gboolean lead_in = FALSE;
  for (line++; *line && !oob_pattern_match (&re_generic_recipient, *line, NULL); line++)
    {
      if (oob_bounce_blank (*line))
        {
          if (out->len && !lead_in)
            break;
          continue;
        }
      if (oob_pattern_match (&re_generic_rule, *line, NULL))
        break;
      g_autofree char *text = g_strstrip (g_strdup (*line));
      lead_in = g_str_has_suffix (text, ":");
      if (!lead_in)
        g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, out->len == 0);
}

gboolean
oob_bounce_generic (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_is_forward (view) || !oob_bounce_from_mail_system (view))
    return FALSE;
  g_autofree char *notice = oob_bounce_text_until (oob_view_body (view), &re_generic_original);
  g_auto (GStrv) failure = NULL;
  if (!oob_pattern_match (&re_generic_failure, notice, &failure))
    return FALSE;

  const char *action = oob_pattern_match (&re_generic_delayed, notice, NULL) ? "delayed" : NULL;
  g_auto (GStrv) lines = g_strsplit (strstr (notice, failure[0]), "\n", -1);
  for (char **line = lines + 1; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_generic_recipient, *line, &groups))
        continue;
      const char *reason = *groups[2] ? groups[2] : *groups[3] ? groups[3] : groups[4];
      g_autofree char *paragraph = *reason ? NULL : following_paragraph (line);
      if (paragraph)
        reason = paragraph;
      else if (*reason == '\0')
        reason = reply_line (lines, groups[1]);
      oob_bounce_add_recipient (report, groups[1], reason, action);
    }
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}
