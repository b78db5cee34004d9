/* toml.c - a small, strict TOML 1.0 reader producing a json-glib tree.
 *
 * Debian packages no C TOML library, so oobproc carries this one.  It reads
 * comments, [table] and [a."b.c"] headers, [[arrays of tables]], bare,
 * quoted and dotted keys, basic and literal strings (single- and multi-line,
 * with every escape including \uXXXX and \UXXXXXXXX), integers (decimal with
 * underscores, 0x, 0o, 0b), floats (incl. inf and nan), booleans, arrays
 * (multi-line, trailing comma, comments inside), inline tables, and
 * date-times (kept as strings).  It is strict: duplicate keys, redefined
 * tables, appending to static arrays, extending inline tables, control
 * characters and any other syntax error are reported as "file:line: ...".
 *
 * Table states are kept beside the JSON tree (JsonObject -> how it was
 * defined) because the JSON tree alone cannot tell an implicitly created
 * table from one that has its own [header].
 */
#include "config.h"

#include "toml.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (oob-toml-error-quark, oob_toml_error)

typedef enum {
  TABLE_IMPLICIT = 1, /* created as a parent of a header path */
  TABLE_HEADER,       /* has its own [header] */
  TABLE_DOTTED,       /* created by a dotted key */
  TABLE_INLINE,       /* { inline } - closed */
  TABLE_ARRAY_ITEM,   /* an element of an [[array of tables]] */
} TableState;

typedef struct {
  const char *p;
  const char *end;
  const char *filename;
  guint line;
  GHashTable *table_state;  /* JsonObject* -> TableState */
  GHashTable *table_arrays; /* JsonArray* created by [[...]] -> 1 */
  GHashTable *value_lines;  /* optional, JsonNode* -> line */
  GError **error;
} Parser;

/* Every failure goes through here; returns FALSE for convenience. */
G_GNUC_PRINTF (3, 4) static gboolean
fail (Parser *ps, int code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (ps->error && !*ps->error)
    g_set_error (ps->error, OOB_TOML_ERROR, code, "%s:%u: %s",
                 ps->filename ? ps->filename : "<toml>", ps->line, msg);
  return FALSE;
}

static gboolean
at_end (Parser *ps)
{
  return ps->p >= ps->end;
}

static int
peek (Parser *ps, gsize ahead)
{
  return ps->p + ahead < ps->end ? (unsigned char) ps->p[ahead] : -1;
}

static gboolean
starts_with (Parser *ps, const char *s)
{
  gsize n = strlen (s);
  return (gsize) (ps->end - ps->p) >= n && memcmp (ps->p, s, n) == 0;
}

static void
skip_ws (Parser *ps)
{
  while (!at_end (ps) && (*ps->p == ' ' || *ps->p == '\t'))
    ps->p++;
}

/* A comment runs to the end of the line; control characters other than tab
 * are not allowed in it. */
static gboolean
skip_comment (Parser *ps)
{
  if (at_end (ps) || *ps->p != '#')
    return TRUE;
  while (!at_end (ps) && *ps->p != '\n')
    {
      unsigned char c = (unsigned char) *ps->p;
      if (c == '\r' && peek (ps, 1) == '\n')
        break;
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "control character in comment");
      ps->p++;
    }
  return TRUE;
}

/* Consume one newline (LF or CRLF) if present. */
static gboolean
eat_newline (Parser *ps)
{
  if (starts_with (ps, "\r\n"))
    ps->p += 2;
  else if (!at_end (ps) && *ps->p == '\n')
    ps->p++;
  else
    return FALSE;
  ps->line++;
  return TRUE;
}

/* Whitespace, comments and newlines (inside arrays). */
static gboolean
skip_ws_comments_newlines (Parser *ps)
{
  for (;;)
    {
      skip_ws (ps);
      if (!skip_comment (ps))
        return FALSE;
      if (!eat_newline (ps))
        return TRUE;
    }
}

/* After a key/value pair or a header: only whitespace, a comment, then a
 * newline or the end of the text. */
static gboolean
expect_line_end (Parser *ps)
{
  skip_ws (ps);
  if (!skip_comment (ps))
    return FALSE;
  if (at_end (ps) || eat_newline (ps))
    return TRUE;
  return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected end of line, found '%c'", *ps->p);
}

