/* cmd_rules.c - `oobproc rules check` and `oobproc classify`: tools for
 * people who write rules.
 *
 * Owns locating the shipped rule files, the sample-line checks, and the
 * "can never win" analysis: for each rule a few strings are derived from
 * its pattern (each alternative, optional parts left out, classes replaced
 * by one member); when every derived string the rule matches is taken by
 * an earlier rule, the rule is reported as shadowed.
 */
#include "config.h"

#include "cmd_rules.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

#define MAX_DERIVED 16

const char *
oob_rules_dir (void)
{
  /* The test suite points a build-tree binary at the source tree's rules,
   * whatever an earlier `make install` left under $(pkgdatadir). */
  const char *forced = g_getenv ("OOBPROC_RULES_DIR");
  if (forced && *forced)
    return forced;
  if (g_file_test (OOB_DATADIR "/rules", G_FILE_TEST_IS_DIR))
    return OOB_DATADIR "/rules";
  return OOB_SRCDIR "/rules";
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
oob_rules_default_files (GError **error)
{
  const char *dir = oob_rules_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (!d)
    return NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".toml") || g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, compare_names);
  if (names->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no rule files", dir);
      return NULL;
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ---- strings derived from a pattern ---------------------------------- */

typedef struct {
  const char *p;
  gboolean unsupported;
} Deriver;

static GPtrArray *derive_alternation (Deriver *d);

static GPtrArray *
strings_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static GPtrArray *
single (const char *s)
{
  GPtrArray *a = strings_new ();
  g_ptr_array_add (a, g_strdup (s));
  return a;
}

/* One representative character of a [...] class. */
static GPtrArray *
derive_class (Deriver *d)
{
  d->p++; /* [ */
  gboolean negated = *d->p == '^';
  if (negated)
    d->p++;
  GString *members = g_string_new (NULL);
  gboolean first = TRUE;
  while (*d->p && (*d->p != ']' || first))
    {
      first = FALSE;
      if (*d->p == '\\' && d->p[1])
        {
          char c = d->p[1];
          g_string_append_c (members, c == 'd' ? '0' : c == 'w' ? 'a' : c == 's' ? ' ' : c);
          d->p += 2;
        }
      else if (*d->p == '[' && d->p[1] == ':')
        {
          const char *end = strstr (d->p, ":]");
          if (!end)
            break;
          g_string_append_c (members, strncmp (d->p, "[:digit:]", 9) == 0 ? '0' : 'a');
          d->p = end + 2;
        }
      else
        g_string_append_c (members, *d->p++);
    }
  if (*d->p != ']')
    d->unsupported = TRUE;
  else
    d->p++;
  char pick = members->len ? members->str[0] : 'x';
  if (negated)
    {
      const char *candidates = "x0 #Q";
      pick = 0;
      for (const char *c = candidates; *c && !pick; c++)
        if (!strchr (members->str, *c))
          pick = *c;
      if (!pick)
        d->unsupported = TRUE;
    }
  g_string_free (members, TRUE);
  char s[2] = { pick, 0 };
  return single (s);
}

static GPtrArray *
derive_escape (Deriver *d)
{
  char c = d->p[1];
  if (!c)
    {
      d->unsupported = TRUE;
      return single ("");
    }
  d->p += 2;
  switch (c)
    {
    case 'd': return single ("0");
    case 'w': return single ("a");
    case 's': return single (" ");
    case 'D': case 'W': case 'S': return single ("#");
    case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': return single ("");
    case 'p': case 'P':
      if (*d->p == '{')
        {
          const char *end = strchr (d->p, '}');
          d->p = end ? end + 1 : d->p + strlen (d->p);
        }
      else if (*d->p)
        d->p++;
      return single ("a");
    default:
      if (g_ascii_isalnum (c))
        {
          d->unsupported = TRUE; /* backreferences, \x.., \Q ... */
          return single ("");
        }
      {
        char s[2] = { c, 0 };
        return single (s);
      }
    }
}

/* A group: ( ... ), (?: ...), (?i) (?i: ...), named groups. */
static GPtrArray *
derive_group (Deriver *d)
{
  d->p++; /* ( */
  if (*d->p == '?')
    {
      d->p++;
      if (*d->p == '<' && (d->p[1] == '=' || d->p[1] == '!'))
        d->unsupported = TRUE;
      else if (*d->p == '=' || *d->p == '!' || *d->p == '>' || *d->p == '|')
        d->unsupported = TRUE;
      else if (*d->p == 'P' || *d->p == '<' || *d->p == '\'')
        {
          const char *end = strpbrk (d->p, ">'");
          d->p = end ? end + 1 : d->p + strlen (d->p);
        }
      else
        {
          while (*d->p && (g_ascii_isalpha (*d->p) || *d->p == '-'))
            d->p++;
          if (*d->p == ')')
            {
              d->p++;
              return single (""); /* (?i) */
            }
          if (*d->p == ':')
            d->p++;
          else
            d->unsupported = TRUE;
        }
    }
  GPtrArray *inner = derive_alternation (d);
  if (*d->p == ')')
    d->p++;
  else
    d->unsupported = TRUE;
  return inner;
}

/* Minimum repetition count of a quantifier at d->p (consumed), or 1. */
static guint
derive_quantifier (Deriver *d)
{
  guint min = 1;
  if (*d->p == '?' || *d->p == '*')
    min = 0, d->p++;
  else if (*d->p == '+')
    d->p++;
  else if (*d->p == '{' && g_ascii_isdigit (d->p[1]))
    {
      char *end;
      min = (guint) g_ascii_strtoull (d->p + 1, &end, 10);
      const char *close = strchr (d->p, '}');
      if (!close)
        {
          d->unsupported = TRUE;
          return 1;
        }
      d->p = close + 1;
      if (min > 8)
        min = 8;
    }
  else
    return 1;
  if (*d->p == '?' || *d->p == '+')
    d->p++; /* lazy / possessive */
  return min;
}

static GPtrArray *
concat (GPtrArray *left, GPtrArray *right)
{
  GPtrArray *out = strings_new ();
  for (guint i = 0; i < left->len; i++)
    for (guint j = 0; j < right->len && out->len < MAX_DERIVED; j++)
      g_ptr_array_add (out, g_strconcat (left->pdata[i], right->pdata[j], NULL));
  g_ptr_array_unref (left);
  g_ptr_array_unref (right);
  return out;
}

static GPtrArray *
derive_sequence (Deriver *d)
{
  GPtrArray *acc = single ("");
  while (*d->p && *d->p != '|' && *d->p != ')' && !d->unsupported)
    {
      GPtrArray *atom;
      char c = *d->p;
      if (c == '(')
        atom = derive_group (d);
      else if (c == '[')
        atom = derive_class (d);
      else if (c == '\\')
        atom = derive_escape (d);
      else if (c == '^' || c == '$')
        {
          d->p++;
          atom = single ("");
        }
      else if (c == '.')
        {
          d->p++;
          atom = single ("x");
        }
      else
        {
          /* one UTF-8 character */
          const char *next = g_utf8_next_char (d->p);
          g_autofree char *ch = g_strndup (d->p, next - d->p);
          d->p = next;
          atom = single (ch);
        }
      guint min = derive_quantifier (d);
      GPtrArray *repeated = single ("");
      for (guint i = 0; i < min; i++)
        {
          g_ptr_array_ref (atom);
          repeated = concat (repeated, atom);
        }
      g_ptr_array_unref (atom);
      acc = concat (acc, repeated);
    }
  return acc;
}

static GPtrArray *
derive_alternation (Deriver *d)
{
  GPtrArray *all = derive_sequence (d);
  while (*d->p == '|' && !d->unsupported)
    {
      d->p++;
      g_autoptr (GPtrArray) more = derive_sequence (d);
      for (guint i = 0; i < more->len && all->len < MAX_DERIVED; i++)
        g_ptr_array_add (all, g_strdup (more->pdata[i]));
    }
  return all;
}

/* Strings the pattern probably matches; NULL when it uses constructs the
 * deriver does not follow (lookaround, backreferences ...). */
static GPtrArray *
derive_strings (const char *pattern)
{
  Deriver d = { pattern, FALSE };
  GPtrArray *out = derive_alternation (&d);
  if (d.unsupported || *d.p)
    {
      g_ptr_array_unref (out);
      return NULL;
    }
  return out;
}

/* ---- rules check ------------------------------------------------------ */

static guint
check_samples (OobRules *rules, const char *path, guint *checked)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  guint failures = 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *l = lines[i];
      if (*l == '#' || *l == '\0')
        continue;
      const char *tab = strrchr (l, '\t');
      if (!tab)
        {
          fprintf (stderr, "%s:%u: expected RESPONSE-LINE<TAB>CLASS\n", path, i + 1);
          failures++;
          continue;
        }
      g_autofree char *line = g_strndup (l, tab - l);
      const char *expected = tab + 1;
      g_autoptr (GError) match_error = NULL;
      const OobRule *rule = oob_rules_match (rules, line, &match_error);
      if (match_error)
        return failures + 1;
      const char *got = rule ? rule->class_name : OOB_CLASS_UNCATEGORIZED;
      (*checked)++;
      if (strcmp (got, expected) != 0)
        {
          fprintf (stderr, "%s:%u: \"%s\" gives %s (%s), expected %s\n", path, i + 1, line, got,
                   rule ? rule->location : "no rule", expected);
          failures++;
        }
    }
  return failures;
}

