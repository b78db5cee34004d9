/* main.c - command line: pipe mode (default) and the subcommands.
 *
 * Owns only the dispatch: `oobproc SUBCOMMAND ...` runs a subcommand, any
 * other invocation is pipe mode (pipe.c).
 */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cmd_rules.h"
#include "cmd_verp.h"
#include "pipe.h"
#include "scan.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "scan", oob_cmd_scan, "parse files, maildirs or mbox files and print what they report" },
  { "classify", oob_cmd_classify, "print the class of an SMTP response line and the rule that matched" },
  { "rules", oob_cmd_rules, "rules check [FILE...]: compile rules, report errors and rules that never win" },
  { "verp", oob_cmd_verp, "verp encode|decode: make or read a (signed) VERP return path" },
};

static int
usage (void)
{
  printf ("Usage: oobproc [--config FILE] [--db PATH] [-v] < message\n"
          "       oobproc SUBCOMMAND [OPTION...]\n\nSubcommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    printf ("  %-12s %s\n", commands[i].name, commands[i].summary);
  printf ("\nSee oobproc(1) and oobproc.toml(5).\n");
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc >= 2 && (strcmp (argv[1], "help") == 0))
    return usage ();
  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].run (argc - 1, argv + 1);
  return oob_pipe_main (argc, argv);
}
