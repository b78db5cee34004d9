/* test-store.c - the SQLite store: rows, suppressions, dedupe, soft
 * thresholds over dated events, and failures that write nothing. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("oobproc-store-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
query_int (const char *path, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
query_text (const char *path, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  char *value = NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static OobReport *
bounce (const char *address, const char *status, const char *action)
{
  OobReport *report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  report->parser = g_strdup ("rfc3464");
  report->reporting_mta = g_strdup ("mx.example.net");
  OobRecipient *r = oob_report_add_recipient (report);
  r->final_recipient = g_strdup (address);
  r->action = g_strdup (status[0] == '4' ? "delayed" : "failed");
  r->status = g_strdup (status);
  r->smtp_code = status[0] == '5' ? 550 : 450;
  r->smtp_command = "RCPT";
  r->diagnostic = g_strdup ("550 5.1.1 user unknown");
  r->classification = g_strdup ("InvalidRecipient");
  r->rule = g_strdup ("test.toml:1");
  r->policy_action = g_strdup (action);
  r->soft_threshold = 3;
  r->soft_window = 7 * 86400;
  return report;
}

static gboolean
record (OobStore *store, const OobReport *report, const char *sha, gint64 when, OobStoreResult *result)
{
  OobMessageRecord message = { .sha256 = sha, .received_at = when, .size = 100 };
  OobStoreRules rules;
  oob_store_rules_init (&rules);
  g_autoptr (GError) error = NULL;
  gboolean ok = oob_store_record (store, &message, report, &rules, result, &error);
  g_assert_no_error (error);
  return ok;
}

static void
test_record_and_suppress (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 1000, &error);
  g_assert_no_error (error);
  g_autoptr (OobReport) report = bounce ("Alice@Example.ORG", "5.1.1", "suppress");
  OobStoreResult result;
  g_assert_true (record (store, report, "aa", 1000, &result));
  g_assert_false (result.duplicate);
  g_assert_cmpuint (result.events, ==, 1);
  g_assert_cmpuint (result.suppressed, ==, 1);

  g_assert_cmpint (query_int (f->path, "PRAGMA user_version"), ==, oob_store_schema_version ());
  g_autofree char *mode = query_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM messages WHERE kind = 'dsn' AND raw IS NULL"), ==, 1);
  g_autofree char *rcpt = query_text (f->path, "SELECT recipient || ' ' || recipient_domain || ' ' || status || ' ' || smtp_code || ' ' || smtp_command FROM events");
  g_assert_cmpstr (rcpt, ==, "alice@example.org example.org 5.1.1 550 RCPT");
  g_autofree char *sup = query_text (f->path, "SELECT reason || ' ' || classification || ' ' || rule || ' ' || count FROM suppressions WHERE address = 'alice@example.org'");
  g_assert_cmpstr (sup, ==, "bounce InvalidRecipient test.toml:1 1");

  /* The same raw message again: nothing new. */
  g_assert_true (record (store, report, "aa", 2000, &result));
  g_assert_true (result.duplicate);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM events"), ==, 1);
  /* Another message for the same address extends the suppression. */
  g_assert_true (record (store, report, "bb", 3000, &result));
  g_assert_cmpint (query_int (f->path, "SELECT count FROM suppressions"), ==, 2);
  g_assert_cmpint (query_int (f->path, "SELECT last_seen FROM suppressions"), ==, 3000);
  g_assert_cmpint (query_int (f->path, "SELECT first_seen FROM suppressions"), ==, 1000);
}

static void
test_soft_threshold (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 1000, &error);
  g_assert_no_error (error);
  g_autoptr (OobReport) report = bounce ("bob@example.net", "4.2.2", "soft");
  OobStoreResult result;
  const gint64 day = 86400, start = 100 * day;
  /* Two soft bounces, then a third after the 7-day window: no suppression. */
  record (store, report, "s1", start, &result);
  record (store, report, "s2", start + day, &result);
  g_assert_cmpuint (result.suppressed, ==, 0);
  record (store, report, "s3", start + 9 * day, &result);
  g_assert_cmpuint (result.suppressed, ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM suppressions"), ==, 0);
  /* Third within the window of the last two: suppressed as soft. */
  record (store, report, "s4", start + 10 * day, &result);
  g_assert_cmpuint (result.suppressed, ==, 0);
  record (store, report, "s5", start + 11 * day, &result);
  g_assert_cmpuint (result.suppressed, ==, 1);
  g_autofree char *reason = query_text (f->path, "SELECT reason FROM suppressions WHERE address = 'bob@example.net'");
  g_assert_cmpstr (reason, ==, "soft");
}

static void
test_delay_and_unverified (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 1000, &error);
  g_autoptr (OobReport) delay = bounce ("carol@example.net", "4.4.7", "ignore");
  g_autoptr (OobReport) forged = bounce ("dave@example.net", "5.1.1", "suppress");
  forged->unverified = TRUE;
  OobStoreResult result;
  record (store, delay, "d1", 10, &result);
  record (store, forged, "f1", 10, &result);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM events"), ==, 2);
  g_assert_cmpint (query_int (f->path, "SELECT verified FROM events WHERE recipient = 'dave@example.net'"), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM suppressions"), ==, 0);
}

static void
test_unknown_keeps_raw (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 1000, &error);
  g_autoptr (OobReport) report = oob_report_new ();
  g_autoptr (GBytes) raw = g_bytes_new_static ("Subject: hi\n\nhello\n", 19);
  OobMessageRecord message = { .sha256 = "u1", .received_at = 5, .size = 19, .raw = raw };
  OobStoreRules rules;
  oob_store_rules_init (&rules);
  OobStoreResult result;
  g_assert_true (oob_store_record (store, &message, report, &rules, &result, &error));
  g_assert_cmpint (query_int (f->path, "SELECT length(raw) FROM messages WHERE kind = 'unknown'"), ==, 19);
  g_assert_cmpuint (result.events, ==, 0);
}

