/* The HTML report: one self-contained file, built as a libxml2 tree and
 * saved as polyglot XHTML5 (XML_SAVE_XHTML), so that it is well-formed XML
 * that browsers read as HTML, and every text is escaped by libxml2, never
 * by hand. Charts are inline SVG drawn here; each is followed by the table
 * of its data. No script, no external asset: it works offline and prints.
 * Colours: the Okabe-Ito palette (safe for colour-blind readers), with
 * negative always vermillion and positive always bluish green. */
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SVG_NS "http://www.w3.org/2000/svg"
#define C_NEG "#D55E00"
#define C_POS "#009E73"
#define C_NEU "#B8BEC6"
#define C_MIX "#E69F00"
#define C_BLUE "#0072B2"
#define C_SKY "#56B4E9"
#define C_INK "#1F2933"
#define C_MUTED "#5B6770"
#define C_GRID "#E3E7EB"

/* CSS without '<', '>' or '&': XML escaping of those would break a style
 * element read as HTML (raw text). */
static const char css[] =
    ":root{--ink:#1F2933;--muted:#5B6770;--line:#E3E7EB;--bg:#F6F7F9;--card:#FFFFFF;--blue:#0072B2;"
    "--neg:#D55E00;--pos:#009E73}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Helvetica Neue',Arial,sans-serif;-webkit-font-smoothing:antialiased}"
    ".wrap{max-width:1080px;margin:0 auto;padding:0 28px}"
    "header.hero{background:linear-gradient(135deg,#0B3C5D 0%,#0072B2 100%);color:#fff;padding:36px 0 28px}"
    ".eyebrow{margin:0;text-transform:uppercase;letter-spacing:.12em;font-size:12px;opacity:.8}"
    "h1{margin:6px 0 4px;font-size:30px;font-weight:650;letter-spacing:-.01em}"
    ".meta{margin:0 0 22px;opacity:.85}"
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:14px}"
    ".kpi{background:rgba(255,255,255,.1);border:1px solid rgba(255,255,255,.22);border-radius:12px;padding:14px 16px}"
    ".kpi .label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;opacity:.85}"
    ".kpi .value{font-size:34px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}"
    ".kpi .note{font-size:12.5px;opacity:.85}"
    ".causes{margin-top:18px;background:#fff;color:var(--ink);border-radius:12px;padding:16px 20px}"
    ".causes h2{margin:0 0 8px;font-size:15px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}"
    ".causes ol{margin:0;padding-left:22px}.causes li{margin:4px 0}"
    ".up{color:var(--neg);font-weight:600}.down{color:var(--pos);font-weight:600}.flat{color:var(--muted)}"
    "main{padding:10px 0 40px}"
    "section{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:22px 26px;margin:22px 0;"
    "break-inside:avoid-page}"
    "section h2{margin:0 0 4px;font-size:20px;letter-spacing:-.005em}"
    ".lede{margin:0 0 14px;color:var(--muted)}"
    "figure{margin:12px 0 18px}figcaption{font-weight:600;margin-bottom:6px}"
    "svg{display:block;width:100%;height:auto;max-width:100%;font-family:inherit}"
    ".legend{display:flex;gap:16px;flex-wrap:wrap;font-size:13px;color:var(--muted);margin:4px 0 0}"
    ".sw{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;vertical-align:-1px}"
    "table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums;margin-top:8px}"
    "caption{text-align:left;color:var(--muted);font-size:12px;padding-bottom:4px}"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}"
    "th{font-weight:600;color:var(--muted);background:#FAFBFC}"
    "th:first-child,td:first-child,td.t,th.t{text-align:left}th.sub{padding-left:26px;font-weight:400}"
    ".data{max-height:340px;overflow:auto;border:1px solid var(--line);border-radius:8px;margin:8px 0 18px}"
    ".data table{margin:0}"
    ".quotes{display:grid;grid-template-columns:1fr 1fr;gap:14px}"
    ".theme-q{border:1px solid var(--line);border-radius:12px;padding:14px 16px;break-inside:avoid}"
    ".theme-q h3{margin:0 0 10px;font-size:15px}.theme-q blockquote+blockquote{margin-top:10px}"
    "blockquote{margin:0;padding:12px 14px;border-radius:10px;background:#FAFBFC;border-left:4px solid var(--muted)}"
    "blockquote.pos{border-left-color:var(--pos)}blockquote.neg{border-left-color:var(--neg)}"
    "blockquote p{margin:0 0 6px}blockquote footer{font-size:12px;color:var(--muted)}"
    ".empty{color:var(--muted);font-style:italic}"
    "footer.site{color:var(--muted);font-size:12.5px;padding:0 0 40px}"
    "dl.defs{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;font-size:13.5px}"
    "dl.defs dt{font-weight:600}dl.defs dd{margin:0;color:var(--muted)}"
    "@media (max-width:720px){.quotes{grid-template-columns:1fr}}"
    "@media print{body{background:#fff;font-size:11pt}header.hero{background:#fff;color:var(--ink);"
    "padding:0 0 12px;border-bottom:2px solid var(--ink)}.kpi{border-color:#999}.causes{border:1px solid #999}"
    "section{border:none;padding:8px 0;margin:10px 0}.data{max-height:none;overflow:visible;border:none}"
    "a{color:inherit}}";

typedef struct hctx {
    xmlDocPtr doc;
    xmlNsPtr svg_ns;
    const rp_report *r;
    int chart_id;
    int oom;
} hctx;

/* MARK: tree helpers */

/* XML 1.0 forbids most C0 controls; a verbatim may hold them (JSON \u0001) */
static void clean_text(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s && *s && i + 1 < cap; s++, i++) {
        unsigned char c = (unsigned char)*s;
        dst[i] = c < 0x20 && c != '\n' && c != '\t' ? ' ' : (char)c;
    }
    /* do not cut a UTF-8 sequence in half */
    if (s && *s && ((unsigned char)*s & 0xC0) == 0x80) {
        while (i > 0 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80) i--;
        if (i > 0) i--;
    }
    dst[i] = '\0';
}

static xmlNodePtr el(hctx *h, xmlNodePtr parent, const char *name, const char *txt)
{
    char small[512], *buf = small;
    size_t n = txt ? strlen(txt) + 1 : 0;
    if (n > sizeof small && !(buf = vocal__malloc(n))) {
        h->oom = 1;
        return NULL;
    }
    if (txt) clean_text(buf, n, txt);
    xmlNodePtr node = xmlNewTextChild(parent, NULL, BAD_CAST name, txt ? BAD_CAST buf : NULL);
    if (buf != small) vocal__free(buf);
    if (!node) h->oom = 1;
    return node;
}

