/* The ocspkit command: its subcommands (each cmd_NAME.c parses its
 * options and calls the libraries) and their exit codes. */
#ifndef OCSPKIT_TOOLS_COMMANDS_H
#define OCSPKIT_TOOLS_COMMANDS_H


/* Exit codes shared by the subcommands (those of `ocspkit verify`). */
enum {
	EXIT_GOOD = 0,     /* done; every certificate asked about is good */
	EXIT_NOT_GOOD = 1, /* done; some certificate is revoked or unknown */
	EXIT_INVALID = 2,  /* the input is malformed or does not verify */
	EXIT_USAGE = 3     /* usage or file error */
};

/* The subcommands: argv[0] is the subcommand's name; the exit code. */
int cmd_request(int argc, char **argv);
int cmd_print(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_crl(int argc, char **argv);
int cmd_respond(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_presign(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_staple(int argc, char **argv);

#endif
