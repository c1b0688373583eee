-- Health-action monitoring (健康郑州行动监测评估, 郑政文〔2020〕59号 附件2 and 附件3): the monitored
-- series, their targets, yearly (and monthly) observations per area with who entered and who
-- approved them, the old values an unlock replaced, decisions on qualitative targets and the
-- published reports. Keep in step with the other backend's migration of the same name.

-- One series per indicator of an assessment table (附件3) and per prose target's metric.
-- Decimals are TEXT: the value exactly as published (`79.49`, `4.10`), computed with rust_decimal.
CREATE TABLE health_series (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    key TEXT NOT NULL,
    -- 附件3 序号 and the part of a row holding two indicators (row 25: 0 and 1); NULL for prose.
    no INTEGER,
    part INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    -- %, ‰, 1/10万, 岁, 人, 小时, 名; factor: what one unit is per one (100, 1000, 100000, 1).
    unit TEXT,
    factor TEXT,
    direction TEXT NOT NULL,
    direction_source TEXT NOT NULL,
    baseline_value TEXT,
    baseline_year INTEGER,
    baseline_text TEXT,
    basis TEXT,
    -- The action (专项行动) that owns it: its row in tasks (kind 'action') and how it was found.
    action_task_id INTEGER REFERENCES tasks(id),
    action_no INTEGER,
    owner_source TEXT NOT NULL,
    source TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (document_id, key)
);
CREATE INDEX health_series_action ON health_series(action_task_id);

-- Milestone, trend or qualitative targets, each citing where it is written.
CREATE TABLE health_targets (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES health_series(id),
    year INTEGER NOT NULL,
    op TEXT NOT NULL,
    value TEXT,
    words TEXT NOT NULL,
    source TEXT NOT NULL,
    clause TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);
CREATE INDEX health_targets_series ON health_targets(series_id, year);

-- Observations: one value per series, area (`city` or a county/district unit), year and month
-- (0 = the year's value). `status` mirrors the approval case (entered, submitted, approved).
CREATE TABLE health_observations (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES health_series(id),
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL DEFAULT 0,
    value TEXT NOT NULL,
    numerator TEXT,
    denominator TEXT,
    note TEXT NOT NULL DEFAULT '',
    case_id INTEGER REFERENCES cases(id),
    status TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_unit TEXT,
    entered_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (series_id, area, year, month)
);
CREATE INDEX health_observations_area ON health_observations(area, series_id, year);
CREATE INDEX health_observations_case ON health_observations(case_id);

-- Every value an entry replaced (after an unlock, or a correction before approval), never changed.
CREATE TABLE health_value_history (
    id INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES health_observations(id),
    value TEXT NOT NULL,
    numerator TEXT,
    denominator TEXT,
    status TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    replaced_by TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX health_value_history_obs ON health_value_history(observation_id, id);

-- Decisions on qualitative targets (提前实现, 优于全国平均水平) with their evidence.
CREATE TABLE health_decisions (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES health_targets(id),
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    met BOOLEAN NOT NULL,
    evidence TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX health_decisions_target ON health_decisions(target_id, area, year, id);

-- Published reports (附件2 二（三）): the overall monitoring report or an action's special report.
CREATE TABLE health_reports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    action_no INTEGER NOT NULL DEFAULT 0,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (kind, year, action_no)
);
