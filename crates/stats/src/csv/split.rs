//! Where a file is cut for threads, and which line a byte lies on.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::tap;

/// Cuts `[start, end)` into about `n` ranges, each ending just after a newline.
pub(super) fn split(path: &Path, start: u64, end: u64, n: usize) -> io::Result<Vec<(u64, u64)>> {
    let mut file = File::open(path)?;
    let mut cuts = vec![start];
    for c in 1..n as u64 {
        let target = start + (end - start) / n as u64 * c;
        let last = cuts.last().copied().unwrap_or(start);
        if target <= last {
            continue;
        }
        let cut = next_line_start(&mut file, target, end)?;
        if cut > last && cut < end {
            cuts.push(cut);
        }
    }
    cuts.push(end);
    Ok(cuts.windows(2).map(|w| (w[0], w[1])).collect())
}

/// The offset just after the first newline at or after `target − 1`, or `end`.
fn next_line_start(file: &mut File, target: u64, end: u64) -> io::Result<u64> {
    let mut pos = target - 1;
    file.seek(SeekFrom::Start(pos))?;
    let mut buf = [0u8; 8192];
    while pos < end {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok((pos + i as u64 + 1).min(end));
        }
        pos += n as u64;
    }
    Ok(end)
}

/// The 1-based line of byte `pos` of a file (0 when the file cannot be read again).
pub(super) fn line_in_file(path: &Path, pos: u64) -> u64 {
    let count = || -> io::Result<u64> {
        let mut file = File::open(path)?.take(pos);
        let mut buf = vec![0u8; 1 << 16];
        let mut newlines = 0;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(newlines + 1);
            }
            newlines += tap::count_newlines(&buf[..n]);
        }
    };
    count().unwrap_or(0)
}
