/* listener.c - KumoMTA listener-domain files (see listener.h). */
#include "config.h"

#include <string.h>

#include "listener.h"
#include "mime.h"
#include "toml.h"

G_DEFINE_QUARK (oob-listener-error-quark, oob_listener_error)

struct OobListenerDomains {
  GHashTable *by_domain; /* lower-case key -> OobListenerDomain* */
};

static const char *const disposition_names[] = {
  [OOB_DISPOSITION_LOG_THEN_DROP] = "LogThenDrop",
  [OOB_DISPOSITION_LOG_THEN_RELAY] = "LogThenRelay",
  [OOB_DISPOSITION_IGNORE] = "Ignore",
};

const char *
oob_disposition_to_string (OobDisposition disposition)
{
  return disposition_names[disposition];
}

static void
listener_domain_free (OobListenerDomain *entry)
{
  g_free (entry->domain);
  g_strfreev (entry->oob_relay_recipients);
  g_strfreev (entry->arf_relay_recipients);
  g_free (entry);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobListenerDomain, listener_domain_free)

static gboolean
invalid (GError **error, const char *domain, const char *key, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
invalid (GError **error, const char *domain, const char *key, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, OOB_LISTENER_ERROR, OOB_LISTENER_ERROR_INVALID, "listener domain \"%s\": %s: %s", domain,
               key, what);
  return FALSE;
}

static gboolean
read_disposition (JsonObject *table, const char *domain, const char *key, OobDisposition *out, GError **error)
{
  *out = OOB_DISPOSITION_LOG_THEN_DROP;
  JsonNode *node = json_object_get_member (table, key);
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node) ? OOB_DISPOSITION_LOG_THEN_RELAY : OOB_DISPOSITION_IGNORE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *name = json_node_get_string (node);
      for (guint i = 0; i < G_N_ELEMENTS (disposition_names); i++)
        if (g_str_equal (name, disposition_names[i]))
          {
            *out = i;
            return TRUE;
          }
      return invalid (error, domain, key, "\"%s\" is not LogThenDrop, LogThenRelay, Ignore, true or false", name);
    }
  return invalid (error, domain, key, "expected \"LogThenDrop\", \"LogThenRelay\", \"Ignore\", true or false");
}

/* One bare address through GMime's address parser; NULL if it is not
 * exactly one mailbox with a domain. */
static char *
parse_recipient (const char *text)
{
  oob_mime_init ();
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) != 1)
    return NULL;
  InternetAddress *address = internet_address_list_get_address (list, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (address))
    return NULL;
  const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
  if (addr == NULL || addr[0] == '-' || strchr (addr, '@') == NULL)
    return NULL;
  return g_strdup (addr);
}

static gboolean
read_recipients (JsonObject *table, const char *domain, const char *key, char ***out, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (table, key);
  g_autoptr (JsonArray) single = NULL;
  JsonArray *array = NULL;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    array = json_node_get_array (node);
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      single = json_array_new ();
      json_array_add_string_element (single, json_node_get_string (node));
      array = single;
    }
  else if (node != NULL)
    return invalid (error, domain, key, "expected an address or a list of addresses");
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error, domain, key, "element %u is not a string", i + 1);
      g_autofree char *address = parse_recipient (json_node_get_string (element));
      if (address == NULL)
        return invalid (error, domain, key, "\"%s\" is not an email address", json_node_get_string (element));
      g_strv_builder_add (builder, address);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
relays (OobDisposition disposition, gboolean relay_to)
{
  return disposition == OOB_DISPOSITION_LOG_THEN_RELAY || (disposition == OOB_DISPOSITION_IGNORE && relay_to);
}

