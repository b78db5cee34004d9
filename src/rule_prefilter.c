/* rule_prefilter.c - literals a rule pattern cannot match without.
 *
 * Owns the reading of a pattern into required literals and the test of a
 * line against them.  Why it is sound: a match of a sequence of atoms
 * consumes, contiguously and in order, every plain character written in
 * it that no quantifier makes optional, and a match of a mandatory group
 * is a match of one of its alternatives.  So a sequence requires each of
 * its runs of plain characters, and each of its mandatory groups requires
 * one of the strings its alternatives require; the reader keeps the most
 * selective such requirement of each alternative.  Whatever it does not
 * fully understand (lookaround, classes, escapes other than a few known
 * ones, option settings, verbs, \Q..\E, unusual quantifiers, non-ASCII
 * characters) either ends a run or gives up on the whole pattern, which
 * then has no prefilter.  Caseless literals are only compared on
 * all-ASCII lines: under PCRE2_UTF an ASCII letter can also match a
 * non-ASCII one (k and the Kelvin sign, s and the long s).
 */
#include "config.h"

#include "rule_prefilter.h"

#include <string.h>

/* More strings than this in one requirement cost more to look for than
 * running the pattern saves. */
#define MAX_CHOICES 16

/* Strings of which every match contains at least one (a GPtrArray of
 * char *); NULL when nothing is known. */
typedef GPtrArray Choice;

typedef struct {
  const char *p;
  gboolean caseless;   /* literals are lowered */
  gboolean unreadable; /* give up on the whole pattern */
} Reader;

typedef struct {
  GString *run;          /* plain characters read since the last break */
  gboolean run_has_last; /* the last atom read is the run's last character */
  Choice *best;          /* the most selective requirement so far */
} Sequence;

static Choice *read_alternation (Reader *r, int depth);