static void
record_line (Parser *ps, JsonNode *node, guint line)
{
  if (ps->value_lines)
    g_hash_table_insert (ps->value_lines, node, GUINT_TO_POINTER (line));
}

/* ---- strings ---------------------------------------------------------- */

static gboolean
parse_hex_escape (Parser *ps, int digits, GString *out)
{
  gunichar cp = 0;
  for (int i = 0; i < digits; i++)
    {
      int c = peek (ps, i);
      if (c < 0 || !g_ascii_isxdigit (c))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad \\%c escape: need %d hex digits",
                     digits == 4 ? 'u' : 'U', digits);
      cp = cp * 16 + g_ascii_xdigit_value (c);
    }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "escape is not a Unicode scalar value: U+%04X", cp);
  ps->p += digits;
  g_string_append_unichar (out, cp);
  return TRUE;
}

/* A backslash escape in a basic string; ps->p is just after the '\'. */
static gboolean
parse_escape (Parser *ps, GString *out)
{
  if (at_end (ps))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated escape");
  char c = *ps->p++;
  switch (c)
    {
    case 'b': g_string_append_c (out, '\b'); return TRUE;
    case 't': g_string_append_c (out, '\t'); return TRUE;
    case 'n': g_string_append_c (out, '\n'); return TRUE;
    case 'f': g_string_append_c (out, '\f'); return TRUE;
    case 'r': g_string_append_c (out, '\r'); return TRUE;
    case '"': g_string_append_c (out, '"'); return TRUE;
    case '\\': g_string_append_c (out, '\\'); return TRUE;
    case 'u': return parse_hex_escape (ps, 4, out);
    case 'U': return parse_hex_escape (ps, 8, out);
    default:
      return fail (ps, OOB_TOML_ERROR_SYNTAX, "unknown escape \\%c", c);
    }
}

/* Append one UTF-8 character of string content, refusing control
 * characters; newlines are handled by the callers. */
static gboolean
append_char (Parser *ps, GString *out)
{
  unsigned char c = (unsigned char) *ps->p;
  if ((c < 0x20 && c != '\t') || c == 0x7f)
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "control character U+%04X in string", c);
  g_string_append_c (out, *ps->p++);
  return TRUE;
}

static gboolean
parse_basic_string (Parser *ps, GString *out)
{
  ps->p++; /* " */
  for (;;)
    {
      if (at_end (ps) || *ps->p == '\n' || *ps->p == '\r')
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated string");
      if (*ps->p == '"')
        {
          ps->p++;
          return TRUE;
        }
      if (*ps->p == '\\')
        {
          ps->p++;
          if (!parse_escape (ps, out))
            return FALSE;
        }
      else if (!append_char (ps, out))
        return FALSE;
    }
}

static gboolean
parse_literal_string (Parser *ps, GString *out)
{
  ps->p++; /* ' */
  for (;;)
    {
      if (at_end (ps) || *ps->p == '\n' || *ps->p == '\r')
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated literal string");
      if (*ps->p == '\'')
        {
          ps->p++;
          return TRUE;
        }
      if (!append_char (ps, out))
        return FALSE;
    }
}

/* """...""" or '''...'''; up to two quote characters may end the content
 * right before the closing delimiter. */
static gboolean
parse_multiline_string (Parser *ps, char quote, GString *out)
{
  const char delim[4] = { quote, quote, quote, 0 };
  ps->p += 3;
  eat_newline (ps); /* a newline right after the opening delimiter is trimmed */
  for (;;)
    {
      if (at_end (ps))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated multi-line string");
      if (starts_with (ps, delim))
        {
          int extra = 0;
          while (extra < 2 && peek (ps, 3 + extra) == quote)
            extra++;
          if (peek (ps, 3 + extra) == quote)
            return fail (ps, OOB_TOML_ERROR_SYNTAX, "too many quotes closing a multi-line string");
          g_string_append_len (out, ps->p, extra);
          ps->p += 3 + extra;
          return TRUE;
        }
      if (*ps->p == '\n' || starts_with (ps, "\r\n"))
        {
          g_string_append_c (out, '\n');
          eat_newline (ps);
          continue;
        }
      if (quote == '"' && *ps->p == '\\')
        {
          /* line-ending backslash: drop it and all whitespace/newlines after */
          const char *q = ps->p + 1;
          while (q < ps->end && (*q == ' ' || *q == '\t'))
            q++;
          if (q < ps->end && (*q == '\n' || *q == '\r'))
            {
              ps->p = q;
              if (!eat_newline (ps))
                return fail (ps, OOB_TOML_ERROR_SYNTAX, "bare carriage return in string");
              for (;;)
                {
                  if (!at_end (ps) && (*ps->p == ' ' || *ps->p == '\t'))
                    ps->p++;
                  else if (!eat_newline (ps))
                    break;
                }
              continue;
            }
          ps->p++;
          if (!parse_escape (ps, out))
            return FALSE;
          continue;
        }
      if (!append_char (ps, out))
        return FALSE;
    }
}

