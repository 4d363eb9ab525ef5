//! The audit log: per person, a hash chain of what others read of their
//! data and of what changed who may read it (grants, links, sign-ins);
//! one more chain, the operator's, for what happened to whole accounts.
//! Each entry holds the hash of the one before, so an entry changed,
//! dropped or put in later no longer matches its neighbours, and
//! [`verify`] names the first that does not. Every engine appends through
//! [`Entry::after`] in the transaction of the act it records, and keeps a
//! head per chain (its last position and hash), so a chain cut short is
//! found too.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The chain of the operator: what is kept of accounts that are gone.
pub const OPERATOR_CHAIN: i64 = 0;

/// The hash before a chain's first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// The person signed in.
    SignedIn,
    /// A counsellor read through a share of theirs.
    Read,
    /// A partner read what a link shows of theirs.
    PartnerRead,
    /// They made a share (an invite for a counsellor).
    Shared,
    /// A counsellor took the share's code.
    Accepted,
    /// They changed what a share shows.
    ScopeChanged,
    /// They ended a share (one that reaches its end date is not logged).
    Revoked,
    /// They showed one safety check's result through a share, once.
    SafetyShared,
    /// A link with a partner began.
    Linked,
    /// A link with a partner ended.
    Unlinked,
    /// The operator approved a counsellor account (operator's chain).
    CounsellorApproved,
    /// An account and its chain were deleted (operator's chain).
    AccountDeleted,
}

impl AuditKind {
    /// Every kind, in the order above.
    pub const ALL: [AuditKind; 12] = [
        AuditKind::SignedIn,
        AuditKind::Read,
        AuditKind::PartnerRead,
        AuditKind::Shared,
        AuditKind::Accepted,
        AuditKind::ScopeChanged,
        AuditKind::Revoked,
        AuditKind::SafetyShared,
        AuditKind::Linked,
        AuditKind::Unlinked,
        AuditKind::CounsellorApproved,
        AuditKind::AccountDeleted,
    ];

    /// Whether it is someone else reading the person's data: what "who
    /// saw what" lists.
    pub fn is_read_by_someone_else(self) -> bool {
        matches!(self, AuditKind::Read | AuditKind::PartnerRead)
    }

    /// The word a store keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignedIn => "signed_in",
            AuditKind::Read => "read",
            AuditKind::PartnerRead => "partner_read",
            AuditKind::Shared => "shared",
            AuditKind::Accepted => "accepted",
            AuditKind::ScopeChanged => "scope_changed",
            AuditKind::Revoked => "revoked",
            AuditKind::SafetyShared => "safety_shared",
            AuditKind::Linked => "linked",
            AuditKind::Unlinked => "unlinked",
            AuditKind::CounsellorApproved => "counsellor_approved",
            AuditKind::AccountDeleted => "account_deleted",
        }
    }

    /// The kind a stored word names; `Corrupt` for any other.
    pub fn parse(word: &str) -> Result<Self, StoreError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word)
            .ok_or_else(|| StoreError::corrupt(format!("unknown audit entry kind {word:?}")))
    }
}

/// What an act asks to be recorded, before it has a place in a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub kind: AuditKind,
    /// The user name of who did it, kept as text so an entry outlives
    /// their account.
    pub actor: String,
    /// The share, link or account it was about, when there is one.
    pub subject: Option<i64>,
    /// A word or two more, such as `results` or `passkey`.
    pub detail: String,
}

impl Event {
    /// An event with no subject.
    pub fn new(kind: AuditKind, actor: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            kind,
            actor: actor.into(),
            subject: None,
            detail: detail.into(),
        }
    }

    /// The same event about `subject`.
    pub fn about(mut self, subject: i64) -> Self {
        self.subject = Some(subject);
        self
    }
}

/// The last entry of a chain: where the next one goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The chain.
    pub chain: i64,
    /// The position of its last entry (0 before the first).
    pub seq: i64,
    /// The hash of its last entry ([`GENESIS`] before the first).
    pub hash: [u8; 32],
}

impl Head {
    /// The head of a chain with nothing in it yet.
    pub fn empty(chain: i64) -> Self {
        Self {
            chain,
            seq: 0,
            hash: GENESIS,
        }
    }
}

/// One entry as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The person's user id, or [`OPERATOR_CHAIN`].
    pub chain: i64,
    /// Its place in the chain, from 1.
    pub seq: i64,
    /// When (unix seconds).
    pub at_unix: i64,
    /// What was recorded.
    pub event: Event,
    /// The hash of the entry before ([`GENESIS`] for the first).
    pub prev_hash: [u8; 32],
    /// This entry's hash, over all of the above.
    pub hash: [u8; 32],
}

