/* vocal aggregate / vocal report: tagged records (JSONL or the SQLite store)
 * or partial aggregates in, a partial aggregate or a report out. Both
 * commands read the same inputs; `report` renders what `aggregate` would
 * have written, so sharded runs merge into the same report. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct rep_args {
    const char *out, *db, *title, *table, *themes_dir;
    int64_t runs[64];
    size_t n_runs;
    vocal_agg_options ao;
    vocal_report_options ro;
    int format_set, strict, quiet;
} rep_args;

static const cli_opt aggregate_opts[] = {
    {"output", 'o', "FILE", "the partial aggregate to write (required)"},
    {"db", 0, "FILE", "read the tagged records of a SQLite store (complete runs)"},
    {"run", 0, "ID", "with --db: read this run (repeatable); default every complete run"},
    {"csat-scale", 0, "MIN-MAX", "CSAT scale (default 1-5); top-two-box is the top two points"},
    {"ces-scale", 0, "MIN-MAX", "CES scale (default 1-7)"},
    {"verbatims", 0, "K", "verbatim candidates kept per theme and polarity (default 3)"},
    {"strict", 0, NULL, "exit 1 if any record was rejected"},
    {0, 0, 0, 0},
};

static const cli_opt report_opts[] = {
    {"output", 'o', "FILE", "write the report here (default: Markdown on standard output)"},
    {"format", 'f', "FMT", "html, md, json or csv (default: from -o's extension)"},
    {"table", 't', "NAME", "csv: the one table to write; without it -o names a directory of CSV files"},
    {"by", 'b', "DIM", "breakdown: segment, touchpoint or channel (repeatable; default all three)"},
    {"period", 'p', "P", "trend period: day, week (ISO) or month (default month)"},
    {"title", 0, "TEXT", "the report's title"},
    {"top", 0, "N", "themes in charts and verbatims (default 8)"},
    {"themes", 0, "DIR", "theme taxonomy for labels (default <data>/lexicons/themes)"},
    {"db", 0, "FILE", "read the tagged records of a SQLite store (complete runs)"},
    {"run", 0, "ID", "with --db: read this run (repeatable); default every complete run"},
    {"csat-scale", 0, "MIN-MAX", "CSAT scale for records (default 1-5)"},
    {"ces-scale", 0, "MIN-MAX", "CES scale for records (default 1-7)"},
    {"strict", 0, NULL, "exit 1 if any record was rejected"},
    {"quiet", 'q', NULL, "do not print the summary line"},
    {0, 0, 0, 0},
};

static int parse_scale(const char *arg, double *lo, double *hi)
{
    char *end;
    *lo = strtod(arg, &end);
    if (end == arg || *end != '-') return -1;
    const char *p = end + 1;
    *hi = strtod(p, &end);
    return end == p || *end || !(*lo < *hi) ? -1 : 0;
}

/* options shared by both commands, by name */
static int common_opt(const cli_cmd *cmd, const char *name, const char *arg, rep_args *a)
{
    char *end;
    if (!strcmp(name, "output")) a->out = arg;
    else if (!strcmp(name, "db")) a->db = arg;
    else if (!strcmp(name, "strict")) a->strict = 1;
    else if (!strcmp(name, "run")) {
        long long v = strtoll(arg, &end, 10);
        if (*end || !*arg || v < 0) return cli_bad_usage(cmd, "--run needs a run id, got '%s'", arg);
        if (a->n_runs == 64) return cli_bad_usage(cmd, "at most 64 --run options");
        a->runs[a->n_runs++] = v;
    } else if (!strcmp(name, "csat-scale")) {
        if (parse_scale(arg, &a->ao.csat_min, &a->ao.csat_max) < 0)
            return cli_bad_usage(cmd, "--csat-scale needs MIN-MAX with MIN < MAX, got '%s'", arg);
    } else if (!strcmp(name, "ces-scale")) {
        if (parse_scale(arg, &a->ao.ces_min, &a->ao.ces_max) < 0)
            return cli_bad_usage(cmd, "--ces-scale needs MIN-MAX with MIN < MAX, got '%s'", arg);
    } else if (!strcmp(name, "verbatims")) {
        unsigned long v = strtoul(arg, &end, 10);
        if (*end || !*arg || v < 1 || v > 16) return cli_bad_usage(cmd, "--verbatims needs 1..16, got '%s'", arg);
        a->ao.verbatims = (unsigned)v;
    }
    return 0;
}

