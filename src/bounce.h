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

/* Lotus Notes / Domino, Exchange, gateways, servers, carriers, fml
 * (bounce_domino.c bounce_exchange.c bounce_gateways.c bounce_servers.c
 * bounce_carriers.c bounce_fml.c). */
gboolean oob_bounce_notes (OobMessageView *view, OobReport *report);
gboolean oob_bounce_domino (OobMessageView *view, OobReport *report);
gboolean oob_bounce_exchange2003 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_exchange2007 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_interscanmss (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mailfoundry (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mxlogic (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mfilter (OobMessageView *view, OobReport *report);
gboolean oob_bounce_activehunter (OobMessageView *view, OobReport *report);
gboolean oob_bounce_messagelabs (OobMessageView *view, OobReport *report);
gboolean oob_bounce_surfcontrol (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mcafee (OobMessageView *view, OobReport *report);
gboolean oob_bounce_amavis (OobMessageView *view, OobReport *report);
gboolean oob_bounce_barracuda (OobMessageView *view, OobReport *report);
gboolean oob_bounce_ezweb (OobMessageView *view, OobReport *report);
gboolean oob_bounce_kddi (OobMessageView *view, OobReport *report);
gboolean oob_bounce_verizon (OobMessageView *view, OobReport *report);
gboolean oob_bounce_imailserver (OobMessageView *view, OobReport *report);
gboolean oob_bounce_messagingserver (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x1 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_qmailclone (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x3 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_fml (OobMessageView *view, OobReport *report);

G_END_DECLS
