-- Answers without a value, research consent, and safety screens held only
-- for a session.
--
-- 1. An answer may now be a code instead of a value or text:
--    'not_applicable' (an item that cannot apply to this relationship) or
--    'prefer_not_to_say'; both are scored as missing. SQLite cannot change a
--    CHECK constraint in place, so `answers` and `safety_answers` are made
--    anew and every row copied. No other table references them, so nothing
--    else moves, and this runs in the migration's one transaction: it all
--    happens or none of it does.

CREATE TABLE answers_v2 (
    administration_id INTEGER NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
    item_id           TEXT NOT NULL,
    value             INTEGER,
    text_sealed       BLOB,
    code              TEXT CHECK (code IN ('not_applicable', 'prefer_not_to_say')),
    answered_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (administration_id, item_id),
    CHECK ((value IS NOT NULL) + (text_sealed IS NOT NULL) + (code IS NOT NULL) = 1)
) STRICT;

INSERT INTO answers_v2 (administration_id, item_id, value, text_sealed, answered_at)
    SELECT administration_id, item_id, value, text_sealed, answered_at FROM answers;

DROP TABLE answers;

ALTER TABLE answers_v2 RENAME TO answers;

-- Safety answers keep their own table: a value (0 or 1) or 'prefer_not_to_say'.
CREATE TABLE safety_answers_v2 (
    screen_id   INTEGER NOT NULL REFERENCES safety_screens (id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,
    value       INTEGER,
    code        TEXT CHECK (code IN ('prefer_not_to_say')),
    answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (screen_id, item_id),
    CHECK ((value IS NULL) <> (code IS NULL))
) STRICT;

INSERT INTO safety_answers_v2 (screen_id, item_id, value, answered_at)
    SELECT screen_id, item_id, value, answered_at FROM safety_answers;

DROP TABLE safety_answers;

ALTER TABLE safety_answers_v2 RENAME TO safety_answers;

-- 2. Research use is a person's choice: off until they turn it on, and they
--    may turn it off again. Only their first finished administration per
--    instrument version is ever read for reliability estimates or
--    `tandem analyze --from-store`; safety answers never are.
ALTER TABLE users ADD COLUMN research_opt_in INTEGER NOT NULL DEFAULT 0
    CHECK (research_opt_in IN (0, 1));

-- 3. A safety screen the person chose not to keep still shapes their plan
--    until they sign out: only its graded outcome is held, beside the
--    session, and it goes when the session goes. Its own table, like every
--    other safety table, so no session query can carry it by accident.
CREATE TABLE session_screens (
    token_hash BLOB PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    outcome    TEXT NOT NULL CHECK (outcome IN ('clear', 'unclear', 'concern', 'urgent')),
    self_harm  INTEGER NOT NULL CHECK (self_harm IN (0, 1))
) STRICT;
