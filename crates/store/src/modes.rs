//! Files only Tandem can read: the data dir is 0700, and the database, its
//! write-ahead log and shared-memory file, the key and every backup are
//! 0600, whatever the umask. Set at every open (so a store made by an older
//! build is fixed too) and when a file is made.

use std::path::Path;

use crate::StoreError;

/// The mode of the data dir.
pub const DIR_MODE: u32 = 0o700;

/// The mode of every file in it.
pub const FILE_MODE: u32 = 0o600;

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Sets `path` to `mode` if it exists.
fn restrict(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o777 != mode => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                    .map_err(io(path))?;
            }
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io(path)(err)),
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Makes the data dir readable by its owner alone.
pub fn restrict_dir(dir: &Path) -> Result<(), StoreError> {
    restrict(dir, DIR_MODE)
}

/// Makes the database and its companions readable by their owner alone.
/// SQLite gives the `-wal` and `-shm` files the mode of the database file,
/// so new ones follow.
pub fn restrict_database(db: &Path) -> Result<(), StoreError> {
    restrict(db, FILE_MODE)?;
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        restrict(Path::new(&name), FILE_MODE)?;
    }
    Ok(())
}

/// Creates an empty file only its owner can read, for SQLite to fill (a
/// new database, or a backup made with `VACUUM INTO`). Refuses a file that
/// is already there.
pub fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options.open(path).map(drop).map_err(io(path))
}

/// Makes an existing file readable by its owner alone (the key after a rotation).
pub fn restrict_file(path: &Path) -> Result<(), StoreError> {
    restrict(path, FILE_MODE)
}
