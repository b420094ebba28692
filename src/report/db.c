/* Reading tagged records from the SQLite store (docs/format/store.md):
 * complete runs only, unless runs are named; each skipped run is told to
 * the caller's log callback with the reason. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static int db_err(vocal_error *err, const char *path, int code, sqlite3 *db, const char *what)
{
    return vocal__err(err, code, path, 0, UINT64_MAX, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

static void say(vocal_log_fn log, void *payload, long long run, const char *status)
{
    if (!log) return;
    char msg[256];
    snprintf(msg, sizeof msg, "skipped run %lld: its status is '%s', not 'complete'", run, status);
    log(VOCAL_LOG_WARN, msg, payload);
}

/* The run ids to read: the named ones (each must be complete) or every
 * complete run; the others are told to log. */
static int choose_runs(int64_t **out, size_t *n_out, sqlite3 *db, const char *path, const int64_t *runs,
                       size_t n_runs, vocal_log_fn log, void *payload, vocal_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT run_id, status FROM runs ORDER BY run_id", -1, &st, NULL) != SQLITE_OK)
        return db_err(err, path, VOCAL_EFORMAT, db, "not a vocal store");
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, found = 0;
    int rc = VOCAL_OK, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *status = (const char *)sqlite3_column_text(st, 1);
        int complete = status && strcmp(status, "complete") == 0;
        int wanted = n_runs == 0;
        for (size_t i = 0; i < n_runs; i++) wanted |= runs[i] == id;
        if (!wanted) continue;
        if (n_runs) found++;
        if (!complete) {
            if (n_runs) {
                rc = vocal__err(err, VOCAL_EINPUT, path, 0, UINT64_MAX, "run %lld is %s, not complete",
                                (long long)id, status ? status : "without a status");
                break;
            }
            say(log, payload, (long long)id, status ? status : "");
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *x = vocal__realloc(ids, cap * sizeof *x);
            if (!x) {
                rc = vocal__err_oom(err);
                break;
            }
            ids = x;
        }
        ids[n++] = id;
    }
    if (rc == VOCAL_OK && s != SQLITE_DONE && s != SQLITE_ROW) rc = db_err(err, path, VOCAL_EIO, db, "cannot read runs");
    sqlite3_finalize(st);
    if (rc == VOCAL_OK && n_runs && found < n_runs) rc = vocal__err(err, VOCAL_EINPUT, path, 0, UINT64_MAX, "a run given with --run is not in the store");
    if (rc < 0) {
        vocal__free(ids);
        return rc;
    }
    *out = ids;
    *n_out = n;
    return VOCAL_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, i);
}

/* jansson (and the aggregate file) need valid UTF-8: a byte that is not is
 * replaced by '?', in place in a copy. */
static char *utf8_copy(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *c = vocal__strndup(s, n);
    if (!c) return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)c[i];
        size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
        if (len == 1) {
            i++;
            continue;
        }
        json_t *j = len && i + len <= n ? json_stringn(c + i, len) : NULL;
        if (!j) {
            c[i++] = '?';
            continue;
        }
        json_decref(j);
        i += len;
    }
    return c;
}

