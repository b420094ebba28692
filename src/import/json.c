/* The JSON exports: X/Twitter archives, Facebook, Instagram, Mastodon,
 * Reddit and Apple's customer-reviews feed, through jansson. Items that
 * cannot be read are rejected with their JSON path ("$[12].tweet.full_text")
 * and the rest still flows; a document that does not parse is refused with
 * the byte offset of the damage. See docs/import.md. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* MARK: small readers */

typedef struct jctx {
    vocal__sink *s;
    vocal__buf tmp;      /* scratch for mojibake repair and HTML text */
    int repair;          /* Facebook / Instagram: repair \u00XX mojibake */
    uint64_t line;       /* NDJSON: the line of the current object; 0 otherwise */
    uint64_t byte;       /* NDJSON: its offset; UINT64_MAX otherwise */
} jctx;

static const char *jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Twitter writes numbers as strings; Reddit writes epoch times as reals. */
static int64_t jnum(const json_t *v)
{
    if (json_is_integer(v)) return (int64_t)json_integer_value(v);
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d > -9e18 && d < 9e18 ? (int64_t)d : VOCAL_IMPORT_NONE;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        if (!*s) return VOCAL_IMPORT_NONE;
        long long x = strtoll(s, &end, 10);
        if (*end == '\0' || *end == '.') return (int64_t)x;
    }
    return VOCAL_IMPORT_NONE;
}

static int64_t jnum_key(const json_t *o, const char *key)
{
    return jnum(json_object_get(o, key));
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static int reject(jctx *c, const char *path, const char *what)
{
    return vocal__sink_reject(c->s, c->line, c->byte, "%s: %s", path, what);
}

/* Set field i from a JSON string, trimmed, repaired when the format has
 * mojibake. */
static int set_str(jctx *c, vocal__irec *r, int i, const char *s)
{
    if (!s) return VOCAL_OK;
    size_t n = strlen(s);
    if (c->repair) {
        if (vocal__mojibake_repair(&c->tmp, s, n) < 0) return VOCAL_ENOMEM;
        s = c->tmp.p;
        n = c->tmp.len;
    }
    vocal__trim(&s, &n);
    if (!n) return VOCAL_OK;
    /* copy out first: s may point into c->tmp */
    return vocal__irec_set(r, i, s, n);
}

static int set_time(vocal__irec *r, int64_t t)
{
    if (t == VOCAL_IMPORT_NONE) return VOCAL_OK;
    char iso[21];
    vocal__iso_from_epoch(iso, t);
    return vocal__irec_set(r, F_CREATED, iso, strlen(iso));
}

static int set_date(vocal__irec *r, const char *s)
{
    char iso[21];
    if (!s || !vocal__date_parse(iso, s)) return VOCAL_OK;
    return vocal__irec_set(r, F_CREATED, iso, strlen(iso));
}

static int set_html(jctx *c, vocal__irec *r, int i, const char *html)
{
    if (!html) return VOCAL_OK;
    if (vocal__html_text(&c->tmp, r, html, strlen(html)) < 0) return VOCAL_ENOMEM;
    const char *s = c->tmp.p;
    size_t n = c->tmp.len;
    vocal__trim(&s, &n);
    return n ? vocal__irec_set(r, i, s, n) : VOCAL_OK;
}

/* "sha:" + 16 hex digits of the time and text, for exports without ids:
 * stable across runs, so the same post imported twice is one record. */
static int synth_id(vocal__irec *r)
{
    if (r->f[F_ID] || !r->f[F_TEXT]) return VOCAL_OK;
    const char *t = r->f[F_CREATED] ? r->f[F_CREATED] : "";
    uint64_t h = vocal__fnv1a(t, strlen(t) + 1, 0);
    h = vocal__fnv1a(r->f[F_TEXT], strlen(r->f[F_TEXT]), h);
    char id[4 + 16 + 1];
    snprintf(id, sizeof id, "sha:%016llx", (unsigned long long)h);
    return vocal__irec_set(r, F_ID, id, strlen(id));
}

/* The record is complete: drop it when it has no text, else give it an id. */
static int finish(jctx *c, vocal__irec *r)
{
    /* no text, or an empty one (a Reddit post whose title is "" and that
     * has no selftext): counted as without text, not imported */
    if ((!r->f[F_TEXT] || !r->f[F_TEXT][0]) && !r->is_repost) {
        vocal__sink_drop_last(c->s);
        return VOCAL_OK;
    }
    return synth_id(r);
}

#define TRY(x) do { if ((rc = (x)) < 0) return rc; } while (0)

/* MARK: X / Twitter (archive data/tweets.js) */

/* Replace every occurrence of from in *t with to. */
static int replace_all(char **t, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), hits = 0;
    for (const char *p = *t; (p = strstr(p, from)) != NULL; p += fl) hits++;
    if (!hits) return VOCAL_OK;
    size_t n = strlen(*t);
    char *nt = (char *)vocal__malloc(n - hits * fl + hits * tl + 1), *o = nt;
    if (!nt) return VOCAL_ENOMEM;
    for (const char *p = *t, *hit; ; p = hit + fl) {
        hit = strstr(p, from);
        size_t k = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(o, p, k);
        o += k;
        if (!hit) break;
        memcpy(o, to, tl);
        o += tl;
    }
    *o = '\0';
    vocal__free(*t);
    *t = nt;
    return VOCAL_OK;
}

