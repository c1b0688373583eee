-- Supervision of assigned work (督查督办): the items, their milestones, the reporting duties a
-- notice sets, and the reports units file. Keep in step with the other backend's migration.

-- One supervised item per case: where it came from and its progress.
CREATE TABLE sup_items (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    task_id INTEGER REFERENCES tasks(id),
    clause_ord INTEGER,
    no INTEGER NOT NULL,
    chapter TEXT NOT NULL,
    percent INTEGER NOT NULL DEFAULT 0,
    last_report_at TEXT,
    -- The item's status (not_started, in_progress, completed, behind, overdue) as computed on
    -- `status_as_of` from its state and clocks; recomputed by every action and by the
    -- scheduler when the date changes, so lists read it without scanning clocks.
    status TEXT NOT NULL DEFAULT 'not_started',
    status_as_of TEXT NOT NULL DEFAULT '',
    next_due TEXT,
    overdue_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sup_items_task ON sup_items(task_id);
CREATE INDEX sup_items_status ON sup_items(status);

-- Milestones read from the item's own words (`6月底前`, `年内`, `每季度`), each dated and
-- citing its words; words that cannot be dated are kept with `flagged` set.
CREATE TABLE sup_milestones (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    ord INTEGER NOT NULL,
    due_date TEXT,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    flagged BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (case_id, ord)
);

-- Reporting duties a document sets for the items it assigns (项目化推进计划, 月报, 台账).
CREATE TABLE sup_duties (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    dues TEXT NOT NULL,
    recipient TEXT NOT NULL,
    source TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    UNIQUE (document_id, key)
);

-- Reports: a plan, a monthly report, a ledger row, or a co-unit's contribution.
CREATE TABLE sup_reports (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    author TEXT NOT NULL,
    status TEXT NOT NULL,
    round INTEGER NOT NULL,
    progress TEXT NOT NULL,
    percent INTEGER,
    problems TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT '{}',
    submitted_at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id),
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_note TEXT
);
CREATE INDEX sup_reports_case ON sup_reports(case_id, id);
CREATE INDEX sup_reports_period ON sup_reports(kind, period, status);
