//! A counsellor's view of the clients who share with them: invitations
//! made and taken, and each client's shared results turned into trends,
//! the Reliable Change Index and clinically significant change from the
//! first measure to the latest, and the published attention rule that
//! holds (`tandem_core::attention`). Everything here reads through a
//! [`tandem_store::Grant`], so it sees what the client's scope lets it see
//! and nothing else, and every read is in the client's trail.

use serde::Serialize;
use tandem_core::attention::{self, Rule, Track};
use tandem_core::change::{Change, reliable_change};
use tandem_core::dates::unix_of;
use tandem_core::instrument::{Better, Instrument, Kind, Norms, Precision};
use tandem_core::significance::{ClinicalChange, clinical_change, cutoff};
use tandem_store::links::{code_hash, new_code};
use tandem_store::shares::{
    CHECKIN, Client, Scope, SharedAdministration, SharedSafetyResult, SharedWork, code_expiry,
    no_such_code,
};
use tandem_store::{Owner, RelationshipId, ShareId, Store, StoreError};

use crate::content::Content;
use crate::error::ServiceError;
use crate::estimates::Reliability;

/// A share made, with the code to give the counsellor (shown once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    /// The share.
    pub share: ShareId,
    /// The single-use code.
    pub code: String,
    /// When the code stops working if nobody takes it.
    pub code_expires_unix: i64,
}

/// Makes a share of `owner`'s data with `scope`, to be taken with the code
/// it returns. An instrument the scope names must be one this deployment
/// has, and never the safety check.
pub async fn invite(
    store: &Store,
    content: &Content,
    owner: Owner,
    scope: &Scope,
    now: i64,
    expires_unix: Option<i64>,
) -> Result<Invited, ServiceError> {
    for id in scope.instruments.iter().flatten() {
        let known = content
            .instrument(id)
            .is_some_and(|instrument| instrument.kind != Kind::Safety);
        if !known {
            return Err(StoreError::invalid(
                "scope.instruments",
                format!("There is no instrument called {id:?} to share."),
            )
            .into());
        }
    }
    let code = new_code()?;
    let hash =
        code_hash(&code).ok_or_else(|| ServiceError::internal("a new code that does not read"))?;
    let share = store
        .create_share(owner, scope, &hash, now, expires_unix)
        .await?;
    Ok(Invited {
        share,
        code,
        code_expires_unix: code_expiry(now, expires_unix),
    })
}

/// Takes a client's code for `viewer`, who must be an approved counsellor.
pub async fn accept(
    store: &Store,
    viewer: Owner,
    code: &str,
    now: i64,
) -> Result<ShareId, ServiceError> {
    let hash = code_hash(code).ok_or_else(no_such_code)?;
    Ok(store.accept_share(viewer, &hash, now).await?)
}

/// One score over time, as the counsellor sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreTrend {
    /// The facet or index id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Which way is better.
    pub better: Better,
    /// Each measure, oldest first: when (RFC 3339) and the score.
    pub points: Vec<TrendPoint>,
    /// The band of the latest score, by id.
    pub band: Option<String>,
    /// From the first measure in the latest's version to the latest, with
    /// the Reliable Change Index when reliability is known.
    pub change: Option<Change>,
    /// Jacobson & Truax's reading of that change.
    pub clinical: Option<ClinicalChange>,
}

/// One measure of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// When it was finished (RFC 3339, UTC).
    pub at: String,
    /// The score.
    pub score: f64,
}

/// Everything the counsellor sees of one client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientView {
    /// The client, under the share's id.
    pub client: Client,
    /// The relationship followed: that of the latest profile shared.
    pub relationship: Option<RelationshipId>,
    /// The profile's index trends (from `indices` up).
    pub indices: Vec<ScoreTrend>,
    /// The profile's facet trends (from `facets` up).
    pub facets: Vec<ScoreTrend>,
    /// The check-in's pulse over time, when shared.
    pub pulse: Vec<TrendPoint>,
    /// What precision, and so the RCI, rests on.
    pub reliability: Reliability,
    /// The published rule that holds.
    pub rule: &'static Rule,
    /// Everything shared, oldest first.
    pub administrations: Vec<SharedAdministration>,
    /// The one safety check result the client chose to show, if they did
    /// (read only for one client's own view, never for the caseload).
    pub safety: Option<SharedSafetyResult>,
    /// The support map, plan and exercises, as far as the scope shows
    /// them (read only for one client's own view).
    pub work: SharedWork,
}

