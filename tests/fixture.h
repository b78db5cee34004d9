/* fixture.h - the GTest programs' access to fixtures/: read a fixture, or
 * parse it into a report, asserting that it is there. */
#ifndef OOB_TEST_FIXTURE_H
#define OOB_TEST_FIXTURE_H

#include "parse.h"

/* The bytes of fixtures/DIR/FILE, NUL-terminated (FILE NULL: DIR names the
 * whole path under fixtures/); its length in *len if len is not NULL. */
char *oob_test_read_fixture (const char *dir, const char *file, gsize *len);

/* fixtures/DIR/FILE (FILE may be NULL as above) parsed by oob_parse_message. */
OobReport *oob_test_parse_fixture (const char *dir, const char *file);

/* The one recipient of report, which parser must have read (asserted). */
OobRecipient *oob_test_only_recipient (const OobReport *report, const char *parser);

/* One recipient a plain-text bounce must give. */
typedef struct {
  const char *address;
  const char *status;
  int code;
  const char *action;
  const char *diagnostic_part;  /* must occur in the diagnostic; NULL: none given */
} OobTestRecipient;

/* A fixture under fixtures/nonstandard/, the family that must read it, and
 * its recipients (up to three; the list ends at a NULL address). */
typedef struct {
  const char *file;
  const char *parser;
  OobTestRecipient recipients[3];
} OobTestBounceCase;

/* Asserts that data parses as the case's bounce: its parser, exactly its
 * recipients (look-alike lines of a quoted original add nobody), each with
 * its status, code, action and a one-line diagnostic holding the part. */
void oob_test_check_bounce (const OobTestBounceCase *c, const char *data, gsize len);

/* GTestDataFunc on an OobTestBounceCase: its fixture as written. */
void oob_test_bounce_fixture (gconstpointer c);

/* GTestDataFunc on an OobTestBounceCase: its fixture with CRLF and with
 * CR-only line ends reads the same. */
void oob_test_bounce_line_ends (gconstpointer c);

/* GTestDataFunc on an OobTestBounceCase: its fixture as a person's
 * message is not claimed by the case's parser: pasted (a person's From:
 * and Return-Path), written in a mail client (User-Agent), or forwarded
 * ("Fwd:" subject). */
void oob_test_bounce_sent_by_person (gconstpointer c);

#endif
