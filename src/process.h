/* process.h - the stages between raw bytes and a decided report.
 *
 * Owns the order: parse; collect the envelope and attribute the report
 * (VERP recipient, campaign, tenant, signature); classify each recipient
 * with the rules (after the status rewrite) and decide its action with the
 * policy.  Shared by the pipe, scan and import so that all three reach the
 * same answer for the same message.
 */
#pragma once

#include "conf.h"
#include "envelope.h"
#include "report.h"

G_BEGIN_DECLS

typedef struct OobProcessor OobProcessor;

typedef enum {
  OOB_PROCESSOR_ONE_MESSAGE,  /* pipe mode: cheapest setup (cached, lazy rules) */
  OOB_PROCESSOR_MANY,         /* scan, import: compile and JIT everything once */
} OobProcessorUse;

/* Loads rules, rewrite map, policy, VERP and attribution settings from
 * config (NULL: the defaults and shipped rules). */
OobProcessor *oob_processor_new (const OobConfig *config, OobProcessorUse use, GError **error);
void oob_processor_free (OobProcessor *processor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobProcessor, oob_processor_free)

/* The calling thread's own OOB_PROCESSOR_MANY processor, made from config
 * on first use and freed when the thread ends: for the worker threads of
 * scan and import --jobs.  config must be one oob_processor_new already
 * accepted, and the same for every call in the process. */
OobProcessor *oob_processor_for_thread (const OobConfig *config);

/* How the message reached us; every member may be NULL. */
typedef struct {
  const char *sender;         /* -f */
  const char *recipient;      /* -r */
  const char *const *envp;    /* the MTA's delivery environment */
} OobDelivery;

/* Parses and decides one message.  NULL only when a rule cannot be
 * compiled (a configuration error: the message must stay queued).
 * The envelope is handed back if envelope is not NULL. */
OobReport *oob_processor_run (OobProcessor *processor, const char *data, gsize len,
                              const OobDelivery *delivery, OobEnvelope **envelope, GError **error);

G_END_DECLS
