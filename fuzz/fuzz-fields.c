/* fuzz-fields.c - libFuzzer harness for src/fields.c against GMime: any
 * bytes as a delivery-status field block.  fields.c must find a block
 * exactly when GMime's header parser does, and give every field GMime
 * reads the same value; a difference aborts.
 * Built with ./configure --enable-fuzzing CC=clang; run with fuzz/run.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "mime.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const dsn_names[] = {
  "Reporting-MTA", "Final-Recipient", "Original-Recipient", "Action", "Status",
  "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "X-Missing",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean ready;
  if (!ready)
    {
      oob_mime_init ();
      ready = TRUE;
    }
  /* Blocks come from a part's decoded text: NUL-free, as GMime's parser
   * would stop at a NUL anyway. */
  if (memchr (data, '\0', size) != NULL)
    return 0;
  const char *text = (const char *) data;
  GMimeHeaderList *gmime = oob_mime_parse_fields (text, size);
  OobFieldBlock *block = oob_field_block_read (text, size);
  if ((gmime == NULL) != (block == NULL))
    abort ();
  if (gmime)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (dsn_names); i++)
        if (g_strcmp0 (oob_mime_header (gmime, dsn_names[i]), oob_field_block_get (block, dsn_names[i])) != 0)
          abort ();
      for (int i = 0; i < g_mime_header_list_get_count (gmime); i++)
        {
          const char *name = g_mime_header_get_name (g_mime_header_list_get_header_at (gmime, i));
          if (g_strcmp0 (oob_mime_header (gmime, name), oob_field_block_get (block, name)) != 0)
            abort ();
        }
      g_object_unref (gmime);
      oob_field_block_free (block);
    }
  return 0;
}
