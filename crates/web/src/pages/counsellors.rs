//! Counsellor pages. The client's (`/account/counsellors`): invite a
//! counsellor with a scope and an end, see and end grants, read who saw
//! what, and manage passkeys. The counsellor's (`/clients`): take a code,
//! the caseload with the published attention rules, and one client's
//! trends with reliable and clinically significant change.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::caseload::{self, ClientView};
use tandem_core::attention::RULES;
use tandem_core::change::Verdict;
use tandem_core::significance::Outcome;
use tandem_store::shares::Scope;
use tandem_store::{Share, ShareId, ShareLevel, StoreError};

use super::extract::PagePath;
use crate::auth::counsellor::{SecondFactor, counsellor};
use crate::auth::{CurrentUser, Session, now};
use crate::moments::moment;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// One grant in the client's list.
struct GrantRow {
    id: i64,
    who: String,
    status: &'static str,
    shows: String,
    current: bool,
    /// Whether a counsellor took it and it has not ended: only then can
    /// one safety result be shown through it.
    active: bool,
    /// When one safety result was shown through it, if one was.
    screen_shown: Option<String>,
}

/// One passkey in the list.
struct PasskeyRow {
    id: i64,
    label: String,
    added: String,
}

#[derive(Template)]
#[template(path = "counsellors.html")]
struct ClientPage {
    layout: Layout,
    problem: Option<String>,
    code: Option<(String, String)>,
    grants: Vec<GrantRow>,
    log: Vec<super::activity::ActivityRow>,
    passkeys: Vec<PasskeyRow>,
    passkeys_offered: bool,
    second_factor_optional: bool,
    /// The notes counsellors shared with this person.
    notes: Vec<super::counsel::NoteRow>,
}

fn level_words(level: ShareLevel) -> &'static str {
    match level {
        ShareLevel::None => "no results",
        ShareLevel::Indices => "your main scores",
        ShareLevel::Facets => "your main scores and their parts",
        ShareLevel::Items => "your scores and your answers",
    }
}

/// What a scope shows, in words: the results level and each part more.
fn shows_words(scope: &Scope) -> String {
    let mut parts = vec![level_words(scope.results)];
    for (on, words) in [
        (scope.checkin_notes, "your check-in notes"),
        (scope.checkin_streak, "when you miss check-ins"),
        (scope.support_map, "your map"),
        (scope.plan, "your plan"),
        (scope.exercise_texts, "what you wrote in exercises"),
    ] {
        if on {
            parts.push(words);
        }
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.concat(),
    }
}

fn status_words(share: &Share, at: i64) -> (&'static str, bool) {
    if share.revoked_unix.is_some() {
        ("ended by you", false)
    } else if share.is_current(at) {
        ("can see what you share", true)
    } else if share.is_waiting(at) {
        ("code not used yet", true)
    } else {
        ("ended", false)
    }
}

async fn client_page(
    state: &AppState,
    session: &Session,
    code: Option<(String, String)>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let store = state.store();
    let zone = store.time_zone(session.user).await?.unwrap_or_default();
    let at = now();
    let grants = store
        .shares_of(session.user)
        .await?
        .iter()
        .rev()
        .map(|share| {
            let (status, current) = status_words(share, at);
            GrantRow {
                id: share.id.0,
                who: share
                    .viewer_name
                    .clone()
                    .unwrap_or_else(|| "Not taken yet".to_owned()),
                status,
                shows: shows_words(&share.scope),
                current,
                active: share.is_current(at),
                screen_shown: share.safety_shared_unix.map(|unix| moment(unix, &zone)),
            }
        })
        .collect();
    let trail = store.audit_trail(session.user).await?;
    let log = super::activity::rows(
        trail
            .iter()
            .filter(|entry| entry.kind.is_read_by_someone_else()),
        &zone,
    );
    let passkeys = store
        .passkeys(session.user)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.id.0,
            label: p.label,
            added: moment(p.created_unix, &zone),
        })
        .collect();
    let notes = super::counsel::note_rows(store.shared_notes(session.user).await?, &zone);
    render(&ClientPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "account"),
        notes,
        problem,
        code,
        grants,
        log,
        passkeys,
        passkeys_offered: state.webauthn().is_some(),
        second_factor_optional: state.config().counsellor_second_factor == SecondFactor::Optional,
    })
}

