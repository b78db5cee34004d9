/* parse.h - one message in, one report out.
 *
 * Owns the order in which parsers are tried (RFC parsers first, then the
 * non-standard bounce families in bounce.c) and the view of the message
 * they share.  A message no parser understands gives OOB_REPORT_UNKNOWN;
 * parsing never fails.
 */
#pragma once

#include "mime.h"

#include "report.h"

G_BEGIN_DECLS

/* A fact about the message computed on first use: OOB_VIEW_UNKNOWN until then. */
typedef enum {
  OOB_VIEW_UNKNOWN = 0,
  OOB_VIEW_NO,
  OOB_VIEW_YES,
} OobViewFact;

/* What every parser sees of the message.  Fields are computed once. */
typedef struct {
  GMimeMessage *message;
  const char *subject;     /* decoded Subject:, "" if none */
  const char *from;        /* address of From:, lower case, "" if none */
  char *from_;             /* storage of from */
  char *body_;             /* use oob_view_body() */
  GMimeMessage *returned;  /* the attached message orig_headers was read from, or NULL */
  /* Tests many families repeat, each kept by the helper that owns it. */
  OobViewFact forward_;        /* oob_bounce_is_forward() */
  OobViewFact mail_system_;    /* oob_bounce_from_mail_system() */
  OobViewFact system_sender_;  /* oob_plain_from_system() */
  OobViewFact client_;         /* oob_bounce_written_in_client() */
  OobViewFact person_;         /* oob_bounce_sent_by_person() */
} OobMessageView;

/* The view of message (which must outlive it); oob_view_clear() frees it. */
void oob_view_init (OobMessageView *view, GMimeMessage *message);
void oob_view_clear (OobMessageView *view);

/* Text of the notice (first text/plain, else stripped text/html). */
const char *oob_view_body (OobMessageView *view);

/* The attached original message (message/rfc822, message/global) or its
 * headers (text/rfc822-headers, message/global-headers), or NULL. */
GMimeObject *oob_view_returned (OobMessageView *view);

/* The header block of that part (a new reference), or NULL. */
GMimeHeaderList *oob_view_returned_headers (OobMessageView *view);

/* A parser fills report and returns TRUE when it recognises the message. */
typedef gboolean (*OobParseFunc) (OobMessageView *view, OobReport *report);

/* A cheap test that must hold for a parser to answer: when it is FALSE the
 * parser would decline without touching the report, so it is not run. */
typedef gboolean (*OobCandidateFunc) (OobMessageView *view);

typedef struct {
  const char *name;
  OobParseFunc parse;
  OobCandidateFunc candidate;  /* NULL: always tried */
} OobParser;

/* Runs parser unless its candidate test rules the message out. */
gboolean oob_parser_try (const OobParser *parser, OobMessageView *view, OobReport *report);

/* Parse a message (mbox "From " line already removed). */
OobReport *oob_parse_message (const char *data, gsize len);

/* The same for a message GMime has parsed (NULL gives an unknown report). */
OobReport *oob_parse_mime (GMimeMessage *message);

/* oob_parse_mime, also handing back (a new reference, or NULL) the
 * message attached inside message whose header block became
 * report->orig_headers, so that later stages can read those headers
 * without parsing the text again. */
OobReport *oob_parse_mime_returned (GMimeMessage *message, GMimeMessage **returned);

/* Fill report->orig_* from the returned message or headers part. */
void oob_parse_returned_headers (OobMessageView *view, OobReport *report);

/* An address field ("rfc822; <a@b> (comment)") as a bare address, or NULL. */
char *oob_dsn_address (const char *field);

/* RFC 3464: a delivery-status part with at least one recipient. */
gboolean oob_dsn_parse (OobMessageView *view, OobReport *report);

/* Recipients of a DSN still without a diagnostic take the paragraph of the
 * human-readable notice that names them, and those without an SMTP stage
 * the stage that paragraph states (after the family parsers, which know
 * their notice's layout, had their turn: oob_bounce_fill_dsn_gaps). */
void oob_dsn_fill_from_notice (OobMessageView *view, OobReport *report);

/* The same, accepting a report without recipients: tried last, after the
 * non-standard parsers had their chance to read the text. */
gboolean oob_dsn_parse_empty (OobMessageView *view, OobReport *report);

G_END_DECLS
