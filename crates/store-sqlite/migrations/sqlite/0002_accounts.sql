-- Accounts for the web app: a password hash per user (the terminal's 'local'
-- user has none and cannot sign in), server-side sessions, and the record of
-- failed sign-ins that throttling counts.

ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN created_unix INTEGER NOT NULL DEFAULT 0;

-- The token itself is never stored, only its SHA-256: a copy of this file
-- does not let anyone sign in as anybody.
CREATE TABLE sessions (
    token_hash     BLOB PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token     TEXT NOT NULL,
    created_unix   INTEGER NOT NULL,
    last_seen_unix INTEGER NOT NULL,
    -- Such as "Chrome on Linux", for the list of a person's sessions.
    label          TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);

-- One row per failed sign-in and key: 'user:<name>' or 'addr:<ip>'. No
-- foreign key, since unknown names are throttled too; rows are pruned by age.
CREATE TABLE login_failures (
    key     TEXT NOT NULL,
    at_unix INTEGER NOT NULL
) STRICT;

CREATE INDEX login_failures_by_key ON login_failures (key, at_unix);
