/* rules.h - bounce classification rules in KumoMTA's file format.
 *
 * A rules file is TOML (or JSON) with one [rules] table mapping a class name
 * to an array of regular expressions.  Files are merged in the given order
 * into one flat list; the first rule that matches the response line wins.
 * Patterns are pcre2 (UTF, UCP, DOLLAR_ENDONLY), compiled lazily the first
 * time a match needs them, or all at once with oob_rules_prepare().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OOB_RULES_ERROR (oob_rules_error_quark ())
GQuark oob_rules_error_quark (void);

typedef enum {
  OOB_RULES_ERROR_FORMAT, /* the file is not a rules file */
  OOB_RULES_ERROR_REGEX,  /* a pattern does not compile */
  OOB_RULES_ERROR_NO_FILES,
} OobRulesError;

/* The class given when no rule matches. */
#define OOB_CLASS_UNCATEGORIZED "Uncategorized"

typedef struct {
  const char *class_name; /* e.g. "InvalidRecipient" */
  const char *pattern;    /* as written in the file */
  const char *location;   /* "file:line" */
  const char *file;
  guint line;
  guint index;            /* position in the merged list, 0-based */
} OobRule;

typedef struct OobRules OobRules;

/* Load and merge rule files (NULL-terminated, in precedence order).  A file
 * whose name ends in ".json", or whose first non-blank byte is '{', is read
 * as JSON, anything else as TOML.  Patterns are not compiled yet. */
OobRules *oob_rules_load (const char *const *files, GError **error);

/* Same, for a process that classifies few lines (pipe mode): compiled
 * patterns are kept in @cache_path (e.g. beside the database) and reused
 * while every rule file keeps its path, size, mtime and inode, so the rule
 * files are neither parsed nor compiled again.  When the cache is missing
 * or stale the files are loaded, every rule compiled (a bad regex is an
 * error here) and the cache rewritten atomically; failing to write it is
 * not an error.  The cache is trusted like the database beside it. */
OobRules *oob_rules_load_cached (const char *const *files, const char *cache_path,
                                 GError **error);

/* Compile every rule now (rules check, scan, import).  With @jit, for
 * many lines ahead: oob_rules_match() skips the rules a line cannot match
 * without running them (oob_rules_rule_may_match()), and a rule is
 * JIT-compiled once it has run OOB_RULES_JIT_AFTER_RUNS times. */
gboolean oob_rules_prepare (OobRules *rules, gboolean jit, GError **error);
#define OOB_RULES_JIT_AFTER_RUNS 32

/* The first rule matching @line, or NULL when none does (class
 * Uncategorized).  Returns NULL with @error set when a rule that had to be
 * tried does not compile.  A rule that exceeds the pcre2 match or depth
 * limit on this line is skipped with a warning. */
const OobRule *oob_rules_match (OobRules *rules, const char *line, GError **error);

/* Compile rule @index now (FALSE with @error naming file:line if bad). */
gboolean oob_rules_compile_rule (OobRules *rules, guint index, GError **error);

/* Does rule @index match @line?  (-1 on a compile error, with @error.) */
int oob_rules_rule_matches (OobRules *rules, guint index, const char *line, GError **error);

/* FALSE when oob_rules_match() skips rule @index for @line without
 * running it, because the line lacks the literals the rule requires
 * (rule_prefilter.h; only for rules prepared with JIT, else always TRUE).
 * Never FALSE for a line the rule matches. */
gboolean oob_rules_rule_may_match (OobRules *rules, guint index, const char *line);

guint oob_rules_count (const OobRules *rules);
const OobRule *oob_rules_get (const OobRules *rules, guint index);

void oob_rules_free (OobRules *rules);

/* The 29 class names KumoMTA defines; NULL-terminated. */
extern const char *const oob_kumo_classes[];
gboolean oob_class_is_builtin (const char *class_name);

/* The single line rules see: "<code> <x.y.z> <content>".
 * - line breaks are folded to spaces; runs of blanks collapse to one; the
 *   content of SMTP continuation lines ("550-5.1.1 ...") loses its
 *   repeated code prefixes;
 * - a leading copy of the SMTP code and of the enhanced status at the start
 *   of the content is removed ("550 5.1.1 5.1.1 user unknown" ->
 *   "550 5.1.1 user unknown");
 * - @smtp_code 0 means unknown: the code is taken from the start of the
 *   diagnostic when it begins with one, else derived from the status class
 *   (2.x.x -> 250, 4.x.x -> 451, 5.x.x -> 550);
 * - @status NULL: an enhanced code at the start of the diagnostic is used;
 *   without one the line is "<code> <content>", and with neither code nor
 *   status it is just "<content>" - nothing is invented;
 * - the content is capped at 4000 bytes (on a UTF-8 boundary).
 * Never returns NULL. */
char *oob_response_line (int smtp_code, const char *status, const char *diagnostic);

/* The SMTP code at the start of a response line, or 0. */
int oob_response_line_code (const char *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobRules, oob_rules_free)

G_END_DECLS
