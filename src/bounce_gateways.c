/* bounce_gateways.c - plain-text bounces of mail security gateways.
 *
 * Trend Micro InterScan MSS ("Sent <<< RCPT TO:<a>" / "Received >>> 550 ...",
 * "host [ip] >>> RCPT TO:<a>" / "host [ip] <<< 550 ...", or "Unable to
 * deliver message to <a>"), MailFoundry ("Unable to deliver message to:
 * <a>" / "Delivery failed for the following reason:" per recipient), McAfee
 * MX Logic (Exim-shaped text from mxl~ message ids or with X-MXL-* headers),
 * m-FILTER (Japanese notice with "-------server message" and "-------SMTP
 * command" sections) and Active!Hunter (sendmail-shaped text in an Active!Hunter MIME frame or
 * under its X-AHMailID header).
 * Symantec MessageLabs, SurfControl, McAfee Email Gateway, amavisd-new and
 * Barracuda normally attach a delivery-status part, read by the RFC parser;
 * when it is missing or empty their notice text is read here:
 * MessageLabs "I was unable to deliver your message to the following
 * addresses:" / "Reason:", SurfControl "Addressed To:" / "Failed to send
 * to identified host, a: [ip], reply", McAfee "--- The following addresses
 * had delivery problems ---" / "<a>  (reason)", amavis "The message WAS NOT
 * relayed to:" / "<a>: [ip] said: reply", Barracuda "Your message to: a
 * was blocked by our Spam Firewall".
 * Mimecast's own notice when it gives up ("[Postmaster] Email Delivery
 * Failure", X-Mimecast-* headers): "This is a delivery failure
 * notification message indicating that an email ... addressed to email
 * address :", then "-- address" lines, "The problem appears to be :" and
 * "Additional information follows :" each followed by "-- text" lines,
 * and how many attempts it made over how long.
 * Each one's fingerprint is checked before its text is read; the quoted
 * original is cut off first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "derive.h"
#include "plaintext.h"
#include "smtp_command.h"
#include "status.h"

/* The first paragraph of text after skipping leading blank lines. */
static char *
first_paragraph (const char *text)
{
  static OobPattern re_blank = OOB_PATTERN ("^\\s*$", 0);
  const char *start = text + strspn (text, "\n \t");
  return oob_plain_cut (start, &re_blank);
}

/* --- Trend Micro InterScan MSS ------------------------------------------ */

static OobPattern re_interscan_mark = OOB_PATTERN ("InterScan", 0);
/* Its subjects, in English and Japanese ("the message cannot be
 * delivered", "mail delivery failed"). */
static OobPattern re_interscan_subject = OOB_PATTERN (
  "^\\s*(?:Mail could not be delivered|メッセージを配信できません。|メール配信に失敗しました)\\s*$", 0);
/* The session, one line per step: "Sent <<< RCPT TO:<a>" and "Received >>>
 * 550 ...", or the host before the arrows, ">>>" for what was sent and
 * "<<<" for what was read ("mx.example.net [192.0.2.1] >>> RCPT TO:<a>"). */
static OobPattern re_interscan_sent = OOB_PATTERN ("(?:^\\s*Sent\\s+<<<|\\s>>>)\\s+([A-Za-z]{4})\\b(.*)$", 0);
static OobPattern re_interscan_read = OOB_PATTERN ("(?:^\\s*Received\\s+>>>|\\s<<<)\\s+([245]\\d\\d\\b.*?)\\s*$", 0);
static OobPattern re_interscan_host = OOB_PATTERN ("^\\s*([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)\\s+(?:\\[[^\\]]*\\]\\s+)?<<<", 0);
static OobPattern re_interscan_bracketed = OOB_PATTERN ("<([^\\s<>]+@[^\\s<>]+)>", 0);
/* No session: the address it could not deliver to, alone. */
static OobPattern re_interscan_unable = OOB_PATTERN (
  "^\\s*(?:Reason:\\s*)?(Unable to deliver message to <([^\\s<>]+@[^\\s<>]+)>.*?)\\s*$", PCRE2_CASELESS);

