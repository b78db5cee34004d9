/* conf.h - oobproc.toml: where things are and how much is allowed.
 *
 * Owns reading the configuration file (TOML, through toml.c, into a
 * json-glib tree), the top-level keys and their documented defaults, and
 * typed access with errors that name the key.  Stage-specific tables
 * ([policy], [verp], ...) are handed to their stages as JsonObjects.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OOB_DEFAULT_CONFIG OOB_SYSCONFDIR "/oobproc/oobproc.toml"
#define OOB_DEFAULT_DATABASE OOB_LOCALSTATEDIR "/lib/oobproc/oobproc.db"

typedef struct {
  char *path;                 /* the file read, or NULL if none */
  JsonNode *root;             /* the whole file (an empty object if none) */
  char *database;
  gsize max_message_size;
  int busy_timeout_ms;
  gint64 dedupe_window;       /* seconds in which the same raw message counts once */
  GStrv rule_files;           /* in precedence order */
  char *rewrite_file;         /* or NULL */
  char *listener_domains_file;/* or NULL */
  char *event_log;            /* JSON-lines event log path, or NULL */
} OobConfig;

/* Reads path, or the default file if path is NULL (a missing default file
 * gives the defaults; a missing explicit file is an error). */
OobConfig *oob_config_load (const char *path, GError **error);

/* The defaults alone, as if no file existed. */
OobConfig *oob_config_load_defaults (void);
void oob_config_free (OobConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobConfig, oob_config_free)

/* A [table] of the file, or NULL when absent. */
JsonObject *oob_config_table (const OobConfig *config, const char *name);

/* A duration: an integer number of seconds or a string "90s", "15m",
 * "12h", "7d", "2w" (policy.c's syntax).  FALSE with an error naming key
 * otherwise; an absent key leaves *seconds alone. */
gboolean oob_config_duration (JsonObject *table, const char *key, gint64 *seconds, GError **error);

/* A size: an integer number of bytes or "512K", "32M", "1G". */
gboolean oob_config_size (JsonObject *table, const char *key, gsize *bytes, GError **error);


G_END_DECLS
