/* HTML to clean text, RSS 2.0 and Atom feeds, and HTML pages with an XPath,
 * through libxml2. Parsing is quiet (NOERROR / NOWARNING and a silent XPath
 * error handler): the library never prints; errors come back with a byte
 * offset computed from libxml2's line and column. See docs/import.md. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "import_int.h"

/* MARK: HTML to text (docs/import.md "HTML to text") */

typedef struct walker {
    vocal__buf *out;
    vocal__irec *r;     /* links go here; may be NULL */
    int pending_space;  /* whitespace seen since the last character */
    int pending_nl;     /* line breaks owed before the next character (at most 2) */
    int oom;
} walker;

static int name_is(const xmlNode *n, const char *name)
{
    return n->name && !strcmp((const char *)n->name, name);
}

static int name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names)) return 1;
    return 0;
}

/* HTML's block-level and line-breaking elements: text on each side of one
 * reads as separate lines. Paragraph-like ones leave a blank line. */
static const char *const blocks[] = {"div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "section",
                                     "article", "header", "footer", "aside", "nav", "figure", "figcaption",
                                     "address", "hr", "main", "td", "th", "details", "summary", NULL};
static const char *const paragraphs[] = {"p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", NULL};
static const char *const dropped[] = {"script", "style", "noscript", "template", "title", "iframe", "object",
                                      "svg", NULL};

static void put(walker *w, const char *s, size_t n)
{
    if (!w->oom && vocal__buf_put(w->out, s, n) < 0) w->oom = 1;
}

static void brk(walker *w, int k)
{
    if (w->pending_nl < k) w->pending_nl = k;
}

static void text(walker *w, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            w->pending_space = 1;
            continue;
        }
        if (w->out->len) {
            if (w->pending_nl) put(w, "\n\n", (size_t)w->pending_nl);
            else if (w->pending_space) put(w, " ", 1);
        }
        w->pending_nl = 0;
        w->pending_space = 0;
        put(w, s, 1);
    }
}

static int has_class(const xmlNode *n, const char *word)
{
    xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
    int yes = cls && strstr((const char *)cls, word) != NULL;
    xmlFree(cls);
    return yes;
}

static void walk(walker *w, const xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) text(w, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE) continue;
        if (name_in(n, dropped)) continue;
        if (name_is(n, "br")) {
            brk(w, w->pending_nl + 1 > 2 ? 2 : w->pending_nl + 1);
            w->pending_space = 0;
            continue;
        }
        int para = name_in(n, paragraphs), block = para || name_in(n, blocks);
        if (block) brk(w, para ? 2 : 1);
        /* a link keeps its text; its address goes to links, except
         * Mastodon's mention and hashtag links, which would list handles */
        if (name_is(n, "a") && w->r && !has_class(n, "mention")) {
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            if (href && (!strncmp((const char *)href, "http://", 7) || !strncmp((const char *)href, "https://", 8)))
                if (vocal__irec_link(w->r, (const char *)href, strlen((const char *)href)) < 0) w->oom = 1;
            xmlFree(href);
        }
        walk(w, n->children);
        if (block) brk(w, para ? 2 : 1);
    }
}

static int walk_finish(walker *w)
{
    if (!w->oom && vocal__buf_putc(w->out, '\0') < 0) w->oom = 1;
    if (w->oom) return VOCAL_ENOMEM;
    w->out->len--;
    return VOCAL_OK;
}

/* The whole input as an HTML fragment. Not HTML_PARSE_NOIMPLIED: with it,
 * libxml2 2.9 nests what follows a leading <script> inside the script. */
int vocal__html_text(vocal__buf *out, vocal__irec *r, const char *html, size_t n)
{
    out->len = 0;
    walker w = {out, r, 0, 0, 0};
    if (n && n < INT_MAX) {
        htmlDocPtr doc = htmlReadMemory(html, (int)n, NULL, "UTF-8",
                                        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                            HTML_PARSE_NONET);
        if (doc) {
            walk(&w, doc->children);
            xmlFreeDoc(doc);
        }
    }
    return walk_finish(&w);
}

/* MARK: XML helpers */

static const xmlNode *child(const xmlNode *n, const char *local)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && name_is(c, local)) return c;
    return NULL;
}

