/* bounce_ru.c - Mail.Ru failure notices.
 *
 * Mail.Ru's MTA (Exim underneath) sends a notice in Russian ("Это письмо
 * создано автоматически сервером Mail.Ru ... не может быть доставлено
 * одному или нескольким получателям:") followed by Exim's English text
 * ("The following address(es) failed:"); each lists the recipients
 * indented by two spaces and the error indented by four ("SMTP error from
 * remote mail server after RCPT TO:<...>: host mx [ip]: 550 ...").  The
 * English list is read when present (the Russian one may shorten an
 * address to its local part: then X-Failed-Recipients names it), else the
 * Russian one.  A refusal at MAIL FROM or at the greeting whose reply
 * names no reason is the sender's (rejected) or our host's (blocked).  The
 * original follows
 * "------ This is a copy of the (or your) message ...".  When Mail.Ru's
 * own checks refuse the message ("rejected by the local scanning code ...
 * The following error was given:") there is no list: its error names each
 * recipient, "Message was not accepted -- invalid mailbox.  Local mailbox
 * ADDRESS is unavailable: reason".  Yandex sends proper RFC 3464 reports,
 * which the DSN parser reads.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "bounce_provider.h"
#include "derive.h"
#include "status.h"

static OobPattern re_copy = OOB_PATTERN ("^-{3,} This is a copy of (?:the|your) message", PCRE2_CASELESS);
static OobPattern re_english_intro = OOB_PATTERN ("The following address(\\(es\\)|es)? failed:\\s*$", 0);
static OobPattern re_russian_intro = OOB_PATTERN ("не может быть доставлено.*получател\\w*:\\s*$", PCRE2_CASELESS);
static OobPattern re_address_indent = OOB_PATTERN ("^ {1,3}\\S", 0);
static OobPattern re_detail_indent = OOB_PATTERN ("^(?: {4,}|\\t)\\s*(\\S.*)$", 0);
static OobPattern re_generated = OOB_PATTERN ("^\\(generated from .*\\)$", 0);
static OobPattern re_local_mailbox = OOB_PATTERN (
  "\\bLocal mailbox <?([^\\s<>]+@[^\\s<>]+?)>? is unavailable\\b", PCRE2_CASELESS);

/* The stage Exim names in "SMTP error from remote mail server after ...". */
static OobPattern re_after_mail = OOB_PATTERN ("\\bafter MAIL FROM:", PCRE2_CASELESS);
static OobPattern re_after_greeting = OOB_PATTERN ("\\bafter (?:EHLO|HELO)\\b", PCRE2_CASELESS);

/* Adds a listed recipient.  A refusal at MAIL FROM or at our greeting
 * whose reply names no reason is about the sender (rejected) or our host
 * (blocked), as Mail.Ru reports them, not on hold. */
static void
add_listed (OobReport *report, const char *address, const char *detail)
{
  OobRecipient *rcpt = oob_provider_add_smtp_error (report, address, detail);
  if (rcpt == NULL || rcpt->status)
    return;
  gboolean at_mail = oob_pattern_match (&re_after_mail, detail, NULL);
  if (!at_mail && !oob_pattern_match (&re_after_greeting, detail, NULL))
    return;
  int code = oob_smtp_code_find (rcpt->diagnostic);
  g_autofree char *derived = oob_status_derive (rcpt->diagnostic, code, rcpt->smtp_command);
  if (derived && !g_str_has_suffix (derived, ".0.0") && !g_str_has_suffix (derived, ".0.900"))
    return;
  rcpt->status = g_strdup_printf ("%d.0.%d", code / 100 == 4 ? 4 : 5, at_mail ? 918 : 971);
}

static gboolean
from_mailru (OobMessageView *view)
{
  const char *domain = oob_provider_from_domain (view);
  return g_str_has_prefix (view->from, "mailer-daemon@") &&
         (strcmp (domain, "mail.ru") == 0 || g_str_has_suffix (domain, ".mail.ru"));
}


/* Exim's list: "  address" then "    error lines", until an unindented
 * line.  An entry whose address lost its domain (the Russian list may
 * show the local part alone) leaves its error lines in unnamed. */
static void
read_list (GStrv lines, guint start, OobReport *report, GString *unnamed)
{
  g_autofree char *address = NULL;
  gboolean in_entry = FALSE;
  g_autoptr (GString) detail = g_string_new (NULL);
  for (guint i = start; lines[i]; i++)
    {
      g_auto (GStrv) groups = NULL;
      if (*lines[i] == '\0')
        continue;
      if (oob_pattern_match (&re_detail_indent, lines[i], &groups))
        {
          if (in_entry && !oob_pattern_match (&re_generated, groups[1], NULL))
            g_string_append_printf (detail, "%s\n", groups[1]);
          continue;
        }
      if (address)
        add_listed (report, address, detail->str);
      else if (in_entry && unnamed->len == 0)
        g_string_assign (unnamed, detail->str);
      g_clear_pointer (&address, g_free);
      g_string_truncate (detail, 0);
      if (!oob_pattern_match (&re_address_indent, lines[i], NULL))
        {
          in_entry = FALSE;
          break;
        }
      in_entry = TRUE;
      address = oob_provider_address (lines[i]);
    }
  if (address)
    add_listed (report, address, detail->str);
  else if (in_entry && unnamed->len == 0)
    g_string_assign (unnamed, detail->str);
}

gboolean
oob_bounce_mailru (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_sent_by_person (view))
    return FALSE;
  if (!from_mailru (view))
    return FALSE;
  g_auto (GStrv) lines = oob_provider_lines (oob_view_body (view), &re_copy);
  gint english = -1, russian = -1;
  for (guint i = 0; lines[i]; i++)
    {
      if (english < 0 && oob_pattern_match (&re_english_intro, lines[i], NULL))
        english = (gint) i;
      if (russian < 0 && oob_pattern_match (&re_russian_intro, lines[i], NULL))
        russian = (gint) i;
    }
  g_autoptr (GString) unnamed = g_string_new (NULL);
  if (english >= 0)
    read_list (lines, english + 1, report, unnamed);
  if (report->recipients->len == 0 && russian >= 0)
    read_list (lines, russian + 1, report, unnamed);
  /* The list named nobody in full: the addresses are in the header. */
  if (report->recipients->len == 0 && unnamed->len)
    {
      g_auto (GStrv) failed = oob_provider_failed_recipients (view);
      for (guint i = 0; failed[i]; i++)
        add_listed (report, failed[i], unnamed->str);
    }
  /* No list: the refusal names the mailboxes, with the line before it. */
  gboolean listed = report->recipients->len > 0;
  for (guint i = 0; !listed && lines[i]; i++)
    {
      g_autofree char *address = oob_pattern_capture (&re_local_mailbox, lines[i], 1);
      g_autofree char *mailbox = address ? oob_provider_address (address) : NULL;
      if (mailbox == NULL)
        continue;
      g_autofree char *error = i > 0 && *lines[i - 1] ? g_strconcat (lines[i - 1], "\n", lines[i], NULL) : g_strdup (lines[i]);
      oob_provider_add (report, mailbox, error);
    }
  return report->recipients->len > 0;
}
