//! The results page: words first, then the facet chart with its table,
//! indices, change since last time, and the trends over time.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::change::Verdict;
use tandem_core::instrument::Instrument;
use tandem_core::profile::ProfileKind;
use tandem_core::scoring::{Score, band_label};
use tandem_store::AdministrationId;

use crate::auth::{CurrentUser, Session};
use crate::charts;
use crate::results::{Results, finished, rdp_results, scores_of};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct ProfileView {
    name: &'static str,
    meaning: &'static str,
    borderline: bool,
    also: Vec<&'static str>,
}

struct Row {
    name: String,
    score: String,
    band: String,
}

struct ChangeRow {
    name: String,
    from: String,
    to: String,
    verdict: String,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    layout: Layout,
    about: String,
    taken: String,
    basis: &'static str,
    profile: Option<ProfileView>,
    stands_out: Vec<String>,
    facet_chart: String,
    intervals: bool,
    facets: Vec<Row>,
    indices: Vec<Row>,
    since: String,
    changes: Vec<ChangeRow>,
    trend_chart: Option<String>,
}

fn score_text(score: &Score) -> String {
    match (score.score, score.low, score.high) {
        (Some(x), Some(low), Some(high)) => format!("{x:.2} ({low:.2} to {high:.2})"),
        (Some(x), _, _) => format!("{x:.2}"),
        _ => "not scored".to_owned(),
    }
}

/// Plain sentences for the facets that stand out (risks high, strengths low).
pub fn stands_out(instrument: &Instrument, results: &Results) -> Vec<String> {
    instrument
        .facets
        .iter()
        .filter_map(|facet| {
            let band = results
                .scores
                .facets
                .get(&facet.id)?
                .band
                .as_ref()?
                .as_str();
            let healthy = matches!(facet.cluster.as_str(), "interdependence" | "power_balance");
            match (band, healthy) {
                ("elevated", false) => {
                    Some(format!("{} is high. {}", facet.name, facet.high_means))
                }
                ("low", true) => Some(format!("{} is low. This is worth some care.", facet.name)),
                _ => None,
            }
        })
        .collect()
}

async fn trend_chart(
    state: &AppState,
    user: tandem_store::UserId,
) -> Result<Option<String>, AppError> {
    let rdp = state.rdp();
    let mut taken = finished(state, user, "rdp").await?;
    taken.extend(finished(state, user, "checkin").await?);
    taken.sort_by(|a, b| a.completed_at.cmp(&b.completed_at));
    if taken.len() < 2 {
        return Ok(None);
    }
    let mut series: Vec<(String, Vec<(usize, f64)>)> = rdp
        .indices
        .iter()
        .map(|i| (i.name.clone(), Vec::new()))
        .collect();
    series.push(("Weekly pulse".to_owned(), Vec::new()));
    for (x, administration) in taken.iter().enumerate() {
        let instrument = if administration.instrument == "rdp" {
            rdp
        } else {
            state.checkin()
        };
        let scores = scores_of(state, user, instrument, administration.id).await?;
        if administration.instrument == "rdp" {
            for (i, index) in rdp.indices.iter().enumerate() {
                if let Some(value) = scores.indices.get(&index.id).and_then(|s| s.score) {
                    series[i].1.push((x, value));
                }
            }
        } else if let Some(pulse) = scores.indices.values().next().and_then(|s| s.score)
            && let Some(last) = series.last_mut()
        {
            last.1.push((x, pulse));
        }
    }
    series.retain(|(_, values)| !values.is_empty());
    Ok(Some(charts::trends(
        &series,
        taken.len(),
        (rdp.scale.min, rdp.scale.max),
    )))
}

async fn page(state: &AppState, session: &Session, results: Results) -> Result<Response, AppError> {
    let rdp = state.rdp();
    let facets = rdp
        .facets
        .iter()
        .filter_map(|f| {
            Some(Row {
                name: f.name.clone(),
                score: score_text(results.scores.facets.get(&f.id)?),
                band: band_label(rdp, results.scores.facets.get(&f.id)?),
            })
        })
        .collect();
    let indices = rdp
        .indices
        .iter()
        .filter_map(|i| {
            Some(Row {
                name: i.name.clone(),
                score: score_text(results.scores.indices.get(&i.id)?),
                band: band_label(rdp, results.scores.indices.get(&i.id)?),
            })
        })
        .collect();
    let (since, changes) = match &results.change {
        Some((earlier, changes)) => (
            earlier
                .completed_at
                .as_deref()
                .map(|t| t.get(..10).unwrap_or(t))
                .unwrap_or("")
                .to_owned(),
            rdp.indices
                .iter()
                .filter_map(|index| {
                    let c = changes.get(&index.id)?;
                    Some(ChangeRow {
                        name: index.name.clone(),
                        from: format!("{:.2}", c.from),
                        to: format!("{:.2}", c.to),
                        verdict: match (c.verdict, c.rci) {
                            (Verdict::ReliableIncrease, Some(r)) => {
                                format!("A real rise (RCI {r:.2})")
                            }
                            (Verdict::ReliableDecrease, Some(r)) => {
                                format!("A real fall (RCI {r:.2})")
                            }
                            (Verdict::WithinError, Some(r)) => {
                                format!("Within measurement error (RCI {r:.2})")
                            }
                            _ => format!(
                                "Changed by {:+.2}; no verdict until reliability is known",
                                c.difference
                            ),
                        },
                    })
                })
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    render(&ResultsPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "results"),
        about: results.administration.about.clone(),
        taken: results
            .administration
            .completed_at
            .as_deref()
            .map(|t| t.get(..10).unwrap_or(t))
            .unwrap_or("")
            .to_owned(),
        basis: "content-based bands, not norms",
        profile: results.profile.as_ref().map(|p| ProfileView {
            name: p.name,
            meaning: p.kind.meaning(),
            borderline: p.borderline,
            also: p.also.iter().map(|k: &ProfileKind| k.name()).collect(),
        }),
        stands_out: stands_out(rdp, &results),
        facet_chart: charts::facet_profile(rdp, &results.scores),
        intervals: results.scores.facets.values().any(|s| s.sem.is_some()),
        facets,
        indices,
        since,
        changes,
        trend_chart: trend_chart(state, session.user).await?,
    })
}

/// The latest results, or the profile to take first.
pub async fn latest(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    match rdp_results(&state, session.user, None).await? {
        Some(results) => page(&state, &session, results).await,
        None => Ok(Redirect::to("/questions/a").into_response()),
    }
}

/// One administration's results; another person's id is "not found".
pub async fn one(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let results = rdp_results(&state, session.user, Some(AdministrationId(id)))
        .await?
        .ok_or_else(AppError::not_found)?;
    page(&state, &session, results).await
}
