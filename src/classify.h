/* classify.h - glue: response line -> rewrite -> rules -> policy, per recipient. */
#pragma once

#include <glib.h>

#include "policy.h"
#include "report.h"
#include "rewrite.h"
#include "rules.h"

G_BEGIN_DECLS

/* Fill @rcpt's response_line, classification, rule and policy_action.
 *  - bounces, delays and unknown kinds: the response line is built from
 *    smtp_code/status/diagnostic, rewritten by @rewrite (which may change
 *    rcpt->smtp_code), classified by @rules (no match: "Uncategorized",
 *    rule NULL); the action follows from @policy, the recipient domain and
 *    whether the (possibly rewritten) code is 4xx (else the status is 4.x.x);
 *  - auto-replies: class "AutoReply" (rule NULL) unless the rules say
 *    otherwise for their line;
 *  - feedback reports: no class, action from the policy's feedback table
 *    for the report's feedback_type;
 *  - delivered/relayed/expanded: no class, action "ignore".
 * @rewrite and @policy may be NULL (no rewrite; default policy).
 * Fails only when a rule that had to be tried does not compile. */
gboolean oob_classify_recipient (OobRules *rules, OobRewrite *rewrite, OobPolicy *policy,
                                 const OobReport *report, OobRecipient *rcpt,
                                 const char *tenant, const char *campaign, GError **error);

G_END_DECLS
