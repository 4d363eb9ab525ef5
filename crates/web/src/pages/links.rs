//! Linking with a partner, as pages: invite or accept, choose what the
//! partner sees, end a link, and the comparison. For a person for whom
//! couple features may not be safe, the forms to link are not offered, and
//! each link they have carries private words on ending it quietly.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::couple::{self, Comparison};
use tandem_core::couple::{Shown, flow_words};
use tandem_core::relationship::Role;
use tandem_store::{LinkId, LinkLevel, RelationshipId};

use super::extract::PagePath;
use crate::auth::{CurrentUser, Session, now};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct Partner {
    id: i64,
    name: String,
}

struct Row {
    id: i64,
    relationship: i64,
    name: String,
    levels: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "links.html")]
struct LinksPage {
    layout: Layout,
    offered: bool,
    rows: Vec<Row>,
    partners: Vec<Partner>,
    code: Option<(String, String)>,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "comparison.html")]
struct ComparisonPage {
    layout: Layout,
    id: i64,
    /// Whether couple features are safe to offer this person; when not,
    /// the page says so, privately, with how to stop sharing quietly.
    offered: bool,
    comparison: Comparison,
    /// What the partner shares, by name, at the level they chose: more than
    /// the side-by-side table when they share more than this person does.
    theirs: Vec<(String, f64)>,
    /// Per support domain: its name, which way support flows in words, and
    /// whether the two maps tell it differently.
    support: Vec<(&'static str, &'static str, bool)>,
    /// The index gaps over time, when there are two points or more.
    over_time: Option<crate::charts::Trends>,
}

/// The gaps in the main scores at each of this person's profiles, paired
/// with the partner's latest by then: one line per score, from -4 to 4.
fn gaps_chart(
    rdp: &tandem_core::instrument::Instrument,
    points: &[couple::GapPoint],
) -> Option<crate::charts::Trends> {
    if points.len() < 2 {
        return None;
    }
    let series: Vec<(String, Vec<(usize, f64)>)> = rdp
        .indices
        .iter()
        .map(|index| {
            let values = points
                .iter()
                .enumerate()
                .filter_map(|(at, point)| Some((at, *point.gaps.get(index.id.as_str())?)))
                .collect();
            (index.name.clone(), values)
        })
        .filter(|(_, values): &(String, Vec<(usize, f64)>)| !values.is_empty())
        .collect();
    Some(crate::charts::trends(&series, points.len(), (-4, 4)))
}

/// The partner's shared scores by name: the indices, then the facets when
/// they share them, in the instrument's order.
fn shared_rows(rdp: &tandem_core::instrument::Instrument, shown: &Shown) -> Vec<(String, f64)> {
    let indices = rdp
        .indices
        .iter()
        .filter_map(|index| Some((index.name.clone(), *shown.indices.get(index.id.as_str())?)));
    let facets = rdp.facets.iter().filter_map(|facet| {
        let score = shown.facets.as_ref()?.get(facet.id.as_str())?;
        Some((facet.name.clone(), *score))
    });
    indices.chain(facets).collect()
}

/// What each level shows, in words.
fn level_words(level: LinkLevel) -> &'static str {
    match level {
        LinkLevel::None => "Nothing",
        LinkLevel::Indices => "The five main scores",
        LinkLevel::Facets => "The main scores and the twelve parts",
        LinkLevel::Items => "All of that and my answer to each question",
    }
}

/// Whether couple features are offered to this person now.
pub(super) async fn offered(state: &AppState, session: &Session) -> Result<bool, AppError> {
    let held = crate::follow_up::held(state, session).await?;
    let situation =
        tandem_app::situation::assess(state.store(), state.content(), session.user, held).await?;
    Ok(!situation.risk.rules_out_couple_features())
}