static OobListenerDomain *
read_entry (const char *domain, JsonNode *node, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, OOB_LISTENER_ERROR, OOB_LISTENER_ERROR_INVALID,
                   "listener domain \"%s\": expected a table of settings", domain);
      return NULL;
    }
  JsonObject *table = json_node_get_object (node);
  g_autoptr (OobListenerDomain) entry = g_new0 (OobListenerDomain, 1);
  entry->domain = g_strdup (domain);
  if (!read_disposition (table, domain, "log_oob", &entry->log_oob, error) ||
      !read_disposition (table, domain, "log_arf", &entry->log_arf, error) ||
      !read_recipients (table, domain, "oob_relay_recipients", &entry->oob_relay_recipients, error) ||
      !read_recipients (table, domain, "arf_relay_recipients", &entry->arf_relay_recipients, error))
    return NULL;
  JsonNode *relay_to = json_object_get_member (table, "relay_to");
  if (relay_to != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (relay_to) || json_node_get_value_type (relay_to) != G_TYPE_BOOLEAN)
        {
          invalid (error, domain, "relay_to", "expected true or false");
          return NULL;
        }
      entry->relay_to = json_node_get_boolean (relay_to);
    }
  if (relays (entry->log_oob, entry->relay_to) && entry->oob_relay_recipients[0] == NULL)
    {
      invalid (error, domain, "oob_relay_recipients", "log_oob = \"%s\"%s relays, but no address is given",
               oob_disposition_to_string (entry->log_oob), entry->relay_to ? " with relay_to = true" : "");
      return NULL;
    }
  if (relays (entry->log_arf, entry->relay_to) && entry->arf_relay_recipients[0] == NULL)
    {
      invalid (error, domain, "arf_relay_recipients", "log_arf = \"%s\"%s relays, but no address is given",
               oob_disposition_to_string (entry->log_arf), entry->relay_to ? " with relay_to = true" : "");
      return NULL;
    }
  return g_steal_pointer (&entry);
}

OobListenerDomains *
oob_listener_domains_new (JsonObject *root, GError **error)
{
  g_autoptr (GHashTable) by_domain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) listener_domain_free);
  g_autoptr (GList) members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *domain = l->data;
      OobListenerDomain *entry = read_entry (domain, json_object_get_member (root, domain), error);
      if (entry == NULL)
        return NULL;
      char *key = g_ascii_strdown (domain, -1);
      if (g_hash_table_contains (by_domain, key))
        {
          g_set_error (error, OOB_LISTENER_ERROR, OOB_LISTENER_ERROR_INVALID,
                       "listener domain \"%s\": given twice (domains are compared without case)", domain);
          g_free (key);
          listener_domain_free (entry);
          return NULL;
        }
      g_hash_table_insert (by_domain, key, entry);
    }
  OobListenerDomains *domains = g_new0 (OobListenerDomains, 1);
  domains->by_domain = g_steal_pointer (&by_domain);
  return domains;
}

OobListenerDomains *
oob_listener_domains_load (const char *path, GError **error)
{
  g_autoptr (JsonNode) root = oob_toml_parse_file (path, error);
  if (root == NULL)
    return NULL;
  OobListenerDomains *domains = oob_listener_domains_new (json_node_get_object (root), error);
  if (domains == NULL)
    g_prefix_error (error, "%s: ", path);
  return domains;
}

void
oob_listener_domains_free (OobListenerDomains *domains)
{
  if (domains == NULL)
    return;
  g_hash_table_destroy (domains->by_domain);
  g_free (domains);
}

const OobListenerDomain *
oob_listener_domains_lookup (const OobListenerDomains *domains, const char *domain)
{
  if (domain != NULL && *domain != '\0')
    {
      g_autofree char *lower = g_ascii_strdown (domain, -1);
      const OobListenerDomain *entry = g_hash_table_lookup (domains->by_domain, lower);
      if (entry != NULL)
        return entry;
      for (const char *dot = strchr (lower, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
        {
          g_autofree char *wildcard = g_strconcat ("*", dot, NULL);
          entry = g_hash_table_lookup (domains->by_domain, wildcard);
          if (entry != NULL)
            return entry;
        }
    }
  return g_hash_table_lookup (domains->by_domain, "*");
}

void
oob_listener_decide (const OobListenerDomain *entry, gboolean is_feedback, OobListenerDecision *decision)
{
  if (entry == NULL)
    {
      *decision = (OobListenerDecision) { .disposition = OOB_DISPOSITION_LOG_THEN_DROP, .record = TRUE };
      return;
    }
  OobDisposition disposition = is_feedback ? entry->log_arf : entry->log_oob;
  char **recipients = is_feedback ? entry->arf_relay_recipients : entry->oob_relay_recipients;
  *decision = (OobListenerDecision) {
    .disposition = disposition,
    .record = disposition != OOB_DISPOSITION_IGNORE,
    .relay_recipients = relays (disposition, entry->relay_to) ? (const char *const *) recipients : NULL,
  };
}
