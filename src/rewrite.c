/* rewrite.c - status rewrite map: regex on the response line -> SMTP code.
 *
 * Owns reading the rewrite JSON file (simple KumoMTA form or the extended
 * scoped form, see rewrite.h), compiling its patterns with pcre2 up front
 * (the file is small), and producing the rewritten line.
 */
#include "config.h"

#include "rewrite.h"
#include "rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

G_DEFINE_QUARK (oob-rewrite-error-quark, oob_rewrite_error)

#define OOB_REWRITE_MATCH_LIMIT 100000
#define OOB_REWRITE_DEPTH_LIMIT 2000

typedef struct {
  char *pattern;
  char *location;     /* "file:line" */
  pcre2_code *code;
  int smtp_code;
  GStrv domains;      /* NULL = any */
  GStrv tenants;
  GStrv campaigns;
} RewriteEntry;

struct OobRewrite {
  GPtrArray *entries;
  pcre2_match_context *match_context;
  pcre2_match_data *match_data;
};

static void
rewrite_entry_free (RewriteEntry *e)
{
  g_free (e->pattern);
  g_free (e->location);
  if (e->code)
    pcre2_code_free (e->code);
  g_strfreev (e->domains);
  g_strfreev (e->tenants);
  g_strfreev (e->campaigns);
  g_free (e);
}

void
oob_rewrite_free (OobRewrite *rewrite)
{
  if (!rewrite)
    return;
  g_ptr_array_unref (rewrite->entries);
  pcre2_match_context_free (rewrite->match_context);
  pcre2_match_data_free (rewrite->match_data);
  g_free (rewrite);
}

guint
oob_rewrite_count (const OobRewrite *rewrite)
{
  return rewrite->entries->len;
}

/* Lines of members/elements, recorded while json-glib parses. */
static void
on_member (JsonParser *parser, JsonObject *object, const char *name, gpointer lines)
{
  g_hash_table_insert (lines, json_object_get_member (object, name),
                       GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static void
on_element (JsonParser *parser, JsonArray *array, int index, gpointer lines)
{
  g_hash_table_insert (lines, json_array_get_element (array, index),
                       GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static gboolean
add_entry (OobRewrite *rw, const char *location, const char *pattern, JsonNode *code_node,
           GError **error)
{
  if (!code_node || !JSON_NODE_HOLDS_VALUE (code_node) ||
      json_node_get_value_type (code_node) != G_TYPE_INT64 ||
      json_node_get_int (code_node) < 200 || json_node_get_int (code_node) > 599)
    {
      g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT,
                   "%s: the code must be an SMTP reply code (200-599)", location);
      return FALSE;
    }
  int err;
  PCRE2_SIZE offset;
  pcre2_code *code = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
                                    PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY |
                                      PCRE2_MATCH_INVALID_UTF,
                                    &err, &offset, NULL);
  if (!code)
    {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message (err, msg, sizeof msg);
      g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_REGEX,
                   "%s: bad regex at offset %zu: %s", location, (size_t) offset, (char *) msg);
      return FALSE;
    }
  RewriteEntry *e = g_new0 (RewriteEntry, 1);
  e->pattern = g_strdup (pattern);
  e->location = g_strdup (location);
  e->code = code;
  e->smtp_code = (int) json_node_get_int (code_node);
  g_ptr_array_add (rw->entries, e);
  return TRUE;
}

/* A scope value: a string or an array of strings. */
static gboolean
read_scope (JsonObject *obj, const char *key, const char *location, GStrv *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  if (!node)
    return TRUE;
  g_autoptr (GPtrArray) b = g_ptr_array_new_with_free_func (g_free);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_ptr_array_add (b, g_strdup (json_node_get_string (node)));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *el = json_array_get_element (a, i);
          if (!JSON_NODE_HOLDS_VALUE (el) || json_node_get_value_type (el) != G_TYPE_STRING)
            goto bad;
          g_ptr_array_add (b, g_strdup (json_node_get_string (el)));
        }
    }
  else
    goto bad;
  g_ptr_array_add (b, NULL);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&b), FALSE);
  return TRUE;
bad:
  g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT,
               "%s: \"%s\" must be a string or an array of strings", location, key);
  return FALSE;
}

