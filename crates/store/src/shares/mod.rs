//! Shares: a person letting a counsellor follow some of their data. The
//! person who shares makes the share as an invite (a single-use code),
//! chooses its [`Scope`] and expiry, and ends it; an approved counsellor
//! accepts the code and then reads through a [`Grant`](crate::Grant),
//! which the store mints only from a share that is current, and every such
//! read leaves an [`AuditEntry`](crate::AuditEntry) the sharer can read. A share never reaches
//! safety answers or any item that signals risk: the read's type,
//! [`SharedAdministration`], has no room for them, and the engines fill it
//! through [`shown_items`], which keeps only plain scale answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Owner, RelationshipId, ShareId, StoreError, UserId};

mod safety;
mod shown;
mod work;

pub use safety::{SharedSafetyResult, shown_already, unfinished};
pub use shown::{CHECKIN, FinishedRow, Needs, row_shown, shown, shown_items};
pub use work::{
    SharedExercise, SharedStep, SharedWork, plan_covers, shown_exercises, shown_steps, work_detail,
};

/// How long a share's invite code can be accepted: 72 hours, as a link's.
pub const INVITE_SECONDS: i64 = crate::links::INVITE_SECONDS;

/// Who a share is for, which decides nothing by itself but is shown to
/// the sharer and kept in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShareKind {
    /// A linked partner (kept for shares made before links had their own
    /// tables; new ones are never made).
    Partner,
    /// A counsellor the person invited.
    Counsellor,
}

/// How much of a result a share shows, each level including the one
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShareLevel {
    /// No results (the support map or the plan may still be shared).
    #[default]
    None,
    /// The index scores.
    Indices,
    /// The facet scores too.
    Facets,
    /// The answers to the items too (never an item that signals risk).
    Items,
}

impl ShareKind {
    /// The word kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partner => "partner",
            Self::Counsellor => "counsellor",
        }
    }

    /// The kind a stored word names.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "partner" => Some(Self::Partner),
            "counsellor" => Some(Self::Counsellor),
            _ => None,
        }
    }
}

impl ShareLevel {
    /// Every level, lowest first.
    pub const ALL: [Self; 4] = [Self::None, Self::Indices, Self::Facets, Self::Items];

    /// The word used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Indices => "indices",
            Self::Facets => "facets",
            Self::Items => "items",
        }
    }

    /// The level a word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == word)
    }
}

/// What a share lets its counsellor see. Every field left out is not
/// shared; `instruments` and `relationships` left out mean all of them,
/// at the `results` level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scope {
    /// How much of each result.
    #[serde(default)]
    pub results: ShareLevel,
    /// Which instruments' results (ids such as `rdp`, `checkin`); all when
    /// left out. The safety check is never one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruments: Option<Vec<String>>,
    /// Which relationships' results; all when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<i64>>))]
    pub relationships: Option<Vec<RelationshipId>>,
    /// The support map.
    #[serde(default)]
    pub support_map: bool,
    /// The plan's step titles and their status.
    #[serde(default)]
    pub plan: bool,
    /// The texts of exercises (titles come with the plan).
    #[serde(default)]
    pub exercise_texts: bool,
    /// The check-in's own note.
    #[serde(default)]
    pub checkin_notes: bool,
    /// Whether check-ins were missed, for the attention rules.
    #[serde(default)]
    pub checkin_streak: bool,
}

/// The instrument that a share never shows.
const SAFETY_INSTRUMENT: &str = "safety";

impl Scope {
    /// Checks what the store alone can check: no safety check among the
    /// instruments, no instrument or relationship named twice.
    pub fn check(&self) -> Result<(), StoreError> {
        if let Some(instruments) = &self.instruments {
            if instruments.iter().any(|id| id == SAFETY_INSTRUMENT) {
                return Err(StoreError::invalid(
                    "scope.instruments",
                    "The safety check is never shared this way.",
                ));
            }
            if has_repeats(instruments) {
                return Err(StoreError::invalid(
                    "scope.instruments",
                    "An instrument is named twice.",
                ));
            }
        }
        if self
            .relationships
            .as_ref()
            .is_some_and(|ids| has_repeats(ids))
        {
            return Err(StoreError::invalid(
                "scope.relationships",
                "A relationship is named twice.",
            ));
        }
        Ok(())
    }

    /// Whether results of `instrument` about `relationship` are in scope.
    pub fn covers(&self, instrument: &str, relationship: RelationshipId) -> bool {
        self.results > ShareLevel::None
            && instrument != SAFETY_INSTRUMENT
            && self
                .instruments
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == instrument))
            && self
                .relationships
                .as_ref()
                .is_none_or(|ids| ids.contains(&relationship))
    }

    /// The scope as kept in the database.
    pub fn to_stored(&self) -> Result<String, StoreError> {
        serde_json::to_string(self).map_err(|err| StoreError::corrupt(format!("scope: {err}")))
    }

    /// The scope a stored text names.
    pub fn stored(text: &str) -> Result<Self, StoreError> {
        serde_json::from_str(text).map_err(|err| StoreError::corrupt(format!("share scope: {err}")))
    }
}

