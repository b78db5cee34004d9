/* toml.h - a small, strict TOML 1.0 reader producing a json-glib tree.
 *
 * Tables become JSON objects, arrays JSON arrays, strings/integers/floats/
 * booleans JSON values; offset date-times, local date-times, dates and times
 * are kept as JSON strings exactly as written.  Every error names
 * "file:line".
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_TOML_ERROR (oob_toml_error_quark ())
GQuark oob_toml_error_quark (void);

typedef enum {
  OOB_TOML_ERROR_SYNTAX,    /* not TOML */
  OOB_TOML_ERROR_DUPLICATE, /* a key or table defined twice */
  OOB_TOML_ERROR_IO,        /* the file could not be read */
} OobTomlError;

/* Parse TOML text.  @filename is only used in error messages (may be NULL).
 * Returns a JSON object node (owned by the caller) or NULL with @error set. */
JsonNode *oob_toml_parse (const char *text, gsize len, const char *filename,
                          GError **error);

/* Same, plus line numbers: when @value_lines is not NULL it must be a
 * GHashTable created with g_direct_hash/g_direct_equal; for every value
 * node in the returned tree (scalars, arrays, inline tables, and each
 * element of an array) it receives the node pointer as key and the 1-based
 * line the value starts on as GUINT_TO_POINTER value.  Keys stay valid as
 * long as the returned tree lives. */
JsonNode *oob_toml_parse_with_lines (const char *text, gsize len,
                                     const char *filename,
                                     GHashTable *value_lines, GError **error);

/* Read and parse a file. */
JsonNode *oob_toml_parse_file (const char *path, GError **error);

G_END_DECLS
