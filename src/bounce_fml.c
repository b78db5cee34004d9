/* bounce_fml.c - notices of the fml mailing-list manager.
 *
 * fml answers a post it refuses (sender not a member, a loop, a duplicated
 * Message-ID) with a notice from the list's -admin address, marked by
 * X-MLServer: fml and a Message-ID holding ".FML".  The refusing list is
 * the one named in <...> in the notice's first paragraph.  fml words its
 * refusals in fixed phrases, in the notice or its subject: a post refused
 * (not a member, a spammer, a header that may loop) is rejected x.0.918,
 * fml's own trouble (a loop back, a duplicated Message-ID, a system error)
 * x.0.930, a security alert x.0.970.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "plaintext.h"

static OobPattern re_fml_server = OOB_PATTERN ("^\\s*fml\\b", PCRE2_CASELESS);
static OobPattern re_fml_id = OOB_PATTERN ("\\.FML[A-Z0-9]*\\.", 0);
static OobPattern re_fml_admin = OOB_PATTERN ("^(?:[^@]+-(?:admin|ctl|request)|owner-[^@]+|fml)@", PCRE2_CASELESS);
static OobPattern re_fml_list = OOB_PATTERN ("<([^\\s<>]+@[^\\s<>]+)>", 0);
static OobPattern re_blank = OOB_PATTERN ("^\\s*$", 0);

typedef struct {
  OobPattern pattern;
  const char *status;
} FmlReason;

static FmlReason fml_reasons[] = {
  { OOB_PATTERN ("(?i)not (?:a )?member|\\breject(?:ed)? (?:mail from|since|spammers)|"
                 "mail from a spammer is rejected", 0), "5.0.918" },
  { OOB_PATTERN ("(?i)security alert", 0), "5.0.970" },
  { OOB_PATTERN ("(?i)fml system error|loop (?:alert|back warning)|unix from loop|duplicated message-id|"
                 "detected a loop condition", 0), "5.0.930" },
};

/* The status fml's fixed words give the refusal, or NULL. */
static const char *
fml_status (const char *notice, const char *subject)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fml_reasons); i++)
    if (oob_pattern_match (&fml_reasons[i].pattern, notice, NULL))
      return fml_reasons[i].status;
  for (gsize i = 0; i < G_N_ELEMENTS (fml_reasons); i++)
    if (oob_pattern_match (&fml_reasons[i].pattern, subject, NULL))
      return fml_reasons[i].status;
  return NULL;
}

gboolean
oob_bounce_fml (OobMessageView *view, OobReport *report)
{
  /* Its notices come from the list's administrative address (not a mail
   * system's); a person forwarding one writes in a client. */
  if (oob_bounce_written_in_client (view))
    return FALSE;
  /* Posts distributed by fml carry X-MLServer too; only its own notices
   * have a ".FML" Message-ID and come from the list's administrative side. */
  if (!oob_pattern_match (&re_fml_id, oob_plain_header (view, "Message-ID"), NULL) ||
      !(oob_pattern_match (&re_fml_server, oob_plain_header (view, "X-MLServer"), NULL) ||
        oob_pattern_match (&re_fml_admin, view->from, NULL)))
    return FALSE;
  const char *body = oob_view_body (view);
  g_autofree char *notice = oob_plain_cut (body + strspn (body, "\n \t"), &re_blank);
  g_autofree char *list = oob_pattern_capture (&re_fml_list, notice, 1);
  g_autofree char *address = list ? oob_plain_address (list) : NULL;
  if (address == NULL)
    return FALSE;
  OobRecipient *rcpt = oob_plain_add (report, address, notice);
  if (rcpt && rcpt->status == NULL)
    rcpt->status = g_strdup (fml_status (notice, view->subject));
  return oob_plain_finish (report);
}