fn has_repeats<T: Ord>(values: &[T]) -> bool {
    let mut sorted: Vec<&T> = values.iter().collect();
    sorted.sort();
    sorted.windows(2).any(|pair| pair[0] == pair[1])
}

/// A share as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Its id.
    pub id: ShareId,
    /// The counsellor who accepted it, once one has.
    pub viewer: Option<UserId>,
    /// Their user name, once accepted.
    pub viewer_name: Option<String>,
    /// What the viewer is to the owner.
    pub kind: ShareKind,
    /// What it shows.
    pub scope: Scope,
    /// When it was made (unix seconds).
    pub created_unix: i64,
    /// When its code stops working if nobody accepts it.
    pub code_expires_unix: i64,
    /// When it was accepted.
    pub accepted_unix: Option<i64>,
    /// When it stops by itself, if it does (unix seconds).
    pub expires_unix: Option<i64>,
    /// When its owner ended it, if they did.
    pub revoked_unix: Option<i64>,
    /// When its owner showed one safety check's result through it, if
    /// they did.
    pub safety_shared_unix: Option<i64>,
}

impl Share {
    /// Whether it can still be read through (accepted, not ended) at `now`.
    pub fn is_current(&self, now: i64) -> bool {
        self.accepted_unix.is_some() && self.revoked_unix.is_none() && self.lasts_past(now)
    }

    /// Whether its code can still be accepted at `now`.
    pub fn is_waiting(&self, now: i64) -> bool {
        self.accepted_unix.is_none()
            && self.revoked_unix.is_none()
            && self.code_expires_unix > now
            && self.lasts_past(now)
    }

    fn lasts_past(&self, now: i64) -> bool {
        self.expires_unix.is_none_or(|at| at > now)
    }
}

/// One client as a counsellor sees them: under the share's id, never the
/// client's user id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    /// The share they follow the client through.
    pub share: ShareId,
    /// The client's user name, which they chose to show by inviting.
    pub name: String,
    /// What the client shares.
    pub scope: Scope,
    /// Since when (unix seconds).
    pub since_unix: i64,
    /// Until when, if the client set an end.
    pub expires_unix: Option<i64>,
}

/// One finished administration as a share shows it. It has no field for a
/// safety answer, an item that signals risk, or free text other than the
/// check-in's note when the client shares notes: a shared view cannot
/// carry what its type has no room for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedAdministration {
    /// The instrument.
    pub instrument: String,
    /// The version it was taken in.
    pub version: String,
    /// The client's relationship it is about.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub relationship: RelationshipId,
    /// When it was finished (RFC 3339, UTC).
    pub completed_at: String,
    /// Index scores, from the `indices` level (absent when the share shows
    /// only that a check-in happened).
    pub indices: Option<BTreeMap<String, f64>>,
    /// Facet scores, from the `facets` level.
    pub facets: Option<BTreeMap<String, f64>>,
    /// The point chosen on each plain scale item, at the `items` level.
    pub items: Option<BTreeMap<String, i64>>,
    /// The check-in's note, when the client shares notes and wrote one.
    pub note: Option<String>,
}

/// A current share, as the engine finds it for a viewer: bare ids, from
/// which only [`Store::grant`](crate::Store::grant) makes a [`Grant`](crate::Grant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// The share.
    pub share: ShareId,
    /// Whose data it shows.
    pub owner: UserId,
    /// What it shows.
    pub scope: Scope,
}

/// What every engine checks of a new share before it writes: a scope that
/// holds together, and an expiry after now.
pub fn check_new(scope: &Scope, now: i64, expires_unix: Option<i64>) -> Result<(), StoreError> {
    scope.check()?;
    if expires_unix.is_some_and(|at| at <= now) {
        return Err(StoreError::invalid(
            "expires_at",
            "The end must be after today.",
        ));
    }
    Ok(())
}

/// The time an invite's code stops working: 72 hours on, or the share's
/// own end if that is sooner.
pub fn code_expiry(now: i64, expires_unix: Option<i64>) -> i64 {
    let code = now + INVITE_SECONDS;
    expires_unix.map_or(code, |end| end.min(code))
}

/// Whether an account may accept a share: an approved counsellor only.
pub fn refuse_unless_counsellor(role: &str, approved: Option<i64>) -> Result<(), StoreError> {
    let standing = crate::Standing {
        role: crate::AccountRole::stored(role)?,
        approved_unix: approved,
    };
    if !standing.is_approved_counsellor() {
        return Err(StoreError::Conflict(
            "Only a counsellor account the operator has approved can accept this code.".into(),
        ));
    }
    Ok(())
}

/// What approving `name` came to, from the role of the account it
/// reached (`None`: no account of that name can sign in).
pub fn approved(role: Option<&str>, name: &crate::UserName) -> Result<(), StoreError> {
    match role {
        Some("counsellor") => Ok(()),
        Some(_) => Err(StoreError::Conflict(format!(
            "{name} is not a counsellor account; nothing was changed."
        ))),
        None => Err(StoreError::invalid(
            "name",
            format!("No account is named {name}."),
        )),
    }
}

