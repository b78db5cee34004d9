/* bounce_mda.c - rejections sent by the delivery agent, after the MTA had
 * accepted the message: Dovecot's LDA and LMTP (over quota, no such
 * mailbox) and Pigeonhole Sieve's "reject" action.
 *
 * Shape: a multipart/report with report-type=disposition-notification
 * (RFC 8098), not delivery-status: a text part "Your message to <address>
 * was automatically rejected:" and the reason on the lines after it; a
 * message/disposition-notification part with "Reporting-UA: host; Dovecot
 * Mail Delivery Agent" (or the Sieve interpreter), "Final-Recipient:
 * rfc822; address" and "Disposition: automatic-action/MDN-sent-
 * automatically; deleted"; then the original.  A read receipt is an MDN
 * too, so one is taken for a rejection only when it was sent automatically
 * for a message deleted unread and either its text or its Reporting-UA
 * says a delivery agent sent it.  Cyrus lmtpd's Sieve "reject" is the same
 * shape: "Your message was automatically rejected by Sieve, a mail
 * filtering language.", "The following reason was given:" and the
 * script's words, "Reporting-UA: host; Cyrus v3.x" (Cyrus's name alone is
 * not enough: a JMAP client's read receipt goes out under it too).
 *
 * Also the words local delivery agents write when they fail, which an MTA's
 * notice quotes in its transcript while its report gives only its own
 * summary ("554 <a>... Service unavailable", "unknown mailer error 73") or
 * the agent's exit status ("X-Unix; 73"): "mail.local: unknown user: a",
 * "procmail: Quota exceeded while writing ...", "maildrop: maildir over
 * quota.", vpopmail's "vdelivermail: ..." and vmailmgr's "vdeliver: ..."
 * (oob_mda_agent_message, read by bounce_fill.c).
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "mime.h"
#include "plaintext.h"

static OobPattern re_mda_deleted = OOB_PATTERN (
  "^\\s*automatic-action\\s*/\\s*MDN-sent-automatically\\s*;\\s*deleted\\b", PCRE2_CASELESS);
static OobPattern re_mda_agent = OOB_PATTERN ("\\b(?:Dovecot|Pigeonhole|Sieve)\\b", PCRE2_CASELESS);
/* Cyrus is an IMAP and JMAP server too, whose users' clients send read
 * receipts through it: its name shows a delivery agent's rejection only
 * with the agent's words. */
static OobPattern re_mda_cyrus = OOB_PATTERN ("\\bCyrus\\b", PCRE2_CASELESS);
static OobPattern re_mda_rejection_words = OOB_PATTERN ("\\bautomatically\\s+rejected\\b", PCRE2_CASELESS);
static OobPattern re_mda_host = OOB_PATTERN ("^\\s*([A-Za-z0-9][A-Za-z0-9.-]*)\\s*;", 0);
static OobPattern re_mda_rejected = OOB_PATTERN (
  "^[^\\S\\n]*Your message to\\s+<?([^\\s<>]+@[^\\s<>]+?)>?\\s+was automatically rejected:[ \\t]*(.*)$",
  PCRE2_CASELESS | PCRE2_MULTILINE);

/* The reason: what follows the "was automatically rejected:" line (and
 * ends it), else the whole notice. */
static char *
rejection_reason (const char *notice, char **address)
{
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (&re_mda_rejected, notice, &groups))
    return oob_bounce_unfold (notice);
  *address = g_strdup (groups[1]);
  const char *after = strstr (notice, groups[0]) + strlen (groups[0]);
  g_autofree char *reason = g_strconcat (groups[2], "\n", after, NULL);
  return oob_bounce_unfold (reason);
}

gboolean
oob_bounce_dovecot (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  GMimeObject *part = root ? oob_mime_find_type (root, "message", "disposition-notification") : NULL;
  if (part == NULL || !GMIME_IS_PART (part))
    return FALSE;
  g_autofree char *text = oob_mime_part_text (part);
  g_autoptr (GMimeHeaderList) fields = oob_mime_parse_fields (text, strlen (text));
  if (fields == NULL || !oob_pattern_match (&re_mda_deleted, oob_mime_header (fields, "Disposition"), NULL))
    return FALSE;

  g_autofree char *named = NULL;
  g_autofree char *reason = rejection_reason (oob_view_body (view), &named);
  const char *agent = oob_mime_header (fields, "Reporting-UA");
  if (named == NULL && !oob_pattern_match (&re_mda_agent, agent, NULL) &&
      !(oob_pattern_match (&re_mda_cyrus, agent, NULL) &&
        oob_pattern_match (&re_mda_rejection_words, oob_view_body (view), NULL)))
    return FALSE;
  const char *final = oob_mime_header (fields, "Final-Recipient");
  g_autofree char *address = final ? oob_dsn_address (final) : g_steal_pointer (&named);
  OobRecipient *rcpt = address ? oob_plain_add (report, address, reason) : NULL;
  if (rcpt == NULL)
    return FALSE;
  const char *original = oob_mime_header (fields, "Original-Recipient");
  if (original && rcpt->original_recipient == NULL)
    rcpt->original_recipient = oob_dsn_address (original);
  if (report->reporting_mta == NULL)
    report->reporting_mta = oob_pattern_capture (&re_mda_host, oob_mime_header (fields, "Reporting-UA"), 1);
  return oob_plain_finish (report);
}

/* --- local delivery agents' own words ----------------------------------- */

static OobPattern re_agent_message = OOB_PATTERN (
  "(?m)^[ \\t]*((?:mail\\.local|procmail|maildrop|vdelivermail|vdeliver):[ \\t]+\\S.*?)\\s*$", 0);

char *
oob_mda_agent_message (const char *notice)
{
  return notice ? oob_pattern_capture (&re_agent_message, notice, 1) : NULL;
}

/* TRUE if text names address, or its local part as a word of its own
 * ("unknown user: ann", "/var/mail/ann"). */
static gboolean
names_address (const char *text, const char *address)
{
  g_autofree char *lower_text = g_ascii_strdown (text, -1);
  g_autofree char *lower_address = g_ascii_strdown (address, -1);
  if (strstr (lower_text, lower_address))
    return TRUE;
  char *at = strchr (lower_address, '@');
  if (at == NULL || at == lower_address)
    return FALSE;
  *at = '\0';
  gsize len = strlen (lower_address);
  for (const char *c = strstr (lower_text, lower_address); c; c = strstr (c + 1, lower_address))
    {
      gboolean starts = c == lower_text || !(g_ascii_isalnum (c[-1]) || strchr ("._-+", c[-1]));
      gboolean ends = !(g_ascii_isalnum (c[len]) || (c[len] && strchr ("_-+@", c[len])));
      if (starts && ends)
        return TRUE;
    }
  return FALSE;
}

char *
oob_mda_agent_message_about (const char *notice, const char *address)
{
  if (notice == NULL || address == NULL)
    return NULL;
  g_auto (GStrv) lines = oob_pattern_capture_all (&re_agent_message, notice, 1);
  for (char **line = lines; *line; line++)
    if (names_address (*line, address))
      return g_strdup (*line);
  return NULL;
}
