//! A PostgreSQL database of a test's own: a throwaway cluster made by
//! `scripts/pg-cluster` (stopped on drop), or a new database on the server
//! of `TANDEM_PG_URL`. Without either the test fails, saying so: it never
//! passes without having run. Shared by the engine's and the binary's tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A database of this test's own: a throwaway cluster, stopped on drop, or
/// a new database on the server of `TANDEM_PG_URL`.
pub struct Database {
    /// The URL of the database.
    pub url: String,
    cluster: Option<TempDir>,
}

impl Database {
    pub fn new() -> Self {
        if let Ok(base) = std::env::var("TANDEM_PG_URL") {
            return Self::on_server(&base);
        }
        let dir = tempfile::Builder::new()
            .prefix("tandem-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let script = repo_root().join("scripts/pg-cluster");
        let output = Command::new(&script)
            .arg("start")
            .arg(dir.path())
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", script.display()));
        if !output.status.success() {
            panic!(
                "these tests need PostgreSQL 15+: `scripts/pg-cluster start` failed \
                 (install PostgreSQL, or set TANDEM_PG_URL to a server whose user may \
                 create databases):\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let url = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        assert!(url.starts_with("postgres://"), "pg-cluster printed {url:?}");
        Self {
            url,
            cluster: Some(dir),
        }
    }

    /// A new database on an existing server, named after this process and
    /// a counter; left there for the operator to drop.
    fn on_server(base: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "tandem_it_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let status = Command::new("psql")
            .arg(base)
            .arg("-v")
            .arg("ON_ERROR_STOP=1")
            .arg("-c")
            .arg(format!("CREATE DATABASE {name}"))
            .status()
            .expect("psql is needed to make a database on TANDEM_PG_URL's server");
        assert!(
            status.success(),
            "cannot create a database on TANDEM_PG_URL"
        );
        let (head, _) = base
            .rsplit_once('/')
            .expect("TANDEM_PG_URL names a database");
        Self {
            url: format!("{head}/{name}"),
            cluster: None,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(dir) = &self.cluster {
            let _ = Command::new(repo_root().join("scripts/pg-cluster"))
                .arg("stop")
                .arg(dir.path())
                .output();
        }
    }
}
