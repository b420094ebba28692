/* vocal classify: batch classification of survey exports (issue 6).
 *
 * Shape (docs/DESIGN.md, "vocal classify"): a reader thread cuts the input
 * into batches that own copies of their records; -j worker threads, each
 * with its own workspace, tag whole batches with the shared (immutable)
 * lexicon and model; the main thread writes batches strictly in input
 * order. Batches live in a ring of WINDOW slots: the reader may not run
 * more than WINDOW batches ahead of the writer, so memory is bounded by
 * WINDOW x the batch size whatever the input size. With -j1 the same
 * functions run in one thread, so -j1 and -jN write the same bytes.
 *
 * Every record read is tagged or rejected; rejects and warnings travel in
 * the batches too, so they are reported in input order as well. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "themes_json.h"

/* MARK: sizes */

/* A batch closes at this many records or arena bytes, whichever comes
 * first: ~1000 short survey answers amortise the locking; 4 MiB keeps a
 * batch of long texts from holding much. */
#define BATCH_RECORDS 1024
#define BATCH_BYTES ((size_t)4 << 20)
/* Reject and warning messages printed before we only count them. */
#define MESSAGE_LIMIT 20
/* Progress is redrawn at most this often (ns): 4 times a second. */
#define PROGRESS_NS 250000000LL
#define MAX_LIST 64 /* --text-column, --keep */

/* MARK: options */

typedef struct args {
    vocal_reader_options ropts;
    const char *text_cols[MAX_LIST];
    size_t n_text;
    const char *keep[MAX_LIST];
    size_t n_keep;
    const char *role_col[VOCAL_ROLE_COUNT]; /* explicit --<role>-column, or NULL: by name */
    const char *date_format;
    const char *model, *out, *db, *rejects, *lang, *format;
    int csv_out, strict, quiet, no_model;
    vocal_import_format import_fmt; /* --from twitter, mastodon, …: read through vocal import */
    const char *xpath;
    long jobs;
    char default_model[4096]; /* the default model's path when it is used */
    /* themes (docs/themes.md) */
    cli_theme_args th;
    int no_themes;
    double theme_threshold;   /* 0: the library's default */
    char default_theme_model[4096];
} args;

static const cli_opt classify_opts[] = {
    {"output", 'o', "FILE", "write the records to FILE, atomically (default: standard output)"},
    {"format", 0, "FMT", "output format: jsonl (default; docs/format/records.md) or csv"},
    {"db", 0, "FILE", "append the run to the SQLite store FILE (docs/format/store.md)"},
    {"model", 'm', "MODEL", "the naive-Bayes model (default: the shipped <lang>-sentiment.model)"},
    {"no-model", 0, NULL, "sentiment from the lexicon alone, without the default model"},
    {"domain", 0, "D", "also load the theme pack D: retail, travel, hospitality, software, finance (repeatable)"},
    {"themes", 0, "FILE", "also load this theme taxonomy file (repeatable)"},
    {"theme-model", 0, "MODEL", "theme model (vocal train --task themes; default: the shipped one)"},
    {"no-theme-model", 0, NULL, "themes from the taxonomy rules alone"},
    {"no-rules", 0, NULL, "themes from the theme model alone, not the taxonomy rules"},
    {"theme-threshold", 0, "P", "a theme model reports a theme from this probability (default 0.5)"},
    {"no-themes", 0, NULL, "do not tag themes"},
    {"jobs", 'j', "N", "worker threads (default: the number of online CPUs)"},
    {"from", 0, "FMT", "input format: auto (default), csv, jsonl, tsv, fasttext, lines; or an export "
                       "read as by vocal import: twitter, facebook, instagram, mastodon, reddit, rss, atom, "
                       "appstore, googleplay, html"},
    {"xpath", 0, "EXPR", "--from html: the elements that are one review each"},
    {"text-column", 0, "COL", "CSV column or JSONL path of the text (default \"text\"); repeat to join several"},
    {"delimiter", 0, "C", "CSV delimiter (default: sniffed among , ; TAB)"},
    {"no-header", 0, NULL, "CSV has no header row (columns are then 1-based indexes)"},
    {"encoding", 0, "ENC", "input encoding: utf-8 (default), utf-16, windows-1252, latin1, ..."},
    {"id-column", 0, "COL", "column of the record id (default: found by name, records.md)"},
    {"date-column", 0, "COL", "column of the response date"},
    {"nps-column", 0, "COL", "column of the NPS score (0-10)"},
    {"csat-column", 0, "COL", "column of the CSAT score"},
    {"ces-column", 0, "COL", "column of the CES score"},
    {"segment-column", 0, "COL", "column of the customer segment"},
    {"touchpoint-column", 0, "COL", "column of the touchpoint"},
    {"channel-column", 0, "COL", "column of the channel"},
    {"keep", 0, "COL", "carry column COL into \"fields\" (repeatable)"},
    {"date-format", 0, "FMT", "strptime(3) format of the dates (default: ISO 8601 and common forms)"},
    {"max-record-bytes", 0, "N", "reject records longer than N bytes (default 1M; K and M suffixes)"},
    {"rejects", 0, "FILE", "write the rejected records to FILE as JSONL"},
    {"strict", 0, NULL, "exit 1 if any record was rejected"},
    {"quiet", 'q', NULL, "print errors only: no warnings, progress or summary"},
    {"lang", 'l', "LANG", "language of the texts (default en, or the model's)"},
    {0, 0, 0, 0},
};

static int parse_size(const char *s, size_t *out)
{
    char *end;
    if (!*s || *s == '-') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno) return -1;
    if (*end == 'K' || *end == 'k') v <<= 10, end++;
    else if (*end == 'M' || *end == 'm') v <<= 20, end++;
    if (*end || v == 0 || v > ((unsigned long long)1 << 32)) return -1;
    *out = (size_t)v;
    return 0;
}

static int on_opt(int idx, const char *arg, void *ctx)
{
    args *a = ctx;
    const char *n = classify_opts[idx].name;
    int st;
    if (!strcmp(n, "text-column")) {
        if (a->n_text == MAX_LIST) return cli_bad_usage(&cmd_classify, "too many --text-column");
        a->text_cols[a->n_text++] = arg;
    } else if (!strcmp(n, "format")) { /* the output's; --from is the input's */
        if (!strcmp(arg, "csv")) a->csv_out = 1;
        else if (!strcmp(arg, "jsonl") || !strcmp(arg, "ndjson")) a->csv_out = 0;
        else return cli_bad_usage(&cmd_classify, "--format is jsonl or csv, not '%s'", arg);
    } else if (!strcmp(n, "from") && vocal_format_from_name(arg) == VOCAL_FMT_UNKNOWN &&
               vocal_import_format_from_name(arg) > VOCAL_IMPORT_AUTO) {
        a->import_fmt = vocal_import_format_from_name(arg); /* docs/import.md */
    } else if (cli_input_opt(&cmd_classify, n, arg, &a->ropts, &st)) {
        return st;
    } else if (!strcmp(n, "output")) a->out = arg;
    else if (!strcmp(n, "db")) a->db = arg;
    else if (!strcmp(n, "model")) a->model = arg;
    else if (!strcmp(n, "no-model")) a->no_model = 1;
    else if (!strcmp(n, "xpath")) a->xpath = arg;
    else if (!strcmp(n, "domain")) return cli_theme_args_add(&a->th, 1, arg) < 0 ? EXIT_BAD : 0;
    else if (!strcmp(n, "themes")) return cli_theme_args_add(&a->th, 0, arg) < 0 ? EXIT_BAD : 0;
    else if (!strcmp(n, "theme-model")) a->th.model = arg;
    else if (!strcmp(n, "no-theme-model")) a->default_theme_model[0] = '-';
    else if (!strcmp(n, "no-rules")) a->th.no_rules = 1;
    else if (!strcmp(n, "no-themes")) a->no_themes = 1;
    else if (!strcmp(n, "theme-threshold")) {
        char *end;
        double v = strtod(arg, &end);
        if (!*arg || *end || !(v > 0 && v <= 1))
            return cli_bad_usage(&cmd_classify, "--theme-threshold needs a probability in (0, 1], got '%s'", arg);
        a->theme_threshold = v;
    }
    else if (!strcmp(n, "jobs")) {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 1 || v > 256) return cli_bad_usage(&cmd_classify, "--jobs needs 1..256, got '%s'", arg);
        a->jobs = v;
    } else if (!strcmp(n, "encoding")) a->ropts.encoding = arg;
    else if (!strcmp(n, "keep")) {
        if (a->n_keep == MAX_LIST) return cli_bad_usage(&cmd_classify, "too many --keep");
        a->keep[a->n_keep++] = arg;
    } else if (!strcmp(n, "date-format")) a->date_format = arg;
    else if (!strcmp(n, "max-record-bytes")) {
        if (parse_size(arg, &a->ropts.max_record_bytes) < 0)
            return cli_bad_usage(&cmd_classify, "--max-record-bytes needs a size such as 4M, got '%s'", arg);
    } else if (!strcmp(n, "rejects")) a->rejects = arg;
    else if (!strcmp(n, "strict")) a->strict = 1;
    else if (!strcmp(n, "quiet")) a->quiet = 1;
    else if (!strcmp(n, "lang")) a->lang = arg;
    else {
        /* --<role>-column */
        for (int r = 0; r < VOCAL_ROLE_COUNT; r++) {
            size_t k = strlen(vocal_role_name((vocal_role)r));
            if (!strncmp(n, vocal_role_name((vocal_role)r), k) && !strcmp(n + k, "-column")) a->role_col[r] = arg;
        }
    }
    return 0;
}

