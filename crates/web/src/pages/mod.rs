//! Server-rendered pages. Every route that shows or changes personal data
//! takes a [`CurrentUser`](crate::auth::CurrentUser), so a request without a
//! session never reaches it.

pub(crate) mod account;
mod activity;
mod checkin;
mod client_work;
mod counsel;
mod counsellor_screen;
mod counsellors;
mod exercise;
mod extract;
mod form;
mod guessing;
mod guide;
mod home;
mod links;
mod people;
mod plan;
mod recovery;
mod relationships;
mod results;
pub(crate) mod safety;
mod shelf;
mod sign_in;
mod take;
mod time_zone;
mod us;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::view;

pub use form::{FieldError, FormErrors};
pub(crate) use shelf::Shelf;

/// Every page route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/welcome", get(home::welcome))
        .route(
            "/account/new",
            get(sign_in::sign_up_form).post(sign_in::sign_up),
        )
        .route(
            "/account/signin",
            get(sign_in::sign_in_form).post(sign_in::sign_in),
        )
        .route(
            "/account/recover",
            get(recovery::recover_form).post(recovery::recover),
        )
        .route(
            "/account/recovery-codes",
            get(recovery::show_codes).post(recovery::renew),
        )
        .route("/account/recovery-codes/kept", post(recovery::kept))
        .route("/account/signout", post(sign_in::sign_out))
        .route("/account/signed-out", get(sign_in::signed_out))
        .route("/account", get(account::settings))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/end-others", post(account::end_others))
        .route("/account/delete", post(account::delete))
        .route("/account/deleted", get(account::deleted))
        .route("/account/export", get(account::export))
        .route("/account/c/{id}/delete", post(account::delete_screen))
        .route("/account/research", post(account::research))
        .route("/account/time-zone", post(time_zone::save))
        .route("/account/activity", get(activity::show))
        .route("/account/counsellors", get(counsellors::show))
        .route("/account/counsellors/invite", post(counsellors::invite))
        .route("/account/counsellors/{id}/end", post(counsellors::end))
        .route(
            "/account/counsellors/{id}/c",
            get(counsellor_screen::show).post(counsellor_screen::share),
        )
        .route(
            "/account/passkeys/{id}/remove",
            post(counsellors::remove_passkey),
        )
        .route("/clients", get(counsellors::caseload))
        .route("/clients/accept", post(counsellors::accept))
        .route("/clients/{id}", get(counsellors::client))
        .route("/clients/{id}/assignments", post(counsel::assign))
        .route("/clients/{id}/notes", post(counsel::add_note))
        .route(
            "/clients/{id}/notes/{note}/delete",
            post(counsel::delete_note),
        )
        .route("/assignments/{id}/decline", post(counsel::decline))
        .route("/guide", get(guide::show))
        .route("/questions/{form}", get(take::start))
        .route("/questions/b/done", get(checkin::done))
        .route("/questions/c/done", get(safety::done))
        .route("/questions/{form}/{page}", get(take::show).post(take::save))
        .route("/results", get(results::latest))
        .route("/results/{id}", get(results::one))
        .route(
            "/results/{id}/delete",
            get(results::confirm_delete).post(results::delete),
        )
        .route("/people", get(people::show).post(people::add))
        .route("/people/{id}/remove", post(people::remove))
        .route(
            "/relationships",
            get(relationships::show).post(relationships::add),
        )
        .route("/relationships/{id}/role", post(relationships::set_role))
        .route("/relationships/{id}/us", get(us::show).post(us::save))
        .route("/links", get(links::show))
        .route("/links/invite", post(links::invite))
        .route("/links/accept", post(links::accept))
        .route("/links/{id}", get(links::comparison))
        .route("/links/{id}/sharing", post(links::sharing))
        .route("/links/{id}/end", post(links::unlink))
        .route("/links/{id}/discussion/{item}", post(links::mark))
        .route(
            "/links/{id}/guesses",
            get(guessing::show).post(guessing::save),
        )
        .route("/plan", get(plan::show))
        .route("/plan/items/{id}", post(plan::set_status))
        .route(
            "/plan/do/{kind}",
            get(exercise::exercise).post(exercise::save),
        )
        .route("/plan/entries/{id}/week", post(exercise::week))
        .route("/plan/entries/{id}/progress", post(exercise::progress))
        .route("/plan/entries/{id}/done", post(exercise::done))
        .route("/plan/entries/{id}/shown", post(exercise::shown))
        .route("/plan/entries/{id}/delete", post(exercise::delete))
        .route("/report", get(results::report))
}

