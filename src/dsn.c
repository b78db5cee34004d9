/* dsn.c - RFC 3464 delivery status notifications (and RFC 6533 global DSNs).
 *
 * Finds the message/delivery-status (or message/global-delivery-status) part
 * and reads its per-message block and per-recipient blocks as RFC 822
 * fields (fields.h: split as GMime's header parser splits them, values
 * unfolded and decoded by GMime).  Lenient: field-name case, folding,
 * comments, <> around addresses, missing Reporting-MTA, unknown fields,
 * RFC 1894's draft label message/x-delivery-status, a reply written into a
 * block as a line of its own instead of a Diagnostic-Code, addresses
 * written loosely (display names, quotes, brackets, a full stop after
 * them).  A bad field loses that field only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce_text.h"
#include "derive.h"
#include "fields.h"
#include "mime.h"
#include "parse.h"
#include "pattern.h"
#include "smtp_command.h"
#include "status.h"

/* The delivery-status part; some MTAs still label it with RFC 1894's
 * draft name, message/x-delivery-status. */
static gboolean
is_status_part (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  return ct && (g_mime_content_type_is_type (ct, "message", "delivery-status") ||
                g_mime_content_type_is_type (ct, "message", "global-delivery-status") ||
                g_mime_content_type_is_type (ct, "message", "x-delivery-status"));
}

/* "rfc822; <User@Example.ORG> (comment)" -> "User@Example.ORG". */
static OobPattern re_typed_value = OOB_PATTERN ("^\\s*(?:([A-Za-z0-9][A-Za-z0-9._-]*)\\s*;)?\\s*(.*?)\\s*$", PCRE2_DOTALL);
static OobPattern re_comment = OOB_PATTERN ("\\([^()]*\\)", 0);
static OobPattern re_angle = OOB_PATTERN ("<([^<>]*)>", 0);
static OobPattern re_spaces = OOB_PATTERN ("\\s+", 0);
static OobPattern re_utf8_escape = OOB_PATTERN ("\\\\x\\{([0-9A-Fa-f]{1,6})\\}", 0);

/* Splits "type; value" and returns the value (type into *type if wanted). */
static char *
typed_value (const char *field, char **type)
{
  g_auto (GStrv) groups = NULL;
  if (field == NULL || !oob_pattern_match (&re_typed_value, field, &groups))
    return NULL;
  if (type)
    *type = *groups[1] ? g_ascii_strdown (groups[1], -1) : NULL;
  return g_strdup (groups[2]);
}

