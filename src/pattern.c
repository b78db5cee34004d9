/* pattern.c - compiled-once pcre2 patterns with bounded matching. */
#include "config.h"

#include <string.h>

#include "pattern.h"

/* Work bounds for every match: a pathological text costs milliseconds. */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

/* JIT-compile patterns from now on (many messages ahead: scan, import). */
static gboolean use_jit;

void
oob_pattern_enable_jit (void)
{
  use_jit = TRUE;
}

static pcre2_match_context *
match_context (void)
{
  static gsize once;
  static pcre2_match_context *context;
  if (g_once_init_enter (&once))
    {
      pcre2_match_context *c = pcre2_match_context_create (NULL);
      pcre2_set_match_limit (c, MATCH_LIMIT);
      pcre2_set_depth_limit (c, DEPTH_LIMIT);
      context = c;
      g_once_init_leave (&once, 1);
    }
  return context;
}

static pcre2_code *
compile (OobPattern *pattern, guint32 options)
{
  int error;
  PCRE2_SIZE offset;
  pcre2_code *code = pcre2_compile ((PCRE2_SPTR) pattern->source, PCRE2_ZERO_TERMINATED,
                                    pattern->options | PCRE2_UTF | PCRE2_UCP | options, &error, &offset, NULL);
  if (code == NULL)
    {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message (error, message, sizeof message);
      g_error ("built-in pattern /%s/ does not compile at %zu: %s", pattern->source, (size_t) offset, message);
    }
  /* Without JIT support pcre2 simply interprets: nothing to handle. */
  if (use_jit)
    pcre2_jit_compile (code, PCRE2_JIT_COMPLETE);
  return code;
}

/* The pattern for any text, invalid UTF-8 included. */
static pcre2_code *
compiled (OobPattern *pattern)
{
  if (g_once_init_enter (&pattern->once))
    {
      pattern->code = compile (pattern, PCRE2_MATCH_INVALID_UTF);
      g_once_init_leave (&pattern->once, 1);
    }
  return pattern->code;
}

/* The pattern for text known to be valid UTF-8, matched with
 * PCRE2_NO_UTF_CHECK.  pcre2's interpreter (pipe mode does not JIT) makes
 * every match of a PCRE2_MATCH_INVALID_UTF pattern cost the length of the
 * rest of the text: a loop of matches over one long text (every match,
 * a global replace) would cost its length at each match. */
static pcre2_code *
compiled_for_valid (OobPattern *pattern)
{
  if (g_once_init_enter (&pattern->valid_once))
    {
      pattern->valid_code = compile (pattern, 0);
      g_once_init_leave (&pattern->valid_once, 1);
    }
  return pattern->valid_code;
}

/* Runs one match; returns the match count (>0) or <= 0. */
static int
match_once (OobPattern *pattern, const char *subject, gsize length, pcre2_match_data *data)
{
  return pcre2_match (compiled (pattern), (PCRE2_SPTR) subject, length, 0, 0, data, match_context ());
}

/* Match data for one match call: a block per thread, kept between calls,
 * big enough for every capture group of our patterns (one malloc and free
 * per match saved).  A pattern with more groups gets its own block; the
 * caller frees the block with release_match_data().  No match call runs
 * inside another, so one block per thread is enough. */
#define SHARED_PAIRS 32

static GPrivate shared_match_data = G_PRIVATE_INIT ((GDestroyNotify) pcre2_match_data_free);

static pcre2_match_data *
acquire_match_data (OobPattern *pattern)
{
  guint32 captures = 0;
  pcre2_pattern_info (compiled (pattern), PCRE2_INFO_CAPTURECOUNT, &captures);
  if (captures + 1 > SHARED_PAIRS)
    return pcre2_match_data_create_from_pattern (compiled (pattern), NULL);
  pcre2_match_data *data = g_private_get (&shared_match_data);
  if (data == NULL)
    {
      data = pcre2_match_data_create (SHARED_PAIRS, NULL);
      g_private_set (&shared_match_data, data);
    }
  return data;
}

static void
release_match_data (pcre2_match_data *data)
{
  if (data != g_private_get (&shared_match_data))
    pcre2_match_data_free (data);
}

