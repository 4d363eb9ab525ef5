//! The action plan: what to work on, why, and first steps. The first few
//! suggestions are current; the rest wait folded "for later". The help box
//! appears once per page, graded by the person's situation, and the plan
//! offers the safety check when the situation asks for it.

use super::extract::PagePath;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use tandem_core::plan::Reason;
use tandem_store::{PlanItemId, PlanStatus, RelationshipId};

use crate::auth::{CurrentUser, Session, now};
use crate::help::Help;
use crate::view::{Layout, render};
use crate::{AppError, AppState};
use tandem_app::exercises::{KINDS, kind_of};

struct ItemView {
    id: i64,
    relationship: i64,
    title: String,
    why: String,
    steps: Vec<String>,
    reasons: String,
    status: &'static str,
    status_text: &'static str,
    exercise: Option<&'static str>,
    joint: bool,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    notice: Option<String>,
    /// Whom this plan is about, when the person has said.
    about: Option<String>,
    /// The person's other relationships with a plan, by id and name.
    others: Vec<(i64, String)>,
    items: Vec<ItemView>,
    later: Vec<ItemView>,
    /// Shown once, above the items.
    help: Option<Help>,
    offer_safety_screen: bool,
    review_answers: bool,
    kinds: Vec<(&'static str, &'static str, usize)>,
}

/// Why, in words: "Emotional reliance is high", "a safety answer".
fn reasons_text(state: &AppState, reasons: &Value) -> String {
    let reasons: Vec<Reason> = serde_json::from_value(reasons.clone()).unwrap_or_default();
    let mut words: Vec<String> = reasons.iter().map(|r| r.words(state.rdp())).collect();
    // Two rules can give one strategy the same reason; say it once.
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    let text = words.join("; ");
    // A sentence on its own line: capitalise the first letter.
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn status_words(status: PlanStatus) -> (&'static str, &'static str) {
    match status {
        PlanStatus::Suggested => ("suggested", "Suggested"),
        PlanStatus::Later => ("later", "For later"),
        PlanStatus::Chosen => ("chosen", "You are working on this"),
        PlanStatus::Done => ("done", "Done"),
        PlanStatus::Dropped => ("dropped", "Not now"),
        PlanStatus::Replaced => ("replaced", "Replaced"),
    }
}

async fn plan_page(
    state: &AppState,
    session: &Session,
    asked: Option<RelationshipId>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let store = state.store();
    let guidance = state.guidance();
    let relationship = match asked {
        // Another person's relationship is "not found".
        Some(id) => Some(store.relationship(session.user, id).await?.id),
        None => tandem_app::plan::current_relationship(store, session.user).await?,
    };
    let held = crate::follow_up::held(state, session).await?;
    let assessment = tandem_app::situation::assess_about(
        store,
        state.content(),
        session.user,
        relationship,
        held,
    )
    .await?;
    let plan = assessment.plan(guidance);
    let kept = match relationship {
        Some(relationship) => store.plan(session.user, relationship).await?,
        None => Vec::new(),
    };
    let planned = store.planned_relationships(session.user).await?;
    let (mut about, mut others) = (None, Vec::new());
    for r in store.relationships(session.user).await? {
        if Some(r.id) == relationship {
            about = Some(r.name);
        } else if planned.contains(&r.id) {
            others.push((r.id.0, r.name));
        }
    }
    let mut specialised = false;
    let (later, items): (Vec<ItemView>, Vec<ItemView>) = kept
        .into_iter()
        .filter_map(|item| {
            let strategy = guidance.strategy(&item.strategy)?;
            specialised |= strategy.specialised_help;
            let (status, status_text) = status_words(item.status);
            Some(ItemView {
                id: item.id.0,
                relationship: item.relationship.0,
                title: strategy.title.clone(),
                why: strategy.why.clone(),
                steps: strategy.steps.clone(),
                reasons: reasons_text(state, &item.reason),
                status,
                status_text,
                exercise: kind_of(strategy.exercise).map(|k| k.slug),
                joint: strategy.joint,
            })
        })
        .partition(|item| item.status == "later");
    // Once per page: graded by the safety answers when they ask for it,
    // else the usual help when a step points to specialised services.
    let help = Help::for_risk(state.resources(), &assessment.risk)
        .or_else(|| specialised.then(|| Help::usual(state.resources())));
    let saved = store.exercises(session.user, None).await?;
    render(&PlanPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "plan"),
        notice,
        about,
        others,
        items,
        later,
        help,
        offer_safety_screen: plan.offer_safety_screen,
        review_answers: plan.review_answers,
        kinds: KINDS
            .iter()
            .map(|k| {
                (
                    k.slug,
                    k.title,
                    saved.iter().filter(|e| e.kind == k.slug).count(),
                )
            })
            .collect(),
    })
}

/// Whose plan: one relationship's, by id.
#[derive(Deserialize)]
pub struct PlanQuery {
    relationship: Option<i64>,
}

/// The plan about one relationship: the one asked for, else the one the
/// latest profile is about.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    plan_page(
        &state,
        &session,
        query.relationship.map(RelationshipId),
        None,
    )
    .await
}

/// A new status for a plan item.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusForm {
    csrf: String,
    /// The plan to go back to.
    relationship: Option<i64>,
    status: String,
}

/// Sets an item's status; another person's item is "not found".
pub async fn set_status(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let status = match form.status.as_str() {
        "chosen" => PlanStatus::Chosen,
        "done" => PlanStatus::Done,
        "dropped" => PlanStatus::Dropped,
        "suggested" => PlanStatus::Suggested,
        _ => return Err(AppError::bad_request("Unknown status.")),
    };
    state
        .store()
        .set_plan_status(session.user, PlanItemId(id), status, now())
        .await?;
    Ok(match form.relationship {
        Some(relationship) => Redirect::to(&format!("/plan?relationship={relationship}")),
        None => Redirect::to("/plan"),
    }
    .into_response())
}