/* Warn when every derived string of rule @i is taken by an earlier rule. */
static gboolean
warn_if_shadowed (OobRules *rules, guint i)
{
  const OobRule *rule = oob_rules_get (rules, i);
  g_autoptr (GPtrArray) derived = derive_strings (rule->pattern);
  if (!derived)
    return FALSE;
  const OobRule *first_winner = NULL;
  const char *example = NULL;
  guint own = 0;
  for (guint s = 0; s < derived->len; s++)
    {
      const char *str = derived->pdata[s];
      if (oob_rules_rule_matches (rules, i, str, NULL) != 1)
        continue;
      own++;
      const OobRule *winner = oob_rules_match (rules, str, NULL);
      if (!winner || winner->index >= i)
        return FALSE;
      if (!first_winner)
        first_winner = winner, example = str;
    }
  if (!own)
    return FALSE;
  fprintf (stderr, "%s: warning: %s rule can never win: \"%s\" is taken first by %s (%s)\n",
           rule->location, rule->class_name, example, first_winner->location,
           first_winner->class_name);
  return TRUE;
}

int
oob_cmd_rules_check (int argc, char **argv)
{
  g_autofree char *samples = NULL;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &samples,
      "sample lines to check (RESPONSE-LINE<TAB>CLASS per line)", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[FILE...] - check rule files");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "rules check: %s\n", error->message);
      return 2;
    }
  if (!files)
    {
      files = oob_rules_default_files (&error);
      if (!files)
        {
          fprintf (stderr, "rules check: %s\n", error->message);
          return 1;
        }
      if (!samples)
        samples = g_build_filename (oob_rules_dir (), "samples.tsv", NULL);
    }

  g_autoptr (OobRules) rules = oob_rules_load ((const char *const *) files, &error);
  if (!rules)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  guint bad = 0, warnings = 0, checked = 0;
  for (guint i = 0; i < oob_rules_count (rules); i++)
    {
      g_autoptr (GError) compile_error = NULL;
      if (!oob_rules_compile_rule (rules, i, &compile_error))
        {
          fprintf (stderr, "%s\n", compile_error->message);
          bad++;
        }
    }
  if (bad)
    {
      fprintf (stderr, "rules check: %u bad rule(s)\n", bad);
      return 1;
    }
  for (guint i = 0; i < oob_rules_count (rules); i++)
    warnings += warn_if_shadowed (rules, i);
  guint failures = samples ? check_samples (rules, samples, &checked) : 0;
  printf ("%u rules in %u file(s) compile; %u sample(s) checked, %u failed; %u warning(s)\n",
          oob_rules_count (rules), g_strv_length (files), checked, failures, warnings);
  return failures ? 1 : 0;
}

