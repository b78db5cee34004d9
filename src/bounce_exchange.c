/* bounce_exchange.c - Microsoft Exchange NDRs without a delivery-status part.
 *
 * Exchange 5.5/2000/2003 (Internet Mail Service / Internet Mail Connector):
 * X-MS-Embedded-Report, an Exchange X-Mailer or X-MimeOLE, or a Received
 * line "with Internet Mail Service (...)", Subject "Undeliverable:",
 * "did not reach the following recipient(s):" (or "The following
 * recipient(s) could not be reached:"), then per recipient a line
 * "address on DATE" (the address may stand in an X.400 O/R address, "...;
 * dda:SMTP=address;", and the date wrap) followed by indented reason lines
 * and MSEXCH codes (whose hexadecimal error code gives the status, see
 * msexch_detail); the one-recipient form "Did not reach the following
 * recipient: address" (then no reason: on hold), which without those
 * headers is read in a mail system's "Undeliverable:" notice.
 * The "--- Non-Delivery Report ---" notices of Windows mail servers that
 * send them through CDO (X-Mailer "Microsoft CDO for Windows 2000",
 * Subject "Non-Delivery: <original subject>"): "The email below could not
 * be delivered to the following user(s):", one address a line ('"a" <a>'
 * or bare), then "Old message:" and the original's text; no reason given.
 * Exchange 2007 and later: "Diagnostic information for administrators:",
 * "Generating server: host", then per recipient the address alone on a line
 * (maybe followed by the remote host's name on its own line) and the reply
 * ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##" or "Remote
 * Server at host returned '...'").  Those that do attach a
 * delivery-status part are read by the RFC parser first.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "derive.h"
#include "bounce_text.h"
#include "plaintext.h"

static OobPattern re_exchange_mailer = OOB_PATTERN ("Internet Mail Service|Microsoft Exchange", 0);
static OobPattern re_exchange_mimeole = OOB_PATTERN ("^\\s*Produced By Microsoft Exchange", 0);
static OobPattern re_exchange_received = OOB_PATTERN ("\\swith Internet Mail Service \\(", 0);
static OobPattern re_2003_start = OOB_PATTERN (
  "did not reach the following recipient(?:\\(s\\))?:|following recipient\\(s\\) could not be reached:", PCRE2_CASELESS);
/* The one-recipient form names the address on the same line. */
static OobPattern re_2003_inline = OOB_PATTERN (
  "(?m)^[^\\S\\n]*did not reach the following recipient:\\s*<?([^\\s<>]+@[^\\s<>]+?)>?\\s*$", PCRE2_CASELESS);
static OobPattern re_2003_subject = OOB_PATTERN ("^\\s*Undeliverable:", PCRE2_CASELESS);
/* "address on DATE", the address bare or inside an X.400 O/R address
 * ("c=US;a= ;p=Org;o=Site;dda:SMTP=address;"). */
static OobPattern re_2003_recipient = OOB_PATTERN ("^\\s*(?:.*?\\bSMTP=)?(\\S+@[^\\s;]+?);?\\s+on\\s+\\S.*$", 0);
static OobPattern re_blank = OOB_PATTERN ("^\\s*$", 0);
/* Lines that only identify the original, not the failure, and the time
 * of a failure date wrapped onto a line of its own. */
static OobPattern re_2003_noise = OOB_PATTERN (
  "^\\s*(?:The MTS-ID of the original message is:|;|\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s+[-+]\\d{4})?\\s*$)", PCRE2_CASELESS);

/* The Internet Mail Service's own error code in its MSEXCH line:
 * "MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient". */
static OobPattern re_2003_msexch_code = OOB_PATTERN ("\\bMSEXCH:[^()]*?\\(([0-9A-F]{8})\\)", 0);

/* The pseudo status of what an MSEXCH code reports (0: none known).  The
 * codes under which Exchange files every reply of a remote MTA (host
 * unknown, relaying refused, size) do not say which it was: on hold,
 * unless the reply's words do. */
static int
msexch_detail (const char *reason)
{
  g_autofree char *code = oob_pattern_capture (&re_2003_msexch_code, reason, 1);
  if (code == NULL)
    return 0;
  static const struct {
    const char *code;
    int detail;
  } table[] = {
    { "000C05A6", 911 }, /* Unknown Recipient */
    { "000C0595", 910 }, /* Ambiguous Recipient */
    { "000B099C", 901 }, /* the remote MTA's reply */
    { "000B09AA", 901 },
    { "000B09B6", 901 },
    { "00010256", 930 }, /* Too many recipients */
    { "000D06B5", 930 }, /* No proxy for the recipient */
    { "00120270", 944 }, /* Too many hops */
    { "00050311", 960 }, /* Conversion to Internet format failed */
    { "000502CC", 960 },
    { "000B0981", 970 }, /* the server does not support AUTH */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (code, table[i].code) == 0)
      return table[i].detail;
  return 0;
}

/* Adds an entry of the 2003 list, its status from its MSEXCH code; under
 * a code that files any remote reply (on hold) the reply's words say
 * more when they name a reason. */
