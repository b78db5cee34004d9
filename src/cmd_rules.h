/* cmd_rules.h - `oobproc rules check` and `oobproc classify`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] = "rules": dispatches "rules check ...". */
int oob_cmd_rules (int argc, char **argv);

/* argv[0] = "check": oobproc rules check [--samples FILE] [FILE...]
 * Compiles every rule (exit 1 naming file:line and the pcre2 error of each
 * bad one), checks the sample lines (shipped rules/samples.tsv by default)
 * give their expected class (exit 1 otherwise), and warns about rules that
 * can never win because an earlier rule matches every string derived from
 * them.  Exit 0 when everything compiles and every sample holds. */
int oob_cmd_rules_check (int argc, char **argv);

/* argv[0] = "classify": oobproc classify [--rules FILE]... 'RESPONSE LINE'
 * Prints "CLASS<TAB>file:line" (or "Uncategorized<TAB>-"). */
int oob_cmd_classify (int argc, char **argv);

/* The rules directory: $OOBPROC_RULES_DIR if set (the test suite sets
 * it), else OOB_DATADIR/rules, or OOB_SRCDIR/rules when the installed one
 * does not exist (running from the build tree). */
const char *oob_rules_dir (void);

/* The shipped rule files: every *.toml and *.json file in oob_rules_dir(),
 * sorted by name (so 10-text.toml comes before 90-iana.toml). */
GStrv oob_rules_default_files (GError **error);

G_END_DECLS
