-- The whole schema, for a fresh PostgreSQL (15 or later) database: what the
-- SQLite migrations 0001 to 0011 leave, together with the store's own steps
-- run after them at open (safety_seal::seal_legacy_safety_rows drops
-- safety_answers_plain and session_screens_plain; plan_seal::
-- seal_legacy_plan_items makes plan_items_sealed the plan_items table). A
-- fresh database has no plaintext rows to seal, so neither step has
-- anything to do here and neither legacy table exists.
--
-- Plain DDL only: no advisory locks, triggers, functions, DO blocks,
-- extensions, sequences of our own, deferrable constraints or CREATE INDEX
-- CONCURRENTLY, so that Citus and YugabyteDB can run it as it is. See
-- README.md beside this file for each decision.
--
-- Types: SQLite INTEGER (64-bit, bound as i64) is BIGINT; BLOB is BYTEA;
-- INTEGER CHECK (x IN (0, 1)) is BOOLEAN (the Rust side binds and reads
-- bool); TEXT moments written by strftime('%Y-%m-%dT%H:%M:%fZ', 'now') are
-- TIMESTAMPTZ(3) (milliseconds, as that text has), defaulting to the time of
-- the statement, as SQLite's 'now' is; *_unix columns hold unix seconds the
-- Rust side binds as i64 and stay BIGINT.
--
-- Free text (the "about" label, text answers, supporter names, exercise
-- content, plan items, safety answers, held screen outcomes, time zones) is
-- sealed (XChaCha20-Poly1305) with a data key per person before it reaches
-- the database.

-- Keys of the store: the key check, the throttling secret, the plan rules'
-- fingerprint.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- A sequence never gives out a value twice (not after a delete, not after a
-- rollback), so IDENTITY keeps a user id from ever being given out again by
-- itself: the SQLite trigger users_high_water (AFTER DELETE ON users, which
-- kept the highest deleted id in high_water) has no counterpart here.
-- ALWAYS, not BY DEFAULT: an insert that still names an id (SQLite's
-- max(...) + 1) fails at once instead of colliding with the sequence later.
CREATE TABLE users (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    -- A PHC string; NULL for the terminal's 'local' user, who cannot sign in.
    password_hash    TEXT,
    created_unix     BIGINT NOT NULL DEFAULT 0,
    -- Research use is off until the person turns it on.
    research_opt_in  BOOLEAN NOT NULL DEFAULT false,
    -- Sealed with the person's data key (context `time-zone:{user}`); NULL
    -- until chosen, which shows moments in UTC.
    time_zone_sealed BYTEA,
    -- Raised with every change to the person's kept scores.
    scores_version   BIGINT NOT NULL DEFAULT 0
);

-- The highest id ever deleted, per table, in SQLite. Nothing here writes it
-- (see users); it is kept so that a store copied over from SQLite can bring
-- its row, and the copy then restarts users' identity above
-- greatest(max(users.id), high_water.id).
CREATE TABLE high_water (
    tbl TEXT PRIMARY KEY,
    id  BIGINT NOT NULL
);

CREATE TABLE administrations (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_id      TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    about_sealed       BYTEA NOT NULL,
    position           BIGINT NOT NULL DEFAULT 0 CHECK (position >= 0),
    started_at         TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    completed_at       TIMESTAMPTZ(3),
    -- The one-time key of the form that began it; NULL when begun elsewhere.
    form_key           TEXT
);

CREATE INDEX administrations_by_owner ON administrations (owner_id, instrument_id, id);

CREATE UNIQUE INDEX administrations_by_form_key
    ON administrations (owner_id, form_key) WHERE form_key IS NOT NULL;

-- One answer per item: a value, sealed text, or a code, exactly one of them.
CREATE TABLE answers (
    administration_id BIGINT NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
    item_id           TEXT NOT NULL,
    value             BIGINT,
    text_sealed       BYTEA,
    code              TEXT CHECK (code IN ('not_applicable', 'prefer_not_to_say')),
    answered_at       TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    PRIMARY KEY (administration_id, item_id),
    -- SQLite: (value IS NOT NULL) + (text_sealed IS NOT NULL) + (code IS NOT NULL) = 1
    CHECK (num_nonnulls(value, text_sealed, code) = 1)
);

-- Point scores kept beside each finished administration; facets and indices
-- are JSON objects of id -> score, as text (the Rust side binds and reads
-- strings, and nothing queries inside them).
CREATE TABLE scorings (
    administration_id BIGINT PRIMARY KEY REFERENCES administrations (id) ON DELETE CASCADE,
    scorer_version    BIGINT NOT NULL,
    complete          BOOLEAN NOT NULL,
    facets            TEXT NOT NULL,
    indices           TEXT NOT NULL
);

