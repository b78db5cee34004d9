/* process.h - the stages between raw bytes and a decided report.
 *
 * Owns the order: parse, then attribute and classify each recipient and
 * decide its action.  Shared by the pipe, scan and import so that all three
 * reach the same answer for the same message.
 */
#pragma once

#include "report.h"

G_BEGIN_DECLS

typedef struct OobProcessor OobProcessor;

OobProcessor *oob_processor_new (void);
void oob_processor_free (OobProcessor *processor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobProcessor, oob_processor_free)

/* Parses and decides one message.  Never NULL. */
OobReport *oob_processor_run (OobProcessor *processor, const char *data, gsize len);

G_END_DECLS
