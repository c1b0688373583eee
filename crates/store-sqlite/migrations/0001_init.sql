-- Luoshi schema, SQLite dialect. Keep in step with store-postgres/migrations/0001_init.sql:
-- same tables, same columns, same meaning.

CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    source_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    line_count INTEGER NOT NULL,
    text TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE unit_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES unit_groups(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (group_id, unit_id)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    doc_no TEXT NOT NULL UNIQUE,
    issuer TEXT NOT NULL,
    date TEXT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    attachments TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    text TEXT NOT NULL
);

CREATE TABLE clauses (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    parent_ord INTEGER,
    marker TEXT NOT NULL,
    path TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    UNIQUE (document_id, ord)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    no INTEGER NOT NULL,
    name TEXT NOT NULL,
    clause TEXT NOT NULL,
    text TEXT NOT NULL,
    deadlines TEXT NOT NULL DEFAULT '[]',
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);
CREATE INDEX tasks_document ON tasks(document_id);

-- One row per owner mention; a group mention also gets one row per member unit
-- (via_group names the group), so a unit's own work is a plain lookup by unit_id.
CREATE TABLE task_owners (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    group_id TEXT REFERENCES unit_groups(id),
    via_group TEXT,
    open BOOLEAN NOT NULL,
    resolved BOOLEAN NOT NULL
);
CREATE INDEX task_owners_task ON task_owners(task_id);
CREATE INDEX task_owners_unit ON task_owners(unit_id);
CREATE INDEX task_owners_name ON task_owners(role, name);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    no INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT,
    basis TEXT,
    baseline_value REAL,
    baseline_year INTEGER,
    baseline_text TEXT,
    targets TEXT NOT NULL DEFAULT '[]',
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    metric TEXT NOT NULL,
    year INTEGER NOT NULL,
    op TEXT NOT NULL,
    value REAL,
    unit TEXT,
    comparator TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE rosters (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    body TEXT NOT NULL,
    members TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE commendations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    category TEXT NOT NULL,
    kind TEXT NOT NULL,
    stated_count INTEGER,
    entries TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE unresolved (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE person_posts (
    person_id INTEGER NOT NULL REFERENCES people(id),
    post TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (person_id, post, document_id)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    roles TEXT NOT NULL,
    leader_name TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- Full-text search over clauses, on character unigrams and bigrams computed by the store
-- (see luoshi_store::search), so Chinese needs no word segmenter.
CREATE VIRTUAL TABLE clause_fts USING fts5(grams, content='', contentless_delete=1);

-- Append-only audit log: refuse edits and deletions through SQL.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