static xmlNodePtr elf(hctx *h, xmlNodePtr parent, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static xmlNodePtr elf(hctx *h, xmlNodePtr parent, const char *name, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return el(h, parent, name, buf);
}

static void attr(hctx *h, xmlNodePtr n, const char *name, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void attr(hctx *h, xmlNodePtr n, const char *name, const char *fmt, ...)
{
    if (!n) return;
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char clean[4096];
    clean_text(clean, sizeof clean, buf);
    if (!xmlNewProp(n, BAD_CAST name, BAD_CAST clean)) h->oom = 1;
}

static void text(hctx *h, xmlNodePtr n, const char *s)
{
    char buf[1024];
    clean_text(buf, sizeof buf, s);
    xmlNodePtr t = xmlNewText(BAD_CAST buf);
    if (!t || !xmlAddChild(n, t)) h->oom = 1;
}

static xmlNodePtr svg_el(hctx *h, xmlNodePtr parent, const char *name, const char *txt)
{
    char buf[512];
    if (txt) clean_text(buf, sizeof buf, txt);
    xmlNodePtr n = xmlNewTextChild(parent, h->svg_ns, BAD_CAST name, txt ? BAD_CAST buf : NULL);
    if (!n) h->oom = 1;
    return n;
}

static void rect(hctx *h, xmlNodePtr g, double x, double y, double w, double hh, const char *fill, const char *tip)
{
    xmlNodePtr n = svg_el(h, g, "rect", NULL);
    attr(h, n, "x", "%.1f", x);
    attr(h, n, "y", "%.1f", y);
    attr(h, n, "width", "%.1f", w > 0 ? w : 0);
    attr(h, n, "height", "%.1f", hh);
    attr(h, n, "rx", "2");
    attr(h, n, "fill", "%s", fill);
    if (tip) svg_el(h, n, "title", tip);
}

static void line(hctx *h, xmlNodePtr g, double x1, double y1, double x2, double y2, const char *stroke, double w,
                 const char *dash)
{
    xmlNodePtr n = svg_el(h, g, "line", NULL);
    attr(h, n, "x1", "%.1f", x1);
    attr(h, n, "y1", "%.1f", y1);
    attr(h, n, "x2", "%.1f", x2);
    attr(h, n, "y2", "%.1f", y2);
    attr(h, n, "stroke", "%s", stroke);
    attr(h, n, "stroke-width", "%.1f", w);
    if (dash) attr(h, n, "stroke-dasharray", "%s", dash);
}

static void label(hctx *h, xmlNodePtr g, double x, double y, const char *anchor, const char *fill, double size,
                  int bold, const char *s)
{
    xmlNodePtr n = svg_el(h, g, "text", s);
    attr(h, n, "x", "%.1f", x);
    attr(h, n, "y", "%.1f", y);
    attr(h, n, "text-anchor", "%s", anchor);
    attr(h, n, "fill", "%s", fill);
    attr(h, n, "font-size", "%.1f", size);
    if (bold) attr(h, n, "font-weight", "600");
}

/* an <svg> in a <figure> with a caption; returns the svg */
static xmlNodePtr chart(hctx *h, xmlNodePtr parent, const char *title, const char *desc, double w, double hgt,
                        xmlNodePtr *fig_out)
{
    xmlNodePtr fig = el(h, parent, "figure", NULL);
    elf(h, fig, "figcaption", "%s", title);
    xmlNodePtr svg = xmlNewChild(fig, NULL, BAD_CAST "svg", NULL);
    if (!svg) {
        h->oom = 1;
        return NULL;
    }
    xmlNsPtr ns = xmlNewNs(svg, BAD_CAST SVG_NS, NULL);
    xmlSetNs(svg, ns);
    h->svg_ns = ns;
    int id = ++h->chart_id;
    attr(h, svg, "viewBox", "0 0 %.0f %.0f", w, hgt);
    attr(h, svg, "role", "img");
    attr(h, svg, "aria-labelledby", "c%d-t c%d-d", id, id);
    xmlNodePtr t = svg_el(h, svg, "title", title);
    attr(h, t, "id", "c%d-t", id);
    xmlNodePtr d = svg_el(h, svg, "desc", desc);
    attr(h, d, "id", "c%d-d", id);
    if (fig_out) *fig_out = fig;
    return svg;
}

static double nice_step(double range, int ticks)
{
    if (!(range > 0)) return 1;
    double raw = range / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* MARK: table access */

static int col(const rp_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c], name) == 0) return (int)c;
    return -1;
}

static double num(const rp_table *t, size_t row, const char *name)
{
    const rp_val *v = vocal__cell(t, row, (size_t)col(t, name));
    return v->t == RC_NUM ? v->d : v->t == RC_INT ? (double)v->i : NAN;
}

static const char *str(const rp_table *t, size_t row, const char *name)
{
    const rp_val *v = vocal__cell(t, row, (size_t)col(t, name));
    return v->t == RC_STR ? v->s : "";
}

/* A data table of some columns of t (rows where keep() is true, if given). */
static void data_table(hctx *h, xmlNodePtr parent, const rp_table *t, const char *caption,
                       const char *const *cols, const char *const *heads, size_t n, const char *filter_col,
                       const char *filter_val, size_t max_rows)
{
    xmlNodePtr wrap = el(h, parent, "div", NULL);
    attr(h, wrap, "class", "data");
    xmlNodePtr tb = el(h, wrap, "table", NULL);
    el(h, tb, "caption", caption);
    xmlNodePtr tr = el(h, el(h, tb, "thead", NULL), "tr", NULL);
    for (size_t c = 0; c < n; c++) {
        xmlNodePtr th = el(h, tr, "th", heads[c]);
        attr(h, th, "scope", "col");
        /* text columns are left-aligned, headers included */
        if (c && t->nrows && vocal__cell(t, 0, (size_t)col(t, cols[c]))->t == RC_STR) attr(h, th, "class", "t");
    }
    xmlNodePtr body = el(h, tb, "tbody", NULL);
    size_t shown = 0;
    for (size_t row = 0; row < t->nrows && shown < max_rows; row++) {
        if (filter_col && strcmp(str(t, row, filter_col), filter_val) != 0) continue;
        shown++;
        tr = el(h, body, "tr", NULL);
        for (size_t c = 0; c < n; c++) {
            vocal__buf b = {0};
            const rp_val *v = vocal__cell(t, row, (size_t)col(t, cols[c]));
            if (vocal__val_text(&b, v) < 0 || vocal__buf_putc(&b, '\0') < 0) h->oom = 1;
            const char *show = b.p && b.p[0] ? b.p : "–";
            size_t cl = strlen(cols[c]);
            if (cl >= 4 && strcmp(cols[c] + cl - 4, "flag") == 0 && v->t == RC_STR)
                show = !strcmp(v->s, "up") ? "▲ up" : !strcmp(v->s, "down") ? "▼ down" : "–";
            xmlNodePtr td = el(h, tr, c == 0 ? "th" : "td", show);
            if (c == 0) attr(h, td, "scope", "row");
            if (c == 0 && col(t, "level") >= 0 && num(t, row, "level") > 0) attr(h, td, "class", "sub");
            if (v->t == RC_STR && c) attr(h, td, "class", "t");
            vocal__buf_free(&b);
        }
    }
    if (!shown) {
        tr = el(h, body, "tr", NULL);
        xmlNodePtr td = el(h, tr, "td", "No data.");
        attr(h, td, "colspan", "%zu", n);
    }
}

