//! "Who saw what, when" (`/account/activity`): a person's own audit chain
//! in plain words, newest first — every read by someone else, every share
//! and link made or ended, every sign-in.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tandem_store::AuditEntry;
use tandem_store::audit::AuditKind;

use crate::auth::CurrentUser;
use crate::moments::moment;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// One entry as a row of the page.
pub(super) struct ActivityRow {
    pub(super) at: String,
    pub(super) who: String,
    pub(super) what: String,
}

/// Who did it and what happened, in plain words.
pub(super) fn words(entry: &AuditEntry) -> (String, String) {
    let actor = entry.actor.clone();
    let you = || "You".to_owned();
    match entry.kind {
        AuditKind::SignedIn if entry.detail == "passkey" => {
            (you(), "Signed in with a passkey".to_owned())
        }
        AuditKind::SignedIn => (
            you(),
            "Signed in with a password or a recovery code".to_owned(),
        ),
        AuditKind::Read if entry.detail == "safety result" => (
            actor,
            "Looked at the safety check result you chose to show".to_owned(),
        ),
        AuditKind::Read => (actor, "Looked at the results you share".to_owned()),
        AuditKind::PartnerRead => (actor, "Looked at what you share with them".to_owned()),
        AuditKind::Shared => (you(), "Made a code to share with a counsellor".to_owned()),
        AuditKind::Accepted => (
            actor,
            "Took your code and can now see what you share".to_owned(),
        ),
        AuditKind::ScopeChanged => (you(), "Changed what a counsellor can see".to_owned()),
        AuditKind::Revoked => (you(), "Stopped sharing with a counsellor".to_owned()),
        AuditKind::SafetyShared => (
            you(),
            "Showed a counsellor the result of one safety check".to_owned(),
        ),
        AuditKind::Linked => (actor, "Linked with you as your partner".to_owned()),
        AuditKind::Unlinked if entry.detail == "account deleted" => (
            actor,
            "Deleted their account, so your link ended".to_owned(),
        ),
        AuditKind::Unlinked => (actor, "The link between you ended".to_owned()),
        AuditKind::CounsellorApproved => (actor, "Let a new counsellor take codes".to_owned()),
        AuditKind::AccountDeleted => (actor, "An account was deleted".to_owned()),
    }
}

/// The rows of `entries`, newest first, with times in `zone`.
pub(super) fn rows<'a>(
    entries: impl DoubleEndedIterator<Item = &'a AuditEntry>,
    zone: &tandem_core::moments::TimeZoneName,
) -> Vec<ActivityRow> {
    entries
        .rev()
        .map(|entry| {
            let (who, what) = words(entry);
            ActivityRow {
                at: moment(entry.at_unix, zone),
                who,
                what,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    layout: Layout,
    rows: Vec<ActivityRow>,
}

/// `GET /account/activity`.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let store = state.store();
    let zone = store.time_zone(session.user).await?.unwrap_or_default();
    let trail = store.audit_trail(session.user).await?;
    render(&ActivityPage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "account"),
        rows: rows(trail.iter(), &zone),
    })
}

#[cfg(test)]
mod tests {
    use tandem_core::readability::flesch_kincaid_grade as grade;

    use super::*;

    #[test]
    fn every_kind_has_plain_words() {
        for kind in AuditKind::ALL {
            for detail in ["passkey", "account deleted", "results"] {
                let entry = AuditEntry {
                    seq: 1,
                    at_unix: 0,
                    kind,
                    actor: "rosa".into(),
                    subject: None,
                    detail: detail.into(),
                };
                let (who, what) = words(&entry);
                assert!(!who.is_empty() && !what.is_empty(), "{kind:?}");
                let grade = grade(&format!("{what}."));
                assert!(grade <= 8.0, "{kind:?}: {what} ({grade:.1})");
            }
        }
    }
}