/* MARK: batches */

enum { ITEM_RECORD, ITEM_REJECT, ITEM_ERROR };

/* A span of the batch arena (offsets: the arena may move as it grows). */
typedef struct span {
    size_t off, len;
} span;

typedef struct item {
    int kind;
    int file;              /* index into the operands */
    uint64_t line, byte;
    span text;             /* ITEM_RECORD: the text; else the raw record, if any */
    span msg;              /* reject reason / error; warnings, LF-terminated */
    uint32_t n_warn;
    span role[VOCAL_ROLE_COUNT];
    uint32_t roles;        /* bit r: role r present */
    int nps;
    double csat, ces;
    size_t field0, n_fields; /* into batch.fields */
    /* results (worker) */
    const char *label;     /* static string */
    double score, confidence, lexicon;
    size_t model_cls;      /* SIZE_MAX: no model verdict */
    size_t probs0;         /* into batch.probs */
    size_t t0, nt;         /* its themes: into batch.trows */
    span tjson;            /* "themes":[…],"root_causes":[…] (records.md) */
} item;

/* One theme of a record, for the CSV columns and the store's themes table.
 * Strings are the taxonomy's or the theme model's (they outlive the run). */
typedef struct themerow {
    const char *id, *parent;
    int polarity, source, root_cause;
    double confidence;
    span evidence;         /* JSON array, in the batch arena */
} themerow;

typedef struct fieldref {
    span name, value;
} fieldref;

typedef struct batch {
    uint64_t seq;
    item *items;
    size_t n, cap;
    cli_buf arena;
    fieldref *fields;
    size_t n_fields, cap_fields;
    double *probs;
    size_t cap_probs;
    themerow *trows;
    size_t n_trows, cap_trows;
    cli_buf out;           /* rendered JSONL / CSV */
    uint64_t in_bytes;     /* input consumed when the batch closed */
    int done;              /* worker finished (guarded by the pipeline lock) */
    int oom;
} batch;

static const char *at(const batch *b, span s)
{
    return s.len ? b->arena.p + s.off : "";
}

static span keep_bytes(batch *b, const char *s, size_t n)
{
    span sp = {b->arena.len, n};
    cb_put(&b->arena, s, n);
    return sp;
}

static item *add_item(batch *b, int kind, int file, uint64_t line, uint64_t byte)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        item *p = realloc(b->items, cap * sizeof *p);
        if (!p) {
            b->oom = 1;
            return NULL;
        }
        b->items = p;
        b->cap = cap;
    }
    item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->file = file;
    it->line = line;
    it->byte = byte;
    it->model_cls = SIZE_MAX;
    it->field0 = b->n_fields;
    return it;
}

static void add_field(batch *b, item *it, const char *name, const char *v, size_t n)
{
    if (b->n_fields == b->cap_fields) {
        size_t cap = b->cap_fields ? b->cap_fields * 2 : 1024;
        fieldref *p = realloc(b->fields, cap * sizeof *p);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->fields = p;
        b->cap_fields = cap;
    }
    fieldref *f = &b->fields[b->n_fields++];
    f->name = keep_bytes(b, name, strlen(name));
    f->value = keep_bytes(b, v, n);
    it->n_fields++;
}

static void batch_reset(batch *b, uint64_t seq)
{
    b->seq = seq;
    b->n = 0;
    b->arena.len = 0;
    b->n_fields = 0;
    b->n_trows = 0;
    b->out.len = 0;
    b->oom = b->arena.oom = b->out.oom = 0;
    b->done = 0;
}

static void batch_free(batch *b)
{
    free(b->items);
    cb_free(&b->arena);
    free(b->fields);
    free(b->probs);
    free(b->trows);
    cb_free(&b->out);
}

/* MARK: shared state */

typedef struct job {
    const args *a;
    char **files;
    int nfiles;
    int csv_in;             /* every input is CSV: the CSV output keeps its columns */
    /* immutable after setup, shared by the workers */
    const vocal_lexicon *lex;
    const vocal_tokenizer *tk;
    const vocal_model *model;
    const char *const *classes;
    size_t n_classes;
    size_t cls_pos, cls_neg, cls_neu; /* SIZE_MAX when the model lacks them */
    vocal_classify_options copts;
    const vocal_tagger *tagger;          /* NULL: no rules */
    const vocal_theme_model *theme_model; /* NULL: none */
    int known_only;                       /* the shipped theme model: report only the loaded taxonomy's themes */
    vocal_tag_options tag_opts;
    uint64_t total_bytes;   /* of the regular input files; 0 if unknown */
    int catch_signals;      /* SIGINT/SIGTERM are blocked and polled between batches */
    int interrupted;        /* one of them arrived: the run stops cleanly */
    /* pipeline */
    pthread_mutex_t mu;
    pthread_cond_t cv_reader, cv_worker, cv_writer;
    batch *slots;
    size_t window;
    uint64_t next_fill, next_claim, next_write;
    int reader_done, failed;
} job;

/* MARK: reading (the reader thread) */

/* records.md: a role's column given by option, else the first column whose name says it. */
static void resolve_roles(const job *j, const vocal_field *f, size_t nf, size_t pick[VOCAL_ROLE_COUNT])
{
    for (int r = 0; r < VOCAL_ROLE_COUNT; r++) pick[r] = SIZE_MAX;
    for (size_t i = 0; i < nf; i++) {
        for (int r = 0; r < VOCAL_ROLE_COUNT; r++) {
            const char *want = j->a->role_col[r];
            if (want && !strcmp(f[i].name, want) && pick[r] == SIZE_MAX) pick[r] = i;
        }
        vocal_role r = vocal_role_from_column(f[i].name, strlen(f[i].name));
        if (r != VOCAL_ROLE_NONE && !j->a->role_col[r] && pick[r] == SIZE_MAX) pick[r] = i;
    }
}

/* A record's warnings, gathered while its cells are copied into the arena
 * and kept there in one piece afterwards. */
typedef struct warnings {
    char buf[1024];
    size_t len;
    uint32_t n;
} warnings;

