-- Login throttling per client address as well as per user name, and browsers that logged in
-- before (known devices), whose user is not held back by failures other people caused.
ALTER TABLE login_failures ADD COLUMN addr TEXT;
CREATE INDEX login_failures_addr_at ON login_failures(addr, at);
CREATE TABLE login_devices (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX login_devices_created ON login_devices(created_at);
