-- As SQLite's 0015_guesses.sql.
-- "How I think my partner answered": each side of a link says whether it
-- takes part ('off' until changed) and whether the other may see its
-- guesses ('shown'); each side's guesses of the other's answers, one point
-- per item. Ending a link ends its guesses with it.
ALTER TABLE link_sides ADD COLUMN guessing TEXT NOT NULL DEFAULT 'off'
    CHECK (guessing IN ('off', 'private', 'shown'));

CREATE TABLE link_guesses (
    link_id  BIGINT NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id  TEXT NOT NULL,
    value    BIGINT NOT NULL,
    PRIMARY KEY (link_id, owner_id, item_id)
);
