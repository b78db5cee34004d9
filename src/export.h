/* export.h - recorded events in the formats existing pipelines ingest.
 *
 * Owns two shapes: KumoMTA's JSON log record (one per line, type "OOB" or
 * "Feedback") and PowerMTA's accounting CSV (type b or f, with a header).
 * Both read the rows of OOB_EXPORT_EVENTS_SQL.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>

#include "output.h"

G_BEGIN_DECLS

/* The columns an export reads, FROM events e JOIN messages m; append a
 * WHERE clause and an ORDER BY. */
#define OOB_EXPORT_EVENTS_SQL                                                                        \
  "SELECT e.id, e.created_at, e.kind, e.recipient, e.status, e.smtp_code, e.diagnostic,"            \
  " e.remote_mta, e.reporting_mta, e.classification, e.rule, e.action, e.feedback_type,"           \
  " e.orig_message_id, e.campaign, e.tenant, e.dsn_action, m.sha256, m.size,"                      \
  " m.envelope_recipient AS bounce_address, m.envelope_sender"                                     \
  " FROM events e JOIN messages m ON m.id = e.message"

/* Prints each row in format OOB_FORMAT_KUMO or OOB_FORMAT_ACCT.  Rows a
 * format has no record type for (acct: anything but bounces and feedback)
 * are skipped.  Returns the records printed, -1 on error. */
gint64 oob_export_events (FILE *out, sqlite3_stmt *stmt, OobFormat format, GError **error);

/* PowerMTA's bounce category for a KumoMTA class ("InvalidRecipient" ->
 * "bad-mailbox"); "other" for NULL or unknown classes. */
char *oob_export_bounce_category (const char *classification);

G_END_DECLS
