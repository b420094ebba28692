/* The SQLite store (docs/format/store.md): schema version 1, one run row
 * per `vocal classify --db` run, records appended in transactions. WAL
 * journal so a killed run leaves every committed transaction intact; the
 * run row is committed as 'running' before any record, and the next run
 * marks such rows 'interrupted'. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cli.h"

/* store.md: "records are inserted in transactions of a few thousand":
 * large enough that the commit's fsync is amortised, small enough that a
 * kill loses little. */
#define STORE_TXN_RECORDS 4096

struct cli_store {
    sqlite3 *db;
    const char *path;
    sqlite3_stmt *ins_rec, *ins_theme, *ins_rej, *upd_run;
    int64_t run_id;
    uint64_t in_txn; /* records inserted since BEGIN */
};

static const char schema_v1[] =
    "CREATE TABLE runs (\n"
    "  run_id        INTEGER PRIMARY KEY,\n"
    "  started_at    TEXT NOT NULL,\n"
    "  finished_at   TEXT,\n"
    "  status        TEXT NOT NULL,\n"
    "  vocal_version TEXT NOT NULL,\n"
    "  command       TEXT NOT NULL,\n"
    "  model         TEXT,\n"
    "  taxonomy      TEXT,\n"
    "  records_read     INTEGER NOT NULL DEFAULT 0,\n"
    "  records_tagged   INTEGER NOT NULL DEFAULT 0,\n"
    "  records_rejected INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE records (\n"
    "  run_id     INTEGER NOT NULL REFERENCES runs(run_id),\n"
    "  seq        INTEGER NOT NULL,\n"
    "  source     TEXT NOT NULL,\n"
    "  line       INTEGER NOT NULL,\n"
    "  id         TEXT,\n"
    "  date       TEXT,\n"
    "  nps        INTEGER, csat REAL, ces REAL,\n"
    "  segment    TEXT, touchpoint TEXT, channel TEXT,\n"
    "  fields     TEXT,\n"
    "  text       TEXT NOT NULL,\n"
    "  sentiment  TEXT NOT NULL,\n"
    "  score      REAL NOT NULL,\n"
    "  confidence REAL NOT NULL,\n"
    "  lexicon    REAL NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ");\n"
    "CREATE TABLE themes (\n"
    "  run_id     INTEGER NOT NULL,\n"
    "  seq        INTEGER NOT NULL,\n"
    "  rank       INTEGER NOT NULL,\n"
    "  theme      TEXT NOT NULL,\n"
    "  parent     TEXT NOT NULL,\n"
    "  polarity   TEXT NOT NULL,\n"
    "  confidence REAL NOT NULL,\n"
    "  source     TEXT NOT NULL,\n"
    "  evidence   TEXT NOT NULL,\n"
    "  root_cause INTEGER NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq, rank),\n"
    "  FOREIGN KEY (run_id, seq) REFERENCES records(run_id, seq)\n"
    ");\n"
    "CREATE TABLE rejects (\n"
    "  run_id INTEGER NOT NULL, source TEXT NOT NULL, line INTEGER, byte INTEGER,\n"
    "  reason TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX records_date ON records(date);\n"
    "CREATE INDEX themes_theme ON themes(theme);\n"
    "PRAGMA user_version = 1;\n";

static int db_fail(cli_store *s, const char *what)
{
    cli_error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
    return -1;
}

static int exec(cli_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cli_error("%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static void iso_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int schema(cli_store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, "cannot read the schema version");
    int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (version == 1) return 0;
    if (version != 0) {
        cli_error("%s: store schema version %d; this vocal knows version 1 (docs/format/store.md)", s->path,
                  version);
        return -1;
    }
    /* an empty file, or one with foreign tables: refuse the latter */
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, "not a database");
    int tables = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (tables != 0) {
        cli_error("%s: not a vocal store (it has other tables and no vocal schema version)", s->path);
        return -1;
    }
    if (exec(s, "BEGIN IMMEDIATE") < 0) return -1;
    if (exec(s, schema_v1) < 0) {
        exec(s, "ROLLBACK");
        return -1;
    }
    return exec(s, "COMMIT");
}

