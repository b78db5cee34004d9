/* store.h - the SQLite suppression database.
 *
 * Owns the schema (migrations compiled in from schema/, tracked with
 * PRAGMA user_version), the connection settings (WAL, busy timeout,
 * durable commits), and recording one message with its events and
 * suppressions in one transaction.  Knows nothing of MIME.
 */
#pragma once

#include <glib.h>

#include "report.h"

G_BEGIN_DECLS

#define OOB_STORE_ERROR (oob_store_error_quark ())
GQuark oob_store_error_quark (void);

typedef enum {
  OOB_STORE_ERROR_OPEN,
  OOB_STORE_ERROR_SCHEMA,
  OOB_STORE_ERROR_BUSY,
  OOB_STORE_ERROR_WRITE,
} OobStoreError;

typedef struct OobStore OobStore;

/* Opens (creating it 0640 if needed) and migrates the database.
 * busy_timeout_ms bounds how long a locked database is waited for. */
OobStore *oob_store_open (const char *path, int busy_timeout_ms, GError **error);
void oob_store_close (OobStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobStore, oob_store_close)

/* The schema version this program writes (number of migrations). */
int oob_store_schema_version (void);

/* The message as received, beside what the report says. */
typedef struct {
  const char *sha256;
  const char *message_id;
  gint64 received_at;
  const char *envelope_sender;
  const char *envelope_recipient;
  gsize size;
  gboolean truncated;
  GBytes *raw;              /* kept only when not NULL */
} OobMessageRecord;

/* How messages are counted.  (How each event suppresses is on the
 * recipient: policy_action, soft_threshold, soft_window, expiry.) */
typedef struct {
  gint64 dedupe_window;     /* seconds in which the same raw message counts once */
} OobStoreRules;

void oob_store_rules_init (OobStoreRules *rules);

typedef struct {
  gboolean duplicate;       /* already recorded within the dedupe window */
  guint events;
  guint suppressed;         /* suppressions created or extended */
} OobStoreResult;

/* Records the message, one event per recipient and the suppressions its
 * actions call for, in one transaction.  FALSE (and nothing written) on
 * any failure. */
gboolean oob_store_record (OobStore *store, const OobMessageRecord *message, const OobReport *report,
                           const OobStoreRules *rules, OobStoreResult *result, GError **error);

/* Canonical lookup form of an address: lower case, surrounding <> and
 * spaces removed.  NULL if it has no @. */
char *oob_store_canonical_address (const char *address);

/* Domain part of an address, lower case, or NULL. */
char *oob_store_address_domain (const char *address);

G_END_DECLS
