/* rule_prefilter.c - literals a rule pattern cannot match without.
 *
 * Owns the reading of a pattern into required literals and the test of a
 * line against them.  Why it is sound: a match of a sequence of atoms
 * consumes, contiguously and in order, every plain character written in
 * it that no quantifier makes optional, and a match of a mandatory group
 * is a match of one of its alternatives.  So a sequence requires each of
 * its runs of plain characters, and each of its mandatory groups requires
 * one of the strings its alternatives require.  The reader keeps the most
 * selective requirement of each alternative of a group, and the few most
 * selective ones of each top-level alternative; a line can only match if,
 * for some top-level alternative, it meets all of them.  Whatever the
 * reader does not fully understand (lookaround, classes, escapes other
 * than a few known ones, option settings, verbs, \Q..\E, unusual
 * quantifiers, non-ASCII characters) either ends a run or gives up on the
 * whole pattern, which then has no prefilter.  Caseless literals are
 * looked for in the line folded to ASCII lower case, where the only two
 * non-ASCII characters pcre2 matches caselessly with an ASCII letter are
 * folded too (tests/test-rules.c checks there are no others).
 */
#include "config.h"

#include "rule_prefilter.h"

#include <string.h>

/* More strings than this in one requirement cost more to look for than
 * running the pattern saves. */
#define MAX_CHOICES 16
/* Requirements kept for one top-level alternative: the most selective,
 * and up to two more whose strings have at least MIN_EXTRA_LENGTH bytes. */
#define MAX_REQUIREMENTS 3
#define MIN_EXTRA_LENGTH 3

/* Strings of which every match contains at least one (a GPtrArray of
 * char *): a requirement. */
typedef GPtrArray Choice;

typedef struct {
  const char *p;
  gboolean caseless;   /* literals are lowered */
  gboolean unreadable; /* give up on the whole pattern */
} Reader;

typedef struct {
  GString *run;          /* plain characters read since the last break */
  gboolean run_has_last; /* the last atom read is the run's last character */
  GPtrArray *required;   /* Choice *: every one of them holds */
} Sequence;

static GPtrArray *read_alternation (Reader *r, int depth);

/* g_ptr_array_unref() as a destroy function.  Not the library function's
 * own address: that would make the dynamic linker resolve it when every
 * oobproc process starts (measured: some 5 k instructions, which the
 * one-message pipe, which never reads a prefilter, would pay too). */
