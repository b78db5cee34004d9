/* process.c - the stages between raw bytes and a decided report. */
#include "config.h"

#include <string.h>

#include "attribution.h"
#include "classify.h"
#include "mime.h"
#include "parse.h"
#include "pattern.h"
#include "process.h"
#include "verp.h"

struct OobProcessor {
  OobRules *rules;
  OobRewrite *rewrite;
  OobPolicy *policy;
  OobVerpConfig *verp;
  OobAttributionConfig *attribution;
};

void
oob_processor_free (OobProcessor *processor)
{
  if (processor == NULL)
    return;
  g_clear_pointer (&processor->rules, oob_rules_free);
  g_clear_pointer (&processor->rewrite, oob_rewrite_free);
  g_clear_pointer (&processor->policy, oob_policy_free);
  g_clear_pointer (&processor->verp, oob_verp_config_free);
  g_clear_pointer (&processor->attribution, oob_attribution_config_free);
  g_free (processor);
}

static GPrivate thread_processor = G_PRIVATE_INIT ((GDestroyNotify) oob_processor_free);

OobProcessor *
oob_processor_for_thread (const OobConfig *config)
{
  OobProcessor *processor = g_private_get (&thread_processor);
  if (processor == NULL)
    {
      g_autoptr (GError) error = NULL;
      processor = oob_processor_new (config, OOB_PROCESSOR_MANY, &error);
      g_assert_no_error (error); /* the same configuration already loaded once */
      g_private_set (&thread_processor, processor);
    }
  return processor;
}

OobProcessor *
oob_processor_new (const OobConfig *config, OobProcessorUse use, GError **error)
{
  g_autoptr (OobConfig) defaults = NULL;
  if (config == NULL)
    {
      defaults = oob_config_load_defaults ();
      config = defaults;
    }
  g_autoptr (OobProcessor) processor = g_new0 (OobProcessor, 1);
  const char *const *files = (const char *const *) config->rule_files;
  if (use == OOB_PROCESSOR_MANY)
    {
      oob_pattern_enable_jit ();
      processor->rules = oob_rules_load (files, error);
      if (processor->rules && !oob_rules_prepare (processor->rules, TRUE, error))
        return NULL;
    }
  else
    {
      /* The compiled rules are cached beside the database they serve. */
      g_autofree char *cache = g_strconcat (config->database, ".rules-cache", NULL);
      processor->rules = oob_rules_load_cached (files, cache, error);
    }
  if (processor->rules == NULL)
    return NULL;
  if (config->rewrite_file && !(processor->rewrite = oob_rewrite_load (config->rewrite_file, error)))
    return NULL;
  if (!(processor->policy = oob_policy_new (oob_config_table (config, "policy"), error)) ||
      !(processor->verp = oob_verp_config_new (oob_config_table (config, "verp"), error)) ||
      !(processor->attribution = oob_attribution_config_new (oob_config_table (config, "attribution"), error)))
    return NULL;
  return g_steal_pointer (&processor);
}

/* What the store needs to turn the decision into a suppression. */
static void
set_suppression_terms (const OobPolicy *policy, OobRecipient *rcpt)
{
  const char *address = oob_recipient_address (rcpt);
  const char *at = address ? strrchr (address, '@') : NULL;
  g_autofree char *domain = at ? g_utf8_strdown (at + 1, -1) : NULL;
  rcpt->soft_threshold = oob_policy_soft_threshold (policy, domain);
  rcpt->soft_window = oob_policy_soft_window (policy, domain);
  rcpt->expiry = oob_policy_expiry (policy, domain, rcpt->policy_action);
}

OobReport *
oob_processor_run (OobProcessor *processor, const char *data, gsize len, const OobDelivery *delivery,
                   OobEnvelope **envelope, GError **error)
{
  static const OobDelivery none = { 0 };
  if (delivery == NULL)
    delivery = &none;
  g_autoptr (GMimeMessage) message = oob_mime_parse (data, len);
  g_autoptr (GMimeMessage) returned = NULL;
  g_autoptr (OobReport) report = oob_parse_mime_returned (message, &returned);
  g_autoptr (OobEnvelope) env = oob_envelope_collect (delivery->sender, delivery->recipient, delivery->envp, message);
  g_autoptr (OobAttribution) attribution = oob_attribute_returned (processor->verp, processor->attribution, env,
                                                                   report, returned, oob_verp_today ());
  oob_attribution_apply (attribution, report);

  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (!oob_classify_recipient (processor->rules, processor->rewrite, processor->policy, report, rcpt,
                                   report->tenant, report->campaign, error))
        return NULL;
      set_suppression_terms (processor->policy, rcpt);
    }
  if (envelope)
    *envelope = g_steal_pointer (&env);
  return g_steal_pointer (&report);
}
