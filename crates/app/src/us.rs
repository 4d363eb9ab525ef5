//! "How I see us" as the person keeps it, and as a comparison shows both
//! sides of it: the score from the `indices` level up, each answer when
//! both share items. A gap is flagged from a full point, since how exact
//! the part is has not been measured.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::couple::{FIXED_GAP, US_ITEMS, check_us, us_score};
use tandem_store::{LinkLevel, Owner, PartnerGrant, PartnerUs, RelationshipId, Store, StoreError};

use crate::ServiceError;

/// One item with the person's own answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsAnswer {
    /// The item id.
    pub item: &'static str,
    /// Its wording.
    pub text: &'static str,
    /// The person's answer, 1 to 5, if given.
    pub answer: Option<i64>,
}

/// The person's "how I see us" for one relationship.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsForm {
    /// The relationship it is about.
    pub relationship: RelationshipId,
    /// The items, in the order asked.
    pub items: Vec<UsAnswer>,
    /// The score, 1 to 5 (higher: the two work well together), once every
    /// item is answered.
    pub score: Option<f64>,
}

/// One item as both answered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsRow {
    /// The item id.
    pub item: &'static str,
    /// Its wording.
    pub text: &'static str,
    /// This person's answer.
    pub mine: i64,
    /// The partner's answer.
    pub theirs: i64,
}

/// Both sides' "how I see us" in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsComparison {
    /// This person's score.
    pub mine: f64,
    /// The partner's score.
    pub theirs: f64,
    /// `theirs − mine`.
    pub gap: f64,
    /// Whether the gap is a full point or more.
    pub flagged: bool,
    /// Each item as both answered it, when both share items.
    pub items: Vec<UsRow>,
}

/// `user`'s own "how I see us" for their `relationship`; `NotFound` for
/// another's.
pub async fn form(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
) -> Result<UsForm, ServiceError> {
    store.relationship(user, relationship).await?;
    let answers = store.us(user, relationship).await?;
    Ok(UsForm {
        relationship,
        items: US_ITEMS
            .iter()
            .map(|item| UsAnswer {
                item: item.id,
                text: item.text,
                answer: answers.get(item.id).copied(),
            })
            .collect(),
        score: us_score(&answers),
    })
}

/// Keeps `answers` as `user`'s "how I see us" for their `relationship`,
/// after checking every item is answered on the scale (`Invalid`, field
/// `answers.ITEM`, otherwise, with nothing stored).
pub async fn save(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
    answers: &BTreeMap<String, i64>,
    now: i64,
) -> Result<(), ServiceError> {
    check_us(answers)
        .map_err(|err| StoreError::invalid(format!("answers.{}", err.item()), err.to_string()))?;
    Ok(store.save_us(user, relationship, answers, now).await?)
}

/// Both sides in the comparison for `user` (about their `relationship`)
/// through `grant`, shown at `level` (what both share at least); `None`
/// until both have answered it whole. `NotFound` when the link ended
/// meanwhile.
pub async fn compared(
    store: &Store,
    (user, relationship): (Owner, RelationshipId),
    grant: &PartnerGrant,
    level: LinkLevel,
) -> Result<Option<UsComparison>, ServiceError> {
    let Some(theirs) = store.partner_us(grant).await? else {
        return Ok(None);
    };
    let mine = store.us(user, relationship).await?;
    let Some(score) = us_score(&mine) else {
        return Ok(None);
    };
    Ok(Some(side_by_side(&mine, score, &theirs, level)))
}

fn side_by_side(
    mine: &BTreeMap<String, i64>,
    score: f64,
    theirs: &PartnerUs,
    level: LinkLevel,
) -> UsComparison {
    let gap = theirs.score - score;
    let items = match (&theirs.items, level >= LinkLevel::Items) {
        (Some(answers), true) => US_ITEMS
            .iter()
            .filter_map(|item| {
                Some(UsRow {
                    item: item.id,
                    text: item.text,
                    mine: *mine.get(item.id)?,
                    theirs: *answers.get(item.id)?,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    UsComparison {
        mine: score,
        theirs: theirs.score,
        gap,
        flagged: gap.abs() >= FIXED_GAP,
        items,
    }
}
