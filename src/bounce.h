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

/* Candidate tests (see OobCandidateFunc), next to their families: each is
 * implied by what its family needs to answer, usually a phrase its
 * fingerprint pattern requires, looked for once in the whole notice
 * instead of line by line. */
gboolean oob_bounce_googlegroups_candidate (OobMessageView *view);
gboolean oob_bounce_yahoo_candidate (OobMessageView *view);
gboolean oob_bounce_gmx_candidate (OobMessageView *view);
gboolean oob_bounce_office365_candidate (OobMessageView *view);
gboolean oob_bounce_mxlogic_candidate (OobMessageView *view);
gboolean oob_bounce_messagingserver_candidate (OobMessageView *view);
gboolean oob_bounce_x1_candidate (OobMessageView *view);
gboolean oob_bounce_qmailclone_candidate (OobMessageView *view);
gboolean oob_bounce_smail_candidate (OobMessageView *view);

/* Mailbox providers (bounce_google.c, bounce_yahoo.c, bounce_amazon.c,
 * bounce_ru.c, bounce_gmx.c, bounce_zoho.c, bounce_microsoft.c). */
gboolean oob_bounce_googlegroups (OobMessageView *view, OobReport *report);
gboolean oob_bounce_gmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_yahoo (OobMessageView *view, OobReport *report);
gboolean oob_bounce_amazonses (OobMessageView *view, OobReport *report);
gboolean oob_bounce_amazonworkmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mailru (OobMessageView *view, OobReport *report);
gboolean oob_bounce_gmx (OobMessageView *view, OobReport *report);
gboolean oob_bounce_zoho (OobMessageView *view, OobReport *report);
gboolean oob_bounce_office365 (OobMessageView *view, OobReport *report);

/* Lotus Notes / Domino, Exchange, gateways, servers, delivery agents,
 * carriers, fml (bounce_domino.c bounce_exchange.c bounce_gateways.c
 * bounce_servers.c bounce_mda.c bounce_carriers.c bounce_fml.c). */
gboolean oob_bounce_notes (OobMessageView *view, OobReport *report);
gboolean oob_bounce_domino (OobMessageView *view, OobReport *report);
gboolean oob_bounce_exchange2003 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_exchange2007 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_ndreport (OobMessageView *view, OobReport *report);
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
gboolean oob_bounce_mailmarshal (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mimecast (OobMessageView *view, OobReport *report);
gboolean oob_bounce_ezweb (OobMessageView *view, OobReport *report);
gboolean oob_bounce_kddi (OobMessageView *view, OobReport *report);
gboolean oob_bounce_biglobe (OobMessageView *view, OobReport *report);
gboolean oob_bounce_verizon (OobMessageView *view, OobReport *report);
gboolean oob_bounce_mailenable (OobMessageView *view, OobReport *report);
gboolean oob_bounce_imailserver (OobMessageView *view, OobReport *report);
gboolean oob_bounce_apachejames (OobMessageView *view, OobReport *report);
gboolean oob_bounce_dovecot (OobMessageView *view, OobReport *report);
gboolean oob_bounce_messagingserver (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x1 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_qmailclone (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x3 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x5 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_rewrapped (OobMessageView *view, OobReport *report);
gboolean oob_bounce_x6 (OobMessageView *view, OobReport *report);
gboolean oob_bounce_smail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_fml (OobMessageView *view, OobReport *report);

/* Plain-text bounces of open-source MTAs (bounce_qmail.c, bounce_exim.c,
 * bounce_sendmail.c, bounce_opensmtpd.c). */
gboolean oob_bounce_qmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_exim (OobMessageView *view, OobReport *report);
gboolean oob_bounce_sendmail (OobMessageView *view, OobReport *report);
gboolean oob_bounce_postfix (OobMessageView *view, OobReport *report);
gboolean oob_bounce_opensmtpd (OobMessageView *view, OobReport *report);
gboolean oob_bounce_dragonfly (OobMessageView *view, OobReport *report);
gboolean oob_bounce_courier (OobMessageView *view, OobReport *report);

/* For a DSN recipient without Diagnostic-Code, the reason the notice text
 * gives (read by the family that recognises it), with its reply code,
 * remote host and a status better than a class-only x.0.0 (bounce_fill.c).
 * Called by parse.c after the RFC parsers. */
void oob_bounce_fill_dsn_gaps (OobMessageView *view, OobReport *report);

/* The first line of notice a local delivery agent wrote ("mail.local:
 * unknown user: a", "procmail: Quota exceeded ..."), or NULL (bounce_mda.c). */
char *oob_mda_agent_message (const char *notice);
/* The first such line that names address or its local part, or NULL. */
char *oob_mda_agent_message_about (const char *notice, const char *address);

/* The generic "<recipient>: reason" shape of unknown MTAs (bounce_generic.c);
 * must stay last in the table. */
gboolean oob_bounce_generic (OobMessageView *view, OobReport *report);

G_END_DECLS