/* Replace every t.co address in the text with its expanded form, and keep
 * the expanded one as a link. */
static int expand_urls(vocal__irec *r, const json_t *list)
{
    size_t i;
    json_t *u;
    json_array_foreach(list, i, u) {
        const char *from = jstr(u, "url"), *to = jstr(u, "expanded_url");
        if (!from || !to || !*from) continue;
        if (vocal__irec_link(r, to, strlen(to)) < 0 || replace_all(&r->f[F_TEXT], from, to) < 0)
            return VOCAL_ENOMEM;
    }
    return VOCAL_OK;
}

static int twitter_item(jctx *c, json_t *el, size_t i)
{
    char path[64];
    int rc;
    json_t *t = json_object_get(el, "tweet");
    snprintf(path, sizeof path, t ? "$[%zu].tweet" : "$[%zu]", i);
    if (!t) t = el;
    if (!json_is_object(t)) return reject(c, path, json_is_object(el) ? "not an object" : type_name(el));
    const char *text = jstr(t, "full_text");
    if (!text) text = jstr(t, "text");
    if (!text) {
        char p2[80];
        snprintf(p2, sizeof p2, "%s.full_text", path);
        return reject(c, p2, "missing (not a tweet)");
    }
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    TRY(vocal__irec_set(r, F_TEXT, text, strlen(text)));
    json_t *ent = json_object_get(t, "entities");
    TRY(expand_urls(r, json_object_get(ent, "urls")));
    TRY(expand_urls(r, json_object_get(ent, "media")));
    r->f[F_TEXT][vocal__entities_decode(r->f[F_TEXT], strlen(r->f[F_TEXT]))] = '\0';
    const char *id = jstr(t, "id_str");
    if (!id) id = jstr(t, "id");
    if (id) {
        TRY(vocal__irec_set(r, F_ID, id, strlen(id)));
        char url[96];
        snprintf(url, sizeof url, "https://x.com/i/web/status/%.40s", id);
        TRY(vocal__irec_set(r, F_URL, url, strlen(url)));
    }
    TRY(set_date(r, jstr(t, "created_at")));
    const char *rp = jstr(t, "in_reply_to_status_id_str");
    if (rp) TRY(vocal__irec_set(r, F_REPLY_TO, rp, strlen(rp)));
    const char *lang = jstr(t, "lang");
    if (lang && strcmp(lang, "und")) TRY(vocal__irec_set(r, F_LANG, lang, strlen(lang)));
    json_t *user = json_object_get(t, "user");
    if (jstr(user, "screen_name")) TRY(set_str(c, r, F_AUTHOR, jstr(user, "screen_name")));
    r->likes = jnum_key(t, "favorite_count");
    r->shares = jnum_key(t, "retweet_count");
    r->replies = jnum_key(t, "reply_count");
    /* the archive has no retweeted_status: a retweet is "RT @handle: …" */
    r->is_repost = json_object_get(t, "retweeted_status") != NULL || strncmp(text, "RT @", 4) == 0;
    return finish(c, r);
}

