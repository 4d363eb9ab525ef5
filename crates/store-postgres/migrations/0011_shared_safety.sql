-- One safety check's result a client chose to show the counsellor of one
-- share, by its own act, once (issue 14): the graded outcome and the
-- self-harm answer, sealed with the client's key, never the answers. It
-- is not in any scope; it goes with the share and with the screen.
CREATE TABLE shared_safety (
    share_id       BIGINT PRIMARY KEY REFERENCES shares (id) ON DELETE CASCADE,
    screen_id      BIGINT NOT NULL REFERENCES safety_screens (id) ON DELETE CASCADE,
    summary_sealed BYTEA NOT NULL,
    taken_unix     BIGINT NOT NULL,
    shared_unix    BIGINT NOT NULL
);
CREATE INDEX shared_safety_screen ON shared_safety (screen_id);
