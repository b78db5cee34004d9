/* cmd_verp.h - `oobproc verp encode|decode`: make and read return paths. */
#pragma once

#include <json-glib/json-glib.h>

/* argv[0] is "verp".  Reads the [verp] settings from options (see
 * --help); exit status 0 on success, 1 when a decoded address is not
 * verified or unsigned VERP, 2 on a usage or configuration error. */
int oob_cmd_verp (int argc, char **argv);

/* The same with a [verp] table from the configuration file as the base
 * that command-line options override (table may be NULL). */
int oob_cmd_verp_with_table (JsonObject *table, int argc, char **argv);