static int twitter(jctx *c, json_t *root)
{
    if (!json_is_array(root)) return -1;
    /* other archive files (like.js, follower.js…) share the prefix: refuse
     * them whole rather than reject every item */
    json_t *f0 = json_array_get(root, 0);
    if (f0 && !json_object_get(f0, "tweet") && !json_object_get(f0, "full_text") && !json_object_get(f0, "text"))
        return -1;
    size_t i;
    json_t *el;
    int rc;
    json_array_foreach(root, i, el) TRY(twitter_item(c, el, i));
    return VOCAL_OK;
}

/* MARK: Facebook (your_posts_*.json, comments*.json) */

static int facebook_post(jctx *c, json_t *el, const char *path)
{
    int rc;
    if (!json_is_object(el)) return reject(c, path, "not an object");
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    TRY(set_time(r, jnum_key(el, "timestamp")));
    vocal__buf text = {0};
    json_t *data = json_object_get(el, "data"), *d;
    size_t k;
    json_array_foreach(data, k, d) {
        const char *p = jstr(d, "post");
        json_t *cm = json_object_get(d, "comment");
        if (!p && json_is_object(cm)) {
            p = jstr(cm, "comment");
            int64_t ts = jnum_key(cm, "timestamp");
            if (set_str(c, r, F_AUTHOR, jstr(cm, "author")) < 0 ||
                (ts != VOCAL_IMPORT_NONE && set_time(r, ts) < 0)) {
                vocal__buf_free(&text);
                return VOCAL_ENOMEM;
            }
        }
        if (!p || !*p) continue;
        if ((text.len && vocal__buf_put(&text, "\n\n", 2) < 0) || vocal__buf_put(&text, p, strlen(p)) < 0) {
            vocal__buf_free(&text);
            return VOCAL_ENOMEM;
        }
    }
    if (text.len) {
        rc = vocal__buf_putc(&text, '\0');
        if (rc == VOCAL_OK) rc = set_str(c, r, F_TEXT, text.p);
        vocal__buf_free(&text);
        if (rc < 0) return rc;
    }
    TRY(set_str(c, r, F_TITLE, jstr(el, "title")));
    json_t *att = json_object_get(el, "attachments"), *a;
    json_array_foreach(att, k, a) {
        size_t j;
        json_t *ad;
        json_array_foreach(json_object_get(a, "data"), j, ad) {
            const char *u = jstr(json_object_get(ad, "external_context"), "url");
            if (u) TRY(vocal__irec_link(r, u, strlen(u)));
        }
    }
    return finish(c, r);
}

static int entries(jctx *c, json_t *list, const char *prefix, int (*item)(jctx *, json_t *, const char *))
{
    size_t i;
    json_t *el;
    int rc;
    json_array_foreach(list, i, el) {
        char path[128];
        snprintf(path, sizeof path, "%.80s[%zu]", prefix, i);
        TRY(item(c, el, path));
    }
    return VOCAL_OK;
}

/* The array of entries: the root, or the one array under a wrapper key
 * ("comments_v2", "status_updates_v2", "comments_media_comments"…). */
static json_t *entry_list(json_t *root, char *prefix, size_t cap)
{
    snprintf(prefix, cap, "$");
    if (json_is_array(root)) return root;
    if (!json_is_object(root)) return NULL;
    const char *key;
    json_t *v, *found = NULL;
    json_object_foreach(root, key, v) {
        if (json_is_array(v)) {
            if (found) return NULL;
            found = v;
            snprintf(prefix, cap, "$.%.60s", key);
        }
    }
    return found;
}

static int facebook(jctx *c, json_t *root)
{
    char prefix[80];
    json_t *list = entry_list(root, prefix, sizeof prefix);
    if (!list) return -1;
    return entries(c, list, prefix, facebook_post);
}

/* MARK: Instagram (posts_*.json, post_comments_*.json) */

