/* envelope.h - the SMTP envelope of the incoming message.
 *
 * Owns collecting who sent the message to us and which of our addresses
 * it was delivered to, from (in this order) the command-line options, the
 * delivery environment of Postfix local(8), Exim or qmail, the
 * X-Original-To: and Delivered-To: headers the MTA prepended, and To:.
 */
#pragma once

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* One candidate for the address the message was delivered to. */
typedef struct {
  char *address;   /* bare address as given (quoting kept) */
  char *source;    /* "argv", "env:postfix", "env:exim", "env:qmail", "env",
                      "header:X-Original-To", "header:Delivered-To", "header:To" */
} OobEnvelopeAddress;

typedef struct {
  char *sender;        /* envelope sender; "" for the null sender <>; NULL unknown */
  char *recipient;     /* best candidate: the bounce address our MTA delivered to */
  char *source;        /* where recipient came from (a source name above) */
  char *envid;         /* RFC 3461 ENVID from the environment (Postfix), or NULL */
  char *extension;     /* address extension from the environment, or NULL */
  GPtrArray *candidates; /* OobEnvelopeAddress*, in order of preference, no duplicates */
  GHashTable *seen;      /* the candidates' addresses, lower case (a set) */
} OobEnvelope;

/* envp is a NULL-terminated "NAME=value" array (may be NULL); message may
 * be NULL.  opt_sender / opt_recipient are the -f / -r values or NULL. */
OobEnvelope *oob_envelope_collect (const char *opt_sender, const char *opt_recipient,
                                   const char *const *envp, GMimeMessage *message);
void oob_envelope_free (OobEnvelope *env);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobEnvelope, oob_envelope_free)

G_END_DECLS
