/* test-toml.c - the strict TOML reader: values, tables, line numbers, errors. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "toml.h"

static JsonObject *
parse_ok (const char *text, JsonNode **keep)
{
  g_autoptr (GError) error = NULL;
  JsonNode *root = oob_toml_parse (text, strlen (text), "t.toml", &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *keep = root;
  return json_node_get_object (root);
}

/* Parse, expect failure, return the message. */
static char *
parse_error (const char *text, int code)
{
  GError *error = NULL;
  JsonNode *root = oob_toml_parse (text, strlen (text), "bad.toml", &error);
  g_assert_null (root);
  g_assert_error (error, OOB_TOML_ERROR, code);
  char *msg = g_strdup (error->message);
  g_error_free (error);
  return msg;
}

static void
assert_error_at (const char *text, int code, const char *where)
{
  g_autofree char *msg = parse_error (text, code);
  if (!g_str_has_prefix (msg, where))
    g_error ("expected an error at %s, got: %s", where, msg);
}

static void
test_scalars (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = parse_ok ("# comment\n"
                            "s = \"tab\\tquote\\\" \\u00e9 \\U0001F600 back\\\\slash\"  # trailing\n"
                            "lit = 'C:\\path\\no\\escape'\n"
                            "int = 1_000\n"
                            "neg = -17\n"
                            "hex = 0xdead_BEEF\n"
                            "oct = 0o755\n"
                            "bin = 0b1101\n"
                            "flt = 6.626e-34\n"
                            "flt2 = -0.5\n"
                            "big = 1e3\n"
                            "pinf = +inf\n"
                            "nan = nan\n"
                            "yes = true\n"
                            "no = false\n"
                            "odt = 1979-05-27T07:32:00-08:00\n"
                            "ldt = 1979-05-27 07:32:00.999\n"
                            "ld = 1979-05-27\n"
                            "lt = 07:32:00\n"
                            "\"quoted key\" = 1\n"
                            "'literal key' = 2\n"
                            "bare-key_9 = 3\n",
                            &root);
  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==,
                   "tab\tquote\" \xc3\xa9 \xf0\x9f\x98\x80 back\\slash");
  g_assert_cmpstr (json_object_get_string_member (o, "lit"), ==, "C:\\path\\no\\escape");
  g_assert_cmpint (json_object_get_int_member (o, "int"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (o, "neg"), ==, -17);
  g_assert_cmpint (json_object_get_int_member (o, "hex"), ==, 0xdeadbeef);
  g_assert_cmpint (json_object_get_int_member (o, "oct"), ==, 0755);
  g_assert_cmpint (json_object_get_int_member (o, "bin"), ==, 13);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "flt"), 6.626e-34, 1e-40);
  g_assert_cmpfloat (json_object_get_double_member (o, "flt2"), ==, -0.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "big"), ==, 1000.0);
  g_assert_true (isinf (json_object_get_double_member (o, "pinf")));
  g_assert_true (isnan (json_object_get_double_member (o, "nan")));
  g_assert_true (json_object_get_boolean_member (o, "yes"));
  g_assert_false (json_object_get_boolean_member (o, "no"));
  g_assert_cmpstr (json_object_get_string_member (o, "odt"), ==, "1979-05-27T07:32:00-08:00");
  g_assert_cmpstr (json_object_get_string_member (o, "ldt"), ==, "1979-05-27 07:32:00.999");
  g_assert_cmpstr (json_object_get_string_member (o, "ld"), ==, "1979-05-27");
  g_assert_cmpstr (json_object_get_string_member (o, "lt"), ==, "07:32:00");
  g_assert_cmpint (json_object_get_int_member (o, "quoted key"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "literal key"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "bare-key_9"), ==, 3);
}

