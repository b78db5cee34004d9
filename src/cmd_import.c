/* cmd_import.c - `oobproc import PATH...`.
 *
 * Owns backfilling: every message in the given mbox files, maildirs and
 * files is processed and recorded as the pipe records it (same processor,
 * configuration and store call), dated by its own Date header, with the
 * envelope the processor reads from the X-Original-To / Delivered-To
 * headers the delivering MTA added.
 * With --jobs N, N threads parse and classify while the main thread alone
 * writes, in input order, so the database ends the same as with one.
 * Records are committed in batches; a terminal gets a progress line
 * (count, rate, ETA), anything else a plain line every few seconds, and
 * everyone a summary.  Re-running is harmless: the store counts a message
 * it already holds (same sha256) as a duplicate.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_import.h"
#include "eventlog.h"
#include "input.h"
#include "mime.h"
#include "process.h"
#include "store.h"

#define DEFAULT_BATCH 1000
#define TERMINAL_INTERVAL_US (G_USEC_PER_SEC / 5)
#define PLAIN_INTERVAL_US (10 * G_USEC_PER_SEC)

/* One message made ready for the store: parsed and classified (by a worker
 * with --jobs), then recorded by the main thread in input order. */
typedef struct {
  guint64 seq;
  char *path;
  int index;
  OobInput input;
  OobEnvelope *envelope;
  OobReport *report;       /* NULL when processing failed: see error */
  gint64 received_at;
  GError *error;
} Prepared;

static void
prepared_free (Prepared *p)
{
  g_free (p->path);
  oob_input_clear (&p->input);
  g_clear_pointer (&p->envelope, oob_envelope_free);
  g_clear_pointer (&p->report, oob_report_free);
  g_clear_error (&p->error);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

typedef struct {
  OobStore *store;
  OobProcessor *processor;
  OobConfig *config;       /* for the workers' own processors */
  OobStoreRules rules;
  gsize max_size;
  guint batch_size;
  guint in_batch;          /* records in the open batch */
  gboolean batch_open;
  gboolean terminal;
  gboolean quiet;
  gint64 started;
  gint64 last_progress;
  guint64 total;           /* messages found by the counting pass */
  guint64 seen;
  guint64 recorded;
  guint64 duplicates;
  guint64 events;
  guint64 suppressed;
  const char *event_log;   /* --event-log, or NULL */
  GPtrArray *pending;      /* its lines for the open batch, written once committed */
  GError *error;           /* the failure that stopped the import */
  /* --jobs: messages handed out, and those prepared but not yet recorded */
  GThreadPool *pool;
  guint64 next_seq;        /* the next message to hand out */
  guint64 next_record;     /* the next message to record */
  GMutex lock;
  GCond ready;
  GHashTable *done;        /* seq -> Prepared *, under lock */
} ImportState;

/* Commits the open batch, then logs its events. */
static gboolean
commit_batch (ImportState *state)
{
  state->in_batch = 0;
  state->batch_open = FALSE;
  if (!oob_store_commit_batch (state->store, &state->error))
    return FALSE;
  gboolean ok = state->event_log == NULL || oob_event_log_write (state->event_log, state->pending, &state->error);
  g_ptr_array_set_size (state->pending, 0);
  return ok;
}

static gboolean
count_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

/* The header block of a message: up to its first empty line. */
/* When the message was written: its Date header (GMime read it when the
 * message was parsed); now when it has none, or one in the future. */
static gint64
message_date (const OobReport *report, gint64 now)
{
  return report && report->written_at > 0 && report->written_at < now ? report->written_at : now;
}

static void
print_progress (ImportState *state, gboolean final)
{
  gint64 now = g_get_monotonic_time ();
  if (state->quiet || (!final && now - state->last_progress < (state->terminal ? TERMINAL_INTERVAL_US
                                                                                : PLAIN_INTERVAL_US)))
    return;
  state->last_progress = now;
  double elapsed = MAX ((now - state->started) / (double) G_USEC_PER_SEC, 1e-6);
  double rate = state->seen / elapsed;
  double percent = state->total ? 100.0 * state->seen / state->total : 100.0;
  guint64 left = state->total > state->seen ? state->total - state->seen : 0;
  guint64 eta = rate > 0 ? (guint64) (left / rate + 0.5) : 0;
  if (state->terminal)
    {
      int width = 30, filled = (int) (width * percent / 100.0);
      g_autofree char *bar = g_strnfill (filled, '#');
      g_autofree char *rest = g_strnfill (width - filled, '.');
      fprintf (stderr, "\r[%s%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %5.1f%% %.0f msg/s ETA %" G_GUINT64_FORMAT
               ":%02" G_GUINT64_FORMAT "%s",
               bar, rest, state->seen, state->total, percent, rate, eta / 60, eta % 60, final ? "\n" : "");
    }
  else if (!final)
    fprintf (stderr, "oobproc import: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " messages, %.0f msg/s\n",
             state->seen, state->total, rate);
  fflush (stderr);
}

/* Parses and classifies one message; thread-safe given its own processor. */
static Prepared *
prepare (OobProcessor *processor, gsize max_size, guint64 seq, const char *path, int index, const char *data,
         gsize len)
{
  Prepared *p = g_new0 (Prepared, 1);
  p->seq = seq;
  p->path = g_strdup (path);
  p->index = index;
  oob_input_from_data (data, len, max_size, &p->input);
  gsize kept = 0;
  const char *bytes = g_bytes_get_data (p->input.bytes, &kept);
  /* No delivery environment: the processor reads the envelope from the
   * X-Original-To / Delivered-To headers the delivering MTA added. */
  const OobDelivery delivery = { 0 };
  p->report = oob_processor_run (processor, bytes ? bytes : "", kept, &delivery, &p->envelope, &p->error);
  if (p->report && p->input.truncated)
    oob_set_string (&p->report->note, "message larger than the size cap; the rest was not parsed");
  p->received_at = message_date (p->report, g_get_real_time () / G_USEC_PER_SEC);
  return p;
}

/* Records one prepared message into the open batch. */
static gboolean
record (ImportState *state, Prepared *p)
{
  if (p->report == NULL)
    {
      g_propagate_prefixed_error (&state->error, g_steal_pointer (&p->error), "%s%s%d: ", p->path,
                                  p->index ? "#" : "", p->index);
      return FALSE;
    }
  OobMessageRecord record = {
    .sha256 = p->input.sha256,
    .received_at = p->received_at,
    .envelope_sender = p->envelope->sender,
    .envelope_recipient = p->envelope->recipient,
    .size = p->input.total_size,
    .truncated = p->input.truncated,
    .raw = p->report->type == OOB_REPORT_UNKNOWN ? p->input.bytes : NULL,
  };

  if (!state->batch_open && !oob_store_begin_batch (state->store, &state->error))
    return FALSE;
  state->batch_open = TRUE;
  OobStoreResult result;
  if (!oob_store_record (state->store, &record, p->report, &state->rules, &result, &state->error))
    {
      g_prefix_error (&state->error, "%s%s%d: ", p->path, p->index ? "#" : "", p->index);
      return FALSE;
    }
  if (state->event_log && !result.duplicate)
    oob_event_log_lines (state->pending, p->report, p->input.sha256, record.received_at, record.envelope_recipient);
  state->seen++;
  state->recorded += !result.duplicate;
  state->duplicates += result.duplicate;
  state->events += result.events;
  state->suppressed += result.suppressed;
  if (++state->in_batch == state->batch_size && !commit_batch (state))
    return FALSE;
  print_progress (state, FALSE);
  return TRUE;
}

static gboolean
import_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  ImportState *state = user_data;
  g_autoptr (Prepared) p = prepare (state->processor, state->max_size, 0, path, index, data, len);
  return record (state, p);
}

