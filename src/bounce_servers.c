/* bounce_servers.c - plain-text bounces of assorted mail servers.
 *
 * MailEnable ("MailEnable: Message could not be delivered to some
 * recipients.", "Recipient: [SMTP:address]" and "Reason: ..." pairs before
 * "Message headers follow:"), Ipswitch IMail ("Undeliverable Mail":
 * "reason: address" lines, or "undeliverable to address" when it gives no
 * reason, the reply its SMTP client got under a heading naming the stage
 * ("Additional RCPT TO generated following response:", "Body of message
 * generated response:" ...), before "Original message follows."), Apache
 * James's notices ("Error message below:" and the envelope under "Message
 * details:"),
 * Sun/Oracle Messaging Server and PMDF when the delivery-status part
 * cannot be found ("Your message cannot be
 * delivered to the following recipients:", or in a delay notice "Your
 * message has been delayed and is still awaiting delivery to the following
 * recipients:", with "Recipient address:",
 * "Reason:", "Diagnostic code:", "Remote system:" lines), and three
 * unnamed shapes met in the wild: "---The following addresses had delivery
 * errors---" with "address [reason]" lines (x1); qmail clones that open
 * with a line of their own ("Unable to deliver message to the following
 * address(es).", "Your mail message to the following address(es) could
 * not be delivered.", "This is the mail delivery agent at host", "Su
 * mensaje no pudo ser entregado" ...) before qmail's "<address>:" blocks
 * (qmailclone); and the "automatically
 * generated Delivery Status Notification" text with "* address" lines and
 * "SMTP:RCPT host ...: reply" lines (x3); Smail 3 ("|---- Failed addresses
 * follow: ----|" framed sections, "address ... reason" lines, the framed
 * "Message text follows" section holding the original); x5, a mail
 * system that sends "NotificationRecipients" a "Mail Delivery Subsystem"
 * notice with the DSN attached as a message of its own, and a DSN a
 * gateway sent on as the only content of a copy of itself (rewrapped); x6, "There was an
 * error sending your mail" with "N error(s):" and one line per refused
 * recipient ("SMTP Server <host> rejected recipient <a> (Error following
 * RCPT command). It responded as follows: [reply]").
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "derive.h"
#include "plaintext.h"
#include "smtp_command.h"
#include "status.h"

static OobPattern re_blank = OOB_PATTERN ("^\\s*$", 0);

/* --- Ipswitch IMail ----------------------------------------------------- */

static OobPattern re_imail_mailer = OOB_PATTERN ("^\\s*<SMTP32 v", 0);
static OobPattern re_imail_subject = OOB_PATTERN ("^\\s*Undeliverable Mail\\s*$", PCRE2_CASELESS);
static OobPattern re_imail_original = OOB_PATTERN ("^\\s*Original message follows\\.", PCRE2_CASELESS);
static OobPattern re_imail_original_anywhere = OOB_PATTERN ("(?m)^[^\\S\\n]*Original message follows\\.", PCRE2_CASELESS);
static OobPattern re_imail_rcpt = OOB_PATTERN ("^\\s*(\\S.*?):\\s*<?([^\\s<>:]+@[^\\s<>:]+?)>?\\s*$", 0);
/* Its bare form, the reason unsaid (the message was given up on). */
static OobPattern re_imail_undeliverable = OOB_PATTERN ("^\\s*undeliverable\\s+to\\s+<?([^\\s<>:]+@[^\\s<>:]+?)>?\\s*$", PCRE2_CASELESS);

/* Headings of the reply its SMTP client got, each naming the stage ("Body
 * of message generated response:" is the reply to the message, DATA). */
static OobPattern re_imail_response = OOB_PATTERN (
  "^\\s*(?:SMTP connection failed|Unexpected connection response from server|Unexpected response to EHLO/HELO|"
  "Server response to MAIL FROM|Additional RCPT TO generated following response|DATA command generated response|"
  "Body of message generated response)\\b", PCRE2_CASELESS);