impl Entry {
    /// The entry that follows `head`, recording `event` at `at_unix`.
    pub fn after(head: &Head, at_unix: i64, event: Event) -> Self {
        let seq = head.seq + 1;
        let hash = digest(head.chain, seq, at_unix, &event, &head.hash);
        Self {
            chain: head.chain,
            seq,
            at_unix,
            event,
            prev_hash: head.hash,
            hash,
        }
    }

    /// The head once this entry is appended.
    pub fn head(&self) -> Head {
        Head {
            chain: self.chain,
            seq: self.seq,
            hash: self.hash,
        }
    }
}

/// SHA-256 over every field in one fixed order, each text with its length,
/// so no two different entries are encoded alike.
fn digest(chain: i64, seq: i64, at_unix: i64, event: &Event, prev_hash: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"tandem audit entry v1\0");
    hasher.update(prev_hash);
    hasher.update(chain.to_be_bytes());
    hasher.update(seq.to_be_bytes());
    hasher.update(at_unix.to_be_bytes());
    for text in [event.kind.as_str(), &event.actor, &event.detail] {
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    match event.subject {
        Some(subject) => {
            hasher.update([1]);
            hasher.update(subject.to_be_bytes());
        }
        None => hasher.update([0]),
    }
    hasher.finalize().into()
}

/// The operator's entry for approving counsellor `name`.
pub fn approval(name: &crate::UserName) -> Event {
    Event::new(AuditKind::CounsellorApproved, "operator", name.as_str())
}

/// The detail of a sign-in's entry: how it was confirmed.
pub fn sign_in_detail(second_factor: bool) -> &'static str {
    if second_factor {
        "passkey"
    } else {
        "password or recovery code"
    }
}

/// A hash as a store keeps it: exactly 32 bytes, or `Corrupt`.
pub fn hash_of(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::corrupt("an audit hash is not 32 bytes"))
}

/// An entry's columns as every engine stores them: chain, seq, at_unix,
/// kind, actor, subject, detail, prev_hash, hash.
pub type StoredRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<i64>,
    String,
    Vec<u8>,
    Vec<u8>,
);

/// The entry a stored row holds; `Corrupt` for an unknown kind or a hash
/// of the wrong length.
pub fn entry_of(row: StoredRow) -> Result<Entry, StoreError> {
    let (chain, seq, at_unix, kind, actor, subject, detail, prev_hash, hash) = row;
    Ok(Entry {
        chain,
        seq,
        at_unix,
        event: Event {
            kind: AuditKind::parse(&kind)?,
            actor,
            subject,
            detail,
        },
        prev_hash: hash_of(&prev_hash)?,
        hash: hash_of(&hash)?,
    })
}

/// A head as every engine stores it (chain, seq, hash); `Corrupt` for a
/// hash of the wrong length.
pub fn head_of(row: (i64, i64, Vec<u8>)) -> Result<Head, StoreError> {
    let (chain, seq, hash) = row;
    Ok(Head {
        chain,
        seq,
        hash: hash_of(&hash)?,
    })
}

/// What the operator's chain keeps of a deleted account's chain: how long
/// it was and the hash it ended on, so a copy kept elsewhere can still be
/// checked against it.
pub fn tombstone_detail(head: &Head) -> String {
    let hex: String = head.hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("{} entries, last hash {hex}", head.seq)
}

/// One entry of a person's own chain, as they read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Its place in the chain, from 1.
    pub seq: i64,
    /// When (unix seconds).
    pub at_unix: i64,
    /// What happened.
    pub kind: AuditKind,
    /// The user name of who did it.
    pub actor: String,
    /// The share or link it was about.
    pub subject: Option<i64>,
    /// A word or two more, such as `results`.
    pub detail: String,
}

impl From<Entry> for AuditEntry {
    fn from(entry: Entry) -> Self {
        Self {
            seq: entry.seq,
            at_unix: entry.at_unix,
            kind: entry.event.kind,
            actor: entry.event.actor,
            subject: entry.event.subject,
            detail: entry.event.detail,
        }
    }
}

/// What [`verify`] found in a whole store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// How many chains it checked.
    pub chains: u64,
    /// How many entries.
    pub entries: u64,
    /// The first entry that does not hold, if any.
    pub broken: Option<Broken>,
}

