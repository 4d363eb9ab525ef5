//! Encryption of free text at rest: XChaCha20-Poly1305 with a key file that
//! is created once, readable only by its owner, and checked at every start.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::StoreError;

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// Seals and opens free text. The associated data names where a value lives,
/// so a sealed value copied to another row or column does not open there.
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    /// Reads the key file, or creates it (mode 0600) when `create` is set.
    pub fn from_key_file(path: &Path, create: bool) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_owned(),
            source,
        };
        let key = match fs::read(path) {
            Ok(key) => key,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && create => {
                let mut key = vec![0u8; KEY_LEN];
                getrandom::fill(&mut key).map_err(|err| StoreError::Key {
                    path: path.to_owned(),
                    message: format!("no randomness for a new key: {err}"),
                })?;
                write_private(path, &key).map_err(io)?;
                key
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
                    "{context}: cannot be opened with this key (wrong key file?)"
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

/// Writes a new file that only its owner can read, and syncs it to disk.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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

/// Where the key lives inside a data dir.
pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("secret.key")
}
