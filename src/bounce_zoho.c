/* bounce_zoho.c - Zoho Mail failure and delay notices.
 *
 * mailer-daemon@mail.zoho.com (and Zoho's regional domains) writes either
 * one line per recipient, "a@b Invalid Address, ERROR_CODE :550,
 * ERROR_CODE :Requested action not taken ...", or, in delay warnings
 * ("THIS IS A WARNING MESSAGE ONLY", "Message will be retried"), a
 * bracketed "[Status: Error, Address: <a@b>, ResponseCode 421, , Host not
 * reachable.]".  A recipient's line may be broken quoted-printable style
 * ("=" at its end) in text not labelled so.  The original's headers follow
 * in the same text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "bounce_provider.h"

static OobPattern re_zoho_domain = OOB_PATTERN ("(^|\\.)zoho(mail)?\\.[a-z.]+$", 0);
static OobPattern re_error_line = OOB_PATTERN ("^\\s*(\\S+@\\S+)\\s+(.*?ERROR_CODE\\s*:.*)$", 0);
static OobPattern re_error_code = OOB_PATTERN ("ERROR_CODE\\s*:\\s*(\\d{3})\\b", 0);
static OobPattern re_error_label = OOB_PATTERN ("ERROR_CODE\\s*:", 0);
static OobPattern re_status_line =
  OOB_PATTERN ("\\[Status:\\s*\\w+,\\s*Address:\\s*<([^>]+)>,\\s*ResponseCode\\s*(\\d{3})?[\\s,]*(.*?)\\]", 0);
static OobPattern re_warning = OOB_PATTERN ("^\\s*(THIS IS A WARNING MESSAGE ONLY|Message will be retried)", 0);
static OobPattern re_unreachable = OOB_PATTERN ("host not reachable|connection (timed out|refused)", PCRE2_CASELESS);

/* "Invalid Address, ERROR_CODE :550, ERROR_CODE :text" -> "Invalid Address, text". */
static char *
error_text (const char *line)
{
  g_autofree char *marked = oob_pattern_replace (&re_error_label, line, "\x01");
  g_auto (GStrv) pieces = g_strsplit (marked, "\x01", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  for (guint i = 0; pieces[i]; i++)
    {
      char *piece = g_strstrip (pieces[i]);
      while (g_str_has_suffix (piece, ","))
        piece[strlen (piece) - 1] = '\0';
      g_strstrip (piece);
      if (*piece && !(strlen (piece) == 3 && g_ascii_isdigit (piece[0])))
        g_ptr_array_add (kept, piece);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (", ", (GStrv) kept->pdata);
}

static void
add_recipient (OobReport *report, const char *address, int code, const char *text, gboolean delayed)
{
  g_autofree char *bare = oob_provider_address (address);
  if (bare == NULL)
    return;
  g_autofree char *diagnostic = code ? g_strdup_printf ("%d %s", code, text) : g_strdup (text);
  OobRecipient *rcpt = oob_provider_add (report, bare, diagnostic);
  if (rcpt == NULL)
    return;
  rcpt->smtp_code = code;
  oob_set_string (&rcpt->action, delayed ? "delayed" : "failed");
  /* Zoho gives up on a host it could not reach after retrying: expired. */
  if (code / 100 == 4 && oob_pattern_match (&re_unreachable, text, NULL))
    oob_set_string (&rcpt->status, "4.0.947");
}

/* Zoho may send quoted-printable text labelled 7bit: a recipient's line
 * it broke ends with "=" and goes on in the next, joined to it here (the
 * line taken is left empty). */
static OobPattern re_recipient_start = OOB_PATTERN ("^\\s*\\S+@\\S+\\s", 0);

static void
join_soft_breaks (GStrv lines)
{
  for (guint i = 0; lines[i]; i++)
    {
      if (!oob_pattern_match (&re_recipient_start, lines[i], NULL))
        continue;
      for (guint j = i + 1; g_str_has_suffix (lines[i], "=") && lines[j] && *lines[j]; j++)
        {
          lines[i][strlen (lines[i]) - 1] = '\0';
          char *joined = g_strconcat (lines[i], lines[j], NULL);
          g_free (lines[i]);
          lines[i] = joined;
          lines[j][0] = '\0';
        }
    }
}

gboolean
oob_bounce_zoho (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!g_str_has_prefix (view->from, "mailer-daemon@") ||
      !oob_pattern_match (&re_zoho_domain, oob_provider_from_domain (view), NULL))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), NULL);
  join_soft_breaks (lines);
  gboolean delayed = FALSE;
  for (guint i = 0; lines[i]; i++)
    delayed = delayed || oob_pattern_match (&re_warning, lines[i], NULL);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_status_line, lines[i], &groups))
        add_recipient (report, groups[1], atoi (groups[2]), groups[3], delayed);
      else if (oob_pattern_match (&re_error_line, lines[i], &groups))
        {
          g_autofree char *code = oob_pattern_capture (&re_error_code, groups[2], 1);
          g_autofree char *text = error_text (groups[2]);
          add_recipient (report, groups[1], code ? atoi (code) : 0, text, delayed);
        }
    }
  return report->recipients->len > 0;
}
