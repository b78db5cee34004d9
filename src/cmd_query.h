/* cmd_query.h - the commands that read and change the suppression list and
 * the recorded events: check, suppressions, suppress, unsuppress, events,
 * stats.  Each takes argv[0] = its own name and returns an exit status
 * (2 on errors). */
#pragma once

int oob_cmd_check (int argc, char **argv);
int oob_cmd_suppressions (int argc, char **argv);
int oob_cmd_suppress (int argc, char **argv);
int oob_cmd_unsuppress (int argc, char **argv);
int oob_cmd_events (int argc, char **argv);
int oob_cmd_stats (int argc, char **argv);
