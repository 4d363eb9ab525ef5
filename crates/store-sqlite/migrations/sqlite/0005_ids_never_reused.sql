-- A user id is never given out twice. SQLite reuses the largest rowid once
-- its row is deleted, so a write still in flight for a deleted account
-- could land in the next new one. The highest id ever deleted is kept here
-- (a number, nothing personal), and new accounts take ids above it.

CREATE TABLE high_water (
    tbl TEXT PRIMARY KEY,
    id  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER users_high_water AFTER DELETE ON users
BEGIN
    INSERT INTO high_water (tbl, id) VALUES ('users', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET id = max(id, excluded.id);
END;
