/* policy.h - handling policy: bounce class (+ recipient domain) -> action.
 *
 * Built from the [policy] table of oobproc.toml (NULL = all defaults):
 *
 *   [policy]
 *   soft_threshold = 3        # soft failures that make a suppression ...
 *   soft_window = "7d"        # ... when they fall within this window
 *   temporary = "soft"        # what "suppress" becomes for a 4xx failure
 *   default = "ignore"        # action for classes not listed
 *   QuotaIssues = "suppress"  # any class name = an action
 *   [policy.feedback]         # feedback reports (ARF, JMRP, SES ...), by type
 *   not-spam = "ignore"       # the recipient says it is NOT spam
 *   auth-failure = "ignore"   # RFC 6591 DMARC/DKIM/SPF failure (often a forgery)
 *   default = "complaint"     # abuse, fraud, virus, other, opt-out ... or no type
 *   [policy.expire]           # how long suppressions last, by cause
 *   suppress = "never"        # immediate (hard) suppressions
 *   soft = "30d"              # suppressions made by crossing soft_threshold
 *   complaint = "never"
 *   [policy.domains."gmail.com"]   # same keys (not domains), override
 *   QuotaIssues = "suppress"
 *
 * Instead of the [policy.feedback] table, `feedback = "ACTION"` gives one
 * action to every feedback type (not-spam and auth-failure included).
 * Feedback types are matched case-insensitively; a domain layer inherits
 * the global feedback table and overrides its keys.
 * Actions: suppress, soft, complaint, ignore.  Durations: integer seconds
 * or "<n>s|m|h|d|w"; "never" (or 0) for expiries.  See rules/README.md.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "report.h"

G_BEGIN_DECLS

#define OOB_POLICY_ERROR (oob_policy_error_quark ())
GQuark oob_policy_error_quark (void);

typedef enum {
  OOB_POLICY_ERROR_INVALID,
} OobPolicyError;

typedef struct OobPolicy OobPolicy;

/* @table may be NULL: the documented defaults. */
OobPolicy *oob_policy_new (JsonObject *table, GError **error);
void oob_policy_free (OobPolicy *policy);

/* The action for one recipient.  @domain is the recipient's domain (NULL
 * allowed), @kind its report kind, @class_name its bounce class, and
 * @temporary TRUE when the failure is a 4xx one.
 *  - delayed / delivered / relayed / expanded: "ignore" (never counts);
 *  - feedback: the action for a report that states no feedback type (the
 *    feedback "default", "complaint"); a feedback recipient is decided by
 *    oob_policy_feedback_action() with its report's feedback_type;
 *  - otherwise the class's action; when @temporary and that is
 *    "suppress", the "temporary" key's action ("soft") instead. */
const char *oob_policy_action (const OobPolicy *policy, const char *domain, OobKind kind,
                               const char *class_name, gboolean temporary);

/* The action for a feedback report of @feedback_type (any case; NULL when
 * the report states none) about a recipient at @domain (NULL allowed):
 * the feedback table's entry for that type, else its "default".  By
 * default "ignore" for not-spam and auth-failure, else "complaint". */
const char *oob_policy_feedback_action (const OobPolicy *policy, const char *domain,
                                        const char *feedback_type);

/* The plain class -> action mapping for @domain, without the kind and
 * temporary-failure rules. */
const char *oob_policy_class_action (const OobPolicy *policy, const char *domain,
                                     const char *class_name);

guint oob_policy_soft_threshold (const OobPolicy *policy, const char *domain);
gint64 oob_policy_soft_window (const OobPolicy *policy, const char *domain);   /* seconds */
/* Lifetime in seconds of a suppression caused by @action ("suppress",
 * "soft", "complaint"); 0 = never expires. */
gint64 oob_policy_expiry (const OobPolicy *policy, const char *domain, const char *action);

/* Parse "30d", "12h", "3600" ...; FALSE for anything else. */
gboolean oob_parse_duration (const char *text, gint64 *seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobPolicy, oob_policy_free)

G_END_DECLS
