/* rules.c - bounce classification rules in KumoMTA's file format.
 *
 * Owns loading rule files (TOML or JSON, one [rules] table: class name ->
 * array of regexes), merging them in precedence order, compiling each
 * pattern with pcre2 when first needed (so a one-message process only pays
 * for the rules it tries), matching under bounded work (match, depth and
 * heap limits), and building the single response line the rules see.
 */
#include "config.h"

#include "rules.h"
#include "rule_prefilter.h"
#include "toml.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <json-glib/json-glib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <pcre2.h>
#include <string.h>

G_DEFINE_QUARK (oob-rules-error-quark, oob_rules_error)

/* Bounds on one match: a pathological pattern/line pair gives up instead of
 * hanging the pipe.  Generous for every sane rule on a 4 KB line. */
#define OOB_RULES_MATCH_LIMIT 100000
#define OOB_RULES_DEPTH_LIMIT 2000
#define OOB_RULES_HEAP_LIMIT_KIB 4096
#define OOB_RESPONSE_CONTENT_MAX 4000
#define RULE_COMPILE_FLAGS \
  (PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF)
/* rule_prefilter.c reads patterns as written: no compile flag may change
 * what a character of a pattern means. */
G_STATIC_ASSERT ((RULE_COMPILE_FLAGS & (PCRE2_CASELESS | PCRE2_EXTENDED | PCRE2_EXTENDED_MORE |
                                        PCRE2_LITERAL | PCRE2_ALT_BSUX)) == 0);

const char *const oob_kumo_classes[] = {
  "InvalidRecipient", "DNSFailure", "SpamBlock", "SpamContent",
  "ProhibitedAttachment", "RelayDenied", "AutoReply", "TransientFailure",
  "Subscribe", "Unsubscribe", "ChallengeResponse", "BadConfiguration",
  "BadConnection", "BadDomain", "ContentRelated", "InactiveMailbox",
  "InvalidSender", "MessageExpired", "NoAnswerFromHost", "PolicyRelated",
  "ProtocolErrors", "QuotaIssues", "RelayingIssues", "RoutingErrors",
  "SpamRelated", "VirusRelated", "AuthenticationFailed", "TooManyRecipients",
  "Uncategorized", NULL,
};

gboolean
oob_class_is_builtin (const char *class_name)
{
  return class_name && g_strv_contains ((const char *const *) oob_kumo_classes, class_name);
}

typedef struct {
  OobRule pub;          /* strings below are owned here */
  char *class_name;
  char *pattern;
  char *file;
  char *location;
  pcre2_code *code;     /* NULL until first needed */
  char *compile_error;  /* set when compiling failed */
  gboolean jit;
  guint runs;           /* pcre2 matches run so far */
  OobRulePrefilter prefilter; /* read when first needed */
  gboolean prefilter_read;
} RuleEntry;

struct OobRules {
  GPtrArray *entries;   /* RuleEntry* */
  pcre2_match_context *match_context;
  pcre2_match_data *match_data;
  gboolean jit;
  /* The last line matched and its winner: a notice that gives many
   * recipients one reason asks again for each, and every answer costs the
   * rules' searches of the whole line. */
  char *last_line;
  const OobRule *last_winner;
  gboolean warned;      /* a rule was skipped for the line being matched */
};

static void
rule_entry_free (RuleEntry *e)
{
  g_free (e->class_name);
  g_free (e->pattern);
  g_free (e->file);
  g_free (e->location);
  g_free (e->compile_error);
  if (e->code)
    pcre2_code_free (e->code);
  oob_rule_prefilter_clear (&e->prefilter);
  g_free (e);
}

void
oob_rules_free (OobRules *rules)
{
  if (!rules)
    return;
  g_ptr_array_unref (rules->entries);
  g_free (rules->last_line);
  pcre2_match_context_free (rules->match_context);
  pcre2_match_data_free (rules->match_data);
  g_free (rules);
}

/* ---- loading ---------------------------------------------------------- */

static OobRules *rules_new (void);