static void fmt_signed(char *buf, size_t cap, double v, int dec)
{
    if (!isfinite(v)) snprintf(buf, cap, "–");
    else snprintf(buf, cap, "%s%.*f", v > 0 ? "+" : v < 0 ? "−" : "", dec, fabs(v));
}

/* MARK: header */

static void kpi(hctx *h, xmlNodePtr grid, const char *lab, const char *value, const char *note, const char *id)
{
    xmlNodePtr k = el(h, grid, "div", NULL);
    attr(h, k, "class", "kpi");
    xmlNodePtr l = el(h, k, "div", lab);
    attr(h, l, "class", "label");
    xmlNodePtr v = el(h, k, "div", value);
    attr(h, v, "class", "value");
    attr(h, v, "id", "%s", id);
    xmlNodePtr n = el(h, k, "div", note);
    attr(h, n, "class", "note");
}

static const char *period_word(vocal_period p)
{
    return p == VOCAL_PERIOD_DAY ? "day" : p == VOCAL_PERIOD_WEEK ? "week" : "month";
}

static void header(hctx *h, xmlNodePtr body)
{
    const rp_report *r = h->r;
    xmlNodePtr hd = el(h, body, "header", NULL);
    attr(h, hd, "class", "hero");
    xmlNodePtr w = el(h, hd, "div", NULL);
    attr(h, w, "class", "wrap");
    xmlNodePtr p = el(h, w, "p", "Voice of the customer · vocal report");
    attr(h, p, "class", "eyebrow");
    el(h, w, "h1", r->title);
    char meta[256];
    if (r->first_date[0])
        snprintf(meta, sizeof meta, "%llu record%s · %s to %s · trends by %s", (unsigned long long)r->records,
                 r->records == 1 ? "" : "s", r->first_date, r->last_date, period_word(r->period));
    else
        snprintf(meta, sizeof meta, "%llu records · no dates", (unsigned long long)r->records);
    p = el(h, w, "p", meta);
    attr(h, p, "class", "meta");
    xmlNodePtr grid = el(h, w, "div", NULL);
    attr(h, grid, "class", "kpis");
    char v[64], note[160];
    if (r->has_nps) {
        fmt_signed(v, sizeof v, r->nps, 1);
        snprintf(note, sizeof note, "±%.1f · 95%% interval %.1f to %.1f · %lld responses",
                 (r->nps_hi - r->nps_lo) / 2, r->nps_lo, r->nps_hi, (long long)r->nps_n);
        kpi(h, grid, "Net Promoter Score", v, note, "kpi-nps");
    }
    snprintf(v, sizeof v, "%.1f%%", isfinite(r->neg_pct) ? r->neg_pct : 0);
    kpi(h, grid, "Negative feedback", v, "share of comments with negative sentiment", "kpi-negative");
    if (r->has_csat) {
        snprintf(v, sizeof v, "%.1f%%", r->csat);
        kpi(h, grid, "CSAT", v, "top-two-box share of satisfied customers", "kpi-csat");
    }
    if (r->has_ces) {
        snprintf(v, sizeof v, "%.2f", r->ces);
        kpi(h, grid, "Customer effort", v, "mean effort score (lower is easier)", "kpi-ces");
    }
    snprintf(v, sizeof v, "%llu", (unsigned long long)r->records);
    /* responses without a comment count for NPS, CSAT and CES only */
    int nc = r->comments >= 0 && (uint64_t)r->comments < r->records;
    if (r->rejected)
        snprintf(note, sizeof note, "%llu line%s could not be read", (unsigned long long)r->rejected,
                 r->rejected == 1 ? "" : "s");
    else if (nc)
        snprintf(note, sizeof note, "%lld with a comment", (long long)r->comments);
    kpi(h, grid, "Records", v, r->rejected || nc ? note : "all input lines read", "kpi-records");
    /* top root causes: the first drivers with a negative mention */
    const rp_table *d = &r->t[T_DRIVERS];
    xmlNodePtr box = el(h, w, "div", NULL);
    attr(h, box, "class", "causes");
    el(h, box, "h2", "Top root causes to fix first");
    xmlNodePtr ol = el(h, box, "ol", NULL);
    size_t shown = 0;
    for (size_t i = 0; i < d->nrows && shown < 3; i++) {
        if (!(num(d, i, "negative_pct") >= 50)) continue;
        shown++;
        xmlNodePtr li = el(h, ol, "li", NULL);
        el(h, li, "strong", str(d, i, "label"));
        char s[256], ch[32];
        snprintf(s, sizeof s, " — %.0f negative mentions, NPS impact %s pts", num(d, i, "negative"),
                 isfinite(num(d, i, "nps_impact")) ? "" : "–");
        fmt_signed(ch, sizeof ch, num(d, i, "nps_impact"), 1);
        if (isfinite(num(d, i, "nps_impact")))
            snprintf(s, sizeof s, " — %.0f negative mentions · NPS would rise %s pts without its detractors",
                     num(d, i, "negative"), ch);
        text(h, li, s);
        double change = num(d, i, "change_pts");
        if (isfinite(change)) {
            const char *flag = str(d, i, "flag");
            fmt_signed(ch, sizeof ch, change, 1);
            snprintf(s, sizeof s, " · %s pts vs previous %s%s", ch, period_word(r->period),
                     flag[0] ? (strcmp(flag, "up") == 0 ? " ▲ significant" : " ▼ significant") : " (within noise)");
            xmlNodePtr sp = el(h, li, "span", s);
            attr(h, sp, "class", "%s", flag[0] ? flag : "flat");
        }
    }
    if (!shown) el(h, ol, "li", "No negative themes found.");
}

