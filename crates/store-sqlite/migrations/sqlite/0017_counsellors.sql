-- Counsellors (issue 14). An account says what it is for; a counsellor's
-- can accept shares only once the operator has approved it.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'person'
    CHECK (role IN ('person', 'counsellor'));
ALTER TABLE users ADD COLUMN approved_unix INTEGER;

-- Whether a session began with a second factor (a passkey), which a
-- counsellor's must, unless the operator relaxed it.
ALTER TABLE sessions ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0
    CHECK (second_factor IN (0, 1));

-- A share is now made as an invite: its viewer is unknown until a
-- counsellor accepts its single-use code (kept as a SHA-256), and what it
-- shows is a scope (JSON: results level, instruments, relationships, and
-- the other parts) instead of one level. The table is remade to let
-- viewer_id be NULL; every share and every read of one is kept, with the
-- same ids, and the id counter is carried over so no id is given twice.
CREATE TABLE shares_kept AS SELECT * FROM shares;
CREATE TABLE share_reads_kept AS SELECT * FROM share_reads;
CREATE TABLE shares_seq_kept AS SELECT seq FROM sqlite_sequence WHERE name = 'shares';
DROP TABLE share_reads;
DROP TABLE shares;

CREATE TABLE shares (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    viewer_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('partner', 'counsellor')),
    scope             TEXT NOT NULL,
    code_hash         BLOB UNIQUE,
    code_expires_unix INTEGER NOT NULL,
    created_unix      INTEGER NOT NULL,
    accepted_unix     INTEGER,
    expires_unix      INTEGER,
    revoked_unix      INTEGER,
    CHECK (viewer_id IS NULL OR owner_id <> viewer_id),
    CHECK ((viewer_id IS NULL) = (accepted_unix IS NULL))
) STRICT;
INSERT INTO shares (id, owner_id, viewer_id, kind, scope, code_expires_unix, created_unix,
                    accepted_unix, expires_unix, revoked_unix)
    SELECT id, owner_id, viewer_id, kind, '{"results":"' || level || '"}', created_unix,
           created_unix, created_unix, expires_unix, revoked_unix
    FROM shares_kept;
CREATE INDEX shares_by_owner ON shares (owner_id);
CREATE INDEX shares_by_viewer ON shares (viewer_id);
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM shares_seq_kept))
    WHERE name = 'shares' AND EXISTS (SELECT 1 FROM shares_seq_kept);
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'shares', seq FROM shares_seq_kept
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'shares');

CREATE TABLE share_reads (
    id        INTEGER PRIMARY KEY,
    share_id  INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    viewer_id INTEGER NOT NULL,
    at_unix   INTEGER NOT NULL,
    what      TEXT NOT NULL
) STRICT;
INSERT INTO share_reads (id, share_id, viewer_id, at_unix, what)
    SELECT id, share_id, viewer_id, at_unix, what FROM share_reads_kept;
CREATE INDEX share_reads_by_share ON share_reads (share_id);

DROP TABLE shares_seq_kept;
DROP TABLE share_reads_kept;
DROP TABLE shares_kept;

-- Passkeys (WebAuthn), offered to everyone and needed by counsellors. The
-- credential is webauthn-rs's serialised passkey: a public key and a
-- counter, nothing secret. No two accounts share a credential id.
CREATE TABLE passkeys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id  BLOB NOT NULL UNIQUE,
    credential     TEXT NOT NULL,
    label          TEXT NOT NULL,
    created_unix   INTEGER NOT NULL,
    last_used_unix INTEGER
) STRICT;
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- The state between a passkey challenge and the browser's answer, under
-- the SHA-256 of a one-time key, for a few minutes; taken once.
CREATE TABLE passkey_ceremonies (
    key_hash     BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
    state        TEXT NOT NULL,
    expires_unix INTEGER NOT NULL
) STRICT;