static void
add_rule (OobRules *rules, const char *file, guint line, const char *class_name,
          const char *pattern)
{
  RuleEntry *e = g_new0 (RuleEntry, 1);
  e->class_name = g_strdup (class_name);
  e->pattern = g_strdup (pattern);
  e->file = g_strdup (file);
  e->location = g_strdup_printf ("%s:%u", file, line);
  e->pub.class_name = e->class_name;
  e->pub.pattern = e->pattern;
  e->pub.file = e->file;
  e->pub.location = e->location;
  e->pub.line = line;
  e->pub.index = rules->entries->len;
  g_ptr_array_add (rules->entries, e);
}

/* Walk the [rules] table of one parsed file. */
static gboolean
add_rules_from_tree (OobRules *rules, const char *file, JsonNode *root,
                     GHashTable *value_lines, GError **error)
{
  JsonObject *top = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *table = top ? json_object_get_member (top, "rules") : NULL;
  if (!table || !JSON_NODE_HOLDS_OBJECT (table))
    {
      g_set_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_FORMAT,
                   "%s: no [rules] table (a rules file maps class names to arrays of regexes)", file);
      return FALSE;
    }
  JsonObject *classes = json_node_get_object (table);
  g_autoptr (GList) names = json_object_get_members (classes);

  /* Document order: members as written, each array in order.  TOML keeps
   * insertion order; so does json-glib's JsonObject. */
  typedef struct { guint line; const char *class_name; const char *pattern; } Pending;
  g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  for (GList *l = names; l; l = l->next)
    {
      const char *class_name = l->data;
      JsonNode *value = json_object_get_member (classes, class_name);
      guint value_line = GPOINTER_TO_UINT (g_hash_table_lookup (value_lines, value));
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          g_set_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_FORMAT,
                       "%s:%u: rules.%s must be an array of regular expressions", file,
                       value_line, class_name);
          return FALSE;
        }
      JsonArray *array = json_node_get_array (value);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *elem = json_array_get_element (array, i);
          guint line = GPOINTER_TO_UINT (g_hash_table_lookup (value_lines, elem));
          if (!line)
            line = value_line;
          if (!JSON_NODE_HOLDS_VALUE (elem) || json_node_get_value_type (elem) != G_TYPE_STRING)
            {
              g_set_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_FORMAT,
                           "%s:%u: rules.%s[%u] is not a string", file, line, class_name, i);
              return FALSE;
            }
          Pending p = { line, class_name, json_node_get_string (elem) };
          g_array_append_val (pending, p);
        }
    }
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      add_rule (rules, file, p->line, p->class_name, p->pattern);
    }
  return TRUE;
}

typedef struct {
  JsonParser *parser;
  GHashTable *value_lines;
} JsonLineTracker;

/* json-glib emits this after each array element is parsed: the parser is
 * then on the element's last line, which for a one-line string is its line. */
static void
on_json_array_element (JsonParser *parser, JsonArray *array, int index, gpointer data)
{
  JsonLineTracker *t = data;
  g_hash_table_insert (t->value_lines, json_array_get_element (array, index),
                       GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

/* json-glib says "<data>:LINE:COL: ..."; keep "LINE:COL: ...". */
static const char *
json_error_position (const char *message)
{
  return g_str_has_prefix (message, "<data>:") ? message + strlen ("<data>:") : message;
}

static JsonNode *
parse_json_rules (const char *file, const char *text, gsize len, GHashTable *value_lines,
                  GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonLineTracker tracker = { parser, value_lines };
  g_signal_connect (parser, "array-element", G_CALLBACK (on_json_array_element), &tracker);
  g_autoptr (GError) json_error = NULL;
  if (!json_parser_load_from_data (parser, text, len, &json_error))
    {
      g_set_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_FORMAT, "%s:%s", file,
                   json_error_position (json_error->message));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
load_file (OobRules *rules, const char *file, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (file, &text, &len, error))
    return FALSE;
  g_autoptr (GHashTable) value_lines = g_hash_table_new (g_direct_hash, g_direct_equal);

  const char *first = text;
  while (first < text + len && g_ascii_isspace (*first))
    first++;
  gboolean is_json = g_str_has_suffix (file, ".json") || (first < text + len && *first == '{');

  g_autoptr (JsonNode) root = NULL;
  if (is_json)
    root = parse_json_rules (file, text, len, value_lines, error);
  else
    root = oob_toml_parse_with_lines (text, len, file, value_lines, error);
  if (!root)
    return FALSE;
  return add_rules_from_tree (rules, file, root, value_lines, error);
}

OobRules *
oob_rules_load (const char *const *files, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!files || !files[0])
    {
      g_set_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_NO_FILES, "no rule files given");
      return NULL;
    }
  g_autoptr (OobRules) rules = rules_new ();
  for (guint i = 0; files[i]; i++)
    if (!load_file (rules, files[i], error))
      return NULL;
  return g_steal_pointer (&rules);
}

