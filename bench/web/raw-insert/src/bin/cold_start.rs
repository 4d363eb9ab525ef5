//! Cold start of `tandem serve` for the web benchmark (`bench/web/run`):
//! the time from spawning the server on a fresh data directory to its first
//! `200` from `GET /healthz`, polled every millisecond over plain TCP.
//!
//! Usage: `tandem-bench-cold-start TANDEM_BINARY PARENT_DIR [RUNS]` (default
//! 5 runs). Each run gets a new data directory inside `PARENT_DIR` and a free
//! loopback port; the server is killed after its first answer.
//!
//! Prints `median_ms=M runs_ms=a,b,c...`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Longest wait for one start before giving up.
const GIVE_UP: Duration = Duration::from_secs(10);

/// Pause between polls.
const POLL: Duration = Duration::from_millis(1);

/// A loopback port nobody listens on right now.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Whether `GET /healthz` answers 200 at `addr` now.
fn healthy(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(100)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// One cold start, in milliseconds.
fn one_start(tandem: &Path, parent: &Path) -> Result<f64, String> {
    let data = tempfile::Builder::new()
        .prefix("cold-start-")
        .tempdir_in(parent)
        .map_err(|err| format!("cannot make a data directory: {err}"))?;
    let port = free_port().map_err(|err| format!("cannot find a free port: {err}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    let mut child = Command::new(tandem)
        .arg("--data-dir")
        .arg(data.path().join("data"))
        .arg("serve")
        .arg("--bind")
        .arg(addr.to_string())
        // No config file of the person running the benchmark.
        .env("XDG_CONFIG_HOME", data.path())
        .env_remove("TANDEM_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", tandem.display()))?;
    let outcome = loop {
        if healthy(addr) {
            break Ok(started.elapsed().as_secs_f64() * 1000.0);
        }
        if let Ok(Some(status)) = child.try_wait() {
            break Err(format!("the server exited before answering: {status}"));
        }
        if started.elapsed() > GIVE_UP {
            break Err(format!("no 200 from /healthz within {GIVE_UP:?}"));
        }
        std::thread::sleep(POLL);
    };
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (tandem, parent, runs) = match args.as_slice() {
        [tandem, parent] => (tandem, parent, Some(5)),
        [tandem, parent, runs] => (tandem, parent, runs.parse::<usize>().ok()),
        _ => (&String::new(), &String::new(), None),
    };
    let Some(runs) = runs.filter(|n| *n > 0) else {
        eprintln!("usage: tandem-bench-cold-start TANDEM_BINARY PARENT_DIR [RUNS]");
        return ExitCode::from(2);
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        match one_start(Path::new(tandem), Path::new(parent)) {
            Ok(ms) => times.push(ms),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let listed: Vec<String> = times.iter().map(|ms| format!("{ms:.1}")).collect();
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!("median_ms={median:.1} runs_ms={}", listed.join(","));
    ExitCode::SUCCESS
}
