-- How many times each kept score was written, on its own row: the scores
-- version of a person (what drawn trends are cached under) is the users
-- column, raised only when an administration is deleted, plus the sum of
-- these. Writing scores then touches only the administration's own row, so
-- one person's concurrent submits no longer queue on their users row, one
-- commit after another (SQLite's engine batches them on its one writer
-- instead and keeps its counter on the users row).
ALTER TABLE scorings ADD COLUMN changes BIGINT NOT NULL DEFAULT 1;
