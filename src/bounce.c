/* bounce.c - registry of the non-standard bounce families (see bounce.h). */
#include "config.h"

#include "bounce.h"

const OobParser oob_bounce_parsers[] = {
  /* Notes/Domino, Exchange, gateways, servers, carriers, fml. */
  { "notes", oob_bounce_notes },
  { "domino", oob_bounce_domino },
  { "exchange2003", oob_bounce_exchange2003 },
  { "exchange2007", oob_bounce_exchange2007 },
  { "interscanmss", oob_bounce_interscanmss },
  { "mailfoundry", oob_bounce_mailfoundry },
  { "mxlogic", oob_bounce_mxlogic },
  { "mfilter", oob_bounce_mfilter },
  { "activehunter", oob_bounce_activehunter },
  { "messagelabs", oob_bounce_messagelabs },
  { "surfcontrol", oob_bounce_surfcontrol },
  { "mcafee", oob_bounce_mcafee },
  { "amavis", oob_bounce_amavis },
  { "barracuda", oob_bounce_barracuda },
  { "ezweb", oob_bounce_ezweb },
  { "kddi", oob_bounce_kddi },
  { "verizon", oob_bounce_verizon },
  { "imailserver", oob_bounce_imailserver },
  { "messagingserver", oob_bounce_messagingserver },
  { "x1", oob_bounce_x1 },
  { "qmailclone", oob_bounce_qmailclone },
  { "x3", oob_bounce_x3 },
  { "fml", oob_bounce_fml },
  { NULL, NULL },
};
