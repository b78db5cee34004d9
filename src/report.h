/* report.h - the report model: what one incoming message says.
 *
 * Owns the plain structs every parser fills and every later stage reads:
 * OobReport (one per message) and OobRecipient (one per recipient the
 * message reports on).  Knows nothing of MIME, SQLite or configuration.
 * All strings are UTF-8, owned by the struct, and NULL when absent.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What kind of message this is, as a whole. */
typedef enum {
  OOB_REPORT_UNKNOWN = 0, /* not understood: recorded with its raw bytes */
  OOB_REPORT_DSN,         /* RFC 3464 / RFC 6533 delivery status notification */
  OOB_REPORT_BOUNCE,      /* a non-standard (plain text) bounce */
  OOB_REPORT_FEEDBACK,    /* RFC 5965 ARF or a provider complaint */
  OOB_REPORT_AUTOREPLY,   /* RFC 3834 auto-reply / vacation */
} OobReportType;

/* The per-recipient kind printed by `scan` and stored on events. */
typedef enum {
  OOB_KIND_UNKNOWN = 0,
  OOB_KIND_BOUNCE,
  OOB_KIND_DELAY,
  OOB_KIND_DELIVERED,
  OOB_KIND_RELAYED,
  OOB_KIND_EXPANDED,
  OOB_KIND_FEEDBACK,
  OOB_KIND_AUTOREPLY,
} OobKind;

/* One name/value pair kept verbatim (e.g. ARF fields). */
typedef struct {
  char *name;
  char *value;
} OobField;

typedef struct {
  char *final_recipient;     /* bare address, "rfc822;" and <> removed */
  char *original_recipient;  /* bare address */
  char *action;              /* lower case: failed delayed delivered relayed expanded */
  char *status;              /* enhanced status "5.1.1", or NULL */
  int smtp_code;             /* SMTP reply code, 0 when unknown */
  char *diagnostic;          /* diagnostic text, type prefix removed, unfolded */
  char *diagnostic_type;     /* "smtp", "x-unix", ... */
  char *remote_mta;          /* host name, type prefix removed */
  const char *smtp_command;  /* the SMTP stage refused (smtp_command.h), static, or NULL */
  char *last_attempt_date;
  char *will_retry_until;

  /* Filled after parsing. */
  char *classification;      /* bounce class (KumoMTA names) */
  char *rule;                /* "file:line" of the rule that matched */
  char *policy_action;       /* suppress soft complaint ignore */
  char *response_line;       /* "<code> <x.y.z> <content>" the rules saw */
  char *note;                /* e.g. VERP and report disagree on the address */

  /* How the store turns this event into a suppression (from the policy). */
  guint soft_threshold;      /* soft events within soft_window that suppress; 0 never */
  gint64 soft_window;        /* seconds */
  gint64 expiry;             /* seconds a suppression caused by this event lasts; 0 forever */
} OobRecipient;

typedef struct {
  OobReportType type;
  char *parser;              /* which parser understood it: "rfc3464", "qmail", ... */

  /* When the notice itself was written: its Date header, seconds since
   * the epoch; 0 when it has none GMime can read. */
  gint64 written_at;

  /* Per-message DSN fields. */
  char *reporting_mta;
  char *arrival_date;
  char *original_envelope_id;
  char *received_from_mta;

  /* From the returned original message (or its headers). */
  char *orig_message_id;
  char *orig_from;
  char *orig_to;
  char *orig_subject;
  char *orig_headers;        /* raw header block of the returned message */

  /* Feedback reports. */
  char *feedback_type;       /* lower case: abuse fraud virus other not-spam opt-out auth-failure */
  GPtrArray *fields;         /* OobField*: every report field, verbatim */

  /* Attribution, filled from the envelope and returned headers. */
  char *campaign;
  char *tenant;
  gboolean unverified;       /* a required VERP signature was missing or wrong */

  /* Set when the input was cut at the size cap or a bound was hit. */
  char *note;

  GPtrArray *recipients;     /* OobRecipient* */
} OobReport;

/* Most recipients read from one report; the rest are dropped with a note. */
#define OOB_MAX_RECIPIENTS 10000

/* Most bytes of a notice's text the text readers take for one recipient's
 * diagnostic (oob_diagnostic_window): any SMTP reply, with the words around
 * it, fits many times over.  A long reason shared by many recipients, or a
 * recipient named again and again, is otherwise copied and read again for
 * each, at the square of the notice's size in pipe mode. */
#define OOB_MAX_DIAGNOSTIC (8 * 1024)

OobReport *oob_report_new (void);
void oob_report_free (OobReport *report);
OobRecipient *oob_report_add_recipient (OobReport *report);
/* The recipient whose final or original address is ADDRESS (case aside),
 * else NULL. */
OobRecipient *oob_report_find_recipient (const OobReport *report, const char *address);
/* TRUE once OOB_MAX_RECIPIENTS are listed; report->note then says that
 * later recipients were not read. */
gboolean oob_report_is_full (OobReport *report);
/* The recipient listed under ADDRESS, or a new one for it (*is_new says
 * which); NULL when ADDRESS is new and the report is full.  Every parser
 * that may meet an address twice adds through here, so a report names each
 * recipient once. */
OobRecipient *oob_report_recipient_once (OobReport *report, const char *address, gboolean *is_new);
void oob_report_add_field (OobReport *report, const char *name, const char *value);
const char *oob_report_get_field (const OobReport *report, const char *name);

/* A copy of the first OOB_MAX_DIAGNOSTIC bytes of text, cut before a
 * UTF-8 sequence rather than inside one; NULL for NULL. */
char *oob_diagnostic_window (const char *text);

OobRecipient *oob_recipient_new (void);
void oob_recipient_free (OobRecipient *rcpt);

/* Kind of one recipient, from the report type and the DSN action; with
 * rcpt NULL, the kind of a report that names no recipient (feedback,
 * autoreply, else unknown). */
OobKind oob_recipient_kind (const OobReport *report, const OobRecipient *rcpt);
const char *oob_kind_to_string (OobKind kind);
const char *oob_report_type_to_string (OobReportType type);

/* The recipient address to act on, the one we sent to: the
 * Original-Recipient when it is a mailbox address (RFC 3464 2.3.1: the
 * address as the sender gave it; the Final-Recipient may be where an alias
 * or forward led, or an X.400 name), else the final one. */
const char *oob_recipient_address (const OobRecipient *rcpt);

/* Replace *slot with a copy of value (NULL allowed). */
void oob_set_string (char **slot, const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobReport, oob_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobRecipient, oob_recipient_free)

G_END_DECLS
