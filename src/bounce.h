/* bounce.h - the non-standard bounce families, tried in table order.
 *
 * Each family lives in its own bounce_*.c file and is registered in
 * oob_bounce_parsers (bounce.c).  A family parser must be confident: it
 * returns TRUE only for its own shape, so that the first that answers wins.
 */
#pragma once

#include "parse.h"

G_BEGIN_DECLS

/* NULL-terminated table of non-standard parsers, in the order tried. */
extern const OobParser oob_bounce_parsers[];

G_END_DECLS
