//! Write transactions, retried when trying again is safe.
//!
//! [`write_tx!`] runs a block in a pooled transaction and commits it. It
//! tries again, up to [`TRIES`] times with a short growing pause, when:
//!
//! - no transaction could be begun (no connection to be had, the server
//!   away): nothing was sent;
//! - a statement inside the transaction failed with an error
//!   [`StoreError::is_retryable`] says may pass (serialization failure
//!   `40001`, deadlock `40P01`, a lost connection, class `08`, a pool
//!   timeout): the commit was never sent, so the server rolled it all back;
//! - the commit itself was refused with `40001` or `40P01`: the server said
//!   so, so nothing of it was kept.
//!
//! A commit that fails any other way (the connection lost while it was on
//! its way) may or may not have been kept. It is never retried, whatever the
//! write: the caller hears [`StoreError::Unavailable`] and decides, as it
//! would for any other outage. The block must therefore be safe to run again
//! from the start: it reads what it needs inside the transaction, and takes
//! nothing from an earlier try.

use std::time::Duration;

pub(crate) use tandem_store::StoreError;

/// Tries of one write at most.
pub(crate) const TRIES: u32 = 5;

/// The pause before try `attempt + 1`: 20, 40, 80, 160 ms.
pub(crate) async fn pause(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(10u64 << attempt.min(6))).await;
}

/// Whether a failed commit was refused by the server in a way that says
/// nothing of it was kept, so it may run again.
pub(crate) fn refused_commit(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

/// Runs `$body`, a block that uses `$tx: &mut PgConnection` and may use `?`
/// and `return Err(..)`, in a transaction of `$store.pool` begun with
/// `$begin` (`BEGIN ISOLATION LEVEL READ COMMITTED` when not given: the
/// locking here is argued for that level, whatever the server's default),
/// committed after it; retried as the
/// module says. Evaluates to `Result<value of $body, StoreError>`.
macro_rules! write_tx {
    ($store:expr, |$tx:ident| $body:block) => {
        write_tx!($store, "BEGIN ISOLATION LEVEL READ COMMITTED", |$tx| $body)
    };
    ($store:expr, $begin:literal, |$tx:ident| $body:block) => {{
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut transaction = match $store.pool.begin_with($begin).await {
                Ok(transaction) => transaction,
                Err(err) => {
                    // A pool that waited its whole timeout for a connection
                    // has waited enough: the server is away, and the caller
                    // is told so now rather than after every try.
                    let waited = matches!(err, sqlx::Error::PoolTimedOut);
                    let err = $crate::retry::StoreError::from(err);
                    if !waited && err.is_retryable() && attempt < $crate::retry::TRIES {
                        $crate::retry::pause(attempt).await;
                        continue;
                    }
                    break Err(err);
                }
            };
            #[allow(unreachable_code, clippy::diverging_sub_expression)]
            let outcome = async {
                let $tx: &mut sqlx::PgConnection = &mut *transaction;
                let value = $body;
                Ok::<_, $crate::retry::StoreError>(value)
            }
            .await;
            match outcome {
                Ok(value) => match transaction.commit().await {
                    Ok(()) => break Ok(value),
                    Err(err)
                        if $crate::retry::refused_commit(&err)
                            && attempt < $crate::retry::TRIES =>
                    {
                        $crate::retry::pause(attempt).await;
                    }
                    Err(err) => break Err($crate::retry::StoreError::from(err)),
                },
                Err(err) => {
                    // Dropping it rolls it back.
                    drop(transaction);
                    if err.is_retryable() && attempt < $crate::retry::TRIES {
                        $crate::retry::pause(attempt).await;
                        continue;
                    }
                    break Err(err);
                }
            }
        }
    }};
}

/// A moment column as the text the SQLite engine stores and the model
/// types carry: `2026-01-31T12:00:05.123Z`, in UTC.
macro_rules! moment {
    ($column:literal) => {
        concat!(
            "to_char(",
            $column,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    };
}