static gboolean
parse_string (Parser *ps, GString *out)
{
  if (starts_with (ps, "\"\"\""))
    return parse_multiline_string (ps, '"', out);
  if (starts_with (ps, "'''"))
    return parse_multiline_string (ps, '\'', out);
  if (*ps->p == '"')
    return parse_basic_string (ps, out);
  return parse_literal_string (ps, out);
}

/* ---- keys ------------------------------------------------------------- */

static gboolean
is_bare_key_char (int c)
{
  return c >= 0 && (g_ascii_isalnum (c) || c == '_' || c == '-');
}

/* key = simple-key *( ws "." ws simple-key ); fills @path with strings. */
static gboolean
parse_key (Parser *ps, GPtrArray *path)
{
  for (;;)
    {
      skip_ws (ps);
      if (at_end (ps))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected a key");
      if (*ps->p == '"' || *ps->p == '\'')
        {
          if (starts_with (ps, "\"\"\"") || starts_with (ps, "'''"))
            return fail (ps, OOB_TOML_ERROR_SYNTAX, "multi-line strings cannot be keys");
          g_autoptr (GString) s = g_string_new (NULL);
          if (!parse_string (ps, s))
            return FALSE;
          g_ptr_array_add (path, g_string_free (g_steal_pointer (&s), FALSE));
        }
      else if (is_bare_key_char (*ps->p))
        {
          const char *start = ps->p;
          while (is_bare_key_char (peek (ps, 0)))
            ps->p++;
          g_ptr_array_add (path, g_strndup (start, ps->p - start));
        }
      else
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected a key, found '%c'", *ps->p);
      skip_ws (ps);
      if (at_end (ps) || *ps->p != '.')
        return TRUE;
      ps->p++;
    }
}

/* ---- scalars ---------------------------------------------------------- */

/* Copy the run of characters that may form a number, date or word. */
static char *
take_token (Parser *ps)
{
  const char *start = ps->p;
  while (!at_end (ps))
    {
      char c = *ps->p;
      if (g_ascii_isalnum (c) || c == '_' || c == '+' || c == '-' || c == '.' || c == ':')
        ps->p++;
      else if (c == ' ' && ps->p - start == 10 && start[4] == '-' &&
               ps->p + 1 < ps->end && g_ascii_isdigit (ps->p[1]))
        ps->p++; /* "1979-05-27 07:32:00": space between date and time */
      else
        break;
    }
  return g_strndup (start, ps->p - start);
}

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* HH:MM:SS(.frac)? */
static gboolean
is_time (const char *s, const char **rest)
{
  if (strlen (s) < 8 || !all_digits (s, 2) || s[2] != ':' || !all_digits (s + 3, 2) ||
      s[5] != ':' || !all_digits (s + 6, 2))
    return FALSE;
  if (atoi (s) > 23 || atoi (s + 3) > 59 || atoi (s + 6) > 60)
    return FALSE;
  s += 8;
  if (*s == '.')
    {
      s++;
      if (!g_ascii_isdigit (*s))
        return FALSE;
      while (g_ascii_isdigit (*s))
        s++;
    }
  *rest = s;
  return TRUE;
}

