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

char *
oob_status_refine (const char *status, const char *diagnostic)
{
  g_autofree char *found = oob_status_find (diagnostic);
  if (!oob_status_valid (status))
    return g_steal_pointer (&found);
  if (found && g_str_has_suffix (status, ".0.0") && found[0] == status[0] &&
      !g_str_has_suffix (found, ".0.0"))
    return g_steal_pointer (&found);
  return g_strdup (status);
}
