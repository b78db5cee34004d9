/* verp.c - VERP return paths: the [verp] table, decoding and the signed tag.
 *
 * Owns turning a bounce address such as
 *   bounces+john=example.com+3f1c0a9e42b7.d20779.cspring@bounce.example.net
 * back into the recipient (john@example.com), the campaign and day it
 * carries, and whether its HMAC tag verifies; and the reverse (encoding).
 * docs/verp.md is the specification; keep the two in step.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mime.h"
#include "verp.h"

#define DEFAULT_PREFIX "bounces"
#define DEFAULT_DELIMITERS "+="
#define DEFAULT_TAG_LENGTH 12
#define DEFAULT_MAX_AGE_DAYS 30
#define MIN_TAG_LENGTH 8
#define MAX_TAG_LENGTH 64
#define MIN_SECRET_LENGTH 16
#define MAX_CAMPAIGN_LENGTH 64
#define MAX_UNWRAP 4
#define BATV_TAG_LENGTH 10
#define TAG_SEPARATOR '+'
#define ESCAPE_CHAR '+'

G_DEFINE_QUARK (oob-verp-error-quark, oob_verp_error)

/* ---- addresses ---------------------------------------------------------- */

/* RFC 5322 atext, with RFC 6532 UTF-8 bytes. */
static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || c >= 0x80 || strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static gboolean
is_dot_atom (const char *s)
{
  if (*s == '\0' || *s == '.')
    return FALSE;
  for (const char *p = s; *p; p++)
    {
      if (*p == '.')
        {
          if (p[1] == '.' || p[1] == '\0')
            return FALSE;
        }
      else if (!is_atext ((guchar) *p))
        return FALSE;
    }
  return TRUE;
}

static char *
unquote_local (const char *raw, gsize len)
{
  if (len < 2 || raw[0] != '"' || raw[len - 1] != '"')
    return g_strndup (raw, len);
  GString *out = g_string_sized_new (len);
  for (gsize i = 1; i + 1 < len; i++)
    {
      if (raw[i] == '\\' && i + 2 < len)
        i++;
      g_string_append_c (out, raw[i]);
    }
  return g_string_free (out, FALSE);
}

/* Lower-case A-label of a domain; NULL when it is not a host name. */
static char *
canonical_domain (const char *domain)
{
  if (domain == NULL || *domain == '\0')
    return NULL;
  g_autofree char *ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    return NULL;
  char *lower = g_ascii_strdown (ascii, -1);
  if (*lower == '.' || g_str_has_suffix (lower, ".") || strstr (lower, "..") != NULL)
    {
      g_free (lower);
      return NULL;
    }
  for (const char *p = lower; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      {
        g_free (lower);
        return NULL;
      }
  return lower;
}

gboolean
oob_address_split (const char *address, char **local, char **domain)
{
  *local = NULL;
  *domain = NULL;
  if (address == NULL)
    return FALSE;
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, address);
  if (list == NULL)
    return FALSE;
  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
      if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
        continue;
      InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX (ia);
      char *dom = mb->addr != NULL && mb->at > 0 ? canonical_domain (mb->addr + mb->at + 1) : NULL;
      if (dom != NULL)
        {
          *local = unquote_local (mb->addr, (gsize) mb->at);
          *domain = dom;
        }
      break;
    }
  return *domain != NULL;
}

