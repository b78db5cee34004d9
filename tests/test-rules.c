/* test-rules.c - rule files, precedence, errors, bounded matching, the
 * response line, and the shipped rules against their samples. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cmd_rules.h"
#include "rule_prefilter.h"
#include "rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static char *tmpdir;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static OobRules *
load_one (const char *path, GError **error)
{
  const char *files[] = { path, NULL };
  return oob_rules_load (files, error);
}

static const char *
classify (OobRules *rules, const char *line)
{
  g_autoptr (GError) error = NULL;
  const OobRule *rule = oob_rules_match (rules, line, &error);
  g_assert_no_error (error);
  return rule ? rule->class_name : OOB_CLASS_UNCATEGORIZED;
}

static void
test_toml_rules (void)
{
  g_autofree char *path = write_file ("a.toml",
                                      "# comment\n"
                                      "[rules]\n"
                                      "InvalidRecipient = [\n"
                                      "  '^(451|550) [45]\\.1\\.[1234] ',\n"
                                      "  \"^5\\\\d{2} [45]\\\\.7\\\\.17 \",\n"
                                      "]\n"
                                      "MyOwnClass = ['(?i)custom words']\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (OobRules) rules = load_one (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oob_rules_count (rules), ==, 3);
  const OobRule *r = oob_rules_get (rules, 1);
  g_assert_cmpstr (r->class_name, ==, "InvalidRecipient");
  g_assert_cmpstr (r->pattern, ==, "^5\\d{2} [45]\\.7\\.17 ");
  g_assert_cmpuint (r->line, ==, 5);
  g_autofree char *loc = g_strdup_printf ("%s:5", path);
  g_assert_cmpstr (r->location, ==, loc);

  g_assert_cmpstr (classify (rules, "550 5.1.1 nobody here"), ==, "InvalidRecipient");
  g_assert_cmpstr (classify (rules, "551 4.7.17 "), ==, "InvalidRecipient");
  g_assert_cmpstr (classify (rules, "250 2.0.0 some CUSTOM words"), ==, "MyOwnClass");
  g_assert_cmpstr (classify (rules, "550 5.2.2 full"), ==, OOB_CLASS_UNCATEGORIZED);
  g_assert_false (oob_class_is_builtin ("MyOwnClass"));
  g_assert_true (oob_class_is_builtin ("TooManyRecipients"));
  g_assert_cmpuint (g_strv_length ((GStrv) oob_kumo_classes), ==, 29);
}

static void
test_json_rules (void)
{
  g_autofree char *path = write_file ("b.rules",
                                      "{\n"
                                      "  \"rules\": {\n"
                                      "    \"QuotaIssues\": [\n"
                                      "      \"^5\\\\d\\\\d [45]\\\\.2\\\\.2 \",\n"
                                      "      \"(?i)mailbox full\"\n"
                                      "    ]\n"
                                      "  }\n"
                                      "}\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (OobRules) rules = load_one (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oob_rules_count (rules), ==, 2);
  g_assert_cmpuint (oob_rules_get (rules, 0)->line, ==, 4);
  g_assert_cmpuint (oob_rules_get (rules, 1)->line, ==, 5);
  g_assert_cmpstr (classify (rules, "552 5.2.2 "), ==, "QuotaIssues");
  g_assert_cmpstr (classify (rules, "450 4.2.2 Mailbox Full"), ==, "QuotaIssues");
}

static void
test_file_order (void)
{
  g_autofree char *user = write_file ("user.toml",
                                      "[rules]\nQuotaIssues = ['^550 5\\.1\\.1 .*mailbox full']\n");
  g_autofree char *shipped = write_file ("shipped.toml",
                                         "[rules]\n"
                                         "InvalidRecipient = ['^550 5\\.1\\.1 ']\n"
                                         "BadDomain = ['^550 5\\.1\\.1 ', 'no such domain']\n");
  const char *user_first[] = { user, shipped, NULL };
  const char *shipped_first[] = { shipped, user, NULL };
  g_autoptr (OobRules) a = oob_rules_load (user_first, NULL);
  g_autoptr (OobRules) b = oob_rules_load (shipped_first, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  /* earliest file wins */
  g_assert_cmpstr (classify (a, "550 5.1.1 mailbox full"), ==, "QuotaIssues");
  g_assert_cmpstr (classify (b, "550 5.1.1 mailbox full"), ==, "InvalidRecipient");
  /* then document order inside a file */
  g_assert_cmpstr (classify (a, "550 5.1.1 nobody"), ==, "InvalidRecipient");
  g_autoptr (GError) error = NULL;
  const OobRule *r = oob_rules_match (a, "550 5.1.1 nobody", &error);
  g_autofree char *loc = g_strdup_printf ("%s:2", shipped);
  g_assert_cmpstr (r->location, ==, loc);
  g_assert_cmpuint (r->index, ==, 1);
}

