//! Deleting an account while a storm of its writes is in flight: every
//! reply is a clean answer (never 5xx), and the next new account sees
//! nothing of the deleted one in any list, page or export.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{PASSWORD, Server, User, all_rdp};

const TRIALS: usize = 50;
const WRITERS: usize = 12;
/// Writes accepted before the deletion starts, so the storm is at full pace.
const ACCEPTED_BEFORE_DELETE: u64 = 24;

/// What one write got back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reply {
    /// 2xx, or a form's redirect to the page that shows what was saved.
    Accepted,
    /// A status that says no; a form's redirect to sign-in counts as 401.
    Refused(u16),
    /// No reply at all.
    Unanswered,
}

fn reply_of(response: reqwest::Result<reqwest::Response>) -> Reply {
    let Ok(response) = response else {
        return Reply::Unanswered;
    };
    let status = response.status().as_u16();
    let to_sign_in = response
        .headers()
        .get("location")
        .is_some_and(|l| l.as_bytes().starts_with(b"/account/signin"));
    match status {
        _ if to_sign_in => Reply::Refused(401),
        200..=399 => Reply::Accepted,
        _ => Reply::Refused(status),
    }
}

/// One write of kind `n % 6` by the old account: API and form writes of
/// every kind of personal data, each carrying `mark` in its text.
async fn write(server: &Server, user: &User, n: usize, mark: &str) -> Reply {
    let text = format!("{mark} write {n}");
    let request = match n % 6 {
        0 => user.send(
            server,
            Method::POST,
            "/api/v1/people",
            json!({ "name": text, "role": "friend", "leans_on": { "emotional": 3 } }),
        ),
        1 => user.send(
            server,
            Method::POST,
            "/api/v1/checkins",
            json!({ "answers": { "CI1": 4, "CI7": 3 } }),
        ),
        2 => user.send(
            server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "journal", "content": { "text": text } }),
        ),
        3 => user.form(
            server,
            "/people",
            &[("name", &text), ("role", "family"), ("lean-company", "2")],
        ),
        4 => user.form(server, "/plan/do/journal", &[("text", &text)]),
        _ => user.send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "about": text, "answers": all_rdp(2) }),
        ),
    };
    reply_of(request.send().await)
}

/// Every list a person can read, as text: the API's lists, the export and
/// the pages that show personal data.
async fn everything_of(server: &Server, user: &User) -> BTreeMap<&'static str, (u16, String)> {
    let mut seen = BTreeMap::new();
    for path in [
        "/api/v1/people",
        "/api/v1/administrations",
        "/api/v1/exercises",
        "/api/v1/plan",
        "/api/v1/export",
        "/people",
        "/plan",
        "/account",
    ] {
        let response = user.get(server, path).send().await.unwrap();
        let status = response.status().as_u16();
        seen.insert(path, (status, response.text().await.unwrap()));
    }
    seen
}

fn user_id(body: &Value) -> i64 {
    body["user"].as_i64().unwrap()
}

