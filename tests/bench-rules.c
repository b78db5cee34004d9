/* bench-rules.c - what the rule setup costs a one-message process, and what
 * matching costs a scan.  Not a test: `make tests/bench-rules` then
 * `tests/bench-rules [RULE-FILE...]` (default: the shipped rules).
 * Each figure is the median of RUNS fresh loads, in microseconds. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_rules.h"
#include "rules.h"

#define RUNS 21

static const char *const lines[] = {
  "550 5.1.1 The email account that you tried to reach does not exist.",
  "552 5.2.2 ",
  "550 5.7.1 Message rejected for policy reasons",
  "550 5.0.0 ",  /* matches nothing: every rule is tried */
};

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

int
main (int argc, char **argv)
{
  g_auto (GStrv) files = argc > 1 ? g_strdupv (argv + 1) : oob_rules_default_files (NULL);
  if (!files)
    return 1;
  const char *const *f = (const char *const *) files;
  double t[RUNS], m[RUNS];

  for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
    {
      const char *class_name = NULL;
      guint position = 0, count = 0;
      for (int r = 0; r < RUNS; r++)
        {
          gint64 a = g_get_monotonic_time ();
          OobRules *rules = oob_rules_load (f, NULL);
          gint64 b = g_get_monotonic_time ();
          const OobRule *hit = oob_rules_match (rules, lines[l], NULL);
          gint64 c = g_get_monotonic_time ();
          t[r] = b - a;
          m[r] = c - b;
          count = oob_rules_count (rules);
          class_name = g_intern_string (hit ? hit->class_name : OOB_CLASS_UNCATEGORIZED);
          position = hit ? hit->index + 1 : count;
          oob_rules_free (rules);
        }
      printf ("load %6.0f + lazy match %6.0f us  %-14s (rule %u of %u)  %.40s\n", median (t, RUNS),
              median (m, RUNS), class_name, position, count, lines[l]);
    }

  for (int jit = 0; jit < 2; jit++)
    {
      for (int r = 0; r < RUNS; r++)
        {
          gint64 a = g_get_monotonic_time ();
          OobRules *rules = oob_rules_load (f, NULL);
          oob_rules_prepare (rules, jit, NULL);
          t[r] = g_get_monotonic_time () - a;
          oob_rules_free (rules);
        }
      printf ("load + compile all%s: %.0f us\n", jit ? " for many lines" : "", median (t, RUNS));
    }

  g_autofree char *dir = g_dir_make_tmp ("oob-bench-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (dir, "rules.cache", NULL);
  oob_rules_free (oob_rules_load_cached (f, cache, NULL));
  for (int r = 0; r < RUNS; r++)
    {
      gint64 a = g_get_monotonic_time ();
      OobRules *rules = oob_rules_load_cached (f, cache, NULL);
      gint64 b = g_get_monotonic_time ();
      oob_rules_match (rules, lines[0], NULL);
      t[r] = b - a;
      m[r] = g_get_monotonic_time () - b;
      oob_rules_free (rules);
    }
  printf ("load from cache %.0f + match %.0f us\n", median (t, RUNS), median (m, RUNS));
  g_unlink (cache);
  g_rmdir (dir);

  for (int jit = 0; jit < 2; jit++)
    {
      OobRules *rules = oob_rules_load (f, NULL);
      oob_rules_prepare (rules, jit, NULL);
      const int n = 20000;
      gint64 a = g_get_monotonic_time ();
      for (int i = 0; i < n; i++)
        oob_rules_match (rules, lines[i % G_N_ELEMENTS (lines)], NULL);
      printf ("match per line%s: %.1f us\n", jit ? " (many lines: prefilter, JIT)" : " (interpreted)",
              (double) (g_get_monotonic_time () - a) / n);
      oob_rules_free (rules);
    }
  return 0;
}
