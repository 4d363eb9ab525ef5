//! The tables a store keeps, described once for every engine: their
//! columns, what each holds, and which identity each has.

/// What a column holds, in every engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 64-bit integer.
    Integer,
    /// UTF-8 text.
    Text,
    /// Bytes: sealed values, wrapped keys, token hashes.
    Bytes,
    /// True or false (SQLite: 0 or 1).
    Bool,
    /// A UTC instant to the millisecond (SQLite: text; PostgreSQL:
    /// `TIMESTAMPTZ(3)`).
    Moment,
}

/// One column of a copied table.
#[derive(Debug)]
pub struct Column {
    /// Its name, as PostgreSQL has it.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether it may be null.
    pub nullable: bool,
    /// Whether SQLite keeps it as the row's own id (`rowid`) rather than as
    /// a column of its own.
    pub rowid: bool,
}

/// One copied table.
#[derive(Debug)]
pub struct Table {
    /// Its name in every engine.
    pub name: &'static str,
    /// Its columns, in the order rows carry them.
    pub columns: &'static [Column],
    /// The column a PostgreSQL identity gives out, if any: copied as it is,
    /// and the identity restarted past the largest one afterwards.
    pub identity: Option<&'static str>,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: false,
        rowid: false,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: true,
        rowid: false,
    }
}

const fn rowid(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Integer,
        nullable: false,
        rowid: true,
    }
}

use Kind::{Bool, Bytes, Integer, Moment as At, Text};