static int instagram_item(jctx *c, json_t *el, const char *path)
{
    int rc;
    if (!json_is_object(el)) return reject(c, path, "not an object");
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    json_t *smd = json_object_get(el, "string_map_data");
    if (json_is_object(smd)) { /* a comment */
        TRY(set_str(c, r, F_TEXT, jstr(json_object_get(smd, "Comment"), "value")));
        TRY(set_time(r, jnum_key(json_object_get(smd, "Time"), "timestamp")));
        return finish(c, r);
    }
    /* a post: the caption is the top-level title for several media, else
     * the first medium's title (then the top level has no timestamp) */
    json_t *m0 = json_array_get(json_object_get(el, "media"), 0);
    const char *cap = jstr(el, "title");
    if (!cap || !*cap) cap = jstr(m0, "title");
    TRY(set_str(c, r, F_TEXT, cap));
    int64_t ts = jnum_key(el, "creation_timestamp");
    if (ts == VOCAL_IMPORT_NONE) ts = jnum_key(m0, "creation_timestamp");
    TRY(set_time(r, ts));
    return finish(c, r);
}

static int instagram(jctx *c, json_t *root)
{
    char prefix[80];
    json_t *list = entry_list(root, prefix, sizeof prefix);
    if (!list) return -1;
    return entries(c, list, prefix, instagram_item);
}

/* MARK: Mastodon (ActivityPub outbox.json) */

static int mastodon_item(jctx *c, json_t *act, const char *path)
{
    int rc;
    if (!json_is_object(act)) return reject(c, path, "not an object");
    const char *type = jstr(act, "type");
    if (!type) return reject(c, path, "activity without a type");
    json_t *obj = json_object_get(act, "object");
    if (!strcmp(type, "Announce")) { /* a boost: the object is the boosted post's address */
        vocal__irec *r = vocal__sink_add(c->s);
        if (!r) return VOCAL_ENOMEM;
        r->is_repost = 1;
        TRY(set_str(c, r, F_ID, jstr(act, "id")));
        TRY(set_str(c, r, F_URL, json_is_string(obj) ? json_string_value(obj) : jstr(obj, "id")));
        TRY(set_date(r, jstr(act, "published")));
        TRY(set_str(c, r, F_AUTHOR, jstr(act, "actor")));
        return finish(c, r);
    }
    if (strcmp(type, "Create") != 0) return VOCAL_OK; /* Like, Follow…: not posts */
    if (!json_is_object(obj)) {
        char p2[160];
        snprintf(p2, sizeof p2, "%.120s.object", path);
        return reject(c, p2, obj ? "not an object" : "missing");
    }
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    TRY(set_html(c, r, F_TEXT, jstr(obj, "content")));
    TRY(set_str(c, r, F_ID, jstr(obj, "id")));
    TRY(set_str(c, r, F_URL, jstr(obj, "url") ? jstr(obj, "url") : jstr(obj, "id")));
    TRY(set_date(r, jstr(obj, "published") ? jstr(obj, "published") : jstr(act, "published")));
    TRY(set_str(c, r, F_AUTHOR, jstr(obj, "attributedTo") ? jstr(obj, "attributedTo") : jstr(act, "actor")));
    TRY(set_str(c, r, F_REPLY_TO, jstr(obj, "inReplyTo")));
    TRY(set_str(c, r, F_TITLE, jstr(obj, "summary")));
    json_t *cmap = json_object_get(obj, "contentMap");
    if (json_is_object(cmap) && json_object_size(cmap) > 0) {
        void *it = json_object_iter(cmap);
        const char *lang = json_object_iter_key(it);
        TRY(vocal__irec_set(r, F_LANG, lang, strlen(lang)));
    }
    r->replies = jnum_key(json_object_get(obj, "replies"), "totalItems");
    return finish(c, r);
}

static int mastodon(jctx *c, json_t *root)
{
    json_t *items = json_object_get(root, "orderedItems");
    if (!json_is_array(items)) return -1;
    return entries(c, items, "$.orderedItems", mastodon_item);
}

/* MARK: Reddit (API listings, one-object-per-line dumps) */