static void
test_multiline_strings (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = parse_ok ("a = \"\"\"\nline one\nline two\"\"\"\n"
                            "b = \"\"\"one \\\n     two \\\n\n  three\"\"\"\n"
                            "c = '''\nraw \\n stays\n'''\n"
                            "d = \"\"\"quote \"\" inside\"\"\"\"\n"
                            "e = '''x''''\n",
                            &root);
  g_assert_cmpstr (json_object_get_string_member (o, "a"), ==, "line one\nline two");
  g_assert_cmpstr (json_object_get_string_member (o, "b"), ==, "one two three");
  g_assert_cmpstr (json_object_get_string_member (o, "c"), ==, "raw \\n stays\n");
  g_assert_cmpstr (json_object_get_string_member (o, "d"), ==, "quote \"\" inside\"");
  g_assert_cmpstr (json_object_get_string_member (o, "e"), ==, "x'");
}

static void
test_tables (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = parse_ok ("top = 1\n"
                            "[server]\nhost = \"mx\"\n"
                            "[a.\"b.c\".d]\nx = 1\n"
                            "[ a . e ]\ny = 2\n"
                            "[a]\nz = 3\n" /* implicitly created, now defined */
                            "[dotted]\nfruit.apple.color = \"red\"\nfruit.apple.size = 2\n"
                            "[[products]]\nname = \"hammer\"\n"
                            "[products.dims]\nw = 1\n"
                            "[[products]]\n"
                            "[[products]]\nname = \"nail\"\n"
                            "[inline]\npoint = { x = 1, y.z = 2 }\nempty = {}\n",
                            &root);
  g_assert_cmpint (json_object_get_int_member (o, "top"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "server"), "host"),
                   ==, "mx");
  JsonObject *a = json_object_get_object_member (o, "a");
  JsonObject *bc = json_object_get_object_member (a, "b.c");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (bc, "d"), "x"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (a, "e"), "y"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (a, "z"), ==, 3);
  JsonObject *apple = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (o, "dotted"), "fruit"), "apple");
  g_assert_cmpstr (json_object_get_string_member (apple, "color"), ==, "red");
  g_assert_cmpint (json_object_get_int_member (apple, "size"), ==, 2);
  JsonArray *products = json_object_get_array_member (o, "products");
  g_assert_cmpuint (json_array_get_length (products), ==, 3);
  JsonObject *p0 = json_array_get_object_element (products, 0);
  g_assert_cmpstr (json_object_get_string_member (p0, "name"), ==, "hammer");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (p0, "dims"), "w"), ==, 1);
  g_assert_cmpuint (json_object_get_size (json_array_get_object_element (products, 1)), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (products, 2), "name"),
                   ==, "nail");
  JsonObject *inl = json_object_get_object_member (o, "inline");
  JsonObject *point = json_object_get_object_member (inl, "point");
  g_assert_cmpint (json_object_get_int_member (point, "x"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (point, "y"), "z"), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (inl, "empty")), ==, 0);
}

static void
test_arrays (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = parse_ok ("a = [\n"
                            "  \"one\", # first\n"
                            "  # a comment line\n"
                            "  'two',\n"
                            "\n"
                            "  \"\"\"three\"\"\",   # trailing comma next\n"
                            "]\n"
                            "nested = [[1, 2], [\"x\"], []]\n"
                            "mixed = [1, \"a\", 2.5, true, {k = 1}]\n"
                            "empty = [ ]\n",
                            &root);
  JsonArray *a = json_object_get_array_member (o, "a");
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (a, 0), ==, "one");
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "two");
  g_assert_cmpstr (json_array_get_string_element (a, 2), ==, "three");
  JsonArray *nested = json_object_get_array_member (o, "nested");
  g_assert_cmpuint (json_array_get_length (nested), ==, 3);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (nested, 0), 1), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "mixed")), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "empty")), ==, 0);
}

