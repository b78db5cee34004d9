/* test-relay.c - LogThenRelay: the bytes handed on (prepended fields cut
 * byte-exactly, one trace header), loop detection, the sendmail program
 * run with an argument vector, its failures and its timeout; and through
 * the built program, a failed relay leaving the message queued (75) while
 * the retry relays it without counting it again. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "relay.h"

#define MESSAGE_BODY \
  "Received: from mx.example.net by bounce.example.com; Sun, 1 Nov 2026 09:00:00 +0000\n" \
  "From: Mail Delivery System <MAILER-DAEMON@example.net>\n" \
  "To: bounces+x=example.org@bounce.example.com\n" \
  "Delivered-To: kept@example.com\n" \
  "Subject: Undelivered Mail\n" \
  "\n" \
  "Return-Path: <in-the-body@example.com>\n" \
  "body\n"

static void
test_prepended_length (void)
{
  const char *prepended = "Return-Path: <>\n"
                          "X-Original-To: bounces+x=example.org@bounce.example.com\n"
                          "Delivered-To:\n"
                          "\tbounces@bounce.example.com\n";
  g_autofree char *message = g_strconcat (prepended, MESSAGE_BODY, NULL);
  g_assert_cmpuint (oob_relay_prepended_length (message, strlen (message)), ==, strlen (prepended));

  /* Nothing prepended, or the fields later in the header: nothing cut. */
  g_assert_cmpuint (oob_relay_prepended_length (MESSAGE_BODY, strlen (MESSAGE_BODY)), ==, 0);
  const char *late = "Subject: x\nReturn-Path: <>\nDelivered-To: a@example.com\n\nbody\n";
  g_assert_cmpuint (oob_relay_prepended_length (late, strlen (late)), ==, 0);

  /* Any case, CRLF line ends. */
  const char *crlf = "return-path: <>\r\nDELIVERED-TO: a@example.com\r\nFrom: b@example.com\r\n\r\nbody\r\n";
  g_assert_cmpuint (oob_relay_prepended_length (crlf, strlen (crlf)), ==, strlen ("return-path: <>\r\nDELIVERED-TO: a@example.com\r\n"));

  g_assert_cmpuint (oob_relay_prepended_length ("", 0), ==, 0);
  const char *not_mail = "just some text without a header\n";
  g_assert_cmpuint (oob_relay_prepended_length (not_mail, strlen (not_mail)), ==, 0);
}

static void
test_prepare (void)
{
  const char *prepended = "Return-Path: <>\nDelivered-To: bounces@bounce.example.com\n";
  g_autofree char *message = g_strconcat (prepended, MESSAGE_BODY, NULL);
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 11, 22, 10, 30, 0);
  const char *sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  g_autoptr (GBytes) out = oob_relay_prepare (message, strlen (message), sha256, when);

  g_autofree char *trace = g_strdup_printf ("X-Oobproc-Relayed: %s 0123456789abcdef; Sun, 22 Nov 2026 10:30:00 +0000\n",
                                            g_get_host_name ());
  g_autofree char *expected = g_strconcat (trace, MESSAGE_BODY, NULL);
  gsize size;
  const char *data = g_bytes_get_data (out, &size);
  g_assert_cmpmem (data, size, expected, strlen (expected));
  g_assert_true (oob_relay_is_loop (data, size));

  /* CRLF messages get a CRLF trace line; bytes after it are untouched,
   * NUL and 8-bit bytes included. */
  const char crlf[] = "Delivered-To: a@example.com\r\nSubject: \xe2\x82\xac\r\n\r\nnul:\0:end\r\n";
  g_autoptr (GBytes) out_crlf = oob_relay_prepare (crlf, sizeof crlf - 1, sha256, when);
  data = g_bytes_get_data (out_crlf, &size);
  gsize trace_len = strlen (trace) + 1; /* "\r\n" instead of "\n" */
  g_assert_cmpuint (size, ==, trace_len + sizeof crlf - 1 - strlen ("Delivered-To: a@example.com\r\n"));
  g_assert_cmpmem (data + trace_len - 2, 2, "\r\n", 2);
  g_assert_cmpmem (data + trace_len, size - trace_len, crlf + strlen ("Delivered-To: a@example.com\r\n"),
                   size - trace_len);
}