/// The client's counsellor and passkey page.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    client_page(&state, &session, None, None).await
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The scope a form asks for.
fn scope_of(form: &[(String, String)]) -> Result<Scope, StoreError> {
    let results = field(form, "results")
        .and_then(ShareLevel::parse)
        .ok_or_else(|| StoreError::invalid("results", "Choose what your counsellor sees."))?;
    let on = |name: &str| field(form, name) == Some("yes");
    Ok(Scope {
        results,
        checkin_notes: on("checkin_notes"),
        checkin_streak: on("checkin_streak"),
        support_map: on("support_map"),
        plan: on("plan"),
        exercise_texts: on("exercise_texts"),
        ..Scope::default()
    })
}

/// Makes a grant and shows its code once.
pub async fn invite(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = match scope_of(&form) {
        Ok(scope) => scope,
        Err(err) => return client_page(&state, &session, None, Some(problem_of(err))).await,
    };
    let expires = match field(&form, "ends")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(day) => match tandem_core::dates::unix_of(&format!("{day}T00:00:00Z")) {
            Some(start) => Some(start + 86_400),
            None => {
                let words = "Give the end as a date, such as 2027-03-31.".to_owned();
                return client_page(&state, &session, None, Some(words)).await;
            }
        },
    };
    match caseload::invite(
        state.store(),
        state.content(),
        session.user,
        &scope,
        now(),
        expires,
    )
    .await
    {
        Ok(made) => {
            let until = tandem_core::dates::civil_date(made.code_expires_unix);
            client_page(&state, &session, Some((made.code, until)), None).await
        }
        Err(tandem_app::ServiceError::Store(err)) => {
            client_page(&state, &session, None, Some(problem_of(err))).await
        }
        Err(err) => Err(err.into()),
    }
}

fn problem_of(err: StoreError) -> String {
    match err {
        StoreError::Invalid { message, .. } | StoreError::Conflict(message) => message,
        _ => "That did not work. Try again.".to_owned(),
    }
}

/// Ends a grant at once.
pub async fn end(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    state
        .store()
        .revoke_share(session.user, ShareId(id), now())
        .await?;
    Ok(Redirect::to("/account/counsellors").into_response())
}

/// Removes a passkey.
pub async fn remove_passkey(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    state
        .store()
        .remove_passkey(session.user, tandem_store::PasskeyId(id))
        .await?;
    Ok(Redirect::to("/account/counsellors").into_response())
}

/// One client on the caseload page.
struct CaseRow {
    id: i64,
    name: String,
    alert: &'static str,
    rule: &'static str,
}

#[derive(Template)]
#[template(path = "clients.html")]
struct CaseloadPage {
    layout: Layout,
    problem: Option<String>,
    clients: Vec<CaseRow>,
    rules: Vec<&'static str>,
    /// Private notes about clients who deleted their accounts.
    former: Vec<super::counsel::NoteRow>,
}

fn alert_word(view: &ClientView) -> &'static str {
    match view.rule.alert {
        tandem_core::attention::Alert::Red => "red",
        tandem_core::attention::Alert::Amber => "amber",
        tandem_core::attention::Alert::Grey => "grey",
        tandem_core::attention::Alert::Green => "green",
    }
}

async fn caseload_page(
    state: &AppState,
    session: &Session,
    problem: Option<String>,
) -> Result<Response, AppError> {
    counsellor(state, session).await?;
    let views = caseload::caseload(state.store(), state.content(), session.user, now()).await?;
    let zone = state
        .store()
        .time_zone(session.user)
        .await?
        .unwrap_or_default();
    let former: Vec<_> = state
        .store()
        .notes_by(session.user)
        .await?
        .into_iter()
        .filter(|note| note.former_unix.is_some())
        .collect();
    render(&CaseloadPage {
        former: super::counsel::note_rows(former, &zone),
        layout: Layout::new(Some(session), &state.config().exit_url, "clients"),
        problem,
        clients: views
            .iter()
            .map(|view| CaseRow {
                id: view.client.share.0,
                name: view.client.name.clone(),
                alert: alert_word(view),
                rule: view.rule.text,
            })
            .collect(),
        rules: RULES.iter().map(|rule| rule.text).collect(),
    })
}

/// The caseload.
pub async fn caseload(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    caseload_page(&state, &session, None).await
}