static int aggregate_opt(int idx, const char *arg, void *ctx)
{
    return common_opt(&cmd_aggregate, aggregate_opts[idx].name, arg, ctx);
}

static int report_opt(int idx, const char *arg, void *ctx)
{
    rep_args *a = ctx;
    const char *name = report_opts[idx].name;
    char *end;
    if (!strcmp(name, "format")) {
        static const char *const f[] = {"html", "md", "json", "csv"};
        int i = 0;
        while (i < 4 && strcmp(arg, f[i]) != 0) i++;
        if (i == 4 && !strcmp(arg, "markdown")) i = 1;
        if (i == 4) return cli_bad_usage(&cmd_report, "--format needs html, md, json or csv, got '%s'", arg);
        a->ro.format = (vocal_report_format)i;
        a->format_set = 1;
    } else if (!strcmp(name, "by")) {
        if (!strcmp(arg, "segment")) a->ro.by |= VOCAL_BY_SEGMENT;
        else if (!strcmp(arg, "touchpoint")) a->ro.by |= VOCAL_BY_TOUCHPOINT;
        else if (!strcmp(arg, "channel")) a->ro.by |= VOCAL_BY_CHANNEL;
        else return cli_bad_usage(&cmd_report, "--by needs segment, touchpoint or channel, got '%s'", arg);
    } else if (!strcmp(name, "period")) {
        if (!strcmp(arg, "day")) a->ro.period = VOCAL_PERIOD_DAY;
        else if (!strcmp(arg, "week")) a->ro.period = VOCAL_PERIOD_WEEK;
        else if (!strcmp(arg, "month")) a->ro.period = VOCAL_PERIOD_MONTH;
        else return cli_bad_usage(&cmd_report, "--period needs day, week or month, got '%s'", arg);
    } else if (!strcmp(name, "top")) {
        unsigned long v = strtoul(arg, &end, 10);
        if (*end || !*arg || v < 1 || v > 50) return cli_bad_usage(&cmd_report, "--top needs 1..50, got '%s'", arg);
        a->ro.top_themes = (unsigned)v;
    } else if (!strcmp(name, "title")) a->title = arg;
    else if (!strcmp(name, "table")) a->table = arg;
    else if (!strcmp(name, "themes")) a->themes_dir = arg;
    else if (!strcmp(name, "quiet")) a->quiet = 1;
    else return common_opt(&cmd_report, name, arg, a);
    return 0;
}

/* MARK: reading inputs */

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}


static void log_warn(int level, const char *msg, void *payload)
{
    (void)level;
    cli_error("%s: %s", (const char *)payload, msg);
}

static int exit_for(const vocal_error *err)
{
    return err->code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
}

/* A file of tagged records (JSONL), or a partial aggregate (sniffed by its
 * first line). Bad record lines are reported and counted; the rest is read. */