static gboolean
is_interscan (OobMessageView *view)
{
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  const char *boundary = root ? g_mime_object_get_content_type_parameter (root, "boundary") : NULL;
  return oob_pattern_match (&re_interscan_mark, boundary, NULL) ||
         oob_pattern_match (&re_interscan_mark, oob_plain_header (view, "From"), NULL) ||
         oob_pattern_match (&re_interscan_subject, view->subject, NULL);
}

gboolean
oob_bounce_interscanmss (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!is_interscan (view))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (oob_view_body (view), "\n", -1);
  OobRecipient *current = NULL;
  const char *sent = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_interscan_unable, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[2]);
          current = address ? oob_plain_add (report, address, groups[1]) : NULL;
        }
      else if (oob_pattern_match (&re_interscan_sent, *line, &groups))
        {
          /* A recipient is named by RCPT TO; the refusal answers the last
           * command sent (DATA after it, say). */
          sent = oob_smtp_command_from_name (groups[1]);
          g_autofree char *target = oob_pattern_capture (&re_interscan_bracketed, groups[2], 1);
          g_autofree char *address = target && g_strcmp0 (sent, "RCPT") == 0 ? oob_plain_address (target) : NULL;
          if (address)
            current = oob_plain_add (report, address, NULL);
        }
      else if (current && oob_pattern_match (&re_interscan_read, *line, &groups))
        {
          oob_plain_add (report, current->final_recipient, groups[1]);
          current->smtp_command = sent;
          if (current->remote_mta == NULL)
            current->remote_mta = oob_pattern_capture (&re_interscan_host, *line, 1);
        }
    }
  /* It gives up on an address its domain's server refused: an unknown
   * user, unless a status or the reply's words say otherwise. */
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (rcpt->status || !oob_pattern_match (&re_interscan_unable, rcpt->diagnostic, NULL))
        continue;
      rcpt->status = oob_status_derive (rcpt->diagnostic, oob_smtp_code_find (rcpt->diagnostic), rcpt->smtp_command);
      if (rcpt->status == NULL)
        rcpt->status = g_strdup ("5.0.911");
    }
  return oob_plain_finish (report);
}

/* --- MailFoundry -------------------------------------------------------- */

static OobPattern re_mailfoundry_subject = OOB_PATTERN ("^\\s*Message delivery has failed", PCRE2_CASELESS);
static OobPattern re_mailfoundry_rcpt = OOB_PATTERN ("^\\s*Unable to deliver message to:\\s*<?([^\\s<>]+@[^\\s<>]+)>?", PCRE2_CASELESS);
static OobPattern re_mailfoundry_reason = OOB_PATTERN ("^\\s*Delivery failed for the following reason:", PCRE2_CASELESS);
static OobPattern re_mailfoundry_host = OOB_PATTERN ("^(?:Server\\s+)?([A-Za-z0-9.-]+\\.[A-Za-z]{2,})\\[[0-9A-Fa-f.:]+\\]", 0);
static OobPattern re_mailfoundry_code = OOB_PATTERN ("(?:failed with|responded with failure):\\s*([245]\\d\\d)\\b", PCRE2_CASELESS);

/* One "Unable to deliver message to: <a>" per recipient, each followed by
 * "Delivery failed for the following reason:" and the reason's lines. */