async fn sign_up(server: &Server, name: &str) -> (User, i64) {
    let client = server.browser();
    let response = client
        .post(server.url("/api/v1/accounts"))
        .json(&json!({ "name": name, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let user = User {
        client,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    };
    (user, user_id(&body))
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_an_account_under_a_write_storm_leaks_nothing_into_the_next_one() {
    let server = Arc::new(Server::start().await);
    let mut sent = 0u64;
    let mut accepted = 0u64;
    let mut refused: BTreeMap<u16, u64> = BTreeMap::new();
    let mut failed_connections = 0u64;
    let mut leaks = Vec::new();
    let mut highest_id = 0;
    for trial in 0..TRIALS {
        // Marks that only the old account's data carries.
        let mark = format!("oldmark{trial}x");
        let (old, old_id) = sign_up(&server, &format!("old{trial}")).await;
        if old_id <= highest_id {
            leaks.push(format!("trial {trial}: id {old_id} given out again"));
        }
        highest_id = highest_id.max(old_id);
        let old = Arc::new(old);
        let accepted_now = Arc::new(AtomicU64::new(0));
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let (server, old, mark, accepted_now) = (
                server.clone(),
                old.clone(),
                mark.clone(),
                accepted_now.clone(),
            );
            // Each writer writes until a refusal tells it the account is gone.
            writers.push(tokio::spawn(async move {
                let mut replies = Vec::new();
                for n in (w..).step_by(WRITERS) {
                    let reply = write(&server, &old, n, &mark).await;
                    replies.push(reply);
                    if reply != Reply::Accepted {
                        break;
                    }
                    accepted_now.fetch_add(1, Ordering::SeqCst);
                }
                replies
            }));
        }
        while accepted_now.load(Ordering::SeqCst) < ACCEPTED_BEFORE_DELETE {
            tokio::task::yield_now().await;
        }
        // The next account is signed up at the same moment, so that it may be
        // made while the old one's writes (and the plan refreshes after them)
        // are still landing.
        let delete = old.send(
            &server,
            Method::DELETE,
            "/api/v1/account",
            json!({ "password": PASSWORD }),
        );
        let new_name = format!("new{trial}");
        let (deleted, (new, new_id)) = tokio::join!(delete.send(), sign_up(&server, &new_name));
        assert_eq!(deleted.unwrap().status(), StatusCode::NO_CONTENT);
        if new_id <= old_id {
            leaks.push(format!(
                "trial {trial}: new id {new_id} after deleted {old_id}"
            ));
        }
        highest_id = highest_id.max(new_id);
        for writer in writers {
            for reply in writer.await.unwrap() {
                sent += 1;
                match reply {
                    Reply::Accepted => accepted += 1,
                    Reply::Refused(s) => *refused.entry(s).or_default() += 1,
                    Reply::Unanswered => failed_connections += 1,
                }
            }
        }
        for (path, (status, text)) in everything_of(&server, &new).await {
            if status != 200 {
                leaks.push(format!("trial {trial}: {path} answered {status}"));
                continue;
            }
            let empty_list = !path.starts_with("/api/v1/")
                || ["/api/v1/export", "/api/v1/plan"].contains(&path)
                || text == "[]";
            if text.contains(&mark) || text.contains(&format!("old{trial}\"")) || !empty_list {
                leaks.push(format!("trial {trial}: {path}: {text:.200}"));
            }
        }
        let plan: Value = new
            .get(&server, "/api/v1/plan")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if plan != json!([]) {
            leaks.push(format!("trial {trial}: the new account has a plan: {plan}"));
        }
        // The new account works: its own write lands and reads back alone.
        let own = write(&server, &new, 0, &format!("newmark{trial}x")).await;
        let people = new.get(&server, "/api/v1/people").send().await.unwrap();
        let status = people.status();
        let listed = people.json::<Value>().await.ok();
        let alone = listed
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|l| l.len() == 1);
        if own != Reply::Accepted || status != 200 || !alone {
            leaks.push(format!(
                "trial {trial}: the new account's own write: {own:?}, then {status} {listed:?}"
            ));
        }
    }
    let server_errors: u64 = refused.range(500..).map(|(_, n)| n).sum();
    let trials_with_leaks: std::collections::BTreeSet<&str> =
        leaks.iter().filter_map(|l| l.split(':').next()).collect();
    println!(
        "deletion race: {TRIALS} trials, {sent} writes sent, {accepted} accepted, refused {refused:?}, \
         {failed_connections} failed connections, {} leaks (in {} trials)",
        leaks.len(),
        trials_with_leaks.len()
    );
    assert!(leaks.is_empty(), "{leaks:#?}");
    assert_eq!(server_errors, 0, "5xx replies: {refused:?}");
    assert_eq!(failed_connections, 0);
    // Each writer is refused once (and sometimes a few writes in flight are).
    assert!(refused.values().sum::<u64>() >= (TRIALS * WRITERS) as u64);
    assert!(accepted >= TRIALS as u64 * ACCEPTED_BEFORE_DELETE);
}
