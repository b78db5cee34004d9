/* test-cmd-rules.c - `oobproc rules check` and `oobproc classify`. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "cmd_rules.h"

static char *tmpdir;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_tmpdir (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

/* Run a command function with a NULL-terminated argument list. */
static int
run (int (*cmd) (int, char **), const char *first, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (a));
  va_end (ap);
  int argc = args->len;
  g_ptr_array_add (args, NULL);
  /* option parsing may permute argv: give it a shallow copy */
  g_autofree char **argv = g_new0 (char *, args->len);
  for (guint i = 0; i < args->len; i++)
    argv[i] = args->pdata[i];
  return cmd (argc, argv);
}

static void
test_check_shipped (void)
{
  if (g_test_subprocess ())
    exit (run (oob_cmd_rules, "rules", "check", NULL));
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*rules in * file(s) compile; * sample(s) checked, 0 failed; 0 warning(s)*");
}

static void
test_check_bad_regex (void)
{
  if (g_test_subprocess ())
    {
      char *path = write_file ("bad.toml",
                                          "[rules]\nInvalidRecipient = [\n  'fine',\n  'a(b',\n]\n"
                                          "BadDomain = ['x{2,1}']\n");
      int rc = run (oob_cmd_rules_check, "check", path, NULL);
      g_free (path);
      exit (rc);
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*bad.toml:4: bad regex for InvalidRecipient at offset 3: missing closing parenthesis*");
  g_test_trap_assert_stderr ("*bad.toml:6: bad regex for BadDomain*numbers out of order*");
  g_test_trap_assert_stderr ("*2 bad rule(s)*");
}

static void
test_check_shadowed (void)
{
  if (g_test_subprocess ())
    {
      char *path = write_file ("shadow.toml",
                                          "[rules]\n"
                                          "ProtocolErrors = ['^[45]\\d\\d [45]\\.5\\.\\d+ ']\n"
                                          "TooManyRecipients = ['^[45]\\d\\d [45]\\.5\\.3 ']\n"
                                          "QuotaIssues = ['(?i)mailbox (is )?full', '(?i)over ?quota']\n");
      int rc = run (oob_cmd_rules_check, "check", path, NULL);
      g_free (path);
      exit (rc);
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*shadow.toml:3: warning: TooManyRecipients rule can never win: "
                             "\"400 4.5.3 \" is taken first by *shadow.toml:2 (ProtocolErrors)*");
  g_test_trap_assert_stdout ("*1 warning(s)*");
}

static void
test_check_samples (void)
{
  if (g_test_subprocess ())
    {
      char *rules = write_file ("s.toml", "[rules]\nQuotaIssues = ['(?i)full']\n");
      char *samples = write_file ("s.tsv",
                                             "# comment\n"
                                             "552 5.2.2 mailbox full\tQuotaIssues\n"
                                             "550 5.1.1 nobody\tInvalidRecipient\n");
      int rc = run (oob_cmd_rules_check, "check", "--samples", samples, rules, NULL);
      g_free (rules);
      g_free (samples);
      exit (rc);
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*s.tsv:3: \"550 5.1.1 nobody\" gives Uncategorized (no rule), expected InvalidRecipient*");
  g_test_trap_assert_stdout ("*2 sample(s) checked, 1 failed*");
}

static void
test_classify (void)
{
  if (g_test_subprocess ())
    exit (run (oob_cmd_classify, "classify", "552 5.2.2 mailbox full", NULL));
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("QuotaIssues\t*10-text.toml:*\n");
}

static void
test_classify_user_rules_first (void)
{
  if (g_test_subprocess ())
    {
      char *user = write_file ("u.toml", "[rules]\nMyClass = ['mailbox full']\n");
      char *other = write_file ("o.toml", "[rules]\nQuotaIssues = ['full']\n");
      int rc = run (oob_cmd_classify, "classify", "--rules", user, "--rules", other,
                    "552 5.2.2 mailbox full", NULL);
      g_free (user);
      g_free (other);
      exit (rc);
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("MyClass\t*u.toml:2\n");
}

static void
test_classify_uncategorized_and_usage (void)
{
  if (g_test_subprocess ())
    exit (run (oob_cmd_classify, "classify", "352 5.2.2 ", NULL));
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Uncategorized\t-\n");
}

static void
test_classify_usage (void)
{
  if (g_test_subprocess ())
    exit (run (oob_cmd_classify, "classify", NULL));
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*usage: oobproc classify*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("oob-cmd-rules-XXXXXX", NULL);
  g_test_add_func ("/cmd-rules/check-shipped", test_check_shipped);
  g_test_add_func ("/cmd-rules/check-bad-regex", test_check_bad_regex);
  g_test_add_func ("/cmd-rules/check-shadowed", test_check_shadowed);
  g_test_add_func ("/cmd-rules/check-samples", test_check_samples);
  g_test_add_func ("/cmd-rules/classify", test_classify);
  g_test_add_func ("/cmd-rules/classify-user-rules-first", test_classify_user_rules_first);
  g_test_add_func ("/cmd-rules/classify-uncategorized", test_classify_uncategorized_and_usage);
  g_test_add_func ("/cmd-rules/classify-usage", test_classify_usage);
  atexit (remove_tmpdir); /* also when a subprocess test exits */
  return g_test_run ();
}