static void warn(warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(warnings *w, const char *fmt, ...)
{
    va_list ap;
    w->n++;
    if (w->len + 2 >= sizeof w->buf) return; /* counted, not kept: the first ones say enough */
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, sizeof w->buf - w->len - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    w->len += (size_t)n < sizeof w->buf - w->len - 1 ? (size_t)n : sizeof w->buf - w->len - 2;
    w->buf[w->len++] = '\n';
}

/* Read one role cell into the item; a cell that cannot be read is left out with a warning. */
static void take_role(const job *j, batch *b, item *it, warnings *wn, int r, const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t')) v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    if (!n) return; /* records.md: an empty cell leaves the key out */
    const char *name = vocal_role_name((vocal_role)r);
    int shown = n > 40 ? 40 : (int)n;
    switch (r) {
    case VOCAL_ROLE_DATE: {
        char iso[VOCAL_DATE_MAX];
        int k = vocal_parse_date(iso, v, n, j->a->date_format);
        if (k < 0) {
            warn(wn, "date \"%.*s\" is not a date%s; left out", shown, v,
                 j->a->date_format ? " in --date-format" : " (see --date-format)");
            return;
        }
        it->role[r] = keep_bytes(b, iso, (size_t)k);
        break;
    }
    case VOCAL_ROLE_NPS:
        if (vocal_parse_nps(&it->nps, v, n) < 0) {
            warn(wn, "nps \"%.*s\" is not a whole number 0-10; left out", shown, v);
            return;
        }
        break;
    case VOCAL_ROLE_CSAT:
    case VOCAL_ROLE_CES:
        if (vocal_parse_number(r == VOCAL_ROLE_CSAT ? &it->csat : &it->ces, v, n) < 0) {
            warn(wn, "%s \"%.*s\" is not a number; left out", name, shown, v);
            return;
        }
        break;
    default:
        it->role[r] = keep_bytes(b, v, n);
    }
    it->roles |= 1u << r;
}

typedef struct reader_state {
    int file;
    vocal_reader *r;
    int csv;                          /* role columns resolved once per CSV file */
    size_t pick[VOCAL_ROLE_COUNT];
    int resolved;
    uint64_t done_bytes;              /* of the files before this one */
    vocal_importer *imp;              /* --from an export format */
    uint64_t n_imported;              /* records of this file so far: their "line" */
} reader_state;

static void add_problem(batch *b, int kind, int file, const vocal_error *e, const char *raw, size_t raw_len);

/* A record of a social or review export (vocal import): its id, time and
 * platform fill the id, date and channel roles; its address is kept in
 * "fields" as "url". Authors are not carried (reports never need them). */
static void add_import_record(const job *j, reader_state *rs, batch *b, const vocal_import_record *rec)
{
    item *it = add_item(b, ITEM_RECORD, rs->file, ++rs->n_imported, UINT64_MAX);
    if (!it) return;
    it->text = keep_bytes(b, rec->text, rec->text_len);
    warnings wn;
    wn.len = 0;
    wn.n = 0;
    if (rec->id) take_role(j, b, it, &wn, VOCAL_ROLE_ID, rec->id, strlen(rec->id));
    if (rec->created_at) take_role(j, b, it, &wn, VOCAL_ROLE_DATE, rec->created_at, strlen(rec->created_at));
    if (rec->channel) take_role(j, b, it, &wn, VOCAL_ROLE_CHANNEL, rec->channel, strlen(rec->channel));
    if (rec->url) add_field(b, it, "url", rec->url, strlen(rec->url));
    if (wn.n) {
        it->msg = keep_bytes(b, wn.buf, wn.len);
        it->n_warn = wn.n;
    }
}

/* The --from export path of fill_batch: 1 when a record or problem was
 * added, 0 when this file is done. */
static int fill_from_import(job *j, reader_state *rs, batch *b)
{
    vocal_error err;
    if (!rs->imp) {
        vocal_import_options o = VOCAL_IMPORT_OPTIONS_INIT;
        o.format = j->a->import_fmt;
        o.xpath = j->a->xpath;
        if (vocal_importer_open(&rs->imp, j->files[rs->file], &o, &err) < 0) {
            add_problem(b, ITEM_ERROR, rs->file, &err, NULL, 0);
            if (err.code == VOCAL_ENOMEM) b->oom = 1;
            return 0;
        }
        rs->n_imported = 0;
    }
    vocal_import_record rec;
    int rc = vocal_importer_next(rs->imp, &rec, &err);
    if (rc == 1) {
        add_import_record(j, rs, b, &rec);
        return 1;
    }
    if (rc == VOCAL_EINPUT) {
        add_problem(b, ITEM_REJECT, rs->file, &err, NULL, 0);
        return 1;
    }
    if (rc < 0) {
        add_problem(b, ITEM_ERROR, rs->file, &err, NULL, 0);
        if (rc == VOCAL_ENOMEM) b->oom = 1;
    }
    vocal_importer_free(rs->imp);
    rs->imp = NULL;
    return 0;
}

static void add_record(const job *j, reader_state *rs, batch *b, const vocal_record *rec)
{
    item *it = add_item(b, ITEM_RECORD, rs->file, rec->line, rec->byte);
    if (!it) return;
    it->text = keep_bytes(b, rec->text, rec->text_len);
    const vocal_field *f;
    size_t nf = vocal_reader_fields(rs->r, &f);
    size_t own[VOCAL_ROLE_COUNT];
    size_t *pick = own;
    warnings wn;
    wn.len = 0;
    wn.n = 0;
    if (rs->csv) {
        if (!rs->resolved) {
            resolve_roles(j, f, nf, rs->pick);
            /* a column asked for by name that the header lacks: said once per file */
            for (int r = 0; r < VOCAL_ROLE_COUNT; r++)
                if (j->a->role_col[r] && rs->pick[r] == SIZE_MAX)
                    warn(&wn, "no column \"%s\" (--%s-column) in the header; %s left out", j->a->role_col[r],
                         vocal_role_name((vocal_role)r), vocal_role_name((vocal_role)r));
        }
        rs->resolved = 1;
        pick = rs->pick;
    } else {
        resolve_roles(j, f, nf, own);
    }
    for (int r = 0; r < VOCAL_ROLE_COUNT; r++) {
        const char *v;
        size_t n;
        if (pick[r] < nf) take_role(j, b, it, &wn, r, f[pick[r]].value, f[pick[r]].len);
        else if (j->a->role_col[r] && !rs->csv && vocal_reader_lookup(rs->r, j->a->role_col[r], &v, &n))
            take_role(j, b, it, &wn, r, v, n); /* a JSONL path such as meta.date */
    }
    if (wn.n) {
        it->msg = keep_bytes(b, wn.buf, wn.len);
        it->n_warn = wn.n;
    }
    if (j->a->csv_out && j->csv_in) {
        for (size_t i = 0; i < nf; i++) add_field(b, it, f[i].name, f[i].value, f[i].len);
    } else {
        for (size_t k = 0; k < j->a->n_keep; k++) {
            const char *v;
            size_t n;
            /* a column by name, or a JSONL path (lookup); f is not used after it */
            if (vocal_reader_lookup(rs->r, j->a->keep[k], &v, &n)) add_field(b, it, j->a->keep[k], v, n);
        }
    }
}

static void add_problem(batch *b, int kind, int file, const vocal_error *e, const char *raw, size_t raw_len)
{
    item *it = add_item(b, kind, file, e->line, e->byte);
    if (!it) return;
    it->msg = keep_bytes(b, e->msg, strlen(e->msg));
    if (raw) it->text = keep_bytes(b, raw, raw_len);
}

/* SIGINT or SIGTERM pending? They are blocked in every thread (see
 * run_classify), so they wait here until the reader asks, between batches;
 * no handler and no global flag. */
static int signalled(const job *j)
{
    sigset_t p;
    if (!j->catch_signals || sigpending(&p) != 0) return 0;
    return sigismember(&p, SIGINT) == 1 || sigismember(&p, SIGTERM) == 1;
}

/* Fill one batch from the inputs; returns 0 when the inputs are exhausted
 * (or a signal asked us to stop) and the batch is empty. */
static int fill_batch(job *j, reader_state *rs, batch *b)
{
    vocal_error err;
    if (signalled(j)) {
        j->interrupted = 1;
        return 0;
    }
    while (b->n < BATCH_RECORDS && b->arena.len < BATCH_BYTES && !b->oom && !b->arena.oom) {
        if (j->a->import_fmt > VOCAL_IMPORT_AUTO) {
            if (rs->file >= j->nfiles) break;
            if (!fill_from_import(j, rs, b)) {
                struct stat st;
                if (strcmp(j->files[rs->file], "-") && stat(j->files[rs->file], &st) == 0)
                    rs->done_bytes += (uint64_t)st.st_size;
                rs->file++;
            }
            continue;
        }
        if (!rs->r) {
            if (rs->file >= j->nfiles) break;
            vocal_reader_options o = j->a->ropts;
            if (o.format == VOCAL_FMT_AUTO && !strcmp(j->files[rs->file], "-")) o.format = VOCAL_FMT_LINES;
            if (vocal_reader_open(&rs->r, j->files[rs->file], &o, &err) < 0) {
                add_problem(b, ITEM_ERROR, rs->file, &err, NULL, 0);
                if (err.code == VOCAL_ENOMEM) b->oom = 1;
                rs->file++;
                continue;
            }
            rs->csv = vocal_reader_format(rs->r) == VOCAL_FMT_CSV;
            rs->resolved = 0;
        }
        vocal_record rec;
        int rc = vocal_reader_next(rs->r, &rec, &err);
        if (rc == 1) {
            add_record(j, rs, b, &rec);
            continue;
        }
        if (rc == VOCAL_EINPUT) {
            const char *raw;
            size_t n;
            int has = vocal_reader_raw(rs->r, &raw, &n);
            add_problem(b, ITEM_REJECT, rs->file, &err, has ? raw : NULL, n);
            continue;
        }
        if (rc < 0) {
            add_problem(b, ITEM_ERROR, rs->file, &err, NULL, 0);
            if (rc == VOCAL_ENOMEM) b->oom = 1;
        }
        /* end of this file (or a read error, which ends it) */
        struct stat st;
        if (strcmp(j->files[rs->file], "-") && stat(j->files[rs->file], &st) == 0)
            rs->done_bytes += (uint64_t)st.st_size;
        vocal_reader_free(rs->r);
        rs->r = NULL;
        rs->file++;
    }
    b->in_bytes = rs->done_bytes + (rs->r ? vocal_reader_tell(rs->r) : 0);
    if (b->arena.oom) b->oom = 1;
    return b->n > 0 || b->oom;
}

/* MARK: tagging (the workers) */

typedef struct worker {
    job *j;
    vocal_workspace *ws;
    cli_buf tbuf;          /* scratch for a record's themes JSON */
    vocal_theme_hit *hits; /* scratch for the hits kept (known_themes) */
    size_t *rcs, cap_hits;
    pthread_t thread;
    int started;
} worker;

/* Lexicon only: docs/format/records.md's confidence as a monotone function
 * of |compound|: 0.5 + |c|/2 for a positive or negative label (the surer,
 * the stronger), and 1 - 10|c| for neutral (1 at 0, 0.5 at the 0.05
 * thresholds of docs/scorer.md). */
static double lexicon_confidence(double c, int label)
{
    double m = fabs(c);
    if (label == VOCAL_LABEL_NEUTRAL) return 1 - m * (0.5 / VOCAL_POSITIVE_THRESHOLD);
    return 0.5 + m / 2;
}

static const char *canonical_label(const char *s)
{
    if (!strcmp(s, "positive") || !strcmp(s, "pos")) return "positive";
    if (!strcmp(s, "negative") || !strcmp(s, "neg")) return "negative";
    if (!strcmp(s, "neutral") || !strcmp(s, "neu")) return "neutral";
    if (!strcmp(s, "mixed")) return "mixed";
    return NULL;
}

static void render_jsonl(const job *j, const batch *b, const item *it, cli_buf *o);
static void render_csv_row(const job *j, const batch *b, const item *it, cli_buf *o);

/* With the shipped theme model and a taxonomy loaded, the model's hit on a
 * theme the taxonomy does not hold (a domain pack's theme the model learnt
 * from the corpus) is left out: packs are the user's choice (--domain). A
 * model the user names reports all its themes (docs/themes.md). th is
 * rewritten in place to point at the worker's scratch. Returns -1 when out
 * of memory. */
static int known_themes(worker *w, vocal_themes *th)
{
    size_t drop = 0;
    for (size_t k = 0; k < th->n_hits; k++) drop += th->hits[k].theme == VOCAL_NO_THEME;
    if (!drop) return 0;
    if (th->n_hits > w->cap_hits) {
        vocal_theme_hit *h = realloc(w->hits, th->n_hits * sizeof *h);
        if (h) w->hits = h;
        size_t *r = realloc(w->rcs, th->n_hits * sizeof *r);
        if (r) w->rcs = r;
        if (!h || !r) return -1;
        w->cap_hits = th->n_hits;
    }
    size_t n = 0, nr = 0;
    for (size_t i = 0; i < th->n_root_causes; i++) {
        size_t old = th->root_causes[i], pos = 0;
        if (th->hits[old].theme == VOCAL_NO_THEME) continue;
        for (size_t k = 0; k < old; k++) pos += th->hits[k].theme != VOCAL_NO_THEME;
        w->rcs[nr++] = pos;
    }
    for (size_t k = 0; k < th->n_hits; k++)
        if (th->hits[k].theme != VOCAL_NO_THEME) w->hits[n++] = th->hits[k];
    th->hits = w->hits;
    th->n_hits = n;
    th->root_causes = w->rcs;
    th->n_root_causes = nr;
    return 0;
}

/* A record's themes (docs/themes.md) from the lexicon score s on w->ws:
 * its records.md JSON and one themerow per hit, kept in the batch. */
static int tag_themes(worker *w, batch *b, item *it, const vocal_sentiment *s)
{
    /* the text lives in the batch arena, which keep_bytes may move: fetch
     * it afresh after every keep */
    const job *j = w->j;
    vocal_themes th;
    vocal_error err;
    int rc = vocal_themes_tag(&th, w->ws, j->tagger, j->theme_model, s, &j->tag_opts, &err);
    if (rc < 0) return rc == VOCAL_ENOMEM ? rc : VOCAL_ENOMEM; /* options are ours: only memory fails */
    if (j->tagger && j->known_only && known_themes(w, &th) < 0) return VOCAL_ENOMEM;
    w->tbuf.len = 0;
    if (cli_themes_json(&w->tbuf, &th, at(b, it->text), it->text.len) < 0) return VOCAL_ENOMEM;
    it->tjson = keep_bytes(b, w->tbuf.p, w->tbuf.len);
    if (b->n_trows + th.n_hits > b->cap_trows) {
        size_t cap = b->cap_trows ? b->cap_trows : 1024;
        while (cap < b->n_trows + th.n_hits) cap *= 2;
        themerow *p = realloc(b->trows, cap * sizeof *p);
        if (!p) return VOCAL_ENOMEM;
        b->trows = p;
        b->cap_trows = cap;
    }
    it->t0 = b->n_trows;
    it->nt = th.n_hits;
    for (size_t k = 0; k < th.n_hits; k++) {
        const vocal_theme_hit *h = &th.hits[k];
        themerow *t = &b->trows[b->n_trows++];
        t->id = h->id;
        t->parent = h->parent;
        t->polarity = h->polarity;
        t->source = h->source;
        t->confidence = h->confidence;
        t->root_cause = 0;
        for (size_t r = 0; r < th.n_root_causes; r++)
            if (th.root_causes[r] == k) t->root_cause = 1;
        t->evidence = (span){0, 0};
        if (!j->a->db) continue; /* the evidence column is the store's (store.md) */
        w->tbuf.len = 0;
        if (cli_theme_evidence_json(&w->tbuf, h, at(b, it->text), it->text.len) < 0) return VOCAL_ENOMEM;
        t->evidence = keep_bytes(b, w->tbuf.p, w->tbuf.len);
    }
    return b->arena.oom ? VOCAL_ENOMEM : VOCAL_OK;
}

/* The per-record work: sentiment from the lexicon (always) and the model
 * (with --model) and the themes (rules and/or a theme model), then the
 * record rendered for the output (records.md).
 * Returns VOCAL_OK, VOCAL_EINPUT (the item became a reject) or VOCAL_ENOMEM. */
static int tag_record(worker *w, batch *b, item *it)
{
    job *j = w->j;
    if (it->text.len == 0) {
        /* a response without a comment (records.md): its scores count, it
         * has no sentiment and no themes */
        it->label = "";
        it->score = it->confidence = it->lexicon = 0;
        return VOCAL_OK;
    }
    const char *text = at(b, it->text);
    vocal_error err;
    vocal_sentiment s;
    int rc = vocal_lexicon_score(&s, w->ws, j->lex, text, it->text.len, &err);
    if (rc == VOCAL_EINPUT) {
        it->kind = ITEM_REJECT;
        it->msg = keep_bytes(b, err.msg, strlen(err.msg));
        return VOCAL_EINPUT;
    }
    if (rc < 0) return rc;
    it->lexicon = s.compound;
    it->label = vocal_label_name(s.label);
    it->score = s.compound;
    it->confidence = lexicon_confidence(s.compound, s.label);
    if (j->model) {
        vocal_classification c;
        /* from the lexicon's score: its tokens, not the text again */
        rc = vocal_model_classify_sentiment(&c, w->ws, j->model, &s, &j->copts, &err);
        if (rc == VOCAL_EINPUT) {
            it->kind = ITEM_REJECT;
            it->msg = keep_bytes(b, err.msg, strlen(err.msg));
            return VOCAL_EINPUT;
        }
        if (rc < 0) return rc;
        size_t need = (size_t)(it - b->items + 1) * j->n_classes;
        if (need > b->cap_probs) {
            size_t cap = b->cap_probs ? b->cap_probs : 1024;
            while (cap < need) cap *= 2;
            double *p = realloc(b->probs, cap * sizeof *p);
            if (!p) return VOCAL_ENOMEM;
            b->probs = p;
            b->cap_probs = cap;
        }
        it->probs0 = (size_t)(it - b->items) * j->n_classes;
        memcpy(b->probs + it->probs0, c.probs, j->n_classes * sizeof *c.probs);
        it->model_cls = c.cls;
        /* a sentiment model decides the label; another kind of model
         * (topics, intents) only adds its verdict */
        const char *lab = canonical_label(c.label);
        if (lab && j->cls_pos != SIZE_MAX && j->cls_neg != SIZE_MAX) {
            it->label = lab;
            it->confidence = c.prob;
            /* naive-Bayes margins saturate at +-1 (over-confident
             * probabilities), so alone they say "sure", not "how strongly";
             * the lexicon's compound measures strength. The score is their
             * mean: the sign mostly follows the model, the size both. */
            it->score = (c.probs[j->cls_pos] - c.probs[j->cls_neg] + s.compound) / 2;
        }
    }
    /* themes last, so a record the model rejects costs no tagging; the
     * model and the tagger each use their own workspace slots, not s's */
    if ((j->tagger || j->theme_model) && (rc = tag_themes(w, b, it, &s)) < 0) return rc;
    return VOCAL_OK;
}

static int tag_batch(worker *w, batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (it->kind != ITEM_RECORD) continue;
        int rc = tag_record(w, b, it);
        if (rc == VOCAL_ENOMEM) return rc;
        if (rc == VOCAL_OK && w->j->a->csv_out) render_csv_row(w->j, b, it, &b->out);
        else if (rc == VOCAL_OK && (w->j->a->out || !w->j->a->db)) render_jsonl(w->j, b, it, &b->out);
    }
    return b->out.oom || b->arena.oom ? VOCAL_ENOMEM : VOCAL_OK;
}