static int read_input(vocal_agg *agg, const char *path)
{
    cli_lines l;
    if (cli_lines_open(&l, path) < 0) return EXIT_BAD;
    const char *shown = cli_display_path(path);
    char *line;
    size_t len;
    int r, st = EXIT_OK, first = 1;
    vocal_error err;
    while ((r = cli_lines_next(&l, &line, &len)) > 0) {
        if (first && vocal_agg_sniff(line, len)) {
            cli_lines_close(&l);
            vocal_agg *part;
            if (vocal_agg_load(&part, path, &err) < 0) {
                cli_print_error(&err);
                return exit_for(&err);
            }
            st = vocal_agg_merge(agg, part, &err) < 0 ? (cli_print_error(&err), exit_for(&err)) : EXIT_OK;
            vocal_agg_free(part);
            return st;
        }
        if (first && len >= 15 && memcmp(line, "SQLite format 3", 15) == 0) {
            /* a store from `vocal classify --db`, given as a records file */
            cli_error("%s: a SQLite store, not JSONL records: read it with --db %s", shown, shown);
            cli_lines_close(&l);
            return EXIT_BAD;
        }
        if (first && ends_with(path, ".agg")) {
            cli_error("%s: not an aggregate file (no '#vocal-aggregate' line)", shown);
            cli_lines_close(&l);
            return EXIT_BAD;
        }
        first = 0;
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
        if (i == len) continue; /* blank lines are not records */
        if (vocal_agg_add_json(agg, line, len, shown, l.lineno, &err) < 0) {
            /* the library counts bytes in the line; the file offset is more useful */
            if (err.byte != UINT64_MAX) err.byte += l.offset;
            if (err.code != VOCAL_EINPUT) {
                cli_print_error(&err);
                st = exit_for(&err);
                break;
            }
            cli_print_error(&err);
        }
    }
    if (r < 0) st = EXIT_BAD;
    cli_lines_close(&l);
    return st;
}

static int gather(vocal_agg **out, rep_args *a, int argc, char **argv, int first, const cli_cmd *cmd)
{
    vocal_error err;
    *out = NULL;
    if (first == argc && !a->db) return cli_bad_usage(cmd, "give input files, '-' for standard input, or --db FILE");
    if (a->n_runs && !a->db) return cli_bad_usage(cmd, "--run needs --db");
    vocal_agg *agg;
    if (vocal_agg_new(&agg, &a->ao, &err) < 0) {
        cli_print_error(&err);
        return exit_for(&err);
    }
    int st = EXIT_OK;
    if (a->db && vocal_agg_add_db(agg, a->db, a->runs, a->n_runs, log_warn, (void *)a->db, &err) < 0) {
        cli_print_error(&err);
        st = exit_for(&err);
    }
    for (int i = first; i < argc && st == EXIT_OK; i++) st = read_input(agg, argv[i]);
    if (st != EXIT_OK) {
        vocal_agg_free(agg);
        return st;
    }
    *out = agg;
    return EXIT_OK;
}

/* MARK: vocal aggregate */

static int aggregate_run(int argc, char **argv)
{
    rep_args a;
    memset(&a, 0, sizeof a);
    a.ao = (vocal_agg_options)VOCAL_AGG_OPTIONS_INIT;
    int first = cli_parse(&cmd_aggregate, argc, argv, aggregate_opt, &a);
    if (first < 0) return first == -2 ? EXIT_OK : EXIT_BAD;
    if (!a.out) return cli_bad_usage(&cmd_aggregate, "-o FILE is required");
    vocal_agg *agg;
    int st = gather(&agg, &a, argc, argv, first, &cmd_aggregate);
    if (st != EXIT_OK) return st;
    vocal_error err;
    uint64_t n, rej;
    vocal_agg_stats(agg, &n, &rej);
    if (vocal_agg_save(agg, a.out, &err) < 0) {
        cli_print_error(&err);
        st = err.code == VOCAL_EIO || err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    } else if (rej) {
        cli_error("aggregate: %llu records, %llu rejected -> %s", (unsigned long long)n, (unsigned long long)rej, a.out);
        if (a.strict) st = EXIT_BAD;
    }
    vocal_agg_free(agg);
    return st;
}

/* MARK: vocal report */

typedef struct labels {
    vocal_theme_label *v;
    char **own;
    size_t n, cap;
} labels;

/* `theme ID LABEL` lines of the taxonomy files (lexicons/themes/README.md);
 * only the labels are needed here, for parents the records do not label. */