/// `NotFound` for share `id` when a change of its owner's touched no row:
/// no such share, someone else's, or ended already.
pub fn changed_one(rows: u64, id: ShareId) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::NotFound {
            what: "share",
            id: id.0,
        });
    }
    Ok(())
}

/// The kind a stored word names; any other word is stored data that no
/// longer reads.
pub fn stored_kind(word: &str) -> Result<ShareKind, StoreError> {
    ShareKind::parse(word).ok_or_else(|| StoreError::corrupt(format!("share kind {word:?}")))
}

/// The name shown for a reader whose account is gone.
pub const GONE: &str = "a deleted account";

/// A code that reaches no share the viewer may accept.
pub fn no_such_code() -> StoreError {
    crate::links::no_such_invite()
}

/// Checks `owner` is not the one accepting their own share.
pub fn refuse_own(owner: UserId, viewer: Owner) -> Result<(), StoreError> {
    if owner == viewer.id() {
        return Err(no_such_code());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(instrument: &str, relationship: i64) -> FinishedRow {
        FinishedRow {
            id: 1,
            instrument: instrument.into(),
            version: "9.9.9".into(),
            relationship: RelationshipId(relationship),
            completed_at: "2026-01-01T00:00:00.000Z".into(),
            indices: r#"{"a":1.0}"#.into(),
            facets: r#"{"f":2.0}"#.into(),
        }
    }

    #[test]
    fn a_scope_covers_what_it_names_and_nothing_at_none() {
        let all = Scope {
            results: ShareLevel::Indices,
            ..Scope::default()
        };
        assert!(all.covers("rdp", RelationshipId(3)));
        assert!(all.covers("checkin", RelationshipId(4)));
        assert!(!all.covers("safety", RelationshipId(3)));
        let narrow = Scope {
            results: ShareLevel::Facets,
            instruments: Some(vec!["rdp".into()]),
            relationships: Some(vec![RelationshipId(3)]),
            ..Scope::default()
        };
        assert!(narrow.covers("rdp", RelationshipId(3)));
        assert!(!narrow.covers("rdp", RelationshipId(4)));
        assert!(!narrow.covers("checkin", RelationshipId(3)));
        assert!(!Scope::default().covers("rdp", RelationshipId(3)));
    }

    #[test]
    fn a_scope_refuses_the_safety_check_and_repeats() {
        for scope in [
            Scope {
                instruments: Some(vec!["safety".into()]),
                ..Scope::default()
            },
            Scope {
                instruments: Some(vec!["rdp".into(), "rdp".into()]),
                ..Scope::default()
            },
            Scope {
                relationships: Some(vec![RelationshipId(1), RelationshipId(1)]),
                ..Scope::default()
            },
        ] {
            assert!(
                matches!(scope.check(), Err(StoreError::Invalid { .. })),
                "{scope:?}"
            );
        }
    }

    #[test]
    fn fields_left_out_of_a_scope_are_not_shared() {
        let scope: Scope = serde_json::from_str(r#"{"results":"facets"}"#).unwrap();
        assert_eq!(
            scope,
            Scope {
                results: ShareLevel::Facets,
                ..Scope::default()
            }
        );
        assert!(serde_json::from_str::<Scope>(r#"{"results":"all"}"#).is_err());
        assert!(serde_json::from_str::<Scope>(r#"{"safety":true}"#).is_err());
        let back = Scope::stored(&scope.to_stored().unwrap()).unwrap();
        assert_eq!(back, scope);
    }

    #[test]
    fn a_row_shows_the_scores_of_its_level_and_no_unknown_items() {
        let facets = Scope {
            results: ShareLevel::Facets,
            ..Scope::default()
        };
        let none = BTreeMap::new();
        let shown_row = shown(&facets, &row("rdp", 1), &none, &BTreeMap::new()).unwrap();
        assert_eq!(shown_row.indices.unwrap()["a"], 1.0);
        assert_eq!(shown_row.facets.unwrap()["f"], 2.0);
        assert_eq!(shown_row.items, None);
        let items = Scope {
            results: ShareLevel::Items,
            ..Scope::default()
        };
        let values = BTreeMap::from([("X1".to_string(), 3)]);
        let unknown = shown(&items, &row("rdp", 1), &values, &BTreeMap::new()).unwrap();
        assert_eq!(
            unknown.items,
            Some(BTreeMap::new()),
            "an unknown version shows no items"
        );
    }

    #[test]
    fn a_checkin_outside_the_scope_shows_only_that_it_happened_when_the_streak_is_shared() {
        let streak = Scope {
            results: ShareLevel::Items,
            instruments: Some(vec!["rdp".into()]),
            checkin_streak: true,
            ..Scope::default()
        };
        assert!(row_shown(&streak, &row("checkin", 1)));
        let none = BTreeMap::new();
        let bare = shown(&streak, &row("checkin", 1), &none, &BTreeMap::new()).unwrap();
        assert_eq!(
            (bare.indices, bare.facets, bare.items, bare.note),
            (None, None, None, None)
        );
        let without = Scope {
            checkin_streak: false,
            ..streak
        };
        assert!(!row_shown(&without, &row("checkin", 1)));
    }
}
