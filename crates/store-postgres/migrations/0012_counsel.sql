-- A counsellor's work with a client (issue 14). An assignment asks the
-- client of one share to answer an instrument by a day; it goes with the
-- share. A note is sealed with its counsellor's key; it goes with the
-- counsellor's account. When a client deletes their account the engine
-- deletes the shared notes and marks the private ones as a former
-- client's (share_id NULL, former_unix set) before the share goes.
CREATE TABLE assignments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_id      BIGINT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL CHECK (instrument_id <> 'safety'),
    due_unix      BIGINT NOT NULL,
    created_unix  BIGINT NOT NULL,
    declined_unix BIGINT
);
CREATE INDEX assignments_share ON assignments (share_id);

CREATE TABLE counsel_notes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    counsellor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    share_id      BIGINT REFERENCES shares (id) ON DELETE SET NULL,
    shared        BOOLEAN NOT NULL,
    text_sealed   BYTEA NOT NULL,
    created_unix  BIGINT NOT NULL,
    former_unix   BIGINT,
    CHECK (NOT shared OR share_id IS NOT NULL)
);
CREATE INDEX counsel_notes_counsellor ON counsel_notes (counsellor_id);
CREATE INDEX counsel_notes_share ON counsel_notes (share_id);