static const char *
imail_stage (const char *heading)
{
  static const struct {
    const char *words;
    const char *stage;
  } stages[] = {
    { "connection", "CONN" }, { "EHLO", "EHLO" }, { "MAIL FROM", "MAIL" }, { "RCPT TO", "RCPT" }, { "DATA command", "DATA" },
    { "Body of message", "DATA" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (stages); i++)
    if (strstr (heading, stages[i].words))
      return stages[i].stage;
  return NULL;
}

gboolean
oob_bounce_imailserver (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  /* Two of: IMail's X-Mailer, its subject, its returned-original marker. */
  int marks = oob_pattern_match (&re_imail_mailer, oob_plain_header (view, "X-Mailer"), NULL) +
              oob_pattern_match (&re_imail_subject, view->subject, NULL) +
              oob_pattern_match (&re_imail_original_anywhere, body, NULL);
  if (marks < 2)
    return FALSE;
  g_autofree char *text = oob_plain_cut (body, &re_imail_original);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  OobRecipient *current = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_imail_rcpt, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[2]);
          current = address ? oob_plain_add (report, address, groups[1]) : NULL;
        }
      else if (oob_pattern_match (&re_imail_undeliverable, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          current = address ? oob_plain_add (report, address, NULL) : NULL;
        }
      else if (report->recipients->len && oob_pattern_match (&re_imail_response, *line, NULL))
        {
          /* The reply block under the last address, the stage in its heading. */
          current = g_ptr_array_index (report->recipients, report->recipients->len - 1);
          oob_plain_add (report, current->final_recipient, *line);
          if (current->smtp_command == NULL)
            current->smtp_command = imail_stage (*line);
        }
      else if (oob_pattern_match (&re_blank, *line, NULL))
        current = NULL;
      else if (current)
        {
          oob_plain_add (report, current->final_recipient, *line);
          /* The reply starts a line of its own. */
          if (current->smtp_code == 0)
            current->smtp_code = oob_smtp_code_find (*line);
        }
    }
  return oob_plain_finish (report);
}

/* --- MailEnable ---------------------------------------------------------
 *
 * Each recipient is written with its connector: "[SMTP:a@b]" for mail it
 * relayed, "[SF:postoffice/mailbox]" for its own post offices (no address:
 * skipped).  The reason is the "Reason:" line under it. */

static OobPattern re_me_intro = OOB_PATTERN ("^\\s*MailEnable: Message could not be delivered", PCRE2_CASELESS);
static OobPattern re_me_end = OOB_PATTERN ("^\\s*Message headers follow:", PCRE2_CASELESS);
static OobPattern re_me_recipient = OOB_PATTERN ("^\\s*Recipient:\\s*\\[(?:SMTP:)?([^\\s\\[\\]]*)\\]\\s*$", PCRE2_CASELESS);
static OobPattern re_me_reason = OOB_PATTERN ("^\\s*Reason:\\s*(.*?)\\s*$", PCRE2_CASELESS);

gboolean
oob_bounce_mailenable (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_me_intro, &re_me_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  OobRecipient *current = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_me_recipient, *line, &groups))
        {
          g_autofree char *address = strchr (groups[1], '@') ? oob_plain_address (groups[1]) : NULL;
          current = address ? oob_plain_add (report, address, NULL) : NULL;
        }
      else if (current && oob_pattern_match (&re_me_reason, *line, &groups))
        oob_plain_add (report, current->final_recipient, groups[1]);
      else if (oob_pattern_match (&re_blank, *line, NULL))
        current = NULL;
    }
  return oob_plain_finish (report);
}

/* --- Apache James --------------------------------------------------------
 *
 * Its Bounce and NotifySender mailets write a line of their own, the
 * error under "Error message below:", and the envelope James received
 * under "Message details:": "  RCPT TO: a" with further recipients on
 * lines of their own, indented.  The quoted "To:" and "CC:" lines there are
 * the original's headers, not the recipients that failed. */

