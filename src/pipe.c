/* pipe.c - pipe mode: what the MTA runs for each message.
 *
 * Owns the promise to the MTA: exit 0 only once the message's record is
 * committed, exit 75 (EX_TEMPFAIL) for every failure so the message stays
 * queued, never another status (Postfix treats all but 71 and 75 as
 * permanent and would bounce a bounce), and nothing on stdout or stderr
 * unless -v was given.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "input.h"
#include "log.h"
#include "pipe.h"
#include "process.h"
#include "store.h"

typedef struct {
  char *config;
  char *database;
  char *sender;
  char *recipient;
  gboolean verbose;
} PipeOptions;

static void
pipe_options_clear (PipeOptions *options)
{
  g_free (options->config);
  g_free (options->database);
  g_free (options->sender);
  g_free (options->recipient);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PipeOptions, pipe_options_clear)

static gboolean
parse_options (int *argc, char ***argv, PipeOptions *options, GError **error)
{
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config, "Configuration file", "FILE" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &options->database, "Database file", "PATH" },
    { "sender", 'f', 0, G_OPTION_ARG_STRING, &options->sender, "Envelope sender of the message", "ADDRESS" },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &options->recipient, "Envelope recipient (the bounce address)", "ADDRESS" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose, "Print diagnostics to stderr", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- record the bounce or complaint on stdin");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
                                "Without a subcommand oobproc reads one message on stdin, as an MTA pipe.\n"
                                "Subcommands: scan, classify, rules check, verp; see oobproc(1).");
  return g_option_context_parse (context, argc, argv, error);
}

/* The one line a postmaster greps for. */
static void
log_summary (const OobInput *input, const OobReport *report, const OobStoreResult *result)
{
  GString *line = g_string_new (NULL);
  g_string_append_printf (line, "sha256=%.16s size=%zu kind=%s", input->sha256, input->total_size,
                          oob_report_type_to_string (report->type));
  if (report->parser)
    g_string_append_printf (line, " parser=%s", report->parser);
  for (guint i = 0; i < report->recipients->len && i < 5; i++)
    {
      const OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      const char *address = oob_recipient_address (rcpt);
      g_string_append_printf (line, " rcpt=<%s> status=%s class=%s action=%s", address ? address : "",
                              rcpt->status ? rcpt->status : "-",
                              rcpt->classification ? rcpt->classification : "-",
                              rcpt->policy_action ? rcpt->policy_action : "-");
    }
  if (report->recipients->len > 5)
    g_string_append_printf (line, " (+%u more)", report->recipients->len - 5);
  g_string_append_printf (line, " events=%u suppressed=%u%s%s", result->events, result->suppressed,
                          result->duplicate ? " duplicate" : "", input->truncated ? " truncated" : "");
  oob_log (LOG_INFO, "%s", line->str);
  g_string_free (line, TRUE);
}

int
oob_pipe_main (int argc, char **argv)
{
  g_auto (PipeOptions) options = { 0 };
  g_autoptr (GError) error = NULL;
  if (!parse_options (&argc, &argv, &options, &error))
    {
      oob_log_init (TRUE, TRUE);
      oob_log (LOG_ERR, "bad arguments, message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  oob_log_init (TRUE, options.verbose);

  g_autoptr (OobConfig) config = oob_config_load (options.config, &error);
  if (config == NULL)
    {
      oob_log (LOG_ERR, "configuration unreadable, message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  if (options.database)
    oob_set_string (&config->database, options.database);

  g_auto (OobInput) input = { 0 };
  if (!oob_input_read_fd (STDIN_FILENO, config->max_message_size, &input, &error))
    {
      oob_log (LOG_ERR, "message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }

  g_autoptr (OobProcessor) processor = oob_processor_new (config, OOB_PROCESSOR_ONE_MESSAGE, &error);
  if (processor == NULL)
    {
      oob_log (LOG_ERR, "configuration error, message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  g_auto (GStrv) environment = g_get_environ ();
  OobDelivery delivery = {
    .sender = options.sender,
    .recipient = options.recipient,
    .envp = (const char *const *) environment,
  };
  gsize len;
  const char *data = g_bytes_get_data (input.bytes, &len);
  g_autoptr (OobEnvelope) envelope = NULL;
  g_autoptr (OobReport) report = oob_processor_run (processor, data ? data : "", len, &delivery, &envelope, &error);
  if (report == NULL)
    {
      oob_log (LOG_ERR, "classification failed, message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  if (input.truncated)
    oob_set_string (&report->note, "message larger than the size cap; the rest was not parsed");

  g_autoptr (OobStore) store = oob_store_open (config->database, config->busy_timeout_ms, &error);
  if (store == NULL)
    {
      oob_log (LOG_ERR, "message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }

  OobMessageRecord record = {
    .sha256 = input.sha256,
    .received_at = g_get_real_time () / G_USEC_PER_SEC,
    .envelope_sender = envelope->sender,
    .envelope_recipient = envelope->recipient,
    .size = input.total_size,
    .truncated = input.truncated,
    .raw = report->type == OOB_REPORT_UNKNOWN ? input.bytes : NULL,
  };
  OobStoreRules rules = { .dedupe_window = config->dedupe_window };
  OobStoreResult result;
  if (!oob_store_record (store, &record, report, &rules, &result, &error))
    {
      oob_log (LOG_ERR, "message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  log_summary (&input, report, &result);
  return OOB_EXIT_OK;
}