static void
test_bad_regex (void)
{
  g_autofree char *path = write_file ("bad.toml",
                                      "[rules]\n"
                                      "InvalidRecipient = [\n"
                                      "  '^550 ',\n"
                                      "  '(unclosed',\n"
                                      "]\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (OobRules) rules = load_one (path, &error);
  g_assert_no_error (error); /* compiled lazily */
  /* a line the first rule takes never needs the bad one */
  g_assert_cmpstr (classify (rules, "550 5.1.1 x"), ==, "InvalidRecipient");
  const OobRule *r = oob_rules_match (rules, "451 4.1.1 x", &error);
  g_assert_null (r);
  g_assert_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_REGEX);
  g_autofree char *where = g_strdup_printf ("%s:4:", path);
  g_assert_true (g_str_has_prefix (error->message, where));
  g_assert_nonnull (strstr (error->message, "missing closing parenthesis"));
  g_clear_error (&error);
  /* prepare() finds it up front */
  g_assert_false (oob_rules_prepare (rules, FALSE, &error));
  g_assert_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_REGEX);
  g_assert_true (g_str_has_prefix (error->message, where));
}

static void
test_bad_files (void)
{
  struct { const char *name, *text, *where; } cases[] = {
    { "norules.toml", "[other]\nx = ['a']\n", "norules.toml: no [rules]" },
    { "notarray.toml", "[rules]\n\nInvalidRecipient = 'x'\n", "notarray.toml:3:" },
    { "notstring.toml", "[rules]\nA = [\n 'ok',\n 42,\n]\n", "notstring.toml:4:" },
    { "syntax.toml", "[rules]\nA = ['x'\nB = 1\n", "syntax.toml:3:" },
    { "dup.toml", "[rules]\nA = ['x']\nA = ['y']\n", "dup.toml:3:" },
    { "bad.json", "{\"rules\": {\"A\": [\"x\",]}}", "bad.json:1:" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (cases[i].name, cases[i].text);
      g_autoptr (GError) error = NULL;
      g_autoptr (OobRules) rules = load_one (path, &error);
      g_assert_null (rules);
      g_assert_nonnull (error);
      g_autofree char *want = g_build_filename (tmpdir, cases[i].where, NULL);
      if (!g_str_has_prefix (error->message, want))
        g_error ("%s: expected '%s...', got '%s'", cases[i].name, want, error->message);
    }
  g_autoptr (GError) error = NULL;
  const char *none[] = { NULL };
  g_assert_null (oob_rules_load (none, &error));
  g_assert_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_NO_FILES);
  g_clear_error (&error);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.toml", NULL);
  g_assert_null (load_one (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* A catastrophic pattern is cut off by the match limit, skipped with a
 * warning, and the next rule still gets its chance: interpreted, and
 * JIT-compiled once it has run often enough. */
static void
test_match_limit (void)
{
  g_autofree char *path = write_file ("slow.toml",
                                      "[rules]\n"
                                      "SpamBlock = ['^(a+)+$']\n"
                                      "QuotaIssues = ['a{10}']\n");
  g_autoptr (OobRules) rules = load_one (path, NULL);
  g_autofree char *line = g_strnfill (40, 'a');
  line[39] = 'b';
  g_test_expect_message ("oobproc", G_LOG_LEVEL_WARNING, "*slow.toml:2*skipped*");
  g_assert_cmpstr (classify (rules, line), ==, "QuotaIssues");
  g_test_assert_expected_messages ();
  g_assert_true (oob_rules_prepare (rules, TRUE, NULL));
  for (int run = 0; run <= OOB_RULES_JIT_AFTER_RUNS; run++)
    {
      g_test_expect_message ("oobproc", G_LOG_LEVEL_WARNING, "*slow.toml:2*skipped*");
      g_assert_cmpstr (classify (rules, line), ==, "QuotaIssues");
      g_test_assert_expected_messages ();
    }
}

static void
test_cache (void)
{
  g_autofree char *path = write_file ("cached.toml",
                                      "[rules]\nQuotaIssues = ['(?i)mailbox full']\n");
  g_autofree char *cache = g_build_filename (tmpdir, "rules.cache", NULL);
  const char *files[] = { path, NULL };
  g_autoptr (GError) error = NULL;

  /* first load compiles and writes the cache */
  OobRules *rules = oob_rules_load_cached (files, cache, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (classify (rules, "552 5.2.2 Mailbox Full"), ==, "QuotaIssues");
  oob_rules_free (rules);

  /* second load comes from the cache: same rules, same locations */
  rules = oob_rules_load_cached (files, cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oob_rules_count (rules), ==, 1);
  g_autofree char *loc = g_strdup_printf ("%s:2", path);
  g_assert_cmpstr (oob_rules_get (rules, 0)->location, ==, loc);
  g_assert_cmpstr (classify (rules, "552 5.2.2 Mailbox Full"), ==, "QuotaIssues");
  g_assert_true (oob_rules_prepare (rules, TRUE, NULL)); /* JIT on decoded codes */
  for (int run = 0; run <= OOB_RULES_JIT_AFTER_RUNS; run++)
    g_assert_cmpstr (classify (rules, "552 5.2.2 mailbox FULL"), ==, "QuotaIssues");
  oob_rules_free (rules);

  /* a changed rule file makes the cache stale */
  g_free (write_file ("cached.toml", "[rules]\nInactiveMailbox = ['(?i)mailbox full', 'x']\n"));
  rules = oob_rules_load_cached (files, cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oob_rules_count (rules), ==, 2);
  g_assert_cmpstr (classify (rules, "552 5.2.2 Mailbox Full"), ==, "InactiveMailbox");
  oob_rules_free (rules);

  /* a damaged cache is ignored and rewritten */
  g_assert_true (g_file_set_contents (cache, "oobproc rules cache 1\ngarbage", -1, NULL));
  rules = oob_rules_load_cached (files, cache, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (classify (rules, "552 5.2.2 Mailbox Full"), ==, "InactiveMailbox");
  oob_rules_free (rules);
  g_autofree char *rewritten = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (cache, &rewritten, &len, NULL));
  g_assert_cmpuint (len, >, 100);

  /* a bad regex is an error at load time here, naming file:line */
  g_free (write_file ("cached.toml", "[rules]\nA = ['ok',\n  '(']\n"));
  g_assert_null (oob_rules_load_cached (files, cache, &error));
  g_assert_error (error, OOB_RULES_ERROR, OOB_RULES_ERROR_REGEX);
  g_autofree char *where = g_strdup_printf ("%s:3:", path);
  g_assert_true (g_str_has_prefix (error->message, where));
}

static void
test_rust_syntax (void)
{
  /* constructs KumoMTA rule files use: inline flags, \d, {n}, named
   * groups in both spellings, Unicode classes, \z, non-greedy */
  g_autofree char *path = write_file ("rust.toml",
                                      "[rules]\n"
                                      "A = ['(?i)^5\\d{2} (?P<x>[45])\\.1\\.1 .*?USER unknown\\z']\n"
                                      "B = ['(?<word>\\p{L}+) \\pN']\n"
                                      "C = ['''(?x) ^ 4 \\d \\d \\s  # comment\n''']\n"
                                      "D = ['user unknown$']\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (OobRules) rules = load_one (path, &error);
  g_assert_no_error (error);
  g_assert_true (oob_rules_prepare (rules, FALSE, NULL));
  g_assert_cmpstr (classify (rules, "550 5.1.1 <a@b> user Unknown"), ==, "A");
  /* \z and $ are the very end, as in Rust (PCRE2_DOLLAR_ENDONLY) */
  g_assert_cmpstr (classify (rules, "550 5.1.1 user unknown\n"), ==, OOB_CLASS_UNCATEGORIZED);
  g_assert_cmpstr (classify (rules, "x user unknown"), ==, "D");
  g_assert_cmpstr (classify (rules, "Empfänger ١"), ==, "B");
  g_assert_cmpstr (classify (rules, "451 "), ==, "C");
  /* invalid UTF-8 in a line is no error: '.' does not cross the bad
   * bytes (so A fails), unanchored rules still match around them */
  g_assert_cmpstr (classify (rules, "550 5.1.1 \xff\xfe user unknown"), ==, "D");
}

static void
test_response_line (void)
{
  struct { int code; const char *status, *diag, *want; } cases[] = {
    { 552, "5.2.2", "mailbox is full", "552 5.2.2 mailbox is full" },
    { 550, "5.1.1", "5.1.1 user unknown", "550 5.1.1 user unknown" },
    { 550, "5.1.1", "550 5.1.1 5.1.1 user unknown", "550 5.1.1 user unknown" },
    { 550, "5.1.1", "550 5.1.1 user unknown", "550 5.1.1 user unknown" },
    { 550, "5.1.1",
      "550-5.1.1 The email account that you tried to reach does\r\n550-5.1.1 not exist. Please try\n550 5.1.1 again.",
      "550 5.1.1 The email account that you tried to reach does not exist. Please try again." },
    { 0, "5.2.2", "over quota", "550 5.2.2 over quota" },
    { 0, "4.2.2", "over quota", "451 4.2.2 over quota" },
    { 0, "2.0.0", "ok", "250 2.0.0 ok" },
    { 0, "5.1.1", "553 5.1.1 no such user", "553 5.1.1 no such user" },
    { 0, NULL, "550 5.1.1 no such user", "550 5.1.1 no such user" },
    { 0, NULL, "550 no such user", "550 no such user" },
    { 550, NULL, "no such user", "550 no such user" },
    { 0, NULL, "no such user", "no such user" },
    { 550, "5.1.1", NULL, "550 5.1.1 " },
    { 550, NULL, NULL, "550" },
    { 0, NULL, NULL, "" },
    { 550, "5.1.1", "554 5.7.1 different code kept", "550 5.1.1 554 5.7.1 different code kept" },
    { 550, "5.7.1", "5.1.1 different status kept", "550 5.7.1 5.1.1 different status kept" },
    { 550, "bogus", "text", "550 text" },
    { 550, "5.1.1", "  lots \t of\n\n  blanks  ", "550 5.1.1 lots of blanks" },
    { 550, "5.1.10", "5.1.10 null", "550 5.1.10 null" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = oob_response_line (cases[i].code, cases[i].status, cases[i].diag);
      g_assert_cmpstr (line, ==, cases[i].want);
    }
  /* long content is capped on a character boundary */
  g_autoptr (GString) big = g_string_new (NULL);
  for (int i = 0; i < 3000; i++)
    g_string_append (big, "é");
  g_autofree char *line = oob_response_line (550, "5.1.1", big->str);
  g_assert_cmpuint (strlen (line), <=, 4000 + 10);
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_cmpint (oob_response_line_code ("552 5.2.2 x"), ==, 552);
  g_assert_cmpint (oob_response_line_code ("552"), ==, 552);
  g_assert_cmpint (oob_response_line_code ("5.2.2 x"), ==, 0);
  g_assert_cmpint (oob_response_line_code ("no code"), ==, 0);
}

static OobRules *
shipped_rules (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) files = oob_rules_default_files (&error);
  g_assert_no_error (error);
  OobRules *rules = oob_rules_load ((const char *const *) files, &error);
  g_assert_no_error (error);
  return rules;
}

static void
test_shipped_compile (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_rules_prepare (rules, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oob_rules_count (rules), >, 100);
  for (guint i = 0; i < oob_rules_count (rules); i++)
    g_assert_true (oob_class_is_builtin (oob_rules_get (rules, i)->class_name));
}

static void
test_shipped_kumo_expectations (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_assert_cmpstr (classify (rules, "552 5.2.2 "), ==, "QuotaIssues");
  g_assert_cmpstr (classify (rules, "352 5.2.2 "), ==, "Uncategorized");
  g_assert_cmpstr (classify (rules, "525 4.7.13 "), ==, "InactiveMailbox");
  g_assert_cmpstr (classify (rules, "551 4.7.17 "), ==, "InvalidRecipient");
  g_assert_cmpstr (classify (rules, "551 4.7.18 "), ==, "BadDomain");
  /* the same through the response line builder */
  g_autofree char *l = oob_response_line (552, "5.2.2", NULL);
  g_assert_cmpstr (classify (rules, l), ==, "QuotaIssues");
}

static void
test_shipped_pitfalls (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  /* x.5.3 is TooManyRecipients, not shadowed by the x.5.x catch-all */
  g_assert_cmpstr (classify (rules, "452 4.5.3 "), ==, "TooManyRecipients");
  g_assert_cmpstr (classify (rules, "550 5.5.2 "), ==, "ProtocolErrors");
  /* a 5.1.1 that is really about volume is not InvalidRecipient */
  g_assert_cmpstr (classify (rules, "550 5.1.1 too many recipients"), ==, "TooManyRecipients");
  g_assert_cmpstr (classify (rules, "550 5.1.1 rate limit exceeded for this sender"), ==,
                   "TransientFailure");
  g_assert_cmpstr (classify (rules, "550 5.1.1 you have sent to too many recipients today"), ==,
                   "TransientFailure");
  /* Office 365 5.4.1: only with the recipient text */
  g_assert_cmpstr (classify (rules, "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"),
                   ==, "InvalidRecipient");
  g_assert_cmpstr (classify (rules, "550 5.4.1 Access denied"), ==, "PolicyRelated");
  g_assert_cmpstr (classify (rules, "550 5.7.1 Recipient address rejected: Access denied"), ==,
                   "PolicyRelated");
  /* words beat the status code */
  g_assert_cmpstr (classify (rules, "550 5.2.1 <a@example.com>... User Unknown"), ==,
                   "InvalidRecipient");
  g_assert_cmpstr (classify (rules, "550 5.1.1 mailbox is full"), ==, "QuotaIssues");
  /* a sender-side status stays with the sender */
  g_assert_cmpstr (classify (rules, "550 5.1.7 No such domain example.org"), ==, "InvalidSender");
}

/* Every line of rules/samples.tsv gives its class. */
static void
test_shipped_samples (void)
{
  g_autoptr (OobRules) rules = shipped_rules ();
  g_autofree char *path = g_build_filename (oob_rules_dir (), "samples.tsv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;
  for (guint i = 0; lines[i]; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 2);
      g_assert_cmpuint (g_strv_length (f), ==, 2);
      const char *got = classify (rules, f[0]);
      if (strcmp (got, f[1]) != 0)
        g_error ("samples.tsv:%u: \"%s\" gives %s, expected %s", i + 1, f[0], got, f[1]);
      g_hash_table_add (seen, (gpointer) g_intern_string (f[1]));
      n++;
    }
  g_assert_cmpuint (n, >=, 100);
  /* every class the shipped rules use has samples */
  for (guint i = 0; i < oob_rules_count (rules); i++)
    {
      const char *c = g_intern_string (oob_rules_get (rules, i)->class_name);
      if (!g_hash_table_contains (seen, c))
        g_error ("no sample for class %s", c);
    }
}

/* What @pattern requires: per alternative (joined by '|') its
 * requirements (joined by '&'), each a set of strings (joined by ',');
 * "-" when there is no prefilter. */
static char *
prefilter_literals (const char *pattern)
{
  OobRulePrefilter filter;
  oob_rule_prefilter_init (&filter, pattern);
  if (!filter.alternatives)
    return g_strdup ("-");
  GString *out = g_string_new (NULL);
  for (guint a = 0; a < filter.alternatives->len; a++)
    {
      GPtrArray *required = filter.alternatives->pdata[a];
      for (guint r = 0; r < required->len; r++)
        {
          GPtrArray *strings = required->pdata[r];
          for (guint i = 0; i < strings->len; i++)
            g_string_append_printf (out, "%s%s", i ? "," : r ? "&" : a ? "|" : "",
                                    (char *) strings->pdata[i]);
        }
    }
  oob_rule_prefilter_clear (&filter);
  return g_string_free (out, FALSE);
}

static void
test_prefilter_reading (void)
{
  static const struct { const char *pattern, *literals; } cases[] = {
    { "user unknown", "user unknown" },
    { "(?i)User Unknown", "user unknown" },        /* caseless: lowered */
    { "colou?r", "colo" },                         /* an optional character leaves */
    { "ab{0,2}cd", "cd" },
    { "ab{2}cd", "ab" },                           /* a repeated one ends the run */
    { "ab+c", "ab" },
    { "^[45]\\d\\d [45]\\.1\\.1\\b", ".1.1" },   /* escaped punctuation is plain */
    { "[abc]def", "def" },
    { "spam|junk", "spam|junk" },                  /* one per alternative */
    /* the most selective requirements first, short ones left out */
    { "(?:user|mailbox) unknown", " unknown&user,mailbox" },
    { "(?:mailbox|account) (?:full|over quota)", "mailbox,account&full,over quota" },
    { "no (?:such )?user", "user&no " },           /* an optional group requires nothing */
    { "(?:a(?:bcd|xyz)e|fgh)", "bcd,xyz,fgh" },    /* a group: each alternative's best */
    { "(?<a>quota)s?|(?P<b>disk)", "quota|disk" },
    { "a(?=bcdef)", "a" },                         /* lookaround is skipped */
    { "x|.*", "-" },                               /* an alternative requires nothing */
    { "(?:abc|)d", "d" },
    { "caf\u00e9 noir", " noir&caf" },             /* non-ASCII ends a run */
    { "(?:abc){,3}d", "-" },                       /* pcre2 versions disagree on {,n} */
    { "ab(?i)cd", "-" },                           /* options change what follows */
    { "(?x) a b", "-" },
    { "\\Qa.b\\E", "-" },
    { "abc(*ACCEPT)def", "-" },
    { "(a)\\1bc", "-" },                           /* backreferences are not read */
    { "a\\x41bc", "-" },
    { "(?:\\c()abc", "-" },                         /* \c( is no parenthesis */
    { "(?C'(')abc", "-" },                         /* nor is one in a callout */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = prefilter_literals (cases[i].pattern);
      if (strcmp (got, cases[i].literals) != 0)
        g_error ("/%s/ gives %s, expected %s", cases[i].pattern, got, cases[i].literals);
    }
}

/* Rules whose patterns are @patterns, JIT-prepared so that oob_rules_match
 * uses the prefilter. */
static OobRules *
prefiltered_rules (const char *const *patterns, guint n)
{
  g_autoptr (GString) toml = g_string_new ("[rules]\nUncategorized = [\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (toml, "  '%s',\n", patterns[i]);
  g_string_append (toml, "]\n");
  g_autofree char *path = write_file ("prefilter.toml", toml->str);
  g_autoptr (OobRules) rules = load_one (path, NULL);
  g_assert_nonnull (rules);
  g_assert_true (oob_rules_prepare (rules, TRUE, NULL));
  return g_steal_pointer (&rules);
}

/* Lines a pattern matches are never skipped, also where caseless ASCII
 * meets non-ASCII (the Kelvin sign is a K, the long s an S); lines
 * without the literals are. */
static void
test_prefilter_sound (void)
{
  static const struct { const char *pattern, *matching, *skipped; } cases[] = {
    { "colou?r", "the color", "the hue" },
    { "ab{0,2}cd", "acd", "ab" },
    { "(?i)User Unknown", "550 USER UNKNOWN", "550 user is unknown" },
    { "(?i)\\bblocked\\b", "550 bloc\u212aed", "550 bloced" },
    { "(?i)spam", "550 \u017fpam", "550 s p a m" },
    { "(?:abc|)d", "d", "abc" },
    { "x(?:y|z)?w", "xw", "yzw" },
    { "a(?=bcdef)", "abcdef", "bcdef" },
    { "^[45]\\d\\d [45]\\.6\\.\\d{1,3}(?: |$)", "550 5.6.0 bad", "550 5.7.1 6.6" },
    { "(?i)(?:MAILBOX|Account) (?:full|over quota)", "ACCOUNT OVER QUOTA", "user over quota" },
    { "spam|junk", "junk mail", "sp am" },
    { "(?:user|mailbox) unknown", "mailbox unknown", "the unknown" }, /* every requirement */
    { "SPAM", "550 SPAM", "550 spam" },                   /* case-sensitive stays so */
    { "(?i)caf\u00e9 noir", "CAF\u00c9 NOIR", "cafe blanc" },
    { "(?i)\\bpleine\\b", "bo\u00eete PLEINE", "bo\u00eete vide" },  /* non-ASCII lines too */
    { "(?i)stock", "\u017fTOC\u212a", "\u017ftoc" },
  };
  const char *patterns[G_N_ELEMENTS (cases)];
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    patterns[i] = cases[i].pattern;
  g_autoptr (OobRules) rules = prefiltered_rules (patterns, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (oob_rules_rule_matches (rules, i, cases[i].matching, NULL), ==, 1);
      if (!oob_rules_rule_may_match (rules, i, cases[i].matching))
        g_error ("/%s/ matches \"%s\" but the prefilter skips it", cases[i].pattern,
                 cases[i].matching);
      g_assert_cmpint (oob_rules_rule_matches (rules, i, cases[i].skipped, NULL), ==, 0);
      if (oob_rules_rule_may_match (rules, i, cases[i].skipped))
        g_error ("/%s/: the prefilter does not skip \"%s\"", cases[i].pattern, cases[i].skipped);
    }
}

/* Caseless literals are looked for in the line folded to ASCII lower case
 * with U+017F and U+212A replaced by s and k: this holds only while they
 * are the only non-ASCII characters pcre2 matches caselessly with ASCII. */
static void
test_prefilter_case_partners (void)
{
  int code;
  PCRE2_SIZE offset;
  pcre2_code *ascii = pcre2_compile ((PCRE2_SPTR) "(?i)^[\\x00-\\x7f]$", PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
  g_assert_nonnull (ascii);
  pcre2_jit_compile (ascii, PCRE2_JIT_COMPLETE);
  pcre2_match_data *data = pcre2_match_data_create (1, NULL);
  g_autoptr (GString) partners = g_string_new (NULL);
  for (gunichar c = 0x80; c <= 0x10FFFF; c++)
    {
      char utf8[6];
      int n = g_unichar_to_utf8 (c, utf8);
      if (g_unichar_validate (c) &&
          pcre2_match (ascii, (PCRE2_SPTR) utf8, n, 0, 0, data, NULL) > 0)
        g_string_append_printf (partners, "U+%04X ", c);
    }
  g_assert_cmpstr (partners->str, ==, "U+017F U+212A ");
  pcre2_match_data_free (data);
  pcre2_code_free (ascii);
}

/* The shipped rules: no rule is ever skipped for a sample line it
 * matches (nor for the line in upper or lower case), the first match is
 * the same with and without the prefilter, and most tries are skipped. */
static void
test_shipped_prefilter (void)
{
  g_autoptr (OobRules) plain = shipped_rules ();
  g_autoptr (OobRules) rules = shipped_rules ();
  g_assert_true (oob_rules_prepare (rules, TRUE, NULL));
  g_autofree char *path = g_build_filename (oob_rules_dir (), "samples.tsv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint tries = 0, skipped = 0;
  for (guint i = 0; lines[i]; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 2);
      g_autofree char *upper = g_utf8_strup (f[0], -1);
      g_autofree char *lower = g_utf8_strdown (f[0], -1);
      const char *variants[] = { f[0], upper, lower };
      for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
        {
          const char *line = variants[v];
          for (guint r = 0; r < oob_rules_count (rules); r++)
            {
              gboolean may = oob_rules_rule_may_match (rules, r, line);
              if (oob_rules_rule_matches (rules, r, line, NULL) == 1 && !may)
                g_error ("%s matches \"%s\" but the prefilter skips it",
                         oob_rules_get (rules, r)->location, line);
              tries++;
              skipped += !may;
            }
          const OobRule *with = oob_rules_match (rules, line, NULL);
          const OobRule *without = oob_rules_match (plain, line, NULL);
          g_assert_cmpint (with ? (int) with->index : -1, ==, without ? (int) without->index : -1);
        }
    }
  g_assert_cmpuint (skipped, >, tries / 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("oob-rules-XXXXXX", NULL);
  g_test_add_func ("/rules/toml", test_toml_rules);
  g_test_add_func ("/rules/json", test_json_rules);
  g_test_add_func ("/rules/file-order", test_file_order);
  g_test_add_func ("/rules/bad-regex", test_bad_regex);
  g_test_add_func ("/rules/bad-files", test_bad_files);
  g_test_add_func ("/rules/match-limit", test_match_limit);
  g_test_add_func ("/rules/cache", test_cache);
  g_test_add_func ("/rules/rust-syntax", test_rust_syntax);
  g_test_add_func ("/rules/response-line", test_response_line);
  g_test_add_func ("/rules/prefilter/reading", test_prefilter_reading);
  g_test_add_func ("/rules/prefilter/sound", test_prefilter_sound);
  g_test_add_func ("/rules/prefilter/case-partners", test_prefilter_case_partners);
  g_test_add_func ("/rules/shipped/compile", test_shipped_compile);
  g_test_add_func ("/rules/shipped/kumo-expectations", test_shipped_kumo_expectations);
  g_test_add_func ("/rules/shipped/pitfalls", test_shipped_pitfalls);
  g_test_add_func ("/rules/shipped/samples", test_shipped_samples);
  g_test_add_func ("/rules/shipped/prefilter", test_shipped_prefilter);
  int rc = g_test_run ();
  g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return rc;
}