static OobPattern re_james_subject = OOB_PATTERN ("^\\s*\\[BOUNCE\\]", 0);
static OobPattern re_james_message_id = OOB_PATTERN ("\\.JavaMail\\.", 0);
static OobPattern re_james_received = OOB_PATTERN ("\\bJAMES SMTP Server\\b", PCRE2_CASELESS);
static OobPattern re_james_details = OOB_PATTERN ("^\\s*Message details:\\s*$", PCRE2_CASELESS);
static OobPattern re_james_error = OOB_PATTERN ("^\\s*Error message below:\\s*$", PCRE2_CASELESS);
static OobPattern re_james_rcpt_to = OOB_PATTERN ("^\\s+RCPT TO:\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_james_next_rcpt = OOB_PATTERN ("^\\s{4,}<?([^\\s<>:]+@[^\\s<>:]+?)>?\\s*$", 0);

gboolean
oob_bounce_apachejames (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_james_subject, view->subject, NULL) &&
      !oob_pattern_match (&re_james_message_id, oob_plain_header (view, "Message-ID"), NULL) &&
      !oob_plain_received_matches (view, &re_james_received))
    return FALSE;
  const char *body = oob_view_body (view);
  g_autofree char *details = oob_plain_after (body, &re_james_details);
  if (details == NULL)
    return FALSE;
  g_autofree char *notice = oob_plain_cut (body, &re_james_details);
  g_autofree char *error = oob_plain_after (notice, &re_james_error);
  /* Without an error message the mailet's own line is all it says. */
  const char *reason = error ? error : notice;
  g_auto (GStrv) lines = g_strsplit (details, "\n", -1);
  gboolean in_recipients = FALSE;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_james_rcpt_to, *line, &groups) ||
          (in_recipients && oob_pattern_match (&re_james_next_rcpt, *line, &groups)))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          if (address)
            oob_plain_add (report, address, reason);
          in_recipients = TRUE;
        }
      else
        in_recipients = FALSE;
    }
  return oob_plain_finish (report);
}

/* --- Sun/Oracle Messaging Server, PMDF ---------------------------------- */

static OobPattern re_ms_start = OOB_PATTERN (
  "(?m)^[^\\S\\n]*Your message (?:cannot be delivered to the following recipients:|has been delayed and is still awaiting delivery)",
  PCRE2_CASELESS);
static OobPattern re_ms_delayed = OOB_PATTERN ("(?m)^[^\\S\\n]*Your message has been delayed", PCRE2_CASELESS);
static OobPattern re_ms_field = OOB_PATTERN ("^\\s*(Recipient address|Original address|Reason|Diagnostic code|Remote system):\\s*(.*?)\\s*$", PCRE2_CASELESS);
static OobPattern re_ms_end = OOB_PATTERN ("^\\s*(?:Original-envelope-id|Reporting-MTA|Action|Final-recipient|--)", PCRE2_CASELESS);
static OobPattern re_ms_typed = OOB_PATTERN ("^\\s*[A-Za-z0-9-]+;\\s*", 0);
static OobPattern re_ms_host = OOB_PATTERN ("^\\s*(?:dns;\\s*)?([A-Za-z0-9.-]+)", PCRE2_CASELESS);

static OobPattern re_ms_start_words = OOB_PATTERN (
  "Your message (?:cannot be delivered to the following recipients:|has been delayed and is still awaiting delivery)",
  PCRE2_CASELESS);

/* Sound: when there is a notice text, oob_plain_body() is that text and
 * a line of it must match re_ms_start, which holds its fixed words (same
 * flags); without one the raw body is read, so the family is tried. */
gboolean
oob_bounce_messagingserver_candidate (OobMessageView *view)
{
  const char *body = oob_view_body (view);
  return *body == '\0' || oob_pattern_match (&re_ms_start_words, body, NULL);
}

