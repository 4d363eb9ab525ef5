-- Point scores kept beside each finished administration, so that results,
-- trends and "the latest complete profile" are read, not recomputed from
-- every answer of every administration on each view. They are derived from
-- the answers (which stay the record) by the scoring rules of
-- `scorer_version`, and are made again when that version changes; a
-- finished administration with no row here is scored by the next reader or
-- by the server's backfill at start. Plain numbers, like the answers: each
-- scored facet and index as a JSON object of id → score (an unscored one is
-- absent), one row per administration so that finishing one writes once.
CREATE TABLE scorings (
    administration_id INTEGER PRIMARY KEY REFERENCES administrations (id) ON DELETE CASCADE,
    scorer_version    INTEGER NOT NULL,
    complete          INTEGER NOT NULL CHECK (complete IN (0, 1)),
    facets            TEXT NOT NULL,
    indices           TEXT NOT NULL
) STRICT;

-- Raised in the same transaction as every change to a person's kept scores
-- (a finish, a rescoring, a deletion): what is drawn from them is cached
-- under it, so every app instance on this database knows when to redraw.
ALTER TABLE users ADD COLUMN scores_version INTEGER NOT NULL DEFAULT 0;
