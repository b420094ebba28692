-- A small vocal store (docs/format/store.md): run 1 complete, run 2 still running.
PRAGMA user_version = 1;
CREATE TABLE runs (run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
  vocal_version TEXT NOT NULL, command TEXT NOT NULL, model TEXT, taxonomy TEXT,
  records_read INTEGER NOT NULL DEFAULT 0, records_tagged INTEGER NOT NULL DEFAULT 0,
  records_rejected INTEGER NOT NULL DEFAULT 0);
CREATE TABLE records (run_id INTEGER NOT NULL REFERENCES runs(run_id), seq INTEGER NOT NULL, source TEXT NOT NULL,
  line INTEGER NOT NULL, id TEXT, date TEXT, nps INTEGER, csat REAL, ces REAL, segment TEXT, touchpoint TEXT,
  channel TEXT, fields TEXT, text TEXT NOT NULL, sentiment TEXT NOT NULL, score REAL NOT NULL,
  confidence REAL NOT NULL, lexicon REAL NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE themes (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, rank INTEGER NOT NULL, theme TEXT NOT NULL,
  parent TEXT NOT NULL, polarity TEXT NOT NULL, confidence REAL NOT NULL, source TEXT NOT NULL,
  evidence TEXT NOT NULL, root_cause INTEGER NOT NULL, PRIMARY KEY (run_id, seq, rank));
CREATE TABLE rejects (run_id INTEGER NOT NULL, source TEXT NOT NULL, line INTEGER, byte INTEGER, reason TEXT NOT NULL);
CREATE INDEX records_date ON records(date);
CREATE INDEX themes_theme ON themes(theme);
INSERT INTO runs VALUES (1, '2026-10-01T09:00:00Z', '2026-10-01T09:00:02Z', 'complete', '0.1.0',
  'vocal classify --db store.db survey.csv', NULL, 'core.themes', 2, 2, 0);
INSERT INTO runs VALUES (2, '2026-10-02T09:00:00Z', NULL, 'running', '0.1.0',
  'vocal classify --db store.db more.csv', NULL, 'core.themes', 1, 1, 0);
INSERT INTO records VALUES (1, 0, 'survey.csv', 2, 'S1', '2026-10-01', 10, 5, 1, 'Premium', 'delivery', 'web',
  NULL, 'Fast delivery, thanks!', 'positive', 0.8, 0.9, 0.8);
INSERT INTO records VALUES (1, 1, 'survey.csv', 3, 'S2', '2026-10-02', 2, 1, 6, 'Standard', 'delivery', 'app',
  NULL, 'Late again. Mail me: ann@example.com', 'negative', -0.7, 0.9, -0.7);
INSERT INTO themes VALUES (1, 0, 0, 'delivery.fast', 'delivery', 'positive', 0.9, 'rules', '[]', 0);
INSERT INTO themes VALUES (1, 1, 0, 'delivery.late', 'delivery', 'negative', 0.9, 'rules', '[]', 1);
INSERT INTO records VALUES (2, 0, 'more.csv', 2, 'M1', '2026-10-03', 0, 1, 7, 'Standard', 'delivery', 'web',
  NULL, 'Awful', 'negative', -0.9, 0.9, -0.9);
