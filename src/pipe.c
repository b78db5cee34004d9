/* pipe.c - pipe mode: what the MTA runs for each message.
 *
 * Owns the promise to the MTA: exit 0 only once the message's record is
 * committed, exit 75 (EX_TEMPFAIL) for every failure so the message stays
 * queued, never another status (Postfix treats all but 71 and 75 as
 * permanent and would bounce a bounce), and nothing on stdout or stderr
 * unless -v was given.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "eventlog.h"
#include "input.h"
#include "listener.h"
#include "log.h"
#include "pipe.h"
#include "process.h"
#include "relay.h"
#include "store.h"

typedef struct {
  char *config;
  char *database;
  char *sender;
  char *recipient;
  gboolean verbose;
  char *listener_domains;
  char *sendmail;
  int relay_timeout;
} PipeOptions;

static void
pipe_options_clear (PipeOptions *options)
{
  g_free (options->config);
  g_free (options->database);
  g_free (options->sender);
  g_free (options->recipient);
  g_free (options->listener_domains);
  g_free (options->sendmail);
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
    { "listener-domains", 0, 0, G_OPTION_ARG_FILENAME, &options->listener_domains,
      "KumoMTA listener-domain file: drop or relay after recording", "FILE" },
    { "sendmail", 0, 0, G_OPTION_ARG_FILENAME, &options->sendmail, "sendmail program used to relay", "PATH" },
    { "relay-timeout", 0, 0, G_OPTION_ARG_INT, &options->relay_timeout, "Seconds a relay may take (default 60)",
      "SECONDS" },
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
log_summary (const OobInput *input, const OobReport *report, const OobStoreResult *result, const char *disposition)
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
  g_string_append_printf (line, " events=%u suppressed=%u%s%s disposition=%s", result->events, result->suppressed,
                          result->duplicate ? " duplicate" : "", input->truncated ? " truncated" : "", disposition);
  if (report->note)
    g_string_append_printf (line, " note=\"%s\"", report->note);
  oob_log (LOG_INFO, "%s", line->str);
  g_string_free (line, TRUE);
}

/* Where relayed mail goes and how (issue 6): the listener-domain file and
 * the [relay] table, with the command-line overrides. */
static gboolean
load_disposition_settings (const OobConfig *config, const PipeOptions *options, OobListenerDomains **listener_domains,
                           OobRelayConfig *relay_config, GError **error)
{
  const char *path = options->listener_domains ? options->listener_domains : config->listener_domains_file;
  *listener_domains = NULL;
  if (path != NULL && (*listener_domains = oob_listener_domains_load (path, error)) == NULL)
    return FALSE;
  JsonObject *table = oob_config_table (config, "relay");
  if (table != NULL && !oob_relay_config_load (relay_config, table, error))
    {
      g_prefix_error (error, "[relay] ");
      return FALSE;
    }
  if (options->sendmail != NULL)
    oob_relay_config_set_program (relay_config, options->sendmail);
  if (options->relay_timeout < 0 || options->relay_timeout > 3600)
    {
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_CONFIG, "--relay-timeout must be 1 to 3600 seconds");
      return FALSE;
    }
  if (options->relay_timeout > 0)
    relay_config->timeout = (guint) options->relay_timeout;
  return TRUE;
}

/* After recording (or instead of it, for Ignore): the listener domain's
 * disposition.  A relay that fails leaves the message queued (75); the
 * MTA's retry is a duplicate for the store but is relayed again. */
