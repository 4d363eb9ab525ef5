//! A temporary Tandem install and helpers to run the binary against it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A data dir of its own, removed when dropped.
pub struct Tandem {
    dir: TempDir,
    /// A data dir elsewhere (on a file system of the test's own), if any.
    data: Option<PathBuf>,
}

impl Tandem {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            data: None,
        }
    }

    /// An install whose data dir is `data`, which the caller cleans up.
    pub fn with_data_dir(data: PathBuf) -> Self {
        Self {
            data: Some(data),
            ..Self::new()
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data
            .clone()
            .unwrap_or_else(|| self.dir.path().join("data"))
    }

    /// A file path inside the temporary dir (outside the data dir).
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `tandem --data-dir DIR ARGS…`, with no TANDEM_* from the caller's environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = bare();
        cmd.arg("--data-dir").arg(self.data_dir()).args(args);
        cmd
    }

    /// Runs a command that must succeed and print JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let output = self.cmd(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// Everything in the data dir that a change would touch: every row the
    /// person can see, through the binary itself.
    pub fn snapshot(&self) -> (Value, Value, Value) {
        (
            self.json(&["history", "--json"]),
            self.json(&["network", "list", "--json"]),
            self.cmd(&["report", "--json"])
                .output()
                .map(|o| serde_json::from_slice(&o.stdout).unwrap_or(Value::Null))
                .unwrap(),
        )
    }
}

/// The binary with a clean environment.
pub fn bare() -> Command {
    let mut cmd = Command::cargo_bin("tandem").unwrap();
    for (key, _) in std::env::vars() {
        if key.starts_with("TANDEM_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Writes answers as a JSON object file.
pub fn answers_file(t: &Tandem, name: &str, answers: &Value) -> PathBuf {
    t.file(name, &serde_json::to_string_pretty(answers).unwrap())
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A password hash in the store's format, for accounts made by tests.
pub const TEST_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// Makes `n` accounts (named `prefix` and a number) straight in the store, each with one finished
/// administration of `instrument` from `answers(k)`, and each with research
/// consent `consent`. Returns their ids.
pub fn people_with(
    t: &Tandem,
    prefix: &str,
    instrument: &tandem_core::instrument::Instrument,
    n: usize,
    consent: bool,
    mut answers: impl FnMut(usize) -> tandem_core::answers::Answers,
) -> Vec<tandem_store::Owner> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = tandem_store_sqlite::open(&t.data_dir()).await.unwrap();
        let mut ids = Vec::new();
        for k in 0..n {
            let name = tandem_store::UserName::parse(&format!("{prefix}{k}")).unwrap();
            let user = store.create_account(&name, TEST_HASH, 1).await.unwrap();
            let user = session_owner(&store, user).await;
            store
                .record_administration(user, instrument, "my partner", &answers(k))
                .await
                .unwrap();
            store.set_research_consent(user, consent).await.unwrap();
            ids.push(user);
        }
        store.close().await;
        ids
    })
}

/// Starts `tandem serve` on port 0 of this data dir and reads from its log
/// where it listens; the log is drained in the background after that.
pub fn serve(t: &Tandem) -> (std::process::Child, String) {
    let (server, address, _) = serve_full(t, &[], &[], None);
    (server, address)
}

/// [`serve`] with more arguments to `serve` and environment variables.
pub fn serve_with(
    t: &Tandem,
    args: &[&str],
    envs: &[(&str, &str)],
) -> (std::process::Child, String) {
    let (server, address, _) = serve_full(t, args, envs, None);
    (server, address)
}

/// Like [`serve`], with `TANDEM_LOG` set to `level` when given; every line
/// the server logs is kept in the returned buffer.
pub fn serve_logging(
    t: &Tandem,
    level: Option<&str>,
) -> (
    std::process::Child,
    String,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    serve_full(t, &[], &[], level)
}

/// The server with everything [`serve_with`] and [`serve_logging`] take.
fn serve_full(
    t: &Tandem,
    args: &[&str],
    envs: &[(&str, &str)],
    level: Option<&str>,
) -> (
    std::process::Child,
    String,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use std::io::{BufRead, BufReader};
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("tandem"));
    command
        .arg("--data-dir")
        .arg(t.data_dir())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .envs(envs.iter().copied())
        .env_remove("TANDEM_BIND")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null());
    if let Some(level) = level {
        command.env("TANDEM_LOG", level);
    }
    let mut server = command.spawn().unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        log.lock().unwrap().push(line.clone());
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    (server, address, log)
}

/// The right to act for the account `user`, got as the web app gets it: a
/// session the store vouches for.
pub async fn session_owner(
    store: &tandem_store::Store,
    user: tandem_store::UserId,
) -> tandem_store::Owner {
    let session = store.create_session(user, "test", 1).await.unwrap();
    store.end_session(&session.token).await.unwrap();
    session.owner
}

/// The rights that reach across people (operator, research), as a
/// composition root gets them: by opening an engine, here a throwaway one.
pub async fn rights() -> tandem_store::Rights {
    let dir = tempfile::tempdir().unwrap();
    let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
        .await
        .unwrap();
    store.close().await;
    rights
}
