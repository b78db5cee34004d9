/* policy.c - handling policy: bounce class (+ recipient domain) -> action.
 *
 * Owns the documented defaults, reading the [policy] table (see policy.h
 * and rules/README.md), per-recipient-domain overrides, and the decision
 * for one recipient.  A domain layer starts as a copy of the global one and
 * applies its own keys on top.  Feedback reports are decided by their
 * feedback type: a report that the mail was not spam, or about an
 * authentication failure (often a forgery sent to someone we never wrote
 * to), suppresses nobody by default.
 */
#include "config.h"

#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "pattern.h"

G_DEFINE_QUARK (oob-policy-error-quark, oob_policy_error)

static const char *const actions[] = { "suppress", "soft", "complaint", "ignore", NULL };

static const struct {
  const char *class_name;
  const char *action;
} default_actions[] = {
  { "InvalidRecipient", "suppress" }, { "BadDomain", "suppress" },
  { "InactiveMailbox", "suppress" },
  { "QuotaIssues", "soft" }, { "TransientFailure", "soft" }, { "MessageExpired", "soft" },
  { "NoAnswerFromHost", "soft" }, { "BadConnection", "soft" }, { "DNSFailure", "soft" },
  { "RoutingErrors", "soft" },
  /* list-unsubscribe requests arriving as bounces: stop mailing */
  { "Unsubscribe", "complaint" },
  /* everything else (spam, policy, content, authentication, configuration,
   * relaying, protocol, auto-replies, Uncategorized): the "default" key */
};

/* Feedback types whose default is not the feedback "default" (complaint). */
static const struct {
  const char *feedback_type;
  const char *action;
} default_feedback_actions[] = {
  /* RFC 6430: the recipient says our mail is not spam */
  { "not-spam", "ignore" },
  /* RFC 6591: a DMARC/DKIM/SPF failure of mail claiming to be ours; its
   * addressee may never have heard from us */
  { "auth-failure", "ignore" },
};

typedef struct {
  GHashTable *classes;      /* class -> interned action */
  const char *fallback;     /* "default" */
  const char *temporary;
  GHashTable *feedback;     /* lower-case feedback type -> interned action */
  const char *feedback_fallback; /* feedback "default": other types, or none */
  guint soft_threshold;
  gint64 soft_window;
  gint64 expire_suppress;
  gint64 expire_soft;
  gint64 expire_complaint;
} Layer;

struct OobPolicy {
  Layer global;
  GHashTable *domains;      /* lower-case domain -> Layer* */
};

static void
layer_clear (Layer *l)
{
  g_clear_pointer (&l->classes, g_hash_table_unref);
  g_clear_pointer (&l->feedback, g_hash_table_unref);
}

static void
layer_free (Layer *l)
{
  layer_clear (l);
  g_free (l);
}

void
oob_policy_free (OobPolicy *policy)
{
  if (!policy)
    return;
  layer_clear (&policy->global);
  g_hash_table_unref (policy->domains);
  g_free (policy);
}

gboolean
oob_parse_duration (const char *text, gint64 *seconds)
{
  if (!text || !g_ascii_isdigit (*text))
    return FALSE;
  char *end;
  guint64 n = g_ascii_strtoull (text, &end, 10);
  gint64 unit;
  switch (*end)
    {
    case '\0': case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return FALSE;
    }
  if (*end && end[1])
    return FALSE;
  if (n > (guint64) (G_MAXINT64 / unit))
    return FALSE;
  *seconds = (gint64) n * unit;
  return TRUE;
}

/* An interned action name, or NULL. */
static const char *
action_name (JsonNode *node)
{
  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  const char *s = json_node_get_string (node);
  for (guint i = 0; actions[i]; i++)
    if (strcmp (s, actions[i]) == 0)
      return actions[i];
  return NULL;
}

static gboolean
read_duration (JsonNode *node, gboolean allow_never, const char *where, gint64 *out,
               GError **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      if (allow_never && strcmp (s, "never") == 0)
        {
          *out = 0;
          return TRUE;
        }
      if (oob_parse_duration (s, out))
        return TRUE;
    }
  g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
               "%s: expected a duration such as \"7d\", \"12h\" or seconds%s", where,
               allow_never ? ", or \"never\"" : "");
  return FALSE;
}

static gboolean
apply_expire (Layer *layer, JsonNode *node, const char *where, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID, "%s: must be a table", where);
      return FALSE;
    }
  JsonObject *obj = json_node_get_object (node);
  g_autoptr (GList) keys = json_object_get_members (obj);
  for (GList *k = keys; k; k = k->next)
    {
      g_autofree char *at = g_strdup_printf ("%s.%s", where, (char *) k->data);
      gint64 *slot = strcmp (k->data, "suppress") == 0 ? &layer->expire_suppress
                   : strcmp (k->data, "soft") == 0 ? &layer->expire_soft
                   : strcmp (k->data, "complaint") == 0 ? &layer->expire_complaint
                   : NULL;
      if (!slot)
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                       "%s: unknown key (known: suppress, soft, complaint)", at);
          return FALSE;
        }
      if (!read_duration (json_object_get_member (obj, k->data), TRUE, at, slot, error))
        return FALSE;
    }
  return TRUE;
}