char *
oob_address_join (const char *local, const char *domain)
{
  if (is_dot_atom (local))
    return g_strdup_printf ("%s@%s", local, domain);
  GString *out = g_string_new ("\"");
  for (const char *p = local; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_printf (out, "\"@%s", domain);
  return g_string_free (out, FALSE);
}

static char *
canonical_from_parts (const char *local, const char *domain)
{
  g_autofree char *lower = g_ascii_strdown (local, -1);
  return g_strdup_printf ("%s@%s", lower, domain);
}

char *
oob_address_canonical (const char *address)
{
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  if (!oob_address_split (address, &local, &domain))
    return NULL;
  return canonical_from_parts (local, domain);
}

gint64
oob_verp_today (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / (24 * 60 * 60);
}

/* ---- configuration ------------------------------------------------------ */

static void
verp_domain_clear (OobVerpDomain *d)
{
  g_clear_pointer (&d->domain, g_free);
  g_clear_pointer (&d->prefix, g_free);
  g_clear_pointer (&d->secrets, g_strfreev);
}

static void
verp_domain_free (gpointer data)
{
  OobVerpDomain *d = data;
  verp_domain_clear (d);
  g_free (d);
}

void
oob_verp_config_free (OobVerpConfig *cfg)
{
  if (cfg == NULL)
    return;
  verp_domain_clear (&cfg->defaults);
  g_free (cfg->default_domain);
  g_ptr_array_unref (cfg->domains);
  g_free (cfg);
}

static gboolean
config_error (GError **error, const char *where, const char *key, const char *what)
{
  g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_CONFIG,
               "[%s] %s: %s", where, key, what);
  return FALSE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
valid_delimiters (const char *s, GError **error, const char *where)
{
  if (strlen (s) != 2)
    return config_error (error, where, "delimiters", "must be exactly two characters");
  for (int i = 0; i < 2; i++)
    if (!is_atext ((guchar) s[i]) || g_ascii_isalnum (s[i]) || (guchar) s[i] >= 0x80)
      return config_error (error, where, "delimiters",
                           "must be punctuation allowed in a local part, like \"+=\"");
  if (s[0] == s[1])
    return config_error (error, where, "delimiters", "the two characters must differ");
  if (s[1] == ESCAPE_CHAR)
    return config_error (error, where, "delimiters",
                         "the second character cannot be '+' (it starts escapes and the tag)");
  return TRUE;
}

/* Applies the keys of one table onto d.  top is TRUE for [verp] itself. */
static gboolean
apply_table (OobVerpDomain *d, JsonObject *table, gboolean top, OobVerpConfig *cfg,
             const char *where, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (table);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (table, key);
      if (g_str_equal (key, "prefix"))
        {
          if (!node_is_string (node) || !is_dot_atom (json_node_get_string (node)))
            return config_error (error, where, key, "must be a non-empty dot-atom string");
          g_free (d->prefix);
          d->prefix = g_strdup (json_node_get_string (node));
        }
      else if (g_str_equal (key, "delimiters"))
        {
          if (!node_is_string (node))
            return config_error (error, where, key, "must be a string");
          if (!valid_delimiters (json_node_get_string (node), error, where))
            return FALSE;
          d->delimiter = json_node_get_string (node)[0];
          d->at_delimiter = json_node_get_string (node)[1];
        }
      else if (g_str_equal (key, "secrets"))
        {
          if (!JSON_NODE_HOLDS_ARRAY (node))
            return config_error (error, where, key, "must be an array of strings");
          JsonArray *array = json_node_get_array (node);
          g_autoptr (GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              if (!node_is_string (item))
                return config_error (error, where, key, "must be an array of strings");
              if (strlen (json_node_get_string (item)) < MIN_SECRET_LENGTH)
                return config_error (error, where, key,
                                     "each secret must be at least 16 characters");
              g_ptr_array_add (secrets, g_strdup (json_node_get_string (item)));
            }
          g_ptr_array_add (secrets, NULL);
          g_strfreev (d->secrets);
          d->secrets = (GStrv) g_ptr_array_steal (secrets, NULL);
        }
      else if (g_str_equal (key, "require_signature"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return config_error (error, where, key, "must be true or false");
          d->require_signature = json_node_get_boolean (node);
        }
      else if (g_str_equal (key, "tag_length"))
        {
          if (!node_is_int (node) || json_node_get_int (node) < MIN_TAG_LENGTH
              || json_node_get_int (node) > MAX_TAG_LENGTH)
            return config_error (error, where, key, "must be an integer from 8 to 64");
          d->tag_length = (guint) json_node_get_int (node);
        }
      else if (g_str_equal (key, "max_age_days"))
        {
          if (!node_is_int (node) || json_node_get_int (node) < 0
              || json_node_get_int (node) > 36500)
            return config_error (error, where, key, "must be an integer from 0 to 36500");
          d->max_age_days = (guint) json_node_get_int (node);
        }
      else if (top && g_str_equal (key, "domain"))
        {
          g_autofree char *dom = node_is_string (node)
                                 ? canonical_domain (json_node_get_string (node)) : NULL;
          if (dom == NULL)
            return config_error (error, where, key, "must be a domain name");
          g_free (cfg->default_domain);
          cfg->default_domain = g_steal_pointer (&dom);
        }
      else if (top && g_str_equal (key, "domains"))
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return config_error (error, where, key, "must be a table of listener domains");
        }
      else
        return config_error (error, where, key, "unknown key");
    }
  return TRUE;
}

