/* The text renderers (Markdown, JSON, CSV) and the entry point that builds
 * the tables and picks a renderer. HTML is in html.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define PUT(b, s) vocal__buf_put((b), (s), strlen(s))

static const char *const period_names[3] = {"day", "week", "month"};

/* MARK: JSON */

static int json_string_out(vocal__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    int rc = vocal__buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == VOCAL_OK; p++) {
        if (*p == '"' || *p == '\\') {
            rc = vocal__buf_putc(b, '\\');
            if (rc == VOCAL_OK) rc = vocal__buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            char e[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            if (*p == '\n') rc = PUT(b, "\\n");
            else if (*p == '\t') rc = PUT(b, "\\t");
            else if (*p == '\r') rc = PUT(b, "\\r");
            else rc = PUT(b, e);
        } else {
            rc = vocal__buf_putc(b, (char)*p);
        }
    }
    return rc == VOCAL_OK ? vocal__buf_putc(b, '"') : rc;
}

static int json_val(vocal__buf *b, const rp_val *v)
{
    if (v->t == RC_NULL) return PUT(b, "null");
    if (v->t == RC_STR) return json_string_out(b, v->s);
    return vocal__val_text(b, v);
}

int vocal__render_json(vocal__buf *b, const rp_report *r)
{
    int rc = PUT(b, "{\"vocal_report\":1,\"title\":");
    rc |= json_string_out(b, r->title);
    rc |= PUT(b, ",\"period\":");
    rc |= json_string_out(b, period_names[r->period]);
    rc |= PUT(b, ",\"tables\":{");
    for (int i = 0; i < T_NTABLES; i++) {
        const rp_table *t = &r->t[i];
        rc |= PUT(b, i ? ",\n" : "\n");
        rc |= json_string_out(b, t->name);
        rc |= PUT(b, ":{\"title\":");
        rc |= json_string_out(b, t->title);
        rc |= PUT(b, ",\"columns\":[");
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) rc |= vocal__buf_putc(b, ',');
            rc |= json_string_out(b, t->cols[c]);
        }
        rc |= PUT(b, "],\"rows\":[");
        for (size_t row = 0; row < t->nrows; row++) {
            rc |= PUT(b, row ? ",\n[" : "\n[");
            for (size_t c = 0; c < t->ncols; c++) {
                if (c) rc |= vocal__buf_putc(b, ',');
                rc |= json_val(b, vocal__cell(t, row, c));
            }
            rc |= vocal__buf_putc(b, ']');
        }
        rc |= PUT(b, "]}");
    }
    rc |= PUT(b, "}}\n");
    return rc ? VOCAL_ENOMEM : VOCAL_OK;
}

/* MARK: CSV (RFC 4180 quoting, LF line ends) */

static int csv_field(vocal__buf *b, const rp_val *v)
{
    if (v->t != RC_STR) return vocal__val_text(b, v);
    if (!strpbrk(v->s, ",\"\r\n")) return PUT(b, v->s);
    int rc = vocal__buf_putc(b, '"');
    for (const char *p = v->s; *p; p++) {
        if (*p == '"') rc |= vocal__buf_putc(b, '"');
        rc |= vocal__buf_putc(b, *p);
    }
    return rc | vocal__buf_putc(b, '"');
}

int vocal__render_csv(vocal__buf *b, const rp_table *t)
{
    int rc = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) rc |= vocal__buf_putc(b, ',');
        rc |= PUT(b, t->cols[c]);
    }
    rc |= vocal__buf_putc(b, '\n');
    for (size_t row = 0; row < t->nrows; row++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) rc |= vocal__buf_putc(b, ',');
            rc |= csv_field(b, vocal__cell(t, row, c));
        }
        rc |= vocal__buf_putc(b, '\n');
    }
    return rc ? VOCAL_ENOMEM : VOCAL_OK;
}

/* MARK: Markdown */

static int md_cell(vocal__buf *b, const rp_val *v)
{
    if (v->t != RC_STR) return vocal__val_text(b, v);
    int rc = 0;
    for (const char *p = v->s; *p; p++) {
        if (*p == '|' || *p == '\\' || *p == '*' || *p == '_' || *p == '`' || *p == '<' || *p == '[')
            rc |= vocal__buf_putc(b, '\\');
        rc |= vocal__buf_putc(b, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    }
    return rc;
}

static int md_table(vocal__buf *b, const rp_table *t)
{
    int rc = PUT(b, "\n## ");
    rc |= PUT(b, t->title);
    rc |= PUT(b, "\n\n");
    if (!t->nrows) return rc | PUT(b, "No data.\n");
    rc |= PUT(b, "|");
    for (size_t c = 0; c < t->ncols; c++) {
        rc |= PUT(b, " ");
        rc |= PUT(b, t->cols[c]);
        rc |= PUT(b, " |");
    }
    rc |= PUT(b, "\n|");
    for (size_t c = 0; c < t->ncols; c++) rc |= PUT(b, "---|");
    rc |= PUT(b, "\n");
    for (size_t row = 0; row < t->nrows; row++) {
        rc |= PUT(b, "|");
        for (size_t c = 0; c < t->ncols; c++) {
            rc |= PUT(b, " ");
            rc |= md_cell(b, vocal__cell(t, row, c));
            rc |= PUT(b, " |");
        }
        rc |= PUT(b, "\n");
    }
    return rc;
}

static const rp_val *md_col(const rp_table *t, size_t row, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c], name) == 0) return vocal__cell(t, row, c);
    return NULL;
}

