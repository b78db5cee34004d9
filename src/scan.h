/* scan.h - `oobproc scan`: the parsing and decisions, printed, no database. */
#pragma once

int oob_cmd_scan (int argc, char **argv);
