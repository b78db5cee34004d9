/* bounce_carriers.c - bounces of mobile carriers' mail systems.
 *
 * au by KDDI: EZweb (two of: its mail system at ezweb.ne.jp or au.com,
 * "Mail System Error - Returned Mail", au's relays in Received; "<address>"
 * lines, "<address>: reply" lines or "Recipient: <address>" with the
 * ">>> RCPT TO" / "<<< 550 ..." exchange, and a short English reason) and
 * au one net (no-reply@*.dion.ne.jp or au's relays: "Could not be
 * delivered to: <a>" and the reason, or only the Japanese reason with the
 * original attached).  X-SPASIGN: NG on either says au's spam filter
 * refused the message.
 * Verizon Wireless: the MMSC NDR (sysadmin@*.vzwpix.com, "Error: ..." and
 * an "Original Message:" summary naming the handset) and vtext.com
 * ("Error: ...", "Error message below:" reply, "RCPT TO:" in the details).
 * BIGLOBE (postmaster@biglobe.ne.jp and the cable ISPs it serves,
 * "Returned mail:"): address lines under "----- The following addresses
 * had delivery problems -----", the reason under "----- Non-delivered
 * information -----".
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "mime.h"
#include "plaintext.h"
#include "smtp_command.h"
#include "status.h"

/* TRUE if the bounce's From:, Message-ID or Reply-To is under domain_re. */
static gboolean
sent_from (OobMessageView *view, OobPattern *domain_re)
{
  return oob_pattern_match (domain_re, view->from, NULL) ||
         oob_pattern_match (domain_re, oob_plain_header (view, "Message-ID"), NULL) ||
         oob_pattern_match (domain_re, oob_plain_header (view, "Reply-To"), NULL);
}

/* --- au EZweb ----------------------------------------------------------- */

