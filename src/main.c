/* main.c - command line: pipe mode (default) and the subcommands. */
#include "config.h"

#include <stdio.h>

int
main (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  return 0;
}
