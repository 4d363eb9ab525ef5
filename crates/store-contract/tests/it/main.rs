//! The contract suite: every test here is written once, against the
//! store's traits, and runs on both engines — SQLite in a temporary data
//! dir, and PostgreSQL on a database of its own (one throwaway cluster per
//! test process, from `scripts/pg-cluster`, or the server `TANDEM_PG_URL`
//! names; without either the PostgreSQL half fails, saying so).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Writes each test once and runs it on each engine: `async fn name(f)`
/// becomes the module `name` with the tests `sqlite` and `postgres`, each
/// handing the body a [`tandem_store_contract::Fresh`] store of its own.
macro_rules! contract {
    ($( $(#[doc = $doc:literal])* async fn $name:ident($f:ident) $body:block )*) => {
        $(
            $(#[doc = $doc])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($f: tandem_store_contract::Fresh) $body

                #[tokio::test(flavor = "multi_thread")]
                async fn sqlite() {
                    run(tandem_store_contract::Fresh::sqlite().await).await
                }

                #[tokio::test(flavor = "multi_thread")]
                async fn postgres() {
                    run(tandem_store_contract::Fresh::postgres().await).await
                }
            }
        )*
    };
}

mod accounts;
mod answers;
mod audit;
mod codes;
mod counsel;
mod equivalence;
mod exercises;
mod instances;
mod links;
mod owners;
mod passkeys;
mod plans;
mod recovery;
mod relationships;
mod research;
mod responses;
mod safety;
mod scorings;
mod sessions;
mod shared_safety;
mod shared_work;
mod shares;
mod support_map;
mod throttle;
mod time_zone;