/* MARK: charts */

/* horizontal bars: labels[i], values[i] >= 0 */
static void hbars(hctx *h, xmlNodePtr sec, const char *title, const char *desc, const char *axis,
                  const char *const *labels, const double *values, size_t n, const char *fill, int dec,
                  const char *suffix)
{
    double W = 760, left = 210, right = 60, rowh = 30, top = 10;
    double H = top + rowh * (double)(n ? n : 1) + 46;
    xmlNodePtr svg = chart(h, sec, title, desc, W, H, NULL);
    if (!svg) return;
    double max = 0;
    for (size_t i = 0; i < n; i++) max = fmax(max, values[i]);
    double step = nice_step(max, 4), top_v = step * ceil(max / step);
    if (!(top_v > 0)) top_v = step;
    double pw = W - left - right, base = top + rowh * (double)(n ? n : 1);
    for (double t = 0; t <= top_v + 1e-9; t += step) {
        double x = left + pw * t / top_v;
        char b[32];
        snprintf(b, sizeof b, "%g", t);
        line(h, svg, x, top, x, base, C_GRID, 1, NULL);
        label(h, svg, x, base + 16, "middle", C_MUTED, 11, 0, b);
    }
    label(h, svg, left + pw / 2, base + 36, "middle", C_MUTED, 12, 0, axis);
    for (size_t i = 0; i < n; i++) {
        double y = top + rowh * (double)i, w = pw * values[i] / top_v;
        char tip[300], val[48];
        snprintf(val, sizeof val, "%.*f%s", dec, values[i], suffix);
        snprintf(tip, sizeof tip, "%s: %s", labels[i], val);
        char lab[64];
        snprintf(lab, sizeof lab, "%.30s%s", labels[i], strlen(labels[i]) > 30 ? "…" : "");
        label(h, svg, left - 10, y + rowh / 2 + 4, "end", C_INK, 13, 0, lab);
        rect(h, svg, left, y + 5, w, rowh - 10, fill, tip);
        label(h, svg, left + w + 6, y + rowh / 2 + 4, "start", C_INK, 12, 1, val);
    }
    if (!n) label(h, svg, left + pw / 2, top + 20, "middle", C_MUTED, 13, 0, "No data");
    line(h, svg, left, top, left, base, C_MUTED, 1, NULL);
}

static void legend(hctx *h, xmlNodePtr parent, const char *const *names, const char *const *colours, size_t n)
{
    xmlNodePtr d = el(h, parent, "div", NULL);
    attr(h, d, "class", "legend");
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr s = el(h, d, "span", NULL);
        xmlNodePtr sw = el(h, s, "span", " ");
        attr(h, sw, "class", "sw");
        attr(h, sw, "style", "background:%s", colours[i]);
        text(h, s, names[i]);
    }
}

static void themes_section(hctx *h, xmlNodePtr main)
{
    const rp_table *t = &h->r->t[T_THEMES];
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "themes");
    el(h, sec, "h2", "What customers talk about");
    xmlNodePtr p = el(h, sec, "p", "Share of comments that mention each topic; a topic counts a comment once, whatever "
                                   "sub-themes it mentions.");
    attr(h, p, "class", "lede");
    const char *labels[12];
    double values[12];
    size_t n = 0;
    for (size_t i = 0; i < t->nrows && n < 12; i++)
        if (num(t, i, "level") == 0) {
            labels[n] = str(t, i, "label");
            values[n++] = num(t, i, "share_pct");
        }
    hbars(h, sec, "Top topics by share of comments", "Horizontal bars: percent of comments mentioning each topic.",
          "% of comments", labels, values, n, C_BLUE, 1, "%");
    static const char *const cols[] = {"label", "level", "mentions", "share_pct", "positive", "negative", "neutral",
                                       "root_causes", "nps"};
    static const char *const heads[] = {"Theme", "Level", "Mentions", "% of comments", "Positive", "Negative",
                                        "Neutral", "Root cause", "NPS"};
    data_table(h, sec, t, "Every theme, parents first (their counts include their sub-themes)", cols, heads, 9, NULL,
               NULL, 1000);
}