gboolean
oob_pattern_match_length (OobPattern *pattern, const char *subject, gsize length)
{
  pcre2_match_data *data = acquire_match_data (pattern);
  int rc = match_once (pattern, subject, length, data);
  release_match_data (data);
  return rc > 0;
}

gboolean
oob_pattern_match (OobPattern *pattern, const char *subject, GStrv *groups)
{
  if (subject == NULL)
    return FALSE;
  pcre2_match_data *data = acquire_match_data (pattern);
  int rc = match_once (pattern, subject, strlen (subject), data);
  if (rc > 0 && groups != NULL)
    {
      PCRE2_SIZE *ovector = pcre2_get_ovector_pointer (data);
      guint32 count = 0;
      pcre2_pattern_info (compiled (pattern), PCRE2_INFO_CAPTURECOUNT, &count);
      count++;
      GStrv out = g_new0 (char *, count + 1);
      for (guint32 i = 0; i < count; i++)
        {
          if (i < (guint32) rc && ovector[2 * i] != PCRE2_UNSET)
            out[i] = g_strndup (subject + ovector[2 * i], ovector[2 * i + 1] - ovector[2 * i]);
          else
            out[i] = g_strdup ("");
        }
      *groups = out;
    }
  release_match_data (data);
  return rc > 0;
}

char *
oob_pattern_capture (OobPattern *pattern, const char *subject, int n)
{
  g_auto (GStrv) groups = NULL;
  if (!oob_pattern_match (pattern, subject, &groups) || (guint) n >= g_strv_length (groups))
    return NULL;
  return g_strdup (groups[n]);
}

/* A copy of subject with invalid UTF-8 made U+FFFD, or NULL when subject is
 * valid: for the loops over one text, which use compiled_for_valid. */
static char *
valid_copy (const char *subject)
{
  return g_utf8_validate (subject, -1, NULL) ? NULL : g_utf8_make_valid (subject, -1);
}

GStrv
oob_pattern_capture_all (OobPattern *pattern, const char *subject, int n)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  if (subject != NULL)
    {
      g_autofree char *valid = valid_copy (subject);
      if (valid)
        subject = valid;
      gsize length = strlen (subject), offset = 0;
      pcre2_match_data *data = acquire_match_data (pattern);
      while (offset <= length)
        {
          /* checked above; offset stays on a character's first byte */
          int rc = pcre2_match (compiled_for_valid (pattern), (PCRE2_SPTR) subject, length, offset,
                                PCRE2_NO_UTF_CHECK, data, match_context ());
          if (rc <= 0)
            break;
          PCRE2_SIZE *ovector = pcre2_get_ovector_pointer (data);
          if (n < rc && ovector[2 * n] != PCRE2_UNSET)
            g_ptr_array_add (out, g_strndup (subject + ovector[2 * n], ovector[2 * n + 1] - ovector[2 * n]));
          offset = ovector[1] > ovector[0] ? ovector[1] : ovector[0] + 1;
          while (offset < length && (subject[offset] & 0xC0) == 0x80)
            offset++;
        }
      release_match_data (data);
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

char *
oob_pattern_replace (OobPattern *pattern, const char *subject, const char *replacement)
{
  g_autofree char *valid = valid_copy (subject);
  if (valid)
    subject = valid;
  PCRE2_SIZE size = strlen (subject) * 2 + 64;
  for (int attempt = 0; attempt < 4; attempt++)
    {
      g_autofree PCRE2_UCHAR *out = g_malloc (size);
      PCRE2_SIZE out_length = size;
      int rc = pcre2_substitute (compiled_for_valid (pattern), (PCRE2_SPTR) subject, PCRE2_ZERO_TERMINATED, 0,
                                 PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH | PCRE2_NO_UTF_CHECK,
                                 NULL, match_context (), (PCRE2_SPTR) replacement,
                                 PCRE2_ZERO_TERMINATED, out, &out_length);
      if (rc >= 0)
        return (char *) g_steal_pointer (&out);
      if (rc != PCRE2_ERROR_NOMEMORY)
        break;
      size = out_length + 1;
    }
  return g_strdup (subject);
}