static void
test_loop (void)
{
  const char *looped = "Return-Path: <>\nx-oobproc-relayed: mx1 0123456789abcdef; Sun, 22 Nov 2026 10:30:00 +0000\n"
                       "Subject: again\n\nbody\n";
  g_assert_true (oob_relay_is_loop (looped, strlen (looped)));
  g_assert_false (oob_relay_is_loop (MESSAGE_BODY, strlen (MESSAGE_BODY)));
  /* The header quoted in a body or an attached message is not a loop. */
  const char *quoted = "Subject: a report\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                       "Content-Type: message/rfc822\n\nX-Oobproc-Relayed: mx1 0; date\nSubject: inner\n\ninner\n"
                       "--b--\nX-Oobproc-Relayed: in the body\n";
  g_assert_false (oob_relay_is_loop (quoted, strlen (quoted)));
}

static void
test_config_load (void)
{
  g_auto (OobRelayConfig) config;
  oob_relay_config_init (&config);
  const char *const defaults[] = { OOB_DEFAULT_SENDMAIL, "-G", "-i", "-f", "<>", NULL };
  g_assert_true (g_strv_equal ((const char *const *) config.command, defaults));
  g_assert_cmpuint (config.timeout, ==, 60);

  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = json_from_string ("{\"command\": [\"/usr/sbin/exim\", \"-i\", \"-f\", \"\"],"
                                                " \"timeout\": 5}", &error);
  g_assert_no_error (error);
  g_assert_true (oob_relay_config_load (&config, json_node_get_object (list), &error));
  g_assert_no_error (error);
  const char *const exim[] = { "/usr/sbin/exim", "-i", "-f", "", NULL };
  g_assert_true (g_strv_equal ((const char *const *) config.command, exim));
  g_assert_cmpuint (config.timeout, ==, 5);

  g_autoptr (JsonNode) program = json_from_string ("{\"command\": \"/opt/bin/sendmail\", \"timeout\": \"2m\"}", &error);
  g_assert_true (oob_relay_config_load (&config, json_node_get_object (program), &error));
  const char *const program_defaults[] = { "/opt/bin/sendmail", "-G", "-i", "-f", "<>", NULL };
  g_assert_true (g_strv_equal ((const char *const *) config.command, program_defaults));
  g_assert_cmpuint (config.timeout, ==, 120);

  const char *bad[][2] = {
    { "{\"command\": \"sendmail\"}", "command" },
    { "{\"command\": []}", "command" },
    { "{\"command\": [\"/usr/sbin/sendmail\", 1]}", "command" },
    { "{\"command\": 3}", "command" },
    { "{\"timeout\": 0}", "timeout" },
    { "{\"timeout\": \"2h\"}", "timeout" },
    { "{\"timeout\": \"soon\"}", "timeout" },
    { "{\"timeout\": true}", "timeout" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) node = json_from_string (bad[i][0], NULL);
      g_autoptr (GError) bad_error = NULL;
      g_assert_false (oob_relay_config_load (&config, json_node_get_object (node), &bad_error));
      g_assert_nonnull (bad_error);
      if (!g_str_has_prefix (bad_error->message, bad[i][1]))
        g_error ("\"%s\": error \"%s\" does not start with the key", bad[i][0], bad_error->message);
    }
  /* A rejected table changes nothing. */
  g_assert_true (g_strv_equal ((const char *const *) config.command, program_defaults));
  g_assert_cmpuint (config.timeout, ==, 120);
}

/* A temporary directory with fake sendmail programs in it. */
typedef struct {
  char *dir;
} Fixture;