/* the headline: figures, then the root causes to fix first (as the HTML header) */
static int md_headline(vocal__buf *b, const rp_report *r)
{
    static const char *const pw[3] = {"day", "week", "month"};
    char line[512];
    int rc = 0, n = snprintf(line, sizeof line, "%llu record%s", (unsigned long long)r->records,
                             r->records == 1 ? "" : "s");
    if (r->first_date[0])
        n += snprintf(line + n, sizeof line - (size_t)n, ", %s to %s (trends by %s)", r->first_date, r->last_date,
                      pw[r->period]);
    if (r->rejected) n += snprintf(line + n, sizeof line - (size_t)n, "; %llu line%s could not be read",
                                   (unsigned long long)r->rejected, r->rejected == 1 ? "" : "s");
    snprintf(line + n, sizeof line - (size_t)n, ".\n\n");
    rc |= PUT(b, line);
    if (r->records) {
        n = 0;
        if (r->has_nps)
            n += snprintf(line + n, sizeof line - (size_t)n, "**NPS %.1f** (95%% interval %.1f to %.1f, %lld responses) · ",
                          r->nps, r->nps_lo, r->nps_hi, (long long)r->nps_n);
        n += snprintf(line + n, sizeof line - (size_t)n, "**%.1f%% negative**", r->neg_pct);
        if (r->has_csat) n += snprintf(line + n, sizeof line - (size_t)n, " · CSAT %.1f%% top-two-box", r->csat);
        if (r->has_ces) n += snprintf(line + n, sizeof line - (size_t)n, " · CES %.2f", r->ces);
        snprintf(line + n, sizeof line - (size_t)n, "\n");
        rc |= PUT(b, line);
    }
    const rp_table *d = &r->t[T_DRIVERS];
    int shown = 0;
    for (size_t i = 0; i < d->nrows && shown < 3; i++) {
        const rp_val *neg = md_col(d, i, "negative_pct"), *lab = md_col(d, i, "label");
        const rp_val *negs = md_col(d, i, "negative"), *imp = md_col(d, i, "nps_impact");
        const rp_val *ch = md_col(d, i, "change_pts"), *fl = md_col(d, i, "flag");
        if (neg->t != RC_NUM || neg->d < 50) continue;
        if (!shown++) rc |= PUT(b, "\n**Top root causes to fix first**\n\n");
        n = snprintf(line, sizeof line, "%d. ", shown);
        rc |= PUT(b, line);
        rc |= md_cell(b, lab);
        n = snprintf(line, sizeof line, " — %lld negative mentions, NPS impact %.1f pts", (long long)negs->i,
                     imp->t == RC_NUM ? imp->d : 0.0);
        if (ch->t == RC_NUM)
            n += snprintf(line + n, sizeof line - (size_t)n, "; share %+.1f pts vs previous %s%s", ch->d,
                          pw[r->period], fl->t == RC_STR && fl->s[0] ? " (significant)" : " (within noise)");
        snprintf(line + n, sizeof line - (size_t)n, "\n");
        rc |= PUT(b, line);
    }
    return rc;
}

int vocal__render_md(vocal__buf *b, const rp_report *r)
{
    rp_val title = {RC_STR, 0, 0, 0, (char *)r->title};
    int rc = PUT(b, "# ");
    rc |= md_cell(b, &title);
    rc |= PUT(b, "\n\n");
    rc |= md_headline(b, r);
    for (int i = 1; i < T_NTABLES; i++) rc |= md_table(b, &r->t[i]);
    return rc ? VOCAL_ENOMEM : VOCAL_OK;
}

/* MARK: entry point */

int vocal_report_render(char **out, size_t *len, const vocal_agg *a, const vocal_report_options *o,
                        vocal_error *err)
{
    static const vocal_report_options def = VOCAL_REPORT_OPTIONS_INIT;
    *out = NULL;
    *len = 0;
    if (!o) o = &def;
    if ((unsigned)o->format > VOCAL_REPORT_CSV || (unsigned)o->period > VOCAL_PERIOD_MONTH || o->by > 7u)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "bad report option");
    int table = T_SUMMARY;
    if (o->format == VOCAL_REPORT_CSV && o->table) {
        table = vocal__lookup(o->table, vocal_report_tables(), T_NTABLES);
        if (table < 0) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "no table named '%s'", o->table);
    }
    rp_report r;
    int rc = vocal__report_build(&r, a, o, err);
    if (rc < 0) return rc;
    vocal__buf b = {0};
    switch (o->format) {
    case VOCAL_REPORT_HTML: rc = vocal__render_html(&b, &r, err); break;
    case VOCAL_REPORT_MD: rc = vocal__render_md(&b, &r); break;
    case VOCAL_REPORT_JSON: rc = vocal__render_json(&b, &r); break;
    case VOCAL_REPORT_CSV: rc = vocal__render_csv(&b, &r.t[table]); break;
    }
    vocal__report_free(&r);
    if (rc == VOCAL_OK && vocal__buf_putc(&b, '\0') < 0) rc = VOCAL_ENOMEM;
    if (rc < 0) {
        vocal__buf_free(&b);
        return rc == VOCAL_ENOMEM ? vocal__err_oom(err) : rc;
    }
    *out = b.p;
    *len = b.len - 1;
    return VOCAL_OK;
}
