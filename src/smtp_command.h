/* smtp_command.h - which SMTP command a remote server's refusal answered.
 *
 * Owns reading the stage of the SMTP session from an MTA's words, and what
 * that stage says about a refusal.  The stage matters because a server
 * checks a mailbox when it is named (RCPT TO): "user unknown" in reply to
 * RCPT TO is a fact about the mailbox, the same words after the message
 * was accepted for that mailbox (end of DATA) are a filter's, and a
 * refusal of the connection or of our greeting (CONN, EHLO) is about our
 * sending host, not about any address.
 *
 * Stages are named as sisimai names them: "CONN", "EHLO" (also HELO and
 * LHLO), "MAIL", "RCPT", "DATA" (also end of data and BDAT).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The command a refusal in text answered, or NULL when text does not say.
 * Reads Postfix "(in reply to RCPT TO command)" and "refused to talk to
 * me", Exim "SMTP error from remote mail server after end of data", qmail
 * "Connected to ... but sender was rejected" and the like, and Sendmail or
 * Courier session transcripts (">>> DATA" / "<<< 550 ..."), where a reply
 * read after a pipelined DATA is credited to RCPT TO when the server then
 * refuses DATA for want of recipients.  Returns a static string. */
const char *oob_smtp_command_find (const char *text);

/* TRUE if a transcript line ("<<< 503 5.0.0 Need RCPT (recipient)",
 * "<<< 554 Error: no valid recipients") is the server refusing DATA for
 * want of recipients: the refusals read after a pipelined DATA answered
 * RCPT TO. */
gboolean oob_smtp_command_wanted_recipients (const char *line);

/* The stage a command's name (or the start of an MTA's words for it:
 * "RCPT TO:<...>", "end of data", "initial connection") stands for, or NULL
 * for a command that is not a stage of its own (STARTTLS, AUTH, QUIT). */
const char *oob_smtp_command_from_name (const char *name);

/* TRUE if command is one before any address was given (CONN, EHLO). */
gboolean oob_smtp_command_before_addresses (const char *command);

/* TRUE if command is DATA: the recipients had already been accepted. */
gboolean oob_smtp_command_after_recipients (const char *command);

/* The bounce class the rules' class_name comes to at this stage, or NULL
 * if it stands; *why then says why ("refused at DATA").  A refusal before
 * any address (CONN, EHLO) is about our host, so a class naming an address
 * or none becomes PolicyRelated.  So does InvalidRecipient after DATA
 * unless the status is specific (x.1.1 stands wherever it was said; "550
 * 5.0.0 Unknown user" after DATA is a filter's word for a mailbox it had
 * accepted).  SpamContent before DATA (CONN to RCPT), when no content was
 * sent, judges our host or sender: SpamBlock. */
const char *oob_smtp_command_class (const char *command, const char *status, const char *class_name,
                                    const char **why);

G_END_DECLS
