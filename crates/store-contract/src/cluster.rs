//! A PostgreSQL database of a test's own: a new database on one throwaway
//! cluster the whole test process shares (made by `scripts/pg-cluster`,
//! which stops it when the process ends), or on the server of
//! `TANDEM_PG_URL`; or, for tests that stop the server, a cluster of its
//! own. Without a server the test fails, saying so: it never passes without
//! having run. Used by the contract suite and the binary's tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn script() -> PathBuf {
    repo_root().join("scripts/pg-cluster")
}

/// A database of this test's own.
pub struct Database {
    /// The URL of the database.
    pub url: String,
    /// The cluster's dir, when the cluster is this database's alone.
    cluster: Option<TempDir>,
}

/// The server new databases are made on: its URL (naming a database to
/// connect to) and the psql to run against it.
struct Server {
    url: String,
    psql: PathBuf,
}

impl Database {
    /// A new database on the process's shared server.
    // Not `Default`: each call makes a database on a server.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        static SERVER: OnceLock<Server> = OnceLock::new();
        let server = SERVER.get_or_init(|| match std::env::var("TANDEM_PG_URL") {
            Ok(url) => Server {
                url,
                psql: PathBuf::from("psql"),
            },
            Err(_) => shared_cluster(),
        });
        Self {
            url: create_database(server),
            cluster: None,
        }
    }

    /// A cluster of this test's own, stopped on drop: for tests that stop
    /// or restart the server.
    pub fn own_cluster() -> Self {
        let dir = cluster_dir();
        let url = start(dir.path(), None);
        Self {
            url,
            cluster: Some(dir),
        }
    }

    /// Stops the server of [`Database::own_cluster`] (fast shutdown: open
    /// connections are ended).
    pub fn stop(&self) {
        run(&["stop"], self.own_dir());
    }

    /// Starts it again on the same port, so the URL stays the same
    /// (`pg-cluster restart`, whose stop finds it stopped already).
    pub fn start_again(&self) {
        let dir = self.own_dir();
        run(&["restart"], dir);
        let port = std::fs::read_to_string(dir.join("port")).unwrap();
        assert!(
            self.url.contains(&format!(":{}/", port.trim())),
            "the server came back on another port: {} vs {}",
            port.trim(),
            self.url
        );
    }

    fn own_dir(&self) -> &Path {
        self.cluster
            .as_ref()
            .expect("only a database on its own cluster can be stopped")
            .path()
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(dir) = &self.cluster {
            let _ = Command::new(script()).arg("stop").arg(dir.path()).output();
        }
    }
}

fn cluster_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("tandem-pg-")
        .tempdir_in("/tmp")
        .unwrap()
}

/// Starts a cluster in `dir`; with `watch`, one that stops itself when
/// that process ends. Its URL.
fn start(dir: &Path, watch: Option<u32>) -> String {
    let mut command = Command::new(script());
    command.arg("start").arg(dir);
    if let Some(pid) = watch {
        command.env("PG_CLUSTER_WATCH_PID", pid.to_string());
    }
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", script().display()));
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
    url
}

fn run(args: &[&str], dir: &Path) {
    let output = Command::new(script()).args(args).arg(dir).output().unwrap();
    assert!(
        output.status.success(),
        "pg-cluster {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One cluster for the whole process, in a dir the watcher removes.
fn shared_cluster() -> Server {
    let dir = cluster_dir().keep();
    let url = start(&dir, Some(std::process::id()));
    let bin = std::fs::read_to_string(dir.join("bin")).unwrap();
    Server {
        url,
        psql: Path::new(bin.trim()).join("psql"),
    }
}

/// A new database on `server`, named after this process and a counter.
fn create_database(server: &Server) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "tandem_it_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let output = Command::new(&server.psql)
        .arg(&server.url)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", server.psql.display()));
    assert!(
        output.status.success(),
        "cannot create a database on {}: {}",
        server.url,
        String::from_utf8_lossy(&output.stderr)
    );
    let (head, _) = server
        .url
        .rsplit_once('/')
        .expect("the server's URL names a database");
    format!("{head}/{name}")
}
