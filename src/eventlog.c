/* eventlog.c - the optional JSON-lines log of recorded events (see eventlog.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "eventlog.h"
#include "json.h"
#include "store.h"

/* The keys of `oobproc events --format jsonl`, as far as a report has them. */
static char *
event_line (const OobReport *report, const OobRecipient *rcpt, const char *sha256, gint64 received_at,
            const char *bounce_address)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (received_at);
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *recipient = rcpt ? oob_store_canonical_address (oob_recipient_address (rcpt)) : NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  oob_json_add_string (builder, "time", when);
  oob_json_add_string (builder, "kind", oob_kind_to_string (oob_recipient_kind (report, rcpt)));
  oob_json_add_string (builder, "recipient", recipient);
  oob_json_add_string (builder, "status", rcpt ? rcpt->status : NULL);
  oob_json_add_code (builder, "code", rcpt ? rcpt->smtp_code : 0);
  oob_json_add_string (builder, "smtp_command", rcpt ? rcpt->smtp_command : NULL);
  oob_json_add_string (builder, "class", rcpt ? rcpt->classification : NULL);
  oob_json_add_string (builder, "rule", rcpt ? rcpt->rule : NULL);
  oob_json_add_string (builder, "action", rcpt ? rcpt->policy_action : NULL);
  oob_json_add_string (builder, "dsn_action", rcpt ? rcpt->action : NULL);
  oob_json_add_string (builder, "diagnostic", rcpt ? rcpt->diagnostic : NULL);
  oob_json_add_string (builder, "remote_mta", rcpt ? rcpt->remote_mta : NULL);
  oob_json_add_string (builder, "reporting_mta", report->reporting_mta);
  oob_json_add_string (builder, "feedback_type", report->feedback_type);
  oob_json_add_string (builder, "message_id", report->orig_message_id);
  oob_json_add_string (builder, "campaign", report->campaign);
  oob_json_add_string (builder, "tenant", report->tenant);
  oob_json_add_string (builder, "bounce_address", bounce_address);
  json_builder_set_member_name (builder, "verified");
  json_builder_add_boolean_value (builder, !report->unverified);
  oob_json_add_string (builder, "sha256", sha256);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  char *json = json_to_string (root, FALSE);
  char *line = g_strconcat (json, "\n", NULL);
  g_free (json);
  return line;
}

static gboolean
write_line (int fd, const char *path, const char *line, GError **error)
{
  gsize len = strlen (line);
  ssize_t n;
  do
    n = write (fd, line, len);
  while (n < 0 && errno == EINTR);
  if (n == (ssize_t) len)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, n < 0 ? g_file_error_from_errno (errno) : G_FILE_ERROR_NOSPC,
               "writing the event log %s: %s", path, n < 0 ? g_strerror (errno) : "short write");
  return FALSE;
}

void
oob_event_log_lines (GPtrArray *lines, const OobReport *report, const char *sha256, gint64 received_at,
                     const char *bounce_address)
{
  if (report->recipients->len == 0)
    g_ptr_array_add (lines, event_line (report, NULL, sha256, received_at, bounce_address));
  for (guint i = 0; i < report->recipients->len; i++)
    g_ptr_array_add (lines, event_line (report, g_ptr_array_index (report->recipients, i), sha256, received_at,
                                        bounce_address));
}

gboolean
oob_event_log_write (const char *path, GPtrArray *lines, GError **error)
{
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "opening the event log %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < lines->len; i++)
    ok = write_line (fd, path, g_ptr_array_index (lines, i), error);
  if (close (fd) != 0 && ok)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "closing the event log %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return ok;
}

gboolean
oob_event_log_append (const char *path, const OobReport *report, const char *sha256, gint64 received_at,
                      const char *bounce_address, GError **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  oob_event_log_lines (lines, report, sha256, received_at, bounce_address);
  return oob_event_log_write (path, lines, error);
}
