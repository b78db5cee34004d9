/* store.c - the SQLite suppression database (see store.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

/* The migrations, compiled in from schema/ (src/oobproc.gresource.xml). */
static const char *const migrations[] = {
  "/org/oobproc/schema/001-initial.sql",
  "/org/oobproc/schema/002-suppression-history.sql",
};

struct OobStore {
  sqlite3 *db;
  int version;
  gboolean in_batch;
  sqlite3_stmt *lookup;
  sqlite3_stmt *find_duplicate;
  sqlite3_stmt *insert_message;
  sqlite3_stmt *insert_event;
  sqlite3_stmt *count_soft;
  sqlite3_stmt *upsert_suppression;
};

G_DEFINE_QUARK (oob-store-error-quark, oob_store_error)

int
oob_store_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

void
oob_store_rules_init (OobStoreRules *rules)
{
  *rules = (OobStoreRules) {
    .soft_threshold = 3,
    .soft_window = 7 * 86400,
    .soft_expiry = 0,
    .suppress_expiry = 0,
    .complaint_expiry = 0,
    .dedupe_window = 30 * 86400,
  };
}

static gboolean
fail (GError **error, OobStoreError code, sqlite3 *db, const char *what)
{
  int rc = db ? sqlite3_extended_errcode (db) : SQLITE_ERROR;
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    code = OOB_STORE_ERROR_BUSY;
  g_set_error (error, OOB_STORE_ERROR, code, "%s: %s", what, db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (sqlite3 *db, const char *sql, OobStoreError code, GError **error)
{
  char *message = NULL;
  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, OOB_STORE_ERROR, code, "%s", message ? message : sqlite3_errmsg (db));
  if ((sqlite3_extended_errcode (db) & 0xff) == SQLITE_BUSY && error && *error)
    (*error)->code = OOB_STORE_ERROR_BUSY;
  sqlite3_free (message);
  return FALSE;
}

static gboolean
read_version (sqlite3 *db, int *version, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  *version = 0;
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return fail (error, OOB_STORE_ERROR_SCHEMA, db, "reading the schema version");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *version = sqlite3_column_int (stmt, 0);
  if (sqlite3_finalize (stmt) != SQLITE_OK)
    return fail (error, OOB_STORE_ERROR_SCHEMA, db, "reading the schema version");
  return TRUE;
}

static gboolean
migrate (sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  if (!read_version (db, &version, error))
    return FALSE;
  int latest = oob_store_schema_version ();
  if (version == latest)
    return TRUE;
  if (version > latest)
    {
      g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_SCHEMA,
                   "database schema version %d is newer than this oobproc (%d)", version, latest);
      return FALSE;
    }
  if (!exec (db, "BEGIN IMMEDIATE", OOB_STORE_ERROR_SCHEMA, error))
    return FALSE;
  /* Another process may have migrated while we waited for the lock. */
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  for (int i = version; i < latest; i++)
    {
      g_autoptr (GBytes) sql = g_resources_lookup_data (migrations[i], 0, NULL);
      g_autofree char *text = sql ? g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql)) : NULL;
      g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d", i + 1);
      if (text == NULL || !exec (db, text, OOB_STORE_ERROR_SCHEMA, error) ||
          !exec (db, set, OOB_STORE_ERROR_SCHEMA, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          if (error && *error)
            g_prefix_error (error, "applying %s: ", migrations[i]);
          return FALSE;
        }
    }
  return exec (db, "COMMIT", OOB_STORE_ERROR_SCHEMA, error);
}

/* Creates the file 0640 ourselves, refusing symlinks, so that SQLite never
 * creates it with the process umask or follows a link it did not make. */
static gboolean
create_file (const char *path, GError **error)
{
  int fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN, "cannot open database %s: %s", path,
                   saved == ELOOP ? "it is a symbolic link" : g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
prepare (OobStore *store, sqlite3_stmt **stmt, const char *sql, GError **error)
{
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) == SQLITE_OK)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_SCHEMA, store->db, "preparing a statement");
}

