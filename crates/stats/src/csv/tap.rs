//! Counting what is read: bytes (for the progress callback) and, for the `csv` crate's reader,
//! newlines (so an error can name its line).

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes read across all files and threads, reported to the caller's callback.
pub(super) struct Progress<'a> {
    bytes: AtomicU64,
    callback: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl<'a> Progress<'a> {
    pub(super) fn new(callback: Option<&'a (dyn Fn(u64) + Sync)>) -> Self {
        Progress {
            bytes: AtomicU64::new(0),
            callback,
        }
    }

    pub(super) fn add(&self, n: u64) {
        let total = self.bytes.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(callback) = self.callback {
            callback(total);
        }
    }

    pub(super) fn get(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Sets the count back, when a file is read again from the start.
    pub(super) fn rewind(&self, to: u64) {
        self.bytes.store(to, Ordering::Relaxed);
    }
}

/// Counts what `inner` yields, for the `csv` crate's reader. That reader buffers its input and only reads again once the
/// buffer is used up, so its position always lies within the last block read; when asked to
/// ([`Tap::keep_lines`]), the tap keeps a copy of that block so that [`Tap::newlines_before`]
/// can answer for any position the parser can be at. Files do without this: their lines are
/// counted again only when an error needs one.
pub(super) struct Tap<'a, R> {
    inner: R,
    offset: u64,
    keep_lines: bool,
    last: Vec<u8>,
    last_start: u64,
    newlines_before_last: u64,
    progress: Option<&'a Progress<'a>>,
}

impl<'a, R: Read> Tap<'a, R> {
    pub(super) fn new(inner: R, progress: Option<&'a Progress<'a>>) -> Self {
        Tap {
            inner,
            offset: 0,
            keep_lines: false,
            last: Vec::new(),
            last_start: 0,
            newlines_before_last: 0,
            progress,
        }
    }

    /// Counts newlines so that [`Tap::newlines_before`] works.
    pub(super) fn keep_lines(mut self) -> Self {
        self.keep_lines = true;
        self
    }

    /// Newlines in the bytes before offset `pos` (relative to the start of this reader), if
    /// this tap keeps lines.
    pub(super) fn newlines_before(&self, pos: u64) -> Option<u64> {
        if !self.keep_lines {
            return None;
        }
        let within = pos
            .saturating_sub(self.last_start)
            .min(self.last.len() as u64) as usize;
        Some(self.newlines_before_last + count_newlines(&self.last[..within]))
    }
}

impl<R: Read> Read for Tap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let block = &buf[..n];
        if self.keep_lines && n > 0 {
            self.newlines_before_last += count_newlines(&self.last);
            self.last.clear();
            self.last.extend_from_slice(block);
            self.last_start = self.offset;
        }
        self.offset += n as u64;
        if let Some(progress) = self.progress {
            progress.add(n as u64);
        }
        Ok(n)
    }
}

/// Newlines in `bytes`.
pub(super) fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}