/* A feedback type as a Feedback-Type field carries it (arf.c reads the
 * same token), and a TOML key that needs no quotes. */
static OobPattern re_feedback_type = OOB_PATTERN ("^[A-Za-z0-9][A-Za-z0-9_.-]*\\z", 0);
static OobPattern re_bare_key = OOB_PATTERN ("^[A-Za-z0-9_-]+\\z", 0);

static char *
key_path (const char *where, const char *key)
{
  return oob_pattern_match (&re_bare_key, key, NULL) ? g_strdup_printf ("%s.%s", where, key)
                                                     : g_strdup_printf ("%s.\"%s\"", where, key);
}

/* The feedback key: one action for every feedback type, or a table of
 * feedback types (and "default") laid over the inherited one. */
static gboolean
apply_feedback (Layer *layer, JsonNode *node, const char *where, const char *action,
                GError **error)
{
  if (action)
    {
      g_hash_table_remove_all (layer->feedback);
      layer->feedback_fallback = action;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                   "%s: expected an action (suppress, soft, complaint, ignore) or a table of "
                   "feedback types", where);
      return FALSE;
    }
  JsonObject *obj = json_node_get_object (node);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GList) keys = json_object_get_members (obj);
  for (GList *k = keys; k; k = k->next)
    {
      const char *key = k->data;
      g_autofree char *at = key_path (where, key);
      if (!oob_pattern_match (&re_feedback_type, key, NULL))
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                       "%s: not a feedback type (a letter or digit, then letters, digits, "
                       "'-', '_' or '.')", at);
          return FALSE;
        }
      g_autofree char *type = g_ascii_strdown (key, -1);
      const char *twin = g_hash_table_lookup (seen, type);
      if (twin)
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                       "%s: the same feedback type as %s (case does not matter)", at, twin);
          return FALSE;
        }
      g_hash_table_insert (seen, g_strdup (type), g_strdup (key));
      const char *value = action_name (json_object_get_member (obj, key));
      if (!value)
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                       "%s: expected an action (suppress, soft, complaint, ignore)", at);
          return FALSE;
        }
      if (strcmp (type, "default") == 0)
        layer->feedback_fallback = value;
      else
        g_hash_table_insert (layer->feedback, g_steal_pointer (&type), (gpointer) value);
    }
  return TRUE;
}

/* Apply the keys of one policy table onto @layer. */
static gboolean
apply_table (Layer *layer, JsonObject *table, const char *where, gboolean allow_domains,
             GError **error)
{
  g_autoptr (GList) keys = json_object_get_members (table);
  for (GList *k = keys; k; k = k->next)
    {
      const char *key = k->data;
      JsonNode *node = json_object_get_member (table, key);
      g_autofree char *at = g_strdup_printf ("%s.%s", where, key);
      if (strcmp (key, "domains") == 0 && allow_domains)
        continue;
      if (strcmp (key, "expire") == 0)
        {
          if (!apply_expire (layer, node, at, error))
            return FALSE;
          continue;
        }
      if (strcmp (key, "soft_threshold") == 0)
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
              json_node_get_int (node) < 1 || json_node_get_int (node) > G_MAXUINT)
            {
              g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                           "%s: must be a positive integer", at);
              return FALSE;
            }
          layer->soft_threshold = (guint) json_node_get_int (node);
          continue;
        }
      if (strcmp (key, "soft_window") == 0)
        {
          if (!read_duration (node, FALSE, at, &layer->soft_window, error))
            return FALSE;
          continue;
        }
      const char *action = action_name (node);
      if (strcmp (key, "feedback") == 0)
        {
          if (!apply_feedback (layer, node, at, action, error))
            return FALSE;
          continue;
        }
      if (!action)
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                       "%s: expected an action (suppress, soft, complaint, ignore)", at);
          return FALSE;
        }
      if (strcmp (key, "default") == 0)
        layer->fallback = action;
      else if (strcmp (key, "temporary") == 0)
        layer->temporary = action;
      else
        g_hash_table_insert (layer->classes, g_strdup (key), (gpointer) action);
    }
  return TRUE;
}

/* A copy of a table of strings -> interned actions. */
static GHashTable *
actions_copy (GHashTable *src)
{
  GHashTable *dst = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, src);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (dst, g_strdup (k), v);
  return dst;
}

static void
layer_copy (Layer *dst, const Layer *src)
{
  *dst = *src;
  dst->classes = actions_copy (src->classes);
  dst->feedback = actions_copy (src->feedback);
}

