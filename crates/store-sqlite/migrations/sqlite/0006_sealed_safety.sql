-- Safety answers, and the outcome of an unkept screen held beside a session,
-- are sealed with the person's data key, like what they wrote: whoever
-- holds the database file (or a backup) without the server key cannot read
-- who answered what.
--
-- Sealing needs the keys, which SQL does not have, so the old plaintext
-- tables are renamed here and emptied by the store at its next open
-- (`safety_seal::seal_legacy_rows`): every row is sealed into the new table
-- in one transaction, and the old table dropped. Nothing is lost between:
-- until then the old rows stay where they were.

ALTER TABLE safety_answers RENAME TO safety_answers_plain;

CREATE TABLE safety_answers (
    screen_id     INTEGER NOT NULL REFERENCES safety_screens (id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL,
    -- The value, or the code `prefer_not_to_say`, sealed under the context
    -- `safety-answer:{screen_id}:{item_id}`.
    answer_sealed BLOB NOT NULL,
    answered_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (screen_id, item_id)
) STRICT;

ALTER TABLE session_screens RENAME TO session_screens_plain;

CREATE TABLE session_screens (
    token_hash     BLOB PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    -- "{outcome} {self_harm}", sealed under `session-screen:{hex token_hash}`.
    summary_sealed BLOB NOT NULL
) STRICT;
