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

/* Mailbox providers (bounce_google.c, bounce_yahoo.c, bounce_amazon.c,
 * bounce_ru.c, bounce_gmx.c, bounce_zoho.c, bounce_microsoft.c,
 * bounce_verizon.c). */
gboolean oob_bounce_googlegroups (OobMessageView *view, OobReport *report);
gboolean oob_bounce_gmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_yahoo (OobMessageView *view, OobReport *report);
gboolean oob_bounce_amazonses (OobMessageView *view, OobReport *report);
gboolean oob_bounce_amazonworkmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mailru (OobMessageView *view, OobReport *report);
gboolean oob_bounce_gmx (OobMessageView *view, OobReport *report);
gboolean oob_bounce_zoho (OobMessageView *view, OobReport *report);
gboolean oob_bounce_office365 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_verizon (OobMessageView *view, OobReport *report);

G_END_DECLS