OobPolicy *
oob_policy_new (JsonObject *table, GError **error)
{
  g_autoptr (OobPolicy) policy = g_new0 (OobPolicy, 1);
  policy->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) layer_free);
  Layer *g = &policy->global;
  g->classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (default_actions); i++)
    g_hash_table_insert (g->classes, g_strdup (default_actions[i].class_name),
                         (gpointer) default_actions[i].action);
  g->fallback = "ignore";
  g->temporary = "soft";
  g->feedback = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (default_feedback_actions); i++)
    g_hash_table_insert (g->feedback, g_strdup (default_feedback_actions[i].feedback_type),
                         (gpointer) default_feedback_actions[i].action);
  g->feedback_fallback = "complaint";
  g->soft_threshold = 3;
  g->soft_window = 7 * 86400;
  g->expire_suppress = 0;
  g->expire_soft = 30 * 86400;
  g->expire_complaint = 0;
  if (!table)
    return g_steal_pointer (&policy);

  if (!apply_table (g, table, "policy", TRUE, error))
    return NULL;
  JsonNode *domains = json_object_get_member (table, "domains");
  if (!domains)
    return g_steal_pointer (&policy);
  if (!JSON_NODE_HOLDS_OBJECT (domains))
    {
      g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID,
                   "policy.domains: must be a table of domain tables");
      return NULL;
    }
  JsonObject *dobj = json_node_get_object (domains);
  g_autoptr (GList) names = json_object_get_members (dobj);
  for (GList *d = names; d; d = d->next)
    {
      JsonNode *node = json_object_get_member (dobj, d->data);
      g_autofree char *where = g_strdup_printf ("policy.domains.\"%s\"", (char *) d->data);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, OOB_POLICY_ERROR, OOB_POLICY_ERROR_INVALID, "%s: must be a table",
                       where);
          return NULL;
        }
      Layer *layer = g_new0 (Layer, 1);
      layer_copy (layer, g);
      g_hash_table_insert (policy->domains, g_ascii_strdown (d->data, -1), layer);
      if (!apply_table (layer, json_node_get_object (node), where, FALSE, error))
        return NULL;
    }
  return g_steal_pointer (&policy);
}

static const Layer *
layer_for (const OobPolicy *policy, const char *domain)
{
  if (domain && g_hash_table_size (policy->domains))
    {
      g_autofree char *lower = g_ascii_strdown (domain, -1);
      const Layer *l = g_hash_table_lookup (policy->domains, lower);
      if (l)
        return l;
    }
  return &policy->global;
}

const char *
oob_policy_class_action (const OobPolicy *policy, const char *domain, const char *class_name)
{
  const Layer *l = layer_for (policy, domain);
  const char *a = class_name ? g_hash_table_lookup (l->classes, class_name) : NULL;
  return a ? a : l->fallback;
}

const char *
oob_policy_feedback_action (const OobPolicy *policy, const char *domain,
                            const char *feedback_type)
{
  const Layer *l = layer_for (policy, domain);
  if (feedback_type && g_hash_table_size (l->feedback))
    {
      g_autofree char *lower = g_ascii_strdown (feedback_type, -1);
      const char *a = g_hash_table_lookup (l->feedback, lower);
      if (a)
        return a;
    }
  return l->feedback_fallback;
}

const char *
oob_policy_action (const OobPolicy *policy, const char *domain, OobKind kind,
                   const char *class_name, gboolean temporary)
{
  const Layer *l = layer_for (policy, domain);
  switch (kind)
    {
    case OOB_KIND_DELAY:
    case OOB_KIND_DELIVERED:
    case OOB_KIND_RELAYED:
    case OOB_KIND_EXPANDED:
      return "ignore";
    case OOB_KIND_FEEDBACK:
      return oob_policy_feedback_action (policy, domain, NULL);
    case OOB_KIND_UNKNOWN:
    case OOB_KIND_BOUNCE:
    case OOB_KIND_AUTOREPLY:
      break;
    }
  const char *a = oob_policy_class_action (policy, domain, class_name);
  if (temporary && strcmp (a, "suppress") == 0)
    return l->temporary;
  return a;
}

guint
oob_policy_soft_threshold (const OobPolicy *policy, const char *domain)
{
  return layer_for (policy, domain)->soft_threshold;
}

gint64
oob_policy_soft_window (const OobPolicy *policy, const char *domain)
{
  return layer_for (policy, domain)->soft_window;
}

gint64
oob_policy_expiry (const OobPolicy *policy, const char *domain, const char *action)
{
  const Layer *l = layer_for (policy, domain);
  if (g_strcmp0 (action, "soft") == 0)
    return l->expire_soft;
  if (g_strcmp0 (action, "complaint") == 0)
    return l->expire_complaint;
  return l->expire_suppress;
}
