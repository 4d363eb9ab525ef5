//! Bounded password hashing: a fixed set of worker threads, each reusing
//! one Argon2 memory block for every hash it computes, sized from a memory
//! budget. A storm of sign-ins for unknown names therefore costs the same
//! memory as one for two people — freed blocks on many threads would stay
//! in the allocator's arenas, so a semaphore alone would not do. Requests
//! beyond a short queue are refused at once (the caller answers 503 with
//! `Retry-After`) rather than waiting without end.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::password::HashError;

/// Hashing memory for the whole server unless configured: one worker at
/// 19 MiB. Measured on 2 cores, two workers put a debug server's peak
/// resident memory at 61 MB through a 64-way storm, past the 60 MB bar;
/// one keeps it near 42 MB, at some 20–30 sign-ins a second.
pub const DEFAULT_BUDGET_MIB: u32 = 20;

/// Argon2id memory for recovery codes, in KiB. A code carries 80 random
/// bits, so no memory-hard cost could make guessing it feasible or not;
/// it is still a salted Argon2id hash in the same format as a password's,
/// and small enough that ten of them add little to a sign-up.
pub const CODE_MEMORY_KIB: u32 = 1024;

/// Jobs waiting per worker before further requests are refused.
const QUEUE_PER_WORKER: usize = 8;

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// Every worker is busy and the queue is full: try again shortly.
    #[error("password checking is busy; please try again in a moment")]
    Busy,
    /// The hash could not be made (a bug or a broken stored hash).
    #[error(transparent)]
    Failed(#[from] HashError),
}

enum Job {
    Hash {
        password: String,
        reply: tokio::sync::oneshot::Sender<Result<String, HashError>>,
    },
    Verify {
        password: String,
        stored: Option<String>,
        reply: tokio::sync::oneshot::Sender<bool>,
    },
    HashCodes {
        codes: Vec<String>,
        reply: tokio::sync::oneshot::Sender<Result<Vec<String>, HashError>>,
    },
    VerifyCode {
        code: String,
        stored: Option<String>,
        reply: tokio::sync::oneshot::Sender<bool>,
    },
}

/// The pool of hashing workers.
pub struct HashingPool {
    jobs: SyncSender<Job>,
    workers: usize,
}

/// What every worker shares: the parameters and a hash to verify against
/// when a name is unknown, so it costs the same time as a wrong password.
struct Shared {
    params: Params,
    dummy: String,
    code_params: Params,
    code_dummy: String,
}

impl HashingPool {
    /// Starts workers for Argon2id with `memory_kib` (at least 19 MiB), t=2,
    /// p=1, as many as `budget_mib` holds (at least one).
    pub fn new(memory_kib: u32, budget_mib: u32) -> Result<Self, HashError> {
        let memory_kib = memory_kib.max(19 * 1024);
        let params = Params::new(memory_kib, 2, 1, None).map_err(HashError::new)?;
        let per_worker_mib = memory_kib.div_ceil(1024).max(1);
        let workers = usize::try_from((budget_mib / per_worker_mib).max(1)).unwrap_or(1);
        let mut blocks = vec![Block::default(); params.block_count()];
        let dummy = hash_with(
            &params,
            "a password nobody has, used only to spend time",
            &mut blocks,
        )?;
        let code_params = Params::new(CODE_MEMORY_KIB, 2, 1, None).map_err(HashError::new)?;
        let code_dummy = hash_with(&code_params, "no code anybody holds", &mut blocks)?;
        let shared = Arc::new(Shared {
            params,
            dummy,
            code_params,
            code_dummy,
        });
        let (jobs, queue) = sync_channel(workers * QUEUE_PER_WORKER);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let (shared, queue) = (Arc::clone(&shared), Arc::clone(&queue));
            let mut blocks = if n == 0 {
                std::mem::take(&mut blocks)
            } else {
                vec![Block::default(); shared.params.block_count()]
            };
            std::thread::Builder::new()
                .name(format!("hashing-{n}"))
                .spawn(move || work(&shared, &queue, &mut blocks))
                .map_err(HashError::new)?;
        }
        Ok(Self { jobs, workers })
    }

    /// How many workers hash at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Queues the job `make` builds around a reply channel, and waits for
    /// the reply; a full queue is `Busy` at once.
    async fn ask<T>(
        &self,
        make: impl FnOnce(tokio::sync::oneshot::Sender<T>) -> Job,
    ) -> Result<T, HashingError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs.try_send(make(reply)).map_err(|err| match err {
            TrySendError::Full(_) => HashingError::Busy,
            TrySendError::Disconnected(_) => {
                HashingError::Failed(HashError::new("the hashing workers stopped"))
            }
        })?;
        answer
            .await
            .map_err(|_| HashingError::Failed(HashError::new("a hashing worker stopped")))
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String, HashingError> {
        let password = password.to_owned();
        self.ask(|reply| Job::Hash { password, reply })
            .await?
            .map_err(HashingError::Failed)
    }

    /// Whether `password` fits `stored`. With no stored hash (an unknown
    /// name) the same work is done against a dummy, and the answer is no.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashingError> {
        let (password, stored) = (password.to_owned(), stored.map(str::to_owned));
        self.ask(|reply| Job::Verify {
            password,
            stored,
            reply,
        })
        .await
    }

    /// Hashes recovery codes, each into a PHC string of its own.
    pub async fn hash_codes(&self, codes: Vec<String>) -> Result<Vec<String>, HashingError> {
        self.ask(|reply| Job::HashCodes { codes, reply })
            .await?
            .map_err(HashingError::Failed)
    }

    /// Whether `code` fits `stored`; with none (an unknown name or code)
    /// the same work is done against a dummy, and the answer is no.
    pub async fn verify_code(
        &self,
        code: &str,
        stored: Option<&str>,
    ) -> Result<bool, HashingError> {
        let (code, stored) = (code.to_owned(), stored.map(str::to_owned));
        self.ask(|reply| Job::VerifyCode {
            code,
            stored,
            reply,
        })
        .await
    }
}

