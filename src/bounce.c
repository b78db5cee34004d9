/* bounce.c - registry of the non-standard bounce families (see bounce.h). */
#include "config.h"

#include "bounce.h"

const OobParser oob_bounce_parsers[] = {
  /* Mailbox providers: fingerprinted by sender and wording, before any generic shape. */
  { "googlegroups", oob_bounce_googlegroups },
  { "gmail", oob_bounce_gmail },
  { "yahoo", oob_bounce_yahoo },
  { "amazonses", oob_bounce_amazonses },
  { "amazonworkmail", oob_bounce_amazonworkmail },
  { "mailru", oob_bounce_mailru },
  { "gmx", oob_bounce_gmx },
  { "zoho", oob_bounce_zoho },
  { "office365", oob_bounce_office365 },
  { "verizon", oob_bounce_verizon },
  { NULL, NULL },
};