gboolean
oob_bounce_messagingserver (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  /* Its multipart/report is at times not split by GMime. */
  g_autofree char *body = oob_plain_body (view);
  g_autofree char *block = oob_plain_between (body, &re_ms_start, &re_ms_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  OobRecipient *current = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_ms_field, *line, &groups))
        continue;
      if (g_ascii_strcasecmp (groups[1], "Recipient address") == 0)
        {
          g_autofree char *address = oob_plain_address (groups[2]);
          current = address ? oob_plain_add (report, address, NULL) : NULL;
        }
      else if (current == NULL)
        continue;
      else if (g_ascii_strcasecmp (groups[1], "Original address") == 0)
        {
          if (current->original_recipient == NULL)
            current->original_recipient = oob_plain_address (groups[2]);
        }
      else if (g_ascii_strcasecmp (groups[1], "Remote system") == 0)
        {
          if (current->remote_mta == NULL)
            current->remote_mta = oob_pattern_capture (&re_ms_host, groups[2], 1);
        }
      else if (g_ascii_strcasecmp (groups[1], "Diagnostic code") == 0)
        {
          /* The reply says more than the reason: it goes first. */
          g_autofree char *reply = oob_pattern_replace (&re_ms_typed, groups[2], "");
          g_autofree char *reason = current->diagnostic;
          current->diagnostic = reason ? g_strconcat (reply, " (", reason, ")", NULL) : g_strdup (reply);
          oob_set_string (&current->diagnostic_type, "smtp");
        }
      else if (current->diagnostic == NULL)
        current->diagnostic = g_strdup (groups[2]);
    }
  /* A delay notice: every recipient listed is still queued. */
  if (oob_pattern_match (&re_ms_delayed, body, NULL))
    for (guint i = 0; i < report->recipients->len; i++)
      {
        OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
        oob_set_string (&rcpt->action, "delayed");
        if (rcpt->status == NULL)
          rcpt->status = oob_status_derive (rcpt->diagnostic, 400, NULL);
      }
  return oob_plain_finish (report);
}

/* --- x1: "---The following addresses had delivery errors---" ------------ */

static OobPattern re_x1_start = OOB_PATTERN ("^\\s*-{3,}\\s*The following addresses had delivery errors\\s*-{3,}", PCRE2_CASELESS);
static OobPattern re_x1_rcpt = OOB_PATTERN ("^\\s*<?([^\\s<>\\[]+@[^\\s<>\\[]+?)>?\\s*\\[(.*)\\]\\s*$", 0);

static OobPattern re_x1_start_words = OOB_PATTERN ("The following addresses had delivery errors", PCRE2_CASELESS);

/* Sent by a mail system, or with its subject "Returned Mail: reason". */
static OobPattern re_x1_subject = OOB_PATTERN ("^\\s*Returned Mail:", 0);

static gboolean
x1_sender (OobMessageView *view)
{
  return oob_plain_from_system (view) || oob_pattern_match (&re_x1_subject, view->subject, NULL);
}

/* Sound: a line of the notice text must match re_x1_start, which holds
 * its fixed words (same flags); the sender test is the reader's own. */
gboolean
oob_bounce_x1_candidate (OobMessageView *view)
{
  return oob_pattern_match (&re_x1_start_words, oob_view_body (view), NULL) && x1_sender (view);
}

gboolean
oob_bounce_x1 (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!x1_sender (view))
    return FALSE;
  g_autofree char *after = oob_plain_after (oob_view_body (view), &re_x1_start);
  if (after == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (after, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_x1_rcpt, *line, &groups))
        continue;
      g_autofree char *address = oob_plain_address (groups[1]);
      if (address)
        oob_plain_add (report, address, groups[2]);
    }
  return oob_plain_finish (report);
}

/* --- qmail clones ------------------------------------------------------- */

/* The intros clones put where qmail-send says "Hi. This is the qmail-send
 * program at host": a first line of their own, in English or Spanish. */