/* MARK: rendering (records.md) */

static void put_role(const batch *b, const item *it, int r, cli_buf *o)
{
    if (!(it->roles & (1u << r))) return;
    cb_putc(o, ',');
    cb_json_str(o, vocal_role_name((vocal_role)r), strlen(vocal_role_name((vocal_role)r)));
    cb_putc(o, ':');
    if (r == VOCAL_ROLE_NPS) cb_printf(o, "%d", it->nps);
    else if (r == VOCAL_ROLE_CSAT) cb_num(o, it->csat, 10);
    else if (r == VOCAL_ROLE_CES) cb_num(o, it->ces, 10);
    else cb_json_str(o, at(b, it->role[r]), it->role[r].len);
}

static void fields_json(const batch *b, const item *it, cli_buf *o)
{
    cb_putc(o, '{');
    for (size_t k = 0; k < it->n_fields; k++) {
        const fieldref *f = &b->fields[it->field0 + k];
        if (k) cb_putc(o, ',');
        cb_json_str(o, at(b, f->name), f->name.len);
        cb_putc(o, ':');
        cb_json_str(o, at(b, f->value), f->value.len);
    }
    cb_putc(o, '}');
}

static void render_jsonl(const job *j, const batch *b, const item *it, cli_buf *o)
{
    const char *src = j->files[it->file];
    cb_puts(o, "{\"source\":");
    cb_json_str(o, src, strlen(src));
    cb_key_u64(o, ",\"line\":", it->line);
    for (int r = 0; r < VOCAL_ROLE_COUNT; r++) put_role(b, it, r, o);
    if (it->n_fields) {
        cb_puts(o, ",\"fields\":");
        fields_json(b, it, o);
    }
    cb_puts(o, ",\"text\":");
    cb_json_str(o, at(b, it->text), it->text.len);
    if (it->text.len == 0) {
        cb_puts(o, ",\"themes\":[],\"root_causes\":[]}\n");
        return;
    }
    cb_puts(o, ",\"sentiment\":{\"label\":\"");
    cb_puts(o, it->label);
    cb_puts(o, "\",\"score\":");
    cb_num(o, it->score, 4);
    cb_puts(o, ",\"confidence\":");
    cb_num(o, it->confidence, 4);
    cb_puts(o, ",\"lexicon\":");
    cb_num(o, it->lexicon, 4);
    if (it->model_cls != SIZE_MAX) {
        cb_puts(o, ",\"model\":{\"label\":");
        const char *l = j->classes[it->model_cls];
        cb_json_str(o, l, strlen(l));
        cb_puts(o, ",\"probs\":{");
        for (size_t k = 0; k < j->n_classes; k++) {
            if (k) cb_putc(o, ',');
            cb_json_str(o, j->classes[k], strlen(j->classes[k]));
            cb_putc(o, ':');
            cb_num(o, b->probs[it->probs0 + k], 4);
        }
        cb_puts(o, "}}");
    }
    cb_putc(o, '}');
    if (it->tjson.len) {
        cb_putc(o, ',');
        cb_put(o, at(b, it->tjson), it->tjson.len);
    } else {
        cb_puts(o, ",\"themes\":[],\"root_causes\":[]");
    }
    cb_puts(o, "}\n");
}