/* A child's text content, trimmed, into the record field; or nothing. */
static int set_child(vocal__irec *r, int f, const xmlNode *n, const char *local)
{
    const xmlNode *c = child(n, local);
    if (!c || r->f[f]) return VOCAL_OK;
    xmlChar *v = xmlNodeGetContent(c);
    if (!v) return VOCAL_OK;
    const char *s = (const char *)v;
    size_t len = strlen(s);
    vocal__trim(&s, &len);
    int rc = len ? vocal__irec_set(r, f, s, len) : VOCAL_OK;
    xmlFree(v);
    return rc;
}

static int set_child_date(vocal__irec *r, const xmlNode *n, const char *local)
{
    const xmlNode *c = child(n, local);
    if (!c || r->f[F_CREATED]) return VOCAL_OK;
    xmlChar *v = xmlNodeGetContent(c);
    char iso[21];
    int rc = VOCAL_OK;
    if (v && vocal__date_parse(iso, (const char *)v)) rc = vocal__irec_set(r, F_CREATED, iso, strlen(iso));
    xmlFree(v);
    return rc;
}

/* An element's content as text: HTML markup in its text (RSS description,
 * Atom type="html") is parsed; Atom type="xhtml" children are walked. */
static int set_child_html(vocal__buf *tmp, vocal__irec *r, const xmlNode *n, const char *local)
{
    const xmlNode *c = child(n, local);
    if (!c || r->f[F_TEXT]) return VOCAL_OK;
    xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
    int rc;
    if (type && !strcmp((const char *)type, "xhtml")) {
        tmp->len = 0;
        walker w = {tmp, r, 0, 0, 0};
        walk(&w, c->children);
        rc = walk_finish(&w);
    } else {
        xmlChar *v = xmlNodeGetContent(c);
        if (type && !strcmp((const char *)type, "text")) {
            tmp->len = 0;
            rc = v ? vocal__buf_put(tmp, v, strlen((const char *)v)) : VOCAL_OK;
            if (rc == VOCAL_OK) rc = vocal__buf_putc(tmp, '\0');
            if (rc == VOCAL_OK) tmp->len--;
        } else {
            rc = vocal__html_text(tmp, r, v ? (const char *)v : "", v ? strlen((const char *)v) : 0);
        }
        xmlFree(v);
    }
    xmlFree(type);
    if (rc < 0) return rc;
    const char *s = tmp->p;
    size_t len = tmp->len;
    vocal__trim(&s, &len);
    return len ? vocal__irec_set(r, F_TEXT, s, len) : VOCAL_OK;
}

static int finish_item(vocal__sink *s, vocal__irec *r)
{
    if (!r->f[F_TEXT] && r->f[F_TITLE]) { /* a title-only entry: the title is the text */
        r->f[F_TEXT] = r->f[F_TITLE];
        r->f[F_TITLE] = NULL;
    }
    if (!r->f[F_TEXT]) {
        vocal__sink_drop_last(s);
        return VOCAL_OK;
    }
    if (!r->f[F_ID]) {
        const char *t = r->f[F_CREATED] ? r->f[F_CREATED] : "";
        uint64_t h = vocal__fnv1a(t, strlen(t) + 1, 0);
        h = vocal__fnv1a(r->f[F_TEXT], strlen(r->f[F_TEXT]), h);
        char id[21];
        snprintf(id, sizeof id, "sha:%016llx", (unsigned long long)h);
        return vocal__irec_set(r, F_ID, id, strlen(id));
    }
    return VOCAL_OK;
}

static int set_lang(vocal__irec *r, const xmlNode *n)
{
    xmlChar *lang = xmlNodeGetLang(n); /* xml:lang, inherited */
    if (!lang && n->doc && n->doc->type == XML_HTML_DOCUMENT_NODE) /* HTML's own lang */
        for (const xmlNode *p = n; p && p->type == XML_ELEMENT_NODE && !lang; p = p->parent)
            lang = xmlGetProp(p, (const xmlChar *)"lang");
    int rc = VOCAL_OK;
    if (lang && *lang) rc = vocal__irec_set(r, F_LANG, (const char *)lang, strlen((const char *)lang));
    xmlFree(lang);
    return rc;
}

#define TRY(x) do { if ((rc = (x)) < 0) return rc; } while (0)