#define CLONE_INTROS \
  "Unable to deliver message to the following address(?:es|\\(es\\))?\\s*[.:]|" \
  "Your mail message to the following address(?:es|\\(es\\))? could not be delivered|" \
  "Your message to the following address(?:es|\\(es\\)) (?:could not|was not|has not been)|" \
  "Unfortunately, your mail was not delivered to the following address|" \
  "Hi\\. .{0,80}?unable to deliver your message to the following address|" \
  "This is the (?:machine generated message from mail service|mail delivery agent at)|" \
  "He/Her is not \\S.* user|" \
  "We(?:'|\u2019)re sorry\\.|" \
  "Su mensaje no pudo ser entregado"
static OobPattern re_clone_start = OOB_PATTERN ("^\\s*(?:" CLONE_INTROS ")", PCRE2_CASELESS);
static OobPattern re_clone_end = OOB_PATTERN ("^\\s*-{2,}\\s*(?:Original message follows|Below this line is a copy of the message)", PCRE2_CASELESS);
static OobPattern re_clone_rcpt = OOB_PATTERN ("^(?:To\\s*:\\s*)?<([^\\s<>]+@[^\\s<>]+)>:\\s*(.*)$", 0);

static OobPattern re_clone_start_words = OOB_PATTERN (CLONE_INTROS, PCRE2_CASELESS);

/* Sent by a mail system, or with qmail's own stamps when its sender is
 * another address: its subjects, "(qmail N invoked for bounce)". */
static OobPattern re_clone_subject = OOB_PATTERN (
  "^\\s*(?:failure notice|Permanent Delivery Failure|Delivery failure|fail(?:ure|ed) delivery)\\s*$", PCRE2_CASELESS);
static OobPattern re_clone_received = OOB_PATTERN ("^\\s*\\(qmail \\d+ invoked for bounce\\)", 0);

static gboolean
clone_sender (OobMessageView *view)
{
  return oob_plain_from_system (view) || oob_pattern_match (&re_clone_subject, view->subject, NULL) ||
         oob_plain_received_matches (view, &re_clone_received);
}

/* Sound: a line of the notice text must match re_clone_start, which holds
 * a match of one of its phrases (same flags); the sender test is the
 * reader's own. */
gboolean
oob_bounce_qmailclone_candidate (OobMessageView *view)
{
  return oob_pattern_match (&re_clone_start_words, oob_view_body (view), NULL) && clone_sender (view);
}

gboolean
oob_bounce_qmailclone (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!clone_sender (view))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_clone_start, &re_clone_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  OobRecipient *current = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_clone_rcpt, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          current = address ? oob_plain_add (report, address, groups[2]) : NULL;
        }
      else if (oob_pattern_match (&re_blank, *line, NULL))
        current = NULL;
      else if (current)
        oob_plain_add (report, current->final_recipient, *line);
    }
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      /* qmail-remote's "Remote host said: 550 ..." and the host it names. */
      if (rcpt->smtp_code == 0 && rcpt->diagnostic)
        rcpt->smtp_code = oob_bounce_smtp_code (rcpt->diagnostic);
      if (rcpt->remote_mta == NULL && rcpt->diagnostic)
        rcpt->remote_mta = oob_bounce_remote_host (rcpt->diagnostic);
    }
  return oob_plain_finish (report);
}

/* --- x3: "automatically generated Delivery Status Notification" --------- */

static OobPattern re_x3_mark = OOB_PATTERN ("(?m)^[^\\S\\n]*This is an automatically generated Delivery Status Notification", PCRE2_CASELESS);
static OobPattern re_x3_start = OOB_PATTERN ("^\\s*Del[ei]very to the following recipients? (?:failed|was aborted)", PCRE2_CASELESS);
static OobPattern re_x3_rcpt = OOB_PATTERN ("^\\s*\\*\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s*$", 0);
static OobPattern re_x3_reply = OOB_PATTERN ("^\\s*SMTP:\\s*(\\S+)\\s+host\\s+(\\S+?):\\s*(.+)$", PCRE2_CASELESS);
/* Its other technical details: "Routing: Could not find a gateway for x",
 * "Diagnostic-Code: smtp; 550 ...". */