static char *
write_script (Fixture *f, const char *name, const char *body)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\nout=%s\n%s", f->dir, body);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
setup (Fixture *f, gconstpointer data)
{
  (void) data;
  f->dir = g_dir_make_tmp ("oobproc-relay-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autoptr (GFile) dir = g_file_new_for_path (f->dir);
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child;
  while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    g_assert_true (g_file_delete (child, NULL, NULL));
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static char *
read_file (Fixture *f, const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  char *contents = NULL;
  if (!g_file_get_contents (path, &contents, len, NULL))
    return NULL;
  return contents;
}

#define RECORDING_SENDMAIL "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out/args\"\ncat > \"$out/stdin\"\n"

static void
test_send (Fixture *f, gconstpointer data)
{
  (void) data;
  g_auto (OobRelayConfig) config;
  oob_relay_config_init (&config);
  g_autofree char *program = write_script (f, "sendmail", RECORDING_SENDMAIL);
  oob_relay_config_set_program (&config, program);
  const char message[] = "Subject: x\n\nline; $(touch /tmp/never) `id` \"q\" \0 end\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (message, sizeof message - 1);
  const char *const recipients[] = { "archive@example.com", "-x@example.org", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_relay_send (&config, recipients, bytes, &error));
  g_assert_no_error (error);

  gsize len;
  g_autofree char *args = read_file (f, "args", &len);
  g_assert_cmpstr (args, ==, "-G\n-i\n-f\n<>\n--\narchive@example.com\n-x@example.org\n");
  g_autofree char *in = read_file (f, "stdin", &len);
  g_assert_cmpmem (in, len, message, sizeof message - 1);
}

static void
test_send_failures (Fixture *f, gconstpointer data)
{
  (void) data;
  g_auto (OobRelayConfig) config;
  oob_relay_config_init (&config);
  g_autoptr (GBytes) bytes = g_bytes_new_static (MESSAGE_BODY, strlen (MESSAGE_BODY));
  const char *const recipients[] = { "archive@example.com", NULL };
  g_autoptr (GError) error = NULL;

  g_autofree char *failing = write_script (f, "failing", "cat >/dev/null\necho 'postdrop: queue file write error' >&2\nexit 75\n");
  oob_relay_config_set_program (&config, failing);
  g_assert_false (oob_relay_send (&config, recipients, bytes, &error));
  g_assert_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "status 75"));
  g_assert_nonnull (strstr (error->message, "queue file write error"));
  g_clear_error (&error);

  g_autofree char *killed = write_script (f, "killed", "kill -TERM $$\n");
  oob_relay_config_set_program (&config, killed);
  g_assert_false (oob_relay_send (&config, recipients, bytes, &error));
  g_assert_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_FAILED);
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (f->dir, "no-such-sendmail", NULL);
  oob_relay_config_set_program (&config, missing);
  g_assert_false (oob_relay_send (&config, recipients, bytes, &error));
  g_assert_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_SPAWN);
}

/* A sendmail that never finishes: it and the command it started are
 * killed when the timeout passes. */
static void
test_send_timeout (Fixture *f, gconstpointer data)
{
  (void) data;
  g_auto (OobRelayConfig) config;
  oob_relay_config_init (&config);
  config.timeout = 1;
  g_autofree char *program = write_script (f, "hanging", "sleep 300 &\necho $$ $! > \"$out/child\"\nwait\n");
  oob_relay_config_set_program (&config, program);
  g_autoptr (GBytes) bytes = g_bytes_new_static (MESSAGE_BODY, strlen (MESSAGE_BODY));
  const char *const recipients[] = { "archive@example.com", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_false (oob_relay_send (&config, recipients, bytes, &error));
  g_assert_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "within 1 s"));

  g_autofree char *pids = read_file (f, "child", NULL);
  g_assert_nonnull (pids);
  int script = 0, sleeper = 0;
  g_assert_cmpint (sscanf (pids, "%d %d", &script, &sleeper), ==, 2);
  g_assert_cmpint (sleeper, >, 1);
  /* The sleep the script started dies: gone, or a zombie about to be
   * reaped.  A killed process may still be runnable for a moment, so this
   * waits a bounded while; a live pid counts only if it is a "sleep" in
   * the script's process group (pids get reused). */
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", sleeper);
  gboolean alive = TRUE;
  for (int tries = 0; alive && tries < 1000; tries++)
    {
      g_autofree char *stat = NULL;
      alive = FALSE;
      if (g_file_get_contents (stat_path, &stat, NULL, NULL))
        {
          const char *close_paren = strrchr (stat, ')');
          g_assert_nonnull (close_paren);
          char state = 0;
          int ppid = 0, pgrp = 0;
          g_assert_cmpint (sscanf (close_paren + 2, "%c %d %d", &state, &ppid, &pgrp), ==, 3);
          alive = strstr (stat, "(sleep)") != NULL && pgrp == script && state != 'Z';
        }
      if (alive)
        g_usleep (10000);
    }
  g_assert_false (alive);
}

/* Through the built program: the pipe as an MTA runs it, with
 * arguments (NULL-terminated) after the program name. */
