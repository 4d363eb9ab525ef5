//! The results page: words first, then the facet chart with its table,
//! indices, change since last time, and the trends over time.

use super::extract::PagePath;
use super::form::TokenOnly;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::instrument::Instrument;
use tandem_core::profile::ProfileKind;
use tandem_core::scoring::{band_label, standing_out};
use tandem_store::{AdministrationId, PlanStatus, RelationshipId};

use crate::auth::{CurrentUser, Session};
use crate::charts;
use crate::view::{Layout, render};
use crate::{AppError, AppState};
use tandem_app::results::{Results, change_words, rdp_results, score_shown};

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
    /// The reliable change index, for "How these numbers work".
    rci: Option<String>,
}

/// What to do next: the plan's first current step.
struct NextStep {
    id: i64,
    title: String,
    first: Option<String>,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    layout: Layout,
    id: i64,
    about: String,
    taken: String,
    /// Whether every facet was scored; if not, this is not "the latest".
    complete: bool,
    /// The facets left unscored, by name.
    unscored: Vec<String>,
    next: Option<NextStep>,
    notice: Option<&'static str>,
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
    /// The person's other relationships with a complete profile: their
    /// results, each a link of its own.
    others: Vec<(i64, String)>,
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

async fn page(
    state: &AppState,
    session: &Session,
    results: Results,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    // The version it was taken with: its facets, indices and chart.
    let rdp = &results.instrument.clone();
    let facets = rdp
        .facets
        .iter()
        .filter_map(|f| {
            Some(Row {
                name: f.name.clone(),
                score: score_shown(results.scores.facets.get(&f.id)?),
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
                score: score_shown(results.scores.indices.get(&i.id)?),
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
                        from: format!("{:.1}", c.from),
                        to: format!("{:.1}", c.to),
                        verdict: change_words(c),
                        rci: c.rci.map(|r| format!("{r:.2}")),
                    })
                })
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let next = next_step(state, session, results.administration.relationship).await?;
    let unscored = results
        .scores
        .unscored_facets()
        .into_iter()
        .filter_map(|id| rdp.facets.iter().find(|f| &f.id == id))
        .map(|f| f.name.clone())
        .collect();
    render(&ResultsPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "results"),
        id: results.administration.id.0,
        complete: results.complete,
        unscored,
        next,
        notice,
        help: crate::help::Help::for_risk(state.resources(), &results.risk),
        about: results.administration.about.clone(),
        taken: crate::moments::maybe_stamp(results.administration.completed_at.as_deref(), &zone),
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
        trend_chart: crate::trends::trend_chart(
            state.store(),
            state.content(),
            Some(state.drawn()),
            (session.user, results.administration.relationship),
            &zone,
        )
        .await?,
        others: others_with_results(state, session, results.administration.relationship).await?,
    })
}

/// The person's relationships other than `shown` that have a complete
/// profile, oldest first, by id and name.
async fn others_with_results(
    state: &AppState,
    session: &Session,
    shown: RelationshipId,
) -> Result<Vec<(i64, String)>, AppError> {
    let store = state.store();
    let with_results: std::collections::BTreeSet<RelationshipId> = store
        .score_points(session.user)
        .await?
        .into_iter()
        .filter(|p| p.complete && p.instrument == "rdp")
        .map(|p| p.relationship)
        .collect();
    Ok(store
        .relationships(session.user)
        .await?
        .into_iter()
        .filter(|r| r.id != shown && with_results.contains(&r.id))
        .map(|r| (r.id.0, r.name))
        .collect())
}

/// The first step of the plan about `relationship` that is current
/// (suggested or chosen, not for later), with its first concrete step.
async fn next_step(
    state: &AppState,
    session: &Session,
    relationship: RelationshipId,
) -> Result<Option<NextStep>, AppError> {
    let guidance = state.guidance();
    Ok(state
        .store()
        .plan(session.user, relationship)
        .await?
        .into_iter()
        .filter(|item| matches!(item.status, PlanStatus::Chosen | PlanStatus::Suggested))
        .find_map(|item| {
            let strategy = guidance.strategy(&item.strategy)?;
            Some(NextStep {
                id: item.id.0,
                title: strategy.title.clone(),
                first: strategy.steps.first().cloned(),
            })
        }))
}

