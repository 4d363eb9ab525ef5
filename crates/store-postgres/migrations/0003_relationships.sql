-- Relationships as things: each person's own, with a role and a sealed
-- name. Every administration belongs to one. Administrations written before
-- this migration are attached by the store when it opens (a step in Rust,
-- since "about" is sealed).
CREATE TABLE relationships (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('partner', 'parent', 'child', 'sibling',
                    'other_family', 'friend', 'colleague', 'other')),
    name_sealed BYTEA NOT NULL
);

CREATE INDEX relationships_by_owner ON relationships (owner_id);

ALTER TABLE administrations ADD COLUMN relationship_id BIGINT REFERENCES relationships (id);

CREATE INDEX administrations_by_relationship ON administrations (relationship_id);
