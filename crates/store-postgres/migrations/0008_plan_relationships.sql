-- Plans kept per relationship: each plan item belongs to the relationship
-- whose plan it is part of. Items written before this migration are
-- attached by the store when it opens (`attach_plan_items`, a step in Rust
-- beside the one for administrations), to the relationship of the
-- person's latest finished profile.
ALTER TABLE plan_items ADD COLUMN relationship_id BIGINT REFERENCES relationships (id);

CREATE INDEX plan_items_by_relationship ON plan_items (owner_id, relationship_id, status);