static void
add_2003_recipient (OobReport *report, const char *address, const char *reason)
{
  OobRecipient *rcpt = oob_plain_add (report, address, reason);
  int detail = msexch_detail (reason);
  if (rcpt == NULL || detail == 0 || rcpt->status)
    return;
  g_autofree char *derived = detail == 901 ? oob_status_derive (rcpt->diagnostic, 0, NULL) : NULL;
  if (derived && g_str_has_prefix (derived, "5.0.9") && !g_str_has_suffix (derived, ".900"))
    rcpt->status = g_steal_pointer (&derived);
  else
    rcpt->status = g_strdup_printf ("5.0.%d", detail);
}

/* X-MS-Embedded-Report, an Exchange X-Mailer or X-MimeOLE, or a Received
 * line of its Internet Mail Service. */
static gboolean
is_exchange_2003 (OobMessageView *view)
{
  if (oob_plain_header (view, "X-MS-Embedded-Report"))
    return TRUE;
  return oob_pattern_match (&re_exchange_mailer, oob_plain_header (view, "X-Mailer"), NULL) ||
         oob_pattern_match (&re_exchange_mimeole, oob_plain_header (view, "X-MimeOLE"), NULL) ||
         oob_plain_received_matches (view, &re_exchange_received);
}

gboolean
oob_bounce_exchange2003 (OobMessageView *view, OobReport *report)
{
  /* Those headers are on every message an Exchange user sends: one
   * forwarding or pasting an NDR is not one. */
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  g_autofree char *inline_address = oob_pattern_capture (&re_2003_inline, oob_view_body (view), 1);
  /* Without Exchange's headers only the one-recipient form, in a mail
   * system's "Undeliverable:" notice, is confident enough. */
  if (!is_exchange_2003 (view) &&
      !(inline_address && oob_plain_from_system (view) && oob_pattern_match (&re_2003_subject, view->subject, NULL)))
    return FALSE;
  g_autofree char *block = oob_plain_after (oob_view_body (view), &re_2003_start);
  if (block == NULL)
    return FALSE;
  g_autofree char *first = inline_address ? oob_plain_address (inline_address) : NULL;
  if (first)
    oob_plain_add (report, first, NULL);
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  g_autofree char *address = NULL;
  GString *reason = g_string_new (NULL);
  for (char **line = lines;; line++)
    {
      g_auto (GStrv) groups = NULL;
      gboolean last = *line == NULL;
      gboolean starts = !last && oob_pattern_match (&re_2003_recipient, *line, &groups);
      /* A recipient's entry ends at the next one or at a blank line. */
      gboolean blank = !last && !starts && oob_pattern_match (&re_blank, *line, NULL);
      if ((last || starts || blank) && address)
        {
          add_2003_recipient (report, address, reason->str);
          g_string_truncate (reason, 0);
          g_clear_pointer (&address, g_free);
        }
      if (last)
        break;
      if (starts)
        address = oob_plain_address (groups[1]);
      else if (address && !oob_pattern_match (&re_2003_noise, *line, NULL))
        g_string_append_printf (reason, "%s\n", *line);
    }
  g_string_free (reason, TRUE);
  return oob_plain_finish (report);
}

static OobPattern re_2007_subject = OOB_PATTERN ("^\\s*(?:Undeliverable|Non remis|Unzustellbar|No entregado|Non recapitabile|"
                                                 "Onbestelbaar|Não entregue|Olevererbart|配信不能|배달되지 않음)\\s*:", PCRE2_CASELESS);
/* The administrators' section and its labels, in the languages Exchange
 * writes them in. */
static OobPattern re_2007_diagnostic = OOB_PATTERN (
  "^\\s*(?:Diagnostic information for administrators|Informations de diagnostic pour les administrateurs|"
  "Diagnoseinformationen f[üu]r Administratoren|Informaci[óo]n de diagn[óo]stico para administradores|"
  "Informazioni di diagnostica per gli amministratori|Diagnostische gegevens voor beheerders|"
  "Informa[çc][õo]es de diagn[óo]stico para administradores|管理者向けの診断情報)\\s*:", PCRE2_CASELESS);
static OobPattern re_2007_generating = OOB_PATTERN (
  "(?m)^[^\\S\\n]*(?:Generating server|Serveur de g[ée]n[ée]ration|Generierender Server|Servidor de generaci[óo]n|"
  "Server di generazione|生成サーバー)\\s*:\\s*(\\S+)", PCRE2_CASELESS);
static OobPattern re_2007_end = OOB_PATTERN (
  "^\\s*(?:Original message headers|En-t[êe]tes de message d'origine|Urspr[üu]ngliche Nachrichtenkopfzeilen|"
  "Encabezados del mensaje original|Intestazioni originali del messaggio|元のメッセージ ヘッダー)\\s*:", PCRE2_CASELESS);
