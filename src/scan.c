/* scan.c - `oobproc scan [--format=jsonl|text] PATH...`.
 *
 * Reads files, maildirs and mbox files and prints one line per recipient:
 * JSON objects (stable keys: tools and the corpus scorer read them) or
 * aligned text for people.  A message with no recipient gives one line of
 * kind "unknown" (or its report kind).
 */
#include "json.h"
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "conf.h"
#include "input.h"
#include "process.h"
#include "scan.h"

typedef struct {
  const OobConfig *config;
  OobProcessor *processor;    /* used when jobs == 1 */
  GThreadPool *pool;
  GMutex lock;                /* output and failure flag */
  gboolean text;
  gboolean failed;
} ScanState;

/* One message waiting for a worker. */
typedef struct {
  char *path;
  int index;
  GBytes *data;
} ScanItem;

static void
format_json (GString *out, const char *path, int index, const OobReport *report, const OobRecipient *rcpt)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  oob_json_add_string (builder, "source", path);
  if (index > 0)
    {
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, index);
    }
  oob_json_add_string (builder, "kind", oob_kind_to_string (oob_recipient_kind (report, rcpt)));
  oob_json_add_string (builder, "parser", report->parser);
  oob_json_add_string (builder, "recipient", rcpt ? oob_recipient_address (rcpt) : NULL);
  oob_json_add_string (builder, "original_recipient", rcpt ? rcpt->original_recipient : NULL);
  oob_json_add_string (builder, "final_recipient", rcpt ? rcpt->final_recipient : NULL);
  oob_json_add_string (builder, "status", rcpt ? rcpt->status : NULL);
  oob_json_add_code (builder, "code", rcpt ? rcpt->smtp_code : 0);
  oob_json_add_string (builder, "smtp_command", rcpt ? rcpt->smtp_command : NULL);
  oob_json_add_string (builder, "diagnostic", rcpt ? rcpt->diagnostic : NULL);
  oob_json_add_string (builder, "remote_mta", rcpt ? rcpt->remote_mta : NULL);
  oob_json_add_string (builder, "reporting_mta", report->reporting_mta);
  oob_json_add_string (builder, "classification", rcpt ? rcpt->classification : NULL);
  oob_json_add_string (builder, "rule", rcpt ? rcpt->rule : NULL);
  oob_json_add_string (builder, "action", rcpt ? rcpt->policy_action : NULL);
  oob_json_add_string (builder, "feedback_type", report->feedback_type);
  oob_json_add_string (builder, "message_id", report->orig_message_id);
  oob_json_add_string (builder, "campaign", report->campaign);
  oob_json_add_string (builder, "tenant", report->tenant);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = json_to_string (root, FALSE);
  g_string_append (out, line);
  g_string_append_c (out, '\n');
}

static void
format_text (GString *out, const char *path, int index, const OobReport *report, const OobRecipient *rcpt)
{
  g_autofree char *source = index > 0 ? g_strdup_printf ("%s#%d", path, index) : g_strdup (path);
  OobKind kind = oob_recipient_kind (report, rcpt);
  g_string_append_printf (out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", source, oob_kind_to_string (kind),
          rcpt && oob_recipient_address (rcpt) ? oob_recipient_address (rcpt) : "-",
          rcpt && rcpt->status ? rcpt->status : "-",
          rcpt && rcpt->classification ? rcpt->classification : "-",
          rcpt && rcpt->policy_action ? rcpt->policy_action : "-",
          rcpt && rcpt->diagnostic ? rcpt->diagnostic : "-");
}

/* Processes one message and writes its lines in one piece. */
static void
scan_message (ScanState *state, OobProcessor *processor, const char *path, int index, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OobReport) report = oob_processor_run (processor, data, len, NULL, NULL, &error);
  g_autoptr (GString) out = g_string_new (NULL);
  void (*format) (GString *, const char *, int, const OobReport *, const OobRecipient *) =
    state->text ? format_text : format_json;
  if (report && report->recipients->len == 0)
    format (out, path, index, report, NULL);
  for (guint i = 0; report && i < report->recipients->len; i++)
    format (out, path, index, report, g_ptr_array_index (report->recipients, i));
  g_mutex_lock (&state->lock);
  if (report == NULL)
    {
      fprintf (stderr, "oobproc scan: %s: %s\n", path, error->message);
      state->failed = TRUE;
    }
  fputs (out->str, stdout);
  g_mutex_unlock (&state->lock);
}

static void
scan_worker (gpointer data, gpointer user_data)
{
  ScanItem *item = data;
  ScanState *state = user_data;
  OobProcessor *processor = oob_processor_for_thread (state->config);
  gsize len;
  const char *bytes = g_bytes_get_data (item->data, &len);
  scan_message (state, processor, item->path, item->index, bytes ? bytes : "", len);
  g_free (item->path);
  g_bytes_unref (item->data);
  g_free (item);
}

static gboolean
scan_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  ScanState *state = user_data;
  if (state->pool == NULL)
    {
      scan_message (state, state->processor, path, index, data, len);
      return !state->failed;
    }
  /* Keep the queue short: messages are copied while they wait. */
  while (g_thread_pool_unprocessed (state->pool) > 4 * (guint) g_thread_pool_get_max_threads (state->pool))
    g_usleep (200);
  ScanItem *item = g_new0 (ScanItem, 1);
  item->path = g_strdup (path);
  item->index = index;
  item->data = g_bytes_new (data, len);
  g_thread_pool_push (state->pool, item, NULL);
  return TRUE;
}

int
oob_cmd_scan (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *config_file = NULL;
  int jobs = 1;
  GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Messages processed in parallel (default 1)", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format: jsonl (default) or text", "FORMAT" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Configuration file", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("PATH... - parse messages and print what they report");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "oobproc scan: %s\n", error->message);
      return 2;
    }
  if (format && !g_str_equal (format, "jsonl") && !g_str_equal (format, "text"))
    {
      fprintf (stderr, "oobproc scan: unknown format '%s' (jsonl or text)\n", format);
      return 2;
    }
  if (argc < 2)
    {
      fprintf (stderr, "oobproc scan: no PATH given\n");
      return 2;
    }
  g_autoptr (OobConfig) config = oob_config_load (config_file, &error);
  g_autoptr (OobProcessor) processor = config ? oob_processor_new (config, OOB_PROCESSOR_MANY, &error) : NULL;
  if (processor == NULL)
    {
      fprintf (stderr, "oobproc scan: %s\n", error->message);
      return 2;
    }
  ScanState state = {
    .config = config,
    .processor = processor,
    .text = format && g_str_equal (format, "text"),
  };
  g_mutex_init (&state.lock);
  if (jobs > 1)
    state.pool = g_thread_pool_new (scan_worker, &state, MIN (jobs, 64), TRUE, NULL);
  int status = 0;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) walk_error = NULL;
      if (!oob_input_foreach (argv[i], scan_one, &state, &walk_error))
        {
          fprintf (stderr, "oobproc scan: %s\n", walk_error->message);
          status = 1;
        }
      if (state.failed)
        break;
    }
  if (state.pool)
    g_thread_pool_free (state.pool, FALSE, TRUE);
  g_mutex_clear (&state.lock);
  return state.failed ? 2 : status;
}
