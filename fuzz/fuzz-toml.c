/* fuzz-toml.c - libFuzzer harness: any bytes -> TOML tree with value lines,
 * and the same bytes as a diagnostic -> response line.
 * Built with ./configure --enable-fuzzing CC=clang; run with fuzz/run.sh. */
#include "config.h"

#include <stdint.h>

#include "rules.h"
#include "toml.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GHashTable *lines = g_hash_table_new (g_direct_hash, g_direct_equal);
  GError *error = NULL;
  JsonNode *root = oob_toml_parse_with_lines ((const char *) data, size, "fuzz.toml", lines, &error);
  g_assert ((root == NULL) == (error != NULL));
  if (root)
    json_node_unref (root);
  g_clear_error (&error);
  g_hash_table_destroy (lines);

  char *text = g_strndup ((const char *) data, size);
  char *line = oob_response_line (size % 2 ? 550 : 0, size % 3 ? "5.1.1" : NULL, text);
  (void) oob_response_line_code (line);
  g_free (line);
  g_free (text);
  return 0;
}
