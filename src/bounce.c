/* bounce.c - registry of the non-standard bounce families (see bounce.h). */
#include "config.h"

#include "bounce.h"

const OobParser oob_bounce_parsers[] = {
  /* Open-source MTAs' plain-text notices. */
  { "qmail", oob_bounce_qmail },
  { "exim", oob_bounce_exim },
  { "sendmail", oob_bounce_sendmail },
  { "postfix", oob_bounce_postfix },
  { "opensmtpd", oob_bounce_opensmtpd },
  { "dragonfly", oob_bounce_dragonfly },
  { "courier", oob_bounce_courier },
  /* Unknown MTAs' generic shapes: keep last. */
  { "generic", oob_bounce_generic },
  { NULL, NULL },
};