/* RFC 4180: quote a cell when it holds the delimiter, a quote, CR or LF
 * (or starts/ends with a space, which readers may trim); double quotes. */
static void csv_cell(cli_buf *o, const char *s, size_t n)
{
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') quote = 1;
    if (!quote) {
        cb_put(o, s, n);
        return;
    }
    cb_putc(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') cb_putc(o, '"');
        cb_putc(o, s[i]);
    }
    cb_putc(o, '"');
}

static void render_csv_row(const job *j, const batch *b, const item *it, cli_buf *o)
{
    if (j->csv_in) {
        for (size_t k = 0; k < it->n_fields; k++) {
            const fieldref *f = &b->fields[it->field0 + k];
            csv_cell(o, at(b, f->value), f->value.len);
            cb_putc(o, ',');
        }
    } else {
        const char *src = j->files[it->file];
        csv_cell(o, src, strlen(src));
        cb_key_u64(o, ",", it->line);
        cb_putc(o, ',');
        csv_cell(o, at(b, it->text), it->text.len);
        cb_putc(o, ',');
    }
    if (it->text.len == 0) {
        /* no comment: no sentiment and no themes */
        cb_puts(o, ",,,,\r\n");
        return;
    }
    cb_puts(o, it->label);
    cb_putc(o, ',');
    cb_num(o, it->score, 4);
    cb_putc(o, ',');
    cb_num(o, it->confidence, 4);
    /* themes, root_causes: ids joined by ';' */
    for (int pass = 0; pass < 2; pass++) {
        cb_putc(o, ',');
        int first = 1;
        for (size_t k = 0; k < it->nt; k++) {
            const themerow *t = &b->trows[it->t0 + k];
            if (pass && !t->root_cause) continue;
            if (!first) cb_putc(o, ';');
            cb_puts(o, t->id);
            first = 0;
        }
    }
    cb_puts(o, "\r\n");
}

