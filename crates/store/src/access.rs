//! The rights beside [`Owner`](crate::Owner) that reach across people, as
//! values with private fields. Only [`Store::with_rights`](crate::Store::with_rights)
//! makes them, from an engine value — which only the composition root (the
//! `tandem` binary, or a test) has: the web app is handed a store and a
//! [`Research`], never an engine, so it cannot make an [`Operator`].

/// The right to work on a whole store as its operator: backups, rotating
/// the server key, consistency checks. Only `tandem admin` takes it.
///
/// ```compile_fail
/// // Nothing outside the store can make one: this does not compile.
/// let forged = tandem_store::Operator(());
/// ```
#[derive(Debug)]
pub struct Operator(());

/// The right to read the answers of people who opted in to research, one
/// first finished administration each, de-identified (no ids, no text, no
/// safety answers): for `analyze --from-store` and reliability estimates.
///
/// ```compile_fail
/// // Nothing outside the store can make one: this does not compile.
/// let forged = tandem_store::Research(());
/// ```
#[derive(Debug, Clone)]
pub struct Research(());

/// What the one who opens an engine gets beside its [`Store`](crate::Store).
#[derive(Debug)]
pub struct Rights {
    /// For `tandem admin`.
    pub operator: Operator,
    /// For de-identified research reads.
    pub research: Research,
}

impl Rights {
    pub(crate) fn granted() -> Self {
        Self {
            operator: Operator(()),
            research: Research(()),
        }
    }
}

/// The right to read what one current share shows, for the person it is
/// for: minted by [`Store::grant`](crate::Store::grant) alone, from a share
/// that is neither revoked nor expired, and for its viewer only. Every read
/// it allows appends an audit row in the same transaction.
///
/// ```compile_fail
/// // Nothing outside the store can make one: this does not compile.
/// let forged = tandem_store::Grant { share: tandem_store::ShareId(1) };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    share: crate::ShareId,
    owner: crate::UserId,
    viewer: crate::UserId,
    level: crate::ShareLevel,
}

impl Grant {
    pub(crate) fn vouched(row: crate::GrantRow, viewer: crate::UserId) -> Self {
        Self {
            share: row.share,
            owner: row.owner,
            viewer,
            level: row.level,
        }
    }

    /// The share it reads through.
    pub fn share(&self) -> crate::ShareId {
        self.share
    }

    /// Whose data it shows: for naming, not reaching.
    pub fn owner(&self) -> crate::UserId {
        self.owner
    }

    /// Who reads.
    pub fn viewer(&self) -> crate::UserId {
        self.viewer
    }

    /// How much it shows.
    pub fn level(&self) -> crate::ShareLevel {
        self.level
    }
}