static OobPattern re_2007_remote = OOB_PATTERN ("Remote Server at (\\S+)[^']*returned '", PCRE2_CASELESS);
static OobPattern re_2007_host_line = OOB_PATTERN ("^\\s*[A-Za-z0-9][A-Za-z0-9-]*(?:\\.[A-Za-z0-9-]+)+\\.?\\s*$", 0);
static OobPattern re_2007_smtp_wrapped = OOB_PATTERN ("^\\s*#?<\\s*#\\d\\.\\d{1,3}\\.\\d{1,3}\\s+smtp;\\s*(.*?)>\\s*#SMTP#\\s*$", PCRE2_CASELESS);
/* "#550 5.1.1 ...; not found ##" and whatever follows the closing ##. */
static OobPattern re_2007_hashes = OOB_PATTERN ("^\\s*#\\s*|\\s*##.*$|\\s*#\\s*$", 0);

gboolean
oob_bounce_exchange2007 (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!oob_pattern_match (&re_2007_subject, view->subject, NULL))
    return FALSE;
  g_autofree char *block = oob_plain_between (oob_view_body (view), &re_2007_diagnostic, &re_2007_end);
  if (block == NULL)
    return FALSE;
  g_autofree char *generating = oob_pattern_capture (&re_2007_generating, block, 1);
  /* Blocks are blank-line separated: the address alone on the first line,
   * then the replies, the latest first. */
  g_auto (GStrv) paragraphs = g_strsplit (block, "\n\n", -1);
  for (char **paragraph = paragraphs; *paragraph; paragraph++)
    {
      g_auto (GStrv) lines = g_strsplit (*paragraph + strspn (*paragraph, "\n"), "\n", 3);
      if (lines[0] == NULL || lines[1] == NULL || !oob_plain_is_address_line (lines[0]))
        continue;
      g_autofree char *address = oob_plain_address (lines[0]);
      if (address == NULL)
        continue;
      /* The remote host that refused it may stand on a line of its own
       * before its reply. */
      const char *host = NULL, *said = lines[1];
      g_auto (GStrv) rest = NULL;
      if (lines[2] && oob_pattern_match (&re_2007_host_line, lines[1], NULL))
        {
          host = g_strstrip (lines[1]);
          rest = g_strsplit (lines[2], "\n", 2);
          said = rest[0];
        }
      /* "#< #5.1.1 smtp;550 5.1.1 ...> #SMTP#": the reply inside. */
      g_autofree char *wrapped = oob_pattern_capture (&re_2007_smtp_wrapped, said, 1);
      if (wrapped)
        said = wrapped;
      g_autofree char *reply = oob_pattern_replace (&re_2007_hashes, said, "");
      OobRecipient *rcpt = oob_plain_add (report, address, reply);
      g_autofree char *remote = host ? g_strdup (host) : oob_pattern_capture (&re_2007_remote, said, 1);
      if (rcpt && remote && rcpt->remote_mta == NULL)
        rcpt->remote_mta = g_steal_pointer (&remote);
    }
  if (report->recipients->len && report->reporting_mta == NULL)
    report->reporting_mta = g_steal_pointer (&generating);
  return oob_plain_finish (report);
}

static OobPattern re_ndr_heading = OOB_PATTERN ("(?m)^[^\\S\\n]*-{3}\\s*Non-Delivery Report\\s*-{3}\\s*$", PCRE2_CASELESS);
static OobPattern re_ndr_subject = OOB_PATTERN ("^\\s*Non-Delivery:", PCRE2_CASELESS);
static OobPattern re_ndr_mailer = OOB_PATTERN ("^\\s*Microsoft CDO\\b", PCRE2_CASELESS);
static OobPattern re_ndr_start = OOB_PATTERN ("could not be delivered to the following (?:user|recipient)(?:\\(s\\)|s)?:\\s*$", PCRE2_CASELESS);
static OobPattern re_ndr_end = OOB_PATTERN ("^\\s*Old message:\\s*$", PCRE2_CASELESS);
static OobPattern re_ndr_address = OOB_PATTERN (
  "^\\s*(?:\"[^\"]*\"\\s*|[^\"<>@]*?\\s)?<?([^\\s<>\"@]+@[^\\s<>\"@]+?)>?\\s*$", 0);

gboolean
oob_bounce_ndreport (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  const char *body = oob_view_body (view);
  /* Two of: its heading, its subject, its X-Mailer. */
  int marks = oob_pattern_match (&re_ndr_heading, body, NULL) +
              oob_pattern_match (&re_ndr_subject, view->subject, NULL) +
              oob_pattern_match (&re_ndr_mailer, oob_plain_header (view, "X-Mailer"), NULL);
  if (marks < 2 || !oob_pattern_match (&re_ndr_heading, body, NULL))
    return FALSE;
  g_autofree char *block = oob_plain_between (body, &re_ndr_start, &re_ndr_end);
  if (block == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) groups = NULL;
      if (oob_pattern_match (&re_blank, *line, NULL))
        continue;
      /* The list ends at the first line that is not an address. */
      if (!oob_pattern_match (&re_ndr_address, *line, &groups))
        break;
      g_autofree char *address = oob_plain_address (groups[1]);
      if (address)
        oob_plain_add (report, address, NULL);
    }
  return oob_plain_finish (report);
}
