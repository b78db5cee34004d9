/* fuzz-parse.c - libFuzzer harness: any bytes -> report, classified.
 * Built with ./configure --enable-fuzzing CC=clang (see fuzz/README.md). */
#include "config.h"

#include <stdint.h>

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  OobReport *report = oob_parse_message ((const char *) data, size);
  for (guint i = 0; i < report->recipients->len; i++)
    {
      const OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      (void) oob_kind_to_string (oob_recipient_kind (report, rcpt));
      (void) oob_recipient_address (rcpt);
    }
  oob_report_free (report);
  return 0;
}
