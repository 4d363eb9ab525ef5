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
    scope: crate::shares::Scope,
}

impl Grant {
    pub(crate) fn vouched(row: crate::GrantRow, viewer: crate::UserId) -> Self {
        Self {
            share: row.share,
            owner: row.owner,
            viewer,
            scope: row.scope,
        }
    }

    /// The share it reads through.
    pub fn share(&self) -> crate::ShareId {
        self.share
    }

    /// Whose data it shows: for the engine's query, not for showing.
    pub fn owner(&self) -> crate::UserId {
        self.owner
    }

    /// Who reads.
    pub fn viewer(&self) -> crate::UserId {
        self.viewer
    }

    /// What it showed when it was minted (each read checks the scope as
    /// it stands then).
    pub fn scope(&self) -> &crate::shares::Scope {
        &self.scope
    }
}

/// The right to read what the other side of one current link shares, for
/// the person on this side: minted by [`Store::partner_grant`](crate::Store::partner_grant)
/// alone, from a link that has not ended and whose other side shares more
/// than nothing. Reads through it are checked again in their own
/// transaction, so a link ended or a level lowered since takes effect at
/// once. They are not put in the other's audit trail: a trail of a
/// partner's reads would tell when the partner was here.
///
/// ```compile_fail
/// // Nothing outside the store can make one: this does not compile.
/// let forged = tandem_store::PartnerGrant { link: tandem_store::LinkId(1) };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerGrant {
    link: crate::LinkId,
    owner: crate::UserId,
    relationship: crate::RelationshipId,
    viewer: crate::UserId,
}

impl PartnerGrant {
    pub(crate) fn vouched(row: &crate::links::PartnerRow, viewer: crate::UserId) -> Self {
        Self {
            link: row.link,
            owner: row.owner,
            relationship: row.relationship,
            viewer,
        }
    }

    /// The link it reads through.
    pub fn link(&self) -> crate::LinkId {
        self.link
    }

    /// Whose results it shows: for the engine's query, not for showing.
    pub fn owner(&self) -> crate::UserId {
        self.owner
    }

    /// Their relationship the link is about.
    pub fn relationship(&self) -> crate::RelationshipId {
        self.relationship
    }

    /// Who reads.
    pub fn viewer(&self) -> crate::UserId {
        self.viewer
    }
}
