/* relay.h - LogThenRelay: handing a recorded message on through the
 * sendmail interface.
 *
 * Owns what is sent (the bytes as received, minus the header fields the
 * local MTA prepended, plus one trace header), loop detection on that
 * trace header, and running the sendmail program: an argument vector
 * (never a shell), the message on its stdin, its output captured (never on
 * our stdout/stderr), and a timeout after which its process group is
 * killed.  Knows nothing of reports, the database or listener domains.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_RELAY_ERROR (oob_relay_error_quark ())
GQuark oob_relay_error_quark (void);

typedef enum {
  OOB_RELAY_ERROR_CONFIG,  /* a relay setting has a value we cannot use */
  OOB_RELAY_ERROR_SPAWN,   /* the program could not be started */
  OOB_RELAY_ERROR_FAILED,  /* it exited non-zero or was killed */
  OOB_RELAY_ERROR_TIMEOUT, /* it ran longer than the timeout and was killed */
} OobRelayError;

/* The trace header added to every relayed message; a message that
 * arrives carrying it has come back to us (a loop). */
#define OOB_RELAY_TRACE_HEADER "X-Oobproc-Relayed"

#define OOB_RELAY_DEFAULT_TIMEOUT 60

typedef struct {
  char **command;  /* program and arguments; "--" and the recipients follow */
  guint timeout;   /* seconds */
} OobRelayConfig;

/* Defaults: OOB_DEFAULT_SENDMAIL -G -i -f <>, 60 seconds. */
void oob_relay_config_init (OobRelayConfig *config);
void oob_relay_config_clear (OobRelayConfig *config);

/* Replaces the command with program and the default arguments. */
void oob_relay_config_set_program (OobRelayConfig *config, const char *program);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OobRelayConfig, oob_relay_config_clear)

/* Overrides from oobproc.toml's [relay] table: command (a list of
 * strings, the program's absolute path first, or a string naming only the
 * program, which then gets the default arguments) and timeout (seconds or
 * a duration such as "90s", "2m"; 1 s to 1 h).  Absent keys leave the
 * value as it is; on error nothing changes. */
gboolean oob_relay_config_load (OobRelayConfig *config, JsonObject *table, GError **error);

/* Number of leading bytes taken by the Return-Path:, Delivered-To: and
 * X-Original-To: fields a local delivery agent prepends (only those at
 * the very top, folded lines included), read with GMime's header parser. */
gsize oob_relay_prepended_length (const char *data, gsize len);

/* TRUE if the message's own header carries OOB_RELAY_TRACE_HEADER. */
gboolean oob_relay_is_loop (const char *data, gsize len);

/* The bytes to send: the trace header line ("X-Oobproc-Relayed: HOST
 * SHA256-PREFIX; DATE", in the message's own line ending) followed by the
 * message minus its prepended fields, otherwise byte for byte. */
GBytes *oob_relay_prepare (const char *data, gsize len, const char *sha256, GDateTime *now);

/* Runs command -- recipients... with message on stdin and waits at most
 * config->timeout seconds.  TRUE only if it exited 0. */
gboolean oob_relay_send (const OobRelayConfig *config, const char *const *recipients, GBytes *message,
                         GError **error);

G_END_DECLS