static OobPattern re_ezweb_domain = OOB_PATTERN ("[@.](?:ezweb\\.ne\\.jp|au\\.com)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_ezweb_subject = OOB_PATTERN ("^\\s*Mail System Error - Returned Mail", PCRE2_CASELESS);
static OobPattern re_ezweb_end = OOB_PATTERN ("^-{10,}\\s*$|^\\s*Content-Type:\\s*message/rfc822", PCRE2_CASELESS);
static OobPattern re_ezweb_recipient = OOB_PATTERN ("^\\s*(?:Recipient:\\s*)?<([^\\s<>]+@[^\\s<>]+)>\\s*$", PCRE2_CASELESS);
/* "<address>: 550 user unknown (in reply to RCPT TO command)". */
static OobPattern re_ezweb_recipient_reply = OOB_PATTERN ("^<([^\\s<>]+@[^\\s<>]+)>:\\s*(\\S.*)$", 0);
/* au's own sentence about the handset's account, which says more than the
 * reply quoted after it ("550 user unknown"). */
static OobPattern re_ezweb_account = OOB_PATTERN ("The user\\(s\\) account is", 0);
static OobPattern re_ezweb_received = OOB_PATTERN ("ezweb\\.ne\\.jp \\(EZweb Mail\\) with|\\.au\\.com \\(", PCRE2_CASELESS);
static OobPattern re_ezweb_command = OOB_PATTERN ("^\\s*>>>", 0);
static OobPattern re_ezweb_reply = OOB_PATTERN ("^\\s*<<<\\s*(.*)$", 0);
/* Without a reply from the handset's server, au's own receive filter refused it. */
static OobPattern re_ezweb_filter = OOB_PATTERN ("rejected by a remote\\s+mail server", PCRE2_CASELESS);

/* TRUE if the bounce's X-SPASIGN says au's spam filter refused it. */
static gboolean
spam_filtered (OobMessageView *view)
{
  const char *spasign = oob_plain_header (view, "X-SPASIGN");
  g_autofree char *flag = spasign ? g_strstrip (g_strdup (spasign)) : NULL;
  return g_strcmp0 (flag, "NG") == 0;
}

gboolean
oob_bounce_ezweb (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  /* Two of: au's mail system as the sender, its subject, relayed by au's
   * servers; one of the first two (a subscriber's own mail has the last). */
  gboolean system = oob_plain_from_system (view) && sent_from (view, &re_ezweb_domain);
  gboolean subject = oob_pattern_match (&re_ezweb_subject, view->subject, NULL);
  gboolean relayed = oob_plain_received_matches (view, &re_ezweb_received);
  if (!(system && subject) && !((system || subject) && relayed))
    return FALSE;
  g_autofree char *text = oob_plain_cut (oob_view_body (view), &re_ezweb_end);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *reason = g_string_new (NULL);
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) replies = g_ptr_array_new_with_free_func (g_free);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_ezweb_recipient, *line, &groups))
        {
          char *address = oob_plain_address (groups[1]);
          if (address == NULL)
            continue;
          g_ptr_array_add (addresses, address);
          g_ptr_array_add (replies, NULL);
        }
      else if (oob_pattern_match (&re_ezweb_recipient_reply, *line, &groups))
        {
          char *address = oob_plain_address (groups[1]);
          if (address == NULL)
            continue;
          g_ptr_array_add (addresses, address);
          g_ptr_array_add (replies, g_strdup (groups[2]));
        }
      else if (oob_pattern_match (&re_ezweb_reply, *line, &groups))
        {
          if (addresses->len)
            {
              g_free (g_ptr_array_index (replies, addresses->len - 1));
              g_ptr_array_index (replies, addresses->len - 1) = g_strdup (groups[1]);
            }
        }
      /* A line its mislabelled charset left undecodable (U+FFFD) says nothing. */
      else if (!oob_pattern_match (&re_ezweb_command, *line, NULL) && **line && !strstr (*line, "\xef\xbf\xbd"))
        g_string_append_printf (reason, "%s\n", *line);
    }
  gboolean filtered = spam_filtered (view);
  gboolean account = oob_pattern_match (&re_ezweb_account, reason->str, NULL);
  for (guint i = 0; i < addresses->len; i++)
    {
      const char *reply = g_ptr_array_index (replies, i);
      g_autofree char *both = reply && account ? g_strconcat (reason->str, reply, NULL) : NULL;
      OobRecipient *rcpt = oob_plain_add (report, g_ptr_array_index (addresses, i), both ? both : reply ? reply : reason->str);
      if (rcpt && (filtered || (reply == NULL && oob_pattern_match (&re_ezweb_filter, rcpt->diagnostic, NULL))))
        oob_set_string (&rcpt->status, "5.0.910");
      if (rcpt && reply && rcpt->smtp_code == 0)
        rcpt->smtp_code = oob_smtp_code_find (reply);
    }
  g_string_free (reason, TRUE);
  return oob_plain_finish (report);
}

/* --- au one net (KDDI) -------------------------------------------------- */

static OobPattern re_kddi_domain = OOB_PATTERN ("[@.](?:dion\\.ne\\.jp|auone-net\\.jp)>?\\s*$", PCRE2_CASELESS);
/* Relayed by au's own servers: "by mx.ezweb.ne.jp (...)", "... .au.com (". */
static OobPattern re_kddi_received = OOB_PATTERN ("(?:ezweb\\.ne\\.jp|\\.au\\.com) \\(", PCRE2_CASELESS);
static OobPattern re_kddi_sent_on =
  OOB_PATTERN ("(?m)^[^\\S\\n]*Your mail (?:sent on|attempted to be delivered on):?", PCRE2_CASELESS);
static OobPattern re_kddi_rcpt = OOB_PATTERN ("^\\s*Could not be delivered to:\\s*<?([^\\s<>]+@[^\\s<>]+)>?", PCRE2_CASELESS);
static OobPattern re_kddi_relay_error = OOB_PATTERN ("Due to the following SMTP relay error", PCRE2_CASELESS);