/* ---- compiled-pattern cache ------------------------------------------ */

#define CACHE_MAGIC "oobproc rules cache 1\n"

/* What the cache must match: pcre2 version, compile flags, and each file's
 * identity. */
static char *
cache_key (const char *const *files, GError **error)
{
  char version[64] = "";
  pcre2_config (PCRE2_CONFIG_VERSION, version);
  GString *key = g_string_new (NULL);
  g_string_append_printf (key, "pcre2 %s flags %u\n", version, (unsigned) RULE_COMPILE_FLAGS);
  for (guint i = 0; files[i]; i++)
    {
      GStatBuf st;
      if (g_stat (files[i], &st) != 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", files[i],
                       g_strerror (saved));
          g_string_free (key, TRUE);
          return NULL;
        }
      g_string_append_printf (key, "%s %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GUINT64_FORMAT "\n",
                              files[i], (guint64) st.st_size, (gint64) st.st_mtim.tv_sec,
                              (long) st.st_mtim.tv_nsec, (guint64) st.st_ino);
    }
  return g_string_free (key, FALSE);
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  g_byte_array_append (out, (const guint8 *) &v, sizeof v);
}

static void
put_str (GByteArray *out, const char *s)
{
  put_u32 (out, strlen (s));
  g_byte_array_append (out, (const guint8 *) s, strlen (s));
}

typedef struct {
  const guint8 *p, *end;
} Reader;

static gboolean
get_u32 (Reader *r, guint32 *v)
{
  if ((gsize) (r->end - r->p) < sizeof *v)
    return FALSE;
  memcpy (v, r->p, sizeof *v);
  r->p += sizeof *v;
  return TRUE;
}

static char *
get_str (Reader *r)
{
  guint32 n;
  if (!get_u32 (r, &n) || (gsize) (r->end - r->p) < n)
    return NULL;
  char *s = g_strndup ((const char *) r->p, n);
  r->p += n;
  return s;
}

static OobRules *
rules_new (void)
{
  OobRules *rules = g_new0 (OobRules, 1);
  rules->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_entry_free);
  rules->match_context = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (rules->match_context, OOB_RULES_MATCH_LIMIT);
  pcre2_set_depth_limit (rules->match_context, OOB_RULES_DEPTH_LIMIT);
  pcre2_set_heap_limit (rules->match_context, OOB_RULES_HEAP_LIMIT_KIB);
  rules->match_data = pcre2_match_data_create (1, NULL);
  return rules;
}

/* The rules from a valid cache, or NULL (missing, stale or damaged). */
static OobRules *
read_cache (const char *cache_path, const char *key)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (cache_path, &data, &len, NULL))
    return NULL;
  Reader r = { (const guint8 *) data, (const guint8 *) data + len };
  gsize magic_len = strlen (CACHE_MAGIC);
  if (len < magic_len || memcmp (data, CACHE_MAGIC, magic_len) != 0)
    return NULL;
  r.p += magic_len;
  g_autofree char *cached_key = get_str (&r);
  guint32 n;
  if (!cached_key || strcmp (cached_key, key) != 0 || !get_u32 (&r, &n) || n == 0)
    return NULL;
  g_autoptr (OobRules) rules = rules_new ();
  for (guint32 i = 0; i < n; i++)
    {
      g_autofree char *class_name = get_str (&r);
      g_autofree char *pattern = get_str (&r);
      g_autofree char *file = get_str (&r);
      guint32 line;
      if (!class_name || !pattern || !file || !get_u32 (&r, &line))
        return NULL;
      add_rule (rules, file, line, class_name, pattern);
    }
  /* the rest is pcre2's own serialization, which checks its header */
  if (r.end - r.p < 16)
    return NULL;
  g_autofree pcre2_code **codes = g_new0 (pcre2_code *, n);
  if (pcre2_serialize_get_number_of_codes (r.p) != (int32_t) n ||
      pcre2_serialize_decode (codes, n, r.p, NULL) != (int32_t) n)
    return NULL;
  for (guint32 i = 0; i < n; i++)
    ((RuleEntry *) rules->entries->pdata[i])->code = codes[i];
  return g_steal_pointer (&rules);
}

