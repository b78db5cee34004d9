/* fuzz-prefilter.c - libFuzzer harness for the rule prefilter's soundness:
 * input "PATTERN\nLINE".  When pcre2 (compiled as rules are: UTF, UCP,
 * DOLLAR_ENDONLY, MATCH_INVALID_UTF) matches LINE, the prefilter read from
 * PATTERN must not rule the line out; a wrong "cannot match" aborts.
 * Built with ./configure --enable-fuzzing CC=clang; run with fuzz/run.sh. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rule_prefilter.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *nl = memchr (data, '\n', size);
  if (nl == NULL || memchr (data, '\0', size) != NULL)
    return 0;
  char *pattern = g_strndup ((const char *) data, (gsize) (nl - (const char *) data));
  char *line = g_strndup (nl + 1, size - (gsize) (nl + 1 - (const char *) data));
  int code;
  PCRE2_SIZE offset;
  pcre2_code *re = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF,
                                  &code, &offset, NULL);
  if (re != NULL)
    {
      pcre2_match_context *context = pcre2_match_context_create (NULL);
      pcre2_set_match_limit (context, 100000);
      pcre2_set_depth_limit (context, 2000);
      pcre2_match_data *md = pcre2_match_data_create_from_pattern (re, NULL);
      int rc = pcre2_match (re, (PCRE2_SPTR) line, strlen (line), 0, 0, md, context);
      if (rc >= 0)
        {
          OobRulePrefilter filter;
          oob_rule_prefilter_init (&filter, pattern);
          OobPrefilterLine prepared;
          oob_prefilter_line_init (&prepared, line);
          if (!oob_rule_prefilter_may_match (&filter, &prepared))
            abort ();
          oob_prefilter_line_clear (&prepared);
          oob_rule_prefilter_clear (&filter);
        }
      pcre2_match_data_free (md);
      pcre2_match_context_free (context);
      pcre2_code_free (re);
    }
  g_free (pattern);
  g_free (line);
  return 0;
}
