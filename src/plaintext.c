/* plaintext.c - small readers shared by the plain-text bounce families
 * (see plaintext.h). */
#include "config.h"

#include <string.h>

#include "derive.h"
#include "mime.h"
#include "plaintext.h"
#include "smtp_command.h"
#include "status.h"

/* Offset of the first line of text that pattern matches, or -1; *next is
 * set to the offset of the line after it. */
static gssize
find_line (const char *text, OobPattern *pattern, gsize *next)
{
  const char *line = text;
  while (*line)
    {
      const char *end = strchr (line, '\n');
      gsize length = end ? (gsize) (end - line) : strlen (line);
      if (oob_pattern_match_length (pattern, line, length))
        {
          *next = (gsize) (line - text) + length + (end ? 1 : 0);
          return line - text;
        }
      if (end == NULL)
        break;
      line = end + 1;
    }
  return -1;
}

char *
oob_plain_cut (const char *text, OobPattern *end)
{
  gsize next;
  gssize at = find_line (text, end, &next);
  return at < 0 ? g_strdup (text) : g_strndup (text, (gsize) at);
}

char *
oob_plain_after (const char *text, OobPattern *start)
{
  gsize next;
  return find_line (text, start, &next) < 0 ? NULL : g_strdup (text + next);
}

char *
oob_plain_between (const char *text, OobPattern *start, OobPattern *end)
{
  gsize next;
  return find_line (text, start, &next) < 0 ? NULL : oob_plain_cut (text + next, end);
}

static OobPattern re_space_run = OOB_PATTERN ("\\s+", 0);

char *
oob_plain_squash (const char *text)
{
  if (text == NULL)
    return NULL;
  char *squashed = oob_pattern_replace (&re_space_run, text, " ");
  return g_strstrip (squashed);
}

/* An addr-spec as bounce texts print it; GMime then checks and normalises. */
static OobPattern re_address = OOB_PATTERN (
  "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+", 0);

char *
oob_plain_address (const char *text)
{
  g_autofree char *found = oob_pattern_capture (&re_address, text, 0);
  if (found == NULL)
    return NULL;
  g_autofree char *bracketed = g_strdup_printf ("<%s>", found);
  return oob_mime_first_address (bracketed);
}

static OobPattern re_address_line = OOB_PATTERN ("^\\s*<?[^\\s<>@]+@[^\\s<>@]+>?\\s*$", 0);

gboolean
oob_plain_is_address_line (const char *line)
{
  return oob_pattern_match (&re_address_line, line, NULL);
}

OobRecipient *
oob_plain_add (OobReport *report, const char *address, const char *diagnostic)
{
  g_autofree char *window = oob_diagnostic_window (diagnostic);
  g_autofree char *squashed = oob_plain_squash (window);
  gboolean is_new;
  OobRecipient *rcpt = oob_report_recipient_once (report, address, &is_new);
  if (rcpt == NULL || squashed == NULL || *squashed == '\0')
    return rcpt;
  if (rcpt->diagnostic == NULL)
    rcpt->diagnostic = g_steal_pointer (&squashed);
  else if (strlen (rcpt->diagnostic) < OOB_MAX_DIAGNOSTIC && strstr (rcpt->diagnostic, squashed) == NULL)
    {
      /* Said again with more words: keep both. */
      char *joined = g_strconcat (rcpt->diagnostic, " ", squashed, NULL);
      g_free (rcpt->diagnostic);
      rcpt->diagnostic = joined;
    }
  return rcpt;
}

void
oob_plain_add_address_lines (OobReport *report, const char *block, const char *diagnostic)
{
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      if (!oob_plain_is_address_line (*line))
        continue;
      g_autofree char *address = oob_plain_address (*line);
      if (address)
        oob_plain_add (report, address, diagnostic);
    }
}

static OobPattern re_system_sender = OOB_PATTERN (
  "^(?:mailer-daemon|mailer_daemon|postmaster|post_master|mail\\.delivery\\.system|mail-daemon|"
  "mailerdaemon|mdaemon|daemon|sysadmin|root|no-?reply|nobody)@", PCRE2_CASELESS);

gboolean
oob_plain_from_system (OobMessageView *view)
{
  if (view->system_sender_ == OOB_VIEW_UNKNOWN)
    view->system_sender_ = oob_pattern_match (&re_system_sender, view->from, NULL) ? OOB_VIEW_YES : OOB_VIEW_NO;
  return view->system_sender_ == OOB_VIEW_YES;
}

const char *
oob_plain_header (OobMessageView *view, const char *name)
{
  return g_mime_object_get_header (GMIME_OBJECT (view->message), name);
}

gboolean
oob_plain_received_matches (OobMessageView *view, OobPattern *pattern)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (view->message));
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      if (g_ascii_strcasecmp (g_mime_header_get_name (header), "Received") == 0 &&
          oob_pattern_match (pattern, g_mime_header_get_value (header), NULL))
        return TRUE;
    }
  return FALSE;
}

char *
oob_plain_body (OobMessageView *view)
{
  const char *body = oob_view_body (view);
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  /* A forwarded message with no text of its own is not broken MIME. */
  if (*body || root == NULL || oob_view_returned (view))
    return g_strdup (body);
  g_autofree char *text = g_mime_object_to_string (root, NULL);
  GString *out = g_string_sized_new (strlen (text));
  for (const char *c = text; *c; c++)
    if (*c != '\r')
      g_string_append_c (out, *c);
    else if (c[1] != '\n')
      g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

gboolean
oob_plain_finish (OobReport *report)
{
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      /* These notices report messages given up on, whatever the reply
       * class was; a parser reading a delay warning says so itself. */
      if (rcpt->action == NULL)
        rcpt->action = g_strdup ("failed");
      if (rcpt->smtp_code == 0 && rcpt->diagnostic)
        rcpt->smtp_code = oob_smtp_code_find (rcpt->diagnostic);
      if (rcpt->smtp_command == NULL)
        rcpt->smtp_command = oob_smtp_command_find (rcpt->diagnostic);
      if (rcpt->status)
        continue;
      rcpt->status = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, rcpt->smtp_command);
      if (rcpt->status == NULL)
        rcpt->status = g_strdup ("5.0.901");
    }
  return TRUE;
}