static void sentiment_section(hctx *h, xmlNodePtr main)
{
    const rp_report *r = h->r;
    const rp_table *t = &r->t[T_DRIVERS], *th = &r->t[T_THEMES];
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "sentiment");
    el(h, sec, "h2", "How customers feel about each theme");
    xmlNodePtr p = el(h, sec, "p", "Mentions of each of the most frequent themes by polarity: negative to the left, "
                                   "positive to the right of the centre line.");
    attr(h, p, "class", "lede");
    /* the top themes, by mentions: theme_periods lists them in that order,
     * but without periods it is empty, so take the themes table's leaves */
    size_t idx[12], n = 0;
    for (size_t i = 0; i < t->nrows && n < 12; i++) idx[n++] = i;
    /* order by mentions desc, then theme id, as everywhere */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            double a = num(t, idx[j], "mentions"), b = num(t, idx[j - 1], "mentions");
            if (a > b || (a == b && strcmp(str(t, idx[j], "theme"), str(t, idx[j - 1], "theme")) < 0)) {
                size_t x = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = x;
            } else {
                break;
            }
        }
    if (n > 10) n = 10;
    double W = 760, mid = 480, half = 240, rowh = 30, top = 10, maxv = 1;
    double H = top + rowh * (double)(n ? n : 1) + 46;
    for (size_t i = 0; i < n; i++) {
        size_t row = 0;
        for (; row < th->nrows && strcmp(str(th, row, "theme"), str(t, idx[i], "theme")) != 0; row++) {}
        if (row < th->nrows) maxv = fmax(maxv, fmax(num(th, row, "negative"), num(th, row, "positive")));
    }
    double step = nice_step(maxv, 3), topv = step * ceil(maxv / step);
    xmlNodePtr svg = chart(h, sec, "Negative and positive mentions by theme",
                           "Diverging bars: negative mentions extend left of the centre, positive mentions right.", W,
                           H, NULL);
    if (!svg) return;
    double base = top + rowh * (double)(n ? n : 1);
    double left_edge = mid - half + 20;
    double scale = (half - 40) / topv;
    for (double v = 0; v <= topv + 1e-9; v += step) {
        char b[32];
        snprintf(b, sizeof b, "%g", v);
        line(h, svg, mid - v * scale, top, mid - v * scale, base, C_GRID, 1, NULL);
        line(h, svg, mid + v * scale, top, mid + v * scale, base, C_GRID, 1, NULL);
        label(h, svg, mid - v * scale, base + 16, "middle", C_MUTED, 11, 0, b);
        if (v > 0) label(h, svg, mid + v * scale, base + 16, "middle", C_MUTED, 11, 0, b);
    }
    label(h, svg, mid - half / 2, base + 36, "middle", C_NEG, 12, 1, "◀ negative mentions");
    label(h, svg, mid + half / 2, base + 36, "middle", C_POS, 12, 1, "positive mentions ▶");
    for (size_t i = 0; i < n; i++) {
        size_t row = 0;
        for (; row < th->nrows && strcmp(str(th, row, "theme"), str(t, idx[i], "theme")) != 0; row++) {}
        if (row == th->nrows) continue;
        double neg = num(th, row, "negative"), pos = num(th, row, "positive"), y = top + rowh * (double)i;
        char tip[300], lab[64], b[32];
        snprintf(lab, sizeof lab, "%.30s%s", str(th, row, "label"), strlen(str(th, row, "label")) > 30 ? "…" : "");
        label(h, svg, left_edge - 30, y + rowh / 2 + 4, "end", C_INK, 13, 0, lab);
        snprintf(tip, sizeof tip, "%s: %.0f negative", str(th, row, "label"), neg);
        rect(h, svg, mid - neg * scale, y + 5, neg * scale, rowh - 10, C_NEG, tip);
        snprintf(tip, sizeof tip, "%s: %.0f positive", str(th, row, "label"), pos);
        rect(h, svg, mid, y + 5, pos * scale, rowh - 10, C_POS, tip);
        if (neg > 0) {
            snprintf(b, sizeof b, "%.0f", neg);
            label(h, svg, mid - neg * scale - 5, y + rowh / 2 + 4, "end", C_INK, 11, 1, b);
        }
        if (pos > 0) {
            snprintf(b, sizeof b, "%.0f", pos);
            label(h, svg, mid + pos * scale + 5, y + rowh / 2 + 4, "start", C_INK, 11, 1, b);
        }
    }
    line(h, svg, mid, top, mid, base, C_INK, 1.2, NULL);
    static const char *const ln[] = {"negative", "positive"}, *const lc[] = {C_NEG, C_POS};
    legend(h, sec, ln, lc, 2);
    static const char *const cols[] = {"label", "mentions", "negative", "negative_pct", "mean_sentiment_with",
                                       "mean_sentiment_without"};
    static const char *const heads[] = {"Theme", "Mentions", "Negative", "% negative", "Mean sentiment with",
                                        "Mean sentiment without"};
    data_table(h, sec, t, "Sentiment by theme (leaf themes)", cols, heads, 6, NULL, NULL, 1000);
}

/* a line chart over the periods: n series of values (NAN = gap) */
typedef struct series {
    const char *name, *colour;
    double v[400];
    double lo[400], hi[400]; /* band when have_band */
    int have_band;
    const char *flag[400];
} series;

static void line_chart(hctx *h, xmlNodePtr sec, const char *title, const char *desc, const char *yaxis,
                       const rp_table *pt, series *s, size_t ns, double ymin, double ymax, int fixed)
{
    size_t n = pt->nrows < 400 ? pt->nrows : 400;
    double W = 760, left = 56, right = 40, top = 14, H = 300, bottom = 56;
    double pw = W - left - right, ph = H - top - bottom;
    if (!fixed) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < ns; k++)
            for (size_t i = 0; i < n; i++) {
                double a = s[k].have_band ? s[k].lo[i] : s[k].v[i], b = s[k].have_band ? s[k].hi[i] : s[k].v[i];
                if (isfinite(a)) lo = fmin(lo, a);
                if (isfinite(b)) hi = fmax(hi, b);
            }
        if (!isfinite(lo)) lo = 0, hi = 1;
        double step = nice_step(hi - lo > 0 ? hi - lo : 10, 4);
        ymin = fmax(ymin, step * floor(lo / step));
        ymax = fmin(ymax, step * ceil(hi / step));
        if (ymax <= ymin) ymax = ymin + step;
    }
    xmlNodePtr svg = chart(h, sec, title, desc, W, H, NULL);
    if (!svg) return;
    double step = nice_step(ymax - ymin, 4);
#define YPOS(v) (top + ph * (1 - ((v)-ymin) / (ymax - ymin)))
#define XPOS(i) (left + (n > 1 ? pw * (double)(i) / (double)(n - 1) : pw / 2))
    for (double t = ceil(ymin / step) * step; t <= ymax + 1e-9; t += step) {
        char b[32];
        snprintf(b, sizeof b, "%g", fabs(t) < 1e-9 ? 0 : t);
        line(h, svg, left, YPOS(t), W - right, YPOS(t), fabs(t) < 1e-9 ? "#AAB2BA" : C_GRID, 1, NULL);
        label(h, svg, left - 8, YPOS(t) + 4, "end", C_MUTED, 11, 0, b);
    }
    size_t every = n > 12 ? (n + 11) / 12 : 1;
    for (size_t i = 0; i < n; i++)
        if (i % every == 0 || i == n - 1) label(h, svg, XPOS(i), H - bottom + 18, "middle", C_MUTED, 11, 0, str(pt, i, "period"));
    label(h, svg, left + pw / 2, H - 10, "middle", C_MUTED, 12, 0, "period");
    xmlNodePtr yl = svg_el(h, svg, "text", yaxis);
    attr(h, yl, "transform", "translate(14 %.1f) rotate(-90)", top + ph / 2);
    attr(h, yl, "text-anchor", "middle");
    attr(h, yl, "fill", "%s", C_MUTED);
    attr(h, yl, "font-size", "12");
    for (size_t k = 0; k < ns; k++) {
        vocal__buf pts = {0}, band = {0};
        char b[64];
        if (s[k].have_band) {
            for (size_t i = 0; i < n; i++)
                if (isfinite(s[k].hi[i])) {
                    int m = snprintf(b, sizeof b, "%.1f,%.1f ", XPOS(i), YPOS(s[k].hi[i]));
                    h->oom |= vocal__buf_put(&band, b, (size_t)m) < 0;
                }
            for (size_t i = n; i-- > 0;)
                if (isfinite(s[k].lo[i])) {
                    int m = snprintf(b, sizeof b, "%.1f,%.1f ", XPOS(i), YPOS(s[k].lo[i]));
                    h->oom |= vocal__buf_put(&band, b, (size_t)m) < 0;
                }
            if (band.len && vocal__buf_putc(&band, '\0') == 0) {
                xmlNodePtr poly = svg_el(h, svg, "polygon", NULL);
                attr(h, poly, "points", "%s", band.p);
                attr(h, poly, "fill", "%s", s[k].colour);
                attr(h, poly, "fill-opacity", "0.15");
            }
        }
        for (size_t i = 0; i < n; i++)
            if (isfinite(s[k].v[i])) {
                int m = snprintf(b, sizeof b, "%.1f,%.1f ", XPOS(i), YPOS(s[k].v[i]));
                h->oom |= vocal__buf_put(&pts, b, (size_t)m) < 0;
            }
        if (pts.len && vocal__buf_putc(&pts, '\0') == 0) {
            xmlNodePtr pl = svg_el(h, svg, "polyline", NULL);
            attr(h, pl, "points", "%s", pts.p);
            attr(h, pl, "fill", "none");
            attr(h, pl, "stroke", "%s", s[k].colour);
            attr(h, pl, "stroke-width", "2.5");
            attr(h, pl, "stroke-linejoin", "round");
        }
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(s[k].v[i])) continue;
            int flagged = s[k].flag[i] && s[k].flag[i][0];
            xmlNodePtr c = svg_el(h, svg, "circle", NULL);
            attr(h, c, "cx", "%.1f", XPOS(i));
            attr(h, c, "cy", "%.1f", YPOS(s[k].v[i]));
            attr(h, c, "r", flagged ? "6" : "3.5");
            attr(h, c, "fill", "%s", flagged ? "#FFFFFF" : s[k].colour);
            attr(h, c, "stroke", "%s", s[k].colour);
            attr(h, c, "stroke-width", flagged ? "3" : "1");
            char tip[160];
            snprintf(tip, sizeof tip, "%s %s: %.1f%s", s[k].name, str(pt, i, "period"), s[k].v[i],
                     flagged ? " (change larger than noise)" : "");
            svg_el(h, c, "title", tip);
        }
        vocal__buf_free(&pts);
        vocal__buf_free(&band);
    }