static void
write_cache (OobRules *rules, const char *cache_path, const char *key)
{
  guint n = rules->entries->len;
  g_autofree const pcre2_code **codes = g_new0 (const pcre2_code *, n);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) CACHE_MAGIC, strlen (CACHE_MAGIC));
  put_str (out, key);
  put_u32 (out, n);
  for (guint i = 0; i < n; i++)
    {
      RuleEntry *e = rules->entries->pdata[i];
      put_str (out, e->class_name);
      put_str (out, e->pattern);
      put_str (out, e->file);
      put_u32 (out, e->pub.line);
      codes[i] = e->code;
    }
  uint8_t *bytes = NULL;
  PCRE2_SIZE size = 0;
  if (pcre2_serialize_encode (codes, n, &bytes, &size, NULL) < 0)
    return;
  g_byte_array_append (out, bytes, size);
  pcre2_serialize_free (bytes);
  g_autoptr (GError) error = NULL;
  /* A temporary file renamed over the path: a symlink planted there is
   * replaced, never followed; 0640 like the database beside it. */
  if (!g_file_set_contents_full (cache_path, (const char *) out->data, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0640,
                                 &error))
    g_debug ("rules cache not written: %s", error->message);
}

OobRules *
oob_rules_load_cached (const char *const *files, const char *cache_path, GError **error)
{
  g_return_val_if_fail (cache_path != NULL, NULL);
  if (!files || !files[0])
    return oob_rules_load (files, error);
  g_autofree char *key = cache_key (files, error);
  if (!key)
    return NULL;
  OobRules *rules = read_cache (cache_path, key);
  if (rules)
    return rules;
  rules = oob_rules_load (files, error);
  if (!rules)
    return NULL;
  if (!oob_rules_prepare (rules, FALSE, error))
    {
      oob_rules_free (rules);
      return NULL;
    }
  write_cache (rules, cache_path, key);
  return rules;
}

guint
oob_rules_count (const OobRules *rules)
{
  return rules->entries->len;
}

const OobRule *
oob_rules_get (const OobRules *rules, guint index)
{
  g_return_val_if_fail (index < rules->entries->len, NULL);
  return &((RuleEntry *) rules->entries->pdata[index])->pub;
}

/* ---- compiling and matching ------------------------------------------ */

static gboolean
compile_rule (OobRules *rules, RuleEntry *e, GError **error)
{
  if (!e->code && !e->compile_error)
    {
      int code;
      PCRE2_SIZE offset;
      e->code = pcre2_compile ((PCRE2_SPTR) e->pattern, PCRE2_ZERO_TERMINATED, RULE_COMPILE_FLAGS,
                               &code, &offset, NULL);
      if (!e->code)
        {
          PCRE2_UCHAR msg[256];
          pcre2_get_error_message (code, msg, sizeof msg);
          e->compile_error = g_strdup_printf ("%s: bad regex for %s at offset %zu: %s",
                                              e->location, e->class_name, (size_t) offset,
                                              (char *) msg);
        }
    }
  if (e->compile_error)
    {
      g_set_error_literal (error, OOB_RULES_ERROR, OOB_RULES_ERROR_REGEX, e->compile_error);
      return FALSE;
    }
  return TRUE;
}

/* FALSE when rule @e cannot match @line (see rule_prefilter.h), so a
 * line containing none of its literals is not run through pcre2.  Reading
 * a prefilter costs about as much as a few interpreted matches, so only
 * rules prepared for many lines (JIT) use one. */
static gboolean
entry_may_match (OobRules *rules, RuleEntry *e, OobPrefilterLine *line)
{
  if (!rules->jit)
    return TRUE;
  if (!e->prefilter_read)
    {
      oob_rule_prefilter_init (&e->prefilter, e->pattern);
      e->prefilter_read = TRUE;
    }
  return oob_rule_prefilter_may_match (&e->prefilter, line);
}