static int
run_oobproc (const char *message_path, const char *first_argument, ...)
{
  const char *oobproc = g_getenv ("OOBPROC");
  g_assert_nonnull (oobproc);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) oobproc);
  va_list args;
  va_start (args, first_argument);
  for (const char *arg = first_argument; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdin_file_path (launcher, message_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child =
      g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) out = NULL;
  g_assert_true (g_subprocess_communicate (child, NULL, NULL, &out, NULL, &error));
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0); /* silent without -v */
  g_assert_true (g_subprocess_get_if_exited (child));
  return g_subprocess_get_exit_status (child);
}

static int
run_pipe (Fixture *f, const char *message_path, const char *sendmail, const char *recipient)
{
  g_autofree char *db = g_build_filename (f->dir, "oob.db", NULL);
  g_autofree char *listener = g_build_filename (f->dir, "listener.toml", NULL);
  g_autofree char *config = g_build_filename (f->dir, "no-oobproc.toml", NULL);
  g_assert_true (g_file_set_contents (config, "", 0, NULL));
  return run_oobproc (message_path, "-c", config, "--db", db, "--listener-domains", listener, "--sendmail", sendmail,
                      "-r", recipient, NULL);
}

static gint64
query_int (Fixture *f, const char *sql)
{
  g_autofree char *db = g_build_filename (f->dir, "oob.db", NULL);
  sqlite3 *handle;
  sqlite3_stmt *stmt;
  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return value;
}

static void
write_listener_file (Fixture *f)
{
  g_autofree char *listener = g_build_filename (f->dir, "listener.toml", NULL);
  g_assert_true (g_file_set_contents (listener,
                                      "[\"bounce.example.com\"]\n"
                                      "log_oob = \"LogThenRelay\"\n"
                                      "oob_relay_recipients = [\"archive@example.com\"]\n"
                                      "[\"*\"]\n"
                                      "log_oob = \"Ignore\"\n",
                                      -1, NULL));
}

static void
test_pipe_retry (Fixture *f, gconstpointer data)
{
  (void) data;
  write_listener_file (f);
  g_autofree char *fixture = g_build_filename (OOB_SRCDIR, "fixtures", "dsn", "postfix-550-user-unknown.eml", NULL);
  g_autofree char *failing = write_script (f, "failing", "cat >/dev/null\nexit 1\n");
  g_autofree char *working = write_script (f, "working", RECORDING_SENDMAIL);
  const char *rcpt = "bounces+alice=example.org@bounce.example.com";

  /* Recorded, relay fails: left queued. */
  g_assert_cmpint (run_pipe (f, fixture, failing, rcpt), ==, 75);
  g_assert_cmpint (query_int (f, "select count(*) from messages"), ==, 1);
  gint64 events = query_int (f, "select count(*) from events");
  g_assert_cmpint (events, >=, 1);

  /* The MTA's retry: relayed, not counted again. */
  g_assert_cmpint (run_pipe (f, fixture, working, rcpt), ==, 0);
  g_assert_cmpint (query_int (f, "select count(*) from messages"), ==, 1);
  g_assert_cmpint (query_int (f, "select count(*) from events"), ==, events);
  gsize len;
  g_autofree char *args = read_file (f, "args", &len);
  g_assert_cmpstr (args, ==, "-G\n-i\n-f\n<>\n--\narchive@example.com\n");
  g_autofree char *relayed = read_file (f, "stdin", &len);
  g_autofree char *original = NULL;
  gsize original_len;
  g_assert_true (g_file_get_contents (fixture, &original, &original_len, NULL));
  /* The fixture's own leading Return-Path and Delivered-To are cut too. */
  gsize cut = oob_relay_prepended_length (original, original_len);
  g_assert_cmpuint (cut, >, 0);
  const char *nl = memchr (relayed, '\n', len);
  g_assert_nonnull (nl);
  g_assert_true (g_str_has_prefix (relayed, "X-Oobproc-Relayed: "));
  g_assert_cmpmem (nl + 1, len - (nl + 1 - relayed), original + cut, original_len - cut);
}