/* RFC 6533 utf-8 addresses may carry \x{HHHH} escapes. */
static char *
unescape_utf8 (const char *value)
{
  if (strstr (value, "\\x{") == NULL)
    return g_strdup (value);
  GString *out = g_string_new (NULL);
  const char *p = value;
  while (*p)
    {
      g_auto (GStrv) groups = NULL;
      /* an escape is at most 10 bytes: matching there, not on the rest of
       * the value, keeps a value of many escapes linear */
      g_autofree char *window = g_str_has_prefix (p, "\\x{") ? g_strndup (p, 10) : NULL;
      if (window && oob_pattern_match (&re_utf8_escape, window, &groups) && g_str_has_prefix (p, groups[0]))
        {
          gunichar c = (gunichar) strtoul (groups[1], NULL, 16);
          if (g_unichar_validate (c))
            g_string_append_unichar (out, c);
          p += strlen (groups[0]);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The first word of text that holds an address, a word with an '@' after
 * its first character ("rfc822: a@example.org" written with a colon). */
static OobPattern re_address_word = OOB_PATTERN ("(?:^|\\s)([^\\s@]+@\\S+)", 0);

/* text without its spaces and tabs. */
static char *
without_spaces (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *c = text; *c; c++)
    if (*c != ' ' && *c != '\t')
      g_string_append_c (out, *c);
  return g_string_free (out, FALSE);
}

/* GMime's reading of value: the first mailbox with an '@' (a quoted local
 * part, "\"a b\"@example.org", a display name, comments and the obsolete
 * spaces of a folded address, "a@example. org", are its business), or
 * NULL for what it does not read as one (a local part ending in a dot as
 * Japanese carriers allow, a pipe, an address in [] ...).  A domain stays
 * as written: GMime gives it in Unicode and in ASCII (punycode). */
static char *
gmime_address (const char *value)
{
  oob_mime_init ();
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, value);
  for (int i = 0; list && i < internet_address_list_length (list); i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      if (!INTERNET_ADDRESS_IS_MAILBOX (address))
        continue;
      InternetAddressMailbox *mailbox = INTERNET_ADDRESS_MAILBOX (address);
      const char *addr = internet_address_mailbox_get_addr (mailbox);
      if (addr == NULL || strchr (addr, '@') == NULL)
        continue;
      const char *ascii = internet_address_mailbox_get_idn_addr (mailbox);
      g_autofree char *written = without_spaces (value);
      g_autofree char *addr_bare = without_spaces (addr);
      g_autofree char *ascii_bare = ascii ? without_spaces (ascii) : NULL;
      if (ascii_bare && strstr (written, ascii_bare) && !strstr (written, addr_bare))
        return g_strdup (ascii);
      return g_strdup (addr);
    }
  return NULL;
}

/* Takes off what a sloppy report writes around an address: brackets,
 * quotes and braces ("[a@example.org]", "'a@example.org'", "\"a@example.org\""),
 * a sentence's full stop or a list's comma ("a@example.org."), but not an
 * IP literal's brackets (a@[192.0.2.1]) nor a quoted local part's quotes. */
static void
trim_wrapping (char *address)
{
  if (strchr (address, '@') == NULL)
    return;
  gboolean quoted_local = address[0] == '"' && strstr (address + 1, "\"@") != NULL;
  gsize skip = 0;
  while (address[skip] && strchr ("[<{('`", address[skip]) != NULL)
    skip++;
  if (!quoted_local && address[skip] == '"')
    skip++;
  memmove (address, address + skip, strlen (address + skip) + 1);
  gsize len = strlen (address);
  while (len > 0)
    {
      char last = address[len - 1];
      gboolean literal = last == ']' && strstr (address, "@[") != NULL;
      if (literal || strchr (">})'`.,;]\"", last) == NULL || (last == '"' && quoted_local))
        break;
      address[--len] = '\0';
    }
}

char *
oob_dsn_address (const char *field)
{
  g_autofree char *type = NULL;
  g_autofree char *value = typed_value (field, &type);
  if (value == NULL)
    return NULL;
  /* An X.400 O/R name holds spaces ("/S=Rowe/ADMD= /C=GB/"): kept whole. */
  if (type && g_str_equal (type, "x400"))
    return *value ? g_steal_pointer (&value) : NULL;
  g_autofree char *unescaped = unescape_utf8 (value);
  g_autofree char *bare = gmime_address (unescaped);
  if (bare == NULL)
    {
      g_autofree char *angle = oob_pattern_capture (&re_angle, unescaped, 1);
      bare = oob_pattern_replace (&re_comment, angle ? angle : unescaped, "");
      g_strstrip (bare);
      /* A space ends the address, unless the words before it hold none. */
      char *space = strpbrk (bare, " \t");
      if (space && memchr (bare, '@', (gsize) (space - bare)) == NULL)
        {
          g_autofree char *word = oob_pattern_capture (&re_address_word, space, 1);
          if (word)
            oob_set_string (&bare, word);
        }
      space = strpbrk (bare, " \t");
      if (space)
        *space = '\0';
    }
  trim_wrapping (bare);
  if (*bare == '\0')
    return NULL;
  return g_steal_pointer (&bare);
}

static char *
field_value (OobFieldBlock *fields, const char *name)
{
  const char *value = oob_field_block_get (fields, name);
  if (value == NULL)
    return NULL;
  g_autofree char *bare = g_strdup (value);
  g_strstrip (bare);
  return *bare ? g_steal_pointer (&bare) : NULL;
}

/* Host name of "dns; mx.example.net (comment)". */
static char *
mta_name (OobFieldBlock *fields, const char *name)
{
  g_autofree char *raw = field_value (fields, name);
  g_autofree char *value = typed_value (raw, NULL);
  if (value == NULL)
    return NULL;
  g_autofree char *bare = oob_pattern_replace (&re_comment, value, "");
  g_strstrip (bare);
  char *space = strpbrk (bare, " \t");
  if (space)
    *space = '\0';
  return *bare ? g_steal_pointer (&bare) : NULL;
}

/* The RFC 3464 action an Action value means, lower case: sloppy reports
 * write "failure", "Delay", "delivery"... */
static char *
normal_action (const char *value)
{
  static const char *const actions[] = { "failed", "delayed", "delivered", "relayed", "expanded" };
  g_autofree char *lower = g_ascii_strdown (value, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    if (strlen (lower) >= 4 && strncmp (lower, actions[i], 4) == 0)
      return g_strdup (actions[i]);
  return g_steal_pointer (&lower);
}

/* A reply an MTA wrote into the block as a line of its own, not a field:
 * "550 Mailbox is full", "<a@example.org>: 550 no such user" (the address
 * the block names already is left out). */
static OobPattern re_reply_line = OOB_PATTERN ("(?m)^(?:[45]\\d\\d[ \\t]+|<[^<>@\\s]+@[^<>@\\s]+>:?[ \\t]+)\\S.*$", 0);
static OobPattern re_reply_address = OOB_PATTERN ("^<[^<>]*>:?[ \\t]+", 0);

/* The reply lines of a per-recipient block, joined, or NULL. */
static char *
reply_lines (const char *block)
{
  g_auto (GStrv) lines = oob_pattern_capture_all (&re_reply_line, block, 0);
  if (lines[0] == NULL)
    return NULL;
  for (char **line = lines; *line; line++)
    {
      char *reply = oob_pattern_replace (&re_reply_address, *line, "");
      g_free (*line);
      *line = reply;
    }
  g_autofree char *joined = g_strjoinv (" ", lines);
  return oob_pattern_replace (&re_spaces, g_strstrip (joined), " ");
}

static void
read_recipient (OobFieldBlock *fields, const char *block, OobRecipient *rcpt)
{
  rcpt->final_recipient = oob_dsn_address (oob_field_block_get (fields, "Final-Recipient"));
  rcpt->original_recipient = oob_dsn_address (oob_field_block_get (fields, "Original-Recipient"));
  if (rcpt->final_recipient == NULL)
    rcpt->final_recipient = oob_dsn_address (oob_field_block_get (fields, "X-Actual-Recipient"));

  g_autofree char *action = field_value (fields, "Action");
  if (action)
    {
      g_autofree char *bare = oob_pattern_replace (&re_comment, action, "");
      g_strstrip (bare);
      char *space = strpbrk (bare, " \t;");
      if (space)
        *space = '\0';
      rcpt->action = normal_action (bare);
    }

  g_autofree char *diagnostic = field_value (fields, "Diagnostic-Code");
  if (diagnostic == NULL)
    diagnostic = field_value (fields, "X-Exim-Diagnostic");
  if (diagnostic == NULL)
    rcpt->diagnostic = reply_lines (block);
  if (diagnostic)
    {
      char *type = NULL;
      g_autofree char *text = typed_value (diagnostic, &type);
      rcpt->diagnostic = oob_pattern_replace (&re_spaces, text, " ");
      rcpt->diagnostic_type = type;
    }
  /* An X.400 gateway (RFC 2156) gives its reason code in Diagnostic-Code
   * and the words behind it, often the SMTP reply a relay gave, in
   * X400-Supplementary-Info: both are the reason. */
  g_autofree char *supplementary = field_value (fields, "X400-Supplementary-Info");
  if (supplementary)
    {
      g_autofree char *words = oob_pattern_replace (&re_spaces, g_strstrip (g_strdelimit (supplementary, "\"", ' ')), " ");
      char *joined = rcpt->diagnostic ? g_strconcat (rcpt->diagnostic, "; ", words, NULL) : g_strdup (words);
      g_free (rcpt->diagnostic);
      rcpt->diagnostic = joined;
    }
  if (rcpt->diagnostic)
    rcpt->smtp_code = oob_smtp_code_find (rcpt->diagnostic);

  const char *status_field = oob_field_block_get (fields, "Status");
  g_autofree char *status = oob_status_find (status_field);
  if (status == NULL && status_field && rcpt->smtp_code == 0)
    {
      /* A sloppy report's "Status: 553 Message too large": a reply, not a
       * status; its words are the reason when nothing else gives one. */
      rcpt->smtp_code = oob_smtp_code_find (status_field);
      if (rcpt->smtp_code && rcpt->diagnostic == NULL)
        {
          g_autofree char *text = g_strstrip (g_strdup (status_field));
          rcpt->diagnostic = oob_pattern_replace (&re_spaces, text, " ");
        }
    }
  rcpt->status = oob_status_refine (status, rcpt->diagnostic, rcpt->smtp_code);
  /* No status stated: what the reply says, else its class. */
  if (rcpt->status == NULL && rcpt->diagnostic)
    rcpt->status = oob_status_derive (rcpt->diagnostic, rcpt->smtp_code, NULL);
  if (rcpt->status == NULL)
    rcpt->status = oob_status_from_code (rcpt->smtp_code);

  if (rcpt->action == NULL && rcpt->status)
    rcpt->action = g_strdup (rcpt->status[0] == '5' ? "failed" : rcpt->status[0] == '4' ? "delayed" : "delivered");

  rcpt->remote_mta = mta_name (fields, "Remote-MTA");
  rcpt->last_attempt_date = field_value (fields, "Last-Attempt-Date");
  rcpt->will_retry_until = field_value (fields, "Will-Retry-Until");

  /* Acting on the original address hides where delivery was tried. */
  const char *address = oob_recipient_address (rcpt);
  if (rcpt->final_recipient && address != rcpt->final_recipient &&
      g_ascii_strcasecmp (address, rcpt->final_recipient) != 0)
    rcpt->note = g_strdup_printf ("Final-Recipient %s", rcpt->final_recipient);
}

static gboolean
is_recipient_block (OobFieldBlock *fields)
{
  return oob_field_block_get (fields, "Final-Recipient") || oob_field_block_get (fields, "Original-Recipient") ||
         oob_field_block_get (fields, "Action") || oob_field_block_get (fields, "Status");
}

static void
read_message_fields (OobFieldBlock *fields, OobReport *report)
{
  if (report->reporting_mta == NULL)
    report->reporting_mta = mta_name (fields, "Reporting-MTA");
  if (report->received_from_mta == NULL)
    report->received_from_mta = mta_name (fields, "Received-From-MTA");
  if (report->arrival_date == NULL)
    report->arrival_date = field_value (fields, "Arrival-Date");
  if (report->original_envelope_id == NULL)
    report->original_envelope_id = field_value (fields, "Original-Envelope-Id");
  /* Gmail names the returned message's Message-ID among the per-message
   * fields: it identifies the message when the notice returns none. */
  const char *original_id = report->orig_message_id ? NULL : oob_field_block_get (fields, "X-Original-Message-ID");
  if (original_id)
    report->orig_message_id = g_mime_utils_decode_message_id (original_id);
}

/* Splits the status text into blank-line separated blocks.  Some MTAs
 * (AOL) run several recipients together without blank lines: a second
 * Final-Recipient (or Original-Recipient) in one block starts a new one. */
static GPtrArray *
split_blocks (const char *text)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *block = g_string_new (NULL);
  gboolean has_final = FALSE, has_original = FALSE;
  for (char **line = lines; *line; line++)
    {
      gboolean blank = TRUE;
      for (const char *c = *line; *c; c++)
        if (!g_ascii_isspace (*c))
          blank = FALSE;
      gboolean final = g_ascii_strncasecmp (*line, "Final-Recipient:", 16) == 0;
      gboolean original = g_ascii_strncasecmp (*line, "Original-Recipient:", 19) == 0;
      if (blank || (final && has_final) || (original && has_original))
        {
          if (block->len)
            g_ptr_array_add (blocks, g_strdup (block->str));
          g_string_truncate (block, 0);
          has_final = has_original = FALSE;
          if (blank)
            continue;
        }
      has_final |= final;
      has_original |= original;
      g_string_append (block, *line);
      g_string_append_c (block, '\n');
    }
  if (block->len)
    g_ptr_array_add (blocks, g_strdup (block->str));
  g_string_free (block, TRUE);
  return blocks;
}

/* Where MIME is absent or broken (a multipart whose boundary matches no
 * part, a report pasted into a plain text body), the delivery-status part
 * is still there as text: the lines after its Content-Type header up to the
 * next boundary line. */
static OobPattern re_embedded_status = OOB_PATTERN (
  "(?im)^content-type:[ \\t]*message/(?:global-|x-)?delivery-status[^\\n]*\\n(?:[ \\t][^\\n]*\\n|[a-z-]+:[^\\n]*\\n)*\\n"
  "((?:(?!--)[^\\n]*\\n?)*)", 0);

/* A multipart/report that lost its boundary lines altogether, or a mail
 * system's plain-text notice with the report pasted in, keeps only the
 * fields: the per-message block from its Reporting-MTA line (or, where the
 * notice pasted the per-recipient fields alone, from the first
 * Final-Recipient or Original-Recipient line), then each blank-line
 * separated block that starts with a per-recipient field. */
static OobPattern re_bare_status = OOB_PATTERN (
  "(?im)^((?:reporting-mta|final-recipient|original-recipient):[^\\n]*\\n(?:[^\\n]*\\S[^\\n]*\\n|[ \\t]*\\n(?=(?:final-recipient|original-recipient|"
  "x-actual-recipient|action|status|remote-mta|diagnostic-code|last-attempt-date)[ \\t]*:))*)", 0);

/* TRUE if only blank lines follow the (first) occurrence of fields in text. */
static gboolean
ends_text (const char *text, const char *fields)
{
  const char *at = strstr (text, fields);
  if (at == NULL)
    return FALSE;
  for (const char *c = at + strlen (fields); *c; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

typedef struct {
  gboolean past_first_text; /* the notice's own text part was seen */
  gboolean read_first_text; /* the explanation may hold the fields */
  char *status;
} TextStatusSearch;

/* A text part of the notice (not of a returned message) holding the
 * report's fields: a delivery-status part sent as text/plain after the
 * notice's explanation.  The first text part is the explanation itself:
 * fields shown there are an article's or a person's sample, not a report,
 * unless the search says otherwise (a mail system's notice that returns
 * the message, its fields pasted under its explanation).  Pasted there,
 * they end the explanation: a person who pastes a few fields into a letter
 * writes on under them (a question, a signature). */
static gboolean
is_text_with_status (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  TextStatusSearch *search = user_data;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (!GMIME_IS_PART (part) || ct == NULL || !g_mime_content_type_is_type (ct, "text", "*"))
    return FALSE;
  gboolean first = !search->past_first_text;
  search->past_first_text = TRUE;
  if ((first && !search->read_first_text) || !g_mime_content_type_is_type (ct, "text", "plain"))
    return FALSE;
  g_autofree char *text = oob_mime_part_text (part);
  search->status = oob_pattern_capture (&re_bare_status, text, 1);
  if (search->status && first && !ends_text (text, search->status))
    g_clear_pointer (&search->status, g_free);
  return search->status != NULL;
}

static char *
embedded_status_text (OobMessageView *view, gboolean last_resort)
{
  GMimeObject *root = g_mime_message_get_mime_part (view->message);
  g_autofree char *text = NULL;
  gboolean bare_report = FALSE;
  if (GMIME_IS_MULTIPART (root) && g_mime_multipart_get_count (GMIME_MULTIPART (root)) == 0)
    {
      const char *prologue = g_mime_multipart_get_prologue (GMIME_MULTIPART (root));
      text = g_strdup (prologue ? prologue : "");
      bare_report = g_mime_content_type_is_type (g_mime_object_get_content_type (root), "multipart", "report");
    }
  else if (GMIME_IS_PART (root) && g_mime_content_type_is_type (g_mime_object_get_content_type (root), "text", "*"))
    {
      text = oob_mime_part_text (root);
      /* A mail system's plain-text notice with the report pasted in (Postfix
       * text bounces); never a person's forward of one, nor a postmaster's
       * own message written in a mail client, nor a mailing from a
       * postmaster team (List-Unsubscribe, List-Id) showing sample fields. */
      GMimeObject *message = GMIME_OBJECT (view->message);
      bare_report = oob_bounce_from_mail_system (view) && !oob_bounce_written_in_client (view) &&
                    g_mime_object_get_header (message, "List-Unsubscribe") == NULL &&
                    g_mime_object_get_header (message, "List-Id") == NULL;
    }
  else if (last_resort && GMIME_IS_MULTIPART (root) &&
           !g_mime_content_type_is_type (g_mime_object_get_content_type (root), "multipart", "alternative") &&
           oob_bounce_from_mail_system (view) && !oob_bounce_written_in_client (view))
    {
      /* The report's fields in a text/plain part of their own, or under
       * the explanation of a notice that returns the message: looked for
       * only when no family read the notice. */
      GMimeObject *message = GMIME_OBJECT (view->message);
      TextStatusSearch search = { FALSE, FALSE, NULL };
      search.read_first_text = oob_view_returned (view) != NULL &&
                               g_mime_object_get_header (message, "List-Unsubscribe") == NULL &&
                               g_mime_object_get_header (message, "List-Id") == NULL;
      oob_mime_find (root, FALSE, is_text_with_status, &search);
      return search.status;
    }
  if (text == NULL)
    return NULL;
  char *status = oob_pattern_capture (&re_embedded_status, text, 1);
  if (status == NULL && bare_report)
    status = oob_pattern_capture (&re_bare_status, text, 1);
  return status;
}

static gboolean
same_address (const char *a, const char *b)
{
  return a == b || (a && b && g_ascii_strcasecmp (a, b) == 0);
}

/* A block that repeats the block before it for the same recipient (same
 * final and original address) is the report's later word on it, not a
 * second recipient: it replaces the earlier one, so that the report names
 * the recipient once. */
static void
drop_repeated_recipient (OobReport *report)
{
  guint n = report->recipients->len;
  if (n < 2)
    return;
  OobRecipient *later = g_ptr_array_index (report->recipients, n - 1);
  OobRecipient *earlier = g_ptr_array_index (report->recipients, n - 2);
  if (later->final_recipient && same_address (later->final_recipient, earlier->final_recipient) &&
      same_address (later->original_recipient, earlier->original_recipient))
    g_ptr_array_remove_index (report->recipients, n - 2);
}

/* Reads the delivery-status text into report; the number of recipients. */
static guint
read_status_text (const char *text, OobReport *report)
{
  g_autoptr (GPtrArray) blocks = split_blocks (text);
  for (guint i = 0; i < blocks->len; i++)
    {
      const char *block = g_ptr_array_index (blocks, i);
      g_autoptr (OobFieldBlock) fields = oob_field_block_read (block, strlen (block));
      if (fields == NULL)
        continue;
      read_message_fields (fields, report);
      if (!is_recipient_block (fields))
        continue;
      if (oob_report_is_full (report))
        break;
      OobRecipient *rcpt = oob_report_add_recipient (report);
      read_recipient (fields, block, rcpt);
      drop_repeated_recipient (report);
    }
  return report->recipients->len;
}

/* The paragraph of the human-readable notice (notice, and lower_notice
 * its ASCII-lower-cased copy, whose offsets are the notice's) that names
 * address, squeezed to one line, or NULL. */
static char *
notice_paragraph (const char *notice, const char *lower_notice, const char *address)
{
  if (address == NULL)
    return NULL;
  g_autofree char *lower_address = g_ascii_strdown (address, -1);
  const char *hit = strstr (lower_notice, lower_address);
  if (hit == NULL)
    return NULL;
  /* From the start of the line naming the address to the next blank line. */
  const char *start = hit;
  while (start > lower_notice && start[-1] != '\n')
    start--;
  const char *end = strstr (hit, "\n\n");
  gsize from = (gsize) (start - lower_notice);
  gsize to = end ? (gsize) (end - lower_notice) : strlen (notice);
  g_autofree char *paragraph = g_strndup (notice + from, MIN (to - from, 1000));
  char *squeezed = oob_pattern_replace (&re_spaces, paragraph, " ");
  g_strstrip (squeezed);
  return squeezed;
}

/* Where a report has no Diagnostic-Code the reason is often only in the
 * notice; where its status is specific, the notice still tells the SMTP
 * stage (Postfix's "(in reply to RCPT TO command)", Exim's "after RCPT
 * TO"), which the report's fields never do. */
void
oob_dsn_fill_from_notice (OobMessageView *view, OobReport *report)
{
  if (report->type != OOB_REPORT_DSN)
    return;
  const char *notice = oob_view_body (view);
  g_autofree char *lower_notice = NULL;
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (rcpt->smtp_command == NULL && rcpt->diagnostic)
        rcpt->smtp_command = oob_smtp_command_find (rcpt->diagnostic);
      if (rcpt->diagnostic && rcpt->smtp_command)
        continue;
      if (lower_notice == NULL)
        lower_notice = g_ascii_strdown (notice, -1);
      g_autofree char *paragraph = notice_paragraph (notice, lower_notice, rcpt->final_recipient);
      if (paragraph == NULL)
        paragraph = notice_paragraph (notice, lower_notice, rcpt->original_recipient);
      if (paragraph == NULL)
        continue;
      if (rcpt->smtp_command == NULL)
        rcpt->smtp_command = oob_smtp_command_find (paragraph);
      if (rcpt->diagnostic == NULL)
        rcpt->diagnostic = g_steal_pointer (&paragraph);
    }
}

static gboolean
parse_dsn (OobMessageView *view, OobReport *report, gboolean allow_empty)
{
  GMimeObject *part = oob_mime_find (GMIME_OBJECT (view->message), FALSE, is_status_part, NULL);
  g_autofree char *text = part ? oob_mime_part_text (part) : embedded_status_text (view, allow_empty);
  if (text == NULL)
    return FALSE;
  if (read_status_text (text, report) == 0 && !allow_empty)
    return FALSE;
  report->type = OOB_REPORT_DSN;
  return TRUE;
}

gboolean
oob_dsn_parse (OobMessageView *view, OobReport *report)
{
  return parse_dsn (view, report, FALSE);
}

gboolean
oob_dsn_parse_empty (OobMessageView *view, OobReport *report)
{
  return parse_dsn (view, report, TRUE);
}