/// Takes a client's code.
pub async fn accept(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    client: crate::auth::Client,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    counsellor(&state, &session).await?;
    let code = field(&form, "code").unwrap_or("");
    let attempt = caseload::accept(state.store(), session.user, code, now());
    let outcome =
        crate::auth::flows::guess_code(&state, "grant", &session, &client, attempt).await?;
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/clients/{}", id.0)).into_response()),
        Err(tandem_app::ServiceError::Store(err)) => {
            caseload_page(&state, &session, Some(problem_of(err))).await
        }
        Err(err) => Err(err.into()),
    }
}

/// One score's row on a client's page.
struct TrendRow {
    name: String,
    band: String,
    points: String,
    change: String,
    marker: &'static str,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientResultsPage {
    layout: Layout,
    id: i64,
    name: String,
    alert: &'static str,
    rule: &'static str,
    reliability: String,
    indices: Vec<TrendRow>,
    facets: Vec<TrendRow>,
    pulse: String,
    /// The one safety result the client chose to show, in words.
    safety: Option<SafetyWords>,
    assignments: Vec<super::counsel::AssignmentRow>,
    notes: Vec<super::counsel::NoteRow>,
    problem: Option<&'static str>,
    /// The first day an assignment can be due (tomorrow), for the form.
    tomorrow: String,
    work: super::client_work::WorkRows,
}

/// The safety result a client showed, as the counsellor reads it.
struct SafetyWords {
    taken: String,
    shared: String,
    result: &'static str,
    self_harm: bool,
}

fn trend_rows(trends: &[tandem_app::caseload::ScoreTrend]) -> Vec<TrendRow> {
    trends
        .iter()
        .map(|trend| {
            let (change, marker) = match (&trend.change, &trend.clinical) {
                (Some(change), Some(clinical)) => {
                    let marker = match clinical.outcome {
                        Outcome::Recovered => "Reliably better, now in the usual range",
                        Outcome::Improved => "Reliably better",
                        Outcome::Deteriorated => "Reliably worse",
                        Outcome::NoReliableChange => "No reliable change",
                        Outcome::NotJudged if change.verdict == Verdict::QuestionsChanged => {
                            "Questions changed: not compared"
                        }
                        Outcome::NotJudged => "Precision not known yet",
                    };
                    let rci = change
                        .rci
                        .map(|rci| format!(" (RCI {rci:.2})"))
                        .unwrap_or_default();
                    (format!("{:+.2}{rci}", change.difference), marker)
                }
                _ => (String::new(), "One measure so far"),
            };
            TrendRow {
                name: trend.name.clone(),
                band: trend.band.clone().unwrap_or_default(),
                points: trend
                    .points
                    .iter()
                    .map(|p| format!("{:.2}", p.score))
                    .collect::<Vec<_>>()
                    .join(" → "),
                change,
                marker,
            }
        })
        .collect()
}

/// One client's results.
pub async fn client(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, AppError> {
    counsellor(&state, &session).await?;
    let problem = query
        .as_deref()
        .and_then(|q| q.strip_prefix("problem="))
        .and_then(super::counsel::problem_words);
    let view = caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        now(),
    )
    .await?;
    let zone = state
        .store()
        .time_zone(session.user)
        .await?
        .unwrap_or_default();
    let safety = view.safety.map(|shown| SafetyWords {
        taken: moment(shown.taken_unix, &zone),
        shared: moment(shown.shared_unix, &zone),
        result: super::counsellor_screen::outcome_words(shown.outcome()),
        self_harm: shown.summary.self_harm,
    });
    let (assignments, notes) = super::counsel::work_with(
        &state,
        session.user,
        ShareId(id),
        &view.client.scope,
        &view.administrations,
        &zone,
    )
    .await?;
    render(&ClientResultsPage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "clients"),
        id,
        name: view.client.name.clone(),
        alert: alert_word(&view),
        rule: view.rule.text,
        reliability: view.reliability.words().unwrap_or_else(|| {
            "How precise these scores are is not known yet, so change is not judged.".to_owned()
        }),
        indices: trend_rows(&view.indices),
        facets: trend_rows(&view.facets),
        pulse: view
            .pulse
            .iter()
            .map(|p| format!("{:.2}", p.score))
            .collect::<Vec<_>>()
            .join(" → "),
        safety,
        assignments,
        notes,
        problem,
        tomorrow: tandem_core::dates::civil_date(now() + 86_400),
        work: super::client_work::rows(&view.work, state.guidance()),
    })
}
