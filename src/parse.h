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


/* What every parser sees of the message.  Fields are computed once. */
typedef struct {
  GMimeMessage *message;
  const char *subject;     /* decoded Subject:, "" if none */
  const char *from;        /* address of From:, lower case, "" if none */
  char *body_;             /* use oob_view_body() */
} OobMessageView;

/* Text of the notice (first text/plain, else stripped text/html). */
const char *oob_view_body (OobMessageView *view);

/* The attached original message (message/rfc822, message/global) or its
 * headers (text/rfc822-headers, message/global-headers), or NULL. */
GMimeObject *oob_view_returned (OobMessageView *view);

/* A parser fills report and returns TRUE when it recognises the message. */
typedef gboolean (*OobParseFunc) (OobMessageView *view, OobReport *report);

typedef struct {
  const char *name;
  OobParseFunc parse;
} OobParser;

/* Parse a message (mbox "From " line already removed). */
OobReport *oob_parse_message (const char *data, gsize len);

/* The same for a message GMime has parsed (NULL gives an unknown report). */
OobReport *oob_parse_mime (GMimeMessage *message);

/* Fill report->orig_* from the returned message or headers part. */
void oob_parse_returned_headers (OobMessageView *view, OobReport *report);

/* An address field ("rfc822; <a@b> (comment)") as a bare address, or NULL. */
char *oob_dsn_address (const char *field);

/* RFC 3464: a delivery-status part with at least one recipient. */
gboolean oob_dsn_parse (OobMessageView *view, OobReport *report);

/* Recipients of a DSN still without a diagnostic take the paragraph of the
 * human-readable notice that names them (after the family parsers, which
 * know their notice's layout, had their turn: oob_bounce_fill_dsn_gaps). */
void oob_dsn_fill_from_notice (OobMessageView *view, OobReport *report);

/* The same, accepting a report without recipients: tried last, after the
 * non-standard parsers had their chance to read the text. */
gboolean oob_dsn_parse_empty (OobMessageView *view, OobReport *report);

G_END_DECLS
