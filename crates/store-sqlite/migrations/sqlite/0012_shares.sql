-- Shares: one person (owner) letting another (viewer) see some of their
-- results, at a level the owner changes at will, until the owner ends it
-- (revoked_unix) or it expires. A share goes with either account. Its id
-- is never given out again (AUTOINCREMENT), so a grant names one share.
CREATE TABLE shares (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    viewer_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('partner', 'counsellor')),
    level        TEXT NOT NULL CHECK (level IN ('indices', 'facets')),
    created_unix INTEGER NOT NULL,
    expires_unix INTEGER,
    revoked_unix INTEGER,
    CHECK (owner_id <> viewer_id)
) STRICT;
CREATE INDEX shares_by_owner ON shares (owner_id);
CREATE INDEX shares_by_viewer ON shares (viewer_id);

-- Every read through a share, appended in the transaction of the read, for
-- the owner to see who looked and when. It goes with the share.
CREATE TABLE share_reads (
    id        INTEGER PRIMARY KEY,
    share_id  INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    viewer_id INTEGER NOT NULL,
    at_unix   INTEGER NOT NULL,
    what      TEXT NOT NULL
) STRICT;
CREATE INDEX share_reads_by_share ON share_reads (share_id);
