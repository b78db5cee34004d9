/* test-rewrite.c - the status rewrite map (seed 002). */
#include "config.h"

#include <string.h>

#include "rewrite.h"

static OobRewrite *
load (const char *json)
{
  g_autoptr (GError) error = NULL;
  OobRewrite *rw = oob_rewrite_load_data (json, -1, "rw.json", &error);
  g_assert_no_error (error);
  return rw;
}

static void
test_simple_form (void)
{
  /* KumoMTA's example file, unchanged */
  g_autoptr (OobRewrite) rw = load (
    "{\n"
    "  \"4\\\\.2\\\\.1 <.+>: Recipient address rejected: this mailbox is inactive and has been disabled\": 500,\n"
    "  \"4\\\\.2\\\\.2 The email account that you tried to reach is over quota\\\\.\": 552\n"
    "}\n");
  g_assert_cmpuint (oob_rewrite_count (rw), ==, 2);
  int code = 0;
  g_autofree char *a = oob_rewrite_apply (
    rw, "452 4.2.2 The email account that you tried to reach is over quota.", NULL, NULL, NULL, &code);
  g_assert_cmpstr (a, ==,
                   "552 4.2.2 The email account that you tried to reach is over quota. "
                   "(oobproc: status was rewritten from 452 -> 552)");
  g_assert_cmpint (code, ==, 552);
  g_autofree char *b = oob_rewrite_apply (
    rw, "450 4.2.1 <x@example.com>: Recipient address rejected: this mailbox is inactive and has been disabled",
    NULL, NULL, NULL, &code);
  g_assert_true (g_str_has_prefix (b, "500 4.2.1 <x@example.com>"));
  g_assert_true (g_str_has_suffix (b, "(oobproc: status was rewritten from 450 -> 500)"));
  /* no match: unchanged */
  code = 0;
  g_assert_null (oob_rewrite_apply (rw, "451 4.4.1 timeout", NULL, NULL, NULL, &code));
  g_assert_cmpint (code, ==, 0);
  /* same code: unchanged */
  g_assert_null (oob_rewrite_apply (
    rw, "552 4.2.2 The email account that you tried to reach is over quota.", NULL, NULL, NULL, &code));
  g_assert_cmpint (code, ==, 0);
}

static void
test_empty_content_and_no_code (void)
{
  g_autoptr (OobRewrite) rw = load ("{ \"4\\\\.2\\\\.2\": 552, \"quota\": 552 }");
  g_autofree char *a = oob_rewrite_apply (rw, "452 4.2.2 ", NULL, NULL, NULL, NULL);
  g_assert_cmpstr (a, ==, "552 4.2.2 (oobproc: status was rewritten from 452 -> 552)");
  g_autofree char *b = oob_rewrite_apply (rw, "over quota", NULL, NULL, NULL, NULL);
  g_assert_cmpstr (b, ==, "552 over quota (oobproc: status was rewritten from none -> 552)");
}

static void
test_order (void)
{
  g_autoptr (OobRewrite) rw = load ("{ \"quota\": 552, \"over quota\": 550 }");
  g_autofree char *a = oob_rewrite_apply (rw, "452 4.2.2 over quota", NULL, NULL, NULL, NULL);
  g_assert_true (g_str_has_prefix (a, "552 "));
}

static void
test_extended_form (void)
{
  g_autoptr (OobRewrite) rw = load (
    "{ \"rewrites\": [\n"
    "  { \"match\": \"4\\\\.2\\\\.2 \", \"code\": 552, \"domain\": [\"Gmail.com\", \"googlemail.com\"] },\n"
    "  { \"match\": \"4\\\\.2\\\\.2 \", \"code\": 550, \"tenant\": \"bulk\", \"campaign\": \"weekly\" },\n"
    "  { \"match\": \"greylisted\", \"code\": 550, \"tenant\": \"bulk\" }\n"
    "] }");
  g_assert_cmpuint (oob_rewrite_count (rw), ==, 3);
  const char *line = "452 4.2.2 mailbox full";
  int code = 0;
  g_autofree char *gmail = oob_rewrite_apply (rw, line, "gmail.com", NULL, NULL, &code);
  g_assert_cmpint (code, ==, 552);
  g_assert_true (g_str_has_prefix (gmail, "552 4.2.2 mailbox full (oobproc:"));
  g_autofree char *other = oob_rewrite_apply (rw, line, "example.com", NULL, NULL, NULL);
  g_assert_null (other);
  g_autofree char *tenant_only = oob_rewrite_apply (rw, line, "example.com", "bulk", NULL, NULL);
  g_assert_null (tenant_only);
  g_autofree char *both = oob_rewrite_apply (rw, line, "example.com", "bulk", "weekly", &code);
  g_assert_cmpint (code, ==, 550);
  g_autofree char *grey = oob_rewrite_apply (rw, "450 4.7.1 greylisted", NULL, "bulk", NULL, &code);
  g_assert_cmpint (code, ==, 550);
  g_assert_null (oob_rewrite_apply (rw, "450 4.7.1 greylisted", NULL, "other", NULL, NULL));
}

static void
test_errors (void)
{
  struct { const char *json; int code; const char *where; } cases[] = {
    { "{\n \"(unclosed\": 550\n}", OOB_REWRITE_ERROR_REGEX, "rw.json:2:" },
    { "{\n \"ok\": 550,\n \"bad\": \"550\"\n}", OOB_REWRITE_ERROR_FORMAT, "rw.json:3:" },
    { "{ \"x\": 99 }", OOB_REWRITE_ERROR_FORMAT, "rw.json:1:" },
    { "[1]", OOB_REWRITE_ERROR_FORMAT, "rw.json:" },
    { "{ not json", OOB_REWRITE_ERROR_FORMAT, "rw.json:" },
    { "{ \"rewrites\": [\n {\"match\": \"x\", \"code\": 550, \"tenants\": \"t\"}\n] }",
      OOB_REWRITE_ERROR_FORMAT, "rw.json:2:" },
    { "{ \"rewrites\": [ {\"code\": 550} ] }", OOB_REWRITE_ERROR_FORMAT, "rw.json:" },
    { "{ \"rewrites\": [ {\"match\": \"x\", \"code\": 550, \"domain\": [1]} ] }",
      OOB_REWRITE_ERROR_FORMAT, "rw.json:" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OobRewrite) rw = oob_rewrite_load_data (cases[i].json, -1, "rw.json", &error);
      g_assert_null (rw);
      g_assert_error (error, OOB_REWRITE_ERROR, cases[i].code);
      if (!g_str_has_prefix (error->message, cases[i].where))
        g_error ("case %u: expected '%s...', got '%s'", i, cases[i].where, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rewrite/simple-form", test_simple_form);
  g_test_add_func ("/rewrite/empty-content-and-no-code", test_empty_content_and_no_code);
  g_test_add_func ("/rewrite/order", test_order);
  g_test_add_func ("/rewrite/extended-form", test_extended_form);
  g_test_add_func ("/rewrite/errors", test_errors);
  return g_test_run ();
}
