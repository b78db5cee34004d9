/* status.c - reading SMTP reply codes and enhanced status codes out of text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "status.h"

/* Enhanced status codes in a text, most telling first: qmail's "(#5.1.1)",
 * one a reply code introduces ("550 5.1.1", "550-#5.1.1"), any failure
 * code, a success code last (a transcript's "250 2.1.0 Ok" before the
 * refusal says nothing of the failure).  Never glued to other digits or
 * dots (10.5.1.1 is an IP address, not 5.1.1); the subject is one digit
 * (RFC 3463 defines 0 to 7), so versions such as 5.10.2 or Apache 2.4.41
 * are none. */
#define STATUS_END "(?![\\d]|\\.\\d)"
static OobPattern re_statuses[] = {
  OOB_PATTERN ("\\(#([245]\\.\\d\\.\\d{1,3})" STATUS_END, 0),
  OOB_PATTERN ("(?<![\\d.])[245]\\d\\d[ -]#?([45]\\.\\d\\.\\d{1,3})" STATUS_END, 0),
  OOB_PATTERN ("(?<![\\d.])([45]\\.\\d\\.\\d{1,3})" STATUS_END, 0),
  OOB_PATTERN ("(?<![\\d.])(2\\.[0-7]\\.[0-7])" STATUS_END, 0),
};
/* Reply codes in a text, a failure's before a success's (a transcript's
 * "250 2.1.5 Recipient ok" before the refusal is not the reply that
 * failed): one directly before an enhanced code, then one at the start of
 * the text or of a line, then one the words introduce ("host H said: 501
 * ...", in RFC 5321's 4yz/5yz categories x0z to x5z). */
static OobPattern re_codes[] = {
  OOB_PATTERN ("(?<![\\d.])([45]\\d\\d)[ -]+#?[45]\\.\\d{1,3}\\.\\d{1,3}(?![\\d]|\\.\\d)", 0),
  OOB_PATTERN ("(?m)^(?:[^\\S\\n]|>)*(?:\\S+;\\s*)?([45]\\d\\d)(?:[ -]|$)", 0),
  OOB_PATTERN ("(?i)\\b(?:said|replied|answered|responded|response|reply|error)\\s*:\\s*([45][0-5]\\d)(?:[ -]|$)", 0),
  OOB_PATTERN ("(?<![\\d.])([245]\\d\\d)[ -]+#?[245]\\.\\d{1,3}\\.\\d{1,3}(?![\\d]|\\.\\d)", 0),
  OOB_PATTERN ("(?m)^(?:[^\\S\\n]|>)*(?:\\S+;\\s*)?([245]\\d\\d)(?:[ -]|$)", 0),
};
static OobPattern re_status_valid = OOB_PATTERN ("^[245]\\.\\d{1,3}\\.\\d{1,3}$", 0);

char *
oob_status_find (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (re_statuses); i++)
    {
      char *found = oob_pattern_capture (&re_statuses[i], text, 1);
      if (found)
        return found;
    }
  return NULL;
}

int
oob_smtp_code_find (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (re_codes); i++)
    {
      g_autofree char *code = oob_pattern_capture (&re_codes[i], text, 1);
      if (code)
        return atoi (code);
    }
  return 0;
}

char *
oob_status_from_code (int code)
{
  if (code >= 200 && code < 600 && code / 100 != 3)
    return g_strdup_printf ("%d.0.0", code / 100);
  return NULL;
}

gboolean
oob_status_valid (const char *status)
{
  return status && oob_pattern_match (&re_status_valid, status, NULL);
}

/* A status right after a reply code ("550 5.7.1", "550-'5.2.2") is a
 * server's reply; where a reply quotes another, the last one is the
 * innermost, the remote server's own. */
static OobPattern re_replied_status = OOB_PATTERN ("(?<![\\d.])[245]\\d\\d[ -]+['\"#]?([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d]|\\.\\d)", 0);

static char *
diagnostic_status (const char *diagnostic)
{
  if (diagnostic == NULL)
    return NULL;
  g_auto (GStrv) replied = oob_pattern_capture_all (&re_replied_status, diagnostic, 1);
  guint n = replied ? g_strv_length (replied) : 0;
  if (n)
    return g_strdup (replied[n - 1]);
  return oob_status_find (diagnostic);
}

char *
oob_status_refine (const char *status, const char *diagnostic, int smtp_code)
{
  g_autofree char *found = diagnostic_status (diagnostic);
  if (!oob_status_valid (status))
    return g_steal_pointer (&found);
  /* x.y.0 is RFC 3463's "other or undefined" status of its subject: it
   * says less than a stated code with a detail (5.7.0 after 5.7.1). */
  if (found == NULL || g_str_has_suffix (found, ".0.0") ||
      (g_str_has_suffix (found, ".0") && !g_str_has_suffix (status, ".0")))
    return g_strdup (status);
  char reply_class = smtp_code >= 200 && smtp_code < 600 ? (char) ('0' + smtp_code / 100) : 0;
  if (found[0] == status[0] || (reply_class && found[0] == reply_class && status[0] != reply_class))
    return g_steal_pointer (&found);
  return g_strdup (status);
}
