/* JSONL records through jansson: one object per line, text and labels found
 * by dotted paths. The line layer (blank lines, CRLF, oversized lines) is in
 * reader.c. See include/vocal/io.h. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "io_int.h"
#include "vocal/text.h"

/* jansson allocates with malloc: its hook (json_set_alloc_funcs) is
 * process-wide, and the library keeps no global state (DESIGN.md), so the
 * allocation-failure tests do not reach inside jansson. Its own
 * out-of-memory error is still mapped to VOCAL_ENOMEM. */

void vocal__jsonl_release(vocal_reader *r)
{
    if (r->json) {
        json_decref((json_t *)r->json);
        r->json = NULL;
    }
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

/* io.h: "a.b" is the key "a.b" if there is one, else key "b" under "a"; a
 * numeric segment indexes an array. NULL if the path leads nowhere. */
static json_t *path_get(json_t *v, const char *path)
{
    for (;;) {
        const char *dot = strchr(path, '.');
        size_t seg = dot ? (size_t)(dot - path) : strlen(path);
        json_t *next = NULL;
        if (json_is_object(v)) {
            if (dot && (next = json_object_get(v, path)) != NULL) return next;
            next = json_object_getn(v, path, seg);
        } else if (json_is_array(v)) {
            size_t idx = 0, i = 0;
            for (; i < seg && path[i] >= '0' && path[i] <= '9' && idx < ((size_t)1 << 40); i++)
                idx = idx * 10 + (size_t)(path[i] - '0');
            if (i == seg && seg > 0) next = json_array_get(v, idx);
        }
        if (!next || !dot) return next;
        v = next;
        path = dot + 1;
    }
}

static int add_label(vocal_reader *r, const json_t *v, uint64_t line, uint64_t byte, vocal_error *err)
{
    const char *f = r->label_field;
    if (json_is_integer(v)) {
        char num[32];
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return vocal__io_label_add(r, num, (size_t)n) < 0 ? vocal__err_oom(err) : VOCAL_OK;
    }
    const json_t *id = json_is_object(v) ? json_object_get(v, "id") : NULL;
    if (json_is_object(v) && !json_is_string(id)) id = json_object_get(v, "theme");
    if (json_is_string(id)) {
        /* a tagged theme, {"id":"delivery.late","polarity":"negative"}
         * (docs/format/records.md; "theme" for "id" as ../shared/eval writes
         * it): the label is "id" or "id:polarity" */
        const json_t *pol = json_object_get(v, "polarity");
        size_t il = json_string_length(id), pl = json_is_string(pol) ? json_string_length(pol) : 0;
        char buf[256];
        if (!il || il + pl + 2 > sizeof buf || memchr(json_string_value(id), '\0', il) ||
            (pl && memchr(json_string_value(pol), '\0', pl)))
            return vocal__io_reject(r, err, line, byte, "bad theme object in field \"%s\"", f);
        memcpy(buf, json_string_value(id), il);
        if (pl) {
            buf[il] = ':';
            memcpy(buf + il + 1, json_string_value(pol), pl);
            il += pl + 1;
        }
        return vocal__io_label_add(r, buf, il) < 0 ? vocal__err_oom(err) : VOCAL_OK;
    }
    if (!json_is_string(v))
        return vocal__io_reject(r, err, line, byte, "label field \"%s\" holds %s, not a string", f,
                                type_name(v));
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (vocal__io_blank(s, n)) return vocal__io_reject(r, err, line, byte, "empty label in field \"%s\"", f);
    if (memchr(s, '\0', n)) return vocal__io_reject(r, err, line, byte, "NUL byte in label");
    return vocal__io_label_add(r, s, n) < 0 ? vocal__err_oom(err) : VOCAL_OK;
}

/* Several text fields (io.h): the non-blank strings joined by a blank line;
 * a missing or null field counts as blank, another type is an error. */
static int joined_text(vocal_reader *r, json_t *root, uint64_t line, uint64_t byte, const char **text,
                       size_t *tlen, vocal_error *err)
{
    r->joined.len = 0;
    for (size_t i = 0; i < r->n_text; i++) {
        json_t *t = path_get(root, r->text_fields[i]);
        if (!t || json_is_null(t)) continue;
        if (!json_is_string(t))
            return vocal__io_reject(r, err, line, byte, "text field \"%s\" holds %s, not a string",
                                    r->text_fields[i], type_name(t));
        const char *s = json_string_value(t);
        size_t n = json_string_length(t);
        if (vocal__io_blank(s, n)) continue;
        if ((r->joined.len && vocal__buf_put(&r->joined, "\n\n", 2) < 0) || vocal__buf_put(&r->joined, s, n) < 0)
            return vocal__err_oom(err);
    }
    if (!r->joined.len) {
        if (!r->keep_blank_text)
            return vocal__io_reject(r, err, line, byte, "empty text in field \"%s\" and the other text fields",
                                    r->text_field);
        *text = "";
        *tlen = 0;
        return VOCAL_OK;
    }
    *text = r->joined.p;
    *tlen = r->joined.len;
    return VOCAL_OK;
}

/* keep_fields: the top-level members that are strings, numbers or booleans. */
static int keep_members(vocal_reader *r, json_t *root)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        char num[64];
        int n = -1, rc;
        switch (json_typeof(v)) {
        case JSON_STRING:
            rc = vocal__io_field_add(r, key, json_string_value(v), json_string_length(v), 0);
            break;
        case JSON_INTEGER:
            n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            rc = vocal__io_field_add(r, key, num, (size_t)n, 1);
            break;
        case JSON_REAL:
            /* %.17g round-trips a double */
            n = snprintf(num, sizeof num, "%.17g", json_real_value(v));
            rc = vocal__io_field_add(r, key, num, (size_t)n, 1);
            break;
        case JSON_TRUE:
        case JSON_FALSE:
            rc = vocal__io_field_add(r, key, json_is_true(v) ? "true" : "false", json_is_true(v) ? 4 : 5, 0);
            break;
        default:
            rc = VOCAL_OK; /* io.h: null, objects and arrays are left out */
        }
        if (rc < 0) return rc;
    }
    return VOCAL_OK;
}

