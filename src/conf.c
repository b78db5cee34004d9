/* conf.c - oobproc.toml (see conf.h and oobproc.toml(5)). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "cmd_rules.h"
#include "conf.h"
#include "input.h"
#include "policy.h"
#include "toml.h"

#define DEFAULT_BUSY_TIMEOUT_MS 30000
#define DEFAULT_DEDUPE_WINDOW (30 * 86400)

G_DEFINE_QUARK (oob-config-error-quark, oob_config_error)
#define CONFIG_ERROR (oob_config_error_quark ())

static const char *const top_level_keys[] = {
  "database", "max_message_size", "busy_timeout_ms", "rules", "rewrite", "listener_domains",
  "policy", "verp", "attribution", "relay", "event_log", "dedupe_window", NULL,
};

void
oob_config_free (OobConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  if (config->root)
    json_node_unref (config->root);
  g_free (config->database);
  g_strfreev (config->rule_files);
  g_free (config->rewrite_file);
  g_free (config->listener_domains_file);
  g_free (config->event_log);
  g_free (config);
}


JsonObject *
oob_config_table (const OobConfig *config, const char *name)
{
  JsonObject *root = json_node_get_object (config->root);
  JsonNode *node = json_object_get_member (root, name);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
get_string (JsonObject *table, const char *key, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (table, key);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CONFIG_ERROR, 0, "%s must be a string", key);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* An integer with an optional unit suffix from units (NULL-terminated pairs). */
static gboolean
get_scaled (JsonObject *table, const char *key, const char *const units[][2], gint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (table, key);
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      errno = 0;
      gint64 number = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && end != text && number >= 0)
        {
          if (*end == '\0')
            {
              *value = number;
              return TRUE;
            }
          for (gsize i = 0; units[i][0]; i++)
            if (g_ascii_strcasecmp (end, units[i][0]) == 0)
              {
                *value = number * g_ascii_strtoll (units[i][1], NULL, 10);
                return TRUE;
              }
        }
    }
  g_set_error (error, CONFIG_ERROR, 0, "%s: not a valid value", key);
  return FALSE;
}

gboolean
oob_config_duration (JsonObject *table, const char *key, gint64 *seconds, GError **error)
{
  JsonNode *node = json_object_get_member (table, key);
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *seconds = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      oob_parse_duration (json_node_get_string (node), seconds))
    return TRUE;
  g_set_error (error, CONFIG_ERROR, 0, "%s: expected a duration such as \"7d\", \"12h\" or seconds", key);
  return FALSE;
}

gboolean
oob_config_size (JsonObject *table, const char *key, gsize *bytes, GError **error)
{
  static const char *const units[][2] = {
    { "K", "1024" }, { "M", "1048576" }, { "G", "1073741824" }, { NULL, NULL },
  };
  gint64 value = (gint64) *bytes;
  if (!get_scaled (table, key, units, &value, error))
    return FALSE;
  *bytes = (gsize) value;
  return TRUE;
}

/* The shipped rule files, in name order (none if the directory is gone:
 * loading the rules then reports it). */
static void
add_shipped_rules (GPtrArray *files)
{
  g_auto (GStrv) shipped = oob_rules_default_files (NULL);
  for (guint i = 0; shipped && shipped[i]; i++)
    g_ptr_array_add (files, g_strdup (shipped[i]));
}

/* rules = "file" or ["file", ...]; the name "shipped" stands for the
 * shipped rule files, which are also the default. */
static gboolean
read_rule_files (JsonObject *root, OobConfig *config, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (root, "rules");
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint count = node == NULL ? 0 : array ? json_array_get_length (array) : 1;
  if (node == NULL)
    add_shipped_rules (files);
  for (guint i = 0; i < count; i++)
    {
      JsonNode *item = array ? json_array_get_element (array, i) : node;
      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error (error, CONFIG_ERROR, 0, "rules must be a file name or a list of file names");
          return FALSE;
        }
      const char *name = json_node_get_string (item);
      if (g_str_equal (name, "shipped"))
        add_shipped_rules (files);
      else
        g_ptr_array_add (files, g_strdup (name));
    }
  g_ptr_array_add (files, NULL);
  config->rule_files = (GStrv) g_ptr_array_free (g_steal_pointer (&files), FALSE);
  return TRUE;
}

static OobConfig *
config_from (JsonNode *root, const char *file, GError **error)
{
  g_autoptr (OobConfig) config = g_new0 (OobConfig, 1);
  config->database = g_strdup (OOB_DEFAULT_DATABASE);
  config->max_message_size = OOB_DEFAULT_MAX_SIZE;
  config->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
  config->dedupe_window = DEFAULT_DEDUPE_WINDOW;
  config->root = root;
  config->path = g_strdup (file);

  const char *name = file ? file : "defaults";
  JsonObject *object = json_node_get_object (root);
  g_autoptr (GList) members = json_object_get_members (object);
  for (GList *m = members; m; m = m->next)
    if (!g_strv_contains (top_level_keys, m->data))
      {
        g_set_error (error, CONFIG_ERROR, 0, "%s: unknown key '%s'", name, (const char *) m->data);
        return NULL;
      }
  static const char *const tables[] = { "policy", "verp", "attribution", "relay", NULL };
  for (const char *const *t = tables; *t; t++)
    {
      JsonNode *node = json_object_get_member (object, *t);
      if (node && !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CONFIG_ERROR, 0, "%s: %s must be a table", name, *t);
          return NULL;
        }
    }
  gint64 timeout = config->busy_timeout_ms;
  if (!get_string (object, "database", &config->database, error) ||
      !oob_config_size (object, "max_message_size", &config->max_message_size, error) ||
      !get_scaled (object, "busy_timeout_ms", (const char *const[][2]) { { NULL, NULL } }, &timeout, error) ||
      !oob_config_duration (object, "dedupe_window", &config->dedupe_window, error) ||
      !get_string (object, "rewrite", &config->rewrite_file, error) ||
      !get_string (object, "listener_domains", &config->listener_domains_file, error) ||
      !get_string (object, "event_log", &config->event_log, error) ||
      !read_rule_files (object, config, error))
    {
      if (error && *error)
        g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  config->busy_timeout_ms = (int) MIN (timeout, G_MAXINT);
  return g_steal_pointer (&config);
}

OobConfig *
oob_config_load (const char *path, GError **error)
{
  const char *file = path ? path : OOB_DEFAULT_CONFIG;
  if (path == NULL && !g_file_test (file, G_FILE_TEST_EXISTS))
    return oob_config_load_defaults ();
  JsonNode *root = oob_toml_parse_file (file, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      g_set_error (error, CONFIG_ERROR, 0, "%s: not a table", file);
      return NULL;
    }
  return config_from (root, file, error);
}

OobConfig *
oob_config_load_defaults (void)
{
  g_autoptr (JsonObject) empty = json_object_new ();
  JsonNode *root = json_node_init_object (json_node_alloc (), empty);
  OobConfig *config = config_from (root, NULL, NULL);
  g_assert (config != NULL);
  return config;
}
