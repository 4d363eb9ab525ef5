-- The audit log (issue 14): per person, a hash chain of what others read
-- of their data and of grants, links and sign-ins; chain 0 is the
-- operator's. Actors are kept by name, not by a key to `users`, so a
-- client's entries outlive a counsellor's account. Each entry holds the
-- hash of the one before; `audit_heads` holds each chain's last entry (and
-- is the row an append locks), so a chain cut short is found too. The
-- reads kept before in `share_reads` are chained and that table dropped
-- at open, by a step that can hash (`audit::chain_legacy_share_reads`).
CREATE TABLE audit_entries (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain     BIGINT NOT NULL,
    seq       BIGINT NOT NULL CHECK (seq >= 1),
    at_unix   BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    subject   BIGINT,
    detail    TEXT NOT NULL,
    prev_hash BYTEA NOT NULL CHECK (length(prev_hash) = 32),
    hash      BYTEA NOT NULL CHECK (length(hash) = 32),
    UNIQUE (chain, seq)
);

CREATE TABLE audit_heads (
    chain BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  BYTEA NOT NULL CHECK (length(hash) = 32)
);

-- Append-only: an entry is never changed. (An account's whole chain is
-- deleted with it, leaving a tombstone in the operator's chain.)
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are never changed';
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
