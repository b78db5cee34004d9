/* oobproc-cmd.c - the database subcommands behind one test binary, for
 * tests/test-query.sh until src/main.c dispatches them (the script uses
 * $OOBPROC itself once `oobproc help` lists `check`).  Anything else runs
 * pipe mode, as oobproc does. */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <string.h>

#include "cmd_import.h"
#include "cmd_query.h"
#include "pipe.h"

int
main (int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "check", oob_cmd_check },   { "suppressions", oob_cmd_suppressions }, { "suppress", oob_cmd_suppress },
    { "unsuppress", oob_cmd_unsuppress }, { "events", oob_cmd_events },   { "stats", oob_cmd_stats },
    { "import", oob_cmd_import },
  };
  setlocale (LC_ALL, "");
  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].run (argc - 1, argv + 1);
  return oob_pipe_main (argc, argv);
}
