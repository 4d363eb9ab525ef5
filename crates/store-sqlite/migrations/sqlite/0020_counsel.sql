-- A counsellor's work with a client (issue 14). An assignment asks the
-- client of one share to answer an instrument by a day; it goes with the
-- share. A note is sealed with its counsellor's key; it goes with the
-- counsellor's account. When a client deletes their account the engine
-- deletes the shared notes and marks the private ones as a former
-- client's (share_id NULL, former_unix set) before the share goes.
CREATE TABLE assignments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    share_id      INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL CHECK (instrument_id <> 'safety'),
    due_unix      INTEGER NOT NULL,
    created_unix  INTEGER NOT NULL,
    declined_unix INTEGER
) STRICT;
CREATE INDEX assignments_share ON assignments (share_id);

CREATE TABLE counsel_notes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    counsellor_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    share_id      INTEGER REFERENCES shares (id) ON DELETE SET NULL,
    shared        INTEGER NOT NULL CHECK (shared IN (0, 1)),
    text_sealed   BLOB NOT NULL,
    created_unix  INTEGER NOT NULL,
    former_unix   INTEGER,
    CHECK (shared = 0 OR share_id IS NOT NULL)
) STRICT;
CREATE INDEX counsel_notes_counsellor ON counsel_notes (counsellor_id);
CREATE INDEX counsel_notes_share ON counsel_notes (share_id);