#undef YPOS
#undef XPOS
}

/* The share of comments citing each of the three top root causes, by period
 * (the themes of the header's list; theme_periods always holds them). */
static void root_cause_trend(hctx *h, xmlNodePtr sec, const rp_table *pt, series *s)
{
    static const char *const colours[3] = {C_NEG, C_MIX, "#CC79A7"};
    const rp_table *d = &h->r->t[T_DRIVERS], *tp = &h->r->t[T_THEME_PERIODS];
    size_t n = pt->nrows < 400 ? pt->nrows : 400, ns = 0;
    const char *names[3];
    memset(s, 0, 3 * sizeof *s);
    for (size_t i = 0; i < d->nrows && ns < 3; i++) {
        if (!(num(d, i, "negative_pct") >= 50)) continue;
        const char *id = str(d, i, "theme");
        s[ns].name = names[ns] = str(d, i, "label");
        s[ns].colour = colours[ns];
        for (size_t k = 0; k < n; k++) {
            s[ns].v[k] = NAN;
            for (size_t r = 0; r < tp->nrows; r++)
                if (!strcmp(str(tp, r, "theme"), id) && !strcmp(str(tp, r, "period"), str(pt, k, "period"))) {
                    s[ns].v[k] = num(tp, r, "share_pct");
                    s[ns].flag[k] = str(tp, r, "flag");
                    break;
                }
        }
        ns++;
    }
    if (!ns) return;
    line_chart(h, sec, "Top root causes by period (% of comments citing them)", "Line chart of the share of comments "
               "citing each of the top three root causes, per period.", "% of comments", pt, s, ns, 0, 100, 0);
    legend(h, sec, names, colours, ns);
    static const char *const cols[] = {"period", "label", "mentions", "share_pct", "change_pts", "flag"};
    static const char *const heads[] = {"Period", "Theme", "Mentions", "% of comments", "Change (pts)", "Flag"};
    data_table(h, sec, tp, "Top themes by period (change against the previous period)", cols, heads, 6, NULL, NULL,
               1000);
}

static void trends_section(hctx *h, xmlNodePtr main)
{
    const rp_table *pt = &h->r->t[T_PERIODS];
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "trends");
    el(h, sec, "h2", "Trends");
    char lede[200];
    snprintf(lede, sizeof lede, "By %s. A ringed point marks a change from the previous %s larger than noise "
                                "(95%% test, see Method).", period_word(h->r->period), period_word(h->r->period));
    xmlNodePtr p = el(h, sec, "p", lede);
    attr(h, p, "class", "lede");
    if (!pt->nrows) {
        xmlNodePtr e = el(h, sec, "p", "No dated records: no trend.");
        attr(h, e, "class", "empty");
        return;
    }
    series *s = vocal__calloc(3, sizeof *s);
    if (!s) {
        h->oom = 1;
        return;
    }
    size_t n = pt->nrows < 400 ? pt->nrows : 400;
    int any_nps = 0;
    s[0].name = "NPS";
    s[0].colour = C_BLUE;
    s[0].have_band = 1;
    for (size_t i = 0; i < n; i++) {
        s[0].v[i] = num(pt, i, "nps");
        s[0].lo[i] = num(pt, i, "nps_low");
        s[0].hi[i] = num(pt, i, "nps_high");
        s[0].flag[i] = str(pt, i, "nps_flag");
        any_nps |= isfinite(s[0].v[i]);
    }
    if (any_nps) {
        line_chart(h, sec, "NPS by period, with its 95% interval", "Line chart of NPS per period; the shaded band is "
                   "the 95% interval.", "NPS", pt, s, 1, -100, 100, 0);
        static const char *const ln[] = {"NPS", "95% interval"}, *const lc[] = {C_BLUE, "#B3D4EA"};
        legend(h, sec, ln, lc, 2);
    }
    memset(s, 0, 2 * sizeof *s);
    s[0].name = "% negative";
    s[0].colour = C_NEG;
    s[1].name = "% positive";
    s[1].colour = C_POS;
    for (size_t i = 0; i < n; i++) {
        s[0].v[i] = num(pt, i, "negative_pct");
        s[0].flag[i] = str(pt, i, "negative_flag");
        s[1].v[i] = num(pt, i, "positive_pct");
    }
    line_chart(h, sec, "Sentiment share by period", "Line chart of the percent of comments that are negative and "
               "positive, per period.", "% of comments", pt, s, 2, 0, 100, 0);
    static const char *const ln[] = {"% negative", "% positive"}, *const lc[] = {C_NEG, C_POS};
    legend(h, sec, ln, lc, 2);
    root_cause_trend(h, sec, pt, s);
    vocal__free(s);
    static const char *const cols[] = {"period", "records", "negative_pct", "negative_change", "negative_flag", "nps",
                                       "nps_low", "nps_high", "nps_change", "nps_flag", "csat_top2_pct", "ces_mean"};
    static const char *const heads[] = {"Period", "Records", "% negative", "Change", "Flag", "NPS", "Low", "High",
                                        "NPS change", "Flag", "CSAT %", "CES"};
    data_table(h, sec, pt, "Figures by period (change against the previous period)", cols, heads, 12, NULL, NULL, 1000);
}

