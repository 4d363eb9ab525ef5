-- Shares and the reads through them, as SQLite's 0012_shares.sql: one
-- person (owner) letting another (viewer) see some of their results, at a
-- level the owner changes at will, until the owner ends it or it expires.
-- IDENTITY never gives an id out twice, as SQLite's AUTOINCREMENT.
CREATE TABLE shares (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    viewer_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('partner', 'counsellor')),
    level        TEXT NOT NULL CHECK (level IN ('indices', 'facets')),
    created_unix BIGINT NOT NULL,
    expires_unix BIGINT,
    revoked_unix BIGINT,
    CHECK (owner_id <> viewer_id)
);
CREATE INDEX shares_by_owner ON shares (owner_id);
CREATE INDEX shares_by_viewer ON shares (viewer_id);

CREATE TABLE share_reads (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_id  BIGINT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    viewer_id BIGINT NOT NULL,
    at_unix   BIGINT NOT NULL,
    what      TEXT NOT NULL
);
CREATE INDEX share_reads_by_share ON share_reads (share_id);