/* --jobs: a worker prepares a message with its thread's own processor. */
typedef struct {
  guint64 seq;
  char *path;
  int index;
  GBytes *data;
} Job;

static void
work (gpointer data, gpointer user_data)
{
  Job *job = data;
  ImportState *state = user_data;
  OobProcessor *processor = oob_processor_for_thread (state->config);
  gsize len;
  const char *bytes = g_bytes_get_data (job->data, &len);
  Prepared *p = prepare (processor, state->max_size, job->seq, job->path, job->index, bytes ? bytes : "", len);
  g_mutex_lock (&state->lock);
  g_hash_table_insert (state->done, &p->seq, p);
  g_cond_signal (&state->ready);
  g_mutex_unlock (&state->lock);
  g_free (job->path);
  g_bytes_unref (job->data);
  g_free (job);
}

/* Records the prepared messages that are next in input order; waits for
 * them while more than `in_flight` messages are out (0: all of them). */
static gboolean
record_ready (ImportState *state, guint64 in_flight)
{
  for (;;)
    {
      g_mutex_lock (&state->lock);
      Prepared *p = NULL;
      while (state->next_record < state->next_seq &&
             !(p = g_hash_table_lookup (state->done, &state->next_record)) &&
             state->next_seq - state->next_record > in_flight)
        g_cond_wait (&state->ready, &state->lock);
      if (p)
        g_hash_table_steal (state->done, &p->seq);
      g_mutex_unlock (&state->lock);
      if (p == NULL)
        return TRUE;
      state->next_record++;
      g_autoptr (Prepared) recorded = p;
      if (state->error == NULL && !record (state, recorded))
        return FALSE;
    }
}

