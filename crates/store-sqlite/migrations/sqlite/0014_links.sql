-- Partner links. One partner makes an invite for one of their own
-- relationships (kept by the SHA-256 of its code, never the code); the
-- other accepts it for one of theirs, which makes the link with a side for
-- each. Each side says how much the other sees ('none' until changed).
-- Ending a link ends it for both; its marks go with it.
CREATE TABLE links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_unix INTEGER NOT NULL,
    ended_unix   INTEGER
) STRICT;

CREATE TABLE link_sides (
    link_id         INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    owner_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    relationship_id INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    sharing         TEXT NOT NULL DEFAULT 'none'
                    CHECK (sharing IN ('none', 'indices', 'facets', 'items')),
    PRIMARY KEY (link_id, owner_id)
) STRICT;

CREATE INDEX link_sides_by_owner ON link_sides (owner_id);
CREATE INDEX link_sides_by_relationship ON link_sides (relationship_id);

CREATE TABLE link_invites (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    relationship_id INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    code_hash       BLOB NOT NULL UNIQUE,
    created_unix    INTEGER NOT NULL,
    expires_unix    INTEGER NOT NULL,
    used_unix       INTEGER
) STRICT;

CREATE INDEX link_invites_by_owner ON link_invites (owner_id);

-- Each partner's own marks on the discussion items of a comparison: a
-- star, or set aside. Private to the one who made them.
CREATE TABLE discussion_marks (
    link_id  INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id  TEXT NOT NULL,
    mark     TEXT NOT NULL CHECK (mark IN ('star', 'set_aside')),
    PRIMARY KEY (link_id, owner_id, item_id)
) STRICT;

-- Each administration's own order of items, from this seed (none: the
-- instrument's order). Scoring does not depend on it.
ALTER TABLE administrations ADD COLUMN item_seed INTEGER;