/* RFC 3339 as TOML allows: date, local time, local or offset date-time. */
static gboolean
is_datetime (const char *s)
{
  const char *rest;
  if (is_time (s, &rest))
    return *rest == '\0';
  if (strlen (s) < 10 || !all_digits (s, 4) || s[4] != '-' || !all_digits (s + 5, 2) ||
      s[7] != '-' || !all_digits (s + 8, 2))
    return FALSE;
  int month = atoi (s + 5), day = atoi (s + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  s += 10;
  if (*s == '\0')
    return TRUE;
  if (*s != 'T' && *s != 't' && *s != ' ')
    return FALSE;
  if (!is_time (s + 1, &rest))
    return FALSE;
  if (*rest == '\0' || ((*rest == 'Z' || *rest == 'z') && rest[1] == '\0'))
    return TRUE;
  return (*rest == '+' || *rest == '-') && strlen (rest) == 6 && all_digits (rest + 1, 2) &&
         rest[3] == ':' && all_digits (rest + 4, 2);
}

/* Remove underscores, each of which must sit between two digits. */
static gboolean
strip_underscores (const char *s, GString *out, gboolean hex)
{
  for (const char *c = s; *c; c++)
    {
      if (*c != '_')
        {
          g_string_append_c (out, *c);
          continue;
        }
      if (c == s || !(hex ? g_ascii_isxdigit (c[-1]) : g_ascii_isdigit (c[-1])) ||
          !(hex ? g_ascii_isxdigit (c[1]) : g_ascii_isdigit (c[1])))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number_or_date (Parser *ps, JsonNode **out)
{
  g_autofree char *tok = take_token (ps);
  if (*tok == '\0')
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected a value, found '%c'", *ps->p);

  if (strcmp (tok, "true") == 0 || strcmp (tok, "false") == 0)
    {
      *out = json_node_init_boolean (json_node_alloc (), tok[0] == 't');
      return TRUE;
    }
  const char *unsigned_tok = (tok[0] == '+' || tok[0] == '-') ? tok + 1 : tok;
  if (strcmp (unsigned_tok, "inf") == 0 || strcmp (unsigned_tok, "nan") == 0)
    {
      double v = unsigned_tok[0] == 'i' ? INFINITY : NAN;
      *out = json_node_init_double (json_node_alloc (), tok[0] == '-' ? -v : v);
      return TRUE;
    }
  if (is_datetime (tok))
    {
      *out = json_node_init_string (json_node_alloc (), tok);
      return TRUE;
    }

  /* prefixed integers: no sign allowed */
  if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b'))
    {
      int base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
      g_autoptr (GString) digits = g_string_new (NULL);
      if (tok[2] == '\0' || !strip_underscores (tok + 2, digits, base == 16))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad integer '%s'", tok);
      guint64 v;
      g_autoptr (GError) err = NULL;
      if (!g_ascii_string_to_unsigned (digits->str, base, 0, G_MAXINT64, &v, &err))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad integer '%s': %s", tok, err->message);
      *out = json_node_init_int (json_node_alloc (), (gint64) v);
      return TRUE;
    }

  g_autoptr (GString) clean = g_string_new (NULL);
  if (!strip_underscores (tok, clean, FALSE))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad number '%s': misplaced underscore", tok);
  const char *d = clean->str + ((clean->str[0] == '+' || clean->str[0] == '-') ? 1 : 0);
  if (!g_ascii_isdigit (*d))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad value '%s'", tok);
  if (d[0] == '0' && g_ascii_isdigit (d[1]))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "leading zero in '%s'", tok);

  if (strpbrk (d, ".eE") == NULL)
    {
      if (!all_digits (d, strlen (d)))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad integer '%s'", tok);
      errno = 0;
      gint64 v = g_ascii_strtoll (clean->str, NULL, 10);
      if (errno == ERANGE)
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "integer out of range '%s'", tok);
      *out = json_node_init_int (json_node_alloc (), v);
      return TRUE;
    }

  /* float: int-part ( frac [exp] | exp ), digits on both sides of '.' */
  const char *c = d;
  while (g_ascii_isdigit (*c))
    c++;
  if (*c == '.')
    {
      c++;
      if (!g_ascii_isdigit (*c))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad float '%s'", tok);
      while (g_ascii_isdigit (*c))
        c++;
    }
  if (*c == 'e' || *c == 'E')
    {
      c++;
      if (*c == '+' || *c == '-')
        c++;
      if (!g_ascii_isdigit (*c))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad float '%s'", tok);
      while (g_ascii_isdigit (*c))
        c++;
    }
  if (*c != '\0')
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "bad float '%s'", tok);
  *out = json_node_init_double (json_node_alloc (), g_ascii_strtod (clean->str, NULL));
  return TRUE;
}

