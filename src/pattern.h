/* pattern.h - compiled-once pcre2 patterns for the parsers.
 *
 * Owns the fixed patterns that parsers use to read bounce texts: each is
 * declared static with OOB_PATTERN, compiled on first use (thread-safe), and
 * matched with bounded work (match and depth limits).  User-supplied rules
 * live in rules.c, not here.
 *
 * Pipe mode interprets (no JIT), and the limits bound one match, not a
 * search that retries at every line start: in multi-line mode write a
 * line's leading space "^[^\S\n]*", never "^\s*" (which runs across all
 * the blank lines below, so a run of them costs its length squared).
 */
#pragma once

#include <glib.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

G_BEGIN_DECLS

typedef struct {
  const char *source;
  guint32 options;     /* pcre2 compile options; PCRE2_UTF|PCRE2_UCP always added */
  gsize once;
  pcre2_code *code;        /* for any text (PCRE2_MATCH_INVALID_UTF) */
  gsize valid_once;
  pcre2_code *valid_code;  /* for valid UTF-8, in loops over one text */
} OobPattern;

#define OOB_PATTERN(source, options) { (source), (options), 0, NULL, 0, NULL }

/* JIT-compile every pattern compiled from now on: worth its cost when
 * many messages follow (scan, import), not for one (pipe mode). */
void oob_pattern_enable_jit (void);

/* TRUE if the pattern matches subject.  If groups is not NULL it receives
 * the whole match and every capture group (unset groups are ""). */
gboolean oob_pattern_match (OobPattern *pattern, const char *subject, GStrv *groups);

/* TRUE if the pattern matches the first length bytes of subject, as it
 * would match a copy of them (for a line of a text, without copying it). */
gboolean oob_pattern_match_length (OobPattern *pattern, const char *subject, gsize length);

/* Capture group n of the first match, or NULL. */
char *oob_pattern_capture (OobPattern *pattern, const char *subject, int n);

/* Every match of capture group n, in order (NULL-terminated, maybe empty). */
GStrv oob_pattern_capture_all (OobPattern *pattern, const char *subject, int n);

/* subject with every match replaced (pcre2 substitute syntax: $1). */
char *oob_pattern_replace (OobPattern *pattern, const char *subject, const char *replacement);

G_END_DECLS