gboolean
oob_rules_prepare (OobRules *rules, gboolean jit, GError **error)
{
  rules->jit = jit;
  for (guint i = 0; i < rules->entries->len; i++)
    if (!compile_rule (rules, rules->entries->pdata[i], error))
      return FALSE;
  return TRUE;
}

gboolean
oob_rules_compile_rule (OobRules *rules, guint index, GError **error)
{
  g_return_val_if_fail (index < rules->entries->len, FALSE);
  return compile_rule (rules, rules->entries->pdata[index], error);
}

/* Does the compiled rule @e match @line? */
static gboolean
entry_matches (OobRules *rules, RuleEntry *e, const char *line, gsize len)
{
  /* JIT compiling a rule costs about as much as interpreting it some
   * thirty times: with the prefilter most rules run a few times or never,
   * so only those that keep running are worth it. */
  if (rules->jit && !e->jit && ++e->runs >= OOB_RULES_JIT_AFTER_RUNS)
    {
      /* JIT failure (e.g. unsupported platform) leaves the interpreter. */
      pcre2_jit_compile (e->code, PCRE2_JIT_COMPLETE);
      e->jit = TRUE;
    }
  int rc = pcre2_match (e->code, (PCRE2_SPTR) line, len, 0, 0, rules->match_data,
                        rules->match_context);
  if (rc >= 0)
    return TRUE;
  if (rc != PCRE2_ERROR_NOMATCH)
    {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message (rc, msg, sizeof msg);
      g_warning ("rule %s (%s) skipped: %s", e->location, e->class_name, (char *) msg);
      rules->warned = TRUE;
    }
  return FALSE;
}

int
oob_rules_rule_matches (OobRules *rules, guint index, const char *line, GError **error)
{
  g_return_val_if_fail (index < rules->entries->len, -1);
  RuleEntry *e = rules->entries->pdata[index];
  if (!compile_rule (rules, e, error))
    return -1;
  return entry_matches (rules, e, line, strlen (line));
}

gboolean
oob_rules_rule_may_match (OobRules *rules, guint index, const char *line)
{
  g_return_val_if_fail (index < rules->entries->len, TRUE);
  rules->warned = FALSE;
  OobPrefilterLine prepared;
  oob_prefilter_line_init (&prepared, line);
  gboolean may = entry_may_match (rules, rules->entries->pdata[index], &prepared);
  oob_prefilter_line_clear (&prepared);
  return may;
}

const OobRule *
oob_rules_match (OobRules *rules, const char *line, GError **error)
{
  g_return_val_if_fail (rules != NULL && line != NULL, NULL);
  if (rules->last_line && strcmp (rules->last_line, line) == 0)
    return rules->last_winner;
  rules->warned = FALSE;
  OobPrefilterLine prepared;
  oob_prefilter_line_init (&prepared, line);
  gsize len = strlen (line);
  const OobRule *winner = NULL;
  for (guint i = 0; i < rules->entries->len && !winner; i++)
    {
      RuleEntry *e = rules->entries->pdata[i];
      /* compiled even when the prefilter skips it: a bad rule stays an
       * error for every line that reaches it */
      if (!compile_rule (rules, e, error))
        break;
      if (entry_may_match (rules, e, &prepared) && entry_matches (rules, e, line, len))
        winner = &e->pub;
    }
  oob_prefilter_line_clear (&prepared);
  /* A line that met a bad rule, or a rule cut off by the match limit, is
   * not remembered: it stays an error, or a warning, each time. */
  g_free (g_steal_pointer (&rules->last_line));
  if ((error == NULL || *error == NULL) && !rules->warned)
    {
      rules->last_line = g_strdup (line);
      rules->last_winner = winner;
    }
  return winner;
}

/* ---- the response line ------------------------------------------------ */

/* Length of an SMTP reply code plus separator ("550 " / "550-") at @s, or 0.
 * A code alone at the end of the text counts too. */
static gsize
smtp_code_prefix (const char *s, int *code)
{
  if (!(s[0] >= '2' && s[0] <= '5' && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2])))
    return 0;
  if (s[3] != ' ' && s[3] != '-' && s[3] != '\0')
    return 0;
  *code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  return s[3] ? 4 : 3;
}