/// One worker: takes jobs until the pool is dropped, always in `blocks`.
fn work(shared: &Shared, queue: &Mutex<Receiver<Job>>, blocks: &mut [Block]) {
    loop {
        let job = {
            let receiver = queue.lock().unwrap_or_else(PoisonError::into_inner);
            receiver.recv()
        };
        match job {
            Ok(Job::Hash { password, reply }) => {
                let _ = reply.send(hash_with(&shared.params, &password, blocks));
            }
            Ok(Job::Verify {
                password,
                stored,
                reply,
            }) => {
                let target = stored.as_deref().unwrap_or(&shared.dummy);
                let matched = verify_with(&password, target, blocks);
                let _ = reply.send(matched && stored.is_some());
            }
            Ok(Job::HashCodes { codes, reply }) => {
                let hashed = codes
                    .iter()
                    .map(|code| hash_with(&shared.code_params, code, blocks))
                    .collect();
                let _ = reply.send(hashed);
            }
            Ok(Job::VerifyCode {
                code,
                stored,
                reply,
            }) => {
                let target = stored.as_deref().unwrap_or(&shared.code_dummy);
                let matched = verify_with(&code, target, blocks);
                let _ = reply.send(matched && stored.is_some());
            }
            Err(_) => return,
        }
    }
}

fn hash_with(params: &Params, password: &str, blocks: &mut [Block]) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(HashError::new)?;
    let salt = SaltString::encode_b64(&salt).map_err(HashError::new)?;
    let mut raw = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut raw)
        .map_err(HashError::new)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let memory = blocks
        .get_mut(..params.block_count())
        .ok_or_else(|| HashError::new("hashing memory smaller than its parameters"))?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon2
            .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
            .map_err(|_| argon2::password_hash::Error::Password)
    })
    .map_err(HashError::new)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(HashError::new)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Recomputes `stored` for `password` in `blocks` (or in fresh memory when
/// the stored hash asks for more) and compares in constant time.
fn verify_with(password: &str, stored: &str, blocks: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) =
        (Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let mut raw = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut raw) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, Version::V0x13, params.clone());
    let mut own;
    let memory: &mut [Block] = if let Some(prefix) = blocks.get_mut(..params.block_count()) {
        prefix
    } else {
        own = vec![Block::default(); params.block_count()];
        &mut own
    };
    let computed = Output::init_with(expected.len(), |out| {
        argon2
            .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
            .map_err(|_| argon2::password_hash::Error::Password)
    });
    // `Output` compares in constant time.
    computed.is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn hashes_verify_here_and_with_the_argon2_crate_alike() {
        use argon2::PasswordVerifier;
        let pool = HashingPool::new(19 * 1024, 40).unwrap();
        assert_eq!(pool.workers(), 2);
        let hash = pool.hash("green tea on a rainy day").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            pool.verify("green tea on a rainy day", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify("green tea on a sunny day", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!pool.verify("green tea on a rainy day", None).await.unwrap());
        // The stock verifier agrees with what the pool wrote …
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"green tea on a rainy day", &parsed)
                .is_ok()
        );
        // … and the pool reads hashes the stock hasher wrote before.
        use argon2::PasswordHasher as _;
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let older = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(19 * 1024, 2, 1, None).unwrap(),
        )
        .hash_password(b"an older quiet password", &salt)
        .unwrap()
        .to_string();
        assert!(
            pool.verify("an older quiet password", Some(&older))
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify("an older quiet password", Some("junk"))
                .await
                .unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn beyond_the_queue_requests_are_refused_not_held() {
        let pool = Arc::new(HashingPool::new(19 * 1024, 19).unwrap());
        assert_eq!(pool.workers(), 1);
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let pool = Arc::clone(&pool);
                tokio::spawn(async move { pool.verify("x", None).await })
            })
            .collect();
        let mut busy = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Err(HashingError::Busy)) {
                busy += 1;
            }
        }
        assert!(
            busy > 0,
            "a queue of {QUEUE_PER_WORKER} cannot hold 40 at once"
        );
        assert!(busy < 40);
    }
}
