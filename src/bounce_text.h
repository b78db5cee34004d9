/* bounce_text.h - helpers shared by the plain-text bounce families.
 *
 * Owns the small steps every text-bounce reader repeats: telling a mail
 * system's notice from a person's message (sender, forwarded/replied
 * subject), cutting a notice before the original message it quotes,
 * unfolding a block of diagnostic lines, reading the SMTP reply code and
 * the remote host out of such a block, the one address a returned message
 * went to (for notices that name nobody), and adding one recipient.
 */
#pragma once

#include <gmime/gmime.h>

#include "parse.h"
#include "pattern.h"

G_BEGIN_DECLS

/* TRUE if From: is empty or a mail system's mailbox (MAILER-DAEMON,
 * postmaster, "mail delivery system" style local parts). */
gboolean oob_bounce_from_mail_system (OobMessageView *view);

/* TRUE if the subject marks a person's forward or reply ("Fwd:", "Re:"...):
 * such a message may quote a bounce but is not one. */
gboolean oob_bounce_is_forward (OobMessageView *view);

/* TRUE if a person wrote the message in a mail client: a forwarded or
 * replied subject, a mail client's User-Agent or X-Mailer, or the
 * Message-ID of Gmail's apps. */
gboolean oob_bounce_written_in_client (OobMessageView *view);

/* TRUE if the message shows a person sent it: written in a mail client, or
 * from a sender that is no mail system's with a Return-Path naming a
 * mailbox that is no mail system's either (a notice goes out with a null
 * envelope sender, RFC 5321 4.5.5; a notice forwarded by a list or relay
 * may carry another, but keeps its mail system's From).  Every family
 * whose notices come from a mail system refuses such a message: the marks
 * it reads (a subject, words in the text, a header a gateway puts on all
 * mail it passes) are all a person can copy or forward. */
gboolean oob_bounce_sent_by_person (OobMessageView *view);

/* TRUE if line holds nothing but white space. */
gboolean oob_bounce_blank (const char *line);

/* A copy of text up to (not including) the line where end first matches;
 * the whole text if it never matches.  end should anchor at line start. */
char *oob_bounce_text_until (const char *text, OobPattern *end);

/* Lines of text trimmed and joined with single spaces, empty lines dropped;
 * NULL if nothing is left. */
char *oob_bounce_unfold (const char *text);

/* The SMTP reply code a diagnostic block states ("said: 550", "]: 554",
 * Postfix's "refused to talk to me: 550",
 * a code at a line start or before an enhanced code), or 0. */
int oob_bounce_smtp_code (const char *text);

/* The remote host a diagnostic block names ("host mx.example.net [192.0.2.1]",
 * "mx.example.net[192.0.2.1] said", "Connected to 192.0.2.1"), or NULL. */
char *oob_bounce_remote_host (const char *text);

/* The one address a returned message was sent to: its To: names a single
 * mailbox and it has no Cc:.  NULL otherwise (or for NULL headers). */
char *oob_bounce_single_recipient (GMimeHeaderList *headers);

/* Adds (or, for an address already listed, returns) the recipient for
 * address (<> and a trailing ':' removed) with the unfolded diagnostic
 * lines, their reply code and remote host; action may be NULL (derived).
 * A delayed recipient without a reply code gets a temporary (4.x.x) status.
 * Returns NULL when address is not an address or the report is full. */
OobRecipient *oob_bounce_add_recipient (OobReport *report, const char *address,
                                        const char *diagnostic_lines, const char *action);

G_END_DECLS
