/* log.c - syslog and -v stderr output (see log.h). */
#include "config.h"

#include <stdio.h>

#include "log.h"

static gboolean log_syslog;
static gboolean log_verbose;

static void
emit (int priority, const char *line)
{
  if (log_syslog)
    syslog (priority | LOG_MAIL, "%s", line);
  if (log_verbose)
    fprintf (stderr, "oobproc: %s\n", line);
}

static GLogWriterOutput
glib_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *message = NULL;
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;
  int priority = (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) ? LOG_ERR
                 : (level & G_LOG_LEVEL_WARNING)                      ? LOG_WARNING
                 : (level & G_LOG_LEVEL_DEBUG)                        ? LOG_DEBUG
                                                                      : LOG_INFO;
  if (priority == LOG_DEBUG && !log_verbose)
    return G_LOG_WRITER_HANDLED;
  emit (priority, message);
  return G_LOG_WRITER_HANDLED;
}

void
oob_log_init (gboolean to_syslog, gboolean verbose)
{
  log_syslog = to_syslog;
  log_verbose = verbose;
  if (to_syslog)
    openlog ("oobproc", LOG_PID, LOG_MAIL);
  g_log_set_writer_func (glib_writer, NULL, NULL);
}

void
oob_log (int priority, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *line = g_strdup_vprintf (format, args);
  va_end (args);
  emit (priority, line);
}
