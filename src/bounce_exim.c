/* bounce_exim.c - Exim's plain-text bounces and delay warnings (Exim 3 and
 * 4, as sent when no multipart/report is configured).
 *
 * Shape: "This message was created automatically by mail delivery
 * software.", then "The following address(es) failed:" (a bounce), "...
 * recipient addresses that were incorrectly constructed:" (addresses it
 * could not parse), "The NAME router encountered the following error(s):"
 * (a forward or filter file that failed) or "The address(es) to which the
 * message has not yet been delivered is/are:" (a delay warning); per
 * recipient an address line indented by two spaces, its reason after a
 * colon on the same line or on lines indented further ("SMTP error from remote mail server
 * after RCPT TO:...", "host mx.example.net [192.0.2.1]: 550 ...",
 * "Unrouteable address", "retry timeout exceeded", "Delay reason: ...");
 * then "------ This is a copy of the message, including all the headers.
 * ------" and the original message, which is cut off.  Local deliveries
 * listed as pipes or files are not addresses and are skipped; an address
 * a router hides is listed as "an undisclosed address" with "(generated
 * from ADDRESS)" under it, and that address is the recipient.  When the list
 * cannot be read, the X-Failed-Recipients header names the recipients.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"

static OobPattern re_exim_software = OOB_PATTERN (
  "^This message was created automatically by mail delivery software", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_exim_subject = OOB_PATTERN (
  "^(?:Mail delivery failed|Warning: message \\S+ delayed)", PCRE2_CASELESS);
static OobPattern re_exim_failed = OOB_PATTERN (
  "(?:following\\s+address\\(es\\)\\s+failed|recipient\\s+addresses\\s+that\\s+were\\s+incorrectly\\s+constructed|"
  "\\brouter\\s+encountered\\s+the\\s+following\\s+error\\(s\\)):[ \\t]*\\n", PCRE2_CASELESS);
static OobPattern re_exim_delayed = OOB_PATTERN (
  "address(?:\\(es\\)|es)?\\s+to\\s+which\\s+the\\s+message\\s+has\\s+not\\s+yet\\s+been\\s+delivered\\s+(?:is|are):[ \\t]*\\n",
  PCRE2_CASELESS);
static OobPattern re_exim_original = OOB_PATTERN (
  "^-{3,} ?(?:This is a copy of|The body of the message is|The message is)", PCRE2_MULTILINE | PCRE2_CASELESS);
/* "  address", "  address <the address it came from>:", "  address: reason". */
static OobPattern re_exim_address = OOB_PATTERN (
  "^( {0,3}|\\t)<?([^\\s<>@|/]+@[^\\s<>@:]+?)>?(?:\\s+<([^<>]*)>)?(?::\\s*(.*?))?\\s*$", 0);
static OobPattern re_exim_generated = OOB_PATTERN ("^\\s*\\((?:ultimately )?generated from [^)]*\\)\\s*$", 0);
/* An address a router hides from the sender, and the one it came from. */
static OobPattern re_exim_undisclosed = OOB_PATTERN ("^( {0,3})an undisclosed address\\s*$", PCRE2_CASELESS);
static OobPattern re_exim_generated_from = OOB_PATTERN (
  "^\\s*\\((?:ultimately )?generated from:?\\s+<?([^\\s<>@()]+@[^\\s<>@()]+?)>?\\)\\s*$", 0);

static gsize
indentation (const char *line)
{
  gsize n = 0;
  for (; line[n] == ' ' || line[n] == '\t'; n++)
    ;
  return n;
}

/* Reads the recipient list that follows the list intro.  An entry is an
 * address, or "an undisclosed address" standing for the address it was
 * generated from; the lines indented under it give the reason. */
static void
read_list (const char *list, const char *action, OobReport *report)
{
  g_auto (GStrv) lines = g_strsplit (list, "\n", -1);
  for (gsize i = 0; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      g_autofree char *address = NULL, *parent = NULL;
      GString *reason = g_string_new (NULL);
      if (oob_pattern_match (&re_exim_address, lines[i], &groups))
        {
          address = g_strdup (groups[2]);
          if (groups[3] && *groups[3])
            parent = g_strdup (groups[3]);
          if (*groups[4])
            g_string_append_printf (reason, "%s\n", groups[4]);
        }
      else if (!oob_pattern_match (&re_exim_undisclosed, lines[i], &groups))
        {
          g_string_free (reason, TRUE);
          if (!oob_bounce_blank (lines[i]) && indentation (lines[i]) == 0)
            break; /* the next paragraph: the list is over */
          continue;
        }
      gsize depth = strlen (groups[1]);
      for (; lines[i + 1] && !oob_bounce_blank (lines[i + 1]) && indentation (lines[i + 1]) > depth; i++)
        {
          g_autofree char *origin = oob_pattern_capture (&re_exim_generated_from, lines[i + 1], 1);
          if (address == NULL && origin)
            address = g_steal_pointer (&origin);
          else if (!oob_pattern_match (&re_exim_generated, lines[i + 1], NULL))
            g_string_append_printf (reason, "%s\n", lines[i + 1]);
        }
      g_autofree char *text = g_string_free (reason, FALSE);
      OobRecipient *rcpt = address ? oob_bounce_add_recipient (report, address, text, action) : NULL;
      if (rcpt && parent && rcpt->original_recipient == NULL && g_ascii_strcasecmp (parent, address) != 0)
        rcpt->original_recipient = g_steal_pointer (&parent);
    }
}

/* Falls back on X-Failed-Recipients when the list held no address. */
static void
read_failed_header (OobMessageView *view, const char *list, OobReport *report)
{
  const char *header = g_mime_object_get_header (GMIME_OBJECT (view->message), "X-Failed-Recipients");
  if (header == NULL)
    return;
  g_auto (GStrv) addresses = g_strsplit (header, ",", -1);
  for (char **address = addresses; *address; address++)
    oob_bounce_add_recipient (report, *address, list, "failed");
}

gboolean
oob_bounce_exim (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_is_forward (view))
    return FALSE;
  if (!oob_pattern_match (&re_exim_software, body, NULL) &&
      !oob_pattern_match (&re_exim_subject, view->subject, NULL) &&
      g_mime_object_get_header (GMIME_OBJECT (view->message), "X-Failed-Recipients") == NULL)
    return FALSE;

  g_autofree char *notice = oob_bounce_text_until (body, &re_exim_original);
  const char *action = "failed";
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (&re_exim_failed, notice, &groups))
    {
      g_clear_pointer (&groups, g_strfreev);
      if (!oob_pattern_match (&re_exim_delayed, notice, &groups))
        return FALSE;
      action = "delayed";
    }
  const char *list = strstr (notice, groups[0]) + strlen (groups[0]);
  read_list (list, action, report);
  if (report->recipients->len == 0 && g_str_equal (action, "failed"))
    read_failed_header (view, list, report);
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}