/* The one address in the returned message's To:, or NULL. */
static char *
returned_single_to (OobMessageView *view)
{
  GMimeObject *part = oob_view_returned (view);
  if (part == NULL || !GMIME_IS_MESSAGE_PART (part))
    return NULL;
  GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
  InternetAddressList *to = inner ? g_mime_message_get_to (inner) : NULL;
  if (to == NULL || internet_address_list_length (to) != 1)
    return NULL;
  g_autofree char *text = internet_address_list_to_string (to, NULL, FALSE);
  return oob_mime_first_address (text);
}

/* Adds one recipient of an au one net notice; its status when the words
 * or the filter flag say what the text does not. */
static void
kddi_add (OobReport *report, const char *address, const char *reason, gboolean filtered)
{
  OobRecipient *rcpt = oob_plain_add (report, address, reason);
  if (rcpt == NULL || rcpt->status)
    return;
  /* X-SPASIGN: NG, au's spam filter refused it. */
  if (filtered)
    rcpt->status = g_strdup ("5.0.910");
  else if (reason && oob_pattern_match (&re_kddi_relay_error, reason, NULL))
    rcpt->status = g_strdup ("5.0.909");
}

gboolean
oob_bounce_kddi (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  /* Sent from au one net, or by a mail system through au's relays. */
  if (!sent_from (view, &re_kddi_domain) &&
      !(oob_plain_from_system (view) && oob_plain_received_matches (view, &re_kddi_received)))
    return FALSE;
  const char *body = oob_view_body (view);
  if (!oob_pattern_match (&re_kddi_sent_on, body, NULL))
    return FALSE;
  gboolean filtered = spam_filtered (view);
  /* Each "Could not be delivered to:" line and the reason lines under it;
   * lines before the first (the date it was sent) name nobody. */
  g_auto (GStrv) lines = g_strsplit (body, "\n", -1);
  g_autofree char *address = NULL;
  g_autoptr (GString) reason = g_string_new (NULL);
  g_autoptr (GString) unnamed = g_string_new (NULL);
  for (char **line = lines;; line++)
    {
      g_auto (GStrv) groups = NULL;
      gboolean next = *line && oob_pattern_match (&re_kddi_rcpt, *line, &groups);
      if ((next || *line == NULL) && address)
        kddi_add (report, address, reason->str, filtered);
      if (*line == NULL)
        break;
      if (next)
        {
          g_free (address);
          address = oob_plain_address (groups[1]);
          g_string_assign (reason, *line);
        }
      else if (oob_pattern_match (&re_kddi_sent_on, *line, NULL))
        continue;
      else
        g_string_append_printf (address ? reason : unnamed, "\n%s", *line);
    }
  /* The notice may name nobody: its one recipient is the original's. */
  g_autofree char *original_to = report->recipients->len ? NULL : returned_single_to (view);
  if (original_to)
    kddi_add (report, original_to, unnamed->str, filtered);
  return oob_plain_finish (report);
}

/* --- Verizon Wireless --------------------------------------------------- */

