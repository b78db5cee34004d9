/* cmd_import.c - `oobproc import PATH...`.
 *
 * Owns backfilling: every message in the given mbox files, maildirs and
 * files is processed and recorded as the pipe records it (same processor,
 * configuration and store call), dated by its own Date header, with the
 * envelope the processor reads from the X-Original-To / Delivered-To
 * headers the delivering MTA added.
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

typedef struct {
  OobStore *store;
  OobProcessor *processor;
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
static gsize
header_length (const char *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++)
    if (data[i] == '\n' && (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')))
      return i + 1;
  return len;
}

/* When the message was written: its Date header, read through GMime's
 * header parser; now when it has none, or one in the future. */
static gint64
message_date (const char *data, gsize len, gint64 now)
{
  g_autoptr (GMimeHeaderList) headers = oob_mime_parse_fields (data, header_length (data, len));
  const char *date = headers ? oob_mime_header (headers, "Date") : NULL;
  g_autoptr (GDateTime) time = date ? g_mime_utils_header_decode_date (date) : NULL;
  if (time && g_date_time_to_unix (time) > 0 && g_date_time_to_unix (time) < now)
    return g_date_time_to_unix (time);
  return now;
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

static gboolean
import_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  ImportState *state = user_data;
  g_auto (OobInput) input = { 0 };
  oob_input_from_data (data, len, state->max_size, &input);
  gsize kept = 0;
  const char *bytes = g_bytes_get_data (input.bytes, &kept);
  /* No delivery environment: the processor reads the envelope from the
   * X-Original-To / Delivered-To headers the delivering MTA added. */
  const OobDelivery delivery = { 0 };
  g_autoptr (OobEnvelope) envelope = NULL;
  g_autoptr (OobReport) report = oob_processor_run (state->processor, bytes ? bytes : "", kept, &delivery,
                                                    &envelope, &state->error);
  if (report == NULL)
    return FALSE;
  if (input.truncated)
    oob_set_string (&report->note, "message larger than the size cap; the rest was not parsed");
  OobMessageRecord record = {
    .sha256 = input.sha256,
    .received_at = message_date (bytes ? bytes : "", kept, g_get_real_time () / G_USEC_PER_SEC),
    .envelope_sender = envelope->sender,
    .envelope_recipient = envelope->recipient,
    .size = input.total_size,
    .truncated = input.truncated,
    .raw = report->type == OOB_REPORT_UNKNOWN ? input.bytes : NULL,
  };

  if (!state->batch_open && !oob_store_begin_batch (state->store, &state->error))
    return FALSE;
  state->batch_open = TRUE;
  OobStoreResult result;
  if (!oob_store_record (state->store, &record, report, &state->rules, &result, &state->error))
    {
      g_prefix_error (&state->error, "%s%s%d: ", path, index ? "#" : "", index);
      return FALSE;
    }
  if (state->event_log && !result.duplicate)
    oob_event_log_lines (state->pending, report, input.sha256, record.received_at, record.envelope_recipient);
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

int
oob_cmd_import (int argc, char **argv)
{
  g_autofree char *config = NULL, *database = NULL, *event_log = NULL;
  int batch = DEFAULT_BATCH;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file (default: the configuration's)", "PATH" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Messages per transaction (default 1000)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress, only the summary", NULL },
    { "event-log", 0, 0, G_OPTION_ARG_FILENAME, &event_log, "Append the events recorded to FILE (JSON lines)",
      "FILE" },
    { NULL },
  };
  if (!oob_cli_parse ("import", "PATH... - record mbox files, maildirs and message files",
                      "Messages are recorded as the pipe records them, dated by their Date header.\n"
                      "Re-running over the same mail records nothing twice.",
                      entries, &argc, &argv))
    return OOB_EXIT_ERROR;
  if (argc < 2 || batch < 1)
    {
      fprintf (stderr, "oobproc import: %s\n", argc < 2 ? "no PATH given" : "--batch must be at least 1");
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
  for (int i = 1; i < argc && state.error == NULL; i++)
    {
      g_autoptr (GError) walk_error = NULL;
      if (!oob_input_foreach (argv[i], import_one, &state, &walk_error) && walk_error)
        status = OOB_EXIT_ERROR; /* already reported by the counting pass */
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