/* ---- values, arrays, inline tables ----------------------------------- */

static gboolean parse_value (Parser *ps, JsonNode **out);
static gboolean set_key_value (Parser *ps, JsonObject *table, GPtrArray *path,
                               JsonNode *value);

static gboolean
parse_array (Parser *ps, JsonNode **out)
{
  g_autoptr (JsonArray) array = json_array_new ();
  ps->p++; /* [ */
  for (;;)
    {
      if (!skip_ws_comments_newlines (ps))
        return FALSE;
      if (at_end (ps))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated array");
      if (*ps->p == ']')
        break;
      JsonNode *elem = NULL;
      guint line = ps->line;
      if (!parse_value (ps, &elem))
        return FALSE;
      record_line (ps, elem, line);
      json_array_add_element (array, elem);
      if (!skip_ws_comments_newlines (ps))
        return FALSE;
      if (at_end (ps))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated array");
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p != ']')
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected ',' or ']' in array, found '%c'", *ps->p);
      break;
    }
  ps->p++; /* ] */
  *out = json_node_init_array (json_node_alloc (), array);
  return TRUE;
}

static gboolean
parse_inline_table (Parser *ps, JsonNode **out)
{
  g_autoptr (JsonObject) table = json_object_new ();
  ps->p++; /* { */
  skip_ws (ps);
  if (!at_end (ps) && *ps->p == '}')
    {
      ps->p++;
      g_hash_table_insert (ps->table_state, table, GINT_TO_POINTER (TABLE_INLINE));
      *out = json_node_init_object (json_node_alloc (), table);
      return TRUE;
    }
  for (;;)
    {
      g_autoptr (GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
      if (!parse_key (ps, path))
        return FALSE;
      if (at_end (ps) || *ps->p != '=')
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected '=' after key in inline table");
      ps->p++;
      skip_ws (ps);
      JsonNode *value = NULL;
      guint line = ps->line;
      if (!parse_value (ps, &value))
        return FALSE;
      record_line (ps, value, line);
      if (!set_key_value (ps, table, path, value))
        return FALSE;
      skip_ws (ps);
      if (at_end (ps))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "unterminated inline table");
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p == '}')
        break;
      return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected ',' or '}' in inline table, found '%c'",
                   *ps->p == '\n' ? ' ' : *ps->p);
    }
  ps->p++; /* } */
  /* dotted sub-tables inside it are unreachable from outside: a header or
   * dotted key stops at the closed inline table itself */
  g_hash_table_insert (ps->table_state, table, GINT_TO_POINTER (TABLE_INLINE));
  *out = json_node_init_object (json_node_alloc (), table);
  return TRUE;
}

static gboolean
parse_value (Parser *ps, JsonNode **out)
{
  if (at_end (ps))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected a value");
  char c = *ps->p;
  if (c == '"' || c == '\'')
    {
      g_autoptr (GString) s = g_string_new (NULL);
      if (!parse_string (ps, s))
        return FALSE;
      if (!g_utf8_validate_len (s->str, s->len, NULL))
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "string is not valid UTF-8");
      *out = json_node_init_string (json_node_alloc (), s->str);
      return TRUE;
    }
  if (c == '[')
    return parse_array (ps, out);
  if (c == '{')
    return parse_inline_table (ps, out);
  return parse_number_or_date (ps, out);
}

/* ---- tables ----------------------------------------------------------- */

static TableState
table_state (Parser *ps, JsonObject *table)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (ps->table_state, table));
}

static JsonObject *
new_subtable (Parser *ps, JsonObject *parent, const char *key, TableState state)
{
  JsonObject *sub = json_object_new ();
  g_hash_table_insert (ps->table_state, sub, GINT_TO_POINTER (state));
  json_object_set_object_member (parent, key, sub);
  return sub;
}