static void
verp_domain_copy (OobVerpDomain *dst, const OobVerpDomain *src)
{
  *dst = *src;
  dst->domain = g_strdup (src->domain);
  dst->prefix = g_strdup (src->prefix);
  dst->secrets = g_strdupv (src->secrets);
}

OobVerpConfig *
oob_verp_config_new (JsonObject *table, GError **error)
{
  g_autoptr (OobVerpConfig) cfg = g_new0 (OobVerpConfig, 1);
  cfg->domains = g_ptr_array_new_with_free_func (verp_domain_free);
  cfg->defaults.prefix = g_strdup (DEFAULT_PREFIX);
  cfg->defaults.delimiter = DEFAULT_DELIMITERS[0];
  cfg->defaults.at_delimiter = DEFAULT_DELIMITERS[1];
  cfg->defaults.secrets = g_new0 (char *, 1);
  cfg->defaults.tag_length = DEFAULT_TAG_LENGTH;
  cfg->defaults.max_age_days = DEFAULT_MAX_AGE_DAYS;
  if (table == NULL)
    return g_steal_pointer (&cfg);

  if (!apply_table (&cfg->defaults, table, TRUE, cfg, "verp", error))
    return NULL;

  if (!json_object_has_member (table, "domains"))
    return g_steal_pointer (&cfg);
  JsonObject *domains = json_object_get_object_member (table, "domains");
  g_autoptr (GList) names = json_object_get_members (domains);
  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *where = g_strdup_printf ("verp.domains.\"%s\"", name);
      g_autofree char *dom = canonical_domain (name);
      JsonNode *node = json_object_get_member (domains, name);
      if (dom == NULL)
        {
          config_error (error, "verp.domains", name, "is not a domain name");
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          config_error (error, "verp.domains", name, "must be a table");
          return NULL;
        }
      if (oob_verp_config_lookup (cfg, dom) != &cfg->defaults)
        {
          config_error (error, "verp.domains", name, "is listed twice");
          return NULL;
        }
      OobVerpDomain *d = g_new0 (OobVerpDomain, 1);
      verp_domain_copy (d, &cfg->defaults);
      d->domain = g_steal_pointer (&dom);
      g_ptr_array_add (cfg->domains, d);
      if (!apply_table (d, json_node_get_object (node), FALSE, cfg, where, error))
        return NULL;
    }
  return g_steal_pointer (&cfg);
}

const OobVerpDomain *
oob_verp_config_lookup (const OobVerpConfig *cfg, const char *bounce_domain)
{
  if (bounce_domain != NULL)
    for (guint i = 0; i < cfg->domains->len; i++)
      {
        const OobVerpDomain *d = g_ptr_array_index (cfg->domains, i);
        if (g_ascii_strcasecmp (d->domain, bounce_domain) == 0)
          return d;
      }
  return &cfg->defaults;
}

/* ---- the tag ------------------------------------------------------------ */

char *
oob_verp_tag (const char *secret, const char *canonical_recipient,
              const char *campaign, gint64 day, guint tag_length)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret,
                                       strlen (secret));
  g_autofree char *day_text = day >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, day)
                                       : g_strdup ("");
  g_autofree char *input = g_strdup_printf ("oobverp1\n%s\n%s\n%s", canonical_recipient,
                                            day_text, campaign ? campaign : "");
  g_hmac_update (hmac, (const guchar *) input, strlen (input));
  const char *hex = g_hmac_get_string (hmac);
  return g_strndup (hex, MIN (tag_length, strlen (hex)));
}

static gboolean
tags_equal (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  if (la != lb)
    return FALSE;
  guchar diff = 0;
  for (gsize i = 0; i < la; i++)
    diff |= (guchar) (g_ascii_tolower (a[i]) ^ g_ascii_tolower (b[i]));
  return diff == 0;
}