static void
free_array (gpointer array)
{
  g_ptr_array_unref (array);
}

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
 * are: quoting, comments, verbs such as (*ACCEPT), extended mode, option
 * settings (the caller has removed a leading "(?i)"), and what may hide
 * a parenthesis from skip_group(): \c( and callout strings. */
static gboolean
has_unreadable_construct (const char *pattern)
{
  static const char *const constructs[] = { "\\Q", "(*", "(?#", "\\c", "(?C" };
  for (guint i = 0; i < G_N_ELEMENTS (constructs); i++)
    if (strstr (pattern, constructs[i]))
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

/* The more selective requirement first: its shortest string longer (less
 * likely in a line by chance), then fewer strings. */
static int
compare_selectivity (gconstpointer a, gconstpointer b)
{
  const Choice *x = *(Choice *const *) a, *y = *(Choice *const *) b;
  gsize lx = shortest (x), ly = shortest (y);
  if (lx != ly)
    return lx > ly ? -1 : 1;
  return x->len < y->len ? -1 : x->len > y->len;
}

static void
require (Sequence *s, Choice *c)
{
  if (c)
    g_ptr_array_add (s->required, c);
}

static void
end_run (Reader *r, Sequence *s)
{
  if (s->run->len)
    {
      Choice *c = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c, r->caseless ? g_ascii_strdown (s->run->str, -1) : g_strdup (s->run->str));
      require (s, c);
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

/* A group: one of the strings that the alternatives of @alternatives
 * (see read_alternation) require most selectively, NULL when one of them
 * requires nothing or when they are too many. */
static Choice *
union_of_best (GPtrArray *alternatives)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  for (guint a = 0; a < alternatives->len; a++)
    {
      GPtrArray *required = alternatives->pdata[a];
      if (required->len == 0)
        return NULL;
      Choice *best = required->pdata[0];
      for (guint i = 0; i < best->len; i++)
        if (!g_ptr_array_find_with_equal_func (all, best->pdata[i], g_str_equal, NULL))
          g_ptr_array_add (all, g_strdup (best->pdata[i]));
    }
  if (all->len > MAX_CHOICES)
    return NULL;
  return g_steal_pointer (&all);
}

/* One alternative, up to the '|' or ')' that ends it: what it requires,
 * the most selective requirement first. */
static GPtrArray *
read_sequence (Reader *r, int depth)
{
  g_autoptr (GString) run = g_string_new (NULL);
  Sequence s = { run, FALSE, g_ptr_array_new_with_free_func (free_array) };
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
          g_autoptr (GPtrArray) alternatives = read_alternation (r, depth + 1);
          if (r->unreadable)
            break;
          r->p++;
          int min = is_quantifier (*r->p) ? read_quantifier (&r->p) : 1;
          if (min < 0)
            r->unreadable = TRUE;
          else if (min > 0) /* an optional group requires nothing */
            require (&s, union_of_best (alternatives));
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
  g_ptr_array_sort (s.required, compare_selectivity);
  return s.required;
}

/* Alternatives up to the ')' or the end that closes them: what each of
 * them requires (see read_sequence), NULL when unreadable. */
static GPtrArray *
read_alternation (Reader *r, int depth)
{
  g_autoptr (GPtrArray) alternatives = g_ptr_array_new_with_free_func (free_array);
  for (;;)
    {
      g_ptr_array_add (alternatives, read_sequence (r, depth));
      if (r->unreadable)
        return NULL;
      if (*r->p != '|')
        break;
      r->p++;
    }
  if (depth == 0 ? *r->p != '\0' : *r->p != ')')
    {
      r->unreadable = TRUE;
      return NULL;
    }
  return g_steal_pointer (&alternatives);
}

void
oob_rule_prefilter_init (OobRulePrefilter *filter, const char *pattern)
{
  filter->caseless = g_str_has_prefix (pattern, "(?i)");
  filter->alternatives = NULL;
  Reader r = { pattern + (filter->caseless ? 4 : 0), filter->caseless, FALSE };
  if (has_unreadable_construct (r.p))
    return;
  g_autoptr (GPtrArray) alternatives = read_alternation (&r, 0);
  if (!alternatives)
    return;
  for (guint a = 0; a < alternatives->len; a++)
    {
      GPtrArray *required = alternatives->pdata[a];
      if (required->len == 0)
        return; /* an alternative that requires nothing: always run */
      guint keep = 1;
      while (keep < required->len && keep < MAX_REQUIREMENTS &&
             shortest (required->pdata[keep]) >= MIN_EXTRA_LENGTH)
        keep++;
      g_ptr_array_set_size (required, keep);
    }
  filter->alternatives = g_steal_pointer (&alternatives);
}

void
oob_rule_prefilter_clear (OobRulePrefilter *filter)
{
  g_clear_pointer (&filter->alternatives, free_array);
}

void
oob_prefilter_line_init (OobPrefilterLine *line, const char *text)
{
  line->text = text;
  line->folded = NULL;
}

/* The non-ASCII characters that pcre2 (PCRE2_UTF, caseless) matches with
 * an ASCII letter, and that letter. */
static const struct {
  const char *utf8;
  char letter;
} ascii_case_partners[] = {
  { "\xC5\xBF", 's' },     /* U+017F LATIN SMALL LETTER LONG S */
  { "\xE2\x84\xAA", 'k' }, /* U+212A KELVIN SIGN */
};

/* Six bits of a byte, the same for both cases of an ASCII letter. */
static guint
pair_key (char c)
{
  return (c & 0x1f) | ((c >> 1) & 0x20);
}

/* A pair of adjacent bytes as a bit of OobPrefilterLine.pairs, the same
 * whatever the case of letters (several pairs share a bit: that only
 * lets more lines through). */
static guint
pair_bit (char a, char b)
{
  return pair_key (a) << 6 | pair_key (b);
}

static gboolean
has_pair (const OobPrefilterLine *line, guint bit)
{
  return (line->pairs[bit / 64] >> (bit % 64)) & 1;
}

/* Fold the line: ASCII lower case, with the characters above replaced by
 * their letter, so a caseless ASCII literal matches in the line only if
 * its lower case is in the folded line; and note its pairs of bytes.  A
 * case-sensitive ASCII literal in the line is in the folded line too, up
 * to case: its pairs are there as well. */
static void
fold (OobPrefilterLine *line)
{
  const char *c = line->text;
  while (*c && (guchar) *c < 0x80)
    c++;
  if (!*c)
    line->folded = g_ascii_strdown (line->text, -1);
  else
    {
      GString *folded = g_string_new (NULL);
      for (c = line->text; *c;)
        {
          gsize i = 0;
          while (i < G_N_ELEMENTS (ascii_case_partners) &&
                 (*c != ascii_case_partners[i].utf8[0] || !g_str_has_prefix (c, ascii_case_partners[i].utf8)))
            i++;
          if (i < G_N_ELEMENTS (ascii_case_partners))
            {
              g_string_append_c (folded, ascii_case_partners[i].letter);
              c += strlen (ascii_case_partners[i].utf8);
            }
          else
            g_string_append_c (folded, g_ascii_tolower (*c++));
        }
      line->folded = g_string_free (folded, FALSE);
    }
  memset (line->pairs, 0, sizeof line->pairs);
  for (gsize i = 0; line->folded[i] && line->folded[i + 1]; i++)
    {
      guint bit = pair_bit (line->folded[i], line->folded[i + 1]);
      line->pairs[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
    }
}

void
oob_prefilter_line_clear (OobPrefilterLine *line)
{
  g_clear_pointer (&line->folded, g_free);
}

/* Is one of @strings in @text?  A string with a pair of bytes the folded
 * line lacks is not: that is the cheap answer, strstr() the sure one. */
static gboolean
contains_one (const OobPrefilterLine *line, const char *text, const Choice *strings)
{
  for (guint i = 0; i < strings->len; i++)
    {
      const char *s = strings->pdata[i];
      gboolean pairs_there = TRUE;
      for (gsize j = 1; s[j] && pairs_there; j++)
        pairs_there = has_pair (line, pair_bit (s[j - 1], s[j]));
      if (pairs_there && strstr (text, s))
        return TRUE;
    }
  return FALSE;
}

gboolean
oob_rule_prefilter_may_match (const OobRulePrefilter *filter, OobPrefilterLine *line)
{
  if (!filter->alternatives)
    return TRUE;
  if (!line->folded)
    fold (line);
  const char *text = filter->caseless ? line->folded : line->text;
  for (guint a = 0; a < filter->alternatives->len; a++)
    {
      GPtrArray *required = filter->alternatives->pdata[a];
      guint met = 0;
      while (met < required->len && contains_one (line, text, required->pdata[met]))
        met++;
      if (met == required->len)
        return TRUE;
    }
  return FALSE;
}