static int prepare(cli_store *s)
{
    static const char ins_rec[] =
        "INSERT INTO records (run_id, seq, source, line, id, date, nps, csat, ces, segment, touchpoint, channel,"
        " fields, text, sentiment, score, confidence, lexicon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char ins_rej[] = "INSERT INTO rejects (run_id, source, line, byte, reason) VALUES (?,?,?,?,?)";
    static const char upd_run[] =
        "UPDATE runs SET records_read = ?, records_tagged = ?, records_rejected = ?, status = ?,"
        " finished_at = ? WHERE run_id = ?";
    static const char ins_theme[] =
        "INSERT INTO themes (run_id, seq, rank, theme, parent, polarity, confidence, source, evidence,"
        " root_cause) VALUES (?,?,?,?,?,?,?,?,?,?)";
    if (sqlite3_prepare_v2(s->db, ins_rec, -1, &s->ins_rec, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, ins_theme, -1, &s->ins_theme, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, ins_rej, -1, &s->ins_rej, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, upd_run, -1, &s->upd_run, NULL) != SQLITE_OK)
        return db_fail(s, "cannot prepare statements");
    return 0;
}

int cli_store_open(cli_store **out, const char *path, const char *command, const char *model, uint64_t *marked)
{
    *out = NULL;
    *marked = 0;
    cli_store *s = calloc(1, sizeof *s);
    if (!s) {
        cli_error("out of memory");
        return -1;
    }
    s->path = path;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        db_fail(s, "cannot open");
        cli_store_close(s);
        return -1;
    }
    /* another process writing the store: wait for it rather than fail */
    sqlite3_busy_timeout(s->db, 10000);
    char now[32];
    iso_now(now);
    sqlite3_stmt *st = NULL;
    int ok = exec(s, "PRAGMA journal_mode = WAL") == 0 && exec(s, "PRAGMA synchronous = NORMAL") == 0 &&
             schema(s) == 0 && exec(s, "BEGIN IMMEDIATE") == 0;
    if (ok) {
        /* store.md: runs a killed process left 'running' are marked now */
        ok = exec(s, "UPDATE runs SET status = 'interrupted' WHERE status = 'running'") == 0;
        *marked = (uint64_t)sqlite3_changes(s->db);
    }
    if (ok && sqlite3_prepare_v2(s->db,
                                 "INSERT INTO runs (started_at, status, vocal_version, command, model)"
                                 " VALUES (?, 'running', ?, ?, ?)",
                                 -1, &st, NULL) != SQLITE_OK)
        ok = db_fail(s, "cannot prepare") == 0;
    if (ok) {
        sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, vocal_version(), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, command, -1, SQLITE_STATIC);
        if (model) sqlite3_bind_text(st, 4, model, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, 4);
        if (sqlite3_step(st) != SQLITE_DONE) ok = db_fail(s, "cannot insert the run") == 0;
        s->run_id = sqlite3_last_insert_rowid(s->db);
    }
    sqlite3_finalize(st);
    /* the run row is committed on its own, so a kill leaves it 'running' */
    if (ok) ok = exec(s, "COMMIT") == 0 && prepare(s) == 0 && exec(s, "BEGIN") == 0;
    if (!ok) {
        cli_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int64_t cli_store_run_id(const cli_store *s)
{
    return s->run_id;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v, size_t n, int present)
{
    if (present) sqlite3_bind_text(st, i, v, (int)n, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

int cli_store_record(cli_store *s, uint64_t seq, const cli_store_row *r)
{
    sqlite3_stmt *st = s->ins_rec;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, s->run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_text(st, 3, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->line);
    for (int k = 0; k < 2; k++) /* id, date */
        bind_opt_text(st, 5 + k, r->role[k], r->role_len[k], r->role[k] != NULL);
    if (r->has_nps) sqlite3_bind_int(st, 7, r->nps);
    else sqlite3_bind_null(st, 7);
    if (r->has_csat) sqlite3_bind_double(st, 8, r->csat);
    else sqlite3_bind_null(st, 8);
    if (r->has_ces) sqlite3_bind_double(st, 9, r->ces);
    else sqlite3_bind_null(st, 9);
    for (int k = 0; k < 3; k++) /* segment, touchpoint, channel */
        bind_opt_text(st, 10 + k, r->role[5 + k], r->role_len[5 + k], r->role[5 + k] != NULL);
    bind_opt_text(st, 13, r->fields_json, r->fields_len, r->fields_json != NULL);
    sqlite3_bind_text(st, 14, r->text, (int)r->text_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 15, r->sentiment, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 16, r->score);
    sqlite3_bind_double(st, 17, r->confidence);
    sqlite3_bind_double(st, 18, r->lexicon);
    if (sqlite3_step(st) != SQLITE_DONE) return db_fail(s, "cannot insert a record");
    s->in_txn++;
    return 0;
}

int cli_store_theme(cli_store *s, uint64_t seq, const cli_store_theme_row *t)
{
    sqlite3_stmt *st = s->ins_theme;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, s->run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_int(st, 3, t->rank);
    sqlite3_bind_text(st, 4, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, t->parent, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, t->polarity, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 7, t->confidence);
    sqlite3_bind_text(st, 8, t->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, t->evidence, (int)t->evidence_len, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, t->root_cause);
    if (sqlite3_step(st) != SQLITE_DONE) return db_fail(s, "cannot insert a theme");
    return 0;
}

int cli_store_reject(cli_store *s, const char *source, uint64_t line, uint64_t byte, const char *reason)
{
    sqlite3_stmt *st = s->ins_rej;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, s->run_id);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    if (line) sqlite3_bind_int64(st, 3, (sqlite3_int64)line);
    else sqlite3_bind_null(st, 3);
    if (byte != UINT64_MAX) sqlite3_bind_int64(st, 4, (sqlite3_int64)byte);
    else sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) return db_fail(s, "cannot insert a reject");
    return 0;
}

static int update_run(cli_store *s, uint64_t read, uint64_t tagged, uint64_t rejected, const char *status)
{
    sqlite3_stmt *st = s->upd_run;
    char now[32];
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)read);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)tagged);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)rejected);
    sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
    if (strcmp(status, "running") != 0) {
        iso_now(now);
        sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, 5);
    }
    sqlite3_bind_int64(st, 6, s->run_id);
    if (sqlite3_step(st) != SQLITE_DONE) return db_fail(s, "cannot update the run");
    return 0;
}

int cli_store_checkpoint(cli_store *s, uint64_t read, uint64_t tagged, uint64_t rejected)
{
    if (s->in_txn < STORE_TXN_RECORDS) return 0;
    /* the counts so far go in with the records, so an interrupted run says how far it got */
    if (update_run(s, read, tagged, rejected, "running") < 0 || exec(s, "COMMIT") < 0 || exec(s, "BEGIN") < 0)
        return -1;
    s->in_txn = 0;
    return 0;
}

int cli_store_finish(cli_store *s, uint64_t read, uint64_t tagged, uint64_t rejected, int complete)
{
    /* store.md: 'complete' with its counts in the same transaction as the last records */
    if (update_run(s, read, tagged, rejected, complete ? "complete" : "interrupted") < 0) return -1;
    return exec(s, "COMMIT");
}

void cli_store_close(cli_store *s)
{
    if (!s) return;
    sqlite3_finalize(s->ins_rec);
    sqlite3_finalize(s->ins_theme);
    sqlite3_finalize(s->ins_rej);
    sqlite3_finalize(s->upd_run);
    if (s->db && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s);
}