static void segments_section(hctx *h, xmlNodePtr main)
{
    const rp_table *b = &h->r->t[T_BREAKDOWN];
    static const char *const dims[3] = {"segment", "touchpoint", "channel"};
    static const char *const titles[3] = {"NPS by segment", "NPS by touchpoint", "NPS by channel"};
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "breakdown");
    el(h, sec, "h2", "Where it differs");
    xmlNodePtr p = el(h, sec, "p", "NPS of each group with its 95% interval; the dashed line is the overall NPS. "
                                   "Groups whose whiskers do not reach it differ from the whole.");
    attr(h, p, "class", "lede");
    double all = b->nrows ? num(b, 0, "nps") : NAN;
    for (int d = 0; d < 3; d++) {
        size_t rows[64], n = 0;
        for (size_t i = 0; i < b->nrows && n < 64; i++)
            if (strcmp(str(b, i, "dimension"), dims[d]) == 0 && num(b, i, "nps_responses") > 0) rows[n++] = i;
        if (!n) continue;
        double W = 760, left = 190, right = 30, rowh = 30, top = 10;
        double base = top + rowh * (double)n, H = base + 46, pw = W - left - right;
        char desc[160];
        snprintf(desc, sizeof desc, "Dot and whisker chart: NPS and its 95%% interval for each %s.", dims[d]);
        xmlNodePtr svg = chart(h, sec, titles[d], desc, W, H, NULL);
        if (!svg) return;
#define XP(v) (left + pw * ((v) + 100) / 200)
        for (int t = -100; t <= 100; t += 25) {
            char lb[16];
            snprintf(lb, sizeof lb, "%d", t);
            line(h, svg, XP(t), top, XP(t), base, t == 0 ? "#AAB2BA" : C_GRID, 1, NULL);
            label(h, svg, XP(t), base + 16, "middle", C_MUTED, 11, 0, lb);
        }
        label(h, svg, left + pw / 2, base + 36, "middle", C_MUTED, 12, 0, "NPS (−100 to +100)");
        if (isfinite(all)) line(h, svg, XP(all), top, XP(all), base, C_INK, 1.2, "4 3");
        for (size_t i = 0; i < n; i++) {
            size_t r = rows[i];
            double y = top + rowh * (double)i + rowh / 2, v = num(b, r, "nps");
            double lo = num(b, r, "nps_low"), hi = num(b, r, "nps_high");
            char lab[80], tip[200];
            snprintf(lab, sizeof lab, "%.26s (%.0f)", str(b, r, "value"), num(b, r, "nps_responses"));
            label(h, svg, left - 10, y + 4, "end", C_INK, 13, 0, lab);
            line(h, svg, XP(lo), y, XP(hi), y, C_SKY, 3, NULL);
            line(h, svg, XP(lo), y - 6, XP(lo), y + 6, C_SKY, 2, NULL);
            line(h, svg, XP(hi), y - 6, XP(hi), y + 6, C_SKY, 2, NULL);
            xmlNodePtr c = svg_el(h, svg, "circle", NULL);
            attr(h, c, "cx", "%.1f", XP(v));
            attr(h, c, "cy", "%.1f", y);
            attr(h, c, "r", "6");
            attr(h, c, "fill", "%s", C_BLUE);
            snprintf(tip, sizeof tip, "%s: NPS %.1f (%.1f to %.1f)", str(b, r, "value"), v, lo, hi);
            svg_el(h, c, "title", tip);
        }
#undef XP
        static const char *const cols[] = {"value", "records", "negative_pct", "nps_responses", "promoters",
                                           "passives", "detractors", "nps", "nps_low", "nps_high", "csat_top2_pct",
                                           "ces_mean"};
        static const char *const heads[] = {"Group", "Records", "% negative", "NPS responses", "Promoters", "Passives",
                                            "Detractors", "NPS", "Low", "High", "CSAT %", "CES"};
        data_table(h, sec, b, titles[d], cols, heads, 12, "dimension", dims[d], 1000);
    }
    static const char *const cols[] = {"dimension", "value", "records", "positive_pct", "negative_pct",
                                       "csat_top2_pct", "ces_mean"};
    static const char *const heads[] = {"Dimension", "Group", "Records", "% positive", "% negative", "CSAT %", "CES"};
    data_table(h, sec, b, "Every group", cols, heads, 7, NULL, NULL, 1000);
}

static void drivers_section(hctx *h, xmlNodePtr main)
{
    const rp_table *d = &h->r->t[T_DRIVERS];
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "drivers");
    el(h, sec, "h2", "Drivers: what to fix first");
    xmlNodePtr p = el(h, sec, "p", "NPS impact: how many points NPS would rise if the detractors who cite a theme were "
                                   "passives instead. Problems (themes cited negatively at least half the time) come first, by impact; the "
                                   "chart shows only them.");
    attr(h, p, "class", "lede");
    const char *labels[10];
    double values[10];
    size_t n = 0;
    for (size_t i = 0; i < d->nrows && n < 10; i++) {
        /* problems only: a theme mostly cited positively is not a root cause,
         * even when detractors mention it */
        if (!(num(d, i, "nps_impact") > 0) || !(num(d, i, "negative_pct") >= 50)) continue;
        labels[n] = str(d, i, "label");
        values[n++] = num(d, i, "nps_impact");
    }
    if (n)
        hbars(h, sec, "NPS impact by theme (points)", "Horizontal bars: NPS points gained if each theme's detractors "
              "were passives.", "NPS points", labels, values, n, C_NEG, 1, "");
    else {
        xmlNodePtr e = el(h, sec, "p", "No detractor cites a theme (or there are no NPS scores).");
        attr(h, e, "class", "empty");
    }
    static const char *const cols[] = {"rank", "label", "mentions", "negative", "negative_pct", "detractors",
                                       "mean_nps_with", "mean_nps_without", "nps_impact", "change_pts", "flag"};
    static const char *const heads[] = {"Rank", "Theme", "Mentions", "Negative", "% negative", "Detractors",
                                        "Mean score with", "Mean score without", "NPS impact", "Share change (pts)",
                                        "Flag"};
    data_table(h, sec, d, "Drivers (leaf themes)", cols, heads, 11, NULL, NULL, 1000);
}

