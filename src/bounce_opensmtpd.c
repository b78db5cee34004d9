/* bounce_opensmtpd.c - small MTAs whose notices list one line or one block
 * per recipient: OpenSMTPD, the DragonFly Mail Agent (dma) and Courier
 * (when its notice comes without the delivery-status part).
 *
 * OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this
 * e-mail.", "An error has occurred while attempting to deliver a message
 * for the following list of recipients:" (or "A message is delayed for more
 * than N minutes for the following list of recipients:", a delay notice),
 * then "user@domain: reason" lines, then "Below is a copy of the original
 * message:".
 * dma: "This is the DragonFly Mail Agent vX at HOST.", "There was an error
 * delivering your mail to <user@domain>.", the reason ("mx.example.net
 * [192.0.2.1] did not like our RCPT TO:" and the reply), then "Message
 * headers follow." / "Original message follows.".
 * Courier: "running the Courier mail server", "Your message to the
 * following recipients cannot be delivered:" (a delay notice says "DELAYS
 * IN DELIVERING YOUR MESSAGE" before its list), per recipient
 * "<user@domain>:" and the dialogue (">>> RCPT TO:<...>", "<<< 550 ..."),
 * closed by a line of dashes.  A site may reword (or translate) Courier's
 * text; its notice is still Courier's when a mail system sends it with
 * Courier's own stamps: the subject "NOTICE: mail delivery status." or
 * "WARNING: delayed mail.", a "<courier.HEX...>" Message-ID, a From: name
 * "Courier mail server at HOST".  Its recipients are then the
 * "<user@domain>:" lines up to the rule after them.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "smtp_command.h"

/* ---- OpenSMTPD --------------------------------------------------------- */

static OobPattern re_osmtpd_daemon = OOB_PATTERN (
  "^[^\\S\\n]*This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_osmtpd_list = OOB_PATTERN ("following\\s+list\\s+of\\s+recipients:", PCRE2_CASELESS);
static OobPattern re_osmtpd_delayed = OOB_PATTERN (
  "message is delayed for more than|only a temporary failure report", PCRE2_CASELESS);
static OobPattern re_osmtpd_original = OOB_PATTERN (
  "^[^\\S\\n]*Below is a copy of the original message", PCRE2_MULTILINE | PCRE2_CASELESS);
static OobPattern re_osmtpd_recipient = OOB_PATTERN ("^\\s*<?([^\\s<>:]+@[^\\s<>:]+?)>?:\\s+(\\S.*)$", 0);

gboolean
oob_bounce_opensmtpd (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view) || !oob_pattern_match (&re_osmtpd_daemon, body, NULL))
    return FALSE;
  g_autofree char *notice = oob_bounce_text_until (body, &re_osmtpd_original);
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (&re_osmtpd_list, notice, &groups))
    return FALSE;

  const char *action = oob_pattern_match (&re_osmtpd_delayed, notice, NULL) ? "delayed" : "failed";
  g_auto (GStrv) lines = g_strsplit (strstr (notice, groups[0]) + strlen (groups[0]), "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) parts = NULL;
      if (oob_pattern_match (&re_osmtpd_recipient, *line, &parts))
        oob_bounce_add_recipient (report, parts[1], parts[2], action);
    }
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}

/* ---- DragonFly Mail Agent ---------------------------------------------- */

static OobPattern re_dma_intro = OOB_PATTERN ("^This is the DragonFly Mail Agent\\b", PCRE2_MULTILINE);
static OobPattern re_dma_recipient = OOB_PATTERN (
  "^There was an error delivering your mail to <([^<>\\s]*)>\\.?[ \\t]*$", PCRE2_MULTILINE);
static OobPattern re_dma_original = OOB_PATTERN (
  "^(?:Message headers follow|Original message follows)\\.?", PCRE2_MULTILINE);

gboolean
oob_bounce_dragonfly (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view) || !oob_pattern_match (&re_dma_intro, body, NULL))
    return FALSE;
  g_autofree char *notice = oob_bounce_text_until (body, &re_dma_original);
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (&re_dma_recipient, notice, &groups))
    return FALSE;
  const char *reason = strstr (notice, groups[0]) + strlen (groups[0]);
  if (!oob_bounce_add_recipient (report, groups[1], reason, "failed"))
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}

/* ---- Courier ----------------------------------------------------------- */