static int add_run_records(vocal_agg *a, sqlite3 *db, const char *path, int64_t run, vocal_error *err)
{
    static const char *q_rec =
        "SELECT seq, source, line, id, date, nps, csat, ces, segment, touchpoint, channel, text, sentiment, score "
        "FROM records WHERE run_id = ?1 ORDER BY seq";
    static const char *q_th =
        "SELECT theme, parent, polarity, confidence, root_cause FROM themes WHERE run_id = ?1 AND seq = ?2 "
        "ORDER BY rank";
    sqlite3_stmt *st = NULL, *tt = NULL;
    int rc = VOCAL_OK, s;
    if (sqlite3_prepare_v2(db, q_rec, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, q_th, -1, &tt, NULL) != SQLITE_OK) {
        rc = db_err(err, path, VOCAL_EFORMAT, db, "not a vocal store");
        goto done;
    }
    sqlite3_bind_int64(st, 1, run);
    while (rc == VOCAL_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rp_record r;
        rp_record_theme th[64];
        char *own[8] = {0};
        memset(&r, 0, sizeof r);
        int64_t seq = sqlite3_column_int64(st, 0);
        r.line = sqlite3_column_int64(st, 2);
        own[0] = utf8_copy(col_text(st, 1));
        own[1] = utf8_copy(col_text(st, 3));
        own[2] = utf8_copy(col_text(st, 4));
        own[3] = utf8_copy(col_text(st, 8));
        own[4] = utf8_copy(col_text(st, 9));
        own[5] = utf8_copy(col_text(st, 10));
        own[6] = utf8_copy(col_text(st, 11));
        r.source = own[0] ? own[0] : "";
        r.id = own[1];
        r.date = own[2] && vocal__valid_date(own[2], strlen(own[2])) ? own[2] : NULL;
        r.nps = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
        if (r.nps > 10 || r.nps < -1) r.nps = -1;
        r.has_csat = sqlite3_column_type(st, 6) != SQLITE_NULL;
        r.csat = vocal__milli(sqlite3_column_double(st, 6));
        r.has_ces = sqlite3_column_type(st, 7) != SQLITE_NULL;
        r.ces = vocal__milli(sqlite3_column_double(st, 7));
        for (int d = 0; d < 3; d++) r.dim[d] = own[3 + d];
        r.text = own[6] ? own[6] : "";
        r.text_len = strlen(r.text);
        const char *lab = col_text(st, 12);
        /* store.md: sentiment '' is a response without a comment */
        int blank = r.text_len == 0 && lab && !*lab;
        r.sentiment = blank ? -1 : vocal__lookup(lab, vocal__sentiment_names, 4);
        double sc = blank ? 0 : sqlite3_column_double(st, 13);
        r.score = vocal__milli(sc < -1 ? -1 : sc > 1 ? 1 : sc);
        /* themes of this record; parents and labels come from the ids here
         * (the store keeps no label: the report takes labels from the taxonomy) */
        char *tstr[64][2];
        size_t nt = 0;
        sqlite3_reset(tt);
        sqlite3_bind_int64(tt, 1, run);
        sqlite3_bind_int64(tt, 2, seq);
        while (nt < 64 && sqlite3_step(tt) == SQLITE_ROW) {
            static const char *const pol[3] = {"positive", "negative", "neutral"};
            tstr[nt][0] = utf8_copy(col_text(tt, 0));
            tstr[nt][1] = utf8_copy(col_text(tt, 1));
            th[nt].id = tstr[nt][0];
            th[nt].parent = tstr[nt][1];
            th[nt].label = NULL;
            th[nt].polarity = vocal__lookup(col_text(tt, 2), pol, 3);
            double c = sqlite3_column_double(tt, 3);
            th[nt].conf = vocal__milli(c < 0 ? 0 : c > 1 ? 1 : c);
            th[nt].root = sqlite3_column_int(tt, 4) != 0;
            if (th[nt].polarity < 0) th[nt].polarity = 2;
            nt++;
            if (!th[nt - 1].id || !*th[nt - 1].id) {
                vocal__free(tstr[nt - 1][0]);
                vocal__free(tstr[nt - 1][1]);
                nt--;
            }
        }
        r.themes = th;
        r.n_themes = nt;
        if (r.sentiment < 0 && !blank) {
            a->rejected++;
        } else {
            rc = vocal__agg_add(a, &r, err);
        }
        for (size_t i = 0; i < nt; i++) {
            vocal__free(tstr[i][0]);
            vocal__free(tstr[i][1]);
        }
        for (int i = 0; i < 8; i++) vocal__free(own[i]);
    }
    if (rc == VOCAL_OK && s != SQLITE_DONE) rc = db_err(err, path, VOCAL_EIO, db, "cannot read records");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(tt);
    return rc;
}

int vocal_agg_add_db(vocal_agg *a, const char *path, const int64_t *runs, size_t n_runs, vocal_log_fn log,
                     void *payload, vocal_error *err)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = db_err(err, path, VOCAL_EIO, db, "cannot open the store");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    int ver = -1, rc = VOCAL_OK;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) ver = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (ver != 1) {
        rc = ver < 0 ? db_err(err, path, VOCAL_EFORMAT, db, "not a SQLite database")
                     : vocal__err(err, ver > 1 ? VOCAL_EVERSION : VOCAL_EFORMAT, path, 0, UINT64_MAX,
                                  "store schema version %d; this vocal reads version 1", ver);
        sqlite3_close(db);
        return rc;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    rc = choose_runs(&ids, &n, db, path, runs, n_runs, log, payload, err);
    /* one read transaction, so a writer's commit midway is not half seen */
    if (rc == VOCAL_OK) sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < n && rc == VOCAL_OK; i++) rc = add_run_records(a, db, path, ids[i], err);
    if (rc == VOCAL_OK) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    vocal__free(ids);
    sqlite3_close(db);
    return rc;
}