/* Length of an enhanced status code ("5.1.1") at @s when followed by a
 * blank or the end, or 0. */
static gsize
enhanced_code_len (const char *s)
{
  if (!(s[0] >= '2' && s[0] <= '5') || s[1] != '.')
    return 0;
  gsize i = 2, n = 0;
  while (g_ascii_isdigit (s[i]) && n < 3)
    i++, n++;
  if (n == 0 || s[i] != '.')
    return 0;
  i++;
  n = 0;
  while (g_ascii_isdigit (s[i]) && n < 3)
    i++, n++;
  if (n == 0 || (s[i] != '\0' && s[i] != ' ' && s[i] != '\t'))
    return 0;
  return i;
}

static gboolean
is_enhanced_code (const char *s)
{
  return s && enhanced_code_len (s) == strlen (s);
}

static const char *
skip_blanks (const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  return s;
}

int
oob_response_line_code (const char *line)
{
  int code = 0;
  if (line && smtp_code_prefix (line, &code) && (line[3] == ' ' || line[3] == '\0'))
    return code;
  return 0;
}

char *
oob_response_line (int smtp_code, const char *status, const char *diagnostic)
{
  g_autofree char *valid = g_utf8_make_valid (diagnostic ? diagnostic : "", -1);
  /* CRLF and bare CR become LF, then split into lines */
  for (char *c = valid; *c; c++)
    if (*c == '\r')
      *c = c[1] == '\n' ? ' ' : '\n';
  g_auto (GStrv) lines = g_strsplit (valid, "\n", -1);
  g_autofree char *diag_status = NULL;
  int diag_code = 0;
  if (!is_enhanced_code (status))
    status = NULL;

  g_autoptr (GString) content = g_string_new (NULL);
  for (guint i = 0; lines[i]; i++)
    {
      const char *s = skip_blanks (lines[i]);
      int code = 0;
      gsize n = smtp_code_prefix (s, &code);
      /* first line: drop the code if it repeats the known one (or is the
       * only one we have); continuation lines: always a reply prefix */
      if (n && (i > 0 || smtp_code == 0 || code == smtp_code))
        {
          if (i == 0 && smtp_code == 0)
            diag_code = code;
          s = skip_blanks (s + n);
        }
      gsize e;
      while ((e = enhanced_code_len (s)))
        {
          g_autofree char *here = g_strndup (s, e);
          if (i == 0 && !status && !diag_status)
            diag_status = g_strdup (here);
          const char *known = status ? status : diag_status;
          if (!known || strcmp (here, known) != 0)
            break;
          s = skip_blanks (s + e);
        }
      if (*s)
        {
          if (content->len)
            g_string_append_c (content, ' ');
          g_string_append (content, s);
        }
    }

  /* collapse blank runs, trim */
  g_autoptr (GString) folded = g_string_new (NULL);
  for (const char *c = content->str; *c; c++)
    {
      gboolean blank = *c == ' ' || *c == '\t' || *c == '\f' || *c == '\v';
      if (blank && (folded->len == 0 || folded->str[folded->len - 1] == ' '))
        continue;
      g_string_append_c (folded, blank ? ' ' : *c);
    }
  while (folded->len && folded->str[folded->len - 1] == ' ')
    g_string_truncate (folded, folded->len - 1);
  if (folded->len > OOB_RESPONSE_CONTENT_MAX)
    {
      const char *cut = g_utf8_find_prev_char (folded->str, folded->str + OOB_RESPONSE_CONTENT_MAX + 1);
      g_string_truncate (folded, cut - folded->str);
    }

  const char *line_status = status ? status : diag_status;
  int code = smtp_code > 0 ? smtp_code : diag_code;
  if (code == 0 && line_status)
    code = line_status[0] == '2' ? 250 : line_status[0] == '4' ? 451 : line_status[0] == '5' ? 550 : 0;

  GString *line = g_string_new (NULL);
  if (code > 0)
    g_string_append_printf (line, "%d ", code);
  if (line_status)
    g_string_append_printf (line, "%s ", line_status);
  g_string_append (line, folded->str);
  if (line_status == NULL && folded->len == 0 && line->len)
    g_string_truncate (line, line->len - 1);
  return g_string_free (line, FALSE);
}
