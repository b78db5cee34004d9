/* status.c - reading SMTP reply codes and enhanced status codes out of text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "status.h"

/* x.y.z not glued to other digits or dots (so 10.5.1.1 is not 5.1.1). */
static OobPattern re_status = OOB_PATTERN ("(?<![\\d.])([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d]|\\.\\d)", 0);
static OobPattern re_code_before_status = OOB_PATTERN ("(?<![\\d.])([245]\\d\\d)[ -]+#?[245]\\.\\d{1,3}\\.\\d{1,3}(?![\\d]|\\.\\d)", 0);
static OobPattern re_code_at_line = OOB_PATTERN ("(?m)^[\\s>]*(?:\\S+;\\s*)?([245]\\d\\d)(?:[ -]|$)", 0);
static OobPattern re_status_valid = OOB_PATTERN ("^[245]\\.\\d{1,3}\\.\\d{1,3}$", 0);

char *
oob_status_find (const char *text)
{
  return oob_pattern_capture (&re_status, text, 1);
}

int
oob_smtp_code_find (const char *text)
{
  g_autofree char *code = oob_pattern_capture (&re_code_before_status, text, 1);
  if (code == NULL)
    code = oob_pattern_capture (&re_code_at_line, text, 1);
  return code ? atoi (code) : 0;
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
  if (found == NULL || g_str_has_suffix (found, ".0.0"))
    return g_strdup (status);
  char reply_class = smtp_code >= 200 && smtp_code < 600 ? (char) ('0' + smtp_code / 100) : 0;
  if (found[0] == status[0] || (reply_class && found[0] == reply_class && status[0] != reply_class))
    return g_steal_pointer (&found);
  return g_strdup (status);
}