/// Where a chain stops holding, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The chain (a user id, or 0 for the operator's).
    pub chain: i64,
    /// The position of the first entry that does not hold.
    pub seq: i64,
    /// What is wrong with it, in words.
    pub reason: String,
}

/// Checks every chain: each entry's position follows the one before, holds
/// the hash of the one before, and hashes to what it says; each chain's
/// head names its last entry. `entries` in order of chain, then position;
/// `heads` in any order.
pub fn verify(entries: &[Entry], heads: &[Head]) -> AuditCheck {
    let mut chains: Vec<i64> = entries.iter().map(|e| e.chain).collect();
    chains.extend(heads.iter().map(|h| h.chain));
    chains.sort_unstable();
    chains.dedup();
    let broken = chains.iter().find_map(|&chain| {
        let head = heads.iter().find(|h| h.chain == chain);
        check_chain(chain, entries.iter().filter(|e| e.chain == chain), head)
    });
    AuditCheck {
        chains: chains.len() as u64,
        entries: entries.len() as u64,
        broken,
    }
}

fn check_chain<'a>(
    chain: i64,
    entries: impl Iterator<Item = &'a Entry>,
    head: Option<&Head>,
) -> Option<Broken> {
    let broken = |seq: i64, reason: &str| {
        Some(Broken {
            chain,
            seq,
            reason: reason.to_owned(),
        })
    };
    let mut last = Head::empty(chain);
    for entry in entries {
        if entry.seq != last.seq + 1 {
            return broken(
                last.seq + 1,
                "this entry is missing: the chain jumps past it",
            );
        }
        if entry.prev_hash != last.hash {
            return broken(entry.seq, "it does not hold the hash of the entry before");
        }
        if digest(
            chain,
            entry.seq,
            entry.at_unix,
            &entry.event,
            &entry.prev_hash,
        ) != entry.hash
        {
            return broken(entry.seq, "its contents do not match its hash");
        }
        last = entry.head();
    }
    match head {
        None => broken(last.seq, "the chain has no head"),
        Some(head) if head.seq != last.seq || head.hash != last.hash => broken(
            last.seq + 1,
            "the chain is shorter than its head says: later entries are missing",
        ),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(chain: i64, n: i64) -> (Vec<Entry>, Head) {
        let mut head = Head::empty(chain);
        let mut entries = Vec::new();
        for at in 0..n {
            let entry = Entry::after(
                &head,
                1_000 + at,
                Event::new(AuditKind::Read, "rosa", "results").about(7),
            );
            head = entry.head();
            entries.push(entry);
        }
        (entries, head)
    }

    #[test]
    fn an_untouched_chain_holds() {
        let (mut entries, head) = chain_of(3, 4);
        let (more, other) = chain_of(OPERATOR_CHAIN, 2);
        entries.splice(0..0, more);
        let check = verify(&entries, &[head, other]);
        assert_eq!((check.chains, check.entries, check.broken), (2, 6, None));
    }

    #[test]
    fn each_kind_of_tampering_names_the_first_entry_that_breaks() {
        type Tamper = fn(&mut Vec<Entry>, &mut Head);
        let cases: [(&str, Tamper, i64, &str); 6] = [
            (
                "detail changed",
                |e, _| e[1].event.detail = "nothing".into(),
                2,
                "contents",
            ),
            ("time changed", |e, _| e[2].at_unix += 1, 3, "contents"),
            (
                "actor changed",
                |e, _| e[0].event.actor = "sam".into(),
                1,
                "contents",
            ),
            ("entry dropped", |e, _| drop(e.remove(1)), 2, "missing"),
            ("last dropped", |e, _| drop(e.pop()), 4, "shorter"),
            (
                "entry rewritten with its own hash",
                |e, _| {
                    e[1].event.detail = "nothing".into();
                    e[1].hash = digest(3, 2, e[1].at_unix, &e[1].event, &e[1].prev_hash);
                },
                3,
                "hash of the entry before",
            ),
        ];
        for (what, tamper, seq, reason) in cases {
            let (mut entries, mut head) = chain_of(3, 4);
            tamper(&mut entries, &mut head);
            let broken = verify(&entries, &[head]).broken.expect(what);
            assert_eq!((broken.chain, broken.seq), (3, seq), "{what}");
            assert!(broken.reason.contains(reason), "{what}: {}", broken.reason);
        }
    }

    #[test]
    fn kinds_round_trip_through_their_words() {
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()).unwrap(), kind);
        }
        assert!(AuditKind::parse("peeked").is_err());
    }
}