static void
test_open_failures (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* A directory that does not exist. */
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "dir.db", NULL);
  g_assert_null (oob_store_open (missing, 100, &error));
  g_assert_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN);
  g_clear_error (&error);
  /* A symlink we did not create is never followed. */
  g_autofree char *link = g_build_filename (f->dir, "link.db", NULL);
  g_assert_cmpint (symlink (f->path, link), ==, 0);
  g_assert_null (oob_store_open (link, 100, &error));
  g_assert_error (error, OOB_STORE_ERROR, OOB_STORE_ERROR_OPEN);
  g_clear_error (&error);
  /* Not a database. */
  g_assert_true (g_file_set_contents (f->path, "this is not sqlite, not at all; padding padding padding padding", -1, NULL));
  g_assert_null (oob_store_open (f->path, 100, &error));
  g_assert_nonnull (error);
}

static void
test_file_mode (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 100, &error);
  g_assert_no_error (error);
  GStatBuf st;
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
}

static void
test_canonical (void)
{
  g_autofree char *a = oob_store_canonical_address (" <Bob@Example.NET> ");
  g_assert_cmpstr (a, ==, "bob@example.net");
  g_assert_null (oob_store_canonical_address ("no-at-sign"));
  g_autofree char *d = oob_store_address_domain ("x@EXAMPLE.org");
  g_assert_cmpstr (d, ==, "example.org");
}

typedef struct {
  const char *path;
  gint locked;
} LockHolder;

/* Another writer: holds the write lock for 300 ms. */
static gpointer
hold_write_lock (gpointer data)
{
  LockHolder *holder = data;
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open (holder->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_atomic_int_set (&holder->locked, 1);
  g_usleep (300000);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return NULL;
}

/* Commits past the WAL limit truncate the WAL, and the busy timeout the
 * store was opened with still holds afterwards (the truncation runs with
 * none, so as never to wait). */
static void
test_wal_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 5000, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 60; i++)
    {
      g_autofree char *address = g_strdup_printf ("w%d@example.org", i);
      g_autofree char *sha = g_strdup_printf ("%064d", i);
      g_autoptr (OobReport) report = bounce (address, "5.1.1", "suppress");
      OobStoreResult result;
      g_assert_true (record (store, report, sha, 1700000000 + i, &result));
    }
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, <, 1024 * 1024);

  LockHolder holder = { f->path, 0 };
  GThread *thread = g_thread_new ("holder", hold_write_lock, &holder);
  while (!g_atomic_int_get (&holder.locked))
    g_usleep (1000);
  g_autoptr (OobReport) report = bounce ("after@example.org", "5.1.1", "suppress");
  OobStoreResult result;
  g_assert_true (record (store, report, "after", 1700000100, &result));
  g_thread_join (thread);
  g_assert_cmpint (query_int (f->path, "select count(*) from messages"), ==, 61);
}

/* A database made by an older oobproc (schema 2, from the shipped SQL)
 * is migrated on open: its rows stay, new events get the new columns. */
static void
test_migrate_from_2 (Fixture *f, gconstpointer data)
{
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  const char *const old[] = { "001-initial.sql", "002-suppression-history.sql" };
  for (gsize i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_autofree char *file = g_build_filename (OOB_SRCDIR, "schema", old[i], NULL);
      g_autofree char *sql = NULL;
      g_assert_true (g_file_get_contents (file, &sql, NULL, NULL));
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA user_version = 2;"
                                 "INSERT INTO messages (sha256, received_at, kind, size) VALUES ('old', 500, 'dsn', 1);"
                                 "INSERT INTO events (message, created_at, kind, recipient, status)"
                                 " VALUES (1, 500, 'bounce', 'old@example.org', '5.1.1');",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  g_autoptr (GError) error = NULL;
  g_autoptr (OobStore) store = oob_store_open (f->path, 1000, &error);
  g_assert_no_error (error);
  g_autoptr (OobReport) report = bounce ("new@example.org", "5.1.1", "suppress");
  OobStoreResult result;
  g_assert_true (record (store, report, "new", 1000, &result));
  g_assert_cmpint (query_int (f->path, "PRAGMA user_version"), ==, oob_store_schema_version ());
  g_autofree char *rows = query_text (f->path, "SELECT group_concat(recipient || '=' || coalesce(smtp_command, '-'), ' ')"
                                               " FROM (SELECT * FROM events ORDER BY id)");
  g_assert_cmpstr (rows, ==, "old@example.org=- new@example.org=RCPT");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/record-and-suppress", Fixture, NULL, setup, test_record_and_suppress, teardown);
  g_test_add ("/store/soft-threshold", Fixture, NULL, setup, test_soft_threshold, teardown);
  g_test_add ("/store/delay-and-unverified", Fixture, NULL, setup, test_delay_and_unverified, teardown);
  g_test_add ("/store/unknown-keeps-raw", Fixture, NULL, setup, test_unknown_keeps_raw, teardown);
  g_test_add ("/store/open-failures", Fixture, NULL, setup, test_open_failures, teardown);
  g_test_add ("/store/file-mode", Fixture, NULL, setup, test_file_mode, teardown);
  g_test_add_func ("/store/canonical", test_canonical);
  g_test_add ("/store/wal-truncated", Fixture, NULL, setup, test_wal_truncated, teardown);
  g_test_add ("/store/migrate-from-2", Fixture, NULL, setup, test_migrate_from_2, teardown);
  return g_test_run ();
}