gboolean
oob_bounce_mailfoundry (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_mailfoundry_subject, view->subject, NULL))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (oob_view_body (view), "\n", -1);
  OobRecipient *current = NULL;
  gboolean reason = FALSE;
  for (char **line = lines; *line; line++)
    {
      g_autofree char *target = oob_pattern_capture (&re_mailfoundry_rcpt, *line, 1);
      g_autofree char *address = target ? oob_plain_address (target) : NULL;
      if (address)
        {
          current = oob_plain_add (report, address, NULL);
          reason = FALSE;
        }
      else if (oob_pattern_match (&re_mailfoundry_reason, *line, NULL))
        reason = current != NULL;
      else if (oob_bounce_blank (*line))
        reason = FALSE;
      else if (reason)
        oob_plain_add (report, current->final_recipient, *line);
    }
  /* A recipient needs its reason: without one this is not its notice. */
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (rcpt->diagnostic == NULL)
        return FALSE;
      g_free (rcpt->remote_mta);
      rcpt->remote_mta = oob_pattern_capture (&re_mailfoundry_host, rcpt->diagnostic, 1);
      g_autofree char *code = oob_pattern_capture (&re_mailfoundry_code, rcpt->diagnostic, 1);
      rcpt->smtp_code = code ? atoi (code) : 0;
    }
  return oob_plain_finish (report);
}

/* --- McAfee MX Logic ---------------------------------------------------- */

static OobPattern re_mxlogic_id = OOB_PATTERN ("^\\s*<mxl~", 0);
static OobPattern re_mxlogic_received = OOB_PATTERN ("mxlogic", PCRE2_CASELESS);
static OobPattern re_mxlogic_start = OOB_PATTERN ("following address(?:\\(es\\)|es)? failed:\\s*$", PCRE2_CASELESS);
static OobPattern re_mxlogic_end = OOB_PATTERN ("^\\s*(?:Included is a copy of the message header|-{3,} This is a copy of the message)", PCRE2_CASELESS);
/* Exim's layout: "  <a@b>: 550 ..." or "  a@b", the address indented by
 * two spaces at most, its reason lines (if any) indented further. */
static OobPattern re_mxlogic_rcpt = OOB_PATTERN ("^[ \\t]{1,2}<?([^\\s<>:]+@[^\\s<>:]+)>?:?\\s*(.*)$", 0);

/* re_mxlogic_start without its end-of-line anchor, anywhere in the text. */
static OobPattern re_mxlogic_start_words = OOB_PATTERN ("following address(?:\\(es\\)|es)? failed:", PCRE2_CASELESS);

/* Sound: the notice needs a line matching re_mxlogic_start, which holds a
 * match of it without the anchor (same flags).  Cheaper than walking the
 * Received headers, which is_mxlogic does first. */
gboolean
oob_bounce_mxlogic_candidate (OobMessageView *view)
{
  return oob_pattern_match (&re_mxlogic_start_words, oob_view_body (view), NULL);
}

static gboolean
is_mxlogic (OobMessageView *view)
{
  /* Its message-ids, its own headers (X-MX-Bounce, X-MXL-Hash,
   * X-MXL-NoteHash) or its relays in the Received: headers. */
  return oob_pattern_match (&re_mxlogic_id, oob_plain_header (view, "Message-ID"), NULL) ||
         oob_plain_header (view, "X-MX-Bounce") || oob_plain_header (view, "X-MXL-Hash") ||
         oob_plain_header (view, "X-MXL-NoteHash") || oob_plain_received_matches (view, &re_mxlogic_received);
}

/* Reads recipient lines (rcpt_line captures the address and the start of
 * the reason) with their indented continuation lines. */
static void
read_recipient_blocks (const char *block, OobPattern *rcpt_line, OobReport *report)
{
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  OobRecipient *current = NULL;
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (rcpt_line, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          current = address ? oob_plain_add (report, address, groups[2]) : NULL;
        }
      else if (current && g_ascii_isspace (**line) && *g_strstrip (*line))
        oob_plain_add (report, current->final_recipient, *line);
      else
        current = NULL;
    }
}

gboolean
oob_bounce_mxlogic (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!is_mxlogic (view))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_mxlogic_start, &re_mxlogic_end);
  if (block == NULL)
    return FALSE;
  read_recipient_blocks (block, &re_mxlogic_rcpt, report);
  return oob_plain_finish (report);
}

/* --- m-FILTER ----------------------------------------------------------- */

