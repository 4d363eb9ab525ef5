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