/* Past the class opening at @p, or NULL when it is not read safely. */
static const char *
skip_class (const char *p)
{
  p++;
  if (*p == '^')
    p++;
  if (*p == ']')
    p++;
  while (*p != ']')
    {
      if (*p == '\0' || (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')))
        return NULL;
      if (*p == '\\')
        {
          if (p[1] == '\0')
            return NULL;
          p++;
        }
      p++;
    }
  return p + 1;
}

/* Past the group opening at @p, or NULL. */
static const char *
skip_group (const char *p)
{
  int depth = 0;
  do
    {
      switch (*p)
        {
        case '\0':
          return NULL;
        case '\\':
          if (p[1] == '\0')
            return NULL;
          p += 2;
          break;
        case '[':
          if (!(p = skip_class (p)))
            return NULL;
          break;
        case '(':
          depth++;
          p++;
          break;
        case ')':
          depth--;
          p++;
          break;
        default:
          p++;
        }
    }
  while (depth > 0);
  return p;
}

/* Is @p an option setting "(?flags)"?  For that and "(?flags:",
 * @has_x tells whether extended mode is among the flags. */
static gboolean
is_option_setting (const char *p, gboolean *has_x)
{
  *has_x = FALSE;
  if (p[0] != '(' || p[1] != '?')
    return FALSE;
  const char *q = p + 2;
  while (g_ascii_isalpha (*q) || *q == '-' || *q == '^')
    q++;
  if (q == p + 2 || (*q != ')' && *q != ':'))
    return FALSE;
  *has_x = memchr (p + 2, 'x', q - (p + 2)) != NULL;
  return *q == ')';
}

/* Constructs that change how the rest of the pattern reads, wherever they
 * are: quoting, comments, verbs such as (*ACCEPT), extended mode, and
 * option settings (the caller has removed a leading "(?i)"). */
static gboolean
has_unreadable_construct (const char *pattern)
{
  if (strstr (pattern, "\\Q") || strstr (pattern, "(*") || strstr (pattern, "(?#"))
    return TRUE;
  for (const char *p = strstr (pattern, "(?"); p; p = strstr (p + 1, "(?"))
    {
      gboolean has_x;
      if (is_option_setting (p, &has_x) || has_x)
        return TRUE;
    }
  return FALSE;
}

/* Length of the opening of a group at @p whose content is matched in
 * place, as a sequence: "(", "(?:", "(?>", "(?|" and named captures; 0
 * for any other group (lookaround, conditional, options, recursion). */
static gsize
plain_group_opening (const char *p)
{
  if (p[1] != '?')
    return 1;
  if (p[2] == ':' || p[2] == '>' || p[2] == '|')
    return 3;
  const char *q = p + 2;
  char close;
  if (q[0] == 'P' && q[1] == '<')
    q += 2, close = '>';
  else if (q[0] == '<')
    q++, close = '>';
  else if (q[0] == '\'')
    q++, close = '\'';
  else
    return 0;
  if (!g_ascii_isalpha (*q) && *q != '_') /* also rules out (?<= and (?<! */
    return 0;
  while (g_ascii_isalnum (*q) || *q == '_')
    q++;
  return *q == close ? (gsize) (q + 1 - p) : 0;
}

/* The quantifier at *@p (moved past it, with a lazy or possessive
 * suffix): its minimum, or -1 when it is not read. */
static int
read_quantifier (const char **p)
{
  const char *q = *p;
  int min = 0;
  if (*q == '?' || *q == '*')
    q++;
  else if (*q == '+')
    min = 1, q++;
  else if (*q == '{')
    {
      /* only {n}, {n,} and {n,m}: pcre2 versions disagree on the rest */
      q++;
      if (!g_ascii_isdigit (*q))
        return -1;
      for (; g_ascii_isdigit (*q); q++)
        if (min < 65535)
          min = min * 10 + (*q - '0');
      if (*q == ',')
        for (q++; g_ascii_isdigit (*q); q++)
          ;
      if (*q != '}')
        return -1;
      q++;
    }
  else
    return -1;
  if (*q == '?' || *q == '+')
    q++;
  *p = q;
  return min;
}

static gboolean
is_quantifier (char c)
{
  return c == '?' || c == '*' || c == '+' || c == '{';
}

static gsize
shortest (const Choice *c)
{
  gsize n = G_MAXSIZE;
  for (guint i = 0; i < c->len; i++)
    n = MIN (n, strlen (c->pdata[i]));
  return n;
}

/* Keep @c in @s if it is more selective than what @s has: its shortest
 * string longer (less likely in a line by chance), then fewer strings. */
static void
consider (Sequence *s, Choice *c)
{
  if (!c)
    return;
  if (s->best)
    {
      gsize a = shortest (c), b = shortest (s->best);
      if (a < b || (a == b && c->len >= s->best->len))
        {
          g_ptr_array_unref (c);
          return;
        }
      g_ptr_array_unref (s->best);
    }
  s->best = c;
}

static void
end_run (Reader *r, Sequence *s)
{
  if (s->run->len)
    {
      Choice *c = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c, r->caseless ? g_ascii_strdown (s->run->str, -1) : g_strdup (s->run->str));
      consider (s, c);
    }
  g_string_truncate (s->run, 0);
  s->run_has_last = FALSE;
}

static void
add_to_run (Sequence *s, char c)
{
  g_string_append_c (s->run, c);
  s->run_has_last = TRUE;
}

/* One alternative, up to the '|' or ')' that ends it: its requirement. */
static Choice *
read_sequence (Reader *r, int depth)
{
  g_autoptr (GString) run = g_string_new (NULL);
  Sequence s = { run, FALSE, NULL };
  while (!r->unreadable)
    {
      char c = *r->p;
      if (c == '\0' || c == '|' || c == ')')
        break;
      if (c == '(')
        {
          end_run (r, &s);
          gsize opening = plain_group_opening (r->p);
          if (!opening)
            {
              if (!(r->p = skip_group (r->p)))
                r->unreadable = TRUE;
              continue;
            }
          r->p += opening;
          Choice *group = read_alternation (r, depth + 1);
          if (r->unreadable || *r->p != ')')
            {
              r->unreadable = TRUE;
              g_clear_pointer (&group, g_ptr_array_unref);
              break;
            }
          r->p++;
          int min = is_quantifier (*r->p) ? read_quantifier (&r->p) : 1;
          if (min < 0)
            r->unreadable = TRUE;
          if (min <= 0) /* an optional group requires nothing */
            g_clear_pointer (&group, g_ptr_array_unref);
          consider (&s, group);
        }
      else if (c == '[')
        {
          end_run (r, &s);
          if (!(r->p = skip_class (r->p)))
            r->unreadable = TRUE;
        }
      else if (c == '\\')
        {
          char e = r->p[1];
          if (e != '\0' && strchr ("bBdDsSwWAzZ", e))
            end_run (r, &s); /* an assertion or a one-character class */
          else if (e >= ' ' && e < 0x7f && !g_ascii_isalnum (e))
            add_to_run (&s, e); /* an escaped punctuation mark or space */
          else
            {
              r->unreadable = TRUE;
              break;
            }
          r->p += 2;
        }
      else if (is_quantifier (c))
        {
          int min = read_quantifier (&r->p);
          if (min < 0)
            r->unreadable = TRUE;
          /* the quantified character is optional, or there but maybe
           * repeated: either way the run does not go on past it */
          else if (s.run_has_last && min == 0)
            g_string_truncate (s.run, s.run->len - 1);
          end_run (r, &s);
        }
      else if (c >= ' ' && c < 0x7f && !strchr (".^$]}", c))
        {
          add_to_run (&s, c);
          r->p++;
        }
      else
        {
          end_run (r, &s); /* . ^ $ ] }, controls, bytes of non-ASCII characters */
          r->p++;
        }
    }
  end_run (r, &s);
  return s.best;
}

/* Alternatives up to the ')' or the end that closes them: the union of
 * their requirements, NULL when one of them has none. */
static Choice *
read_alternation (Reader *r, int depth)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  gboolean known = TRUE;
  for (;;)
    {
      Choice *alt = read_sequence (r, depth);
      if (r->unreadable)
        {
          g_clear_pointer (&alt, g_ptr_array_unref);
          return NULL;
        }
      if (!alt)
        known = FALSE;
      else
        {
          for (guint i = 0; i < alt->len; i++)
            if (!g_ptr_array_find_with_equal_func (all, alt->pdata[i], g_str_equal, NULL))
              g_ptr_array_add (all, g_strdup (alt->pdata[i]));
          g_ptr_array_unref (alt);
        }
      if (*r->p != '|')
        break;
      r->p++;
    }
  if (depth == 0 ? *r->p != '\0' : *r->p != ')')
    r->unreadable = TRUE;
  if (!known || all->len > MAX_CHOICES)
    return NULL;
  return g_steal_pointer (&all);
}

