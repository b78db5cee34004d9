/* fuzz-verp.c - libFuzzer harness: any bytes as a bounce address -> VERP
 * decode under the default [verp] settings and under a signed listener.
 * Built with ./configure --enable-fuzzing CC=clang; run with fuzz/run.sh. */
#include "config.h"

#include <stdint.h>

#include "mime.h"
#include "verp.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static OobVerpConfig *
signed_config (void)
{
  g_autoptr (JsonNode) node = json_from_string ("{\"domains\": {\"bounce.example.com\": "
                                                "{\"secrets\": [\"fuzz-secret\"], \"require_signature\": true,"
                                                " \"max_age_days\": 30}}}",
                                                NULL);
  g_assert (node != NULL);
  OobVerpConfig *cfg = oob_verp_config_new (json_node_get_object (node), NULL);
  return cfg ? cfg : oob_verp_config_new (NULL, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static OobVerpConfig *defaults, *signed_cfg;
  if (defaults == NULL)
    {
      oob_mime_init ();
      defaults = oob_verp_config_new (NULL, NULL);
      signed_cfg = signed_config ();
    }
  char *address = g_strndup ((const char *) data, size);
  OobVerpConfig *configs[] = { defaults, signed_cfg };
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      OobVerpResult *result = oob_verp_decode (configs[i], address, 20000);
      g_assert (result != NULL);
      g_assert (result->status != OOB_VERP_NOT_VERP || result->recipient == NULL);
      (void) oob_verp_status_to_string (result->status);
      oob_verp_result_free (result);
    }
  g_free (oob_address_canonical (address));
  g_free (address);
  return 0;
}