static void load_labels(labels *L, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, ".themes")) continue;
        char path[8192];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) continue;
        FILE *f = fopen(path, "r");
        if (!f) continue;
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "theme ", 6) != 0) continue;
            line[strcspn(line, "\r\n")] = '\0';
            char *id = line + 6, *sp = strchr(id, ' ');
            if (!sp) continue;
            *sp = '\0';
            if (L->n == L->cap) {
                size_t cap = L->cap ? L->cap * 2 : 128;
                vocal_theme_label *v = realloc(L->v, cap * sizeof *v);
                if (!v) break;
                L->v = v;
                char **o = realloc(L->own, cap * 2 * sizeof *o);
                if (!o) break;
                L->own = o;
                L->cap = cap;
            }
            char *a = strdup(id), *b = strdup(sp + 1);
            if (!a || !b) {
                free(a);
                free(b);
                break;
            }
            L->own[2 * L->n] = a;
            L->own[2 * L->n + 1] = b;
            L->v[L->n].id = a;
            L->v[L->n].label = b;
            L->n++;
        }
        fclose(f);
    }
    closedir(d);
}

static void free_labels(labels *L)
{
    for (size_t i = 0; i < 2 * L->n; i++) free(L->own[i]);
    free(L->own);
    free(L->v);
}

static int write_out(const char *path, const char *data, size_t len)
{
    vocal_error err;
    if (vocal_write_file_atomic(path, data, len, &err) < 0) {
        cli_print_error(&err);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

static int render_to(const vocal_agg *agg, const vocal_report_options *o, const char *path)
{
    char *buf;
    size_t len;
    vocal_error err;
    if (vocal_report_render(&buf, &len, agg, o, &err) < 0) {
        cli_print_error(&err);
        return exit_for(&err);
    }
    int st = EXIT_OK;
    if (path) {
        st = write_out(path, buf, len);
    } else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("report: cannot write to standard output: %s", strerror(errno));
        st = EXIT_INTERNAL;
    }
    free(buf);
    return st;
}

/* csv without --table: one file per table in the directory -o */
static int render_csv_dir(const vocal_agg *agg, vocal_report_options o, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error("report: cannot create directory %s: %s", dir, strerror(errno));
        return EXIT_INTERNAL;
    }
    const char *const *names = vocal_report_tables();
    for (size_t i = 0; names[i]; i++) {
        char path[8192];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, names[i]) >= (int)sizeof path) return EXIT_BAD;
        o.table = names[i];
        int st = render_to(agg, &o, path);
        if (st != EXIT_OK) return st;
    }
    return EXIT_OK;
}

static void summary_line(const vocal_agg *agg, const char *out)
{
    /* the headline figures, from the JSON summary table's own numbers */
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    o.format = VOCAL_REPORT_CSV;
    o.table = "summary";
    char *buf;
    size_t len;
    if (vocal_report_render(&buf, &len, agg, &o, NULL) < 0) return;
    char nps[32] = "", lo[32] = "", hi[32] = "", neg[32] = "", recs[32] = "";
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        char *comma = strchr(line, ',');
        if (!comma) continue;
        *comma = '\0';
        const char *v = comma + 1;
        if (!strcmp(line, "nps")) snprintf(nps, sizeof nps, "%s", v);
        else if (!strcmp(line, "nps_low")) snprintf(lo, sizeof lo, "%s", v);
        else if (!strcmp(line, "nps_high")) snprintf(hi, sizeof hi, "%s", v);
        else if (!strcmp(line, "negative_pct")) snprintf(neg, sizeof neg, "%s", v);
        else if (!strcmp(line, "records")) snprintf(recs, sizeof recs, "%s", v);
    }
    printf("wrote %s: %s records", out, recs);
    if (nps[0]) printf(", NPS %s (95%% interval %s to %s)", nps, lo, hi);
    if (neg[0]) printf(", %s%% negative", neg);
    printf("\n");
    free(buf);
}

