-- Per-user data keys, the action plan, and exercises.
--
-- From this version on, a person's free text (the "about" label, text
-- answers, supporter names, exercise content) is sealed with a data key of
-- their own. The data key is random, and stored here only wrapped (sealed) by
-- the server key from the key file or the configuration, so rotating the
-- server key re-wraps these rows and touches no other; deleting the account
-- deletes its key, and whatever ciphertext of theirs might be left can no
-- longer be opened by anyone.
--
-- Before this version free text was sealed with the server key itself, and
-- such values do not open with a data key. No release was made before this
-- version, and this migration does not convert old values: a store created
-- by a pre-release build must be recreated (an empty data dir).

CREATE TABLE user_keys (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- The 32-byte data key, sealed by the server key with the context
    -- 'user-key:<user_id>', so a wrapped key moved to another user does not open.
    wrapped BLOB NOT NULL
) STRICT;

-- The action plan: strategies suggested from a person's results, which they
-- may choose, finish or drop. Suggestions that a later refresh no longer
-- makes are kept as 'replaced', as history.
CREATE TABLE plan_items (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    strategy_id  TEXT NOT NULL,
    -- Why it was suggested, as JSON made by the program: never free text.
    reason       TEXT NOT NULL,
    -- Derived from safety answers: never part of any shared view.
    from_safety  INTEGER NOT NULL CHECK (from_safety IN (0, 1)),
    status       TEXT NOT NULL
                 CHECK (status IN ('suggested', 'chosen', 'done', 'dropped', 'replaced')),
    position     INTEGER NOT NULL,
    created_unix INTEGER NOT NULL,
    updated_unix INTEGER NOT NULL
) STRICT;

CREATE INDEX plan_items_by_owner ON plan_items (owner_id, status);

-- A strategy is in a person's current plan at most once; history may hold it
-- many times.
CREATE UNIQUE INDEX plan_items_current ON plan_items (owner_id, strategy_id)
    WHERE status <> 'replaced';

-- What a person writes in an exercise: the content is JSON sealed with their
-- data key (context 'exercise:<id>').
CREATE TABLE exercises (
    id             INTEGER PRIMARY KEY,
    owner_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    plan_item_id   INTEGER REFERENCES plan_items (id) ON DELETE SET NULL,
    content_sealed BLOB NOT NULL,
    progress       INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done           INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    created_unix   INTEGER NOT NULL,
    updated_unix   INTEGER NOT NULL
) STRICT;

CREATE INDEX exercises_by_owner ON exercises (owner_id, kind, created_unix);

CREATE INDEX exercises_by_plan_item ON exercises (plan_item_id);

-- The weeks in which a person ticked an exercise off, as ISO weeks ('2026-W48').
CREATE TABLE exercise_ticks (
    exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    PRIMARY KEY (exercise_id, week)
) STRICT;