static OobPattern re_x3_detail = OOB_PATTERN ("^\\s*((?:Routing|Diagnostic-Code)\\s*:\\s*(.+?))\\s*$", PCRE2_CASELESS);

gboolean
oob_bounce_x3 (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  if (!oob_plain_from_system (view) || !oob_pattern_match (&re_x3_mark, body, NULL))
    return FALSE;
  g_autofree char *after = oob_plain_after (body, &re_x3_start);
  if (after == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (after, "\n", -1);
  g_autofree char *reply = NULL, *host = NULL;
  const char *command = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_x3_rcpt, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          if (address)
            oob_plain_add (report, address, NULL);
        }
      else if (reply == NULL && oob_pattern_match (&re_x3_reply, *line, &groups))
        {
          /* "SMTP:RCPT host 192.0.2.1: 550 ...": the command refused. */
          command = oob_smtp_command_from_name (groups[1]);
          host = g_strdup (groups[2]);
          reply = g_strdup (groups[3]);
        }
      else if (reply == NULL && oob_pattern_match (&re_x3_detail, *line, &groups))
        reply = g_strdup (g_str_has_prefix (groups[1], "Routing") ? groups[1] : groups[2]);
    }
  /* One reply is given for the lot; it names the address it refused. */
  for (guint i = 0; reply && i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      oob_set_string (&rcpt->diagnostic, reply);
      oob_set_string (&rcpt->remote_mta, host);
      rcpt->smtp_command = command;
    }
  return oob_plain_finish (report);
}

/* --- Smail 3: framed "Failed addresses follow" ------------------------- */

static OobPattern re_smail_start = OOB_PATTERN ("^\\|-+\\s*Failed addresses follow:\\s*-+\\|\\s*$", PCRE2_CASELESS);
static OobPattern re_smail_end = OOB_PATTERN ("^\\|-+\\s*[A-Za-z ]+ follows?:\\s*-+\\|\\s*$", 0);
static OobPattern re_smail_rcpt = OOB_PATTERN ("^\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s+\\.\\.\\.\\s*(.*?)\\s*$", 0);

static OobPattern re_smail_start_words = OOB_PATTERN ("Failed addresses follow:", PCRE2_CASELESS);

/* Sound: a line of the notice text must match re_smail_start, which holds
 * its fixed words (same flags). */
gboolean
oob_bounce_smail_candidate (OobMessageView *view)
{
  return oob_plain_from_system (view) && oob_pattern_match (&re_smail_start_words, oob_view_body (view), NULL);
}

gboolean
oob_bounce_smail (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_plain_from_system (view))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_smail_start, &re_smail_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_smail_rcpt, *line, &groups))
        continue;
      g_autofree char *address = oob_plain_address (groups[1]);
      if (address)
        oob_plain_add (report, address, groups[2]);
    }
  return oob_plain_finish (report);
}

/* --- x5: a DSN attached to a "Mail Delivery Subsystem" notice ---------- */

static OobPattern re_x5_sender = OOB_PATTERN ("\\bMail Delivery Subsystem\\b", PCRE2_CASELESS);
static OobPattern re_x5_to = OOB_PATTERN ("\\bNotificationRecipients\\b", 0);

/* The display name of the bounce's first From: address, or NULL. */
static const char *
from_name (OobMessageView *view)
{
  InternetAddressList *from = g_mime_message_get_from (view->message);
  if (from == NULL || internet_address_list_length (from) == 0)
    return NULL;
  return internet_address_get_name (internet_address_list_get_address (from, 0));
}

/* The message attached to the bounce, or NULL. */
static GMimeMessage *
attached_message (OobMessageView *view)
{
  GMimeObject *part = oob_view_returned (view);
  return part && GMIME_IS_MESSAGE_PART (part) ? g_mime_message_part_get_message (GMIME_MESSAGE_PART (part)) : NULL;
}