void
oob_rule_prefilter_init (OobRulePrefilter *filter, const char *pattern)
{
  filter->caseless = g_str_has_prefix (pattern, "(?i)");
  filter->literals = NULL;
  Reader r = { pattern + (filter->caseless ? 4 : 0), filter->caseless, FALSE };
  if (has_unreadable_construct (r.p))
    return;
  g_autoptr (GPtrArray) required = read_alternation (&r, 0);
  if (r.unreadable || !required)
    return;
  g_ptr_array_set_free_func (required, NULL);
  g_ptr_array_add (required, NULL);
  filter->literals = (GStrv) g_ptr_array_free (g_steal_pointer (&required), FALSE);
}

void
oob_rule_prefilter_clear (OobRulePrefilter *filter)
{
  g_clear_pointer (&filter->literals, g_strfreev);
}

void
oob_prefilter_line_init (OobPrefilterLine *line, const char *text)
{
  line->text = text;
  line->lower = NULL;
  line->lower_known = FALSE;
}

/* The line in ASCII lower case, or NULL when it is not all ASCII. */
static const char *
line_lower (OobPrefilterLine *line)
{
  if (!line->lower_known)
    {
      line->lower_known = TRUE;
      for (const char *c = line->text; *c; c++)
        if ((guchar) *c >= 0x80)
          return NULL;
      line->lower = g_ascii_strdown (line->text, -1);
    }
  return line->lower;
}

void
oob_prefilter_line_clear (OobPrefilterLine *line)
{
  g_clear_pointer (&line->lower, g_free);
}

gboolean
oob_rule_prefilter_may_match (const OobRulePrefilter *filter, OobPrefilterLine *line)
{
  if (!filter->literals)
    return TRUE;
  const char *text = filter->caseless ? line_lower (line) : line->text;
  if (!text)
    return TRUE;
  for (char **l = filter->literals; *l; l++)
    if (strstr (text, *l))
      return TRUE;
  return FALSE;
}
