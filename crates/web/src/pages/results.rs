//! The results page: words first, then the facet chart with its table,
//! indices, change since last time, and the trends over time.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::change::Verdict;
use tandem_core::instrument::Instrument;
use tandem_core::profile::ProfileKind;
use tandem_core::scoring::{band_label, score_text, standing_out};
use tandem_store::AdministrationId;

use crate::auth::{CurrentUser, Session};
use crate::charts;
use crate::results::{Results, rdp_results};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct ProfileView {
    name: String,
    meaning: &'static str,
    borderline: bool,
    also: Vec<&'static str>,
    /// Shown above the pattern: low shared power, coercion, safety.
    flags: Vec<&'static str>,
    /// Why the pattern is withheld, kindly.
    quality: Vec<&'static str>,
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
    trend_chart: Option<charts::Trends>,
    /// What the facet chart's colours mean.
    band_key: Vec<charts::KeyEntry>,
    /// What intervals rest on, in words, when anything.
    reliability: Option<String>,
    /// The help, once, when the person's safety answers ask for it.
    help: Option<crate::help::Help>,
}

/// Plain sentences for the facets that stand out (risks high, strengths low).
pub fn stands_out(instrument: &Instrument, results: &Results) -> Vec<String> {
    standing_out(instrument, &results.scores)
        .into_iter()
        .map(|facet| {
            if tandem_core::scoring::is_strength(facet) {
                format!("{} is low. This is worth some care.", facet.name)
            } else {
                format!("{} is high. {}", facet.name, facet.high_means)
            }
        })
        .collect()
}

async fn page(state: &AppState, session: &Session, results: Results) -> Result<Response, AppError> {
    // The version it was taken with: its facets, indices and chart.
    let rdp = &results.instrument.clone();
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
    let zone = crate::moments::zone_of(state, session.user).await?;
    let (since, changes) = match &results.change {
        Some((earlier, changes)) => (
            crate::moments::maybe_stamp(earlier.completed_at.as_deref(), &zone),
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
                            (Verdict::QuestionsChanged, _) => format!(
                                "Changed by {:+.2}; the questions changed between these two, so no verdict",
                                c.difference
                            ),
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
        help: crate::help::Help::for_risk(state.resources(), &results.risk),
        about: results.administration.about.clone(),
        taken: crate::moments::maybe_stamp(results.administration.completed_at.as_deref(), &zone),
        basis: "content-based bands, not norms",
        profile: results.profile.as_ref().map(|p| ProfileView {
            name: p.title(),
            meaning: p.meaning(),
            borderline: p.borderline,
            also: p.also.iter().map(|k: &ProfileKind| k.name()).collect(),
            flags: p.flag_words(),
            quality: results
                .quality
                .as_ref()
                .map(|q| q.flags.iter().map(|f| f.words()).collect())
                .unwrap_or_default(),
        }),
        stands_out: stands_out(rdp, &results),
        facet_chart: charts::facet_profile(rdp, &results.scores),
        band_key: charts::band_key(),
        intervals: results.scores.facets.values().any(|s| s.sem.is_some()),
        reliability: results.reliability.words(),
        facets,
        indices,
        since,
        changes,
        trend_chart: crate::results::trend_chart(state.store(), state.content(), session.user)
            .await?,
    })
}

/// The latest results, or the profile to take first.
pub async fn latest(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    match rdp_results(
        state.store(),
        state.content(),
        session.user,
        None,
        crate::situation::held(&state, &session).await?,
    )
    .await?
    {
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
    let results = rdp_results(
        state.store(),
        state.content(),
        session.user,
        Some(AdministrationId(id)),
        crate::situation::held(&state, &session).await?,
    )
    .await?
    .ok_or_else(AppError::not_found)?;
    page(&state, &session, results).await
}

/// The printable report (the person's own copy, with its safety section).
pub async fn report(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let html = crate::report::report_html(
        state.store(),
        state.content(),
        session.user,
        crate::report::Copy::Own,
        crate::report::Framing {
            inline_css: None,
            exit_url: &state.config().exit_url,
            made: crate::moments::moment(
                crate::auth::now(),
                &crate::moments::zone_of(&state, session.user).await?,
            ),
        },
    )
    .await?;
    Ok(axum::response::Html(html).into_response())
}
