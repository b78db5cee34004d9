/* bounce_google.c - Gmail, Google Workspace and Google Groups bounces.
 *
 * Reads the notices mailer-daemon@googlemail.com (or @google.com) sends
 * when they are not proper RFC 3464 reports, or when their delivery-status
 * part names no recipient:
 *  - the classic plain-text Gmail notice: "Delivery to the following
 *    recipient failed permanently:" (or "has been delayed:"), an indented
 *    address list, "Technical details of permanent failure:" and the remote
 *    server's reply (ending in Gmail's "(state N)" code for the stage
 *    that failed, which is the reply's SMTP stage and gives the reason when
 *    neither an enhanced code nor the words do), then "----- Original message -----" (or "----- Message header
 *    follows -----") and the original;
 *  - the newer "** Message not delivered **" notice whose recipients are
 *    in X-Failed-Recipients (a delay warning, which has none, or a notice
 *    that lost the header and its delivery-status part, names them in
 *    Gmail's explanation), with "The response was:" and the reply;
 *    when Gmail explains that the sender's "Send mail as" server refused
 *    it, the sender was rejected (x.0.918) whatever that server said;
 *  - Google Groups refusing a post to a group (any language): recipients
 *    from X-Failed-Recipients, signed "Google Groups".
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "bounce_provider.h"
#include "derive.h"
#include "mime.h"
#include "smtp_command.h"
#include "status.h"

static OobPattern re_original =
  OOB_PATTERN ("^\\s*-{3,}\\s*(?:Original message|Message header follows)\\s*-{3,}\\s*$", PCRE2_CASELESS);
static OobPattern re_intro =
  OOB_PATTERN ("^\\s*Delivery to the following recipients? (failed permanently|has been delayed|failed)", 0);
static OobPattern re_details = OOB_PATTERN ("^\\s*Technical details of (permanent|temporary) failure:\\s*(.*)$", 0);
static OobPattern re_server_said = OOB_PATTERN ("The error that the other server returned was:\\s*(.+)$", PCRE2_DOTALL);
static OobPattern re_remote_host = OOB_PATTERN ("for the recipient domain \\S+ by ([A-Za-z0-9.-]+?)\\.? \\[", 0);
static OobPattern re_no_connection = OOB_PATTERN (
  "did not accept our requests to connect|socket error|connection (timed out|refused)|could not contact DNS servers", PCRE2_CASELESS);
/* Gmail's own code for the stage of the session that failed, ending the
 * reply it quotes: "550 550 Unknown user ... (state 18)." */
static OobPattern re_state = OOB_PATTERN ("\\(state (\\d+)\\)\\.?\\s*$", 0);
static OobPattern re_leading_temporary = OOB_PATTERN ("^\\s*4\\d\\d\\b", 0);
static OobPattern re_banner = OOB_PATTERN ("^\\s*\\*\\* ([^*]{3,80}) \\*\\*\\s*$", 0);
static OobPattern re_banner_delay = OOB_PATTERN ("incomplete|delayed|temporar", PCRE2_CASELESS);
/* Without X-Failed-Recipients (a warning, or a notice passed on without
 * the header and without its delivery-status part), the address Gmail's
 * explanation names: "Your message wasn't delivered to a@b
 * because ...", "... delivering your message to a@b." */
static OobPattern re_named = OOB_PATTERN (
  "\\b(?:delivered|delivering your message|[Yy]our message) to <?([^\\s<>@]+@[A-Za-z0-9.-]+[A-Za-z0-9])>?", 0);
static OobPattern re_response = OOB_PATTERN ("^\\s*The response (was|from the remote server was):\\s*$", 0);
/* Gmail relaying through the sender's own server ("Send mail as") and
 * failing there: the sender's setup was refused, not the recipient. */
static OobPattern re_send_mail_as = OOB_PATTERN ("'Send mail as'|\\bCustomFromDenied\\b", PCRE2_CASELESS);
static OobPattern re_groups_signature = OOB_PATTERN ("^\\s*Google Groups\\s*$|groups\\.google\\.com", 0);

static gboolean
from_google (OobMessageView *view)
{
  const char *domain = oob_provider_from_domain (view);
  return g_str_has_prefix (view->from, "mailer-daemon@") &&
         (strcmp (domain, "googlemail.com") == 0 || strcmp (domain, "google.com") == 0 ||
          strcmp (domain, "gmail.com") == 0);
}