static gboolean
hand_out (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  ImportState *state = user_data;
  Job *job = g_new0 (Job, 1);
  job->seq = state->next_seq++;
  job->path = g_strdup (path);
  job->index = index;
  job->data = g_bytes_new (data, len);
  g_thread_pool_push (state->pool, job, NULL);
  /* A few messages per worker in flight: enough to keep them busy, few
   * enough that copies of big mailboxes do not pile up. */
  return record_ready (state, 4 * (guint64) g_thread_pool_get_max_threads (state->pool));
}

int
oob_cmd_import (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL, *event_log = NULL;
  int batch = DEFAULT_BATCH, jobs = 1;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Messages per transaction (default 1000)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress, only the summary", NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Messages parsed in parallel (default 1)", "N" },
    { "event-log", 0, 0, G_OPTION_ARG_FILENAME, &event_log, "Append the events recorded to FILE (JSON lines)",
      "FILE" },
    { NULL },
  };
  if (!oob_cli_parse ("import", "PATH... - record mbox files, maildirs and message files",
                      "Messages are recorded as the pipe records them, dated by their Date header.\n"
                      "Re-running over the same mail records nothing twice.",
                      entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  if (argc < 2 || batch < 1 || jobs < 1)
    {
      fprintf (stderr, "oobproc import: %s\n",
               argc < 2 ? "no PATH given" : batch < 1 ? "--batch must be at least 1" : "--jobs must be at least 1");
      return OOB_EXIT_ERROR;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (OobConfig) conf = oob_config_load (config, &error);
  if (conf == NULL)
    return oob_cli_fail ("import", error);
  g_autoptr (OobStore) store = oob_store_open (database ? database : conf->database, conf->busy_timeout_ms, &error);
  if (store == NULL)
    return oob_cli_fail ("import", error);
  g_autoptr (OobProcessor) processor = oob_processor_new (conf, OOB_PROCESSOR_MANY, &error);
  if (processor == NULL)
    return oob_cli_fail ("import", error);
  ImportState state = {
    .store = store,
    .processor = processor,
    .config = conf,
    .rules = { .dedupe_window = conf->dedupe_window },
    .max_size = conf->max_message_size,
    .batch_size = (guint) batch,
    .terminal = isatty (STDERR_FILENO),
    .quiet = quiet,
    .event_log = event_log,
    .pending = g_ptr_array_new_with_free_func (g_free),
  };

  int status = 0;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) walk_error = NULL;
      if (!oob_input_foreach (argv[i], count_one, &state.total, &walk_error))
        {
          fprintf (stderr, "oobproc import: %s\n", walk_error->message);
          status = OOB_EXIT_ERROR;
        }
    }
  state.started = state.last_progress = g_get_monotonic_time ();
  if (jobs > 1)
    {
      g_mutex_init (&state.lock);
      g_cond_init (&state.ready);
      state.done = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) prepared_free);
      state.pool = g_thread_pool_new (work, &state, MIN (jobs, 64), TRUE, NULL);
    }
  for (int i = 1; i < argc && state.error == NULL; i++)
    {
      g_autoptr (GError) walk_error = NULL;
      if (!oob_input_foreach (argv[i], state.pool ? hand_out : import_one, &state, &walk_error) && walk_error)
        status = OOB_EXIT_ERROR; /* already reported by the counting pass */
    }
  if (state.pool)
    {
      record_ready (&state, 0);
      /* After a failure the rest is waited for and dropped unrecorded. */
      g_thread_pool_free (state.pool, FALSE, TRUE);
      g_hash_table_unref (state.done);
      g_cond_clear (&state.ready);
      g_mutex_clear (&state.lock);
    }
  /* A failed record undid only itself: keep the batch's others. */
  if (state.batch_open)
    {
      GError *first = g_steal_pointer (&state.error);
      commit_batch (&state);
      if (first)
        {
          g_clear_error (&state.error);
          state.error = first;
        }
    }
  g_ptr_array_unref (state.pending);
  if (state.error)
    {
      if (state.terminal && !quiet)
        fputc ('\n', stderr);
      oob_cli_fail ("import", state.error);
      g_clear_error (&state.error);
      status = OOB_EXIT_ERROR;
    }
  else
    print_progress (&state, TRUE);
  double elapsed = MAX ((g_get_monotonic_time () - state.started) / (double) G_USEC_PER_SEC, 1e-6);
  printf ("%" G_GUINT64_FORMAT " messages read, %" G_GUINT64_FORMAT " recorded, %" G_GUINT64_FORMAT
          " already recorded, %" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT " suppressions, in %.1f s"
          " (%.0f messages/s)\n",
          state.seen, state.recorded, state.duplicates, state.events, state.suppressed, elapsed,
          state.seen / elapsed);
  return status;
}
