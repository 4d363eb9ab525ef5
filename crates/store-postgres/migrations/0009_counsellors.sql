-- Counsellors (issue 14); SQLite's 0017_counsellors. An account says what
-- it is for; a counsellor's accepts shares only once approved.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'person'
    CHECK (role IN ('person', 'counsellor'));
ALTER TABLE users ADD COLUMN approved_unix BIGINT;

-- Whether a session began with a second factor (a passkey).
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT false;

-- A share is made as an invite: no viewer until a counsellor accepts its
-- single-use code (a SHA-256), and a scope (JSON) in place of one level.
-- Every share and read is kept, with the same ids.
ALTER TABLE shares ALTER COLUMN viewer_id DROP NOT NULL;
ALTER TABLE shares ADD COLUMN scope TEXT;
UPDATE shares SET scope = '{"results":"' || level || '"}';
ALTER TABLE shares ALTER COLUMN scope SET NOT NULL;
ALTER TABLE shares DROP COLUMN level;
ALTER TABLE shares ADD COLUMN code_hash BYTEA UNIQUE;
ALTER TABLE shares ADD COLUMN code_expires_unix BIGINT;
UPDATE shares SET code_expires_unix = created_unix;
ALTER TABLE shares ALTER COLUMN code_expires_unix SET NOT NULL;
ALTER TABLE shares ADD COLUMN accepted_unix BIGINT;
UPDATE shares SET accepted_unix = created_unix;
ALTER TABLE shares DROP CONSTRAINT shares_check;
ALTER TABLE shares ADD CONSTRAINT shares_check
    CHECK (viewer_id IS NULL OR owner_id <> viewer_id);
ALTER TABLE shares ADD CONSTRAINT shares_accepted_check
    CHECK ((viewer_id IS NULL) = (accepted_unix IS NULL));

-- Passkeys and their ceremonies, as SQLite's 0017.
CREATE TABLE passkeys (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id  BYTEA NOT NULL UNIQUE,
    credential     TEXT NOT NULL,
    label          TEXT NOT NULL,
    created_unix   BIGINT NOT NULL,
    last_used_unix BIGINT
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE passkey_ceremonies (
    key_hash     BYTEA PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
    state        TEXT NOT NULL,
    expires_unix BIGINT NOT NULL
);