int vocal__jsonl_record(vocal_reader *r, const char *s, size_t n, uint64_t line, uint64_t byte,
                        vocal_record *rec, vocal_error *err)
{
    json_error_t je;
    /* JSON_ALLOW_NUL: "\u0000" is kept in a text (it is len-based); a label
     * with one is rejected below */
    json_t *root = json_loadb(s, n, JSON_ALLOW_NUL, &je);
    if (!root) {
        if (json_error_code(&je) == json_error_out_of_memory) return vocal__err_oom(err);
        /* je.position counts the bytes read, the offending one included,
         * except for a UTF-8 error, where it stops short of the sequence:
         * there we find the first bad byte ourselves */
        uint64_t at = je.position > 0 ? (uint64_t)je.position - 1 : 0;
        size_t bad;
        if (json_error_code(&je) == json_error_invalid_utf8 && vocal_utf8_check(s, n, &bad) > 0) at = bad;
        if (at > n) at = n;
        return vocal__io_reject(r, err, line, byte + at, "invalid JSON at column %d: %s", je.column, je.text);
    }
    r->json = root;
    if (!json_is_object(root))
        return vocal__io_reject(r, err, line, byte, "line holds %s, not a JSON object", type_name(root));
    const char *text = NULL;
    size_t tlen = 0;
    int rc;
    if (r->n_text > 1) {
        if ((rc = joined_text(r, root, line, byte, &text, &tlen, err)) < 0) return rc;
    } else {
        json_t *t = path_get(root, r->text_field);
        /* a missing key stays an error even when blank texts are kept: it
         * is more often a misspelt --text-column than a silent respondent */
        if (!t || (json_is_null(t) && !r->keep_blank_text))
            return vocal__io_reject(r, err, line, byte, "missing field \"%s\"", r->text_field);
        if (t && !json_is_null(t) && !json_is_string(t))
            return vocal__io_reject(r, err, line, byte, "text field \"%s\" holds %s, not a string",
                                    r->text_field, type_name(t));
        text = t && json_is_string(t) ? json_string_value(t) : "";
        tlen = t && json_is_string(t) ? json_string_length(t) : 0;
        if (vocal__io_blank(text, tlen)) {
            if (!r->keep_blank_text)
                return vocal__io_reject(r, err, line, byte, "empty text in field \"%s\"", r->text_field);
            text = "";
            tlen = 0;
        }
    }
    if (r->label_field) {
        json_t *l = path_get(root, r->label_field);
        if (!l || json_is_null(l))
            return vocal__io_reject(r, err, line, byte, "missing field \"%s\"", r->label_field);
        if (json_is_array(l)) {
            size_t i;
            json_t *v;
            if (json_array_size(l) == 0 && r->empty_label) {
                if (vocal__io_label_add(r, r->empty_label, strlen(r->empty_label)) < 0) return vocal__err_oom(err);
            } else if (json_array_size(l) == 0) {
                return vocal__io_reject(r, err, line, byte, "no label: field \"%s\" is an empty array",
                                        r->label_field);
            }
            json_array_foreach(l, i, v) {
                if ((rc = add_label(r, v, line, byte, err)) < 0) return rc;
            }
        } else if ((rc = add_label(r, l, line, byte, err)) < 0) {
            return rc;
        }
    }
    if (r->keep_fields && (rc = keep_members(r, root)) < 0) return vocal__err_oom(err);
    rec->text = text;
    rec->text_len = tlen;
    return 1;
}

int vocal__jsonl_lookup(vocal_reader *r, const char *path, const char **s, size_t *n)
{
    json_t *v = r->json ? path_get((json_t *)r->json, path) : NULL;
    int k = -1;
    if (!v) return 0;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *s = json_string_value(v);
        *n = json_string_length(v);
        return 1;
    case JSON_INTEGER:
        k = snprintf(r->num, sizeof r->num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        k = snprintf(r->num, sizeof r->num, "%.17g", json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        k = snprintf(r->num, sizeof r->num, "%s", json_is_true(v) ? "true" : "false");
        break;
    default:
        return 0;
    }
    *s = r->num;
    *n = (size_t)k;
    return 1;
}
