/* verp.h - VERP return paths: configuration, decoding, signing.
 *
 * Owns the `[verp]` configuration table (per listener domain), decoding a
 * bounce address back to the recipient it was sent to (Postfix and qmail
 * delimiters, Courier `+XX` escapes, BATV and SRS wrappers), and the signed
 * VERP tag (HMAC-SHA256) described exactly in docs/verp.md.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_VERP_ERROR (oob_verp_error_quark ())
GQuark oob_verp_error_quark (void);

typedef enum {
  OOB_VERP_ERROR_CONFIG,   /* a [verp] key has a wrong type or value */
  OOB_VERP_ERROR_ENCODE,   /* the address cannot be encoded */
} OobVerpError;

/* Settings of one listener (bounce) domain; the defaults are one too. */
typedef struct {
  char *domain;            /* listener domain, lower case; NULL for the defaults */
  char *prefix;            /* "bounces" */
  char delimiter;          /* separates prefix and recipient: '+' */
  char at_delimiter;       /* stands for the recipient's '@': '=' */
  GStrv secrets;           /* first signs, all verify; empty: unsigned */
  gboolean require_signature;
  guint tag_length;        /* hex digits of the tag, 8..64 */
  guint max_age_days;      /* 0: tags with a day never expire */
} OobVerpDomain;

typedef struct {
  OobVerpDomain defaults;
  char *default_domain;    /* listener domain `verp encode` uses without --domain */
  GPtrArray *domains;      /* OobVerpDomain*, each a full copy with overrides applied */
} OobVerpConfig;

/* Reads the [verp] table; NULL table gives the defaults. */
OobVerpConfig *oob_verp_config_new (JsonObject *table, GError **error);
void oob_verp_config_free (OobVerpConfig *cfg);
/* The settings for a listener domain (case-insensitive), else the defaults. */
const OobVerpDomain *oob_verp_config_lookup (const OobVerpConfig *cfg, const char *bounce_domain);

typedef enum {
  OOB_VERP_NOT_VERP = 0,   /* not a VERP address of this listener: no recipient */
  OOB_VERP_UNSIGNED,       /* VERP without a tag */
  OOB_VERP_VERIFIED,       /* tag verified under one of the secrets, not expired */
  OOB_VERP_BAD_SIGNATURE,  /* tag present but wrong (or no secret to check it) */
  OOB_VERP_EXPIRED,        /* tag right but its day is outside max_age_days */
} OobVerpStatus;

const char *oob_verp_status_to_string (OobVerpStatus status);

typedef struct {
  OobVerpStatus status;
  char *address;           /* the bounce address after unwrapping BATV/SRS */
  char *bounce_domain;     /* its domain, lower case */
  char *wrappers;          /* unwrapped layers outermost first, "prvs,srs0", or NULL */
  char *recipient;         /* decoded recipient (domain lower-case A-label), or NULL */
  char *campaign;          /* from the signed tag, lower case, or NULL */
  gint64 day;              /* from the signed tag: days since 1970-01-01, or -1 */
  char *tag;               /* the tag as found, lower case, or NULL */
  gboolean require_signature; /* of the listener domain */
} OobVerpResult;

/* Decodes a bounce address.  Never fails: an address that is not VERP for
 * its listener gives status OOB_VERP_NOT_VERP and no recipient.  today is
 * days since 1970-01-01 UTC (the clock, injected). */
OobVerpResult *oob_verp_decode (const OobVerpConfig *cfg, const char *address, gint64 today);
void oob_verp_result_free (OobVerpResult *result);

/* Builds the return path for recipient at bounce_domain (NULL: the
 * configured default domain), signed with the domain's first secret when
 * it has secrets.  campaign may be NULL; day < 0 leaves the day out. */
char *oob_verp_encode (const OobVerpConfig *cfg, const char *bounce_domain,
                       const char *recipient, const char *campaign, gint64 day,
                       GError **error);

/* The tag of docs/verp.md: the first tag_length hex digits of
 * HMAC-SHA256(secret, "oobverp1\n" recipient "\n" day "\n" campaign). */
char *oob_verp_tag (const char *secret, const char *canonical_recipient,
                    const char *campaign, gint64 day, guint tag_length);

/* Address helpers shared by envelope and attribution. */
/* Splits an address (bare, <bracketed> or with a display name) into its
 * local part without quoting and its domain (A-label, lower case). */
gboolean oob_address_split (const char *address, char **local, char **domain);
/* local@domain with the local part quoted when it is not a dot-atom. */
char *oob_address_join (const char *local, const char *domain);
/* The comparison and MAC form: local part without quoting, ASCII letters
 * lowered, '@', domain as a lower-case A-label; NULL when unparsable. */
char *oob_address_canonical (const char *address);

/* Days since 1970-01-01 UTC now. */
gint64 oob_verp_today (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobVerpConfig, oob_verp_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobVerpResult, oob_verp_result_free)

G_END_DECLS