/* Reads inner, the notice attached to the bounce, as a DSN. */
static gboolean
read_attached_dsn (GMimeMessage *inner, OobReport *report)
{
  /* The attached notice is read as a message of its own; the original it
   * returns is the one whose headers count. */
  OobMessageView notice;
  oob_view_init (&notice, inner);
  gboolean found = oob_dsn_parse (&notice, report);
  if (found)
    {
      oob_dsn_fill_from_notice (&notice, report);
      oob_parse_returned_headers (&notice, report);
    }
  oob_view_clear (&notice);
  return found;
}

gboolean
oob_bounce_x5 (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  /* Two of: the sender's name, the subject, the To: header. */
  int marks = oob_pattern_match (&re_x5_sender, from_name (view), NULL) +
              oob_pattern_match (&re_x5_sender, view->subject, NULL) +
              oob_pattern_match (&re_x5_to, oob_plain_header (view, "To"), NULL);
  if (marks < 2)
    return FALSE;
  GMimeMessage *inner = attached_message (view);
  return inner && read_attached_dsn (inner, report);
}

/* --- rewrapped: a DSN sent on again inside a copy of itself -------------
 *
 * A gateway on the reporting side (a content scanner adding its
 * disclaimer, a relay re-sending what it holds) may deliver a mail
 * system's DSN attached to a new message with the same sender and
 * subject: then either the wrapper keeps the DSN's Message-ID, or it has
 * no text of its own (a footer alone is not a notice). */

gboolean
oob_bounce_rewrapped (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_is_forward (view) || !oob_plain_from_system (view))
    return FALSE;
  GMimeMessage *inner = attached_message (view);
  if (inner == NULL)
    return FALSE;
  g_autofree char *inner_from = oob_mime_first_address (g_mime_object_get_header (GMIME_OBJECT (inner), "From"));
  if (inner_from == NULL || g_ascii_strcasecmp (inner_from, view->from) != 0 ||
      g_strcmp0 (g_mime_message_get_subject (inner), view->subject) != 0)
    return FALSE;
  const char *inner_id = g_mime_message_get_message_id (inner);
  gboolean same_id = inner_id && g_strcmp0 (inner_id, g_mime_message_get_message_id (view->message)) == 0;
  if (!same_id && *oob_view_body (view) != '\0')
    return FALSE;
  return read_attached_dsn (inner, report);
}

/* --- x6: "There was an error sending your mail" ------------------------ */

static OobPattern re_x6_subject = OOB_PATTERN ("^\\s*There was an error sending your mail", PCRE2_CASELESS);
static OobPattern re_x6_start = OOB_PATTERN ("^\\s*\\d+\\s*error\\(s\\):", PCRE2_CASELESS);
static OobPattern re_x6_end = OOB_PATTERN ("^\\s*The attachment contains the original mail", PCRE2_CASELESS);
static OobPattern re_x6_rcpt = OOB_PATTERN ("<([^\\s<>@]+@[^\\s<>@]+)>|errors:\\s*([^\\s<>@]+@[^\\s<>@]+)", PCRE2_CASELESS);
static OobPattern re_x6_server = OOB_PATTERN ("^\\s*SMTP Server\\s*<([^\\s<>@]+)>", PCRE2_CASELESS);
static OobPattern re_x6_command = OOB_PATTERN ("\\(Error following ([A-Za-z]+) command\\)", PCRE2_CASELESS);

gboolean
oob_bounce_x6 (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_x6_subject, view->subject, NULL))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_x6_start, &re_x6_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_x6_rcpt, *line, &groups))
        continue;
      g_autofree char *address = oob_plain_address (*groups[1] ? groups[1] : groups[2]);
      OobRecipient *rcpt = address ? oob_plain_add (report, address, *line) : NULL;
      if (rcpt == NULL)
        continue;
      if (rcpt->remote_mta == NULL)
        rcpt->remote_mta = oob_pattern_capture (&re_x6_server, *line, 1);
      g_autofree char *command = oob_pattern_capture (&re_x6_command, *line, 1);
      if (command && rcpt->smtp_command == NULL)
        rcpt->smtp_command = oob_smtp_command_from_name (command);
    }
  return oob_plain_finish (report);
}
