/* process.c - the stages between raw bytes and a decided report. */
#include "config.h"

#include "parse.h"
#include "process.h"

struct OobProcessor {
  int unused;
};

OobProcessor *
oob_processor_new (void)
{
  return g_new0 (OobProcessor, 1);
}

void
oob_processor_free (OobProcessor *processor)
{
  g_free (processor);
}

/* Until the rules land: a permanent failure suppresses, a temporary one is
 * soft, a complaint is a complaint, everything else is only recorded. */
static const char *
decide (const OobReport *report, const OobRecipient *rcpt)
{
  switch (oob_recipient_kind (report, rcpt))
    {
    case OOB_KIND_FEEDBACK:
      return "complaint";
    case OOB_KIND_BOUNCE:
      if (rcpt->status && rcpt->status[0] == '5')
        return "suppress";
      if (rcpt->status && rcpt->status[0] == '4')
        return "soft";
      return "ignore";
    default:
      return "ignore";
    }
}

OobReport *
oob_processor_run (OobProcessor *processor, const char *data, gsize len)
{
  OobReport *report = oob_parse_message (data, len);
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      oob_set_string (&rcpt->policy_action, decide (report, rcpt));
    }
  return report;
}
