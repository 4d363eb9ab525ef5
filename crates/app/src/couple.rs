//! Partner links as the person on one side sees them: making and
//! accepting an invite, and the comparison of both sides' latest results
//! for the linked relationship, each at the level its owner shares.
//!
//! A comparison is `None` whatever stands in its way — no such link, not
//! finished on either side, nothing shared by either — so no caller can
//! tell one reason from another, and nothing here reads a safety answer.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::couple::{
    CoupleSigns, DiscussionItem, Gap, Mutuality, Shown, TogetherStep, couple_plan,
    discussion_items, gaps, mutuality, partner_entry,
};
use tandem_core::instrument::OtherPerson;
use tandem_core::safety::ScreenSummary;
use tandem_store::links::{INVITE_SECONDS, code_hash, new_code, no_such_invite};
use tandem_store::{
    LinkId, LinkLevel, Mark, Owner, PartnerScores, RelationshipId, Store, StoreError,
};

use crate::guessing::GuessingView;
use crate::{Content, ServiceError};

/// The index each side's sense of shared power is read from.
const POWER_INDEX: &str = "power_balance";

/// An invite just made: the code is shown once and kept only as a hash.
#[derive(Debug, Clone, Serialize)]
pub struct NewInvite {
    /// The code to give the partner.
    pub code: String,
    /// When it stops working (unix seconds).
    pub expires_unix: i64,
}

/// One side of a comparison, at the level its owner shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Side {
    /// The level its owner shares.
    pub level: LinkLevel,
    /// What that level shows.
    #[serde(flatten)]
    pub shown: Shown,
}

/// A discussion item with its wording and this person's own mark.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discussion {
    /// The item and the two answers.
    #[serde(flatten)]
    pub item: DiscussionItem,
    /// The item's wording.
    pub text: String,
    /// This person's own mark, which the partner never sees.
    pub mark: Option<Mark>,
}

/// Shared power as each side sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PowerBalance {
    /// This person's score.
    pub mine: Option<f64>,
    /// The partner's score.
    pub theirs: Option<f64>,
}

/// The index gaps at one of this person's own finished administrations,
/// paired with the partner's latest finished by then.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapPoint {
    /// The date of this person's administration (theirs are never shown).
    pub on: String,
    /// `theirs − mine` by index id.
    pub gaps: BTreeMap<String, f64>,
}

/// Both sides' latest results for a linked relationship.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// The level both share at least: gaps are shown at it.
    pub level: LinkLevel,
    /// This person's latest, at the level they share.
    pub mine: Side,
    /// The partner's latest, at the level they share; no time, no name.
    pub theirs: Side,
    /// Perception gaps at the level both share.
    pub gaps: Vec<Gap>,
    /// Whether the gaps are judged with known reliability; without it,
    /// only gaps of a full point or more are flagged.
    pub reliability_known: bool,
    /// Items answered two or more points apart, when both share items.
    pub discussion_items: Vec<Discussion>,
    /// Shared power as each sees it.
    pub power_balance: PowerBalance,
    /// The index gaps over time.
    pub gaps_over_time: Vec<GapPoint>,
    /// Whether support flows both ways, per domain, from each one's entry
    /// for the other on their support map; empty when neither has one.
    pub mutuality: Vec<Mutuality>,
    /// "How I think my partner answered": how closely each reads the other,
    /// when both take part.
    pub guessing: GuessingView,
    /// Steps to do together, from what this comparison shows; none when
    /// this person's own answers say it may not be safe (the partner's
    /// risk plays no part in it, nor this person's in theirs).
    pub couple_plan: Vec<CoupleStep>,
    /// "How I see us", side by side, once both have answered it.
    pub how_we_see_us: Option<crate::us::UsComparison>,
}

/// One step of the couple plan, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoupleStep {
    /// The strategy and what in the comparison it answers.
    #[serde(flatten)]
    pub step: TogetherStep,
    /// Its title.
    pub title: String,
    /// Why it helps.
    pub why: String,
    /// First things to do.
    pub steps: Vec<String>,
}

/// Makes an invite for `user`'s partner relationship `relationship`.
pub async fn invite(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
    now: i64,
) -> Result<NewInvite, ServiceError> {
    let code = new_code()?;
    let hash =
        code_hash(&code).ok_or_else(|| ServiceError::internal("a new code that does not read"))?;
    let expires_unix = now + INVITE_SECONDS;
    store
        .create_invite(user, relationship, &hash, now, expires_unix)
        .await?;
    Ok(NewInvite { code, expires_unix })
}