/// One client's view through share `share`, read (and logged) now.
/// `NotFound` when `viewer` has no current share of that id.
pub async fn client_view(
    store: &Store,
    content: &Content,
    viewer: Owner,
    share: ShareId,
    now: i64,
) -> Result<ClientView, ServiceError> {
    let gone = || ServiceError::not_found("client", share.0);
    let grant = store.grant(viewer, share, now).await?.ok_or_else(gone)?;
    let client = store
        .clients(viewer, now)
        .await?
        .into_iter()
        .find(|client| client.share == share)
        .ok_or_else(gone)?;
    let administrations = store.shared_results(&grant, now).await?;
    let safety = store.shared_safety_result(&grant, now).await?;
    let withhold = |item: &tandem_store::PlanItem| withheld(content, item);
    let work = store.shared_work(&grant, now, &withhold).await?;
    Ok(ClientView {
        safety,
        work,
        ..view(content, client, administrations, now)?
    })
}

/// Whether a plan step stays back from a counsellor beyond those from
/// safety answers: one suggested for profile items that can point to
/// coercive control, or a safety-adapted version of a step, either of
/// which would tell what those items said.
pub fn withheld(content: &Content, item: &tandem_store::PlanItem) -> bool {
    let reasons: Vec<tandem_core::plan::Reason> =
        serde_json::from_value(item.reason.clone()).unwrap_or_default();
    let risky = reasons.is_empty()
        || reasons.iter().any(|reason| {
            matches!(
                reason,
                tandem_core::plan::Reason::Coercion
                    | tandem_core::plan::Reason::Safety
                    | tandem_core::plan::Reason::Urgent
            )
        });
    let adapted = content.guidance.strategies.iter().any(|strategy| {
        strategy
            .safe_version
            .as_ref()
            .is_some_and(|safe| safe.as_str() == item.strategy)
    });
    risky || adapted
}

/// Every client of `viewer`, who needs attention first (red, amber, grey,
/// green), then by name. Each is read, and logged in their trail.
pub async fn caseload(
    store: &Store,
    content: &Content,
    viewer: Owner,
    now: i64,
) -> Result<Vec<ClientView>, ServiceError> {
    let mut views = Vec::new();
    for client in store.clients(viewer, now).await? {
        let Some(grant) = store.grant(viewer, client.share, now).await? else {
            continue;
        };
        let administrations = match store.shared_results(&grant, now).await {
            Ok(read) => read,
            // Revoked between the list and the read: not a client any more.
            Err(StoreError::NotFound { .. }) => continue,
            Err(err) => return Err(err.into()),
        };
        views.push(view(content, client, administrations, now)?);
    }
    views.sort_by(|a, b| (a.rule.alert, &a.client.name).cmp(&(b.rule.alert, &b.client.name)));
    Ok(views)
}

/// The view made from what was read.
fn view(
    content: &Content,
    client: Client,
    administrations: Vec<SharedAdministration>,
    now: i64,
) -> Result<ClientView, ServiceError> {
    let profiles: Vec<&SharedAdministration> = administrations
        .iter()
        .filter(|a| a.instrument == content.rdp.id.as_str() && a.indices.is_some())
        .collect();
    let latest = profiles.last().copied();
    let relationship = latest.map(|a| a.relationship);
    let followed: Vec<&SharedAdministration> = profiles
        .iter()
        .copied()
        .filter(|a| Some(a.relationship) == relationship)
        .collect();
    let (indices, facets, reliability, measures, span_days) = match latest {
        Some(latest) => {
            let version = content
                .instrument_version(&latest.instrument, &latest.version)
                .ok_or_else(|| {
                    ServiceError::internal(format!(
                        "{} {} is not in this build",
                        latest.instrument, latest.version
                    ))
                })?;
            let estimate = content.estimates.current();
            let (instrument, reliability) =
                crate::results::precise(content, estimate.as_deref(), version);
            let same: Vec<&SharedAdministration> = followed
                .iter()
                .copied()
                .filter(|a| a.version == latest.version)
                .collect();
            let span_days = match (same.first(), same.last()) {
                (Some(first), Some(last)) => days_between(&first.completed_at, &last.completed_at),
                _ => 0,
            };
            (
                index_trends(instrument, &followed, &same),
                facet_trends(instrument, &followed, &same),
                reliability,
                same.len(),
                span_days,
            )
        }
        None => (Vec::new(), Vec::new(), Reliability::None, 0, 0),
    };
    let checkins: Vec<&SharedAdministration> = administrations
        .iter()
        .filter(|a| a.instrument == CHECKIN)
        .collect();
    let pulse = checkins
        .iter()
        .filter_map(|a| {
            let score = a.indices.as_ref()?.values().next().copied()?;
            Some(TrendPoint {
                at: a.completed_at.clone(),
                score,
            })
        })
        .collect();
    let days_since_checkin = client
        .scope
        .checkin_streak
        .then(|| checkins.last())
        .flatten()
        .and_then(|last| unix_of(&last.completed_at))
        .map(|at| (now - at).div_euclid(86_400));
    let track = Track {
        measures,
        span_days,
        outcomes: indices
            .iter()
            .filter_map(|trend| trend.clinical.map(|c| c.outcome))
            .collect(),
        days_since_checkin,
    };
    Ok(ClientView {
        client,
        relationship,
        indices,
        facets,
        pulse,
        reliability,
        rule: attention::attention(&track),
        administrations,
        safety: None,
        work: SharedWork::default(),
    })
}

