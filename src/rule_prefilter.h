/* rule_prefilter.h - literals a rule pattern cannot match without.
 *
 * A conservative reading of a rule's pcre2 pattern: for each top-level
 * alternative, the longest run of plain characters that every match of it
 * contains.  A line that contains none of a rule's literals cannot match
 * the rule, so oob_rules_match() need not run pcre2 on it.  Patterns the
 * reader does not fully understand give no literals: they are always run.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GStrv literals;    /* NULL: no prefilter, the pattern must be run */
  gboolean caseless; /* literals are lower case, compare ASCII-caselessly */
} OobRulePrefilter;

/* Read @pattern (compiled with PCRE2_UTF|PCRE2_UCP and no other option
 * that changes what a character means).  Fills @filter; its literals are
 * NULL when the pattern gives no usable literal. */
void oob_rule_prefilter_init (OobRulePrefilter *filter, const char *pattern);
void oob_rule_prefilter_clear (OobRulePrefilter *filter);

/* A response line, shared by the prefilters of every rule it meets. */
typedef struct {
  const char *text;
  char *lower;         /* ASCII lower case copy, NULL when not all ASCII */
  gboolean lower_known; /* lower is made when first needed */
} OobPrefilterLine;

void oob_prefilter_line_init (OobPrefilterLine *line, const char *text);
void oob_prefilter_line_clear (OobPrefilterLine *line);

/* FALSE only when the pattern @filter was read from cannot match @line. */
gboolean oob_rule_prefilter_may_match (const OobRulePrefilter *filter, OobPrefilterLine *line);

G_END_DECLS