static void render_csv_header(const job *j, const batch *b, const item *it, cli_buf *o)
{
    if (j->csv_in) {
        for (size_t k = 0; k < it->n_fields; k++) {
            const fieldref *f = &b->fields[it->field0 + k];
            csv_cell(o, at(b, f->name), f->name.len);
            cb_putc(o, ',');
        }
    } else {
        cb_puts(o, "source,line,text,");
    }
    cb_puts(o, "sentiment,score,confidence,themes,root_causes\r\n");
}

/* MARK: writing (the main thread) */

typedef struct writer {
    job *j;
    cli_outfile out, rej;
    int has_out, has_rej;
    cli_store *db;
    uint64_t read, tagged, rejected, warnings, errors;
    uint64_t blank;                /* of tagged: records without a text (no comment) */
    uint64_t shown_rej, shown_warn;
    int csv_header_done, status;
    int progress;                  /* draw progress */
    struct timespec t0, last_draw;
    cli_buf line;                  /* scratch */
} writer;

static const char *display(const job *j, int file)
{
    return cli_display_path(j->files[file]);
}

static void report_item(writer *w, const batch *b, const item *it)
{
    job *j = w->j;
    int quiet = j->a->quiet;
    if (it->kind == ITEM_ERROR) {
        /* a file that cannot be opened or read: an error, never quieted */
        w->errors++;
        fprintf(stderr, "%svocal: %s: %.*s\n", w->progress ? "\r\033[K" : "", display(j, it->file),
                (int)it->msg.len, at(b, it->msg));
        return;
    }
    if (it->kind == ITEM_REJECT) {
        w->rejected++;
        if (!quiet && w->shown_rej < MESSAGE_LIMIT) {
            fprintf(stderr, "%svocal: %s:%llu: ", w->progress ? "\r\033[K" : "", display(j, it->file),
                    (unsigned long long)it->line);
            if (it->byte != UINT64_MAX) fprintf(stderr, "byte %llu: ", (unsigned long long)it->byte);
            fprintf(stderr, "%.*s\n", (int)it->msg.len, at(b, it->msg));
            if (++w->shown_rej == MESSAGE_LIMIT)
                fprintf(stderr, "vocal: further rejected records are counted, not shown%s\n",
                        j->a->rejects ? " (see the rejects file)" : "");
        }
        return;
    }
    w->tagged++;
    if (it->text.len == 0) w->blank++;
    if (!it->n_warn) return;
    w->warnings += it->n_warn;
    const char *m = at(b, it->msg), *end = m + it->msg.len;
    while (m < end) {
        const char *nl = memchr(m, '\n', (size_t)(end - m));
        if (!quiet && w->shown_warn < MESSAGE_LIMIT) {
            fprintf(stderr, "%svocal: %s:%llu: warning: %.*s\n", w->progress ? "\r\033[K" : "", display(j, it->file),
                    (unsigned long long)it->line, (int)(nl - m), m);
            if (++w->shown_warn == MESSAGE_LIMIT) fprintf(stderr, "vocal: further warnings are counted, not shown\n");
        }
        m = nl + 1;
    }
}

static void write_reject_json(writer *w, const batch *b, const item *it)
{
    cli_buf *o = &w->line;
    const char *src = w->j->files[it->file];
    o->len = 0;
    cb_puts(o, "{\"source\":");
    cb_json_str(o, src, strlen(src));
    if (it->line) cb_key_u64(o, ",\"line\":", it->line);
    if (it->byte != UINT64_MAX) cb_key_u64(o, ",\"byte\":", it->byte);
    cb_puts(o, ",\"reason\":");
    cb_json_str(o, at(b, it->msg), it->msg.len);
    if (it->text.len) {
        cb_puts(o, ",\"raw\":");
        cb_json_str(o, at(b, it->text), it->text.len);
    }
    cb_puts(o, "}\n");
    fwrite(o->p, 1, o->len, w->rej.f);
}

static int store_item(writer *w, const batch *b, const item *it)
{
    const char *src = w->j->files[it->file];
    if (it->kind == ITEM_REJECT) {
        char reason[sizeof ((vocal_error *)0)->msg];
        snprintf(reason, sizeof reason, "%.*s", (int)it->msg.len, at(b, it->msg));
        return cli_store_reject(w->db, src, it->line, it->byte, reason);
    }
    cli_store_row row;
    memset(&row, 0, sizeof row);
    row.source = src;
    row.line = it->line;
    for (int r = 0; r < VOCAL_ROLE_COUNT; r++)
        if ((it->roles & (1u << r)) && r != VOCAL_ROLE_NPS && r != VOCAL_ROLE_CSAT && r != VOCAL_ROLE_CES) {
            row.role[r] = at(b, it->role[r]);
            row.role_len[r] = it->role[r].len;
        }
    row.has_nps = !!(it->roles & (1u << VOCAL_ROLE_NPS));
    row.has_csat = !!(it->roles & (1u << VOCAL_ROLE_CSAT));
    row.has_ces = !!(it->roles & (1u << VOCAL_ROLE_CES));
    row.nps = it->nps;
    row.csat = it->csat;
    row.ces = it->ces;
    cli_buf *o = &w->line;
    o->len = 0;
    if (it->n_fields && !w->j->a->csv_out) {
        fields_json(b, it, o);
        if (o->oom) return -1;
        row.fields_json = o->p;
        row.fields_len = o->len;
    }
    row.text = at(b, it->text);
    row.text_len = it->text.len;
    row.sentiment = it->label;
    row.score = it->score;
    row.confidence = it->confidence;
    row.lexicon = it->lexicon;
    if (cli_store_record(w->db, w->tagged - 1, &row) < 0) return -1;
    for (size_t k = 0; k < it->nt; k++) {
        const themerow *t = &b->trows[it->t0 + k];
        cli_store_theme_row tr = {(int)k, t->root_cause, t->id, t->parent,
                                  vocal_label_name(t->polarity), vocal_theme_source_name(t->source),
                                  at(b, t->evidence), t->evidence.len, t->confidence};
        if (cli_store_theme(w->db, w->tagged - 1, &tr) < 0) return -1;
    }
    return 0;
}

static void draw_progress(writer *w, uint64_t in_bytes, int final)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long since = (now.tv_sec - w->last_draw.tv_sec) * 1000000000LL + (now.tv_nsec - w->last_draw.tv_nsec);
    if (!final && since < PROGRESS_NS) return;
    w->last_draw = now;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    double secs = (double)(now.tv_sec - w->t0.tv_sec) + (now.tv_nsec - w->t0.tv_nsec) / 1e9;
    uint64_t n = w->tagged + w->rejected;
    fprintf(stderr, "\r\033[Kvocal: %llu records, %.0f/s", (unsigned long long)n, secs > 0 ? n / secs : 0.0);
    uint64_t total = w->j->total_bytes;
    if (total && in_bytes <= total && in_bytes > 0) {
        double frac = (double)in_bytes / (double)total;
        double eta = secs / frac - secs;
        fprintf(stderr, ", %.0f%%, ETA %d:%02d", frac * 100, (int)(eta / 60), (int)eta % 60);
    }
    fflush(stderr);
}

/* Write one finished batch: 0, or -1 after a fatal error (printed). */
static int write_batch(writer *w, batch *b)
{
    job *j = w->j;
    if (b->oom) {
        cli_error("classify: out of memory");
        w->status = EXIT_INTERNAL;
        return -1;
    }
    for (size_t i = 0; i < b->n; i++) {
        const item *it = &b->items[i];
        report_item(w, b, it);
        if (it->kind == ITEM_REJECT && w->has_rej) write_reject_json(w, b, it);
        if (it->kind == ITEM_RECORD && j->a->csv_out && !w->csv_header_done && w->has_out) {
            w->line.len = 0;
            render_csv_header(j, b, it, &w->line);
            fwrite(w->line.p, 1, w->line.len, w->out.f);
            w->csv_header_done = 1;
        }
        if (w->db && it->kind != ITEM_ERROR && store_item(w, b, it) < 0) {
            w->status = EXIT_INTERNAL;
            return -1;
        }
    }
    if (w->has_out && b->out.len && fwrite(b->out.p, 1, b->out.len, w->out.f) != b->out.len) {
        cli_error("%s: cannot write: %s", j->a->out ? j->a->out : "standard output", strerror(errno));
        w->status = EXIT_INTERNAL;
        return -1;
    }
    w->read = w->tagged + w->rejected;
    if (w->db && cli_store_checkpoint(w->db, w->read, w->tagged, w->rejected) < 0) {
        w->status = EXIT_INTERNAL;
        return -1;
    }
    if (w->progress) draw_progress(w, b->in_bytes, 0);
    return 0;
}

