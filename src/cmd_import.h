/* cmd_import.h - `oobproc import PATH...`: backfill the database from mbox
 * files and maildirs (argv[0] = "import"; exit 0, or 2 on errors). */
#pragma once

int oob_cmd_import (int argc, char **argv);