/// Accepts the invite `code` for `user`'s `relationship`.
pub async fn accept(
    store: &Store,
    user: Owner,
    code: &str,
    relationship: RelationshipId,
    now: i64,
) -> Result<LinkId, ServiceError> {
    let hash = code_hash(code).ok_or_else(no_such_invite)?;
    Ok(store.accept_invite(user, &hash, relationship, now).await?)
}

/// The comparison for `user` on link `link`, or `None` whatever stands in
/// its way; `held` is a safety screen held in their session, which shapes
/// their couple plan as a kept one does.
pub async fn comparison(
    store: &Store,
    content: &Content,
    (user, held): (Owner, Option<ScreenSummary>),
    link: LinkId,
) -> Result<Option<Comparison>, ServiceError> {
    let Some((grant, _)) = store.partner_grant(user, link).await? else {
        return Ok(None);
    };
    let Some(own) = store.links(user).await?.into_iter().find(|l| l.id == link) else {
        return Ok(None);
    };
    if own.sharing == LinkLevel::None {
        return Ok(None);
    }
    crate::results::ensure_scored(store, content, user).await?;
    let points = own_points(store, user, own.relationship).await?;
    let Some((latest, _)) = points.last() else {
        return Ok(None);
    };
    let mut instants: Vec<i64> = points.iter().map(|(_, p)| p.unix).collect();
    instants.push(i64::MAX);
    let seen = match store.partner_scores(&grant, &instants).await {
        Ok(seen) => seen,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(err) => return Err(err.into()),
    };
    let Some(Some(theirs)) = seen.last().cloned() else {
        return Ok(None);
    };
    let estimate = content.estimates.current();
    let (instrument, _) = crate::results::precise(content, estimate.as_deref(), &content.rdp);
    let mine_full = own_shown(store, content, user, *latest).await?;
    let level = own.sharing.min(theirs.level);
    let mine = Side {
        level: own.sharing,
        shown: at_level(&mine_full, own.sharing),
    };
    let theirs = Side {
        level: theirs.level,
        shown: shown_of(theirs),
    };
    let (mine_joint, theirs_joint) = (at_level(&mine.shown, level), at_level(&theirs.shown, level));
    let marks = if level == LinkLevel::Items {
        store.marks(user, link).await?
    } else {
        BTreeMap::new()
    };
    let other = OtherPerson::new("my partner");
    let talk = discussion_items(instrument, &mine_joint, &theirs_joint);
    let gaps = gaps(instrument, &mine_joint, &theirs_joint);
    let discussion = talk
        .iter()
        .cloned()
        .map(|item| Discussion {
            text: instrument
                .item(&item.item)
                .map(|i| instrument.text_of(i, &other))
                .unwrap_or_default(),
            mark: marks.get(&item.item).copied(),
            item,
        })
        .collect();
    // A link that ended while this was read shows nothing.
    let mutuality = match mutuality_of(store, user, own.relationship, &grant).await {
        Err(ServiceError::Store(StoreError::NotFound { .. })) => return Ok(None),
        found => found?,
    };
    let no_items = BTreeMap::new();
    let guessing = match crate::guessing::view(
        store,
        instrument,
        (user, &grant),
        mine_full.items.as_ref().unwrap_or(&no_items),
        theirs.shown.items.as_ref(),
    )
    .await
    {
        Err(ServiceError::Store(StoreError::NotFound { .. })) => return Ok(None),
        found => found?,
    };
    let how_we_see_us =
        match crate::us::compared(store, (user, own.relationship), &grant, level).await {
            Err(ServiceError::Store(StoreError::NotFound { .. })) => return Ok(None),
            found => found?,
        };
    let risk = crate::situation::assess(store, content, user, held)
        .await?
        .risk;
    let couple_plan = couple_plan(
        &content.guidance,
        CoupleSigns::of(&gaps, &talk, &mutuality),
        &risk,
    )
    .into_iter()
    .filter_map(|step| {
        let strategy = content.guidance.strategy(step.strategy.as_str())?;
        Some(CoupleStep {
            title: strategy.title.clone(),
            why: strategy.why.clone(),
            steps: strategy.steps.clone(),
            step,
        })
    })
    .collect();
    let gaps_over_time = points
        .iter()
        .zip(&seen)
        .filter_map(|((_, point), theirs)| {
            let theirs = theirs.as_ref()?;
            let gaps = point
                .indices
                .iter()
                .filter_map(|(id, mine)| Some((id.clone(), theirs.indices.get(id)? - mine)))
                .collect();
            Some(GapPoint {
                on: point.on.clone(),
                gaps,
            })
        })
        .collect();
    Ok(Some(Comparison {
        level,
        gaps,
        reliability_known: instrument.indices.iter().all(|i| i.precision.is_some()),
        discussion_items: discussion,
        power_balance: PowerBalance {
            mine: mine.shown.indices.get(POWER_INDEX).copied(),
            theirs: theirs.shown.indices.get(POWER_INDEX).copied(),
        },
        gaps_over_time,
        mutuality,
        guessing,
        couple_plan,
        how_we_see_us,
        mine,
        theirs,
    }))
}

