-- The case foundation (事项): every procedure's cases, their owners, history, attachments,
-- clocks (deadlines), the outbox of notifications, in-app notices and office settings.
-- Keep in step with the other backend's migration of the same name: same tables, same columns.

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    procedure TEXT NOT NULL,
    ref_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id),
    doc_no TEXT,
    clause TEXT,
    first_line INTEGER,
    last_line INTEGER,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (procedure, ref_key)
);
CREATE INDEX cases_procedure_state ON cases(procedure, state);
CREATE INDEX cases_document ON cases(document_id);

-- Owners: leaders, lead units (牵头), co-units (责任/会办), assisting units, and people
-- (a proposer) by user id. A group mention also gets one row per member (via_group).
CREATE TABLE case_owners (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    group_id TEXT REFERENCES unit_groups(id),
    via_group TEXT,
    user_id INTEGER REFERENCES users(id),
    open BOOLEAN NOT NULL,
    resolved BOOLEAN NOT NULL
);
CREATE INDEX case_owners_case ON case_owners(case_id);
CREATE INDEX case_owners_unit ON case_owners(unit_id, case_id);
CREATE INDEX case_owners_name ON case_owners(role, name);
CREATE INDEX case_owners_user ON case_owners(user_id);

-- History: one row per action taken, never changed.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_unit TEXT,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    note TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Attachments by content hash (SHA-256): the same file uploaded twice is stored once.
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE event_attachments (
    event_id INTEGER NOT NULL REFERENCES case_events(id),
    sha256 TEXT NOT NULL REFERENCES attachments(sha256),
    filename TEXT NOT NULL,
    PRIMARY KEY (event_id, sha256, filename)
);

-- Clocks: a due date with the explanation of how it was computed (rule, start, days skipped,
-- calendar version), the words it came from and the clause it cites.
CREATE TABLE clocks (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    due_date TEXT NOT NULL,
    due_time TEXT,
    explanation TEXT NOT NULL,
    source TEXT NOT NULL,
    cites TEXT NOT NULL,
    satisfied_at TEXT,
    satisfied_by TEXT,
    stopped_at TEXT,
    -- The last reminder queued (`overdue:2020-06-08`), so a scan skips clocks already done.
    reminded TEXT,
    UNIQUE (case_id, key)
);
CREATE INDEX clocks_due ON clocks(due_date);

-- The outbox: every notification is a row first; a worker delivers it. `dedupe_key` makes
-- queuing idempotent (a reminder is queued once however many servers scan the clocks).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE TABLE outbox_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at TEXT NOT NULL,
    worker TEXT NOT NULL,
    ok BOOLEAN NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id);

-- In-app notices, delivered from the outbox.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    case_id INTEGER REFERENCES cases(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    outbox_id INTEGER UNIQUE REFERENCES outbox(id)
);
CREATE INDEX notices_user ON notices(user_id, id);

-- Office settings (e.g. what a due day on a rest day does), each change audited.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
