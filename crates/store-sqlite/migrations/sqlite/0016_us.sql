-- "How I see us": each person's answers about one of their own
-- relationships as a whole, one point per item, the latest set only (a new
-- set replaces the old by the person's own act). They go with the
-- relationship or the account, never with a link.
CREATE TABLE us_answers (
    relationship_id INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    owner_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id         TEXT NOT NULL,
    value           INTEGER NOT NULL,
    answered_unix   INTEGER NOT NULL,
    PRIMARY KEY (relationship_id, item_id)
) STRICT;

CREATE INDEX us_answers_by_owner ON us_answers (owner_id);