static gboolean
valid_campaign (const char *campaign)
{
  gsize len = strlen (campaign);
  if (len == 0 || len > MAX_CAMPAIGN_LENGTH)
    return FALSE;
  for (const char *p = campaign; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* ---- escapes ------------------------------------------------------------ */

/* Characters an encoder must write as +XX: everything plain VERP cannot
 * carry literally.  Only these are decoded, so a plus-address such as
 * john+news or john+2d stays literal. */
static gboolean
needs_escape (guchar c, char at_delimiter)
{
  return c == '+' || c == '=' || c == '.' || c == (guchar) at_delimiter
         || c >= 0x80 || !is_atext (c);
}

static char *
escape_local (const char *local, char at_delimiter)
{
  GString *out = g_string_new (NULL);
  for (const char *p = local; *p; p++)
    {
      guchar c = (guchar) *p;
      gboolean literal_dot = c == '.' && p != local && p[-1] != '.';
      if (needs_escape (c, at_delimiter) && !literal_dot)
        g_string_append_printf (out, "%c%02X", ESCAPE_CHAR, c);
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}

static char *
unescape_local (const char *enc, gsize len, char at_delimiter, gboolean high_bytes)
{
  GString *out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    {
      if (enc[i] == ESCAPE_CHAR && i + 2 < len
          && g_ascii_isxdigit (enc[i + 1]) && g_ascii_isxdigit (enc[i + 2]))
        {
          guchar c = (guchar) (g_ascii_xdigit_value (enc[i + 1]) * 16
                               + g_ascii_xdigit_value (enc[i + 2]));
          if (needs_escape (c, at_delimiter) && c != 0 && (c < 0x80 || high_bytes))
            {
              g_string_append_c (out, (char) c);
              i += 2;
              continue;
            }
        }
      g_string_append_c (out, enc[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
decode_local (const char *enc, gsize len, char at_delimiter)
{
  char *local = unescape_local (enc, len, at_delimiter, TRUE);
  if (g_utf8_validate (local, -1, NULL))
    return local;
  g_free (local);
  local = unescape_local (enc, len, at_delimiter, FALSE);
  if (g_utf8_validate (local, -1, NULL))
    return local;
  char *valid = g_utf8_make_valid (local, -1);
  g_free (local);
  return valid;
}

/* ---- wrappers: BATV and SRS --------------------------------------------- */

static gboolean
all_alnum (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
has_prefix_ci (const char *s, const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* Removes one wrapper layer from local@domain in place; returns its name
 * or NULL when there is none. */
static const char *
unwrap_once (char **local, char **domain)
{
  const char *l = *local;
  gsize len = strlen (l);

  if (has_prefix_ci (l, "prvs="))
    {
      const char *rest = l + 5;
      gsize rlen = len - 5;
      /* prvs=KDDDSSSSSS=local (RFC draft-levine-smtp-batv) */
      if (rlen > BATV_TAG_LENGTH + 1 && rest[BATV_TAG_LENGTH] == '='
          && all_alnum (rest, BATV_TAG_LENGTH))
        {
          char *inner = g_strdup (rest + BATV_TAG_LENGTH + 1);
          g_free (*local);
          *local = inner;
          return "prvs";
        }
      /* prvs=local/KDDDSSSSSS, written by some older signers */
      if (rlen > BATV_TAG_LENGTH + 1 && rest[rlen - BATV_TAG_LENGTH - 1] == '/'
          && all_alnum (rest + rlen - BATV_TAG_LENGTH, BATV_TAG_LENGTH))
        {
          char *inner = g_strndup (rest, rlen - BATV_TAG_LENGTH - 1);
          g_free (*local);
          *local = inner;
          return "prvs";
        }
      return NULL;
    }
  if (has_prefix_ci (l, "btv1=="))
    {
      /* btv1==TAG==local (Barracuda) */
      const char *sep = strstr (l + 6, "==");
      if (sep == NULL || sep == l + 6 || sep[2] == '\0' || !all_alnum (l + 6, (gsize) (sep - l - 6)))
        return NULL;
      char *inner = g_strdup (sep + 2);
      g_free (*local);
      *local = inner;
      return "btv1";
    }
  if (has_prefix_ci (l, "srs0") && len > 5 && strchr ("=+-", l[4]) != NULL)
    {
      /* SRS0=HHH=TT=domain=local@forwarder */
      g_auto (GStrv) parts = g_strsplit (l + 5, "=", 4);
      if (g_strv_length (parts) != 4 || *parts[2] == '\0' || *parts[3] == '\0')
        return NULL;
      char *dom = canonical_domain (parts[2]);
      if (dom == NULL)
        return NULL;
      g_free (*local);
      g_free (*domain);
      *local = g_strdup (parts[3]);
      *domain = dom;
      return "srs0";
    }
  if (has_prefix_ci (l, "srs1") && len > 5 && strchr ("=+-", l[4]) != NULL)
    {
      /* SRS1=HHH=first-forwarder==HHH=TT=domain=local@last-forwarder:
       * becomes SRS0=HHH=TT=domain=local@first-forwarder. */
      const char *hash_end = strchr (l + 5, '=');
      if (hash_end == NULL)
        return NULL;
      const char *fwd = hash_end + 1;
      const char *fwd_end = strchr (fwd, '=');
      if (fwd_end == NULL || fwd_end == fwd || fwd_end[1] == '\0'
          || strchr ("=+-", fwd_end[1]) == NULL || fwd_end[2] == '\0')
        return NULL;
      g_autofree char *fwd_name = g_strndup (fwd, (gsize) (fwd_end - fwd));
      char *dom = canonical_domain (fwd_name);
      if (dom == NULL)
        return NULL;
      char *inner = g_strdup_printf ("SRS0%c%s", fwd_end[1], fwd_end + 2);
      g_free (*local);
      g_free (*domain);
      *local = inner;
      *domain = dom;
      return "srs1";
    }
  return NULL;
}

/* ---- decoding ----------------------------------------------------------- */

const char *
oob_verp_status_to_string (OobVerpStatus status)
{
  switch (status)
    {
    case OOB_VERP_UNSIGNED: return "unsigned";
    case OOB_VERP_VERIFIED: return "verified";
    case OOB_VERP_BAD_SIGNATURE: return "bad-signature";
    case OOB_VERP_EXPIRED: return "expired";
    case OOB_VERP_NOT_VERP:
    default: return "not-verp";
    }
}

void
oob_verp_result_free (OobVerpResult *result)
{
  if (result == NULL)
    return;
  g_free (result->address);
  g_free (result->bounce_domain);
  g_free (result->wrappers);
  g_free (result->recipient);
  g_free (result->campaign);
  g_free (result->tag);
  g_free (result);
}

/* Parses "TAG[.dDAY][.cCAMPAIGN]" into result; FALSE when malformed. */
static gboolean
parse_extras (const char *extras, OobVerpResult *result)
{
  g_auto (GStrv) fields = g_strsplit (extras, ".", -1);
  const char *tag = fields[0];
  if (tag == NULL || *tag == '\0')
    return FALSE;
  for (const char *p = tag; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  result->tag = g_ascii_strdown (tag, -1);
  gboolean seen_day = FALSE, seen_campaign = FALSE;
  for (guint i = 1; fields[i] != NULL; i++)
    {
      const char *f = fields[i];
      char key = g_ascii_tolower (f[0]);
      if (key == 'd' && !seen_day && !seen_campaign && f[1] != '\0')
        {
          guint64 day;
          if (!g_ascii_string_to_unsigned (f + 1, 10, 0, G_MAXINT32, &day, NULL))
            return FALSE;
          result->day = (gint64) day;
          seen_day = TRUE;
        }
      else if (key == 'c' && !seen_campaign)
        {
          g_autofree char *campaign = g_ascii_strdown (f + 1, -1);
          if (!valid_campaign (campaign))
            return FALSE;
          result->campaign = g_steal_pointer (&campaign);
          seen_campaign = TRUE;
        }
      else
        return FALSE;
    }
  return TRUE;
}

static OobVerpStatus
verify (const OobVerpDomain *d, const OobVerpResult *result, const char *canonical,
        gint64 today)
{
  for (guint i = 0; d->secrets[i] != NULL; i++)
    {
      g_autofree char *expected = oob_verp_tag (d->secrets[i], canonical, result->campaign,
                                                result->day, d->tag_length);
      if (!tags_equal (expected, result->tag))
        continue;
      if (result->day >= 0 && d->max_age_days > 0
          && (today - result->day > (gint64) d->max_age_days || result->day > today + 1))
        return OOB_VERP_EXPIRED;
      return OOB_VERP_VERIFIED;
    }
  return OOB_VERP_BAD_SIGNATURE;
}

OobVerpResult *
oob_verp_decode (const OobVerpConfig *cfg, const char *address, gint64 today)
{
  OobVerpResult *result = g_new0 (OobVerpResult, 1);
  result->day = -1;
  result->status = OOB_VERP_NOT_VERP;

  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  if (!oob_address_split (address, &local, &domain))
    {
      result->require_signature = oob_verp_config_lookup (cfg, NULL)->require_signature;
      return result;
    }

  GString *wrappers = g_string_new (NULL);
  for (int i = 0; i < MAX_UNWRAP; i++)
    {
      const char *layer = unwrap_once (&local, &domain);
      if (layer == NULL)
        break;
      g_string_append_printf (wrappers, "%s%s", wrappers->len ? "," : "", layer);
    }
  result->wrappers = wrappers->len ? g_string_free (wrappers, FALSE)
                                   : (g_string_free (wrappers, TRUE), NULL);
  result->address = oob_address_join (local, domain);
  result->bounce_domain = g_strdup (domain);

  const OobVerpDomain *d = oob_verp_config_lookup (cfg, domain);
  result->require_signature = d->require_signature;

  gsize plen = strlen (d->prefix);
  if (strlen (local) <= plen + 1 || g_ascii_strncasecmp (local, d->prefix, plen) != 0
      || local[plen] != d->delimiter)
    return result;
  const char *rest = local + plen + 1;
  const char *at = strrchr (rest, d->at_delimiter);
  if (at == NULL || at == rest)
    return result;
  const char *domain_start = at + 1;
  const char *extras = strchr (domain_start, TAG_SEPARATOR);
  g_autofree char *rcpt_domain_enc = extras ? g_strndup (domain_start, (gsize) (extras - domain_start))
                                            : g_strdup (domain_start);
  g_autofree char *rcpt_domain = canonical_domain (rcpt_domain_enc);
  if (rcpt_domain == NULL)
    return result;
  g_autofree char *rcpt_local = decode_local (rest, (gsize) (at - rest), d->at_delimiter);

  result->recipient = oob_address_join (rcpt_local, rcpt_domain);
  if (extras == NULL)
    {
      result->status = OOB_VERP_UNSIGNED;
      return result;
    }
  if (!parse_extras (extras + 1, result))
    {
      result->status = OOB_VERP_BAD_SIGNATURE;
      return result;
    }
  g_autofree char *canonical = canonical_from_parts (rcpt_local, rcpt_domain);
  result->status = verify (d, result, canonical, today);
  return result;
}

/* ---- encoding ----------------------------------------------------------- */

char *
oob_verp_encode (const OobVerpConfig *cfg, const char *bounce_domain,
                 const char *recipient, const char *campaign, gint64 day,
                 GError **error)
{
  g_autofree char *listener = canonical_domain (bounce_domain ? bounce_domain
                                                              : cfg->default_domain);
  if (listener == NULL && bounce_domain == NULL)
    {
      g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE,
                   "no bounce domain: set [verp] domain or pass --domain");
      return NULL;
    }
  if (listener == NULL)
    {
      g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE,
                   "“%s” is not a domain name", bounce_domain);
      return NULL;
    }
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  if (!oob_address_split (recipient, &local, &domain) || *local == '\0')
    {
      g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE,
                   "“%s” is not an email address", recipient);
      return NULL;
    }
  const OobVerpDomain *d = oob_verp_config_lookup (cfg, listener);
  g_autofree char *campaign_lower = campaign ? g_ascii_strdown (campaign, -1) : NULL;
  if (campaign_lower != NULL && !valid_campaign (campaign_lower))
    {
      g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE,
                   "campaign “%s” must be 1 to 64 letters, digits, '_' or '-'", campaign);
      return NULL;
    }
  if (d->secrets[0] == NULL && (campaign_lower != NULL || day >= 0))
    {
      g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE,
                   "a campaign or day travels only in a signed tag, and %s has no secrets",
                   listener);
      return NULL;
    }

  g_autofree char *enc = escape_local (local, d->at_delimiter);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%s%c%s%c%s", d->prefix, d->delimiter, enc,
                          d->at_delimiter, domain);
  if (d->secrets[0] != NULL)
    {
      g_autofree char *canonical = canonical_from_parts (local, domain);
      g_autofree char *tag = oob_verp_tag (d->secrets[0], canonical, campaign_lower, day,
                                           d->tag_length);
      g_string_append_printf (out, "%c%s", TAG_SEPARATOR, tag);
      if (day >= 0)
        g_string_append_printf (out, ".d%" G_GINT64_FORMAT, day);
      if (campaign_lower != NULL)
        g_string_append_printf (out, ".c%s", campaign_lower);
    }
  g_string_append_printf (out, "@%s", listener);
  return g_string_free (out, FALSE);
}
