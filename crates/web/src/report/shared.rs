//! What a shared copy of the report may show. [`SharedView`] has no field
//! for a safety answer or anything made from one, nor for anything the
//! person wrote: no exercise text, no "about" of a profile, no names on the
//! support map (people are shown by the kind of relationship). The pattern
//! is judged on the profile answers alone, and plan items shaped by safety
//! answers are left out. [`render`] receives the view, never the store, so
//! nothing else can reach the page.

use askama::Template;
use tandem_core::network::{Domain, Level, Role, SupportMap, Supporter, analyse};
use tandem_store::{Owner, Store};

use super::{
    Framing, Judge, ReportPage, ResultsPart, current_plan, person_row, plan_rows, results_part,
};
use crate::AppError;
use crate::charts;
use tandem_app::Content;

/// A shared copy's contents, and nothing else.
pub struct SharedView {
    results: Option<ResultsPart>,
    people: Vec<SharedPerson>,
    plan: Vec<(String, &'static str)>,
    exercises: usize,
}

/// One person on the map without their name: what kind of relationship it
/// is, and the levels each way.
struct SharedPerson {
    role: Role,
    leans_on: Vec<(Domain, Level)>,
    leans_back: Vec<(Domain, Level)>,
}

/// Reads from the store what a shared copy may show of `user`'s data.
pub async fn shared_view(
    store: &Store,
    content: &Content,
    user: Owner,
) -> Result<SharedView, AppError> {
    let zone = store.time_zone(user).await?.unwrap_or_default();
    let results = results_part(store, content, user, Judge::ProfileOnly, &zone)
        .await?
        .map(|(part, _about)| part);
    let people = store
        .support_map(user)
        .await?
        .into_iter()
        .map(|(_, person)| SharedPerson {
            role: person.role,
            leans_on: person.leans_on.into_iter().collect(),
            leans_back: person.leans_back.into_iter().collect(),
        })
        .collect();
    Ok(SharedView {
        results,
        people,
        plan: plan_rows(&content.guidance, current_plan(store, user).await?, false),
        exercises: store.exercises(user, None).await?.len(),
    })
}

/// The shared copy's page, made from the view alone.
pub fn render(view: SharedView, framing: Framing<'_>) -> Result<String, AppError> {
    let map = SupportMap {
        people: labelled(&view.people),
    };
    let network = analyse(&map);
    ReportPage {
        inline_css: framing.inline_css,
        csrf: framing.csrf,
        exit_url: framing.exit_url,
        made: framing.made,
        results: view.results,
        about: None,
        people: map
            .people
            .iter()
            .map(|person| person_row(person.name.clone(), person))
            .collect(),
        picture: charts::support_picture(&map),
        key: charts::support_key(),
        flags: network.flags.iter().map(|f| f.message()).collect(),
        plan: view.plan,
        exercises: view.exercises,
        written: Vec::new(),
        print_button: framing.inline_css.is_none(),
        safety: None,
    }
    .render()
    .map_err(AppError::internal)
}

/// The people as the core's metrics and the chart take them, each named by
/// the kind of relationship and a number ("Friend 2"), never their name.
fn labelled(people: &[SharedPerson]) -> Vec<Supporter> {
    let mut counts = std::collections::BTreeMap::new();
    people
        .iter()
        .map(|person| {
            let n = counts.entry(person.role).or_insert(0u32);
            *n += 1;
            let mut supporter =
                Supporter::new(format!("{} {n}", role_word(person.role)), person.role);
            supporter.leans_on = person.leans_on.iter().copied().collect();
            supporter.leans_back = person.leans_back.iter().copied().collect();
            supporter
        })
        .collect()
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Partner => "Partner",
        Role::Friend => "Friend",
        Role::Family => "Family member",
        Role::Colleague => "Colleague",
        Role::Professional => "Professional",
        Role::Group => "Group",
        Role::Myself => "Myself",
    }
}