/// Which notice the results show after a redirect (a fixed word, never
/// data), and whose results: the latest about one relationship.
#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
    relationship: Option<i64>,
}

/// The latest complete results, or the profile to take first.
pub async fn latest(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = (query.notice.as_deref() == Some("deleted"))
        .then_some("That profile is deleted, with all of its answers.");
    let about = match query.relationship {
        None => None,
        Some(id) => {
            let latest = tandem_app::results::latest_about_theirs(
                state.store(),
                session.user,
                RelationshipId(id),
            )
            .await?;
            match latest {
                Some(latest) => Some(latest.id),
                None => {
                    return Ok(crate::view::message_page(
                        "No results yet",
                        "There is no complete profile about this person yet.",
                    ));
                }
            }
        }
    };
    match rdp_results(
        state.store(),
        state.content(),
        session.user,
        about,
        crate::follow_up::held(&state, &session).await?,
    )
    .await?
    {
        Some(results) => page(&state, &session, results, notice).await,
        None if notice.is_some() => Ok(crate::view::message_page(
            "The profile is deleted",
            "That profile is deleted, with all of its answers. You have no complete profile now.",
        )),
        None => {
            // No complete profile: the newest finished one, which says it
            // is incomplete, or the profile to take.
            let taken = tandem_app::results::finished(state.store(), session.user, "rdp").await?;
            Ok(match taken.last() {
                Some(last) => Redirect::to(&format!("/results/{}", last.id)).into_response(),
                None => Redirect::to("/questions/a").into_response(),
            })
        }
    }
}

/// One administration's results; another person's id is "not found".
pub async fn one(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    let results = rdp_results(
        state.store(),
        state.content(),
        session.user,
        Some(AdministrationId(id)),
        crate::follow_up::held(&state, &session).await?,
    )
    .await?
    .ok_or_else(AppError::not_found)?;
    page(&state, &session, results, None).await
}

#[derive(Template)]
#[template(path = "delete_results.html")]
struct DeletePage {
    layout: Layout,
    id: i64,
    about: String,
    taken: String,
}

/// Asks before a profile is deleted; another person's id is "not found".
pub async fn confirm_delete(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    let administration = state
        .store()
        .administration(session.user, AdministrationId(id))
        .await?;
    if administration.instrument != "rdp" {
        return Err(AppError::not_found());
    }
    render(&DeletePage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "results"),
        id,
        taken: crate::moments::stamp_moment(
            administration
                .completed_at
                .as_deref()
                .unwrap_or(&administration.started_at),
            &crate::moments::zone_of(&state, session.user).await?,
        ),
        about: administration.about,
    })
}

/// Deletes one profile with its answers and remakes the plan; another
/// person's id is "not found" and changes nothing.
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    axum::Form(form): axum::Form<TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let store = state.store();
    let administration = store
        .administration(session.user, AdministrationId(id))
        .await?;
    if administration.instrument != "rdp" {
        return Err(AppError::not_found());
    }
    store
        .delete_administration(session.user, administration.id)
        .await?;
    crate::follow_up::plan_after_change(&state, &session).await;
    crate::follow_up::estimates_soon(&state);
    Ok(Redirect::to("/results?notice=deleted").into_response())
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
        crate::report::Audience::Own,
        crate::report::Framing {
            inline_css: None,
            exit_url: &state.config().exit_url,
            made: crate::moments::moment(
                crate::auth::now(),
                &crate::moments::zone_of(&state, session.user).await?,
            ),
            csrf: Some(&session.csrf_token),
        },
    )
    .await?;
    Ok(axum::response::Html(html).into_response())
}
