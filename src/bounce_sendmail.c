/* bounce_sendmail.c - Sendmail and Postfix bounces that carry no
 * delivery-status part (those with one are read by dsn.c first).
 *
 * Sendmail 8: "----- The following addresses had permanent fatal errors
 * -----" (or "transient non-fatal errors" in a delay warning) lists the
 * recipients, each maybe followed by "(reason: ...)"; "----- Transcript of
 * session follows -----" holds the dialogue ("... while talking to host:",
 * ">>> RCPT To:<a>", "<<< 550 5.1.1 <a>... User unknown") and sendmail's own
 * result lines ("550 5.1.1 <a>... User unknown", or without a code "<a>...
 * Deferred: Connection refused by host"); the command before a refusal is
 * the stage it answered.
 * Sendmail 5 ("Returned mail: ..."): only the transcript, whose result lines
 * ("554 <a>... 550 Host unknown") name the recipients; the remote reply
 * ("<<< ...") that came before a result line is the better diagnostic.
 * A Sendmail 5 transcript that names only the host ("421 example.net
 * (smtp)... Deferred: ...") or no one ("554 Service unavailable", after
 * the remote's "<<< 554 ..."), leaves the returned message's single To:
 * address (no Cc) as the recipient, with that result line (or the remote's
 * reply) as the reason.
 * A delay warning may list no addresses either: "Warning: could not send
 * message for past 4 hours", "THIS IS A WARNING MESSAGE ONLY", the
 * transcript's "<a>... Deferred: 421".
 * Both end at "----- Original message follows -----" (or "Unsent message",
 * "Message header follows", "No message was collected"), which is cut off.
 * When the queue lifetime ran out, the subject says so ("Returned mail:
 * Cannot send message for 5 days", "... within 5 days") or the transcript
 * does ("Message could not be delivered for 5 days"): a recipient whose
 * last reply says nothing more than its code ("421 ... Deferred: Connection
 * timed out") then failed because the message expired, x.0.947.
 *
 * Postfix: "This is the Postfix program at host X." or "This is the mail
 * system at host X." (a rewritten template may keep only the indented
 * signature, "The mail system"), then per recipient "<a>: reason" with the
 * reason continued on indented lines; "# THIS IS A WARNING ONLY." marks a
 * delay notice, "Your message was successfully delivered" a success
 * report.  When its bounce log was lost the notice says only "---
 * Delivery report unavailable ---": the returned message's single To: (no
 * Cc) is then the recipient.  Its SMTP server's notice to the postmaster
 * ("Postfix SMTP server: errors from host", "Transcript of session
 * follows." with "In:" and "Out:" lines) names the recipients of "In: RCPT
 * TO:<a>" and, as the reason, the last error reply "Out: 4xx/5xx" of the
 * session.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "derive.h"
#include "mime.h"
#include "smtp_command.h"

/* ---- Sendmail ---------------------------------------------------------- */