/* Walk the non-final parts of a header path, creating implicit tables. */
static JsonObject *
walk_header_parents (Parser *ps, JsonObject *table, GPtrArray *path)
{
  g_autoptr (GString) shown = g_string_new (NULL);
  for (guint i = 0; i + 1 < path->len; i++)
    {
      const char *key = path->pdata[i];
      g_string_append_printf (shown, "%s%s", i ? "." : "", key);
      JsonNode *node = json_object_get_member (table, key);
      if (!node)
        {
          table = new_subtable (ps, table, key, TABLE_IMPLICIT);
          continue;
        }
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          table = json_node_get_object (node);
          if (table_state (ps, table) == TABLE_INLINE)
            return fail (ps, OOB_TOML_ERROR_DUPLICATE, "'%s' is an inline table and cannot be extended",
                         shown->str), NULL;
          continue;
        }
      if (JSON_NODE_HOLDS_ARRAY (node) &&
          g_hash_table_contains (ps->table_arrays, json_node_get_array (node)))
        {
          JsonArray *array = json_node_get_array (node);
          table = json_array_get_object_element (array, json_array_get_length (array) - 1);
          continue;
        }
      return fail (ps, OOB_TOML_ERROR_DUPLICATE, "'%s' is already defined as a value", shown->str), NULL;
    }
  return table;
}

static gchar *
join_path (GPtrArray *path)
{
  g_ptr_array_add (path, NULL);
  char *s = g_strjoinv (".", (char **) path->pdata);
  g_ptr_array_remove_index (path, path->len - 1);
  return s;
}

static JsonObject *resolve_header (Parser *ps, JsonObject *root, GPtrArray *path,
                                   gboolean array_of_tables);

/* [a.b.c] or [[a.b.c]]; returns the table that following keys fill. */
static JsonObject *
parse_header (Parser *ps, JsonObject *root)
{
  gboolean array_of_tables = starts_with (ps, "[[");
  ps->p += array_of_tables ? 2 : 1;
  g_autoptr (GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  if (!parse_key (ps, path))
    return NULL;
  if (array_of_tables ? !starts_with (ps, "]]") : (at_end (ps) || *ps->p != ']'))
    return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected '%s' to close the table header",
                 array_of_tables ? "]]" : "]"), NULL;
  ps->p += array_of_tables ? 2 : 1;
  JsonObject *table = resolve_header (ps, root, path, array_of_tables);
  if (!table || !expect_line_end (ps))
    return NULL;
  return table;
}

/* Find or create the table a header names (errors on the header's line). */
static JsonObject *
resolve_header (Parser *ps, JsonObject *root, GPtrArray *path, gboolean array_of_tables)
{
  JsonObject *parent = walk_header_parents (ps, root, path);
  if (!parent)
    return NULL;
  const char *key = path->pdata[path->len - 1];
  g_autofree char *shown = join_path (path);
  JsonNode *node = json_object_get_member (parent, key);

  if (array_of_tables)
    {
      JsonArray *array;
      if (!node)
        {
          array = json_array_new ();
          g_hash_table_add (ps->table_arrays, array);
          json_object_set_array_member (parent, key, array);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) &&
               g_hash_table_contains (ps->table_arrays, json_node_get_array (node)))
        array = json_node_get_array (node);
      else
        return fail (ps, OOB_TOML_ERROR_DUPLICATE, "'%s' is already defined and is not an array of tables",
                     shown), NULL;
      JsonObject *item = json_object_new ();
      g_hash_table_insert (ps->table_state, item, GINT_TO_POINTER (TABLE_ARRAY_ITEM));
      json_array_add_object_element (array, item);
      return item;
    }

  if (!node)
    return new_subtable (ps, parent, key, TABLE_HEADER);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *table = json_node_get_object (node);
      if (table_state (ps, table) == TABLE_IMPLICIT)
        {
          g_hash_table_insert (ps->table_state, table, GINT_TO_POINTER (TABLE_HEADER));
          return table;
        }
    }
  return fail (ps, OOB_TOML_ERROR_DUPLICATE, "table '%s' is defined more than once", shown), NULL;
}

