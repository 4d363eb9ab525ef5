-- Relationships as things: each person's own, with a role and a sealed
-- name. Every administration belongs to one. Existing administrations are
-- attached by the store when it opens (a step in Rust, since "about" is
-- sealed): one relationship per distinct "about" text, compared normalised.
CREATE TABLE relationships (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('partner', 'parent', 'child', 'sibling',
                    'other_family', 'friend', 'colleague', 'other')),
    name_sealed BLOB NOT NULL
) STRICT;

CREATE INDEX relationships_by_owner ON relationships (owner_id);

ALTER TABLE administrations ADD COLUMN relationship_id INTEGER REFERENCES relationships (id);

CREATE INDEX administrations_by_relationship ON administrations (relationship_id);