static OobPattern re_sm_section = OOB_PATTERN ("^\\s*-{3,}\\s*(.*?)\\s*-{3,}\\s*$", 0);
static OobPattern re_sm_listed = OOB_PATTERN (
  "^[^\\S\\n]*-{3,}\\s*The following addresses had (permanent fatal|transient non-fatal) errors", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_sm_transcript = OOB_PATTERN (
  "^[^\\S\\n]*-{3,}\\s*Transcript of (?:the )?session follows", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_sm_subject = OOB_PATTERN (
  "^(?:Returned mail|Warning: could not send message|Undeliverable mail|Mail delivery failed)", PCRE2_CASELESS);
/* A delay warning that lists no addresses, only the transcript. */
static OobPattern re_sm_warning = OOB_PATTERN (
  "^(?:[^\\S\\n]|\\*)*THIS IS A WARNING MESSAGE ONLY|^Warning: message still undelivered after", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_sm_warning_subject = OOB_PATTERN ("^Warning: could not send message", PCRE2_CASELESS);
static OobPattern re_sm_expired = OOB_PATTERN (
  "^Returned mail:\\s*(?:Cannot|Could not) send message (?:for|within) ", PCRE2_CASELESS);
/* The transcript's own words when the queue lifetime ran out:
 * "Message could not be delivered for 5 days", "Message will be deleted
 * from queue". */
static OobPattern re_sm_expiry = OOB_PATTERN (
  "^\\s*Message (?:could not be delivered for\\b|will be deleted from queue)", PCRE2_CASELESS);
static OobPattern re_sm_original = OOB_PATTERN (
  "^[^\\S\\n]*-{3,}\\s*(?:Original message|Unsent message|Message header|Returned message|Message body|No message was collected)",
  PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_sm_listed_address = OOB_PATTERN ("^\\s*<?([^\\s<>()]+@[^\\s<>()]+?)>?\\s*(?:\\(.*)?$", 0);
static OobPattern re_sm_reason = OOB_PATTERN ("^\\s*\\(reason:\\s*(.*?)\\)?\\s*$", PCRE2_CASELESS);
static OobPattern re_sm_expanded = OOB_PATTERN ("^\\s*\\(expanded from:?\\s*<?([^\\s<>()]+@[^\\s<>()]+?)>?\\)\\s*$", PCRE2_CASELESS);
/* A result line of sendmail's own that names no address ("554 Too many
 * hops 26 (25 max): from a via b, to c"): about the message as a whole. */
static OobPattern re_sm_bare_result = OOB_PATTERN ("^\\s*[45]\\d\\d[ -]\\S", 0);
/* "550 5.1.1 <a>... User unknown", and without a code sendmail's own
 * "<a>... Deferred: Connection refused by host". */
static OobPattern re_sm_result = OOB_PATTERN (
  "^\\s*(?:([45]\\d\\d)[ -](?:[45]\\.\\d{1,3}\\.\\d{1,3}\\s+)?)?<?([^\\s<>]+@[^\\s<>]+?)>?\\.\\.\\.\\s*(\\S.*)$", 0);
static OobPattern re_sm_inner_code = OOB_PATTERN ("^[45]\\d\\d\\b", 0);
static OobPattern re_sm_host_result = OOB_PATTERN ("^\\s*([45]\\d\\d) [^\\s@]+ \\([a-z]+\\)\\.\\.\\.\\s*\\S", PCRE2_CASELESS);
static OobPattern re_sm_session = OOB_PATTERN ("^\\s*(?:\\.\\.\\.\\s*)?while talking to\\b", PCRE2_CASELESS);

/* What a transcript says about each address, in order of appearance. */
typedef struct {
  GPtrArray *addresses;     /* char*, as written */
  GHashTable *diagnostics;  /* lower-case address -> text */
  GHashTable *commands;     /* lower-case address -> the stage it was refused at (static) */
  GHashTable *by_agent;     /* lower-case addresses whose text a local delivery agent wrote */
  char *about_message;      /* the first result line naming no address (or the replies before it) */
  gboolean expired;         /* the transcript says the queue lifetime ran out */
} Transcript;

static void
transcript_init (Transcript *t)
{
  t->addresses = g_ptr_array_new_with_free_func (g_free);
  t->diagnostics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t->commands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->by_agent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
transcript_clear (Transcript *t)
{
  g_clear_pointer (&t->addresses, g_ptr_array_unref);
  g_clear_pointer (&t->diagnostics, g_hash_table_unref);
  g_clear_pointer (&t->commands, g_hash_table_unref);
  g_clear_pointer (&t->by_agent, g_hash_table_unref);
  g_clear_pointer (&t->about_message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Transcript, transcript_clear)

static const char *
skip_blanks (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return line;
}

/* Reads result lines ("550 5.1.1 <a>... User unknown"); the remote replies
 * ("<<< ...") seen since the last command or session start explain the
 * result line that follows them better than sendmail's own summary, and
 * that command (">>> RCPT To:<a>", ">>> DATA") is the stage refused.  So
 * do a local delivery agent's words ("mail.local: unknown user: a") before
 * the result of a local delivery ("554 5.3.0 <a>... Service unavailable"). */
static void
read_transcript (char **lines, Transcript *t)
{
  g_autoptr (GString) replies = g_string_new (NULL);
  gboolean agent = FALSE;  /* the replies are a delivery agent's */
  /* lower-case addresses refused since the last command */
  g_autoptr (GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  const char *command = NULL;
  for (char **line = lines; *line; line++)
    {
      const char *text = skip_blanks (*line);
      g_auto (GStrv) groups = NULL;
      g_autofree char *agent_said = NULL;
      if (oob_pattern_match (&re_sm_section, *line, NULL))
        break;
      if (g_str_has_prefix (text, ">>>"))
        {
          agent = FALSE;
          g_string_truncate (replies, 0);
          g_ptr_array_set_size (refused, 0);
          command = oob_smtp_command_from_name (skip_blanks (text + 3));
        }
      else if (oob_pattern_match (&re_sm_session, text, NULL))
        {
          agent = FALSE;
          g_string_truncate (replies, 0);
          g_ptr_array_set_size (refused, 0);
          command = NULL;
        }
      else if (g_str_has_prefix (text, "<<<"))
        {
          /* DATA pipelined after RCPT TO, then refused for want of
           * recipients: the refusals read before it answered RCPT TO. */
          if (oob_smtp_command_wanted_recipients (text))
            for (guint i = 0; i < refused->len; i++)
              g_hash_table_insert (t->commands, g_strdup (refused->pdata[i]), (gpointer) "RCPT");
          g_string_append_printf (replies, "%s\n", skip_blanks (text + 3));
        }
      else if ((agent_said = oob_mda_agent_message (text)) != NULL)
        {
          g_string_append_printf (replies, "%s\n", agent_said);
          agent = TRUE;
        }
      else if (oob_pattern_match (&re_sm_result, text, &groups))
        {
          g_autofree char *key = g_ascii_strdown (groups[2], -1);
          if (!g_hash_table_contains (t->diagnostics, key))
            {
              const char *said = oob_pattern_match (&re_sm_inner_code, groups[3], NULL) ? groups[3] : text;
              g_ptr_array_add (t->addresses, g_strdup (groups[2]));
              if (replies->len && command)
                {
                  g_hash_table_insert (t->commands, g_strdup (key), (gpointer) command);
                  g_ptr_array_add (refused, g_strdup (key));
                }
              if (agent)
                g_hash_table_add (t->by_agent, g_strdup (key));
              g_hash_table_insert (t->diagnostics, g_steal_pointer (&key),
                                   g_strdup (replies->len ? replies->str : said));
            }
          g_string_truncate (replies, 0);
          agent = FALSE;
        }
      else if (t->about_message == NULL && oob_pattern_match (&re_sm_bare_result, text, NULL))
        t->about_message = g_strdup (replies->len ? replies->str : text);
      else if (oob_pattern_match (&re_sm_expiry, text, NULL))
        {
          if (t->about_message == NULL)
            t->about_message = g_strdup (text);
          t->expired = TRUE;
        }
    }
}

/* Reads the "following addresses had ... errors" list: an address, maybe
 * "(reason: ...)" and "(expanded from: the address it was sent to)" under
 * it.  Without a reason of its own a recipient takes what the transcript
 * says about it, else what it says about the message; a delivery agent's
 * words in the transcript say more than the reason, Sendmail's summary. */
static void
read_listed (char **lines, const char *action, Transcript *transcript, OobReport *report)
{
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_sm_section, *line, NULL))
        break;
      if (oob_bounce_blank (*line) || !oob_pattern_match (&re_sm_listed_address, *line, &groups))
        continue;
      g_autofree char *reason = NULL, *expanded_from = NULL;
      for (; line[1] && !oob_bounce_blank (line[1]) && (line[1][0] == ' ' || line[1][0] == '\t'); line++)
        {
          if (reason == NULL)
            reason = oob_pattern_capture (&re_sm_reason, line[1], 1);
          if (expanded_from == NULL)
            expanded_from = oob_pattern_capture (&re_sm_expanded, line[1], 1);
        }
      g_autofree char *key = g_ascii_strdown (groups[1], -1);
      const char *said = reason && !g_hash_table_contains (transcript->by_agent, key) ?
                           reason : g_hash_table_lookup (transcript->diagnostics, key);
      OobRecipient *rcpt = oob_bounce_add_recipient (report, groups[1], said ? said : transcript->about_message, action);
      if (rcpt && rcpt->smtp_command == NULL)
        rcpt->smtp_command = g_hash_table_lookup (transcript->commands, key);
      if (rcpt && expanded_from && rcpt->original_recipient == NULL)
        rcpt->original_recipient = g_steal_pointer (&expanded_from);
    }
}

/* Lines after the section heading matched by heading, or NULL. */
static char **
section_after (char **lines, OobPattern *heading)
{
  for (char **line = lines; *line; line++)
    if (oob_pattern_match (heading, *line, NULL))
      return line + 1;
  return NULL;
}

/* The Sendmail 5 result line about a host (else what the transcript says
 * about the message), and the single To: (no Cc) of the returned message
 * after the notice: that recipient failed. */
static void
recipient_of_returned (const char *body, char **session, const char *about_message, OobReport *report)
{
  const char *result = NULL;
  for (char **line = session; *line && result == NULL; line++)
    {
      if (oob_pattern_match (&re_sm_section, *line, NULL))
        break;
      if (oob_pattern_match (&re_sm_host_result, *line, NULL))
        result = *line;
    }
  if (result == NULL)
    result = about_message;
  if (result == NULL)
    return;
  g_autofree char *notice = oob_bounce_text_until (body, &re_sm_original);
  const char *returned = body + strlen (notice);
  /* The notice may end before or after the newline ending its last line. */
  while (*returned == '\n' || *returned == '\r')
    returned++;
  if (*returned == '\0')
    return;
  while (*returned && *returned != '\n')
    returned++;
  while (*returned == '\n' || *returned == '\r')
    returned++;
  g_autoptr (GMimeHeaderList) headers = oob_mime_parse_fields (returned, strlen (returned));
  g_autofree char *address = oob_bounce_single_recipient (headers);
  if (address)
    oob_bounce_add_recipient (report, address, result, "failed");
}

/* After the queue lifetime: a failure whose reason is only a reply code
 * (the status derived from it would be x.0.0) expired in the queue. */
static void
mark_expired (OobReport *report)
{
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (rcpt->status || g_strcmp0 (rcpt->action, "failed") != 0)
        continue;
      g_autofree char *derived = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, rcpt->smtp_command);
      if (derived && g_str_has_suffix (derived, ".0.0"))
        rcpt->status = g_strdup_printf ("%c.0.947", derived[0]);
    }
}

gboolean
oob_bounce_sendmail (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view) || !oob_bounce_from_mail_system (view))
    return FALSE;
  g_auto (GStrv) listed = NULL;
  gboolean has_list = oob_pattern_match (&re_sm_listed, body, &listed);
  if (!has_list && !(oob_pattern_match (&re_sm_subject, view->subject, NULL) &&
                     oob_pattern_match (&re_sm_transcript, body, NULL)))
    return FALSE;

  g_autofree char *notice = oob_bounce_text_until (body, &re_sm_original);
  g_auto (GStrv) lines = g_strsplit (notice, "\n", -1);
  g_auto (Transcript) transcript = { 0 };
  transcript_init (&transcript);
  char **session = section_after (lines, &re_sm_transcript);
  if (session)
    read_transcript (session, &transcript);

  char **list = has_list ? section_after (lines, &re_sm_listed) : NULL;
  if (list)
    {
      const char *action = g_ascii_strcasecmp (listed[1], "permanent fatal") == 0 ? "failed" : "delayed";
      read_listed (list, action, &transcript, report);
    }
  else
    {
      const char *action = oob_pattern_match (&re_sm_warning_subject, view->subject, NULL) ||
                           oob_pattern_match (&re_sm_warning, notice, NULL) ? "delayed" : "failed";
      for (guint i = 0; i < transcript.addresses->len; i++)
        {
          const char *address = g_ptr_array_index (transcript.addresses, i);
          g_autofree char *key = g_ascii_strdown (address, -1);
          OobRecipient *rcpt = oob_bounce_add_recipient (report, address, g_hash_table_lookup (transcript.diagnostics, key), action);
          if (rcpt && rcpt->smtp_command == NULL)
            rcpt->smtp_command = g_hash_table_lookup (transcript.commands, key);
        }
    }
  if (report->recipients->len == 0 && session)
    recipient_of_returned (body, session, transcript.about_message, report);
  if (report->recipients->len == 0)
    return FALSE;
  if (transcript.expired || oob_pattern_match (&re_sm_expired, view->subject, NULL))
    mark_expired (report);
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}