static int report_run(int argc, char **argv)
{
    rep_args a;
    memset(&a, 0, sizeof a);
    a.ao = (vocal_agg_options)VOCAL_AGG_OPTIONS_INIT;
    a.ro = (vocal_report_options)VOCAL_REPORT_OPTIONS_INIT;
    a.ro.format = VOCAL_REPORT_MD;
    int first = cli_parse(&cmd_report, argc, argv, report_opt, &a);
    if (first < 0) return first == -2 ? EXIT_OK : EXIT_BAD;
    if (!a.format_set && a.out) {
        if (ends_with(a.out, ".html") || ends_with(a.out, ".htm")) a.ro.format = VOCAL_REPORT_HTML;
        else if (ends_with(a.out, ".json")) a.ro.format = VOCAL_REPORT_JSON;
        else if (ends_with(a.out, ".csv") || (a.table && !ends_with(a.out, ".md"))) a.ro.format = VOCAL_REPORT_CSV;
        else if (ends_with(a.out, ".md") || ends_with(a.out, ".markdown")) a.ro.format = VOCAL_REPORT_MD;
        else return cli_bad_usage(&cmd_report, "cannot tell the format from '%s': give --format", a.out);
    }
    if (a.table && a.ro.format != VOCAL_REPORT_CSV) return cli_bad_usage(&cmd_report, "--table is for --format csv");
    if (a.ro.format == VOCAL_REPORT_CSV && !a.table && !a.out)
        return cli_bad_usage(&cmd_report, "csv without --table writes a directory: give -o DIR");
    if (a.table) {
        int found = 0;
        for (const char *const *n = vocal_report_tables(); *n; n++) found |= !strcmp(*n, a.table);
        if (!found) return cli_bad_usage(&cmd_report, "no table named '%s'", a.table);
    }
    vocal_agg *agg;
    int st = gather(&agg, &a, argc, argv, first, &cmd_report);
    if (st != EXIT_OK) return st;
    labels L;
    memset(&L, 0, sizeof L);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/lexicons/themes", cli_data_dir());
    load_labels(&L, a.themes_dir ? a.themes_dir : dir);
    a.ro.title = a.title;
    a.ro.table = a.table;
    a.ro.labels = L.v;
    a.ro.n_labels = L.n;
    if (a.ro.format == VOCAL_REPORT_CSV && !a.table) st = render_csv_dir(agg, a.ro, a.out);
    else st = render_to(agg, &a.ro, a.out);
    uint64_t n, rej;
    vocal_agg_stats(agg, &n, &rej);
    if (st == EXIT_OK && rej) {
        cli_error("report: %llu records, %llu rejected", (unsigned long long)n, (unsigned long long)rej);
        if (a.strict) st = EXIT_BAD;
    }
    if (st == EXIT_OK && a.out && !a.quiet) summary_line(agg, a.out);
    free_labels(&L);
    vocal_agg_free(agg);
    return st;
}

const cli_cmd cmd_aggregate = {
    "aggregate",
    "-o FILE [options] [FILE|-]... [--db STORE]",
    "sum tagged records into a partial aggregate that 'vocal report' merges",
    "Reads tagged records (vocal classify's JSONL: docs/format/records.md), earlier\n"
    "aggregates, or a SQLite store (--db), and writes their exact sums to FILE\n"
    "(docs/report.md). Aggregates of shards merge into the same report as one run\n"
    "over every record. A record line that cannot be read is reported with its\n"
    "file and line, counted, and skipped.",
    aggregate_opts,
    aggregate_run,
};

const cli_cmd cmd_report = {
    "report",
    "[-o FILE] [--format html|md|json|csv] [options] [FILE|-]... [--db STORE]",
    "write the feedback report: themes, sentiment, NPS/CSAT/CES, drivers, trends, verbatims",
    "Reads tagged records (JSONL), partial aggregates from 'vocal aggregate', or a\n"
    "SQLite store (--db), merges them and writes the report: one self-contained\n"
    "HTML file with charts, Markdown, JSON (docs/format/report-json.md) or CSV.\n"
    "Every figure is defined in docs/report.md. Files are written atomically.",
    report_opts,
    report_run,
};