/// Mutuality from this person's entry for the partner of `relationship`
/// and the partner's entry for them.
async fn mutuality_of(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
    grant: &tandem_store::PartnerGrant,
) -> Result<Vec<Mutuality>, ServiceError> {
    let name = store.relationship(user, relationship).await?.name;
    let map = store.support_map(user).await?;
    let mine = partner_entry(&name, map.iter().map(|(_, entry)| entry));
    let theirs = store.partner_support(grant).await?;
    Ok(mutuality(mine.as_ref(), theirs.as_ref()))
}

/// One of this person's finished, fully scored RDPs, as a gap over time
/// needs it.
struct OwnPoint {
    unix: i64,
    on: String,
    indices: BTreeMap<String, f64>,
}

/// This person's finished, fully scored RDPs about `relationship`, oldest
/// first, with their ids.
async fn own_points(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
) -> Result<Vec<(tandem_store::AdministrationId, OwnPoint)>, ServiceError> {
    let about: std::collections::BTreeSet<_> = store
        .administrations(user, Some("rdp"))
        .await?
        .into_iter()
        .filter(|a| a.relationship == relationship && a.completed_at.is_some())
        .map(|a| a.id)
        .collect();
    let mut points: Vec<_> = store
        .score_points(user)
        .await?
        .into_iter()
        .filter(|p| p.complete && about.contains(&p.id))
        .filter_map(|p| {
            let unix = tandem_core::dates::unix_of(&p.completed_at)?;
            let on = tandem_core::dates::civil_date(unix);
            Some((
                p.id,
                OwnPoint {
                    unix,
                    on,
                    indices: p.indices,
                },
            ))
        })
        .collect();
    points.sort_by_key(|(id, p)| (p.unix, *id));
    Ok(points)
}

/// Everything of this person's administration `id`: scores and answers.
async fn own_shown(
    store: &Store,
    content: &Content,
    user: Owner,
    id: tandem_store::AdministrationId,
) -> Result<Shown, ServiceError> {
    let administration = store.administration(user, id).await?;
    let version = crate::situation::version_of(content, &administration)?;
    let answers = store.answers(user, version, id).await?;
    let scores = tandem_core::scoring::score(version, &answers).map_err(ServiceError::internal)?;
    let of = |pairs: Vec<(String, Option<f64>)>| -> BTreeMap<String, f64> {
        pairs
            .into_iter()
            .filter_map(|(id, x)| Some((id, x?)))
            .collect()
    };
    Ok(Shown {
        indices: of(scores
            .indices
            .iter()
            .map(|(id, s)| (id.to_string(), s.score))
            .collect()),
        facets: Some(of(scores
            .facets
            .iter()
            .map(|(id, s)| (id.to_string(), s.score))
            .collect())),
        items: Some(
            answers
                .iter()
                .filter_map(|(id, _)| Some((id.to_string(), answers.value(id.as_str())?)))
                .collect(),
        ),
    })
}

/// What `level` shows of `full`.
fn at_level(full: &Shown, level: LinkLevel) -> Shown {
    Shown {
        indices: full.indices.clone(),
        facets: full.facets.clone().filter(|_| level >= LinkLevel::Facets),
        items: full.items.clone().filter(|_| level >= LinkLevel::Items),
    }
}

/// The partner's scores as a side shows them.
fn shown_of(scores: PartnerScores) -> Shown {
    Shown {
        indices: scores.indices,
        facets: scores.facets,
        items: scores.items,
    }
}
