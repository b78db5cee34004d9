/* record.c - recording one message (see record.h). */
#include "config.h"

#include "record.h"

OobReport *
oob_record_process (OobProcessor *processor, const OobInput *input)
{
  gsize len = 0;
  const char *data = input->bytes ? g_bytes_get_data (input->bytes, &len) : NULL;
  OobReport *report = oob_processor_run (processor, data ? data : "", len);
  if (input->truncated)
    oob_set_string (&report->note, "message larger than the size cap; the rest was not parsed");
  return report;
}

gboolean
oob_record_store (OobStore *store, const OobInput *input, const OobReport *report, const OobEnvelope *envelope,
                  const OobStoreRules *rules, OobStoreResult *result, GError **error)
{
  OobMessageRecord record = {
    .sha256 = input->sha256,
    .received_at = envelope->received_at,
    .envelope_sender = envelope->sender,
    .envelope_recipient = envelope->recipient,
    .size = input->total_size,
    .truncated = input->truncated,
    .raw = report->type == OOB_REPORT_UNKNOWN ? input->bytes : NULL,
  };
  return oob_store_record (store, &record, report, rules, result, error);
}