/// Every table a store holds, parents before the tables that refer to them,
/// so that rows can be inserted in this order with foreign keys checked.
/// `meta` comes first: a store writes its own rows there at open (the key
/// check, the plan rules), so an empty target still has some, which an
/// import replaces with the source's.
pub const TABLES: &[Table] = &[
    Table {
        name: "meta",
        columns: &[col("key", Text), col("value", Bytes)],
        identity: None,
    },
    Table {
        name: "users",
        columns: &[
            col("id", Integer),
            col("name", Text),
            col("created_at", At),
            opt("password_hash", Text),
            col("created_unix", Integer),
            col("research_opt_in", Bool),
            opt("time_zone_sealed", Bytes),
            col("scores_version", Integer),
            col("role", Text),
            opt("approved_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "high_water",
        columns: &[col("tbl", Text), col("id", Integer)],
        identity: None,
    },
    Table {
        name: "user_keys",
        columns: &[col("user_id", Integer), col("wrapped", Bytes)],
        identity: None,
    },
    Table {
        name: "relationships",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("role", Text),
            col("name_sealed", Bytes),
        ],
        identity: Some("id"),
    },
    Table {
        name: "administrations",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("instrument_id", Text),
            col("instrument_version", Text),
            col("about_sealed", Bytes),
            col("position", Integer),
            col("started_at", At),
            opt("completed_at", At),
            opt("form_key", Text),
            opt("relationship_id", Integer),
            opt("item_seed", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "answers",
        columns: &[
            col("administration_id", Integer),
            col("item_id", Text),
            opt("value", Integer),
            opt("text_sealed", Bytes),
            opt("code", Text),
            col("answered_at", At),
        ],
        identity: None,
    },
    Table {
        name: "scorings",
        columns: &[
            col("administration_id", Integer),
            col("scorer_version", Integer),
            col("complete", Bool),
            col("facets", Text),
            col("indices", Text),
        ],
        identity: None,
    },
    Table {
        name: "safety_screens",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("instrument_version", Text),
            col("started_at", At),
            opt("completed_at", At),
        ],
        identity: Some("id"),
    },
    Table {
        name: "safety_answers",
        columns: &[
            col("screen_id", Integer),
            col("item_id", Text),
            col("answer_sealed", Bytes),
            col("answered_at", At),
        ],
        identity: None,
    },
    Table {
        name: "supporters",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("name_sealed", Bytes),
            col("role", Text),
            col("created_at", At),
        ],
        identity: Some("id"),
    },
    Table {
        name: "reliance",
        columns: &[
            col("supporter_id", Integer),
            col("domain", Text),
            col("leans_on", Integer),
            col("leans_back", Integer),
        ],
        identity: None,
    },
    Table {
        name: "sessions",
        columns: &[
            col("token_hash", Bytes),
            col("user_id", Integer),
            col("csrf_token", Text),
            col("created_unix", Integer),
            col("last_seen_unix", Integer),
            col("label", Text),
            col("second_factor", Bool),
            rowid("seq"),
        ],
        identity: Some("seq"),
    },
    Table {
        name: "session_screens",
        columns: &[col("token_hash", Bytes), col("summary_sealed", Bytes)],
        identity: None,
    },
    Table {
        name: "login_failures",
        columns: &[rowid("id"), col("key", Text), col("at_unix", Integer)],
        identity: Some("id"),
    },
    Table {
        name: "plan_items",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            opt("relationship_id", Integer),
            col("item_sealed", Bytes),
            col("status", Text),
            col("position", Integer),
            col("created_unix", Integer),
            col("updated_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "exercises",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("kind", Text),
            opt("plan_item_id", Integer),
            col("content_sealed", Bytes),
            col("progress", Integer),
            col("done", Bool),
            col("created_unix", Integer),
            col("updated_unix", Integer),
            col("shown", Bool),
        ],
        identity: Some("id"),
    },
    Table {
        name: "exercise_ticks",
        columns: &[col("exercise_id", Integer), col("week", Text)],
        identity: None,
    },
    Table {
        name: "recovery_codes",
        columns: &[
            col("user_id", Integer),
            col("selector", Text),
            col("code_hash", Text),
            col("created_unix", Integer),
        ],
        identity: None,
    },
    Table {
        name: "shares",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            opt("viewer_id", Integer),
            col("kind", Text),
            col("scope", Text),
            opt("code_hash", Bytes),
            col("code_expires_unix", Integer),
            col("created_unix", Integer),
            opt("accepted_unix", Integer),
            opt("expires_unix", Integer),
            opt("revoked_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "shared_safety",
        columns: &[
            col("share_id", Integer),
            col("screen_id", Integer),
            col("summary_sealed", Bytes),
            col("taken_unix", Integer),
            col("shared_unix", Integer),
        ],
        identity: None,
    },
    Table {
        name: "assignments",
        columns: &[
            col("id", Integer),
            col("share_id", Integer),
            col("instrument_id", Text),
            col("due_unix", Integer),
            col("created_unix", Integer),
            opt("declined_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "counsel_notes",
        columns: &[
            col("id", Integer),
            col("counsellor_id", Integer),
            opt("share_id", Integer),
            col("shared", Bool),
            col("text_sealed", Bytes),
            col("created_unix", Integer),
            opt("former_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "passkeys",
        columns: &[
            col("id", Integer),
            col("user_id", Integer),
            col("credential_id", Bytes),
            col("credential", Text),
            col("label", Text),
            col("created_unix", Integer),
            opt("last_used_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "passkey_ceremonies",
        columns: &[
            col("key_hash", Bytes),
            col("user_id", Integer),
            col("purpose", Text),
            col("state", Text),
            col("expires_unix", Integer),
        ],
        identity: None,
    },
    Table {
        name: "audit_entries",
        columns: &[
            col("id", Integer),
            col("chain", Integer),
            col("seq", Integer),
            col("at_unix", Integer),
            col("kind", Text),
            col("actor", Text),
            opt("subject", Integer),
            col("detail", Text),
            col("prev_hash", Bytes),
            col("hash", Bytes),
        ],
        identity: Some("id"),
    },
    Table {
        name: "audit_heads",
        columns: &[
            col("chain", Integer),
            col("seq", Integer),
            col("hash", Bytes),
        ],
        identity: None,
    },
    Table {
        name: "links",
        columns: &[
            col("id", Integer),
            col("created_unix", Integer),
            opt("ended_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "link_sides",
        columns: &[
            col("link_id", Integer),
            col("owner_id", Integer),
            col("relationship_id", Integer),
            col("sharing", Text),
            col("guessing", Text),
        ],
        identity: None,
    },
    Table {
        name: "link_invites",
        columns: &[
            col("id", Integer),
            col("owner_id", Integer),
            col("relationship_id", Integer),
            col("code_hash", Bytes),
            col("created_unix", Integer),
            col("expires_unix", Integer),
            opt("used_unix", Integer),
        ],
        identity: Some("id"),
    },
    Table {
        name: "discussion_marks",
        columns: &[
            col("link_id", Integer),
            col("owner_id", Integer),
            col("item_id", Text),
            col("mark", Text),
        ],
        identity: None,
    },
    Table {
        name: "link_guesses",
        columns: &[
            col("link_id", Integer),
            col("owner_id", Integer),
            col("item_id", Text),
            col("value", Integer),
        ],
        identity: None,
    },
    Table {
        name: "us_answers",
        columns: &[
            col("relationship_id", Integer),
            col("owner_id", Integer),
            col("item_id", Text),
            col("value", Integer),
            col("answered_unix", Integer),
        ],
        identity: None,
    },
];
