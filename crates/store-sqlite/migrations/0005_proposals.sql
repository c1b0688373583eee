-- Proposal handling (建议提案办理, 郑政办〔2020〕27号): items, proposers, handling rounds, replies,
-- co-signing opinions, meetings, written explanations of delay, feedback, return requests and
-- disclosures. Keep in step with the other backend's migration: same tables, same columns.

-- One item per case: where it came from, what it is, and its standing as computed on
-- `status_as_of` (recomputed by every action and by the scheduler when the date changes, so
-- lists, inboxes and the standards read it without scanning clocks).
CREATE TABLE prop_items (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    -- city_npc, city_cppcc, provincial_npc, provincial_cppcc, national_npc, national_cppcc
    source TEXT NOT NULL,
    -- suggestion (建议), proposal (提案), motion (建议案)
    kind TEXT NOT NULL,
    -- session (会议期间) or recess (闭会期间)
    session TEXT NOT NULL,
    session_name TEXT NOT NULL,
    key_item BOOLEAN NOT NULL,
    -- 第六条: to be read and instructed by the leader in charge before assignment.
    needs_instruction BOOLEAN NOT NULL,
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    round INTEGER NOT NULL DEFAULT 0,
    lead_unit TEXT REFERENCES units(id),
    received_date TEXT,
    return_due TEXT,
    reply_due TEXT,
    replied_date TEXT,
    -- none, on_time, due_soon, due_today, overdue, met
    due_status TEXT NOT NULL DEFAULT 'none',
    delay_explained BOOLEAN NOT NULL DEFAULT FALSE,
    met_in_person BOOLEAN NOT NULL DEFAULT FALSE,
    class TEXT,
    satisfaction TEXT,
    -- full, summary, withheld (NULL: not decided)
    disclosure TEXT,
    status_as_of TEXT NOT NULL DEFAULT '',
    UNIQUE (year, source, number)
);
CREATE INDEX prop_items_lead ON prop_items(lead_unit, year);
CREATE INDEX prop_items_due ON prop_items(due_status, reply_due);
CREATE INDEX prop_items_year ON prop_items(year, case_id);
CREATE INDEX prop_items_as_of ON prop_items(status_as_of);

-- Proposers: several may sign one item. Name and contact are fields as registered, never read
-- out of the text; `user_id` links a deputy's or member's account when they have one.
CREATE TABLE prop_proposers (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- 代表, 委员, 党派团体, 组织
    role TEXT NOT NULL,
    -- 代表团, 界别 or 党派
    affiliation TEXT NOT NULL,
    contact TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    UNIQUE (case_id, ord)
);
CREATE INDEX prop_proposers_user ON prop_proposers(user_id);
CREATE INDEX prop_proposers_name ON prop_proposers(name);

-- Handling rounds: an assignment, a reassignment after a return, or a redo. A new round never
-- changes an earlier one.
CREATE TABLE prop_rounds (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    -- assign, reassign, redo
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    lead_unit TEXT REFERENCES units(id),
    co_units TEXT NOT NULL DEFAULT '[]',
    received_date TEXT NOT NULL,
    return_due TEXT,
    return_explanation TEXT NOT NULL,
    reply_due TEXT NOT NULL,
    replied_date TEXT,
    -- returned, replied (NULL while open)
    outcome TEXT,
    closed_at TEXT,
    event_id INTEGER REFERENCES case_events(id),
    UNIQUE (case_id, round)
);

-- Replies (答复函): each draft is kept; review steps (第九条) are recorded on the row.
CREATE TABLE prop_replies (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    unit_id TEXT REFERENCES units(id),
    class TEXT NOT NULL,
    outcome TEXT NOT NULL,
    text TEXT NOT NULL,
    summary TEXT NOT NULL,
    signer TEXT NOT NULL,
    contact_person TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    copies TEXT NOT NULL DEFAULT '[]',
    letter_no TEXT NOT NULL,
    -- review, leader_review, sent, sent_back, formal_review, formal_sent
    status TEXT NOT NULL,
    drafted_by TEXT NOT NULL,
    drafted_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    leader_by TEXT,
    leader_at TEXT,
    sent_date TEXT,
    formal_text TEXT,
    formal_by TEXT,
    formal_at TEXT,
    review_note TEXT,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_replies_case ON prop_replies(case_id, id);

-- Co-signing opinions (会签): a co-unit's opinion sent to the lead unit.
CREATE TABLE prop_cosigns (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    unit_id TEXT REFERENCES units(id),
    opinion TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_cosigns_case ON prop_cosigns(case_id, round);

-- Face-to-face communication with the proposer (见面沟通).
CREATE TABLE prop_meetings (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    unit_id TEXT REFERENCES units(id),
    met_date TEXT NOT NULL,
    form TEXT NOT NULL,
    summary TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_meetings_case ON prop_meetings(case_id, round);

-- Written explanations of delay (第十九条): to the proposer and to the office.
CREATE TABLE prop_delays (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    unit_id TEXT REFERENCES units(id),
    explained_date TEXT NOT NULL,
    difficulties TEXT NOT NULL,
    measures TEXT NOT NULL,
    expected_date TEXT,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_delays_case ON prop_delays(case_id, round);

-- Feedback (征求意见表, 第十一条): given by the proposer, or entered by the office from paper.
CREATE TABLE prop_feedback (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    reply_id INTEGER REFERENCES prop_replies(id),
    proposer_id INTEGER REFERENCES prop_proposers(id),
    rating TEXT NOT NULL,
    comment TEXT NOT NULL,
    -- online, paper
    channel TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_feedback_case ON prop_feedback(case_id, round);

-- Return requests (退转, 第七条) and the office's decision.
CREATE TABLE prop_returns (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round INTEGER NOT NULL,
    unit_id TEXT REFERENCES units(id),
    -- lead, co
    role TEXT NOT NULL,
    requested_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- pending, approved, refused
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_returns_case ON prop_returns(case_id, round);

-- Disclosures (第二十条): what was published, from structured fields only — never the
-- proposers' names, contacts or the copy list — or why it was withheld. A new decision adds a
-- row and clears `is_current` on the earlier one.
CREATE TABLE prop_disclosures (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    reply_id INTEGER REFERENCES prop_replies(id),
    -- full, summary, withheld
    mode TEXT NOT NULL,
    reason TEXT NOT NULL,
    secret BOOLEAN NOT NULL,
    is_current BOOLEAN NOT NULL,
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    subject TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    unit_name TEXT NOT NULL,
    class TEXT NOT NULL,
    reply_date TEXT NOT NULL,
    text TEXT NOT NULL,
    redactions INTEGER NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES case_events(id)
);
CREATE INDEX prop_disclosures_public ON prop_disclosures(is_current, mode, unit_id);
CREATE INDEX prop_disclosures_case ON prop_disclosures(case_id, id);