/* ---- Postfix ----------------------------------------------------------- */

/* "This is the Postfix program at host X." (Postfix 1 and 2.0), "This is
 * the mail system at host X.", a site's "This is the NAME Postfix program
 * at host X."; a template whose intro was rewritten keeps the indented
 * signature alone on its line ("The Postfix program", "The Postfix on
 * NAME program", "The mail system"). */
static OobPattern re_pf_intro = OOB_PATTERN (
  "^(?:[^\\S\\n]*This is the (?:[\\w.-]+ )?(?:Postfix program|mail system) at host |"
  "[ \\t]+The (?:[\\w.-]+ )?(?:Postfix(?: on [^\\n]+)? program|mail system)[ \\t]*$)", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_pf_warning = OOB_PATTERN ("^#\\s*THIS IS A WARNING ONLY", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_pf_success = OOB_PATTERN ("^[^\\S\\n]*Your message was successfully delivered", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_pf_original = OOB_PATTERN (
  "^[^\\S\\n]*-{2,}\\s*(?:Undelivered message follows|Delivery report unavailable|Enclosed message)",
  PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_pf_recipient = OOB_PATTERN (
  "^<([^<>\\s]+@[^<>\\s]+)>(?:\\s*\\(expanded from <?([^<>()\\s]*)>?\\))?:\\s*(.*)$", 0);

/* Postfix's words around what its delivery-status part would carry as the
 * Diagnostic-Code: the remote's reply after "host H[ip] said:" or "host
 * H[ip] refused to talk to me:", then "(in reply to X command)". */
static OobPattern re_pf_framing = OOB_PATTERN (
  "^host \\S+ (?:said|refused to talk to me):\\s*(\\S.*?)\\s*(?:\\(in reply to .{1,30}? command\\))?\\s*$",
  PCRE2_DOTALL | PCRE2_CASELESS);
static OobPattern re_pf_unavailable = OOB_PATTERN ("^[^\\S\\n]*-{2,}\\s*Delivery report unavailable", PCRE2_MULTILINE | PCRE2_CASELESS);

static OobPattern re_pf_errors_subject = OOB_PATTERN ("^Postfix SMTP server: errors from ", PCRE2_CASELESS);
static OobPattern re_pf_transcript = OOB_PATTERN ("^[^\\S\\n]*Transcript of session follows", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_pf_in_rcpt = OOB_PATTERN ("^\\s*In:\\s+RCPT\\s+TO:\\s*<([^<>\\s]+@[^<>\\s]+)>", PCRE2_CASELESS);
static OobPattern re_pf_out_error = OOB_PATTERN ("^\\s*Out:\\s+([45]\\d\\d\\s.*?)\\s*$", 0);

static gboolean
postfix_server_notice (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_pf_errors_subject, view->subject, NULL) ||
      !oob_pattern_match (&re_pf_transcript, body, NULL))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (body, "\n", -1);
  g_autoptr (GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  const char *error = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_pf_in_rcpt, *line, &groups))
        g_ptr_array_add (recipients, g_strdup (groups[1]));
      else if (oob_pattern_match (&re_pf_out_error, *line, NULL))
        error = *line;
    }
  if (error == NULL)
    return FALSE;
  g_autofree char *reply = oob_pattern_capture (&re_pf_out_error, error, 1);
  for (guint i = 0; i < recipients->len; i++)
    oob_bounce_add_recipient (report, g_ptr_array_index (recipients, i), reply, "failed");
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}

/* Matches the recipient line at *line, "<a> (expanded from <b>): reason",
 * which Postfix wraps at about 76 columns, maybe inside "(expanded from"
 * or before the colon: up to two indented lines are joined to it (with one
 * space) until it reads whole.  Leaves *line at the last line taken. */
static gboolean
match_recipient_line (char ***line, GStrv *groups)
{
  g_autoptr (GString) joined = g_string_new (**line);
  char **last = *line;
  for (int more = 0;; more++)
    {
      if (oob_pattern_match (&re_pf_recipient, joined->str, groups))
        {
          *line = last;
          return TRUE;
        }
      if (more == 2 || last[1] == NULL || (last[1][0] != ' ' && last[1][0] != '\t') || oob_bounce_blank (last[1]))
        return FALSE;
      last++;
      g_string_append_printf (joined, " %s", skip_blanks (*last));
    }
}

/* The returned message's single recipient (oob_bounce_single_recipient). */
static char *
single_returned_recipient (OobMessageView *view)
{
  g_autoptr (GMimeHeaderList) headers = oob_view_returned_headers (view);
  return oob_bounce_single_recipient (headers);
}

gboolean
oob_bounce_postfix (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view) || !oob_bounce_from_mail_system (view))
    return FALSE;
  if (!oob_pattern_match (&re_pf_intro, body, NULL))
    return postfix_server_notice (view, report);

  const char *action = oob_pattern_match (&re_pf_warning, body, NULL) ? "delayed"
                       : oob_pattern_match (&re_pf_success, body, NULL) ? "delivered" : "failed";
  g_autofree char *notice = oob_bounce_text_until (body, &re_pf_original);
  g_auto (GStrv) lines = g_strsplit (notice, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (**line != '<' || !match_recipient_line (&line, &groups))
        continue;
      /* The reason runs to the blank line or the next recipient; a line of
       * a command's output may start at the margin. */
      GString *reason = g_string_new (groups[3]);
      for (; line[1] && !oob_bounce_blank (line[1]) && line[1][0] != '<'; line++)
        g_string_append_printf (reason, "\n%s", line[1]);
      g_autofree char *text = g_string_free (reason, FALSE);
      OobRecipient *rcpt = oob_bounce_add_recipient (report, groups[1], text, action);
      /* The reply code, remote host and stage are read from the whole; the
       * diagnostic, as in the delivery-status part, is what was said. */
      g_autofree char *said = rcpt ? oob_pattern_capture (&re_pf_framing, rcpt->diagnostic, 1) : NULL;
      if (said)
        oob_set_string (&rcpt->diagnostic, said);
      /* "(expanded from <alias>)": the address the message was sent to. */
      if (rcpt && *groups[2] && rcpt->original_recipient == NULL && g_ascii_strcasecmp (groups[1], groups[2]) != 0)
        rcpt->original_recipient = g_strdup (groups[2]);
    }
  /* (With a delivery-status part beside it, the RFC reader's last resort
   * reads the report's fields and the returned message.) */
  if (report->recipients->len == 0 && oob_pattern_match (&re_pf_unavailable, body, NULL) &&
      oob_mime_find_type (GMIME_OBJECT (view->message), "message", "delivery-status") == NULL)
    {
      g_autofree char *address = single_returned_recipient (view);
      if (address)
        oob_bounce_add_recipient (report, address, NULL, action);
    }
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}
