/* smtp_command.c - which SMTP command a refusal answered (see smtp_command.h). */
#include "config.h"

#include <string.h>

#include "pattern.h"
#include "rules.h"
#include "smtp_command.h"

/* Postfix: "(in reply to RCPT TO command)", folded over lines at times. */
static OobPattern re_postfix = OOB_PATTERN ("\\(in\\s+reply\\s+to\\s+(.{1,30}?)\\s+command\\)", PCRE2_CASELESS);
/* Postfix, a refused greeting: "host mx.example.net[192.0.2.1] refused to talk to me: 554 ..." */
static OobPattern re_postfix_greeting = OOB_PATTERN ("\\brefused\\s+to\\s+talk\\s+to\\s+me\\b", PCRE2_CASELESS);
/* Exim: "SMTP error from remote mail server after pipelined RCPT TO:<...>:"
 * (older Exim: "remote mailer") */
static OobPattern re_exim = OOB_PATTERN (
  "SMTP\\s+error\\s+from\\s+remote\\s+(?:(?:mail\\s+)?server|mailer)\\s+(?:after|for)\\s+(?:pipelined\\s+)?"
  "(initial\\s+connection|end\\s+of\\s+data|[A-Z]{4}(?:\\s+(?:TO|FROM))?)", PCRE2_CASELESS);
/* qmail: "Connected to 192.0.2.1 but sender was rejected." and kin. */
static OobPattern re_qmail = OOB_PATTERN (
  "\\bbut\\s+(greeting\\s+failed|my\\s+name\\s+was\\s+rejected|sender\\s+was\\s+rejected)|"
  "\\bdoes\\s+not\\s+like\\s+(recipient)|\\bfailed\\s+(after\\s+I\\s+sent\\s+the\\s+message)", PCRE2_CASELESS);
/* Sendmail and Courier transcripts: a command sent, a reply read. */
static OobPattern re_sent = OOB_PATTERN ("^\\s*>>>\\s*([A-Za-z]{4})(?:\\s+(TO|FROM))?", PCRE2_CASELESS);
static OobPattern re_refusal_read = OOB_PATTERN ("^\\s*<<<\\s*[45]\\d\\d\\b", 0);
/* DATA refused because no recipient was accepted: the refusal read after a
 * pipelined DATA was the reply to RCPT TO. */
static OobPattern re_no_recipients = OOB_PATTERN (
  "^\\s*<<<\\s*[45]\\d\\d\\b.*(?:need\\s+RCPT|no\\s+valid\\s+recipients?|no\\s+recipients?)", PCRE2_CASELESS);

const char *
oob_smtp_command_from_name (const char *name)
{
  static const struct {
    const char *prefix;
    const char *stage;
  } stages[] = {
    { "initial", "CONN" }, { "CONN", "CONN" }, { "EHLO", "EHLO" }, { "HELO", "EHLO" },
    { "LHLO", "EHLO" },    { "MAIL", "MAIL" }, { "RCPT", "RCPT" }, { "end", "DATA" },
    { "DATA", "DATA" },    { "BDAT", "DATA" },
    /* qmail's words */
    { "greeting", "CONN" }, { "my", "EHLO" }, { "sender", "MAIL" }, { "recipient", "RCPT" },
    { "after", "DATA" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (stages); i++)
    if (g_ascii_strncasecmp (name, stages[i].prefix, strlen (stages[i].prefix)) == 0)
      return stages[i].stage;
  return NULL;
}

/* The command whose reply was the first refusal in a session transcript. */
static const char *
transcript_stage (const char *text)
{
  if (strstr (text, ">>>") == NULL)
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  const char *sent = NULL;
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *name = oob_pattern_capture (&re_sent, lines[i], 1);
      if (name)
        sent = oob_smtp_command_from_name (name);
      else if (sent && oob_pattern_match (&re_refusal_read, lines[i], NULL))
        {
          if (g_strcmp0 (sent, "DATA") == 0)
            for (guint j = i + 1; lines[j]; j++)
              if (oob_smtp_command_wanted_recipients (lines[j]))
                return "RCPT";
          return sent;
        }
    }
  return NULL;
}

gboolean
oob_smtp_command_wanted_recipients (const char *line)
{
  return oob_pattern_match (&re_no_recipients, line, NULL);
}

const char *
oob_smtp_command_find (const char *text)
{
  if (text == NULL)
    return NULL;
  g_auto (GStrv) groups = NULL;
  if (oob_pattern_match (&re_postfix, text, &groups) || oob_pattern_match (&re_exim, text, &groups))
    return oob_smtp_command_from_name (groups[1]);
  if (oob_pattern_match (&re_postfix_greeting, text, NULL))
    return "CONN";
  if (oob_pattern_match (&re_qmail, text, &groups))
    for (int i = 1; groups[i]; i++)
      if (*groups[i])
        return oob_smtp_command_from_name (groups[i]);
  return transcript_stage (text);
}

gboolean
oob_smtp_command_before_addresses (const char *command)
{
  return g_strcmp0 (command, "CONN") == 0 || g_strcmp0 (command, "EHLO") == 0;
}

gboolean
oob_smtp_command_after_recipients (const char *command)
{
  return g_strcmp0 (command, "DATA") == 0;
}

/* TRUE for no status, a class-only one (5.0.0) or a derived one (5.0.9NN). */
static gboolean
status_unspecific (const char *status)
{
  return status == NULL || *status == '\0' || g_str_has_prefix (status + 1, ".0.");
}

const char *
oob_smtp_command_class (const char *command, const char *status, const char *class_name, const char **why)
{
  static const char *const about_addresses[] = {
    "InvalidRecipient", "InactiveMailbox", "InvalidSender", "BadDomain", "QuotaIssues", OOB_CLASS_UNCATEGORIZED,
  };
  *why = NULL;
  /* Before DATA no content was sent: "spam" then judges our host or
   * sender, not the message. */
  if ((oob_smtp_command_before_addresses (command) || g_strcmp0 (command, "MAIL") == 0 ||
       g_strcmp0 (command, "RCPT") == 0) &&
      g_strcmp0 (class_name, "SpamContent") == 0)
    {
      *why = "refused before DATA";
      return "SpamBlock";
    }
  if (oob_smtp_command_before_addresses (command))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (about_addresses); i++)
        if (g_strcmp0 (class_name, about_addresses[i]) == 0)
          *why = g_str_equal (command, "CONN") ? "refused at CONN" : "refused at EHLO";
    }
  else if (oob_smtp_command_after_recipients (command) && g_strcmp0 (class_name, "InvalidRecipient") == 0 &&
           status_unspecific (status))
    *why = "refused at DATA";
  return *why ? "PolicyRelated" : NULL;
}
