/* bounce_text.c - helpers shared by the plain-text bounce families (see bounce_text.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce_text.h"
#include "derive.h"
#include "mime.h"
#include "smtp_command.h"
#include "status.h"

static OobPattern re_system_mailbox = OOB_PATTERN (
  "^(?:[^@]*daemon[^@]*|postmaster|mail[._-]?delivery[^@]*|mail[._-]?system|mailadmin)@", PCRE2_CASELESS);
static OobPattern re_system_name = OOB_PATTERN (
  "mail delivery (?:sub)?system|mailer[- ]daemon|mail administrator|postmaster", PCRE2_CASELESS);
static OobPattern re_forward_subject = OOB_PATTERN (
  "^\\s*(?:fwd?|fw|re|aw|sv|vs|tr|wg|rif|enc)\\s*(?:\\[\\d+\\])?\\s*:", PCRE2_CASELESS);
/* Mail clients people write with (User-Agent, X-Mailer). */
static OobPattern re_mail_client = OOB_PATTERN (
  "\\b(?:Thunderbird|Mozilla|Microsoft Outlook|Microsoft-MacOutlook|Outlook-(?:Express|iOS|Android)|Apple Mail|"
  "iPhone Mail|iPad Mail|Evolution|KMail|Mutt|NeoMutt|Claws Mail|Sylpheed|Roundcube|SquirrelMail|Horde|Rainloop|"
  "SnappyMail|Windows Live Mail|Airmail|Spark|eM Client|Mailbird|Postbox|Geary|Alpine)\\b|\\bBecky!",
  PCRE2_CASELESS);
/* The Message-ID Gmail's web and mobile apps give what a person writes
 * (its own notices come from mx.google.com). */
static OobPattern re_client_message_id = OOB_PATTERN ("@mail\\.gmail\\.com>?\\s*$", PCRE2_CASELESS);
static OobPattern re_system_return_path = OOB_PATTERN (
  "^\\s*<?\\s*(?:>|$|(?:[^@]*daemon[^@]*|postmaster|post_master|mail[._-]?delivery[^@]*|mail[._-]?system|"
  "double-bounce|mailadmin)(?:@|>|\\s*$))",
  PCRE2_CASELESS);
static OobPattern re_said_code = OOB_PATTERN (
  "(?:\\bsaid|\\]|\\breplied|\\bresponse|\\banswered|\\brefused to talk to me)\\s*:?\\s*([245][0-5]\\d)(?=[\\s-]|$)(?![-.]?\\d)",
  PCRE2_CASELESS);
static OobPattern re_remote_host = OOB_PATTERN (
  "(?:\\bhost\\s+([A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z0-9-]+)\\.?\\s*\\[|"
  "\\b([A-Za-z0-9][A-Za-z0-9-]*(?:\\.[A-Za-z0-9-]+)+)\\.?\\s*\\[[0-9a-fA-F.:]+\\]\\s*(?:said|did not like|:)|"
  "\\bConnected to ([0-9a-fA-F.:]+[0-9a-fA-F])\\b|"
  "^([0-9]{1,3}(?:\\.[0-9]{1,3}){3}) (?:does not like|failed after))",
  PCRE2_CASELESS | PCRE2_MULTILINE);
static OobPattern re_address = OOB_PATTERN (
  "^<?\\s*([^\\s<>\"(),;:@]+@[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*\\.?)\\s*>?:?$", 0);

static gboolean
from_mail_system (OobMessageView *view)
{
  if (*view->from == '\0' || oob_pattern_match (&re_system_mailbox, view->from, NULL))
    return TRUE;
  const char *header = g_mime_object_get_header (GMIME_OBJECT (view->message), "From");
  return header && oob_pattern_match (&re_system_name, header, NULL);
}

gboolean
oob_bounce_from_mail_system (OobMessageView *view)
{
  if (view->mail_system_ == OOB_VIEW_UNKNOWN)
    view->mail_system_ = from_mail_system (view) ? OOB_VIEW_YES : OOB_VIEW_NO;
  return view->mail_system_ == OOB_VIEW_YES;
}

gboolean
oob_bounce_is_forward (OobMessageView *view)
{
  if (view->forward_ == OOB_VIEW_UNKNOWN)
    view->forward_ = oob_pattern_match (&re_forward_subject, view->subject, NULL) ? OOB_VIEW_YES : OOB_VIEW_NO;
  return view->forward_ == OOB_VIEW_YES;
}