/// 404 for anything else, as a page.
pub async fn not_found() -> Response {
    let mut response = view::message_page("Page not found", "There is nothing at this address.");
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use tandem_core::readability::flesch_kincaid_grade;

    /// The sentences of a template: markup and template tags removed, a
    /// value shown as the word "two".
    fn texts(template: &str) -> Vec<String> {
        let mut plain = String::new();
        let mut rest = template;
        while let Some(start) = rest.find(['<', '{']) {
            plain.push_str(&rest[..start]);
            let tail = &rest[start..];
            let (end, with) = if tail.starts_with("{{") {
                (tail.find("}}").map(|e| e + 2), " two ")
            } else if tail.starts_with("{%") {
                (tail.find("%}").map(|e| e + 2), "\n")
            } else if tail.starts_with('<') {
                (tail.find('>').map(|e| e + 1), "\n")
            } else {
                (Some(1), "{")
            };
            plain.push_str(with);
            rest = &tail[end.unwrap_or(tail.len())..];
        }
        plain.push_str(rest);
        plain
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| line.split(' ').count() >= 6)
            .collect()
    }

    #[test]
    fn the_safety_and_plan_pages_read_easily() {
        let templates = [
            include_str!("../../templates/safety_done.html"),
            include_str!("../../templates/checkin_done.html"),
            include_str!("../../templates/help.html"),
            include_str!("../../templates/plan.html"),
            include_str!("../../templates/plan_item.html"),
            include_str!("../../templates/exercise.html"),
            include_str!("../../templates/guide.html"),
            include_str!("../../templates/account.html"),
            include_str!("../../templates/home.html"),
            include_str!("../../templates/take.html"),
            include_str!("../../templates/recover.html"),
            include_str!("../../templates/recovery_codes.html"),
            include_str!("../../templates/people.html"),
            include_str!("../../templates/relationships.html"),
            include_str!("../../templates/links.html"),
            include_str!("../../templates/comparison.html"),
            include_str!("../../templates/guesses.html"),
            include_str!("../../templates/us.html"),
            include_str!("../../templates/welcome.html"),
            include_str!("../../templates/signup.html"),
            include_str!("../../templates/signin.html"),
            include_str!("../../templates/signed_out.html"),
            include_str!("../../templates/safety_done.html"),
            include_str!("../../templates/results.html"),
            include_str!("../../templates/delete_results.html"),
            include_str!("../../templates/report.html"),
            include_str!("../../templates/message.html"),
            include_str!("../../templates/activity.html"),
            include_str!("../../templates/counsellors.html"),
            include_str!("../../templates/counsellor_screen.html"),
            include_str!("../../templates/clients.html"),
            include_str!("../../templates/client.html"),
        ];
        let notices = [
            "removed",
            "research-on",
            "research-off",
            "codes-later",
            "time-zone",
        ]
        .map(|n| {
            super::account::notice_words(n)
                .unwrap_or_default()
                .to_owned()
        });
        let choices =
            tandem_store::Guessing::ALL.map(|g| super::guessing::choice_words(g).to_owned());
        let all: Vec<String> = templates
            .iter()
            .flat_map(|t| texts(t))
            .chain(notices)
            .chain(choices)
            .collect();
        assert!(all.len() > 15, "{all:?}");
        for text in all {
            let grade = flesch_kincaid_grade(&text);
            assert!(grade <= 8.0, "grade {grade:.1}: {text}");
        }
    }
}
