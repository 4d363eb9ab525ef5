//! Encryption at rest: XChaCha20-Poly1305, for free text under each person's
//! data key and for those data keys under the server key, which comes from a
//! key file (created once, readable only by its owner) or from configuration
//! and is checked at every start.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use zeroize::Zeroizing;

use crate::StoreError;

/// Bytes in a key: the server key and every data key.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// Seals and opens free text. The associated data names where a value lives,
/// so a sealed value copied to another row or column does not open there.
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    /// A sealer over a key held in memory (from configuration, or a data key).
    pub fn from_key(key: &[u8; KEY_LEN]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// Reads the key file, or creates it (mode 0600) when `create` is set.
    pub fn from_key_file(path: &Path, create: bool) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_owned(),
            source,
        };
        let key = match fs::read(path) {
            Ok(key) => Zeroizing::new(key),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && create => {
                let key = random_key()?;
                write_private(path, key.as_slice()).map_err(io)?;
                if let Some(dir) = path.parent() {
                    sync_dir(dir).map_err(io)?;
                }
                Zeroizing::new(key.to_vec())
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Key {
                    path: path.to_owned(),
                    message: "the key file is missing, but the database holds data sealed with it; restore the key file from your backup".into(),
                });
            }
            Err(err) => return Err(io(err)),
        };
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| StoreError::Key {
            path: path.to_owned(),
            message: format!("a key file must hold exactly {KEY_LEN} bytes"),
        })?;
        Ok(Self { cipher })
    }

    /// Encrypts `plain`; `context` must be given again to open it.
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|err| StoreError::Crypto(err.to_string()))?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto("encryption failed".into()))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// Decrypts what [`Sealer::seal`] made with the same context.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < NONCE_LEN {
            return Err(StoreError::Crypto(format!(
                "{context}: sealed value too short"
            )));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Crypto(format!(
                    "{context}: cannot be opened with this key (wrong key?)"
                ))
            })
    }

    /// Seals text.
    pub fn seal_text(&self, context: &str, text: &str) -> Result<Vec<u8>, StoreError> {
        self.seal(context, text.as_bytes())
    }

    /// Opens sealed text.
    pub fn open_text(&self, context: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open(context, sealed)?)
            .map_err(|_| StoreError::Crypto(format!("{context}: sealed text is not UTF-8")))
    }
}

/// A new random key, wiped from memory when dropped.
pub fn random_key() -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(key.as_mut_slice())
        .map_err(|err| StoreError::Crypto(format!("no randomness for a new key: {err}")))?;
    Ok(key)
}

/// Writes a new file that only its owner can read, and syncs it to disk.
/// Fails if the file exists.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the entries of a directory (a file created, renamed or removed in
/// it) durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Where the key lives inside a data dir.
pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("secret.key")
}

/// Where a new key waits during a key rotation, until the database has
/// been re-wrapped with it (see [`Operations::rotate_key`](crate::engine::Operations::rotate_key)).
pub fn pending_key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("secret.key.new")
}