static gboolean
written_in_client (OobMessageView *view)
{
  GMimeObject *message = GMIME_OBJECT (view->message);
  return oob_bounce_is_forward (view) ||
         oob_pattern_match (&re_mail_client, g_mime_object_get_header (message, "User-Agent"), NULL) ||
         oob_pattern_match (&re_mail_client, g_mime_object_get_header (message, "X-Mailer"), NULL) ||
         oob_pattern_match (&re_client_message_id, g_mime_object_get_header (message, "Message-ID"), NULL);
}

/* Asked by every family reader in turn: computed once a message. */
gboolean
oob_bounce_written_in_client (OobMessageView *view)
{
  if (view->client_ == OOB_VIEW_UNKNOWN)
    view->client_ = written_in_client (view) ? OOB_VIEW_YES : OOB_VIEW_NO;
  return view->client_ == OOB_VIEW_YES;
}

static gboolean
sent_by_person (OobMessageView *view)
{
  if (oob_bounce_written_in_client (view))
    return TRUE;
  const char *return_path = g_mime_object_get_header (GMIME_OBJECT (view->message), "Return-Path");
  return return_path && !oob_pattern_match (&re_system_return_path, return_path, NULL) &&
         !oob_bounce_from_mail_system (view);
}

gboolean
oob_bounce_sent_by_person (OobMessageView *view)
{
  if (view->person_ == OOB_VIEW_UNKNOWN)
    view->person_ = sent_by_person (view) ? OOB_VIEW_YES : OOB_VIEW_NO;
  return view->person_ == OOB_VIEW_YES;
}

gboolean
oob_bounce_blank (const char *line)
{
  for (; *line; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

char *
oob_bounce_text_until (const char *text, OobPattern *end)
{
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (end, text, &groups))
    return g_strdup (text);
  const char *at = strstr (text, groups[0]);
  return g_strndup (text, at ? (gsize) (at - text) : strlen (text));
}

char *
oob_bounce_unfold (const char *text)
{
  if (text == NULL)
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  for (char **line = lines; *line; line++)
    {
      g_strstrip (*line);
      if (**line == '\0')
        continue;
      if (out->len)
        g_string_append_c (out, ' ');
      g_string_append (out, *line);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

int
oob_bounce_smtp_code (const char *text)
{
  if (text == NULL)
    return 0;
  g_autofree char *said = oob_pattern_capture (&re_said_code, text, 1);
  if (said)
    return atoi (said);
  return oob_smtp_code_find (text);
}

char *
oob_bounce_remote_host (const char *text)
{
  g_auto (GStrv) groups = NULL;
  if (text == NULL || !oob_pattern_match (&re_remote_host, text, &groups))
    return NULL;
  for (int i = 1; groups[i]; i++)
    if (*groups[i])
      return g_ascii_strdown (groups[i], -1);
  return NULL;
}

char *
oob_bounce_single_recipient (GMimeHeaderList *headers)
{
  const char *to = headers ? oob_mime_header (headers, "To") : NULL;
  if (to == NULL || oob_mime_header (headers, "Cc") != NULL)
    return NULL;
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, to);
  if (list == NULL || internet_address_list_length (list) != 1)
    return NULL;
  return oob_mime_first_address (to);
}

OobRecipient *
oob_bounce_add_recipient (OobReport *report, const char *address,
                          const char *diagnostic_lines, const char *action)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address));
  g_autofree char *bare = oob_pattern_capture (&re_address, trimmed, 1);
  if (bare == NULL)
    return NULL;
  gsize len = strlen (bare);
  if (len && bare[len - 1] == '.')
    bare[len - 1] = '\0';

  gboolean is_new;
  OobRecipient *rcpt = oob_report_recipient_once (report, bare, &is_new);
  if (!is_new || rcpt == NULL)
    return rcpt;
  g_autofree char *window = oob_diagnostic_window (diagnostic_lines);
  rcpt->diagnostic = oob_bounce_unfold (window);
  rcpt->smtp_code = oob_bounce_smtp_code (window);
  rcpt->remote_mta = oob_bounce_remote_host (window);
  rcpt->smtp_command = oob_smtp_command_find (window);
  oob_set_string (&rcpt->action, action);
  /* A delay notice without a reply code still reports a temporary failure. */
  if (g_strcmp0 (action, "delayed") == 0 && rcpt->smtp_code == 0)
    rcpt->status = oob_status_derive (rcpt->diagnostic, 400, rcpt->smtp_command);
  return rcpt;
}