static OobPattern re_mfilter_mark = OOB_PATTERN ("m-FILTER", 0);
static OobPattern re_mfilter_server = OOB_PATTERN ("^-{5,}\\s*server message", PCRE2_CASELESS);
static OobPattern re_mfilter_command = OOB_PATTERN ("^-{5,}\\s*SMTP command", PCRE2_CASELESS);
static OobPattern re_mfilter_section = OOB_PATTERN ("^-{5,}\\s*\\S", 0);

gboolean
oob_bounce_mfilter (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  /* It names itself in its notice or in X-Mailer. */
  if (!oob_pattern_match (&re_mfilter_mark, body, NULL) &&
      !oob_pattern_match (&re_mfilter_mark, oob_plain_header (view, "X-Mailer"), NULL))
    return FALSE;
  g_autofree char *head = oob_plain_cut (body, &re_mfilter_server);
  g_autofree char *server = oob_plain_after (body, &re_mfilter_server);
  g_autofree char *command_text = oob_plain_after (body, &re_mfilter_command);
  if (server == NULL)
    return FALSE;
  g_autofree char *reply = oob_plain_cut (server, &re_mfilter_section);
  g_autofree char *command = command_text ? first_paragraph (command_text) : NULL;
  oob_plain_add_address_lines (report, head, reply);
  /* The section names the command the reply answered. */
  for (guint i = 0; command && i < report->recipients->len; i++)
    ((OobRecipient *) g_ptr_array_index (report->recipients, i))->smtp_command =
      oob_smtp_command_from_name (g_strstrip (command));
  return oob_plain_finish (report);
}

/* --- Active!Hunter ------------------------------------------------------ */

static OobPattern re_activehunter_mark = OOB_PATTERN ("Active!Hunter", 0);
static OobPattern re_activehunter_errors = OOB_PATTERN ("^\\s*-+ The following addresses had permanent fatal errors -+", PCRE2_CASELESS);
static OobPattern re_activehunter_transcript = OOB_PATTERN ("^\\s*-+ Transcript of session follows -+", PCRE2_CASELESS);
static OobPattern re_activehunter_rcpt = OOB_PATTERN ("^>>>\\s*(\\S+@\\S+)", 0);

gboolean
oob_bounce_activehunter (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  /* Its MIME boundary or its own message-id header. */
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  const char *boundary = root ? g_mime_object_get_content_type_parameter (root, "boundary") : NULL;
  if (!oob_pattern_match (&re_activehunter_mark, boundary, NULL) && oob_plain_header (view, "X-AHMailID") == NULL)
    return FALSE;
  const char *body = oob_view_body (view);
  g_autofree char *errors = oob_plain_after (body, &re_activehunter_errors);
  if (errors == NULL)
    return FALSE;
  g_autofree char *addresses = oob_plain_cut (errors, &re_activehunter_transcript);
  g_autofree char *transcript = oob_plain_after (errors, &re_activehunter_transcript);
  g_autofree char *reason = transcript ? first_paragraph (transcript) : NULL;
  g_auto (GStrv) lines = g_strsplit (addresses, "\n", -1);
  /* Without a transcript, the reply is the first line of text under the
   * addresses ("550 ..." at the start of a line). */
  for (char **line = lines; reason == NULL && *line; line++)
    if (g_ascii_isalnum (**line))
      reason = g_strdup (*line);
  for (char **line = lines; *line; line++)
    {
      g_autofree char *target = oob_pattern_capture (&re_activehunter_rcpt, *line, 1);
      g_autofree char *address = target ? oob_plain_address (target) : NULL;
      if (address)
        oob_plain_add (report, address, reason);
    }
  return oob_plain_finish (report);
}

/* "<a>: reason" recipient lines. */
static OobPattern re_colon_rcpt = OOB_PATTERN ("^\\s*<([^\\s<>]+@[^\\s<>]+)>:?\\s*(.*)$", 0);

/* --- Symantec MessageLabs ----------------------------------------------- */

