/* classify.c - glue: response line -> rewrite -> rules -> policy, per recipient.
 *
 * Owns the order of the classification stages for one recipient; each stage
 * lives in its own file (rules.c, rewrite.c, policy.c).
 */
#include "config.h"

#include "classify.h"

#include <string.h>

#include "derive.h"
#include "smtp_command.h"

static const OobPolicy *
default_policy (void)
{
  static OobPolicy *policy;
  if (g_once_init_enter (&policy))
    g_once_init_leave (&policy, oob_policy_new (NULL, NULL));
  return policy;
}

static char *
recipient_domain (const OobRecipient *rcpt)
{
  const char *addr = oob_recipient_address (rcpt);
  const char *at = addr ? strrchr (addr, '@') : NULL;
  return at && at[1] ? g_ascii_strdown (at + 1, -1) : NULL;
}

gboolean
oob_classify_recipient (OobRules *rules, OobRewrite *rewrite, OobPolicy *policy,
                        const OobReport *report, OobRecipient *rcpt, const char *tenant,
                        const char *campaign, GError **error)
{
  g_return_val_if_fail (rules != NULL && report != NULL && rcpt != NULL, FALSE);
  const OobPolicy *pol = policy ? policy : default_policy ();
  OobKind kind = oob_recipient_kind (report, rcpt);
  g_autofree char *domain = recipient_domain (rcpt);

  oob_set_string (&rcpt->classification, NULL);
  oob_set_string (&rcpt->rule, NULL);
  oob_set_string (&rcpt->response_line, NULL);

  if (kind == OOB_KIND_FEEDBACK)
    {
      oob_set_string (&rcpt->policy_action,
                      oob_policy_feedback_action (pol, domain, report->feedback_type));
      return TRUE;
    }
  if (kind == OOB_KIND_DELIVERED || kind == OOB_KIND_RELAYED || kind == OOB_KIND_EXPANDED)
    {
      oob_set_string (&rcpt->policy_action, oob_policy_action (pol, domain, kind, NULL, FALSE));
      return TRUE;
    }

  g_autofree char *line = oob_response_line (rcpt->smtp_code, rcpt->status, rcpt->diagnostic);
  if (rewrite)
    {
      int new_code = 0;
      char *rewritten = oob_rewrite_apply (rewrite, line, domain, tenant, campaign, &new_code);
      if (rewritten)
        {
          g_free (line);
          line = rewritten;
          rcpt->smtp_code = new_code;
        }
    }

  const OobRule *rule = NULL;
  if (*line)
    {
      g_autoptr (GError) rule_error = NULL;
      rule = oob_rules_match (rules, line, &rule_error);
      if (rule_error)
        {
          g_propagate_error (error, g_steal_pointer (&rule_error));
          return FALSE;
        }
    }
  const char *class_name = rule ? rule->class_name
                         : kind == OOB_KIND_AUTOREPLY ? "AutoReply"
                         : OOB_CLASS_UNCATEGORIZED;
  g_autofree char *location = rule ? g_strdup (rule->location) : NULL;

  /* The rule's verdict, overruled by where in the session it was said, or
   * by a filter's "user unknown" for a mailbox it has. */
  const char *why = NULL;
  const char *overruling = kind == OOB_KIND_AUTOREPLY ? NULL
                         : oob_smtp_command_class (rcpt->smtp_command, rcpt->status, class_name, &why);
  if (overruling == NULL && g_strcmp0 (class_name, "InvalidRecipient") == 0 &&
      oob_status_filtered (rcpt->status, rcpt->diagnostic))
    {
      overruling = "PolicyRelated";
      why = "filtered";
    }
  if (overruling)
    {
      g_autofree char *overruled = g_strdup_printf ("%s%s%s, %s", location ? location : "",
                                                    location ? ": " : "", class_name, why);
      g_free (location);
      location = g_steal_pointer (&overruled);
      class_name = overruling;
    }

  int code = oob_response_line_code (line);
  gboolean temporary = code ? code / 100 == 4 : (rcpt->status && rcpt->status[0] == '4');

  oob_set_string (&rcpt->response_line, line);
  oob_set_string (&rcpt->classification, class_name);
  oob_set_string (&rcpt->rule, location);
  oob_set_string (&rcpt->policy_action,
                  oob_policy_action (pol, domain, kind, class_name, temporary));
  return TRUE;
}
