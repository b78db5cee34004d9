/* pipe.h - pipe mode: one message on stdin, recorded, then dropped or relayed. */
#pragma once

/* Exit statuses an MTA understands: never anything else in pipe mode. */
#define OOB_EXIT_OK 0
#define OOB_EXIT_TEMPFAIL 75

int oob_pipe_main (int argc, char **argv);