static OobPattern re_messagelabs_mark = OOB_PATTERN ("messagelabs|Symantec Email Security", PCRE2_CASELESS);
static OobPattern re_messagelabs_start = OOB_PATTERN ("^\\s*I was unable to deliver your message to the following addresses:", PCRE2_CASELESS);
static OobPattern re_messagelabs_reason = OOB_PATTERN ("^\\s*Reason:", PCRE2_CASELESS);
static OobPattern re_messagelabs_reason_text = OOB_PATTERN ("(?ms)^[^\\S\\n]*Reason:\\s*(.*?)(?:\\n\\s*\\n|\\z)", PCRE2_CASELESS);

gboolean
oob_bounce_messagelabs (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_messagelabs_mark, oob_plain_header (view, "X-Msg-Ref"), NULL) &&
      !oob_pattern_match (&re_messagelabs_mark, view->from, NULL) &&
      !oob_pattern_match (&re_messagelabs_mark, body, NULL))
    return FALSE;
  g_autofree char *addresses = oob_plain_between (body, &re_messagelabs_start, &re_messagelabs_reason);
  if (addresses == NULL)
    return FALSE;
  g_autofree char *reason = oob_pattern_capture (&re_messagelabs_reason_text, body, 1);
  oob_plain_add_address_lines (report, addresses, reason);
  return oob_plain_finish (report);
}

/* --- SurfControl -------------------------------------------------------- */

static OobPattern re_surfcontrol_mailer = OOB_PATTERN ("SurfControl", PCRE2_CASELESS);
static OobPattern re_surfcontrol_to = OOB_PATTERN ("^\\s*Addressed To:\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_surfcontrol_reply = OOB_PATTERN ("^\\s*<?([^\\s<>]+@[^\\s<>:]+?)>?:\\s*\\[([^\\]]*)\\],?\\s*(.+)$", 0);
static OobPattern re_surfcontrol_end = OOB_PATTERN ("^\\s*-{3}\\s*Message non-deliverable", PCRE2_CASELESS);

gboolean
oob_bounce_surfcontrol (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_plain_header (view, "X-SEF-Processed") &&
      !oob_pattern_match (&re_surfcontrol_mailer, oob_plain_header (view, "X-Mailer"), NULL))
    return FALSE;
  g_autofree char *text = oob_plain_cut (oob_view_body (view), &re_surfcontrol_end);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_surfcontrol_to, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          if (address)
            oob_plain_add (report, address, NULL);
        }
      else if (oob_pattern_match (&re_surfcontrol_reply, *line, &groups))
        {
          g_autofree char *address = oob_plain_address (groups[1]);
          if (address == NULL)
            continue;
          OobRecipient *rcpt = oob_plain_add (report, address, groups[3]);
          if (rcpt && rcpt->remote_mta == NULL && *groups[2])
            oob_set_string (&rcpt->remote_mta, groups[2]);
        }
    }
  return oob_plain_finish (report);
}

/* --- McAfee Email Gateway ----------------------------------------------- */

static OobPattern re_mcafee_header = OOB_PATTERN ("McAfee", PCRE2_CASELESS);
static OobPattern re_mcafee_start = OOB_PATTERN ("^\\s*-{3}\\s*The following addresses had delivery problems\\s*-{3}", PCRE2_CASELESS);
static OobPattern re_mcafee_rcpt = OOB_PATTERN ("^\\s*<([^\\s<>]+@[^\\s<>]+)>\\s*\\((.*)\\)\\s*$", 0);

gboolean
oob_bounce_mcafee (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_mcafee_header, oob_plain_header (view, "X-NAI-Header"), NULL))
    return FALSE;
  g_autofree char *after = oob_plain_after (oob_view_body (view), &re_mcafee_start);
  if (after == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (after, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (!oob_pattern_match (&re_mcafee_rcpt, *line, &groups))
        continue;
      g_autofree char *address = oob_plain_address (groups[1]);
      if (address)
        oob_plain_add (report, address, groups[2]);
    }
  return oob_plain_finish (report);
}

