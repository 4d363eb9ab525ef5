//! The operator's work: a checked backup with `pg_dump`, rotating the
//! server key, and a consistency check of what the engine relies on.
//!
//! A backup holds what people wrote, their safety answers and their plans
//! only as ciphertext; the other answers are plain numbers, so it needs the
//! same care as the database, and the key file is kept apart from it.

use std::path::Path;
use std::process::Command;

use sqlx::postgres::PgPool;

use crate::prelude::*;

/// Refuses a server that may lose committed writes: `fsync` off, or full
/// page writes off (a torn page after a crash). `synchronous_commit = off`
/// is allowed to stand: it may lose the last moments before a crash but
/// never corrupts, and it is the operator's choice.
pub(crate) async fn check_settings(pool: &PgPool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let fsync: String = sqlx::query_scalar("SELECT current_setting('fsync')")
        .fetch_one(&mut *conn)
        .await?;
    let full_page_writes: String = sqlx::query_scalar("SELECT current_setting('full_page_writes')")
        .fetch_one(&mut *conn)
        .await?;
    if fsync != "on" || full_page_writes != "on" {
        return Err(StoreError::Settings(format!(
            "fsync={fsync} full_page_writes={full_page_writes}"
        )));
    }
    Ok(())
}

/// `url` without the password of its user info, and that password
/// (percent-decoded), if it had one.
fn without_password(url: &str) -> (String, Option<zeroize::Zeroizing<String>>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return (url.to_owned(), None);
    };
    let Some((user, password)) = rest[..at].split_once(':') else {
        return (url.to_owned(), None);
    };
    let decoded = percent_decode(password);
    (
        format!("{scheme}://{user}{}", &rest[at..]),
        Some(zeroize::Zeroizing::new(decoded)),
    )
}

/// `%XX` escapes turned back into bytes; anything else kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| text.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a program to its end off the async threads; `Ok(None)` when it is
/// not installed.
async fn run(mut command: Command) -> Result<Option<std::process::Output>, StoreError> {
    let outcome = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|err| StoreError::Unavailable(format!("the backup task stopped: {err}")))?;
    match outcome {
        Ok(output) => Ok(Some(output)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(StoreError::Database(format!("cannot run pg_dump: {err}"))),
    }
}

impl PgStore {
    /// Writes a `pg_dump` archive (custom format, one consistent snapshot
    /// taken while the store keeps working) to `dest`, which must not exist
    /// yet, made 0600 before its first byte; then reads its table of
    /// contents back with `pg_restore --list` when that is installed.
    ///
    /// A password in the URL goes to `pg_dump` in its environment
    /// (`PGPASSWORD`), never on its command line, where other local users
    /// could read it.
    pub(crate) async fn dump(&self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::invalid(
                "file",
                format!(
                    "{} already exists; a backup never overwrites a file",
                    dest.display()
                ),
            ));
        }
        crate::modes::create_private(dest)?;
        let (url, password) = without_password(self.url.as_str());
        let mut dump = Command::new("pg_dump");
        dump.arg("--format=custom")
            .arg("--no-owner")
            .arg("--file")
            .arg(dest)
            .arg("--dbname")
            .arg(&url);
        if let Some(password) = password {
            dump.env("PGPASSWORD", password.as_str());
        }
        let failed = |message: String| {
            // A half-written archive is no backup.
            let _ = std::fs::remove_file(dest);
            Err(StoreError::invalid("file", message))
        };
        let Some(output) = run(dump).await? else {
            return failed(
                "a backup of a PostgreSQL store needs pg_dump (from the PostgreSQL client tools) on the PATH".into(),
            );
        };
        if !output.status.success() {
            return failed(format!(
                "pg_dump failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        std::fs::File::open(dest)
            .and_then(|file| file.sync_all())
            .map_err(|source| StoreError::Io {
                path: dest.to_owned(),
                source,
            })?;
        let mut list = Command::new("pg_restore");
        list.arg("--list").arg(dest);
        if let Some(output) = run(list).await? {
            let toc = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() || !toc.contains("TABLE DATA public users") {
                return Err(StoreError::Settings(format!(
                    "the backup at {} cannot be read back: {}",
                    dest.display(),
                    String::from_utf8_lossy(&output.stderr).trim()
                )));
            }
        }
        Ok(())
    }

    /// The key check opens with the server key, every data key unwraps, and
    /// the server keeps writes durable.
    pub(crate) async fn check(&self) -> Result<(), StoreError> {
        check_settings(&self.pool).await?;
        self.check_keys().await?;
        // What the schema's constraints say, asked again: a damaged page or
        // an index out of step with its table shows up here.
        let broken: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM answers WHERE num_nonnulls(value, text_sealed, code) <> 1)
                  + (SELECT count(*) FROM administrations a
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id))
                  + (SELECT count(*) FROM user_keys k
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = k.user_id))
                  + (SELECT count(*) FROM (SELECT name FROM users GROUP BY name
                                           HAVING count(*) > 1) AS twice)",
        )
        .fetch_one(&self.pool)
        .await?;
        if broken != 0 {
            return Err(StoreError::Settings(format!(
                "integrity check: {broken} rows break the schema's rules"
            )));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Operations for PgStore {
    async fn backup(&self, _: &tandem_store::Operator, dest: &Path) -> Result<(), StoreError> {
        self.dump(dest).await
    }

    async fn rotate_key(&self, _: &tandem_store::Operator) -> Result<usize, StoreError> {
        self.rotate_server_key().await
    }

    async fn integrity_check(&self, _: &tandem_store::Operator) -> Result<(), StoreError> {
        self.check().await
    }

    async fn export(
        &self,
        _: &tandem_store::Operator,
    ) -> Result<Box<dyn tandem_store::copy::Export>, StoreError> {
        self.export_tables().await
    }

    async fn approve_counsellor(
        &self,
        _: &tandem_store::Operator,
        name: &UserName,
        now: i64,
    ) -> Result<(), StoreError> {
        self.approve(name, now).await
    }

    async fn import(
        &self,
        _: &tandem_store::Operator,
        from: &mut dyn tandem_store::copy::Export,
    ) -> Result<Vec<tandem_store::copy::TableCheck>, StoreError> {
        self.import_tables(from).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::without_password;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let cases = [
            (
                "postgres://ann:s%40cret@db:5432/tandem",
                "postgres://ann@db:5432/tandem",
                Some("s@cret"),
            ),
            ("postgres://ann@db/tandem", "postgres://ann@db/tandem", None),
            (
                "postgres://db/tandem?user=ann",
                "postgres://db/tandem?user=ann",
                None,
            ),
            ("postgresql://a:b:c@h/d", "postgresql://a@h/d", Some("b:c")),
        ];
        for (url, bare, password) in cases {
            let (got, secret) = without_password(url);
            assert_eq!(got, bare, "{url}");
            assert_eq!(secret.as_deref().map(String::as_str), password, "{url}");
        }
    }
}
