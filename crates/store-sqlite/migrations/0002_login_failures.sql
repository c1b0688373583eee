-- Failed logins, shared by every process on the database, so login throttling holds however
-- many servers run. Rows older than the throttle window are pruned as new ones arrive.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures(username, at);
CREATE INDEX login_failures_at ON login_failures(at);
