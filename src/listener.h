/* listener.h - KumoMTA listener-domain files: what happens to a message
 * after it is recorded.
 *
 * Owns reading the file (unchanged KumoMTA format plus our own relay
 * recipient keys), validating every entry, and choosing the entry for a
 * bounce domain.  Knows nothing of MIME, SQLite or how relaying is done.
 *
 * The file is TOML, one table per domain (quoted keys), "*" the default:
 *
 *   ["bounce.example.com"]
 *   log_oob = "LogThenDrop"        # or "LogThenRelay", "Ignore", true, false
 *   log_arf = "LogThenRelay"
 *   arf_relay_recipients = ["complaints@example.com"]
 *
 *   ["*"]
 *   log_oob = true                 # true = "LogThenRelay", false = "Ignore"
 *   relay_to = true
 *   oob_relay_recipients = ["archive@example.com"]
 *
 * log_oob applies to every message that is not a feedback (ARF) report,
 * log_arf to feedback reports; both default to "LogThenDrop" when absent.
 * What each means for a pipe:
 *   LogThenDrop   record the message, then accept and discard it;
 *   LogThenRelay  record it, then hand it to the relay recipients;
 *   Ignore        do not treat it as a report: nothing is recorded; it is
 *                 relayed when relay_to = true, else accepted and discarded.
 * relay_to is KumoMTA's boolean "relay mail for this domain onward"
 * (default false).  The MTA already delivered the message to us, so for
 * oobproc it only decides what Ignore does, as KumoMTA relays a message it
 * does not log only when relay_to is true.
 * oob_relay_recipients / arf_relay_recipients (ours; KumoMTA has no such
 * keys) list where relayed messages go; a string is a one-address list.
 * An entry that would relay with no recipients is an error.
 *
 * Lookup is by the envelope recipient's domain, case-insensitively: the
 * exact domain, then "*.parent" wildcard entries from the nearest parent
 * up (as KumoMTA's domain maps), then "*".  A plain "example.com" entry
 * does not cover its subdomains.  No matching entry: LogThenDrop.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_LISTENER_ERROR (oob_listener_error_quark ())
GQuark oob_listener_error_quark (void);

typedef enum {
  OOB_LISTENER_ERROR_INVALID, /* a key has a value we cannot use */
} OobListenerError;

typedef enum {
  OOB_DISPOSITION_LOG_THEN_DROP,
  OOB_DISPOSITION_LOG_THEN_RELAY,
  OOB_DISPOSITION_IGNORE,
} OobDisposition;

const char *oob_disposition_to_string (OobDisposition disposition);

typedef struct {
  char *domain;                 /* the table key as written */
  OobDisposition log_oob;
  OobDisposition log_arf;
  gboolean relay_to;
  char **oob_relay_recipients;  /* NULL-terminated, possibly empty */
  char **arf_relay_recipients;
} OobListenerDomain;

typedef struct OobListenerDomains OobListenerDomains;

/* Validates and takes in a parsed file (the root table).  Errors name the
 * domain and key: "listener domain "x": log_oob: ...". */
OobListenerDomains *oob_listener_domains_new (JsonObject *root, GError **error);

/* Reads and validates a listener-domain TOML file. */
OobListenerDomains *oob_listener_domains_load (const char *path, GError **error);

void oob_listener_domains_free (OobListenerDomains *domains);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobListenerDomains, oob_listener_domains_free)

/* The entry for a domain (see the lookup order above), or NULL. */
const OobListenerDomain *oob_listener_domains_lookup (const OobListenerDomains *domains, const char *domain);

/* What to do with one message, decided from an entry (NULL: no entry). */
typedef struct {
  OobDisposition disposition;
  gboolean record;                    /* store it in the database */
  const char *const *relay_recipients; /* NULL: drop after recording */
} OobListenerDecision;

void oob_listener_decide (const OobListenerDomain *entry, gboolean is_feedback, OobListenerDecision *decision);

G_END_DECLS