static int reddit_thing(jctx *c, json_t *d, const char *kind, const char *path)
{
    int rc;
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    int is_post = !strcmp(kind, "t3");
    const char *body = is_post ? jstr(d, "selftext") : jstr(d, "body");
    /* the API escapes & < > in Markdown bodies and titles */
    if (body && strcmp(body, "[deleted]") && strcmp(body, "[removed]")) {
        TRY(vocal__irec_set(r, F_TEXT, body, strlen(body)));
        r->f[F_TEXT][vocal__entities_decode(r->f[F_TEXT], strlen(r->f[F_TEXT]))] = '\0';
    }
    const char *title = jstr(d, "title");
    if (is_post && title) {
        TRY(vocal__irec_set(r, F_TITLE, title, strlen(title)));
        r->f[F_TITLE][vocal__entities_decode(r->f[F_TITLE], strlen(r->f[F_TITLE]))] = '\0';
        /* a submission's title is its first words: the text starts with it */
        size_t tl = strlen(r->f[F_TITLE]), bl = r->f[F_TEXT] ? strlen(r->f[F_TEXT]) : 0;
        char *t = (char *)vocal__malloc(tl + 2 + bl + 1);
        if (!t) return VOCAL_ENOMEM;
        memcpy(t, r->f[F_TITLE], tl);
        if (bl) {
            memcpy(t + tl, "\n\n", 2);
            memcpy(t + tl + 2, r->f[F_TEXT], bl);
        }
        t[tl + (bl ? 2 + bl : 0)] = '\0';
        vocal__free(r->f[F_TEXT]);
        r->f[F_TEXT] = t;
    }
    const char *name = jstr(d, "name"), *id = jstr(d, "id");
    if (name) TRY(vocal__irec_set(r, F_ID, name, strlen(name)));
    else if (id) {
        char full[64];
        snprintf(full, sizeof full, "%s_%.40s", kind, id);
        TRY(vocal__irec_set(r, F_ID, full, strlen(full)));
    }
    TRY(set_time(r, jnum_key(d, "created_utc")));
    const char *author = jstr(d, "author");
    if (author && strcmp(author, "[deleted]")) TRY(vocal__irec_set(r, F_AUTHOR, author, strlen(author)));
    TRY(set_str(c, r, F_REPLY_TO, jstr(d, "parent_id")));
    const char *perma = jstr(d, "permalink");
    if (perma) {
        char url[512];
        snprintf(url, sizeof url, "https://www.reddit.com%.480s", perma);
        TRY(vocal__irec_set(r, F_URL, url, strlen(url)));
    }
    r->likes = jnum_key(d, "score");
    if (is_post) r->replies = jnum_key(d, "num_comments");
    (void)path;
    return finish(c, r);
}

static int reddit_walk(jctx *c, json_t *v, const char *path, int depth)
{
    int rc;
    char p2[192];
    if (depth > 64) return reject(c, path, "replies nested deeper than 64 levels");
    if (json_is_array(v)) {
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) {
            snprintf(p2, sizeof p2, "%.140s[%zu]", path, i);
            TRY(reddit_walk(c, el, p2, depth + 1));
        }
        return VOCAL_OK;
    }
    if (!json_is_object(v)) return reject(c, path, "not an object");
    const char *kind = jstr(v, "kind");
    json_t *data = json_object_get(v, "data");
    if (kind && !strcmp(kind, "Listing")) {
        snprintf(p2, sizeof p2, "%.140s.data.children", path);
        json_t *ch = json_object_get(data, "children");
        if (!json_is_array(ch)) return reject(c, p2, "missing");
        return reddit_walk(c, ch, p2, depth + 1);
    }
    if (kind && !strcmp(kind, "more")) return VOCAL_OK; /* "load more comments": ids only */
    if (!kind) { /* a dump line: the thing itself; t3 if it has a title */
        data = v;
        kind = json_object_get(v, "title") ? "t3" : "t1";
        if (!json_object_get(v, "body") && !json_object_get(v, "title"))
            return reject(c, path, "neither a Listing nor a comment or submission");
    } else if (strcmp(kind, "t1") && strcmp(kind, "t3")) {
        return VOCAL_OK; /* t2 users, t5 subreddits…: not feedback */
    }
    if (!json_is_object(data)) {
        snprintf(p2, sizeof p2, "%.140s.data", path);
        return reject(c, p2, "missing");
    }
    TRY(reddit_thing(c, data, kind, path));
    json_t *rep = json_object_get(data, "replies");
    if (json_is_object(rep)) {
        snprintf(p2, sizeof p2, "%.120s%s.replies", path, data == v ? "" : ".data");
        TRY(reddit_walk(c, rep, p2, depth + 1));
    }
    return VOCAL_OK;
}

