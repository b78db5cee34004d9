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

#endif
