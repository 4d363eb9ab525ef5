-- A plan item's strategy, reason and whether safety answers shaped it are
-- sealed with the person's data key (context `plan-item:{id}`): a step such
-- as `get-safe-now` in the plain file would tell what a safety check found.
--
-- The new table is made here; the store moves every row into it at its next
-- open (`plan_seal::seal_legacy_plan_items`), sealing each with its owner's
-- key and keeping its id, then drops the old table and gives the new one its
-- name, all in one transaction with foreign keys off for the swap, as
-- SQLite's guide to changing a table prescribes (exercises refer to plan
-- items by id, and keep pointing at the same ones).
CREATE TABLE plan_items_sealed (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_sealed  BLOB NOT NULL,
    status       TEXT NOT NULL
                 CHECK (status IN ('suggested', 'chosen', 'done', 'dropped', 'replaced')),
    position     INTEGER NOT NULL,
    created_unix INTEGER NOT NULL,
    updated_unix INTEGER NOT NULL
) STRICT;
