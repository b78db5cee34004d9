/* rewrite.h - status rewrite map (KumoMTA smtp_client_rewrite_delivery_status).
 *
 * A JSON file maps regular expressions to SMTP codes.  The response line
 * (see oob_response_line) is matched before classification; the first
 * matching entry whose scope fits gives the new code.  When the code
 * changes, the line's code is replaced and
 * " (oobproc: status was rewritten from 452 -> 552)" is appended.
 *
 * Simple form (KumoMTA's example file, unchanged):
 *   { "4\\.2\\.2 .*over quota": 552, "...": 550 }
 * Extended form, with optional scopes (string or array of strings; absent
 * means any; domains compare case-insensitively):
 *   { "rewrites": [
 *       { "match": "4\\.2\\.2 ", "code": 552,
 *         "domain": ["gmail.com", "googlemail.com"],
 *         "tenant": "newsletters", "campaign": "weekly" } ] }
 * Entries are tried in file order; the first match wins.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_REWRITE_ERROR (oob_rewrite_error_quark ())
GQuark oob_rewrite_error_quark (void);

typedef enum {
  OOB_REWRITE_ERROR_FORMAT,
  OOB_REWRITE_ERROR_REGEX,
} OobRewriteError;

typedef struct OobRewrite OobRewrite;

OobRewrite *oob_rewrite_load (const char *path, GError **error);
/* Same from text in memory; @filename names it in errors. */
OobRewrite *oob_rewrite_load_data (const char *text, gssize len, const char *filename,
                                   GError **error);

/* Returns the rewritten line (and its new code in @new_code), or NULL when
 * nothing changes: no entry matches, or the entry gives the same code.
 * Scope arguments may be NULL (then scoped entries do not apply). */
char *oob_rewrite_apply (OobRewrite *rewrite, const char *line, const char *domain,
                         const char *tenant, const char *campaign, int *new_code);

guint oob_rewrite_count (const OobRewrite *rewrite);
void oob_rewrite_free (OobRewrite *rewrite);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobRewrite, oob_rewrite_free)

G_END_DECLS
