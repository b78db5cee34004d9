/* scan.c - `oobproc scan [--format=jsonl|text] PATH...`.
 *
 * Reads files, maildirs and mbox files and prints one line per recipient:
 * JSON objects (stable keys: tools and the corpus scorer read them) or
 * aligned text for people.  A message with no recipient gives one line of
 * kind "unknown" (or its report kind).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "conf.h"
#include "input.h"
#include "process.h"
#include "scan.h"

typedef struct {
  OobProcessor *processor;
  gboolean text;
  gboolean failed;
  guint messages;
} ScanState;

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (const char *path, int index, const OobReport *report, const OobRecipient *rcpt)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "source", path);
  if (index > 0)
    {
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, index);
    }
  OobKind kind = rcpt ? oob_recipient_kind (report, rcpt) : (OobKind) OOB_KIND_UNKNOWN;
  if (rcpt == NULL && report->type == OOB_REPORT_FEEDBACK)
    kind = OOB_KIND_FEEDBACK;
  else if (rcpt == NULL && report->type == OOB_REPORT_AUTOREPLY)
    kind = OOB_KIND_AUTOREPLY;
  add_string (builder, "kind", oob_kind_to_string (kind));
  add_string (builder, "parser", report->parser);
  add_string (builder, "recipient", rcpt ? oob_recipient_address (rcpt) : NULL);
  add_string (builder, "original_recipient", rcpt ? rcpt->original_recipient : NULL);
  add_string (builder, "status", rcpt ? rcpt->status : NULL);
  json_builder_set_member_name (builder, "code");
  if (rcpt && rcpt->smtp_code)
    json_builder_add_int_value (builder, rcpt->smtp_code);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "diagnostic", rcpt ? rcpt->diagnostic : NULL);
  add_string (builder, "remote_mta", rcpt ? rcpt->remote_mta : NULL);
  add_string (builder, "reporting_mta", report->reporting_mta);
  add_string (builder, "classification", rcpt ? rcpt->classification : NULL);
  add_string (builder, "rule", rcpt ? rcpt->rule : NULL);
  add_string (builder, "action", rcpt ? rcpt->policy_action : NULL);
  add_string (builder, "feedback_type", report->feedback_type);
  add_string (builder, "message_id", report->orig_message_id);
  add_string (builder, "campaign", report->campaign);
  add_string (builder, "tenant", report->tenant);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = json_to_string (root, FALSE);
  puts (line);
}

static void
print_text (const char *path, int index, const OobReport *report, const OobRecipient *rcpt)
{
  g_autofree char *source = index > 0 ? g_strdup_printf ("%s#%d", path, index) : g_strdup (path);
  OobKind kind = rcpt ? oob_recipient_kind (report, rcpt) : (OobKind) OOB_KIND_UNKNOWN;
  printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", source, oob_kind_to_string (kind),
          rcpt && oob_recipient_address (rcpt) ? oob_recipient_address (rcpt) : "-",
          rcpt && rcpt->status ? rcpt->status : "-",
          rcpt && rcpt->classification ? rcpt->classification : "-",
          rcpt && rcpt->policy_action ? rcpt->policy_action : "-",
          rcpt && rcpt->diagnostic ? rcpt->diagnostic : "-");
}

static gboolean
scan_one (const char *path, int index, const char *data, gsize len, gpointer user_data)
{
  ScanState *state = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OobReport) report = oob_processor_run (state->processor, data, len, NULL, NULL, &error);
  if (report == NULL)
    {
      fprintf (stderr, "oobproc scan: %s: %s\n", path, error->message);
      state->failed = TRUE;
      return FALSE;
    }
  state->messages++;
  void (*print) (const char *, int, const OobReport *, const OobRecipient *) = state->text ? print_text : print_json;
  if (report->recipients->len == 0)
    print (path, index, report, NULL);
  for (guint i = 0; i < report->recipients->len; i++)
    print (path, index, report, g_ptr_array_index (report->recipients, i));
  return TRUE;
}

int
oob_cmd_scan (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *config_file = NULL;
  GOptionEntry entries[] = {
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
  ScanState state = { .processor = processor, .text = format && g_str_equal (format, "text") };
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
        return 2;
    }
  return status;
}