static void
test_pipe_loop_and_ignore (Fixture *f, gconstpointer data)
{
  (void) data;
  write_listener_file (f);
  g_autofree char *working = write_script (f, "working", RECORDING_SENDMAIL);
  g_autofree char *looped = g_build_filename (f->dir, "looped.eml", NULL);
  g_autofree char *fixture = g_build_filename (OOB_SRCDIR, "fixtures", "dsn", "sendmail-550.eml", NULL);
  g_autofree char *original = NULL;
  g_assert_true (g_file_get_contents (fixture, &original, NULL, NULL));
  g_autofree char *with_trace = g_strconcat ("X-Oobproc-Relayed: mx1 0123456789abcdef; Sun, 22 Nov 2026 10:30:00 +0000\n",
                                             original, NULL);
  g_assert_true (g_file_set_contents (looped, with_trace, -1, NULL));

  /* A loop: recorded, dropped, sendmail never run. */
  g_assert_cmpint (run_pipe (f, looped, working, "bounces@bounce.example.com"), ==, 0);
  g_assert_cmpint (query_int (f, "select count(*) from messages"), ==, 1);
  g_autofree char *args = read_file (f, "args", NULL);
  g_assert_null (args);

  /* Ignore for another domain without relay_to: not recorded, not relayed. */
  g_assert_cmpint (run_pipe (f, fixture, working, "bounces@other.example.net"), ==, 0);
  g_assert_cmpint (query_int (f, "select count(*) from messages"), ==, 1);
  g_autofree char *args_after = read_file (f, "args", NULL);
  g_assert_null (args_after);

  /* A listener file that does not validate: left queued. */
  g_autofree char *listener = g_build_filename (f->dir, "listener.toml", NULL);
  g_assert_true (g_file_set_contents (listener, "[\"*\"]\nlog_oob = \"Maybe\"\n", -1, NULL));
  g_assert_cmpint (run_pipe (f, fixture, working, "bounces@bounce.example.com"), ==, 75);
}

/* The same settings from oobproc.toml: listener_domains and [relay]. */
static void
test_pipe_config_file (Fixture *f, gconstpointer data)
{
  (void) data;
  write_listener_file (f);
  g_autofree char *working = write_script (f, "working", RECORDING_SENDMAIL);
  g_autofree char *config = g_build_filename (f->dir, "oobproc.toml", NULL);
  g_autofree char *text = g_strdup_printf ("database = \"%s/oob.db\"\n"
                                           "listener_domains = \"%s/listener.toml\"\n"
                                           "[relay]\n"
                                           "command = [\"%s\", \"-i\", \"-f\", \"\"]\n"
                                           "timeout = \"30s\"\n",
                                           f->dir, f->dir, working);
  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  g_autofree char *fixture = g_build_filename (OOB_SRCDIR, "fixtures", "dsn", "quota-552.eml", NULL);
  g_assert_cmpint (run_oobproc (fixture, "-c", config, "-r", "bounces@bounce.example.com", NULL), ==, 0);
  g_assert_cmpint (query_int (f, "select count(*) from messages"), ==, 1);
  g_autofree char *args = read_file (f, "args", NULL);
  g_assert_cmpstr (args, ==, "-i\n-f\n\n--\narchive@example.com\n");

  /* A [relay] table that does not validate leaves the message queued. */
  g_assert_true (g_file_set_contents (config, "[relay]\ncommand = \"sendmail\"\n", -1, NULL));
  g_assert_cmpint (run_oobproc (fixture, "-c", config, "-r", "bounces@bounce.example.com", NULL), ==, 75);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/relay/prepended-length", test_prepended_length);
  g_test_add_func ("/relay/prepare", test_prepare);
  g_test_add_func ("/relay/loop", test_loop);
  g_test_add_func ("/relay/config-load", test_config_load);
  g_test_add ("/relay/send", Fixture, NULL, setup, test_send, teardown);
  g_test_add ("/relay/send-failures", Fixture, NULL, setup, test_send_failures, teardown);
  g_test_add ("/relay/send-timeout", Fixture, NULL, setup, test_send_timeout, teardown);
  g_test_add ("/relay/pipe-retry", Fixture, NULL, setup, test_pipe_retry, teardown);
  g_test_add ("/relay/pipe-loop-and-ignore", Fixture, NULL, setup, test_pipe_loop_and_ignore, teardown);
  g_test_add ("/relay/pipe-config-file", Fixture, NULL, setup, test_pipe_config_file, teardown);
  return g_test_run ();
}