/* MARK: the pipeline */

static void fail(job *j)
{
    pthread_mutex_lock(&j->mu);
    j->failed = 1;
    pthread_cond_broadcast(&j->cv_reader);
    pthread_cond_broadcast(&j->cv_worker);
    pthread_cond_broadcast(&j->cv_writer);
    pthread_mutex_unlock(&j->mu);
}

static void *reader_main(void *arg)
{
    job *j = arg;
    reader_state rs;
    memset(&rs, 0, sizeof rs);
    for (uint64_t seq = 0;; seq++) {
        pthread_mutex_lock(&j->mu);
        while (seq - j->next_write >= j->window && !j->failed) pthread_cond_wait(&j->cv_reader, &j->mu);
        int stop = j->failed;
        pthread_mutex_unlock(&j->mu);
        if (stop) break;
        batch *b = &j->slots[seq % j->window];
        batch_reset(b, seq);
        int more = fill_batch(j, &rs, b);
        pthread_mutex_lock(&j->mu);
        if (more) j->next_fill = seq + 1;
        pthread_cond_broadcast(&j->cv_worker);
        pthread_cond_broadcast(&j->cv_writer);
        pthread_mutex_unlock(&j->mu);
        if (!more || b->oom) break;
    }
    vocal_reader_free(rs.r);
    vocal_importer_free(rs.imp);
    pthread_mutex_lock(&j->mu);
    j->reader_done = 1;
    pthread_cond_broadcast(&j->cv_worker);
    pthread_cond_broadcast(&j->cv_writer);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    job *j = w->j;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        while (j->next_claim == j->next_fill && !j->reader_done && !j->failed)
            pthread_cond_wait(&j->cv_worker, &j->mu);
        if (j->failed || j->next_claim == j->next_fill) {
            pthread_mutex_unlock(&j->mu);
            break;
        }
        uint64_t seq = j->next_claim++;
        pthread_mutex_unlock(&j->mu);
        batch *b = &j->slots[seq % j->window];
        if (!b->oom && tag_batch(w, b) < 0) b->oom = 1;
        pthread_mutex_lock(&j->mu);
        b->done = 1;
        pthread_cond_broadcast(&j->cv_writer);
        pthread_mutex_unlock(&j->mu);
    }
    return NULL;
}

/* The main thread's loop: write batches in sequence order. */
static void write_in_order(job *j, writer *wr)
{
    for (;;) {
        pthread_mutex_lock(&j->mu);
        batch *b = &j->slots[j->next_write % j->window];
        while (!j->failed && !(j->next_write < j->next_fill && b->done) &&
               !(j->reader_done && j->next_write == j->next_fill))
            pthread_cond_wait(&j->cv_writer, &j->mu);
        int stop = j->failed || j->next_write == j->next_fill;
        pthread_mutex_unlock(&j->mu);
        if (stop) return;
        if (write_batch(wr, b) < 0) {
            fail(j);
            return;
        }
        pthread_mutex_lock(&j->mu);
        b->done = 0;
        j->next_write++;
        pthread_cond_broadcast(&j->cv_reader);
        pthread_mutex_unlock(&j->mu);
    }
}

/* -j1: the same steps in one thread. */
static void run_inline(job *j, worker *w, writer *wr)
{
    reader_state rs;
    memset(&rs, 0, sizeof rs);
    batch *b = &j->slots[0];
    for (uint64_t seq = 0;; seq++) {
        batch_reset(b, seq);
        if (!fill_batch(j, &rs, b)) break;
        if (!b->oom && tag_batch(w, b) < 0) b->oom = 1;
        if (write_batch(wr, b) < 0) break;
    }
    vocal_reader_free(rs.r);
}

static int run_pipeline(job *j, worker *ws, size_t nw, writer *wr)
{
    j->window = nw == 1 ? 1 : 2 * nw + 2;
    j->slots = calloc(j->window, sizeof *j->slots);
    if (!j->slots) {
        cli_error("out of memory");
        return -1;
    }
    if (nw == 1) {
        run_inline(j, &ws[0], wr);
    } else {
        pthread_t reader;
        pthread_mutex_init(&j->mu, NULL);
        pthread_cond_init(&j->cv_reader, NULL);
        pthread_cond_init(&j->cv_worker, NULL);
        pthread_cond_init(&j->cv_writer, NULL);
        int reader_ok = pthread_create(&reader, NULL, reader_main, j) == 0;
        for (size_t i = 0; reader_ok && i < nw; i++)
            ws[i].started = pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) == 0;
        if (!reader_ok || !ws[0].started) {
            cli_error("classify: cannot start threads");
            wr->status = EXIT_INTERNAL;
            fail(j);
        } else {
            write_in_order(j, wr);
        }
        if (wr->status != EXIT_OK) fail(j);
        if (reader_ok) pthread_join(reader, NULL);
        for (size_t i = 0; i < nw; i++)
            if (ws[i].started) pthread_join(ws[i].thread, NULL);
        pthread_mutex_destroy(&j->mu);
        pthread_cond_destroy(&j->cv_reader);
        pthread_cond_destroy(&j->cv_worker);
        pthread_cond_destroy(&j->cv_writer);
    }
    for (size_t i = 0; i < j->window; i++) batch_free(&j->slots[i]);
    free(j->slots);
    return 0;
}

/* MARK: the command */

static uint64_t input_size(char **files, int n)
{
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(files[i], "-") || stat(files[i], &st) != 0 || !S_ISREG(st.st_mode)) return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}

