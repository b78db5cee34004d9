/* bounce_fill.c - the human-readable notice fills what a DSN left out.
 *
 * Some MTAs (OpenSMTPD, some qmail and Courier setups) send a
 * multipart/report whose delivery-status part gives a bare "Status: 5.0.0"
 * and no Diagnostic-Code (or one that is a reply code alone, as Google
 * Workspace's "smtp; 550"), while the text part beside it states the reason.
 * When the DSN parser has read such a report, the non-standard family that
 * recognises the text part is run on a scratch report and its diagnostic,
 * reply code and remote host are copied to the DSN recipient with the same
 * address, with the SMTP stage the family read; a class-only status then
 * gives way to the one the reason implies.  (A stage stated only in the
 * notice beside a Diagnostic-Code, as Postfix's "(in reply to end of DATA
 * command)", is read from the recipient's paragraph by
 * oob_dsn_fill_from_notice, without running the families.)  Where the
 * notice quotes a local delivery agent's own words ("mail.local: unknown
 * user: a"), those are the reason rather than the MTA's summary of them
 * (in a report for several recipients, a line that names the recipient).
 */
#include "config.h"

#include "bounce.h"
#include "derive.h"
#include "pattern.h"
#include "plaintext.h"
#include "status.h"

/* The text families' reading of the notice, or NULL if none recognises it. */
static OobReport *
read_notice (OobMessageView *view)
{
  OobReport *notice = oob_report_new ();
  for (const OobParser *parser = oob_bounce_parsers; parser->name; parser++)
    {
      if (oob_parser_try (parser, view, notice))
        return notice;
      g_ptr_array_set_size (notice->recipients, 0);
    }
  oob_report_free (notice);
  return NULL;
}

/* A Diagnostic-Code that is a reply code and nothing more ("smtp; 550",
 * as Google Workspace writes when its notice quotes the reply), or a
 * delivery program's exit status ("X-Unix; 73"). */
static OobPattern re_code_only = OOB_PATTERN ("^\\s*\\d{1,3}\\s*$", 0);

/* TRUE if the delivery-status part left the reason out. */
static gboolean
wants_reason (const OobRecipient *rcpt)
{
  return rcpt->diagnostic == NULL || oob_pattern_match (&re_code_only, rcpt->diagnostic, NULL);
}

void
oob_bounce_fill_dsn_gaps (OobMessageView *view, OobReport *report)
{
  if (report->type != OOB_REPORT_DSN)
    return;
  gboolean reason = FALSE;
  for (guint i = 0; i < report->recipients->len && !reason; i++)
    reason = wants_reason (g_ptr_array_index (report->recipients, i));
  /* Reading the notice runs every text family: only for a reason.  (The
   * stage alone is read from the notice by oob_dsn_fill_from_notice.) */
  if (!reason)
    return;
  g_autoptr (OobReport) notice = read_notice (view);
  g_autofree char *body = oob_plain_body (view);
  g_autofree char *first_agent = oob_mda_agent_message (body);
  if (notice == NULL && first_agent == NULL)
    return;

  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      /* A report for several recipients: an agent's line is this one's
       * only when it names it ("unknown user: ann"). */
      g_autofree char *agent = report->recipients->len == 1 ? g_strdup (first_agent) :
                               first_agent ? oob_mda_agent_message_about (body, oob_recipient_address (rcpt)) : NULL;
      /* A notice names the address delivery was tried for (the final one). */
      OobRecipient *said = notice ? oob_report_find_recipient (notice, rcpt->final_recipient) : NULL;
      if (said == NULL && notice)
        said = oob_report_find_recipient (notice, rcpt->original_recipient);
      if (said && rcpt->smtp_command == NULL)
        rcpt->smtp_command = said->smtp_command;
      if (!wants_reason (rcpt) || ((said == NULL || said->diagnostic == NULL) && agent == NULL))
        continue;
      if (said && said->diagnostic)
        {
          oob_set_string (&rcpt->diagnostic, said->diagnostic);
          if (rcpt->smtp_code == 0)
            rcpt->smtp_code = said->smtp_code;
          if (rcpt->remote_mta == NULL)
            oob_set_string (&rcpt->remote_mta, said->remote_mta);
        }
      /* The family's reading names this recipient's own agent line, if any. */
      g_autofree char *own_agent = said && said->diagnostic ? oob_mda_agent_message (said->diagnostic) : NULL;
      if (agent && own_agent == NULL)
        oob_set_string (&rcpt->diagnostic, agent);
      if (rcpt->status == NULL || g_str_has_suffix (rcpt->status, ".0.0"))
        {
          /* Keep the DSN's class: a delayed 4.0.0 stays temporary. */
          g_autofree char *derived = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, rcpt->smtp_command);
          if (derived && rcpt->status && derived[0] != rcpt->status[0])
            derived[0] = rcpt->status[0];
          if (derived && !g_str_has_suffix (derived, ".0.0"))
            oob_set_string (&rcpt->status, derived);
        }
    }
}