/* --- amavisd-new -------------------------------------------------------- */

static OobPattern re_amavis_mark = OOB_PATTERN ("(?m)^[^\\S\\n]*This nondelivery report was generated by (?:the program )?amavis", PCRE2_CASELESS);
static OobPattern re_amavis_start = OOB_PATTERN ("^\\s*The message WAS NOT (?:relayed|delivered) to:", PCRE2_CASELESS);
static OobPattern re_amavis_end = OOB_PATTERN ("^\\s*This nondelivery report was generated", PCRE2_CASELESS);

gboolean
oob_bounce_amavis (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_amavis_mark, body, NULL))
    return FALSE;
  g_autofree char *block = oob_plain_between (body, &re_amavis_start, &re_amavis_end);
  if (block == NULL)
    return FALSE;
  read_recipient_blocks (block, &re_colon_rcpt, report);
  return oob_plain_finish (report);
}

/* --- Barracuda ---------------------------------------------------------- */

static OobPattern re_barracuda_mark = OOB_PATTERN ("blocked by our (?:Spam Firewall|bulk email filter)", PCRE2_CASELESS);
static OobPattern re_barracuda_rcpt = OOB_PATTERN ("(?m)^[^\\S\\n]*Your message to:\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_barracuda_reason = OOB_PATTERN ("^\\s*Your message to:", PCRE2_CASELESS);

gboolean
oob_bounce_barracuda (OobMessageView *view, OobReport *report)
{
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_barracuda_mark, view->subject, NULL) && !oob_pattern_match (&re_barracuda_mark, body, NULL))
    return FALSE;
  g_autofree char *target = oob_pattern_capture (&re_barracuda_rcpt, body, 1);
  g_autofree char *address = target ? oob_plain_address (target) : NULL;
  g_autofree char *after = oob_plain_after (body, &re_barracuda_reason);
  if (address == NULL || after == NULL)
    return FALSE;
  g_autofree char *reason = first_paragraph (after);
  oob_plain_add (report, address, reason);
  return oob_plain_finish (report);
}

/* --- Trustwave MailMarshal ---------------------------------------------- */

static OobPattern re_mailmarshal_subject = OOB_PATTERN ("^\\s*Undeliverable Mail:\\s*\"", PCRE2_CASELESS);
static OobPattern re_mailmarshal_start = OOB_PATTERN ("^\\s*Your message:\\s*$", PCRE2_CASELESS);
static OobPattern re_mailmarshal_reason = OOB_PATTERN ("^\\s*Could not be delivered because of\\s*$", PCRE2_CASELESS);
static OobPattern re_mailmarshal_rcpts = OOB_PATTERN ("^\\s*The following recipients were affected:\\s*$", PCRE2_CASELESS);
static OobPattern re_mailmarshal_remote = OOB_PATTERN ("(?m)^[^\\S\\n]*Remote-MTA:\\s*<([^<>\\s]+)>", PCRE2_CASELESS);
static OobPattern re_mailmarshal_reporting = OOB_PATTERN ("(?m)^[^\\S\\n]*Reporting-MTA:\\s*<([^<>\\s]+)>", PCRE2_CASELESS);

gboolean
oob_bounce_mailmarshal (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_mailmarshal_subject, view->subject, NULL))
    return FALSE;
  const char *body = oob_view_body (view);
  g_autofree char *message = oob_plain_after (body, &re_mailmarshal_start);
  g_autofree char *reason = message ? oob_plain_between (message, &re_mailmarshal_reason, &re_mailmarshal_rcpts) : NULL;
  g_autofree char *affected = message ? oob_plain_after (message, &re_mailmarshal_rcpts) : NULL;
  if (reason == NULL || affected == NULL)
    return FALSE;
  g_autofree char *addresses = first_paragraph (affected);
  g_autofree char *remote = oob_pattern_capture (&re_mailmarshal_remote, affected, 1);
  oob_plain_add_address_lines (report, addresses, reason);
  for (guint i = 0; remote && i < report->recipients->len; i++)
    oob_set_string (&((OobRecipient *) g_ptr_array_index (report->recipients, i))->remote_mta, remote);
  if (report->recipients->len && report->reporting_mta == NULL)
    report->reporting_mta = oob_pattern_capture (&re_mailmarshal_reporting, affected, 1);
  return oob_plain_finish (report);
}

