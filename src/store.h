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
typedef struct sqlite3 sqlite3;

/* Opens (creating it 0640 if needed) and migrates the database.
 * busy_timeout_ms bounds how long a locked database is waited for. */
OobStore *oob_store_open (const char *path, int busy_timeout_ms, GError **error);
void oob_store_close (OobStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobStore, oob_store_close)

/* Opens an existing database for reading only, as fast as possible: no
 * file creation, no migration, no pragma that writes.  Fails unless the
 * database's user_version is one this program knows (1 .. latest). */
OobStore *oob_store_open_readonly (const char *path, int busy_timeout_ms, GError **error);

/* The schema version this program writes (number of migrations). */
int oob_store_schema_version (void);

/* The schema version of an opened database (older when read-only). */
int oob_store_version (OobStore *store);

/* The connection, for the query commands' own read-only statements. */
sqlite3 *oob_store_connection (OobStore *store);

/* A batch: between begin and commit every oob_store_record joins one
 * transaction, each in its own savepoint, so a failing record undoes only
 * itself.  Rollback abandons the whole batch. */
gboolean oob_store_begin_batch (OobStore *store, GError **error);
gboolean oob_store_commit_batch (OobStore *store, GError **error);
void oob_store_rollback_batch (OobStore *store);

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

/* One row of the suppression list. */
typedef struct {
  char *address;            /* canonical */
  char *reason;             /* bounce soft complaint manual */
  char *classification;
  char *status;
  char *diagnostic;
  char *note;               /* reason given for a manual suppression */
  gint64 first_seen;
  gint64 last_seen;
  gint64 count;
  gint64 expires_at;        /* 0: never */
} OobSuppression;

void oob_suppression_clear (OobSuppression *suppression);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OobSuppression, oob_suppression_clear)

/* The suppression of an address in force at `now` (expired ones do not
 * count).  The address is canonicalised first.  *found tells whether there
 * is one; FALSE only on a database error or an address without @. */
gboolean oob_store_lookup (OobStore *store, const char *address, gint64 now, OobSuppression *suppression,
                           gboolean *found, GError **error);

/* Suppresses an address by hand (reason "manual", never expiring, note =
 * the reason given), keeping a history row.  An existing suppression is
 * renewed and made manual. */
gboolean oob_store_suppress_manual (OobStore *store, const char *address, const char *note, gint64 now,
                                   GError **error);

/* Removes an address's suppression, keeping it as a history row.
 * *removed is FALSE when there was none (nothing is written then). */
gboolean oob_store_unsuppress (OobStore *store, const char *address, const char *note, gint64 now,
                               gboolean *removed, GError **error);

/* Canonical lookup form of an address: the whole address in lower case
 * (local part included: User@Example.COM and user@example.com are one
 * address), surrounding <> and spaces removed.  NULL if it has no @. */
char *oob_store_canonical_address (const char *address);

/* Domain part of an address, lower case, or NULL. */
char *oob_store_address_domain (const char *address);

G_END_DECLS