static char *command_line(int argc, char **argv)
{
    size_t n = 16;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    strcpy(s, "vocal");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static int setup_model(job *j, vocal_model **m, cli_lexicon *cl, args *a)
{
    /* No --model: the default model trained from corpora/ by the build
     * (models/README.md), when it is installed; else the lexicon alone. */
    if (!a->model && !a->no_model &&
        cli_default_model(a->default_model, sizeof a->default_model, a->lang, "sentiment") == 0)
        a->model = a->default_model;
    if (a->model) {
        int st = cli_model_open(m, cl, a->model, a->lang);
        if (st != EXIT_OK) return st;
        j->model = *m;
        j->n_classes = vocal_model_classes(*m, &j->classes, NULL);
        j->cls_pos = j->cls_neg = j->cls_neu = SIZE_MAX;
        for (size_t k = 0; k < j->n_classes; k++) {
            const char *c = canonical_label(j->classes[k]);
            if (!c) continue;
            if (!strcmp(c, "positive")) j->cls_pos = k;
            if (!strcmp(c, "negative")) j->cls_neg = k;
            if (!strcmp(c, "neutral")) j->cls_neu = k;
        }
        vocal_classify_options c = VOCAL_CLASSIFY_OPTIONS_INIT;
        c.top_k = 0;
        j->copts = c;
    } else {
        int st = cli_lexicon_open(cl, a->lang, NULL, NULL, 0, 0);
        if (st != EXIT_OK) return st;
    }
    j->lex = cl->lex;
    j->tk = cl->tk;
    return EXIT_OK;
}

static int open_outputs(writer *w, const args *a, int argc, char **argv)
{
    w->has_out = a->out || !a->db;
    if (w->has_out && cli_outfile_open(&w->out, a->out) < 0) return -1;
    if (a->rejects) {
        if (cli_outfile_open(&w->rej, a->rejects) < 0) return -1;
        w->has_rej = 1;
    }
    if (a->db) {
        char *cmd = command_line(argc, argv);
        char model[4096];
        if (a->model) {
            vocal_model_info info;
            vocal_model_info_get(&info, w->j->model);
            snprintf(model, sizeof model, "%s (fingerprint %016llx, %llu records)", a->model,
                     (unsigned long long)info.fingerprint, (unsigned long long)info.records);
        }
        uint64_t marked;
        int rc = cmd ? cli_store_open(&w->db, a->db, cmd, a->model ? model : NULL, &marked) : -1;
        free(cmd);
        if (rc < 0) return -1;
        if (marked && !a->quiet)
            cli_error("%s: %llu earlier run%s left running (killed?) marked interrupted", a->db,
                      (unsigned long long)marked, marked == 1 ? "" : "s");
    }
    return 0;
}

static int finish_outputs(writer *w, const args *a)
{
    int ok = w->status == EXIT_OK;
    if (w->db) {
        if (cli_store_finish(w->db, w->read, w->tagged, w->rejected, ok) < 0) ok = 0;
        cli_store_close(w->db);
        w->db = NULL;
    }
    if (w->has_rej) {
        if (ok && cli_outfile_commit(&w->rej) < 0) ok = 0;
        else if (!ok) cli_outfile_abort(&w->rej);
    }
    if (w->has_out) {
        if (ok && cli_outfile_commit(&w->out) < 0) ok = 0;
        else if (!ok) cli_outfile_abort(&w->out);
    }
    (void)a;
    if (!ok && w->status == EXIT_OK) w->status = EXIT_INTERNAL;
    return w->status;
}

/* Block SIGINT and SIGTERM (threads inherit the mask) so that an
 * interrupted run ends like a finished one: the batches read are written,
 * the store's run is marked 'interrupted', the temporary output removed.
 * Not when reading standard input, where a blocked read must stay
 * interruptible from the terminal. */
static void block_signals(job *j, sigset_t *old)
{
    for (int i = 0; i < j->nfiles; i++)
        if (!strcmp(j->files[i], "-")) return;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    j->catch_signals = pthread_sigmask(SIG_BLOCK, &set, old) == 0;
}

/* Unblocking lets the pending signal end the process as it would have,
 * so the shell sees the usual status (130 for SIGINT). */
static void restore_signals(job *j, const sigset_t *old)
{
    if (j->catch_signals) pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int run_classify(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    vocal_reader_options ro = VOCAL_READER_OPTIONS_INIT;
    a.ropts = ro;
    a.ropts.label_field = NULL; /* classify reads unlabelled text */
    int first = cli_parse(&cmd_classify, argc, argv, on_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (a.csv_out && a.db && !a.out) return cli_bad_usage(&cmd_classify, "--format csv needs -o FILE beside --db");
    a.ropts.text_fields = a.n_text ? a.text_cols : NULL;
    a.ropts.n_text_fields = a.n_text;
    a.ropts.keep_fields = 1;
    a.ropts.check_utf8 = 1;
    a.ropts.keep_blank_text = 1; /* survey rows without a comment still count for their scores */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nw = (size_t)(a.jobs ? a.jobs : cpus > 0 ? cpus : 1);

    job j;
    memset(&j, 0, sizeof j);
    j.a = &a;
    static char dash[] = "-";
    char *stdin_only[] = {dash};
    j.files = first < argc ? argv + first : stdin_only;
    j.nfiles = first < argc ? argc - first : 1;
    j.csv_in = a.ropts.format == VOCAL_FMT_CSV;
    if (a.ropts.format == VOCAL_FMT_AUTO) {
        /* the CSV output keeps the original columns when every input is CSV */
        j.csv_in = 1;
        for (int i = 0; i < j.nfiles; i++) {
            const char *dot = strrchr(j.files[i], '.');
            if (!dot || strcasecmp(dot, ".csv")) j.csv_in = 0;
        }
    }
    j.total_bytes = input_size(j.files, j.nfiles);

    cli_lexicon cl;
    vocal_model *m = NULL;
    int status = setup_model(&j, &m, &cl, &a);
    if (status != EXIT_OK) return status;
    cli_themes ct;
    memset(&ct, 0, sizeof ct);
    if (!a.no_themes) {
        /* the shipped theme model (trained from corpora/ by the build) joins
         * the rules unless a model was named or --no-theme-model was given */
        if (!a.th.model && a.default_theme_model[0] != '-' &&
            cli_default_model(a.default_theme_model, sizeof a.default_theme_model, a.lang, "themes") == 0) {
            a.th.model = a.default_theme_model;
            j.known_only = 1;
        }
        status = cli_themes_open(&ct, &a.th, cl.tk);
        if (status != EXIT_OK) {
            vocal_model_free(m);
            cli_lexicon_close(&cl);
            return status;
        }
        j.tagger = ct.tg;
        j.theme_model = ct.tm;
        vocal_tag_options to = VOCAL_TAG_OPTIONS_INIT;
        if (a.theme_threshold > 0) to.model_threshold = a.theme_threshold;
        j.tag_opts = to;
    }

    worker *ws = calloc(nw, sizeof *ws);
    writer w;
    memset(&w, 0, sizeof w);
    w.j = &j;
    vocal_error err;
    if (!ws) {
        cli_error("out of memory");
        status = EXIT_INTERNAL;
    }
    for (size_t i = 0; status == EXIT_OK && i < nw; i++) {
        ws[i].j = &j;
        if (vocal_workspace_new(&ws[i].ws, j.tk, &err) < 0) {
            cli_print_error(&err);
            status = EXIT_INTERNAL;
        }
    }
    if (status == EXIT_OK && open_outputs(&w, &a, argc, argv) < 0) status = EXIT_BAD;
    if (status == EXIT_OK) {
        w.progress = !a.quiet && isatty(STDERR_FILENO);
        clock_gettime(CLOCK_MONOTONIC, &w.t0);
        w.last_draw = w.t0;
        sigset_t old;
        block_signals(&j, &old);
        if (run_pipeline(&j, ws, nw, &w) < 0) w.status = EXIT_INTERNAL;
        if (w.progress) draw_progress(&w, 0, 1);
        if (j.interrupted && w.status == EXIT_OK) {
            cli_error("classify: interrupted after %llu records", (unsigned long long)(w.tagged + w.rejected));
            w.status = EXIT_INTERNAL; /* not complete: no output under its final name */
        }
        status = finish_outputs(&w, &a);
        restore_signals(&j, &old);
    } else {
        w.status = status;
        status = finish_outputs(&w, &a);
    }
    if (status == EXIT_OK || status == EXIT_BAD) {
        if (!a.quiet)
            cli_error("classify: %llu read, %llu tagged, %llu without text, %llu rejected, %llu warning%s%s%s",
                      (unsigned long long)w.read, (unsigned long long)(w.tagged - w.blank),
                      (unsigned long long)w.blank, (unsigned long long)w.rejected, (unsigned long long)w.warnings,
                      w.warnings == 1 ? "" : "s", a.db ? " -> " : "", a.db ? a.db : "");
        if (status == EXIT_OK && a.strict && (w.rejected || w.errors)) status = EXIT_BAD;
        /* nothing could be read: every record rejected, or no file opened */
        if (status == EXIT_OK && w.tagged == 0 && (w.rejected || w.errors)) status = EXIT_BAD;
        if (status == EXIT_OK && w.errors) status = EXIT_BAD;
    }
    cb_free(&w.line);
    for (size_t i = 0; ws && i < nw; i++) {
        vocal_workspace_free(ws[i].ws);
        cb_free(&ws[i].tbuf);
        free(ws[i].hits);
        free(ws[i].rcs);
    }
    free(ws);
    cli_themes_close(&ct);
    vocal_model_free(m);
    cli_lexicon_close(&cl);
    return status;
}

const cli_cmd cmd_classify = {
    "classify",
    "[options] [FILE|-]...",
    "tag each record's sentiment (and, with a model, its class): JSONL, CSV or SQLite",
    "Reads survey exports and feedback: CSV (header; delimiter sniffed; quoted newlines, BOM,\n"
    "CRLF), JSONL (field paths), TSV or plain lines; several FILEs, or standard input. Writes\n"
    "one record per input record, in input order whatever -j: JSONL (docs/format/records.md),\n"
    "CSV (the original columns plus sentiment, score, confidence, themes, root_causes) or the\n"
    "SQLite store (--db, docs/format/store.md). Columns named like id, date, nps, csat, ces,\n"
    "segment, touchpoint and channel are carried through. A record that cannot be read is\n"
    "reported with its file, line and reason, counted, and written to --rejects FILE; the run\n"
    "ends with a summary. Exit 1 only under --strict with rejects, or when nothing was read.",
    classify_opts,
    run_classify,
};