async fn page(
    state: &AppState,
    session: &Session,
    code: Option<(String, String)>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let store = state.store();
    let kept = store.relationships(session.user).await?;
    let name_of = |id: RelationshipId| {
        kept.iter()
            .find(|r| r.id == id)
            .map_or_else(String::new, |r| r.name.clone())
    };
    let rows = store
        .links(session.user)
        .await?
        .into_iter()
        .map(|link| Row {
            id: link.id.0,
            relationship: link.relationship.0,
            name: name_of(link.relationship),
            levels: LinkLevel::ALL
                .iter()
                .map(|l| (l.as_str(), level_words(*l), *l == link.sharing))
                .collect(),
        })
        .collect();
    let partners = kept
        .iter()
        .filter(|r| r.role == Role::Partner)
        .map(|r| Partner {
            id: r.id.0,
            name: r.name.clone(),
        })
        .collect();
    let status = if problem.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut response = render(&LinksPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
        offered: offered(state, session).await?,
        rows,
        partners,
        code,
        problem,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

fn relationship(form: &[(String, String)]) -> Result<RelationshipId, AppError> {
    field(form, "relationship")
        .parse()
        .map(RelationshipId)
        .map_err(|_| AppError::bad_request("Choose your partner from the list."))
}

/// The links page.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    page(&state, &session, None, None).await
}

/// Makes an invite and shows its code once.
pub async fn invite(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !offered(&state, &session).await? {
        return Err(AppError::forbidden(
            "Linking is not available for this account.",
        ));
    }
    let made = couple::invite(state.store(), session.user, relationship(&form)?, now()).await;
    match made {
        Ok(made) => {
            let until = tandem_core::dates::civil_date(made.expires_unix);
            page(&state, &session, Some((made.code, until)), None).await
        }
        Err(err) => problem_page(&state, &session, err.into()).await,
    }
}

/// Accepts a partner's code.
pub async fn accept(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    client: crate::auth::Client,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !offered(&state, &session).await? {
        return Err(AppError::forbidden(
            "Linking is not available for this account.",
        ));
    }
    let relationship = relationship(&form)?;
    let attempt = couple::accept(
        state.store(),
        session.user,
        field(&form, "code"),
        relationship,
        now(),
    );
    let outcome =
        crate::auth::flows::guess_code(&state, "link", &session, &client, attempt).await?;
    match outcome {
        Ok(_) => Ok(Redirect::to("/links").into_response()),
        Err(err) => problem_page(&state, &session, err.into()).await,
    }
}

async fn problem_page(
    state: &AppState,
    session: &Session,
    err: AppError,
) -> Result<Response, AppError> {
    if err.status().is_client_error() && err.status() != axum::http::StatusCode::NOT_FOUND {
        let message = err.message().to_owned();
        return page(state, session, None, Some(message)).await;
    }
    Err(err)
}

/// Sets what the partner sees.
pub async fn sharing(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let level = LinkLevel::parse(field(&form, "level"))
        .ok_or_else(|| AppError::bad_request("Choose one of the levels the form lists."))?;
    state
        .store()
        .set_link_sharing(session.user, LinkId(id), level)
        .await?;
    Ok(Redirect::to("/links").into_response())
}

/// Ends a link, for both, with no message to the partner.
pub async fn unlink(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    state
        .store()
        .unlink(session.user, LinkId(id), now())
        .await?;
    Ok(Redirect::to("/links").into_response())
}

/// The comparison; the same "nothing to show" page for every refusal.
pub async fn comparison(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    let held = crate::follow_up::held(&state, &session).await?;
    let found = couple::comparison(
        state.store(),
        state.content(),
        (session.user, held),
        LinkId(id),
    )
    .await?;
    match found {
        Some(comparison) => render(&ComparisonPage {
            layout: Layout::new(Some(&session), &state.config().exit_url, "people"),
            id,
            offered: offered(&state, &session).await?,
            theirs: shared_rows(&state.content().rdp, &comparison.theirs.shown),
            over_time: gaps_chart(&state.content().rdp, &comparison.gaps_over_time),
            support: comparison
                .mutuality
                .iter()
                .map(|m| (m.domain.label(), flow_words(m.flow), m.seen_differently))
                .collect(),
            comparison,
        }),
        None => {
            let mut response = crate::view::message_page(
                "Nothing to compare yet",
                "A comparison shows once you have both finished the profile and both chosen to share something.",
            );
            *response.status_mut() = axum::http::StatusCode::FORBIDDEN;
            Ok(response)
        }
    }
}

/// Stars or sets aside a discussion item, for this person alone.
pub async fn mark(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath((id, item)): PagePath<(i64, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if state.content().rdp.item(&item).is_none() {
        return Err(AppError::not_found());
    }
    let mark = tandem_store::Mark::parse(field(&form, "mark"))
        .ok_or_else(|| AppError::bad_request("Choose star or not now."))?;
    state
        .store()
        .set_mark(session.user, LinkId(id), &item, Some(mark))
        .await?;
    Ok(Redirect::to(&format!("/links/{id}")).into_response())
}