static OobPattern re_courier_intro = OOB_PATTERN ("running the Courier mail server", PCRE2_CASELESS);
static OobPattern re_courier_subject = OOB_PATTERN ("^\\s*(?:NOTICE: mail delivery status|WARNING: delayed mail)\\.?\\s*$", PCRE2_CASELESS);
static OobPattern re_courier_message_id = OOB_PATTERN ("^\\s*<?courier\\.[0-9A-F]+\\.", PCRE2_CASELESS);
static OobPattern re_courier_from = OOB_PATTERN ("Courier mail server at ", PCRE2_CASELESS);
static OobPattern re_courier_list = OOB_PATTERN ("following recipients[^\\n]*:[ \\t]*\\n", PCRE2_CASELESS);
static OobPattern re_courier_delayed = OOB_PATTERN ("delays in delivering|warning message only|delayed", PCRE2_CASELESS);
/* A success report (delivery status notification requested): nobody failed. */
static OobPattern re_courier_success = OOB_PATTERN (
  "successfully\\s+delivered|have\\s+received\\s+your\\s+message|was\\s+relayed", PCRE2_CASELESS);
static OobPattern re_courier_recipient = OOB_PATTERN ("^<([^<>\\s]+@[^<>\\s]+)>:\\s*(.*)$", 0);
static OobPattern re_courier_rule = OOB_PATTERN ("^-{10,}\\s*$", 0);

/* TRUE if a mail system sent the notice with Courier's stamps. */
static gboolean
stamped_by_courier (OobMessageView *view)
{
  GMimeObject *message = GMIME_OBJECT (view->message);
  return oob_bounce_from_mail_system (view) &&
         (oob_pattern_match (&re_courier_subject, view->subject, NULL) ||
          oob_pattern_match (&re_courier_message_id, g_mime_object_get_header (message, "Message-ID"), NULL) ||
          oob_pattern_match (&re_courier_from, g_mime_object_get_header (message, "From"), NULL));
}

gboolean
oob_bounce_courier (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  gboolean own_text = oob_pattern_match (&re_courier_intro, body, NULL);
  if (!own_text && !stamped_by_courier (view))
    return FALSE;
  g_auto (GStrv) groups = NULL;
  const char *list = NULL;
  if (oob_pattern_match (&re_courier_list, body, &groups))
    list = strstr (body, groups[0]) + strlen (groups[0]);
  else if (own_text)
    return FALSE;
  else
    list = body; /* reworded: the "<user@domain>:" lines are the list */
  g_autofree char *intro = g_strndup (body, list - body);
  const char *action = oob_pattern_match (&re_courier_success, intro, NULL) ? "delivered"
                       : oob_pattern_match (&re_courier_delayed, intro, NULL) ||
                             oob_pattern_match (&re_courier_delayed, view->subject, NULL) ? "delayed" : "failed";
  g_auto (GStrv) lines = g_strsplit (list, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) parts = NULL;
      /* The rule after the list ends it. */
      if (oob_pattern_match (&re_courier_rule, *line, NULL))
        {
          if (report->recipients->len)
            break;
          continue;
        }
      if (!oob_pattern_match (&re_courier_recipient, *line, &parts))
        continue;
      GString *reason = g_string_new (parts[2]);
      g_autoptr (GString) session = g_string_new (NULL);
      for (; line[1] && !oob_pattern_match (&re_courier_rule, line[1], NULL) &&
             !oob_pattern_match (&re_courier_recipient, line[1], NULL); line++)
        {
          const char *text = line[1];
          g_string_append_printf (session, "%s\n", text);
          if (g_str_has_prefix (text, "<<<"))
            text += 3;
          else if (g_str_has_prefix (text, ">>>"))
            continue; /* our own command: not the reason */
          g_string_append_printf (reason, "\n%s", text);
        }
      g_autofree char *said = g_string_free (reason, FALSE);
      OobRecipient *rcpt = oob_bounce_add_recipient (report, parts[1], said, action);
      /* The dialogue tells the stage the reply answered (">>> DATA"). */
      if (rcpt && rcpt->smtp_command == NULL)
        rcpt->smtp_command = oob_smtp_command_find (session->str);
    }
  if (report->recipients->len == 0)
    return FALSE;
  report->type = OOB_REPORT_BOUNCE;
  return TRUE;
}
