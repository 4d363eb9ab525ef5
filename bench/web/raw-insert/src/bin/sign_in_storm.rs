//! The sign-in storm for the web benchmark (`bench/web/run`): strangers
//! sign in with names nobody has, `WIDTH` at once, `WAVES` times, each from
//! its own address (through `--trusted-proxies 127.0.0.1` and
//! `X-Forwarded-For`, so the per-address cap does not turn the storm into
//! cheap 429s and every request reaches password hashing). Reports reply
//! times, statuses and the server's peak memory, beside the time one bare
//! Argon2id verification with the same parameters takes here (the peer:
//! what a sign-in cannot be faster than).
//!
//! Usage: `tandem-bench-sign-in-storm TANDEM_BINARY PARENT_DIR [WAVES] [WIDTH]`
//! (default 3 waves of 64).
//!
//! Prints `statuses=401:N,503:N p50_ms=… p99_ms=… max_ms=… hash_ms=…
//! hwm_mb=… idle_mb=…`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// One reply: its status and how long it took.
struct Reply {
    status: u16,
    millis: f64,
}

/// The server, stopped when this goes out of scope, on every path.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server and reads where it listens from its log.
fn start(tandem: &Path, data: &Path) -> Result<(Server, SocketAddr), String> {
    let mut child = Command::new(tandem)
        .arg("--data-dir")
        .arg(data.join("data"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--trusted-proxies",
            "127.0.0.1",
        ])
        .env("XDG_CONFIG_HOME", data)
        .env_remove("TANDEM_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", tandem.display()))?;
    let stderr = child.stderr.take().ok_or("no server log")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .ok_or("the server stopped before saying where it listens")?
            .map_err(|err| err.to_string())?;
        if let Some(rest) = line.split("running at http://").nth(1)
            && let Some(addr) = rest.split('/').next()
        {
            break addr.parse().map_err(|err| format!("{addr}: {err}"))?;
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Ok((Server(child), addr))
}

/// One sign-in for an unknown name from the address `from`.
fn sign_in(addr: SocketAddr, name: &str, from: &str) -> Result<Reply, String> {
    let body = format!(r#"{{"name":"{name}","password":"a guess that will not work at all"}}"#);
    let request = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         X-Forwarded-For: {from}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).map_err(|err| err.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|err| err.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|err| err.to_string())?;
    let mut head = [0u8; 12];
    stream
        .read_exact(&mut head)
        .map_err(|err| err.to_string())?;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let status = std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|code| code.parse().ok())
        .ok_or("not an HTTP reply")?;
    Ok(Reply { status, millis })
}

/// A value from `/proc/PID/status`, in MB.
fn memory_mb(pid: u32, field: &str) -> Result<f64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|err| format!("/proc/{pid}/status: {err}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(|kb| kb / 1024.0)
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

/// The median time of one Argon2id verification with the server's
/// parameters (m = 19 MiB, t = 2, p = 1), over `runs`.
fn bare_hash_ms(runs: usize) -> Result<f64, String> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|err| err.to_string())?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::encode_b64(b"sixteen byte slt").map_err(|err| err.to_string())?;
    let hash = argon2
        .hash_password(b"the real one", &salt)
        .map_err(|err| err.to_string())?
        .to_string();
    let parsed = PasswordHash::new(&hash).map_err(|err| err.to_string())?;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let _ = argon2.verify_password(b"a wrong guess", &parsed);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn run(tandem: &Path, parent: &Path, waves: usize, width: usize) -> Result<String, String> {
    let data = tempfile::Builder::new()
        .prefix("storm-")
        .tempdir_in(parent)
        .map_err(|err| format!("cannot make a data directory: {err}"))?;
    let (server, addr) = start(tandem, data.path())?;
    std::thread::sleep(Duration::from_millis(300));
    let idle = memory_mb(server.0.id(), "VmRSS:")?;
    let mut replies = Vec::with_capacity(waves * width);
    for wave in 0..waves {
        let threads: Vec<_> = (0..width)
            .map(|k| {
                std::thread::spawn(move || {
                    sign_in(
                        addr,
                        &format!("stranger{wave}x{k}"),
                        &format!("10.{wave}.{}.{}", k / 250, k % 250 + 1),
                    )
                })
            })
            .collect();
        for thread in threads {
            replies.push(thread.join().map_err(|_| "a client thread panicked")??);
        }
    }
    let hwm = memory_mb(server.0.id(), "VmHWM:")?;
    drop(server);
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for reply in &replies {
        *statuses.entry(reply.status).or_default() += 1;
    }
    let mut times: Vec<f64> = replies.iter().map(|r| r.millis).collect();
    times.sort_by(f64::total_cmp);
    let hash_ms = bare_hash_ms(9)?;
    let statuses = statuses
        .iter()
        .map(|(status, n)| format!("{status}:{n}"))
        .collect::<Vec<_>>()
        .join(",");
    Ok(format!(
        "statuses={statuses} p50_ms={:.1} p99_ms={:.1} max_ms={:.1} hash_ms={hash_ms:.1} hwm_mb={hwm:.1} idle_mb={idle:.1}",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(tandem), Some(parent)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: tandem-bench-sign-in-storm TANDEM_BINARY PARENT_DIR [WAVES] [WIDTH]");
        return ExitCode::from(2);
    };
    let number = |index: usize, default: usize| {
        args.get(index)
            .map_or(Ok(default), |text| text.parse::<usize>())
            .map_err(|err| format!("argument {index}: {err}"))
    };
    let outcome = number(3, 3)
        .and_then(|waves| Ok((waves, number(4, 64)?)))
        .and_then(|(waves, width)| run(Path::new(tandem), Path::new(parent), waves, width));
    match outcome {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("tandem-bench-sign-in-storm: {err}");
            ExitCode::FAILURE
        }
    }
}
