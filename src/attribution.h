/* attribution.h - whose bounce it is: recipient, campaign, tenant,
 * message id, and whether the return path's signature vouches for it.
 *
 * Owns the `[attribution]` table (header names), reading the returned
 * message's headers (including KumoMTA's X-KumoRef trace header), the
 * envelope's VERP decode, and the cross-check between the VERP recipient
 * and what the report says.  The rules are in docs/verp.md.
 */
#pragma once

#include <glib.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>

#include "envelope.h"
#include "report.h"
#include "verp.h"

G_BEGIN_DECLS

typedef enum {
  OOB_ENVID_UNUSED = 0,    /* ENVID is stored but not interpreted */
  OOB_ENVID_CAMPAIGN,
  OOB_ENVID_TENANT,
  OOB_ENVID_MESSAGE_ID,
} OobEnvidMeaning;

typedef struct {
  GStrv campaign_headers;  /* ["X-Campaign-ID"] */
  GStrv tenant_headers;    /* ["X-Tenant-ID"] */
  char *trace_header;      /* "X-KumoRef"; NULL when disabled */
  OobEnvidMeaning envid;   /* what the sender puts in ENVID */
} OobAttributionConfig;

/* Reads the [attribution] table; NULL gives the defaults. */
OobAttributionConfig *oob_attribution_config_new (JsonObject *table, GError **error);
void oob_attribution_config_free (OobAttributionConfig *cfg);

typedef struct {
  char *bounce_address;    /* envelope address the VERP decode came from, or NULL */
  char *bounce_source;     /* its OobEnvelopeAddress source */
  char *verp_recipient;    /* the authority on whose bounce it is, or NULL */
  OobVerpStatus verp_status;
  gboolean signature_required;
  /* FALSE when the return path carries a wrong or expired tag, or when the
   * listener domain requires a signature and there is no valid one.  An
   * unverified event is recorded but never suppresses or counts. */
  gboolean verified;
  char *campaign;
  char *campaign_source;   /* "verp", "header:X-Campaign-ID", "X-KumoRef", "envid" */
  char *tenant;
  char *tenant_source;
  char *message_id;        /* original Message-ID, angle brackets removed */
  char *envid;             /* RFC 3461 ENVID (report, else environment) */
  char *note;              /* disagreements found by the cross-check, or NULL */
  /* Canonical form of each address compared so far (NULL for one that is
   * not an address): each is parsed once per report. */
  GHashTable *canonical_;
} OobAttribution;

/* verp, acfg, env and report may each be NULL (defaults / nothing known).
 * today is days since 1970-01-01 UTC (oob_verp_today ()). */
OobAttribution *oob_attribute (const OobVerpConfig *verp, const OobAttributionConfig *acfg,
                               const OobEnvelope *env, const OobReport *report, gint64 today);

/* The same, reading the returned headers from returned, the message that
 * report->orig_headers was written from (oob_parse_mime_returned), instead
 * of parsing that text again; returned NULL is oob_attribute. */
OobAttribution *oob_attribute_returned (const OobVerpConfig *verp, const OobAttributionConfig *acfg,
                                        const OobEnvelope *env, const OobReport *report,
                                        GMimeMessage *returned, gint64 today);

void oob_attribution_free (OobAttribution *att);

/* The address an event about rcpt (NULL: the report names no recipient)
 * is about: the VERP recipient when the report has at most one recipient,
 * else the report's own address for rcpt.  NULL when nothing is known. */
const char *oob_attribution_recipient (const OobAttribution *att, const OobReport *report,
                                       const OobRecipient *rcpt);

/* Writes the attribution into the report before classification: campaign,
 * tenant, unverified, the original Message-ID and ENVID when the parser
 * found none, each recipient's event address (oob_attribution_recipient,
 * stored as original_recipient: the address we sent to) and the cross-check note on each recipient.
 * A report of a known type naming no recipient gets one: the VERP
 * recipient. */
void oob_attribution_apply (const OobAttribution *att, OobReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobAttributionConfig, oob_attribution_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobAttribution, oob_attribution_free)

G_END_DECLS