int
oob_cmd_rules (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "check") == 0)
    return oob_cmd_rules_check (argc - 1, argv + 1);
  fprintf (stderr, "usage: oobproc rules check [--samples FILE] [FILE...]\n");
  return 2;
}

int
oob_cmd_classify (int argc, char **argv)
{
  g_auto (GStrv) files = NULL;
  g_auto (GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
      "rule file (repeatable, in precedence order; default: the shipped rules)", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, "'RESPONSE LINE'" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("'RESPONSE LINE' - classify one line");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "classify: %s\n", error->message);
      return 2;
    }
  if (!rest || !rest[0] || rest[1])
    {
      fprintf (stderr, "usage: oobproc classify [--rules FILE]... 'RESPONSE LINE'\n");
      return 2;
    }
  if (!files && !(files = oob_rules_default_files (&error)))
    {
      fprintf (stderr, "classify: %s\n", error->message);
      return 1;
    }
  g_autoptr (OobRules) rules = oob_rules_load ((const char *const *) files, &error);
  if (!rules)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  const OobRule *rule = oob_rules_match (rules, rest[0], &error);
  if (error)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%s\t%s\n", rule ? rule->class_name : OOB_CLASS_UNCATEGORIZED,
          rule ? rule->location : "-");
  return 0;
}