/* MARK: RSS 2.0 */

static int rss_item(vocal__sink *s, vocal__buf *tmp, const xmlNode *it)
{
    int rc;
    vocal__irec *r = vocal__sink_add(s);
    if (!r) return VOCAL_ENOMEM;
    r->rating = VOCAL_IMPORT_NONE;
    TRY(set_child_html(tmp, r, it, "encoded")); /* content:encoded, the full text, first */
    TRY(set_child_html(tmp, r, it, "description"));
    TRY(set_child(r, F_TITLE, it, "title"));
    TRY(set_child(r, F_URL, it, "link"));
    TRY(set_child(r, F_ID, it, "guid"));
    TRY(set_child(r, F_AUTHOR, it, "creator")); /* dc:creator */
    TRY(set_child(r, F_AUTHOR, it, "author"));
    TRY(set_child_date(r, it, "pubDate"));
    TRY(set_child_date(r, it, "date")); /* dc:date */
    TRY(set_lang(r, it));
    return finish_item(s, r);
}

/* MARK: Atom (RFC 4287) */

static int atom_link(vocal__irec *r, const xmlNode *e)
{
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !name_is(c, "link")) continue;
        xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
        int alt = !rel || !strcmp((const char *)rel, "alternate"); /* RFC 4287 §4.2.7.2 */
        xmlFree(rel);
        if (!alt) continue;
        xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
        int rc = href ? vocal__irec_set(r, F_URL, (const char *)href, strlen((const char *)href)) : VOCAL_OK;
        xmlFree(href);
        return rc;
    }
    return VOCAL_OK;
}

static int atom_entry(vocal__sink *s, vocal__buf *tmp, const xmlNode *e)
{
    int rc;
    vocal__irec *r = vocal__sink_add(s);
    if (!r) return VOCAL_ENOMEM;
    TRY(set_child_html(tmp, r, e, "content"));
    TRY(set_child_html(tmp, r, e, "summary"));
    TRY(set_child(r, F_TITLE, e, "title"));
    TRY(set_child(r, F_ID, e, "id"));
    TRY(set_child(r, F_AUTHOR, child(e, "author"), "name"));
    TRY(set_child_date(r, e, "published"));
    TRY(set_child_date(r, e, "updated"));
    TRY(atom_link(r, e));
    TRY(set_lang(r, e));
    return finish_item(s, r);
}

static int feed_walk(vocal__sink *s, vocal__buf *tmp, vocal_import_format f, const xmlNode *n, int *found)
{
    int rc;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (f == VOCAL_IMPORT_RSS && name_is(n, "item")) {
            (*found)++;
            TRY(rss_item(s, tmp, n));
        } else if (f == VOCAL_IMPORT_ATOM && name_is(n, "entry")) {
            (*found)++;
            TRY(atom_entry(s, tmp, n));
        } else {
            TRY(feed_walk(s, tmp, f, n->children, found));
        }
    }
    return VOCAL_OK;
}

/* The byte offset of libxml2's line and column (both 1-based). */
static uint64_t byte_of(const char *buf, size_t n, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < n; i++)
        if (buf[i] == '\n') l++;
    if (col > 1) i += (size_t)(col - 1);
    return i < n ? i : n;
}

/* libxml2 2.12 made the structured handler's error const */
#if LIBXML_VERSION >= 21200
static void silent(void *ctx, const xmlError *e)
#else
static void silent(void *ctx, xmlErrorPtr e)
#endif
{
    (void)ctx;
    (void)e;
}