static int reddit(jctx *c, json_t *root)
{
    if (!json_is_array(root) && !json_is_object(root)) return -1;
    if (json_is_object(root) && !json_object_get(root, "kind") && !json_object_get(root, "body") &&
        !json_object_get(root, "title"))
        return -1;
    return reddit_walk(c, root, "$", 0);
}

/* MARK: Apple customer-reviews feed (…/customerreviews/json) */

static const char *label(const json_t *o, const char *key)
{
    return jstr(json_object_get(o, key), "label");
}

static int appstore_item(jctx *c, json_t *e, const char *path)
{
    int rc;
    if (!json_is_object(e)) return reject(c, path, "not an object");
    /* the first entry of older feeds describes the app itself */
    if (!json_object_get(e, "im:rating") && !json_object_get(e, "content")) return VOCAL_OK;
    vocal__irec *r = vocal__sink_add(c->s);
    if (!r) return VOCAL_ENOMEM;
    json_t *content = json_object_get(e, "content");
    const char *type = jstr(json_object_get(content, "attributes"), "type");
    if (type && !strcmp(type, "html")) TRY(set_html(c, r, F_TEXT, label(e, "content")));
    else TRY(set_str(c, r, F_TEXT, label(e, "content")));
    TRY(set_str(c, r, F_TITLE, label(e, "title")));
    TRY(set_str(c, r, F_ID, label(e, "id")));
    TRY(set_date(r, label(e, "updated")));
    TRY(set_str(c, r, F_AUTHOR, label(json_object_get(e, "author"), "name")));
    json_t *link = json_object_get(e, "link");
    if (json_is_array(link)) link = json_array_get(link, 0);
    TRY(set_str(c, r, F_URL, jstr(json_object_get(link, "attributes"), "href")));
    r->rating = jnum(json_object_get(json_object_get(e, "im:rating"), "label"));
    r->likes = jnum(json_object_get(json_object_get(e, "im:voteSum"), "label"));
    return finish(c, r);
}

static int appstore(jctx *c, json_t *root)
{
    json_t *feed = json_object_get(root, "feed");
    if (!json_is_object(feed)) return -1;
    json_t *e = json_object_get(feed, "entry");
    if (!e) return VOCAL_OK; /* a feed with no reviews */
    if (json_is_object(e)) return appstore_item(c, e, "$.feed.entry"); /* a single review */
    if (!json_is_array(e)) return reject(c, "$.feed.entry", "neither an object nor an array");
    return entries(c, e, "$.feed.entry", appstore_item);
}

/* MARK: structure detection and dispatch */

static json_t *first_el(json_t *root)
{
    return json_is_array(root) ? json_array_get(root, 0) : NULL;
}

/* docs/import.md "auto": the first rule that matches. */
static vocal_import_format detect(json_t *root, int ndjson, char *why, size_t cap)
{
    json_t *f0 = first_el(root);
    const char *kind = jstr(json_is_array(root) ? f0 : root, "kind");
    if (ndjson) {
        snprintf(why, cap, "one JSON object per line (Reddit dump)");
        return VOCAL_IMPORT_REDDIT;
    }
    if (json_is_array(json_object_get(root, "orderedItems"))) {
        snprintf(why, cap, "JSON object with orderedItems (ActivityPub outbox)");
        return VOCAL_IMPORT_MASTODON;
    }
    if (json_is_object(json_object_get(root, "feed"))) {
        snprintf(why, cap, "JSON object with feed.entry (App Store customer reviews)");
        return VOCAL_IMPORT_APPSTORE;
    }
    if (kind && (!strcmp(kind, "Listing") || !strcmp(kind, "t1") || !strcmp(kind, "t3"))) {
        snprintf(why, cap, "JSON with kind \"%s\" (Reddit API)", kind);
        return VOCAL_IMPORT_REDDIT;
    }
    if (json_is_object(root) && json_object_get(root, "comments_media_comments")) {
        snprintf(why, cap, "JSON object with comments_media_comments (Instagram)");
        return VOCAL_IMPORT_INSTAGRAM;
    }
    if (json_is_object(root) && (json_object_get(root, "comments_v2") || json_object_get(root, "comments"))) {
        snprintf(why, cap, "JSON object with comments_v2 (Facebook comments)");
        return VOCAL_IMPORT_FACEBOOK;
    }
    if (json_is_object(f0) && (json_object_get(f0, "tweet") || json_object_get(f0, "full_text"))) {
        snprintf(why, cap, "JSON array of tweet objects (X archive)");
        return VOCAL_IMPORT_TWITTER;
    }
    if (json_is_object(f0) && (json_object_get(f0, "string_map_data") || json_object_get(f0, "media"))) {
        snprintf(why, cap, "JSON array of %s entries (Instagram)",
                 json_object_get(f0, "media") ? "media" : "string_map_data");
        return VOCAL_IMPORT_INSTAGRAM;
    }
    if (json_is_object(f0) && json_object_get(f0, "timestamp") &&
        (json_object_get(f0, "data") || json_object_get(f0, "attachments") || json_object_get(f0, "title"))) {
        snprintf(why, cap, "JSON array of timestamp/data entries (Facebook posts)");
        return VOCAL_IMPORT_FACEBOOK;
    }
    if (json_is_object(f0) && (json_object_get(f0, "body") || json_object_get(f0, "selftext"))) {
        snprintf(why, cap, "JSON array of body/selftext objects (Reddit)");
        return VOCAL_IMPORT_REDDIT;
    }
    return VOCAL_IMPORT_UNKNOWN;
}