static int
relay_or_drop (const OobInput *input, const OobListenerDecision *decision, const OobRelayConfig *config)
{
  const char *disposition = oob_disposition_to_string (decision->disposition);
  if (decision->relay_recipients == NULL)
    {
      if (decision->disposition == OOB_DISPOSITION_IGNORE)
        oob_log (LOG_INFO, "sha256=%.16s %s: not recorded, dropped", input->sha256, disposition);
      return OOB_EXIT_OK;
    }
  gsize len;
  const char *data = g_bytes_get_data (input->bytes, &len);
  if (oob_relay_is_loop (data ? data : "", len))
    {
      oob_log (LOG_WARNING, "sha256=%.16s %s: dropped, not relayed: it carries our %s header (a mail loop)",
               input->sha256, disposition, OOB_RELAY_TRACE_HEADER);
      return OOB_EXIT_OK;
    }
  if (input->truncated)
    {
      oob_log (LOG_ERR, "sha256=%.16s %s: dropped, not relayed: larger than the size cap, only part was read",
               input->sha256, disposition);
      return OOB_EXIT_OK;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GBytes) message = oob_relay_prepare (data ? data : "", len, input->sha256, now);
  g_autoptr (GError) error = NULL;
  g_autofree char *to = g_strjoinv (",", (char **) decision->relay_recipients);
  if (!oob_relay_send (config, decision->relay_recipients, message, &error))
    {
      oob_log (LOG_ERR, "sha256=%.16s %s to %s failed, message left queued: %s", input->sha256, disposition, to,
               error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  oob_log (LOG_INFO, "sha256=%.16s %s: relayed to %s", input->sha256, disposition, to);
  return OOB_EXIT_OK;
}

/* SQLite waits up to the busy timeout for a lock, but a few lock
 * conflicts (a snapshot gone stale in WAL mode, recovery by another
 * process) return at once: try again a few times, after a random pause so
 * that the waiting pipes do not collide again, before leaving the message
 * to the MTA. */
#define BUSY_RETRIES 5

static gboolean
record_with_retries (OobStore *store, const OobMessageRecord *record, const OobReport *report,
                     const OobStoreRules *rules, OobStoreResult *result, GError **error)
{
  for (int attempt = 1;; attempt++)
    {
      g_autoptr (GError) local = NULL;
      if (oob_store_record (store, record, report, rules, result, &local))
        return TRUE;
      if (attempt >= BUSY_RETRIES || !g_error_matches (local, OOB_STORE_ERROR, OOB_STORE_ERROR_BUSY))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      oob_log (LOG_INFO, "database busy (%s), retrying", local->message);
      g_usleep (g_random_int_range (20000, 200000) * attempt);
    }
}

int
oob_pipe_main (int argc, char **argv)
{
  /* A file-size limit (RLIMIT_FSIZE) or full disk must make the write fail
   * with EFBIG so SQLite reports it and we exit 75, not die of SIGXFSZ. */
  signal (SIGXFSZ, SIG_IGN);
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
  g_autoptr (OobListenerDomains) listener_domains = NULL;
  g_auto (OobRelayConfig) relay_config;
  oob_relay_config_init (&relay_config);
  if (!load_disposition_settings (config, &options, &listener_domains, &relay_config, &error))
    {
      oob_log (LOG_ERR, "configuration error, message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }

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

  g_autofree char *bounce_domain = envelope->recipient ? oob_store_address_domain (envelope->recipient) : NULL;
  OobListenerDecision decision;
  oob_listener_decide (listener_domains ? oob_listener_domains_lookup (listener_domains, bounce_domain) : NULL,
                       report->type == OOB_REPORT_FEEDBACK, &decision);
  if (!decision.record)
    return relay_or_drop (&input, &decision, &relay_config);

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
  if (!record_with_retries (store, &record, report, &rules, &result, &error))
    {
      oob_log (LOG_ERR, "message left queued: %s", error->message);
      return OOB_EXIT_TEMPFAIL;
    }
  log_summary (&input, report, &result, oob_disposition_to_string (decision.disposition));
  /* The optional JSON-lines event log: written after the commit, and a
   * failure to write it is logged, never a reason to keep the message. */
  if (config->event_log && !result.duplicate &&
      !oob_event_log_append (config->event_log, report, input.sha256, record.received_at, envelope->recipient, &error))
    {
      oob_log (LOG_WARNING, "event log not written: %s", error->message);
      g_clear_error (&error);
    }
  return relay_or_drop (&input, &decision, &relay_config);
}