static void verbatims_section(hctx *h, xmlNodePtr main)
{
    const rp_table *v = &h->r->t[T_VERBATIMS];
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "verbatims");
    el(h, sec, "h2", "In their words");
    xmlNodePtr p = el(h, sec, "p", "The most representative positive and negative comment for each top theme "
                                   "(highest confidence, then shortest). E-mails, phone and card numbers and "
                                   "@handles are masked.");
    attr(h, p, "class", "lede");
    if (!v->nrows) {
        xmlNodePtr e = el(h, sec, "p", "No verbatims.");
        attr(h, e, "class", "empty");
        return;
    }
    /* a grid of theme cards, each with its best positive and negative quote */
    xmlNodePtr grid = el(h, sec, "div", NULL), card = NULL;
    attr(h, grid, "class", "quotes");
    const char *cur = "";
    for (size_t i = 0; i < v->nrows; i++) {
        if (num(v, i, "rank") != 1) continue;
        if (strcmp(cur, str(v, i, "theme")) != 0) {
            cur = str(v, i, "theme");
            card = el(h, grid, "div", NULL);
            attr(h, card, "class", "theme-q");
            el(h, card, "h3", str(v, i, "label"));
        }
        int neg = strcmp(str(v, i, "polarity"), "negative") == 0;
        xmlNodePtr q = el(h, card, "blockquote", NULL);
        attr(h, q, "class", neg ? "neg" : "pos");
        char quote[640];
        const char *t = str(v, i, "text");
        size_t len = strlen(t);
        if (len > 480) {
            size_t cut = 480;
            while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80) cut--;
            snprintf(quote, sizeof quote, "“%.*s…”", (int)cut, t);
        } else {
            snprintf(quote, sizeof quote, "“%s”", t);
        }
        el(h, q, "p", quote);
        char who[160];
        snprintf(who, sizeof who, "%s · %s%s%s", neg ? "negative" : "positive", str(v, i, "id")[0] ? str(v, i, "id") : "no id",
                 str(v, i, "date")[0] ? " · " : "", str(v, i, "date"));
        el(h, q, "footer", who);
    }
}

static void method_section(hctx *h, xmlNodePtr main)
{
    xmlNodePtr sec = el(h, main, "section", NULL);
    attr(h, sec, "id", "method");
    el(h, sec, "h2", "Method");
    xmlNodePtr dl = el(h, sec, "dl", NULL);
    attr(h, dl, "class", "defs");
    static const char *const defs[][2] = {
        {"NPS", "% promoters (9–10) − % detractors (0–6) among records with a score. 95% interval: NPS ± 1.96·100·√var, "
                "var = (pP + pD − (pP − pD)²)/n (Wald), clipped to −100..100."},
        {"CSAT", "Share of scores in the top two points of the scale (top-two-box)."},
        {"CES", "Mean effort score."},
        {"Change flag", "Shares: two-proportion z-test at 95%. NPS: the difference exceeds 1.96 × √(se₁² + se₂²). "
                        "CES: the same with the standard errors of the means."},
        {"Roll-up", "A parent theme counts each record that mentions it or any sub-theme once."},
        {"NPS impact", "Detractors citing the theme ÷ NPS responses × 100."},
        {"Verbatims", "Per theme and polarity: highest tagging confidence, then shortest text, then id."},
    };
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        el(h, dl, "dt", defs[i][0]);
        el(h, dl, "dd", defs[i][1]);
    }
}

int vocal__render_html(vocal__buf *out, const rp_report *r, vocal_error *err)
{
    hctx h;
    memset(&h, 0, sizeof h);
    h.r = r;
    h.doc = xmlNewDoc(BAD_CAST "1.0");
    if (!h.doc) return vocal__err_oom(err);
    xmlNodePtr html = xmlNewDocNode(h.doc, NULL, BAD_CAST "html", NULL);
    if (!html || !xmlCreateIntSubset(h.doc, BAD_CAST "html", NULL, NULL)) {
        xmlFreeNode(html);
        xmlFreeDoc(h.doc);
        return vocal__err_oom(err);
    }
    xmlDocSetRootElement(h.doc, html);
    xmlSetNs(html, xmlNewNs(html, BAD_CAST XHTML_NS, NULL));
    attr(&h, html, "lang", "en");
    xmlNodePtr head = el(&h, html, "head", NULL);
    xmlNodePtr meta = el(&h, head, "meta", NULL);
    attr(&h, meta, "charset", "utf-8");
    meta = el(&h, head, "meta", NULL);
    attr(&h, meta, "name", "viewport");
    attr(&h, meta, "content", "width=device-width, initial-scale=1");
    meta = el(&h, head, "meta", NULL);
    attr(&h, meta, "name", "generator");
    attr(&h, meta, "content", "vocal %s", vocal_version());
    el(&h, head, "title", r->title);
    el(&h, head, "style", css);
    xmlNodePtr body = el(&h, html, "body", NULL);
    header(&h, body);
    xmlNodePtr main = el(&h, body, "main", NULL);
    attr(&h, main, "class", "wrap");
    themes_section(&h, main);
    sentiment_section(&h, main);
    drivers_section(&h, main);
    trends_section(&h, main);
    segments_section(&h, main);
    verbatims_section(&h, main);
    method_section(&h, main);
    xmlNodePtr foot = el(&h, body, "footer", NULL);
    attr(&h, foot, "class", "site wrap");
    elf(&h, foot, "p", "Generated by vocal %s from %llu tagged records. Figures are exact sums over every record; "
                       "see docs/report.md for each definition.", vocal_version(), (unsigned long long)r->records);
    int rc = VOCAL_OK;
    if (h.oom) {
        rc = vocal__err_oom(err);
    } else {
        xmlBufferPtr xb = xmlBufferCreate();
        xmlSaveCtxtPtr sc = xb ? xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_NO_DECL | XML_SAVE_XHTML) : NULL;
        if (!sc || xmlSaveDoc(sc, h.doc) < 0) rc = vocal__err(err, VOCAL_ERROR, NULL, 0, UINT64_MAX, "libxml2 could not write the report");
        if (sc) xmlSaveClose(sc);
        if (rc == VOCAL_OK && (vocal__buf_put(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb)) < 0))
            rc = vocal__err_oom(err);
        if (xb) xmlBufferFree(xb);
    }
    xmlFreeDoc(h.doc);
    return rc;
}