static const char *expected[] = {
    "", "an array of tweets", "an array of posts or an object with comments_v2",
    "an array of posts or comments", "an object with orderedItems", "a Listing or things with kind t1/t3",
    "", "", "an object with feed.entry",
};

static int dispatch(jctx *c, vocal_import_format f, json_t *root)
{
    switch (f) {
    case VOCAL_IMPORT_TWITTER: return twitter(c, root);
    case VOCAL_IMPORT_FACEBOOK: return facebook(c, root);
    case VOCAL_IMPORT_INSTAGRAM: return instagram(c, root);
    case VOCAL_IMPORT_MASTODON: return mastodon(c, root);
    case VOCAL_IMPORT_REDDIT: return reddit(c, root);
    case VOCAL_IMPORT_APPSTORE: return appstore(c, root);
    default: return -1;
    }
}

/* The JSON text: after "window.YTD.<name>.partN =" in X archive files. */
static size_t json_start(const char *buf, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (n - i >= 7 && !memcmp(buf + i, "window.", 7)) {
        const char *eq = memchr(buf + i, '=', n - i > 256 ? 256 : n - i);
        if (eq) return (size_t)(eq - buf) + 1;
    }
    return i;
}

static int syntax_error(vocal__sink *s, const json_error_t *je, uint64_t base, size_t n, vocal_error *err)
{
    if (json_error_code(je) == json_error_out_of_memory) return vocal__err_oom(err);
    /* the offending byte; for input that ends too soon, the end itself */
    int early = json_error_code(je) == json_error_premature_end_of_input;
    uint64_t at = early ? n : je->position > 0 ? (uint64_t)je->position - 1 : 0;
    if (at > n) at = n;
    const char *hint = early ? " (truncated file?)" : "";
    return vocal__err(err, VOCAL_EFORMAT, s->path, 0, base + at, "invalid JSON: %s%s", je->text, hint);
}

/* One object per line (Reddit dumps from Pushshift and its successors). */
static int ndjson(jctx *c, const char *buf, size_t n, size_t start)
{
    uint64_t line = 1;
    int rc;
    for (size_t i = 0; i < start; i++) line += buf[i] == '\n';
    for (size_t p = start; p < n;) {
        const char *nl = memchr(buf + p, '\n', n - p);
        size_t e = nl ? (size_t)(nl - buf) : n, len = e - p;
        const char *s = buf + p;
        size_t m = len;
        vocal__trim(&s, &m);
        if (m) {
            json_error_t je;
            json_t *v = json_loadb(s, m, 0, &je);
            c->line = line;
            c->byte = (uint64_t)(s - buf);
            if (!v) {
                if (json_error_code(&je) == json_error_out_of_memory) return VOCAL_ENOMEM;
                int early = json_error_code(&je) == json_error_premature_end_of_input;
                uint64_t at = early ? m : je.position > 0 ? (uint64_t)je.position - 1 : 0;
                c->byte += at < m ? at : m;
                TRY(vocal__sink_reject(c->s, line, c->byte, "invalid JSON: %s", je.text));
            } else {
                rc = reddit_walk(c, v, "$", 0);
                json_decref(v);
                if (rc < 0) return rc;
            }
        }
        line++;
        p = e + 1;
    }
    c->line = 0;
    c->byte = UINT64_MAX;
    return VOCAL_OK;
}

