//! Whole-store backups: `VACUUM INTO` a new file (a consistent snapshot,
//! taken while the store keeps working), synced to disk, then opened on its
//! own and checked with `integrity_check`. The copy is 0600 from its first
//! byte. What people wrote, their safety-check answers and their plans are
//! in it only as ciphertext; the other answers (the profile's and the
//! check-in's, including the items that can signal fear or control) are
//! plain numbers, so a backup needs the same care as the database; the key
//! file is kept apart from it.

use std::path::Path;
use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::prelude::*;

impl SqliteStore {
    /// Writes a checked snapshot of the whole database to `dest`, which must
    /// not exist yet.
    pub(crate) async fn vacuum_into(&self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::invalid(
                "file",
                format!(
                    "{} already exists; a backup never overwrites a file",
                    dest.display()
                ),
            ));
        }
        let target = dest.to_str().ok_or_else(|| {
            StoreError::invalid(
                "file",
                format!("{}: the path must be UTF-8", dest.display()),
            )
        })?;
        // An empty file made here, 0600, which `VACUUM INTO` fills: the copy
        // is never readable by anyone else, not even for a moment.
        crate::modes::create_private(dest)?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.writer)
            .await?;
        let io = |source| StoreError::Io {
            path: dest.to_owned(),
            source,
        };
        std::fs::File::open(dest)
            .and_then(|file| file.sync_all())
            .map_err(io)?;
        let mut conn = SqliteConnectOptions::from_str("sqlite:")
            .map_err(StoreError::from)?
            .filename(dest)
            .read_only(true)
            .connect()
            .await?;
        let result: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await?;
        if result != "ok" {
            return Err(StoreError::Settings(format!(
                "the backup at {} failed its integrity check: {result}",
                dest.display()
            )));
        }
        Ok(())
    }
}
