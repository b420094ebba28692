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

/* MARK: growable output buffer (per batch; no FILE locking in the threads) */
typedef struct cli_buf {
    char *p;
    size_t len, cap;
    int oom; /* set when a growth failed; later puts are dropped */
} cli_buf;
void cb_put(cli_buf *b, const void *s, size_t n);
void cb_puts(cli_buf *b, const char *s);
void cb_putc(cli_buf *b, char c);
void cb_printf(cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string (quotes included); invalid UTF-8 becomes \ufffd */
void cb_json_str(cli_buf *b, const char *s, size_t n);
/* a finite number in %.*g (NaN and infinities as 0; -0 as 0) */
void cb_num(cli_buf *b, double v, int digits);
/* v as printf's "%.*g" writes it (digits 1..17), without printf's cost in the
 * common case; returns the length. */
#define CLI_FMT_G_MAX 32
int cli_fmt_g(char out[CLI_FMT_G_MAX], double v, int digits);
/* v in decimal, as printf's "%llu" writes it; returns the length */
#define CLI_FMT_U64_MAX 21
int cli_fmt_u64(char out[CLI_FMT_U64_MAX], uint64_t v);
/* a key and an unsigned number: `,"line":42` from cb_key_u64(b, ",\"line\":", 42) */
void cb_key_u64(cli_buf *b, const char *key, uint64_t v);
void cb_free(cli_buf *b);

/* MARK: atomic output files (outfile.c) */
typedef struct cli_outfile {
    FILE *f;          /* write here */
    const char *path; /* final name; NULL for stdout */
    char *tmp;        /* temporary name beside it */
    int direct;       /* path is not a regular file (/dev/null, a FIFO): written in place */
} cli_outfile;
/* path NULL or "-": stdout. Returns 0, or prints an error and returns -1. */
int cli_outfile_open(cli_outfile *o, const char *path);
/* Flush, sync and rename into place. 0, or prints an error and returns -1. */
int cli_outfile_commit(cli_outfile *o);
/* Give up: the temporary file is removed. */
void cli_outfile_abort(cli_outfile *o);

/* MARK: the SQLite store (store.c, docs/format/store.md) */
typedef struct cli_store cli_store;
typedef struct cli_store_row {
    const char *source;
    uint64_t line;
    const char *role[8]; /* by vocal_role; NULL when absent (nps/csat/ces use the numbers) */
    size_t role_len[8];
    int has_nps, has_csat, has_ces;
    int nps;
    double csat, ces;
    const char *fields_json; /* NULL when none */
    size_t fields_len;
    const char *text;
    size_t text_len;
    const char *sentiment;
    double score, confidence, lexicon;
} cli_store_row;
/* Open (or create) the store, mark runs left 'running' as 'interrupted'
 * (*marked says how many) and commit a new 'running' run. 0 or -1 (printed). */
int cli_store_open(cli_store **out, const char *path, const char *command, const char *model, uint64_t *marked);
int64_t cli_store_run_id(const cli_store *s);
int cli_store_record(cli_store *s, uint64_t seq, const cli_store_row *r);
/* One theme of the record last added (store.md "themes"). */
typedef struct cli_store_theme_row {
    int rank, root_cause;
    const char *id, *parent, *polarity, *source;
    const char *evidence; /* JSON array */
    size_t evidence_len;
    double confidence;
} cli_store_theme_row;
int cli_store_theme(cli_store *s, uint64_t seq, const cli_store_theme_row *t);
int cli_store_reject(cli_store *s, const char *source, uint64_t line, uint64_t byte, const char *reason);
/* Commit when a transaction holds enough records. 0 or -1 (printed). */
int cli_store_checkpoint(cli_store *s, uint64_t read, uint64_t tagged, uint64_t rejected);
/* Mark the run complete (or interrupted) with its counts and commit. */
int cli_store_finish(cli_store *s, uint64_t read, uint64_t tagged, uint64_t rejected, int complete);
void cli_store_close(cli_store *s);

/* MARK: data and lexicon */
const char *cli_data_dir(void);
/* The path of the default model for a language and task ("sentiment",
 * "themes") in out; 0 if that file exists, -1 if not (out then holds the
 * last place looked). */
int cli_default_model(char *out, size_t cap, const char *lang, const char *task);
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
/* Load a model and the lexicon + tokenizer it was trained with (lang
 * overrides the model's language); print any error. EXIT_OK or the code. */
int cli_model_open(vocal_model **m, cli_lexicon *cl, const char *path, const char *lang);

/* MARK: input options shared by train, eval and classify */
/* Handle --format/--from, --text-column, --label-column, --delimiter,
 * --no-header for reader options o. Returns 1 if name was one of them
 * (0 ok, or EXIT_BAD after a usage error in *status), 0 if not. */
int cli_input_opt(const cli_cmd *cmd, const char *name, const char *arg, vocal_reader_options *o, int *status);

/* MARK: commands */
extern const cli_cmd cmd_tokenize;
extern const cli_cmd cmd_score;
extern const cli_cmd cmd_explain;
extern const cli_cmd cmd_train;
extern const cli_cmd cmd_classify;
extern const cli_cmd cmd_eval;
extern const cli_cmd cmd_model;
extern const cli_cmd cmd_aggregate;
extern const cli_cmd cmd_report;
extern const cli_cmd cmd_import;
extern const cli_cmd cmd_themes;

#endif