int vocal__import_feed(vocal__sink *s, vocal_import_format f, const char *buf, size_t n, vocal_error *err)
{
    if (n >= INT_MAX) return vocal__err(err, VOCAL_EFORMAT, s->path, 0, UINT64_MAX, "feed larger than 2 GiB");
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return vocal__err_oom(err);
    /* no NOENT and no DTD loading: external entities are never fetched */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)n, NULL, NULL,
                                      XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    int rc = VOCAL_OK, found = 0;
    const xmlError *xe = xmlCtxtGetLastError(ctxt);
    int damaged = !ctxt->wellFormed;
    uint64_t at = xe ? byte_of(buf, n, xe->line, xe->int2) : UINT64_MAX;
    char why[128] = "";
    if (xe && xe->message) {
        snprintf(why, sizeof why, "%s", xe->message);
        size_t k = strlen(why);
        while (k && (why[k - 1] == '\n' || why[k - 1] == ' ')) why[--k] = '\0';
    }
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        rc = vocal__err(err, VOCAL_EFORMAT, s->path, xe ? (uint64_t)xe->line : 0, at, "not XML: %s", why);
        goto done;
    }
    const char *want = f == VOCAL_IMPORT_RSS ? "rss" : "feed";
    if (!name_is(root, want) && !(f == VOCAL_IMPORT_RSS && name_is(root, "RDF"))) {
        rc = vocal__err(err, VOCAL_EFORMAT, s->path, 0, UINT64_MAX, "not an %s feed: the root element is <%s>",
                        f == VOCAL_IMPORT_RSS ? "RSS" : "Atom", (const char *)root->name);
        goto done;
    }
    vocal__buf tmp = {0};
    rc = feed_walk(s, &tmp, f, root, &found);
    vocal__buf_free(&tmp);
    if (rc < 0) {
        vocal__err_oom(err);
        goto done;
    }
    /* what came before the damage is kept (RECOVER); the damage is reported */
    if (damaged)
        rc = vocal__err(err, VOCAL_EFORMAT, s->path, xe ? (uint64_t)xe->line : 0, at,
                        "malformed XML after %d %s: %s", found, f == VOCAL_IMPORT_RSS ? "items" : "entries", why);
done:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

/* MARK: HTML pages with an XPath */

static xmlXPathContextPtr quiet_xpath(xmlDocPtr doc)
{
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    if (x) x->error = silent;
    return x;
}

int vocal__xpath_valid(const char *xpath)
{
    xmlXPathContextPtr x = quiet_xpath(NULL);
    if (!x) return 0;
    xmlXPathCompExprPtr c = xmlXPathCtxtCompile(x, (const xmlChar *)xpath);
    xmlXPathFreeContext(x);
    if (!c) return 0;
    xmlXPathFreeCompExpr(c);
    return 1;
}

int vocal__import_html(vocal__sink *s, const char *xpath, const char *buf, size_t n, vocal_error *err)
{
    if (n >= INT_MAX) return vocal__err(err, VOCAL_EFORMAT, s->path, 0, UINT64_MAX, "page larger than 2 GiB");
    htmlDocPtr doc = htmlReadMemory(buf, (int)n, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET);
    if (!doc) return vocal__err(err, VOCAL_EFORMAT, s->path, 0, 0, "not an HTML page");
    int rc = VOCAL_OK;
    xmlXPathContextPtr x = quiet_xpath(doc);
    xmlXPathObjectPtr res = x ? xmlXPathEvalExpression((const xmlChar *)xpath, x) : NULL;
    vocal__buf tmp = {0};
    if (!x) {
        rc = vocal__err_oom(err);
        goto done;
    }
    if (!res || res->type != XPATH_NODESET) {
        rc = vocal__err(err, VOCAL_EINPUT, s->path, 0, UINT64_MAX, "xpath %s does not select elements", xpath);
        goto done;
    }
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr node = res->nodesetval->nodeTab[i];
        vocal__irec *r = vocal__sink_add(s);
        if (!r) {
            rc = vocal__err_oom(err);
            goto done;
        }
        tmp.len = 0;
        walker w = {&tmp, r, 0, 0, 0};
        if (node->type == XML_ELEMENT_NODE) walk(&w, node->children);
        else {
            xmlChar *v = xmlNodeGetContent(node);
            if (v) text(&w, (const char *)v);
            xmlFree(v);
        }
        if ((rc = walk_finish(&w)) < 0 || (rc = set_lang(r, node)) < 0) {
            rc = vocal__err_oom(err);
            goto done;
        }
        const char *t = tmp.p;
        size_t len = tmp.len;
        vocal__trim(&t, &len);
        if ((len && (rc = vocal__irec_set(r, F_TEXT, t, len)) < 0) || (rc = finish_item(s, r)) < 0) {
            rc = vocal__err_oom(err);
            goto done;
        }
    }
done:
    vocal__buf_free(&tmp);
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(x);
    xmlFreeDoc(doc);
    return rc;
}