static void
test_value_lines (void)
{
  const char *text = "[rules]\n"                    /* 1 */
                     "A = [\n"                      /* 2 */
                     "  'first',  # one\n"          /* 3 */
                     "\n"                           /* 4 */
                     "  '''second''',\n"            /* 5 */
                     "]\n"                          /* 6 */
                     "B = ['x', \"\"\"multi\n"      /* 7 */
                     "line\"\"\", 'after']\n";      /* 8 */
  g_autoptr (GHashTable) lines = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = oob_toml_parse_with_lines (text, strlen (text), "r.toml", lines, &error);
  g_assert_no_error (error);
  JsonObject *rules = json_object_get_object_member (json_node_get_object (root), "rules");
  JsonArray *a = json_object_get_array_member (rules, "A");
  JsonArray *b = json_object_get_array_member (rules, "B");
#define LINE_OF(node) GPOINTER_TO_UINT (g_hash_table_lookup (lines, node))
  g_assert_cmpuint (LINE_OF (json_object_get_member (rules, "A")), ==, 2);
  g_assert_cmpuint (LINE_OF (json_array_get_element (a, 0)), ==, 3);
  g_assert_cmpuint (LINE_OF (json_array_get_element (a, 1)), ==, 5);
  g_assert_cmpuint (LINE_OF (json_array_get_element (b, 0)), ==, 7);
  g_assert_cmpuint (LINE_OF (json_array_get_element (b, 1)), ==, 7);
  g_assert_cmpuint (LINE_OF (json_array_get_element (b, 2)), ==, 8);
#undef LINE_OF
}

static void
test_crlf_and_bom (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = parse_ok ("\xEF\xBB\xBF" "a = 1\r\n[t]\r\nb = \"x\"\r\n", &root);
  g_assert_cmpint (json_object_get_int_member (o, "a"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "t"), "b"), ==, "x");
}

static void
test_errors (void)
{
  /* duplicates and redefinitions */
  assert_error_at ("a = 1\nb = 2\na = 3\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:3:");
  assert_error_at ("[t]\nx = 1\n[t]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:3:");
  assert_error_at ("[t.u]\n[t]\n[t]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:3:");
  assert_error_at ("[t]\nu.v = 1\n[t.u]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:3:");
  assert_error_at ("a = 1\na.b = 2\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:2:");
  assert_error_at ("p = {x = 1}\n[p]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:2:");
  assert_error_at ("p = {x = 1}\np.y = 2\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:2:");
  assert_error_at ("a = [1]\n[[a]]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:2:");
  assert_error_at ("[[a]]\n[a]\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:2:");
  assert_error_at ("p = {x = 1, x = 2}\n", OOB_TOML_ERROR_DUPLICATE, "bad.toml:1:");
  /* syntax */
  assert_error_at ("a = \n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("\n\na = \"open\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:3:");
  assert_error_at ("a = 1 b = 2\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = \"\\q\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = \"\\uD800\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = \"\\u12\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 01\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 1__0\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = _1\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 1.\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = .5\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 0x\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 99999999999999999999\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = TRUE\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = 1979-13-01\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = [1, 2\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:2:");
  assert_error_at ("a = [1 2]\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = {x = 1,}\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = {x = 1\n}\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("[t\nx = 1\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("[t] x = 1\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("= 1\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("key\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("\"\"\"k\"\"\" = 1\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = \"ctl\x01\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("# ctl \x01 in comment\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = '''x''''''\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("a = \"\xff\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:1:");
  assert_error_at ("ok = 1\n\"\"\"\n", OOB_TOML_ERROR_SYNTAX, "bad.toml:2:");
}

static void
test_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oob-toml-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "c.toml", NULL);
  g_assert_true (g_file_set_contents (path, "[x]\ny = 'z'\n", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = oob_toml_parse_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (root), "x"), "y"),
                   ==, "z");
  g_autofree char *missing = g_build_filename (dir, "missing.toml", NULL);
  g_autoptr (GError) io_error = NULL;
  g_assert_null (oob_toml_parse_file (missing, &io_error));
  g_assert_error (io_error, OOB_TOML_ERROR, OOB_TOML_ERROR_IO);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/toml/scalars", test_scalars);
  g_test_add_func ("/toml/multiline-strings", test_multiline_strings);
  g_test_add_func ("/toml/tables", test_tables);
  g_test_add_func ("/toml/arrays", test_arrays);
  g_test_add_func ("/toml/value-lines", test_value_lines);
  g_test_add_func ("/toml/crlf-and-bom", test_crlf_and_bom);
  g_test_add_func ("/toml/errors", test_errors);
  g_test_add_func ("/toml/file", test_file);
  return g_test_run ();
}
