-- Recovery without email: ten single-use codes per account, shown once.
-- Each is found by its selector (the first group, not secret, unique within
-- the account) and checked against a salted Argon2id hash of the rest; the
-- row is deleted when used, so a code works once.
CREATE TABLE recovery_codes (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    selector     TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    PRIMARY KEY (user_id, selector)
) STRICT;
