/* bounce.c - registry of the non-standard bounce families (see bounce.h).
 *
 * A family whose recognition costs more than a glance (splitting the
 * notice into lines, walking the headers) names a candidate test: a
 * necessary condition for it to answer, checked first (see OobParser). */
#include "config.h"

#include "bounce.h"

const OobParser oob_bounce_parsers[] = {
  /* Mailbox providers: fingerprinted by sender and wording, before any generic shape. */
  { "googlegroups", oob_bounce_googlegroups, oob_bounce_googlegroups_candidate },
  { "gmail", oob_bounce_gmail },
  { "yahoo", oob_bounce_yahoo, oob_bounce_yahoo_candidate },
  { "amazonses", oob_bounce_amazonses },
  { "amazonworkmail", oob_bounce_amazonworkmail },
  { "mailru", oob_bounce_mailru },
  { "gmx", oob_bounce_gmx, oob_bounce_gmx_candidate },
  { "zoho", oob_bounce_zoho },
  { "office365", oob_bounce_office365, oob_bounce_office365_candidate },
  /* Notes/Domino, Exchange, gateways, servers, delivery agents, carriers, fml. */
  { "notes", oob_bounce_notes },
  { "domino", oob_bounce_domino },
  { "exchange2003", oob_bounce_exchange2003 },
  { "exchange2007", oob_bounce_exchange2007 },
  { "ndreport", oob_bounce_ndreport },
  { "interscanmss", oob_bounce_interscanmss },
  { "mailfoundry", oob_bounce_mailfoundry },
  { "mxlogic", oob_bounce_mxlogic, oob_bounce_mxlogic_candidate },
  { "mfilter", oob_bounce_mfilter },
  { "activehunter", oob_bounce_activehunter },
  { "messagelabs", oob_bounce_messagelabs },
  { "surfcontrol", oob_bounce_surfcontrol },
  { "mcafee", oob_bounce_mcafee },
  { "amavis", oob_bounce_amavis },
  { "barracuda", oob_bounce_barracuda },
  { "mailmarshal", oob_bounce_mailmarshal },
  { "mimecast", oob_bounce_mimecast },
  { "ezweb", oob_bounce_ezweb },
  { "kddi", oob_bounce_kddi },
  { "biglobe", oob_bounce_biglobe },
  { "verizon", oob_bounce_verizon },
  { "mailenable", oob_bounce_mailenable },
  { "imailserver", oob_bounce_imailserver },
  { "apachejames", oob_bounce_apachejames },
  { "dovecot", oob_bounce_dovecot },
  { "messagingserver", oob_bounce_messagingserver, oob_bounce_messagingserver_candidate },
  { "x1", oob_bounce_x1, oob_bounce_x1_candidate },
  { "qmailclone", oob_bounce_qmailclone, oob_bounce_qmailclone_candidate },
  { "x3", oob_bounce_x3 },
  { "x5", oob_bounce_x5 },
  { "rewrapped", oob_bounce_rewrapped },
  { "x6", oob_bounce_x6 },
  { "smail", oob_bounce_smail, oob_bounce_smail_candidate },
  { "fml", oob_bounce_fml },
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
