/* relay.c - LogThenRelay through the sendmail interface (see relay.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <gio/gio.h>

#include "conf.h"
#include "mime.h"
#include "relay.h"

G_DEFINE_QUARK (oob-relay-error-quark, oob_relay_error)

/* Longest piece of the program's output quoted in an error. */
#define MAX_OUTPUT_QUOTED 400

static const char *const default_arguments[] = { "-G", "-i", "-f", "<>", NULL };

static char **
command_with_default_arguments (const char *program)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_strv_builder_add (builder, program);
  g_strv_builder_addv (builder, (const char **) default_arguments);
  return g_strv_builder_end (builder);
}

void
oob_relay_config_init (OobRelayConfig *config)
{
  config->command = command_with_default_arguments (OOB_DEFAULT_SENDMAIL);
  config->timeout = OOB_RELAY_DEFAULT_TIMEOUT;
}

void
oob_relay_config_clear (OobRelayConfig *config)
{
  g_clear_pointer (&config->command, g_strfreev);
}

void
oob_relay_config_set_program (OobRelayConfig *config, const char *program)
{
  g_strfreev (config->command);
  config->command = command_with_default_arguments (program);
}

static gboolean
config_error (GError **error, const char *key, const char *what)
{
  g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_CONFIG, "%s: %s", key, what);
  return FALSE;
}

static gboolean
holds_type (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
oob_relay_config_load (OobRelayConfig *config, JsonObject *table, GError **error)
{
  g_autoptr (GList) keys = json_object_get_members (table);
  for (GList *k = keys; k; k = k->next)
    if (!g_str_equal (k->data, "command") && !g_str_equal (k->data, "timeout"))
      return config_error (error, k->data, "unknown key (command and timeout are known)");
  JsonNode *command = json_object_get_member (table, "command");
  g_auto (GStrv) new_command = NULL;
  if (command != NULL && holds_type (command, G_TYPE_STRING))
    {
      if (!g_path_is_absolute (json_node_get_string (command)))
        return config_error (error, "command", "the program must be an absolute path");
      new_command = command_with_default_arguments (json_node_get_string (command));
    }
  else if (command != NULL && JSON_NODE_HOLDS_ARRAY (command))
    {
      JsonArray *array = json_node_get_array (command);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (!holds_type (element, G_TYPE_STRING))
            return config_error (error, "command", "every element must be a string");
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      new_command = g_strv_builder_end (builder);
      if (new_command[0] == NULL || !g_path_is_absolute (new_command[0]))
        return config_error (error, "command", "the first element must be the program's absolute path");
    }
  else if (command != NULL)
    return config_error (error, "command", "expected a list of strings or a program path");

  gint64 seconds = config->timeout;
  if (!oob_config_duration (table, "timeout", &seconds, error))
    return FALSE;
  if (seconds < 1 || seconds > 3600)
    return config_error (error, "timeout", "must be between 1 second and 1 hour");

  if (new_command != NULL)
    {
      g_strfreev (config->command);
      config->command = g_steal_pointer (&new_command);
    }
  config->timeout = (guint) seconds;
  return TRUE;
}

static const char *const prepended_fields[] = { "Return-Path", "Delivered-To", "X-Original-To" };

static gboolean
is_prepended_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (prepended_fields); i++)
    if (g_ascii_strcasecmp (name, prepended_fields[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The top-level header list of the message and where its header block
 * ends, through GMime's parser (offsets are into data). */
static GMimeHeaderList *
parse_header_block (const char *data, gsize len, gint64 *headers_end)
{
  oob_mime_init ();
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    return NULL;
  *headers_end = g_mime_parser_get_headers_end (parser);
  return g_object_ref (g_mime_object_get_header_list (GMIME_OBJECT (message)));
}

gsize
oob_relay_prepended_length (const char *data, gsize len)
{
  gint64 headers_end = -1;
  g_autoptr (GMimeHeaderList) headers = parse_header_block (data, len, &headers_end);
  if (headers == NULL)
    return 0;
  int count = g_mime_header_list_get_count (headers);
  if (count == 0 || g_mime_header_get_offset (g_mime_header_list_get_header_at (headers, 0)) != 0)
    return 0;
  int i = 0;
  while (i < count && is_prepended_field (g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i))))
    i++;
  if (i == 0)
    return 0;
  if (i == count)
    return headers_end > 0 && (gsize) headers_end <= len ? (gsize) headers_end : 0;
  GMimeHeader *first_kept = g_mime_header_list_get_header_at (headers, i);
  gint64 cut = g_mime_header_get_offset (first_kept);
  const char *name = g_mime_header_get_name (first_kept);
  /* Cut only where that field's name really starts. */
  if (cut <= 0 || (gsize) cut + strlen (name) > len || g_ascii_strncasecmp (data + cut, name, strlen (name)) != 0)
    return 0;
  return (gsize) cut;
}

gboolean
oob_relay_is_loop (const char *data, gsize len)
{
  gint64 headers_end;
  g_autoptr (GMimeHeaderList) headers = parse_header_block (data, len, &headers_end);
  return headers != NULL && g_mime_header_list_contains (headers, OOB_RELAY_TRACE_HEADER);
}

/* The message's line ending, judged by its first line. */
static const char *
line_ending (const char *data, gsize len)
{
  const char *nl = memchr (data, '\n', len);
  return nl != NULL && nl > data && nl[-1] == '\r' ? "\r\n" : "\n";
}

GBytes *
oob_relay_prepare (const char *data, gsize len, const char *sha256, GDateTime *now)
{
  gsize skip = oob_relay_prepended_length (data, len);
  g_autofree char *date = g_mime_utils_header_format_date (now);
  g_autofree char *trace = g_strdup_printf ("%s: %s %.16s; %s%s", OOB_RELAY_TRACE_HEADER, g_get_host_name (),
                                            sha256, date, line_ending (data, len));
  GByteArray *out = g_byte_array_sized_new (strlen (trace) + len - skip);
  g_byte_array_append (out, (const guint8 *) trace, strlen (trace));
  g_byte_array_append (out, (const guint8 *) data + skip, len - skip);
  return g_byte_array_free_to_bytes (out);
}

/* The child leads its own process group, so that a timeout kills it and
 * everything it started (sendmail runs postdrop, scripts run commands). */
static void
become_group_leader (gpointer user_data)
{
  (void) user_data;
  setpgid (0, 0);
}

typedef struct {
  gboolean communicated;
  gboolean exited;
  GBytes *output;
  GError *error;
} Communication;

static void
communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Communication *communication = user_data;
  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &communication->output, NULL,
                                   &communication->error);
  communication->communicated = TRUE;
}