-- Safety answers never share a table, a query or a type with other answers.
CREATE TABLE safety_screens (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_version TEXT NOT NULL,
    started_at         TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    completed_at       TIMESTAMPTZ(3)
);

CREATE TABLE safety_answers (
    screen_id     BIGINT NOT NULL REFERENCES safety_screens (id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL,
    -- The value, or the code `prefer_not_to_say`, sealed under the context
    -- `safety-answer:{screen_id}:{item_id}`.
    answer_sealed BYTEA NOT NULL,
    answered_at   TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    PRIMARY KEY (screen_id, item_id)
);

-- The support map.
CREATE TABLE supporters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name_sealed BYTEA NOT NULL,
    role        TEXT NOT NULL,
    created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp()
);

CREATE TABLE reliance (
    supporter_id BIGINT NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
    domain       TEXT NOT NULL,
    leans_on     BIGINT NOT NULL CHECK (leans_on BETWEEN 0 AND 4),
    leans_back   BIGINT NOT NULL CHECK (leans_back BETWEEN 0 AND 4),
    PRIMARY KEY (supporter_id, domain)
);

-- Server-side sessions: only the token's SHA-256 is stored.
CREATE TABLE sessions (
    token_hash     BYTEA PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token     TEXT NOT NULL,
    created_unix   BIGINT NOT NULL,
    last_seen_unix BIGINT NOT NULL,
    -- Such as "Chrome on Linux".
    label          TEXT NOT NULL,
    -- In place of SQLite's implicit rowid, which orders a person's sessions
    -- made in the same second (sessions_of: ORDER BY created_unix DESC,
    -- rowid DESC).
    seq            BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- The graded outcome of a screen the person did not keep, held beside the
-- session until it ends; "{outcome} {self_harm}" sealed under
-- `session-screen:{hex token_hash}`.
CREATE TABLE session_screens (
    token_hash     BYTEA PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    summary_sealed BYTEA NOT NULL
);

-- One row per failed (or reserved) sign-in and key: 'user:<hash>' or
-- 'addr:<hash>'. No foreign key: unknown names are throttled too.
CREATE TABLE login_failures (
    -- In place of SQLite's implicit rowid, by which a reserved attempt
    -- finds its rows again (throttle.rs: RETURNING rowid, WHERE rowid = ?).
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key     TEXT NOT NULL,
    at_unix BIGINT NOT NULL
);

CREATE INDEX login_failures_by_key ON login_failures (key, at_unix);

-- Per-user data keys, wrapped by the server key (context 'user-key:<user_id>').
CREATE TABLE user_keys (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    wrapped BYTEA NOT NULL
);

-- The action plan, as plan_seal::seal_legacy_plan_items leaves it: strategy,
-- reason and safety mark sealed in item_sealed (context `plan-item:{id}`).
-- The old unique index plan_items_current (owner_id, strategy_id) WHERE
-- status <> 'replaced' went with the old table (the strategy is sealed now);
-- refresh_plan keeps one current item per strategy itself.
CREATE TABLE plan_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_sealed  BYTEA NOT NULL,
    status       TEXT NOT NULL
                 CHECK (status IN ('suggested', 'chosen', 'done', 'dropped', 'replaced')),
    position     BIGINT NOT NULL,
    created_unix BIGINT NOT NULL,
    updated_unix BIGINT NOT NULL
);

CREATE INDEX plan_items_by_owner ON plan_items (owner_id, status);

-- What a person writes in an exercise: JSON sealed with their data key
-- (context 'exercise:<id>').
CREATE TABLE exercises (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    plan_item_id   BIGINT REFERENCES plan_items (id) ON DELETE SET NULL,
    content_sealed BYTEA NOT NULL,
    progress       BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done           BOOLEAN NOT NULL DEFAULT false,
    created_unix   BIGINT NOT NULL,
    updated_unix   BIGINT NOT NULL
);

CREATE INDEX exercises_by_owner ON exercises (owner_id, kind, created_unix);

CREATE INDEX exercises_by_plan_item ON exercises (plan_item_id);

-- The ISO weeks ('2026-W48') in which a person ticked an exercise off.
CREATE TABLE exercise_ticks (
    exercise_id BIGINT NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    PRIMARY KEY (exercise_id, week)
);

-- Single-use recovery codes: a selector and the Argon2id hash of the rest.
CREATE TABLE recovery_codes (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    selector     TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    created_unix BIGINT NOT NULL,
    PRIMARY KEY (user_id, selector)
);
