/* bounce.c - registry of the non-standard bounce families (see bounce.h). */
#include "config.h"

#include "bounce.h"

const OobParser oob_bounce_parsers[] = {
  { NULL, NULL },
};