fn days_between(first: &str, last: &str) -> i64 {
    match (unix_of(first), unix_of(last)) {
        (Some(first), Some(last)) => (last - first).div_euclid(86_400),
        _ => 0,
    }
}

/// What one score needs to be judged.
struct Scored<'a> {
    id: &'a str,
    name: &'a str,
    better: Better,
    precision: Option<Precision>,
    norms: Option<&'a Norms>,
    clinical_norms: Option<&'a Norms>,
}

fn index_trends(
    instrument: &Instrument,
    followed: &[&SharedAdministration],
    same: &[&SharedAdministration],
) -> Vec<ScoreTrend> {
    instrument
        .indices
        .iter()
        .map(|index| {
            let scored = Scored {
                id: index.id.as_str(),
                name: &index.name,
                better: index.better,
                precision: index.precision,
                norms: index.norms.as_ref(),
                clinical_norms: index.clinical_norms.as_ref(),
            };
            trend(instrument, &scored, followed, same, |a| a.indices.as_ref())
        })
        .filter(|trend| !trend.points.is_empty())
        .collect()
}

fn facet_trends(
    instrument: &Instrument,
    followed: &[&SharedAdministration],
    same: &[&SharedAdministration],
) -> Vec<ScoreTrend> {
    instrument
        .facets
        .iter()
        .map(|facet| {
            let scored = Scored {
                id: facet.id.as_str(),
                name: &facet.name,
                better: facet.better,
                precision: facet.precision,
                norms: facet.norms.as_ref(),
                clinical_norms: facet.clinical_norms.as_ref(),
            };
            trend(instrument, &scored, followed, same, |a| a.facets.as_ref())
        })
        .filter(|trend| !trend.points.is_empty())
        .collect()
}

fn trend(
    instrument: &Instrument,
    scored: &Scored<'_>,
    followed: &[&SharedAdministration],
    same: &[&SharedAdministration],
    scores: impl Fn(&SharedAdministration) -> Option<&std::collections::BTreeMap<String, f64>>,
) -> ScoreTrend {
    let value = |a: &SharedAdministration| scores(a).and_then(|s| s.get(scored.id)).copied();
    let points: Vec<TrendPoint> = followed
        .iter()
        .filter_map(|a| {
            Some(TrendPoint {
                at: a.completed_at.clone(),
                score: value(a)?,
            })
        })
        .collect();
    let judged: Vec<f64> = same.iter().filter_map(|a| value(a)).collect();
    let change = match judged.as_slice() {
        [first, .., last] => Some(reliable_change(*first, *last, scored.precision)),
        _ => None,
    };
    let line = cutoff(scored.norms, scored.clinical_norms, scored.better);
    ScoreTrend {
        id: scored.id.to_string(),
        name: scored.name.to_string(),
        better: scored.better,
        band: points
            .last()
            .and_then(|p| instrument.band_of(p.score))
            .map(|band| band.id.to_string()),
        clinical: change
            .as_ref()
            .map(|change| clinical_change(change, scored.better, line)),
        change,
        points,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tandem_store::{PlanItem, PlanItemId, PlanStatus, RelationshipId};

    use super::*;

    fn item(strategy: &str, reasons: serde_json::Value) -> PlanItem {
        PlanItem {
            id: PlanItemId(1),
            relationship: RelationshipId(1),
            strategy: strategy.into(),
            reason: reasons,
            from_safety: false,
            status: PlanStatus::Suggested,
            position: 0,
            created_unix: 0,
            updated_unix: 0,
        }
    }

    #[test]
    fn steps_that_would_tell_of_control_stay_back_from_a_counsellor() {
        let content = Content::builtin().unwrap();
        let score = json!([{"kind": "score", "of": "ER", "band": "high", "score": 4.5}]);
        let cases = [
            ("self-worth", score.clone(), false),
            ("self-worth", json!([{"kind": "maintenance"}]), false),
            ("self-worth", json!([{"kind": "coercion"}]), true),
            (
                "self-worth",
                json!([score[0].clone(), {"kind": "coercion"}]),
                true,
            ),
            ("self-worth", json!([{"kind": "safety"}]), true),
            ("self-worth", json!([{"kind": "urgent"}]), true),
            ("voice-needs-safely", score.clone(), true),
            ("small-choices-that-are-yours", score.clone(), true),
            ("self-worth", json!({"kind": "unreadable"}), true),
        ];
        for (strategy, reasons, kept_back) in cases {
            assert_eq!(
                withheld(&content, &item(strategy, reasons.clone())),
                kept_back,
                "{strategy} {reasons}"
            );
        }
    }
}
