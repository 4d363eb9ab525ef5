-- The first schema: people, administrations with answers saved one by one,
-- the safety screen in tables of its own, and the support map.
-- Free text (the "about" label, text answers, supporter names) is sealed
-- (XChaCha20-Poly1305) before it reaches this file.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE administrations (
    id                 INTEGER PRIMARY KEY,
    owner_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_id      TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    about_sealed       BLOB NOT NULL,
    position           INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
    started_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at       TEXT
) STRICT;

CREATE INDEX administrations_by_owner ON administrations (owner_id, instrument_id, id);

CREATE TABLE answers (
    administration_id INTEGER NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
    item_id           TEXT NOT NULL,
    value             INTEGER,
    text_sealed       BLOB,
    answered_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (administration_id, item_id),
    CHECK ((value IS NULL) <> (text_sealed IS NULL))
) STRICT;

-- Safety answers never share a table, a query or a type with other answers.
CREATE TABLE safety_screens (
    id                 INTEGER PRIMARY KEY,
    owner_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_version TEXT NOT NULL,
    started_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at       TEXT
) STRICT;

CREATE TABLE safety_answers (
    screen_id   INTEGER NOT NULL REFERENCES safety_screens (id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,
    value       INTEGER NOT NULL,
    answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (screen_id, item_id)
) STRICT;

CREATE TABLE supporters (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name_sealed BLOB NOT NULL,
    role        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE reliance (
    supporter_id INTEGER NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
    domain       TEXT NOT NULL,
    leans_on     INTEGER NOT NULL CHECK (leans_on BETWEEN 0 AND 4),
    leans_back   INTEGER NOT NULL CHECK (leans_back BETWEEN 0 AND 4),
    PRIMARY KEY (supporter_id, domain)
) STRICT;