/* Gmail's state code: the SMTP stage that failed, and the reason it
 * implies when the reply's words name none (0: a code not known). */
typedef struct {
  const char *state;
  const char *stage;  /* oob_smtp_command_from_name () name, or NULL */
  int detail;
} GmailState;

static const GmailState *
gmail_state (const char *diagnostic)
{
  static const GmailState table[] = {
    { "6", "MAIL", 930 },  /* the remote server lacks TLS or similar */
    { "8", NULL, 930 },    /* AUTH failed with the remote server */
    { "9", NULL, 930 },    /* AUTH: TLS trouble */
    { "12", NULL, 909 },   /* AUTH: the server does not relay for us */
    { "13", "EHLO", 971 }, /* our greeting refused */
    { "14", "RCPT", 911 }, /* the recipient refused */
    { "15", "DATA", 910 }, /* the message refused */
    { "17", "DATA", 910 },
    { "18", "DATA", 910 },
  };
  g_autofree char *state = oob_pattern_capture (&re_state, diagnostic, 1);
  for (gsize i = 0; state && i < G_N_ELEMENTS (table); i++)
    if (strcmp (state, table[i].state) == 0)
      return &table[i];
  return NULL;
}

/* For a reply that states no enhanced code: the stage its state code
 * names (user-unknown words refused at the end of the data are a
 * filter's, 5.0.910), and the status the words give at that stage, else
 * the one the stage implies. */
static void
apply_state (OobRecipient *rcpt, const GmailState *state, gboolean temporary)
{
  const char *stage = state->stage ? oob_smtp_command_from_name (state->stage) : NULL;
  if (stage)
    rcpt->smtp_command = stage;
  g_autofree char *derived = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, rcpt->smtp_command);
  gboolean specific = derived && g_str_has_prefix (derived + 1, ".0.9") && !g_str_has_suffix (derived, ".0.900");
  g_free (rcpt->status);
  rcpt->status = specific ? g_steal_pointer (&derived) : g_strdup_printf ("%c.0.%d", temporary ? '4' : '5', state->detail);
  if (specific && temporary)
    rcpt->status[0] = '4';
}

/* The classic notice: address list after the intro, reply in the details. */
static gboolean
parse_classic (GStrv lines, OobReport *report)
{
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) details = NULL;
  gboolean in_list = FALSE, delayed = FALSE;
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_intro, lines[i], &groups))
        {
          in_list = TRUE;
          delayed = strcmp (groups[1], "has been delayed") == 0;
        }
      else if (oob_pattern_match (&re_details, lines[i], &groups))
        {
          in_list = FALSE;
          details = g_string_new (groups[2]);
        }
      else if (details)
        g_string_append_printf (details, "\n%s", lines[i]);
      else if (in_list && oob_provider_is_address_line (lines[i]))
        g_ptr_array_add (addresses, oob_provider_address (lines[i]));
      else if (in_list && *lines[i] && addresses->len > 0)
        in_list = FALSE;
    }
  if (addresses->len == 0)
    return FALSE;

  const char *text = details ? details->str : NULL;
  g_autofree char *server_said = text ? oob_pattern_capture (&re_server_said, text, 1) : NULL;
  g_autofree char *remote = text ? oob_pattern_capture (&re_remote_host, text, 1) : NULL;
  const char *diagnostic = server_said ? server_said : text;
  g_autofree char *stated = oob_status_find (diagnostic);
  const GmailState *state = stated == NULL && diagnostic ? gmail_state (diagnostic) : NULL;
  gboolean temporary = delayed || (diagnostic && oob_pattern_match (&re_leading_temporary, diagnostic, NULL));
  gboolean no_connection = stated == NULL && text && oob_pattern_match (&re_no_connection, text, NULL);
  /* An address listed again names the same recipient: read it once. */
  g_autoptr (GHashTable) done = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < addresses->len; i++)
    {
      OobRecipient *rcpt = oob_provider_add (report, g_ptr_array_index (addresses, i), diagnostic);
      if (rcpt == NULL)
        break;
      if (!g_hash_table_add (done, rcpt))
        continue;
      oob_set_string (&rcpt->action, delayed ? "delayed" : "failed");
      oob_set_string (&rcpt->remote_mta, remote);
      /* Gmail calls a failure permanent after retrying for its whole queue
       * lifetime: with no reply to quote, an unreachable server has expired.
       * A warning that gives no details at all is about the queue time too. */
      if (no_connection)
        oob_set_string (&rcpt->status, delayed ? "4.0.947" : "5.0.947");
      else if (stated == NULL && delayed && text == NULL)
        oob_set_string (&rcpt->status, "4.0.947");
      else if (state)
        apply_state (rcpt, state, temporary);
    }
  return TRUE;
}