/* --- Mimecast ----------------------------------------------------------- */

static OobPattern re_mimecast_intro = OOB_PATTERN (
  "(?m)^[^\\S\\n]*This is a delivery failure notification message indicating that", PCRE2_CASELESS);
static OobPattern re_mimecast_subject = OOB_PATTERN ("^\\s*\\[Postmaster\\]\\s*Email Delivery Failure", PCRE2_CASELESS);
static OobPattern re_mimecast_header = OOB_PATTERN ("^X-Mimecast-", PCRE2_CASELESS);
static OobPattern re_mimecast_section = OOB_PATTERN (
  "^.*?\\b(?:addressed to email address|The problem appears to be|Additional information follows)\\s*:\\s*$", PCRE2_CASELESS);
static OobPattern re_mimecast_item = OOB_PATTERN ("^\\s*--\\s+(\\S.*?)\\s*$", 0);
static OobPattern re_mimecast_attempts = OOB_PATTERN ("(?m)^[^\\S\\n]*This condition occurred after (\\d+) attempt", PCRE2_CASELESS);

static gboolean
has_mimecast_header (OobMessageView *view)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (view->message));
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    if (oob_pattern_match (&re_mimecast_header, g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i)), NULL))
      return TRUE;
  return FALSE;
}

/* The "-- text" lines under the section heading that first matches
 * heading_word, joined; NULL if none. */
static char *
mimecast_items (char **lines, const char *heading_word)
{
  GString *out = NULL;
  for (char **line = lines; *line; line++)
    {
      if (!oob_pattern_match (&re_mimecast_section, *line, NULL) || strstr (*line, heading_word) == NULL)
        continue;
      for (line++; *line; line++)
        {
          g_auto (GStrv) groups = NULL;
          if (!oob_pattern_match (&re_mimecast_item, *line, &groups))
            break;
          if (out == NULL)
            out = g_string_new (groups[1]);
          else
            g_string_append_printf (out, "\n%s", groups[1]);
        }
      break;
    }
  return out ? g_string_free (out, FALSE) : NULL;
}

gboolean
oob_bounce_mimecast (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_mimecast_intro, body, NULL) ||
      !(oob_pattern_match (&re_mimecast_subject, view->subject, NULL) || has_mimecast_header (view)))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (body, "\n", -1);
  g_autofree char *addresses = mimecast_items (lines, "addressed to");
  if (addresses == NULL)
    return FALSE;
  g_autofree char *problem = mimecast_items (lines, "problem");
  g_autofree char *information = mimecast_items (lines, "information");
  /* The reply says more than Mimecast's summary of it: it goes first. */
  g_autofree char *reason = information && problem ? g_strdup_printf ("%s (%s)", information, problem)
                                                   : g_strdup (information ? information : problem);
  g_autofree char *attempts = oob_pattern_capture (&re_mimecast_attempts, body, 1);
  g_auto (GStrv) listed = g_strsplit (addresses, "\n", -1);
  for (char **line = listed; *line; line++)
    {
      g_autofree char *address = oob_plain_address (*line);
      OobRecipient *rcpt = address ? oob_plain_add (report, address, reason) : NULL;
      if (rcpt == NULL || rcpt->status)
        continue;
      /* A notice of failure: a temporary reply it kept getting until it
       * gave up means the message expired in its queue. */
      g_autofree char *derived = oob_status_derive (rcpt->diagnostic, 0, NULL);
      if (attempts && derived && derived[0] == '4')
        rcpt->status = g_strdup ("5.0.947");
    }
  return oob_plain_finish (report);
}
