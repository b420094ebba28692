/* Internal to the vocal command: shared helpers for the cmd_*.c files. */
#ifndef VOCAL_CLI_H
#define VOCAL_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "vocal/vocal.h"

/* Exit codes, frozen and documented in vocal(1). */
enum { EXIT_OK = 0, EXIT_BAD = 1, EXIT_INTERNAL = 2 };

/* MARK: options
 * One table per command drives getopt_long, --help and the man page. */
typedef struct cli_opt {
    const char *name;  /* long name, without -- */
    int short_name;    /* 0 if none */
    const char *arg;   /* argument name, NULL for a flag */
    const char *help;
} cli_opt;

typedef struct cli_cmd {
    const char *name;
    const char *synopsis;   /* after "vocal NAME " */
    const char *summary;    /* one line */
    const char *description;
    const cli_opt *opts;    /* terminated by a zeroed entry */
    int (*run)(int argc, char **argv);
} cli_cmd;

/* Parse argv against cmd->opts. Calls on_opt(index into opts, optarg, ctx) for
 * each option; returns the index of the first operand, or -1 after printing a
 * usage error, or -2 when --help was printed. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv,
              int (*on_opt)(int idx, const char *arg, void *ctx), void *ctx);
void cli_usage(const cli_cmd *cmd, FILE *f);
void cli_help(const cli_cmd *cmd, FILE *f);
/* Print "vocal: CMD: msg" + synopsis to stderr; returns EXIT_BAD. */
int cli_bad_usage(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "vocal: msg" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_print_error(const vocal_error *err);

/* MARK: input lines */
typedef struct cli_lines {
    FILE *f;
    const char *path;    /* as given, "-" = stdin shown as "<stdin>" */
    char *buf;
    size_t cap;
    uint64_t lineno;     /* of the line last read, 1-based */
    uint64_t offset;     /* byte offset of the line last read in the file */
    uint64_t next_offset;
} cli_lines;

/* Open path ("-" = stdin). Returns 0 or prints an error and returns -1. */
int cli_lines_open(cli_lines *l, const char *path);
/* Read the next line without its LF/CRLF. Returns 1, 0 at EOF, -1 on error. */
int cli_lines_next(cli_lines *l, char **line, size_t *len);
void cli_lines_close(cli_lines *l);
const char *cli_display_path(const char *path);

/* MARK: JSON output */
/* Write s as a JSON string (quotes included); invalid UTF-8 becomes \ufffd. */
void json_str(FILE *f, const char *s, size_t n);
void json_key(FILE *f, const char *key); /* "key": */

/* MARK: data and lexicon */
const char *cli_data_dir(void);
typedef struct cli_lexicon {
    vocal_lexicon *lex;
    vocal_tokenizer *tk;
    vocal_workspace *ws;
} cli_lexicon;
/* Load the lexicon directory (default: <data>/lexicons/<lang>) and extra
 * files; print any error. Returns EXIT_OK or the exit code to use. */
int cli_lexicon_open(cli_lexicon *cl, const char *lang, const char *dir, const char *const *extra,
                     size_t nextra, uint32_t text_flags);
void cli_lexicon_close(cli_lexicon *cl);

/* MARK: commands */
extern const cli_cmd cmd_tokenize;
extern const cli_cmd cmd_score;
extern const cli_cmd cmd_explain;
extern const cli_cmd cmd_train;
extern const cli_cmd cmd_classify;
extern const cli_cmd cmd_eval;
extern const cli_cmd cmd_model;
extern const cli_cmd cmd_themes;

#endif