static gboolean
load_extended (OobRewrite *rw, const char *filename, JsonArray *list, GHashTable *lines,
               GError **error)
{
  static const char *const known[] = { "match", "code", "domain", "tenant", "campaign", NULL };
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autofree char *location = g_strdup_printf (
        "%s:%u", filename, GPOINTER_TO_UINT (g_hash_table_lookup (lines, node)));
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *match = obj ? json_object_get_member (obj, "match") : NULL;
      const char *pattern = match && JSON_NODE_HOLDS_VALUE (match) &&
                                json_node_get_value_type (match) == G_TYPE_STRING
                              ? json_node_get_string (match) : NULL;
      if (!pattern)
        {
          g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT,
                       "%s: each rewrite needs a \"match\" string and a \"code\"", location);
          return FALSE;
        }
      g_autoptr (GList) members = json_object_get_members (obj);
      for (GList *l = members; l; l = l->next)
        if (!g_strv_contains (known, l->data))
          {
            g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT,
                         "%s: unknown key \"%s\" (known: match, code, domain, tenant, campaign)",
                         location, (char *) l->data);
            return FALSE;
          }
      if (!add_entry (rw, location, pattern, json_object_get_member (obj, "code"), error))
        return FALSE;
      RewriteEntry *e = rw->entries->pdata[rw->entries->len - 1];
      if (!read_scope (obj, "domain", location, &e->domains, error) ||
          !read_scope (obj, "tenant", location, &e->tenants, error) ||
          !read_scope (obj, "campaign", location, &e->campaigns, error))
        return FALSE;
    }
  return TRUE;
}

OobRewrite *
oob_rewrite_load_data (const char *text, gssize len, const char *filename, GError **error)
{
  g_autoptr (GHashTable) lines = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (on_member), lines);
  g_signal_connect (parser, "array-element", G_CALLBACK (on_element), lines);
  g_autoptr (GError) json_error = NULL;
  if (!json_parser_load_from_data (parser, text, len, &json_error))
    {
      g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT, "%s:%s", filename,
                   json_error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OOB_REWRITE_ERROR, OOB_REWRITE_ERROR_FORMAT,
                   "%s: a rewrite file is a JSON object", filename);
      return NULL;
    }
  g_autoptr (OobRewrite) rw = g_new0 (OobRewrite, 1);
  rw->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rewrite_entry_free);
  rw->match_context = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (rw->match_context, OOB_REWRITE_MATCH_LIMIT);
  pcre2_set_depth_limit (rw->match_context, OOB_REWRITE_DEPTH_LIMIT);
  rw->match_data = pcre2_match_data_create (1, NULL);

  JsonObject *top = json_node_get_object (root);
  JsonNode *list = json_object_get_member (top, "rewrites");
  if (list && JSON_NODE_HOLDS_ARRAY (list) && json_object_get_size (top) == 1)
    {
      if (!load_extended (rw, filename, json_node_get_array (list), lines, error))
        return NULL;
      return g_steal_pointer (&rw);
    }

  g_autoptr (GList) members = json_object_get_members (top);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *code = json_object_get_member (top, l->data);
      g_autofree char *location = g_strdup_printf (
        "%s:%u", filename, GPOINTER_TO_UINT (g_hash_table_lookup (lines, code)));
      if (!add_entry (rw, location, l->data, code, error))
        return NULL;
    }
  return g_steal_pointer (&rw);
}

OobRewrite *
oob_rewrite_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return oob_rewrite_load_data (text, len, path, error);
}

static gboolean
scope_fits (GStrv allowed, const char *value, gboolean caseless)
{
  if (!allowed)
    return TRUE;
  if (!value)
    return FALSE;
  for (guint i = 0; allowed[i]; i++)
    if (caseless ? g_ascii_strcasecmp (allowed[i], value) == 0 : strcmp (allowed[i], value) == 0)
      return TRUE;
  return FALSE;
}

char *
oob_rewrite_apply (OobRewrite *rewrite, const char *line, const char *domain,
                   const char *tenant, const char *campaign, int *new_code)
{
  g_return_val_if_fail (rewrite != NULL && line != NULL, NULL);
  for (guint i = 0; i < rewrite->entries->len; i++)
    {
      RewriteEntry *e = rewrite->entries->pdata[i];
      if (!scope_fits (e->domains, domain, TRUE) || !scope_fits (e->tenants, tenant, FALSE) ||
          !scope_fits (e->campaigns, campaign, FALSE))
        continue;
      int rc = pcre2_match (e->code, (PCRE2_SPTR) line, strlen (line), 0, 0, rewrite->match_data,
                            rewrite->match_context);
      if (rc == PCRE2_ERROR_NOMATCH)
        continue;
      if (rc < 0)
        {
          PCRE2_UCHAR msg[256];
          pcre2_get_error_message (rc, msg, sizeof msg);
          g_warning ("rewrite %s skipped: %s", e->location, (char *) msg);
          continue;
        }
      int old_code = oob_response_line_code (line);
      if (old_code == e->smtp_code)
        return NULL;
      if (new_code)
        *new_code = e->smtp_code;
      if (old_code == 0)
        return g_strdup_printf ("%d %s (oobproc: status was rewritten from none -> %d)",
                                e->smtp_code, line, e->smtp_code);
      const char *rest = line[3] ? line + 4 : "";
      gsize n = strlen (rest);
      return g_strdup_printf ("%d %s%s(oobproc: status was rewritten from %d -> %d)",
                              e->smtp_code, rest, n && rest[n - 1] != ' ' ? " " : "", old_code,
                              e->smtp_code);
    }
  return NULL;
}
