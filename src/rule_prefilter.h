/* rule_prefilter.h - literals a rule pattern cannot match without.
 *
 * A conservative reading of a rule's pcre2 pattern: for each top-level
 * alternative, a few requirements, each a set of strings of which every
 * match of the alternative contains at least one.  A line that meets all
 * the requirements of no alternative cannot match the rule, so
 * oob_rules_match() need not run pcre2 on it.  Patterns the reader does
 * not fully understand give no prefilter: they are always run.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  /* per top-level alternative, a GPtrArray of requirements, each a
   * GPtrArray of strings; NULL: no prefilter, the pattern must be run */
  GPtrArray *alternatives;
  gboolean caseless; /* strings are lower case, compare ASCII-caselessly */
} OobRulePrefilter;

/* Read @pattern (compiled with PCRE2_UTF|PCRE2_UCP and no other option
 * that changes what a character means) into @filter. */
void oob_rule_prefilter_init (OobRulePrefilter *filter, const char *pattern);
void oob_rule_prefilter_clear (OobRulePrefilter *filter);

/* A response line, shared by the prefilters of every rule it meets. */
typedef struct {
  const char *text;
  char *folded;       /* for caseless literals, made when first needed */
  guint64 pairs[64];  /* which pairs of adjacent bytes the folded line has */
} OobPrefilterLine;

void oob_prefilter_line_init (OobPrefilterLine *line, const char *text);
void oob_prefilter_line_clear (OobPrefilterLine *line);

/* FALSE only when the pattern @filter was read from cannot match @line. */
gboolean oob_rule_prefilter_may_match (const OobRulePrefilter *filter, OobPrefilterLine *line);

G_END_DECLS