/* Set path = value in @table, creating dotted-key tables on the way. */
static gboolean
set_key_value (Parser *ps, JsonObject *table, GPtrArray *path, JsonNode *value)
{
  g_autofree char *shown = join_path (path);
  for (guint i = 0; i + 1 < path->len; i++)
    {
      const char *key = path->pdata[i];
      JsonNode *node = json_object_get_member (table, key);
      if (!node)
        {
          table = new_subtable (ps, table, key, TABLE_DOTTED);
          continue;
        }
      if (JSON_NODE_HOLDS_OBJECT (node) &&
          table_state (ps, json_node_get_object (node)) == TABLE_DOTTED)
        {
          table = json_node_get_object (node);
          continue;
        }
      json_node_unref (value);
      return fail (ps, OOB_TOML_ERROR_DUPLICATE, "key '%s': '%s' is already defined", shown, key);
    }
  const char *key = path->pdata[path->len - 1];
  if (json_object_has_member (table, key))
    {
      json_node_unref (value);
      return fail (ps, OOB_TOML_ERROR_DUPLICATE, "key '%s' is defined more than once", shown);
    }
  json_object_set_member (table, key, value);
  return TRUE;
}

static gboolean
parse_document (Parser *ps, JsonObject *root)
{
  JsonObject *current = root;
  /* a UTF-8 byte order mark is allowed at the very start */
  if (starts_with (ps, "\xEF\xBB\xBF"))
    ps->p += 3;
  while (!at_end (ps))
    {
      skip_ws (ps);
      if (!skip_comment (ps))
        return FALSE;
      if (eat_newline (ps))
        continue;
      if (at_end (ps))
        break;
      if (*ps->p == '[')
        {
          current = parse_header (ps, root);
          if (!current)
            return FALSE;
          continue;
        }
      g_autoptr (GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
      if (!parse_key (ps, path))
        return FALSE;
      if (at_end (ps) || *ps->p != '=')
        return fail (ps, OOB_TOML_ERROR_SYNTAX, "expected '=' after key '%s'",
                     (char *) path->pdata[path->len - 1]);
      ps->p++;
      skip_ws (ps);
      guint line = ps->line;
      JsonNode *value = NULL;
      if (!parse_value (ps, &value))
        return FALSE;
      record_line (ps, value, line);
      if (!set_key_value (ps, current, path, value))
        return FALSE;
      if (!expect_line_end (ps))
        return FALSE;
    }
  return TRUE;
}

JsonNode *
oob_toml_parse_with_lines (const char *text, gsize len, const char *filename,
                           GHashTable *value_lines, GError **error)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *bad_utf8;
  if (!g_utf8_validate_len (text, len, &bad_utf8))
    {
      guint line = 1;
      for (const char *c = text; c < bad_utf8; c++)
        line += *c == '\n';
      g_set_error (error, OOB_TOML_ERROR, OOB_TOML_ERROR_SYNTAX, "%s:%u: not valid UTF-8",
                   filename ? filename : "<toml>", line);
      return NULL;
    }
  if (memchr (text, '\0', len))
    {
      g_set_error (error, OOB_TOML_ERROR, OOB_TOML_ERROR_SYNTAX, "%s: NUL byte in TOML text",
                   filename ? filename : "<toml>");
      return NULL;
    }

  Parser ps = {
    .p = text,
    .end = text + len,
    .filename = filename,
    .line = 1,
    .table_state = g_hash_table_new (g_direct_hash, g_direct_equal),
    .table_arrays = g_hash_table_new (g_direct_hash, g_direct_equal),
    .value_lines = value_lines,
    .error = error,
  };
  g_autoptr (JsonObject) root = json_object_new ();
  gboolean ok = parse_document (&ps, root);
  g_hash_table_destroy (ps.table_state);
  g_hash_table_destroy (ps.table_arrays);
  if (!ok)
    return NULL;
  return json_node_init_object (json_node_alloc (), root);
}

JsonNode *
oob_toml_parse (const char *text, gsize len, const char *filename, GError **error)
{
  return oob_toml_parse_with_lines (text, len, filename, NULL, error);
}

JsonNode *
oob_toml_parse_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) io_error = NULL;
  if (!g_file_get_contents (path, &text, &len, &io_error))
    {
      g_set_error (error, OOB_TOML_ERROR, OOB_TOML_ERROR_IO, "%s", io_error->message);
      return NULL;
    }
  return oob_toml_parse (text, len, path, error);
}
