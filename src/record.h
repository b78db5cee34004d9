/* record.h - recording one message: the steps pipe mode and import share.
 *
 * Owns what is stored for a message read in: the processed report (with
 * the size-cap note), the raw bytes kept only when nothing understood
 * them, and the envelope beside it, so that the pipe and `oobproc import`
 * store the same thing for the same message.
 */
#pragma once

#include "input.h"
#include "process.h"
#include "report.h"
#include "store.h"

G_BEGIN_DECLS

/* What the MTA (or the mailbox) says about the message beside its bytes. */
typedef struct {
  const char *sender;       /* envelope sender, or NULL */
  const char *recipient;    /* envelope recipient (the bounce address), or NULL */
  gint64 received_at;       /* Unix seconds */
} OobEnvelope;

/* Parses and decides a message read in.  Never NULL. */
OobReport *oob_record_process (OobProcessor *processor, const OobInput *input);

/* Stores the message and its report in one transaction (or one savepoint
 * of a batch); see oob_store_record. */
gboolean oob_record_store (OobStore *store, const OobInput *input, const OobReport *report,
                           const OobEnvelope *envelope, const OobStoreRules *rules, OobStoreResult *result,
                           GError **error);

G_END_DECLS
