/* envelope.c - collect the envelope from argv, the MTA's environment and
 * the delivery headers, in that order of trust.
 *
 * Which MTA set the environment is told by the variables only it sets:
 * ORIGINAL_RECIPIENT or EXTENSION (Postfix local(8)), LOCAL_PART (Exim),
 * EXT, HOST or DTLINE (qmail-local).  A bare RECIPIENT is taken as "env".
 */
#include "config.h"

#include <string.h>

#include "envelope.h"
#include "mime.h"

static void
envelope_address_free (gpointer data)
{
  OobEnvelopeAddress *a = data;
  g_free (a->address);
  g_free (a->source);
  g_free (a);
}

void
oob_envelope_free (OobEnvelope *env)
{
  if (env == NULL)
    return;
  g_free (env->sender);
  g_free (env->recipient);
  g_free (env->source);
  g_free (env->envid);
  g_free (env->extension);
  g_ptr_array_unref (env->candidates);
  g_hash_table_unref (env->seen);
  g_free (env);
}

/* Trims blanks and one pair of angle brackets: " <a@b> " -> "a@b". */
static char *
bare_address (const char *value)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  gsize len = strlen (trimmed);
  if (len >= 2 && trimmed[0] == '<' && trimmed[len - 1] == '>')
    return g_strstrip (g_strndup (trimmed + 1, len - 2));
  return g_steal_pointer (&trimmed);
}

static void
add_candidate (OobEnvelope *env, const char *value, const char *source)
{
  if (value == NULL)
    return;
  g_autofree char *address = bare_address (value);
  if (*address == '\0' || strchr (address, '@') == NULL)
    return;
  /* a set, not a scan of the list: a To: of thousands stays linear */
  if (!g_hash_table_add (env->seen, g_ascii_strdown (address, -1)))
    return;
  OobEnvelopeAddress *a = g_new0 (OobEnvelopeAddress, 1);
  a->address = g_steal_pointer (&address);
  a->source = g_strdup (source);
  g_ptr_array_add (env->candidates, a);
}

static const char *
env_get (const char *const *envp, const char *name)
{
  const char *value = g_environ_getenv ((char **) envp, name);
  return value != NULL && *value != '\0' ? value : NULL;
}

static void
collect_environment (OobEnvelope *env, const char *const *envp)
{
  if (envp == NULL)
    return;
  if (env->sender == NULL && g_environ_getenv ((char **) envp, "SENDER") != NULL)
    env->sender = bare_address (g_environ_getenv ((char **) envp, "SENDER"));
  env->envid = g_strdup (env_get (envp, "ENVID"));

  if (env_get (envp, "ORIGINAL_RECIPIENT") || env_get (envp, "EXTENSION"))
    {
      add_candidate (env, env_get (envp, "ORIGINAL_RECIPIENT"), "env:postfix");
      add_candidate (env, env_get (envp, "RECIPIENT"), "env:postfix");
      env->extension = g_strdup (env_get (envp, "EXTENSION"));
    }
  else if (env_get (envp, "LOCAL_PART"))
    {
      add_candidate (env, env_get (envp, "RECIPIENT"), "env:exim");
      if (env_get (envp, "DOMAIN"))
        {
          g_autofree char *rebuilt = g_strdup_printf (
              "%s%s%s@%s",
              env_get (envp, "LOCAL_PART_PREFIX") ? env_get (envp, "LOCAL_PART_PREFIX") : "",
              env_get (envp, "LOCAL_PART"),
              env_get (envp, "LOCAL_PART_SUFFIX") ? env_get (envp, "LOCAL_PART_SUFFIX") : "",
              env_get (envp, "DOMAIN"));
          add_candidate (env, rebuilt, "env:exim");
        }
      env->extension = g_strdup (env_get (envp, "LOCAL_PART_SUFFIX"));
    }
  else if (env_get (envp, "EXT") || env_get (envp, "HOST") || env_get (envp, "DTLINE"))
    {
      add_candidate (env, env_get (envp, "RECIPIENT"), "env:qmail");
      env->extension = g_strdup (env_get (envp, "EXT"));
    }
  else
    add_candidate (env, env_get (envp, "RECIPIENT"), "env");
}

static void
add_header_addresses (OobEnvelope *env, const char *value, const char *source)
{
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, value);
  if (list == NULL)
    return;
  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        add_candidate (env, INTERNET_ADDRESS_MAILBOX (ia)->addr, source);
    }
}

static void
collect_headers (OobEnvelope *env, GMimeMessage *message)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  int count = g_mime_header_list_get_count (headers);
  static const char *const delivery_headers[] = { "X-Original-To", "Delivered-To" };

  for (guint h = 0; h < G_N_ELEMENTS (delivery_headers); h++)
    {
      g_autofree char *source = g_strconcat ("header:", delivery_headers[h], NULL);
      for (int i = 0; i < count; i++)
        {
          GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
          if (g_ascii_strcasecmp (g_mime_header_get_name (header), delivery_headers[h]) == 0)
            add_header_addresses (env, g_mime_header_get_value (header), source);
        }
    }

  InternetAddressList *to = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_TO);
  for (int i = 0; to != NULL && i < internet_address_list_length (to); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (to, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        add_candidate (env, INTERNET_ADDRESS_MAILBOX (ia)->addr, "header:To");
    }

  if (env->sender == NULL)
    {
      const char *return_path = g_mime_object_get_header (GMIME_OBJECT (message), "Return-Path");
      if (return_path != NULL)
        env->sender = bare_address (return_path);
    }
}

OobEnvelope *
oob_envelope_collect (const char *opt_sender, const char *opt_recipient,
                      const char *const *envp, GMimeMessage *message)
{
  OobEnvelope *env = g_new0 (OobEnvelope, 1);
  env->candidates = g_ptr_array_new_with_free_func (envelope_address_free);
  env->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (opt_sender != NULL)
    env->sender = bare_address (opt_sender);
  add_candidate (env, opt_recipient, "argv");
  collect_environment (env, envp);
  if (message != NULL)
    collect_headers (env, message);
  if (env->candidates->len > 0)
    {
      OobEnvelopeAddress *best = g_ptr_array_index (env->candidates, 0);
      env->recipient = g_strdup (best->address);
      env->source = g_strdup (best->source);
    }
  return env;
}