/* The newer notice: a "** ... **" banner, recipients in X-Failed-Recipients. */
static gboolean
parse_banner (OobMessageView *view, GStrv lines, OobReport *report)
{
  guint banner = 0;
  g_autofree char *title = NULL;
  while (lines[banner] && (title = oob_pattern_capture (&re_banner, lines[banner], 1)) == NULL)
    banner++;
  if (lines[banner] == NULL)
    return FALSE;
  /* "** Delivery incomplete **": a warning, Gmail keeps retrying. */
  gboolean delayed = oob_pattern_match (&re_banner_delay, title, NULL);
  g_auto (GStrv) failed = oob_provider_failed_recipients (view);

  /* The reply after "The response was:", else the banner's paragraph;
   * Gmail's own explanation comes in between. */
  guint start = banner + 1;
  gboolean send_mail_as = FALSE;
  g_autoptr (GString) explanation = g_string_new (NULL);
  for (guint i = start; lines[i]; i++)
    {
      if (oob_pattern_match (&re_response, lines[i], NULL))
        {
          start = i + 1;
          break;
        }
      send_mail_as |= oob_pattern_match (&re_send_mail_as, lines[i], NULL);
      g_string_append_printf (explanation, "%s\n", lines[i]);
    }
  /* Gmail lists a failure in X-Failed-Recipients; a warning it names in
   * its explanation, and so a failure that came without the header nor a
   * delivery-status part (which would name the recipient instead). */
  if (failed[0] == NULL &&
      (delayed || oob_mime_find_type (GMIME_OBJECT (view->message), "message", "delivery-status") == NULL))
    {
      g_strfreev (failed);
      failed = oob_pattern_capture_all (&re_named, explanation->str, 1);
    }
  if (failed[0] == NULL)
    return FALSE;
  while (lines[start] && *lines[start] == '\0')
    start++;
  g_autoptr (GString) diagnostic = g_string_new (NULL);
  for (guint i = start; lines[i] && *lines[i]; i++)
    g_string_append_printf (diagnostic, "%s\n", lines[i]);
  for (guint i = 0; failed[i]; i++)
    {
      g_autofree char *address = oob_provider_address (failed[i]);
      OobRecipient *rcpt = address ? oob_provider_add (report, address, diagnostic->str) : NULL;
      if (rcpt == NULL)
        continue;
      if (delayed)
        oob_set_string (&rcpt->action, "delayed");
      g_autofree char *stated = oob_status_find (diagnostic->str);
      if (send_mail_as && stated == NULL)
        oob_set_string (&rcpt->status, delayed ? "4.0.918" : "5.0.918");
    }
  return TRUE;
}

gboolean
oob_bounce_gmail (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!from_google (view))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), &re_original);
  return parse_classic (lines, report) || parse_banner (view, lines, report);
}

/* Sound: the Groups signature is matched (case-sensitively) in lines of
 * the notice text, so one of its two literal forms is in that text. */
gboolean
oob_bounce_googlegroups_candidate (OobMessageView *view)
{
  const char *body = oob_view_body (view);
  return from_google (view) && (strstr (body, "Google Groups") || strstr (body, "groups.google.com"));
}

gboolean
oob_bounce_googlegroups (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!from_google (view))
    return FALSE;
  g_auto (GStrv) failed = oob_provider_failed_recipients (view);
  if (failed[0] == NULL)
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), &re_original);
  gboolean signed_by_groups = FALSE;
  for (guint i = 0; lines[i] && !signed_by_groups; i++)
    signed_by_groups = oob_pattern_match (&re_groups_signature, lines[i], NULL);
  if (!signed_by_groups)
    return FALSE;
  g_autofree char *notice = g_strjoinv ("\n", lines);
  for (guint i = 0; failed[i]; i++)
    {
      OobRecipient *rcpt = oob_provider_add (report, failed[i], notice);
      if (rcpt == NULL)
        break;
      /* The group refused the post (no such group, or no right to post). */
      oob_set_string (&rcpt->status, "5.0.918");
    }
  return TRUE;
}