static void
exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Communication *communication = user_data;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  communication->exited = TRUE;
}

static gboolean
timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The program's output, shortened to one line for an error message. */
static char *
quote_output (GBytes *output)
{
  if (output == NULL || g_bytes_get_size (output) == 0)
    return g_strdup ("no output");
  gsize size;
  const char *data = g_bytes_get_data (output, &size);
  g_autofree char *text = g_utf8_make_valid (data, MIN (size, MAX_OUTPUT_QUOTED));
  g_strdelimit (g_strstrip (text), "\r\n", ' ');
  return g_strdup_printf ("output: %s", text);
}

gboolean
oob_relay_send (const OobRelayConfig *config, const char *const *recipients, GBytes *message, GError **error)
{
  g_return_val_if_fail (config->command != NULL && config->command[0] != NULL, FALSE);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, FALSE);

  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) config->command);
  g_strv_builder_add (builder, "--");
  g_strv_builder_addv (builder, (const char **) recipients);
  g_auto (GStrv) argv = g_strv_builder_end (builder);

  /* A program that exits without reading stdin must be an error we report,
   * not a SIGPIPE that kills us before we can exit 75. */
  signal (SIGPIPE, SIG_IGN);

  g_autoptr (GMainContext) context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, become_group_leader, NULL, NULL);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GSubprocess) child = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &local_error);
  if (child == NULL)
    {
      g_main_context_pop_thread_default (context);
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_SPAWN, "cannot run %s: %s", argv[0],
                   local_error->message);
      return FALSE;
    }
  /* NULL once the child has exited and been reaped: nothing left to kill. */
  const char *identifier = g_subprocess_get_identifier (child);
  pid_t pid = identifier ? (pid_t) strtol (identifier, NULL, 10) : 0;

  gboolean expired = FALSE;
  g_autoptr (GSource) timer = g_timeout_source_new_seconds (config->timeout);
  g_source_set_callback (timer, timed_out, &expired, NULL);
  g_source_attach (timer, context);

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Communication communication = { 0 };
  g_subprocess_communicate_async (child, message, cancellable, communicated, &communication);
  g_subprocess_wait_async (child, cancellable, exited, &communication);
  while (!communication.communicated || !communication.exited)
    {
      g_main_context_iteration (context, TRUE);
      if (expired && !g_cancellable_is_cancelled (cancellable))
        {
          if (pid > 0)
            {
              kill (-pid, SIGKILL);
              kill (pid, SIGKILL);
            }
          g_cancellable_cancel (cancellable);
        }
    }
  g_source_destroy (timer);
  g_subprocess_wait (child, NULL, NULL);
  g_main_context_pop_thread_default (context);

  g_autoptr (GBytes) output = communication.output;
  g_autoptr (GError) communication_error = communication.error;
  g_autofree char *quoted = quote_output (output);
  if (expired)
    {
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_TIMEOUT, "%s did not finish within %u s and was killed",
                   argv[0], config->timeout);
      return FALSE;
    }
  if (communication_error != NULL)
    {
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_FAILED, "%s: %s (%s)", argv[0],
                   communication_error->message, quoted);
      return FALSE;
    }
  if (g_subprocess_get_if_signaled (child))
    {
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_FAILED, "%s was killed by signal %d (%s)", argv[0],
                   g_subprocess_get_term_sig (child), quoted);
      return FALSE;
    }
  if (g_subprocess_get_exit_status (child) != 0)
    {
      g_set_error (error, OOB_RELAY_ERROR, OOB_RELAY_ERROR_FAILED, "%s exited with status %d (%s)", argv[0],
                   g_subprocess_get_exit_status (child), quoted);
      return FALSE;
    }
  return TRUE;
}