/* 1 if the first two non-blank lines both start with '{': one object per line. */
static int looks_line_delimited(const char *buf, size_t n)
{
    int seen = 0;
    for (size_t p = 0; p < n && seen < 2;) {
        const char *nl = memchr(buf + p, '\n', n - p);
        size_t e = nl ? (size_t)(nl - buf) : n;
        const char *l = buf + p;
        size_t m = e - p;
        vocal__trim(&l, &m);
        if (m) {
            if (l[0] != '{') return 0;
            seen++;
        }
        p = e + 1;
    }
    return seen == 2;
}

int vocal__import_json(vocal__sink *s, vocal_import_format f, const char *buf, size_t n, vocal_error *err)
{
    size_t start = json_start(buf, n);
    json_error_t je;
    int rc = VOCAL_OK, is_nd = 0;
    /* the first value only: what follows is checked below (a ';' after an
     * X archive's array, or more objects in a dump) */
    json_t *root = json_loadb(buf + start, n - start, JSON_DISABLE_EOF_CHECK, &je);
    if (!root && (f == VOCAL_IMPORT_AUTO || f == VOCAL_IMPORT_REDDIT) && looks_line_delimited(buf + start, n - start)) {
        /* a dump whose first line is broken: the lines are read one by one */
        if (f == VOCAL_IMPORT_AUTO) snprintf(s->why, sizeof s->why, "one JSON object per line (Reddit dump)");
        s->fmt = VOCAL_IMPORT_REDDIT;
        jctx c = {s, {0}, 0, 0, UINT64_MAX};
        rc = ndjson(&c, buf, n, start);
        vocal__buf_free(&c.tmp);
        return rc < 0 ? vocal__err_oom(err) : rc;
    }
    if (!root) return syntax_error(s, &je, start, n - start, err);
    size_t end = start + (size_t)je.position;
    while (end < n && (buf[end] == ' ' || buf[end] == '\t' || buf[end] == '\r' || buf[end] == '\n' ||
                       buf[end] == ';'))
        end++;
    if (end < n) {
        if (buf[end] == '{' && json_is_object(root) && (f == VOCAL_IMPORT_AUTO || f == VOCAL_IMPORT_REDDIT)) {
            is_nd = 1;
        } else {
            json_decref(root);
            return vocal__err(err, VOCAL_EFORMAT, s->path, 0, end, "invalid JSON: text after the end of the document");
        }
    }
    if (f == VOCAL_IMPORT_AUTO) {
        f = detect(root, is_nd, s->why, sizeof s->why);
        if (f == VOCAL_IMPORT_UNKNOWN) {
            rc = vocal__err(err, VOCAL_EFORMAT, s->path, 0, UINT64_MAX,
                            "unknown JSON structure at $ (%s): name a format with --from", type_name(root));
            json_decref(root);
            return rc;
        }
    }
    s->fmt = f;
    jctx c = {s, {0}, f == VOCAL_IMPORT_FACEBOOK || f == VOCAL_IMPORT_INSTAGRAM, 0, UINT64_MAX};
    if (is_nd) {
        json_decref(root);
        root = NULL;
        rc = ndjson(&c, buf, n, start);
    } else {
        rc = dispatch(&c, f, root);
        if (rc == -1) {
            const char *want = (size_t)f < sizeof expected / sizeof expected[0] ? expected[f] : "";
            rc = vocal__err(err, VOCAL_EFORMAT, s->path, 0, UINT64_MAX, "not a %s export: $ is %s, expected %s",
                            vocal_import_format_name(f), type_name(root), want);
        } else if (rc == VOCAL_ENOMEM) {
            vocal__err_oom(err);
        }
    }
    if (rc == VOCAL_ENOMEM && is_nd) vocal__err_oom(err);
    json_decref(root);
    vocal__buf_free(&c.tmp);
    return rc;
}
