/* bounce_provider.c - text helpers for the provider parsers (see bounce_provider.h). */
#include "config.h"

#include <string.h>

#include "bounce_provider.h"
#include "smtp_command.h"

static OobPattern re_space = OOB_PATTERN ("\\s+", 0);
static OobPattern re_address = OOB_PATTERN ("([^\\s<>\"'(),:;\\[\\]@]+@[\\w-]+(?:\\.[\\w-]+)+)", 0);
static OobPattern re_address_line =
  OOB_PATTERN ("^\\s*[<\"']?[^\\s<>\"'(),:;\\[\\]@]+@[\\w-]+(?:\\.[\\w-]+)+[>\"']?:?\\s*$", 0);

GStrv
oob_provider_lines (const char *text, OobPattern *stop)
{
  g_auto (GStrv) all = g_strsplit (text ? text : "", "\n", -1);
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  for (guint i = 0; all[i]; i++)
    {
      g_strchomp (all[i]);
      if (stop && oob_pattern_match (stop, all[i], NULL))
        break;
      g_ptr_array_add (out, g_strdup (all[i]));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

char *
oob_provider_squash (const char *text)
{
  if (text == NULL)
    return NULL;
  char *out = oob_pattern_replace (&re_space, text, " ");
  return g_strstrip (out);
}

char *
oob_provider_address (const char *text)
{
  g_autofree char *found = oob_pattern_capture (&re_address, text, 1);
  if (found == NULL)
    return NULL;
  /* Lower-case the domain only: the local part is the sender's business. */
  char *at = strrchr (found, '@');
  g_autofree char *domain = g_ascii_strdown (at + 1, -1);
  *at = '\0';
  return g_strconcat (found, "@", domain, NULL);
}

gboolean
oob_provider_is_address_line (const char *line)
{
  return oob_pattern_match (&re_address_line, line, NULL);
}

GStrv
oob_provider_failed_recipients (OobMessageView *view)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (view->message));
  int count = g_mime_header_list_get_count (headers);
  for (int i = 0; i < count; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      if (g_ascii_strcasecmp (g_mime_header_get_name (header), "X-Failed-Recipients") != 0)
        continue;
      g_auto (GStrv) found = oob_pattern_capture_all (&re_address, g_mime_header_get_value (header), 1);
      for (guint j = 0; found[j]; j++)
        {
          g_autofree char *address = oob_provider_address (found[j]);
          gboolean seen = FALSE;
          for (guint k = 0; k < out->len && !seen; k++)
            seen = g_ascii_strcasecmp (g_ptr_array_index (out, k), address) == 0;
          if (!seen && address)
            g_ptr_array_add (out, g_steal_pointer (&address));
        }
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

OobRecipient *
oob_provider_add (OobReport *report, const char *address, const char *diagnostic)
{
  report->type = OOB_REPORT_BOUNCE;
  gboolean is_new;
  OobRecipient *rcpt = oob_report_recipient_once (report, address, &is_new);
  if (!is_new || rcpt == NULL)
    return rcpt;
  rcpt->action = g_strdup ("failed");
  g_autofree char *window = oob_diagnostic_window (diagnostic);
  rcpt->smtp_command = oob_smtp_command_find (window);
  g_autofree char *squashed = oob_provider_squash (window);
  if (squashed && *squashed)
    rcpt->diagnostic = g_steal_pointer (&squashed);
  return rcpt;
}

const char *
oob_provider_from_domain (OobMessageView *view)
{
  const char *at = strrchr (view->from, '@');
  return at ? at + 1 : "";
}

static OobPattern re_smtp_error =
  OOB_PATTERN ("^SMTP error from remote (?:(?:mail )?server|mailer) (?:after|for) .*?[:,]\\s*host:?\\s+([A-Za-z0-9][A-Za-z0-9.-]*)"
               "(?:\\s*[(\\[][0-9A-Fa-f.:]+[)\\]])?:?\\s*(?:reason:\\s*)?(.*)$", PCRE2_CASELESS);

OobRecipient *
oob_provider_add_smtp_error (OobReport *report, const char *address, const char *text)
{
  g_autofree char *squashed = oob_provider_squash (text);
  g_auto (GStrv) groups = NULL;
  gboolean from_server = squashed && oob_pattern_match (&re_smtp_error, squashed, &groups);
  OobRecipient *rcpt = oob_provider_add (report, address, from_server ? groups[2] : squashed);
  if (rcpt && from_server && rcpt->remote_mta == NULL)
    rcpt->remote_mta = g_strdup (groups[1]);
  if (rcpt && rcpt->smtp_command == NULL)
    rcpt->smtp_command = oob_smtp_command_find (squashed);
  return rcpt;
}