OobStore *
oob_store_open (const char *path, int busy_timeout_ms, GError **error)
{
  if (!create_file (path, error))
    return NULL;
  g_autoptr (OobStore) store = g_new0 (OobStore, 1);
  int rc = sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      fail (error, OOB_STORE_ERROR_OPEN, store->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (store->db, busy_timeout_ms);
  sqlite3_extended_result_codes (store->db, 1);
  if (!exec (store->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", OOB_STORE_ERROR_OPEN, error))
    return NULL;
  /* WAL is persistent: switch only a database that is not in WAL yet. */
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;
  if (sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  else
    {
      sqlite3_finalize (stmt);
      fail (error, OOB_STORE_ERROR_OPEN, store->db, path);
      return NULL;
    }
  sqlite3_finalize (stmt);
  if (!wal && !exec (store->db, "PRAGMA journal_mode = WAL", OOB_STORE_ERROR_OPEN, error))
    return NULL;
  if (!migrate (store->db, error))
    return NULL;
  store->version = oob_store_schema_version ();
  if (!prepare (store, &store->find_duplicate,
                "SELECT 1 FROM messages WHERE sha256 = ?1 AND received_at >= ?2 LIMIT 1", error) ||
      !prepare (store, &store->insert_message,
                "INSERT INTO messages (sha256, message_id, received_at, kind, parser, envelope_sender,"
                " envelope_recipient, reporting_mta, size, truncated, note, raw)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error) ||
      !prepare (store, &store->insert_event,
                "INSERT INTO events (message, created_at, kind, recipient, recipient_domain,"
                " original_recipient, dsn_action, status, smtp_code, diagnostic, remote_mta,"
                " reporting_mta, classification, rule, action, feedback_type, orig_message_id,"
                " campaign, tenant, verified, note)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                " ?17, ?18, ?19, ?20, ?21)", error) ||
      !prepare (store, &store->count_soft,
                "SELECT count(*) FROM events WHERE recipient = ?1 AND action = 'soft'"
                " AND verified = 1 AND created_at >= ?2", error) ||
      !prepare (store, &store->upsert_suppression,
                "INSERT INTO suppressions (address, reason, classification, rule, status, diagnostic,"
                " first_seen, last_seen, count, expires_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1, ?8)"
                " ON CONFLICT (address) DO UPDATE SET reason = excluded.reason,"
                " classification = excluded.classification, rule = excluded.rule,"
                " status = excluded.status, diagnostic = excluded.diagnostic,"
                " last_seen = excluded.last_seen, count = count + 1,"
                " expires_at = CASE WHEN expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL"
                " ELSE max(expires_at, excluded.expires_at) END", error))
    return NULL;
  return g_steal_pointer (&store);
}

OobStore *
oob_store_open_readonly (const char *path, int busy_timeout_ms, GError **error)
{
  g_autoptr (OobStore) store = g_new0 (OobStore, 1);
  int rc = sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      fail (error, OOB_STORE_ERROR_OPEN, store->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (store->db, busy_timeout_ms);
  sqlite3_extended_result_codes (store->db, 1);
  if (!read_version (store->db, &store->version, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (store->version < 1 || store->version > oob_store_schema_version ())
    {
      g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_SCHEMA,
                   store->version < 1 ? "%s is not an oobproc database (schema version %d)"
                                      : "%s: schema version %d is newer than this oobproc", path, store->version);
      return NULL;
    }
  return g_steal_pointer (&store);
}

int
oob_store_version (OobStore *store)
{
  return store->version;
}

sqlite3 *
oob_store_connection (OobStore *store)
{
  return store->db;
}

gboolean
oob_store_begin_batch (OobStore *store, GError **error)
{
  g_return_val_if_fail (!store->in_batch, FALSE);
  if (!exec (store->db, "BEGIN IMMEDIATE", OOB_STORE_ERROR_WRITE, error))
    return FALSE;
  store->in_batch = TRUE;
  return TRUE;
}

gboolean
oob_store_commit_batch (OobStore *store, GError **error)
{
  g_return_val_if_fail (store->in_batch, FALSE);
  store->in_batch = FALSE;
  if (exec (store->db, "COMMIT", OOB_STORE_ERROR_WRITE, error))
    return TRUE;
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

void
oob_store_rollback_batch (OobStore *store)
{
  if (!store->in_batch)
    return;
  store->in_batch = FALSE;
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

void
oob_store_close (OobStore *store)
{
  if (store == NULL)
    return;
  oob_store_rollback_batch (store);
  sqlite3_finalize (store->lookup);
  sqlite3_finalize (store->find_duplicate);
  sqlite3_finalize (store->insert_message);
  sqlite3_finalize (store->insert_event);
  sqlite3_finalize (store->count_soft);
  sqlite3_finalize (store->upsert_suppression);
  sqlite3_close_v2 (store->db);
  g_free (store);
}

char *
oob_store_canonical_address (const char *address)
{
  if (address == NULL)
    return NULL;
  g_autofree char *copy = g_strdup (address);
  char *start = g_strstrip (copy);
  gsize len = strlen (start);
  if (len >= 2 && start[0] == '<' && start[len - 1] == '>')
    {
      start[len - 1] = '\0';
      start++;
    }
  if (strchr (start, '@') == NULL || start[0] == '@')
    return NULL;
  return g_utf8_strdown (start, -1);
}

char *
oob_store_address_domain (const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;
  return at && at[1] ? g_utf8_strdown (at + 1, -1) : NULL;
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
  if (value)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Steps a statement that returns no rows and resets it. */
static gboolean
run (OobStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_WRITE, store->db, "writing to the database");
}

static gboolean
is_duplicate (OobStore *store, const OobMessageRecord *message, const OobStoreRules *rules,
              gboolean *duplicate, GError **error)
{
  sqlite3_stmt *stmt = store->find_duplicate;
  sqlite3_bind_text (stmt, 1, message->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, message->received_at - rules->dedupe_window);
  int rc = sqlite3_step (stmt);
  *duplicate = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_WRITE, store->db, "looking for an earlier copy");
}

static gboolean
suppress (OobStore *store, const char *address, const char *reason, const OobRecipient *rcpt,
          gint64 now, gint64 expiry, GError **error)
{
  sqlite3_stmt *stmt = store->upsert_suppression;
  bind_text (stmt, 1, address);
  bind_text (stmt, 2, reason);
  bind_text (stmt, 3, rcpt->classification);
  bind_text (stmt, 4, rcpt->rule);
  bind_text (stmt, 5, rcpt->status);
  bind_text (stmt, 6, rcpt->diagnostic);
  sqlite3_bind_int64 (stmt, 7, now);
  if (expiry > 0)
    sqlite3_bind_int64 (stmt, 8, now + expiry);
  else
    sqlite3_bind_null (stmt, 8);
  return run (store, stmt, error);
}

static gboolean
soft_count (OobStore *store, const char *address, gint64 since, gint64 *count, GError **error)
{
  sqlite3_stmt *stmt = store->count_soft;
  bind_text (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, since);
  int rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_WRITE, store->db, "counting soft bounces");
}

/* The suppression (if any) that one recorded event calls for. */
static gboolean
apply_action (OobStore *store, const OobReport *report, const OobRecipient *rcpt, const char *address,
              gint64 now, const OobStoreRules *rules, guint *suppressed, GError **error)
{
  const char *action = rcpt->policy_action;
  if (action == NULL || address == NULL || report->unverified)
    return TRUE;
  if (g_str_equal (action, "suppress"))
    {
      (*suppressed)++;
      return suppress (store, address, "bounce", rcpt, now, rules->suppress_expiry, error);
    }
  if (g_str_equal (action, "complaint"))
    {
      (*suppressed)++;
      return suppress (store, address, "complaint", rcpt, now, rules->complaint_expiry, error);
    }
  if (g_str_equal (action, "soft") && rules->soft_threshold > 0)
    {
      gint64 count = 0;
      if (!soft_count (store, address, now - rules->soft_window, &count, error))
        return FALSE;
      if (count >= rules->soft_threshold)
        {
          (*suppressed)++;
          return suppress (store, address, "soft", rcpt, now, rules->soft_expiry, error);
        }
    }
  return TRUE;
}

static gboolean
insert_all (OobStore *store, const OobMessageRecord *message, const OobReport *report,
            const OobStoreRules *rules, OobStoreResult *result, GError **error)
{
  sqlite3_stmt *stmt = store->insert_message;
  bind_text (stmt, 1, message->sha256);
  bind_text (stmt, 2, message->message_id);
  sqlite3_bind_int64 (stmt, 3, message->received_at);
  bind_text (stmt, 4, oob_report_type_to_string (report->type));
  bind_text (stmt, 5, report->parser);
  bind_text (stmt, 6, message->envelope_sender);
  bind_text (stmt, 7, message->envelope_recipient);
  bind_text (stmt, 8, report->reporting_mta);
  sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) message->size);
  sqlite3_bind_int (stmt, 10, message->truncated);
  bind_text (stmt, 11, report->note);
  if (message->raw)
    sqlite3_bind_blob64 (stmt, 12, g_bytes_get_data (message->raw, NULL), g_bytes_get_size (message->raw),
                         SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 12);
  if (!run (store, stmt, error))
    return FALSE;
  sqlite3_int64 message_row = sqlite3_last_insert_rowid (store->db);

  for (guint i = 0; i < report->recipients->len; i++)
    {
      const OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      g_autofree char *address = oob_store_canonical_address (oob_recipient_address (rcpt));
      g_autofree char *domain = oob_store_address_domain (address);
      g_autofree char *original = oob_store_canonical_address (rcpt->original_recipient);
      stmt = store->insert_event;
      sqlite3_bind_int64 (stmt, 1, message_row);
      sqlite3_bind_int64 (stmt, 2, message->received_at);
      bind_text (stmt, 3, oob_kind_to_string (oob_recipient_kind (report, rcpt)));
      bind_text (stmt, 4, address);
      bind_text (stmt, 5, domain);
      bind_text (stmt, 6, original);
      bind_text (stmt, 7, rcpt->action);
      bind_text (stmt, 8, rcpt->status);
      if (rcpt->smtp_code)
        sqlite3_bind_int (stmt, 9, rcpt->smtp_code);
      else
        sqlite3_bind_null (stmt, 9);
      bind_text (stmt, 10, rcpt->diagnostic);
      bind_text (stmt, 11, rcpt->remote_mta);
      bind_text (stmt, 12, report->reporting_mta);
      bind_text (stmt, 13, rcpt->classification);
      bind_text (stmt, 14, rcpt->rule);
      bind_text (stmt, 15, rcpt->policy_action);
      bind_text (stmt, 16, report->feedback_type);
      bind_text (stmt, 17, report->orig_message_id);
      bind_text (stmt, 18, report->campaign);
      bind_text (stmt, 19, report->tenant);
      sqlite3_bind_int (stmt, 20, !report->unverified);
      bind_text (stmt, 21, rcpt->note);
      if (!run (store, stmt, error))
        return FALSE;
      result->events++;
      if (!apply_action (store, report, rcpt, address, message->received_at, rules, &result->suppressed, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
oob_store_record (OobStore *store, const OobMessageRecord *message, const OobReport *report,
                  const OobStoreRules *rules, OobStoreResult *result, GError **error)
{
  *result = (OobStoreResult) { 0 };
  /* Alone: one transaction.  In a batch: a savepoint inside the batch's. */
  const char *begin = store->in_batch ? "SAVEPOINT record" : "BEGIN IMMEDIATE";
  const char *commit = store->in_batch ? "RELEASE record" : "COMMIT";
  const char *rollback = store->in_batch ? "ROLLBACK TO record; RELEASE record" : "ROLLBACK";
  if (!exec (store->db, begin, OOB_STORE_ERROR_WRITE, error))
    return FALSE;
  gboolean ok = is_duplicate (store, message, rules, &result->duplicate, error);
  if (ok && !result->duplicate)
    ok = insert_all (store, message, report, rules, result, error);
  if (ok && exec (store->db, commit, OOB_STORE_ERROR_WRITE, error))
    return TRUE;
  sqlite3_exec (store->db, rollback, NULL, NULL, NULL);
  *result = (OobStoreResult) { 0 };
  return FALSE;
}

void
oob_suppression_clear (OobSuppression *suppression)
{
  g_free (suppression->address);
  g_free (suppression->reason);
  g_free (suppression->classification);
  g_free (suppression->status);
  g_free (suppression->diagnostic);
  g_free (suppression->note);
  *suppression = (OobSuppression) { 0 };
}

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);
  return text ? g_strdup ((const char *) text) : NULL;
}

gboolean
oob_store_lookup (OobStore *store, const char *address, gint64 now, OobSuppression *suppression,
                  gboolean *found, GError **error)
{
  *found = FALSE;
  g_autofree char *canonical = oob_store_canonical_address (address);
  if (canonical == NULL)
    {
      g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN, "'%s' is not an email address", address);
      return FALSE;
    }
  if (store->lookup == NULL &&
      !prepare (store, &store->lookup,
                store->version >= 2
                  ? "SELECT address, reason, classification, status, diagnostic, note, first_seen, last_seen,"
                    " count, expires_at FROM suppressions WHERE address = ?1"
                    " AND (expires_at IS NULL OR expires_at > ?2)"
                  : "SELECT address, reason, classification, status, diagnostic, NULL, first_seen, last_seen,"
                    " count, expires_at FROM suppressions WHERE address = ?1"
                    " AND (expires_at IS NULL OR expires_at > ?2)",
                error))
    return FALSE;
  sqlite3_stmt *stmt = store->lookup;
  sqlite3_bind_text (stmt, 1, canonical, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *suppression = (OobSuppression) {
        .address = column_text (stmt, 0),
        .reason = column_text (stmt, 1),
        .classification = column_text (stmt, 2),
        .status = column_text (stmt, 3),
        .diagnostic = column_text (stmt, 4),
        .note = column_text (stmt, 5),
        .first_seen = sqlite3_column_int64 (stmt, 6),
        .last_seen = sqlite3_column_int64 (stmt, 7),
        .count = sqlite3_column_int64 (stmt, 8),
        .expires_at = sqlite3_column_int64 (stmt, 9),
      };
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_OPEN, store->db, "looking up a suppression");
}

/* Appends the suppression row of `address` as it is now to the history. */
static gboolean
keep_history (OobStore *store, const char *address, const char *change, const char *note, gint64 now,
              GError **error)
{
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO suppression_history (address, changed_at, change, note, reason,"
                          " classification, status, diagnostic, first_seen, last_seen, count, expires_at)"
                          " SELECT ?1, ?2, ?3, ?4, reason, classification, status, diagnostic, first_seen,"
                          " last_seen, count, expires_at FROM suppressions WHERE address = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (error, OOB_STORE_ERROR_WRITE, store->db, "keeping the history");
  bind_text (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, now);
  bind_text (stmt, 3, change);
  bind_text (stmt, 4, note);
  int rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return fail (error, OOB_STORE_ERROR_WRITE, store->db, "keeping the history");
}

/* Runs one statement with an address (?1) and, when it takes them, a time
 * (?2) and a note (?3). */
static gboolean
change_one (OobStore *store, const char *sql, const char *address, gint64 now, const char *note,
            int *changes, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail (error, OOB_STORE_ERROR_WRITE, store->db, "changing a suppression");
  int parameters = sqlite3_bind_parameter_count (stmt);
  bind_text (stmt, 1, address);
  if (parameters >= 2)
    sqlite3_bind_int64 (stmt, 2, now);
  if (parameters >= 3)
    bind_text (stmt, 3, note);
  int rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (error, OOB_STORE_ERROR_WRITE, store->db, "changing a suppression");
  *changes = sqlite3_changes (store->db);
  return TRUE;
}

static char *
canonical_or_error (const char *address, GError **error)
{
  char *canonical = oob_store_canonical_address (address);
  if (canonical == NULL)
    g_set_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_WRITE, "'%s' is not an email address", address);
  return canonical;
}

gboolean
oob_store_suppress_manual (OobStore *store, const char *address, const char *note, gint64 now, GError **error)
{
  g_autofree char *canonical = canonical_or_error (address, error);
  if (canonical == NULL || !exec (store->db, "BEGIN IMMEDIATE", OOB_STORE_ERROR_WRITE, error))
    return FALSE;
  int changes = 0;
  gboolean ok = change_one (store,
                            "INSERT INTO suppressions (address, reason, note, first_seen, last_seen, count,"
                            " expires_at) VALUES (?1, 'manual', ?3, ?2, ?2, 1, NULL)"
                            " ON CONFLICT (address) DO UPDATE SET reason = 'manual', note = excluded.note,"
                            " last_seen = excluded.last_seen, count = count + 1, expires_at = NULL",
                            canonical, now, note, &changes, error) &&
                keep_history (store, canonical, "suppress", note, now, error);
  if (ok && exec (store->db, "COMMIT", OOB_STORE_ERROR_WRITE, error))
    return TRUE;
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
oob_store_unsuppress (OobStore *store, const char *address, const char *note, gint64 now, gboolean *removed,
                      GError **error)
{
  *removed = FALSE;
  g_autofree char *canonical = canonical_or_error (address, error);
  if (canonical == NULL || !exec (store->db, "BEGIN IMMEDIATE", OOB_STORE_ERROR_WRITE, error))
    return FALSE;
  int changes = 0;
  gboolean ok = keep_history (store, canonical, "unsuppress", note, now, error) &&
                change_one (store, "DELETE FROM suppressions WHERE address = ?1",
                            canonical, now, note, &changes, error);
  if (ok && exec (store->db, "COMMIT", OOB_STORE_ERROR_WRITE, error))
    {
      *removed = changes > 0;
      return TRUE;
    }
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}