static OobPattern re_verizon_domain = OOB_PATTERN ("[@.](?:vzwpix\\.com|vtext\\.com)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_verizon_error = OOB_PATTERN ("(?m)^[^\\S\\n]*Error:\\s*(.+)$", 0);
static OobPattern re_verizon_below = OOB_PATTERN ("^\\s*Error message below:", PCRE2_CASELESS);
static OobPattern re_verizon_rcpt_to = OOB_PATTERN ("(?m)^[^\\S\\n]*RCPT TO:\\s*<?([^\\s<>]+@[^\\s<>]+)", PCRE2_CASELESS);
static OobPattern re_verizon_original = OOB_PATTERN ("^\\s*Original Message:", PCRE2_CASELESS);
static OobPattern re_verizon_to = OOB_PATTERN ("(?m)^[^\\S\\n]*To:\\s*(.+)$", PCRE2_CASELESS);
static OobPattern re_blank = OOB_PATTERN ("^\\s*$", 0);

gboolean
oob_bounce_verizon (OobMessageView *view, OobReport *report)
{
  /* Its notices answer the message ("Re: <subject>"), so a reply's subject
   * does not mark a person's message here: its domain and sender do. */
  if (!sent_from (view, &re_verizon_domain) || !oob_plain_from_system (view))
    return FALSE;
  /* Its multipart/alternative is often cut by a header line that lost its
   * indentation. */
  g_autofree char *body = oob_plain_body (view);
  g_autofree char *error = oob_pattern_capture (&re_verizon_error, body, 1);
  if (error == NULL)
    return FALSE;
  /* vtext.com's details name each recipient, "RCPT TO: address". */
  g_auto (GStrv) targets = oob_pattern_capture_all (&re_verizon_rcpt_to, body, 1);
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; targets[i]; i++)
    {
      char *address = oob_plain_address (targets[i]);
      if (address)
        g_ptr_array_add (addresses, address);
    }
  if (addresses->len == 0)
    {
      /* The MMSC summarises the original; its To: is the handset. */
      g_autofree char *original = oob_plain_after (body, &re_verizon_original);
      g_autofree char *target = original ? oob_pattern_capture (&re_verizon_to, original, 1) : NULL;
      char *address = target ? oob_plain_address (target) : NULL;
      if (address)
        g_ptr_array_add (addresses, address);
    }
  if (addresses->len == 0)
    return FALSE;
  g_autofree char *below = oob_plain_after (body, &re_verizon_below);
  g_autofree char *reply = below ? oob_plain_cut (below + strspn (below, "\n"), &re_blank) : NULL;
  g_autofree char *diagnostic = g_strjoin (" ", error, reply, NULL);
  int code = reply ? oob_smtp_code_find (reply) : 0;
  for (guint i = 0; i < addresses->len; i++)
    {
      OobRecipient *rcpt = oob_plain_add (report, g_ptr_array_index (addresses, i), diagnostic);
      if (rcpt && reply)
        rcpt->smtp_code = code;
    }
  return oob_plain_finish (report);
}

/* --- BIGLOBE ------------------------------------------------------------ */

static OobPattern re_biglobe_from = OOB_PATTERN ("^postmaster@(?:biglobe|inacatv|tmtv|ttv)\\.ne\\.jp$", PCRE2_CASELESS);
static OobPattern re_biglobe_subject = OOB_PATTERN ("^\\s*Returned mail:", PCRE2_CASELESS);
static OobPattern re_biglobe_start = OOB_PATTERN ("^\\s*-+\\s*The following addresses had delivery problems\\s*-+\\s*$", PCRE2_CASELESS);
static OobPattern re_biglobe_reason = OOB_PATTERN ("^\\s*-+\\s*Non-delivered information\\s*-+\\s*$", PCRE2_CASELESS);

gboolean
oob_bounce_biglobe (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_biglobe_from, view->from, NULL) ||
      !oob_pattern_match (&re_biglobe_subject, view->subject, NULL))
    return FALSE;
  const char *body = oob_view_body (view);
  g_autofree char *after = oob_plain_after (body, &re_biglobe_start);
  g_autofree char *below = oob_plain_after (body, &re_biglobe_reason);
  if (after == NULL)
    return FALSE;
  /* Without its "Non-delivered information" the list ends at a blank line
   * and the notice gives no reason. */
  g_autofree char *addresses = oob_plain_cut (after, below ? &re_biglobe_reason : &re_blank);
  g_autofree char *reason = below ? oob_plain_cut (below + strspn (below, " \t\r\n"), &re_blank) : NULL;
  oob_plain_add_address_lines (report, addresses, reason);
  /* BIGLOBE had accepted the message; what it says now came after DATA
   * (its "User unknown" then stands for the owner's receive filter, as
   * au's does). */
  for (guint i = 0; i < report->recipients->len; i++)
    ((OobRecipient *) g_ptr_array_index (report->recipients, i))->smtp_command = oob_smtp_command_from_name ("DATA");
  return oob_plain_finish (report);
}
