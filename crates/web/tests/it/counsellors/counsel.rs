//! A counsellor's assignments and notes over the API and the pages: asked
//! through a grant, seen on the client's home page, declined by the
//! client alone; notes private or shared, and what a client's deletion
//! leaves.

use reqwest::Method;
use serde_json::{Value, json};

use super::{approved, call, granted, server};
use crate::common::{Server, User};

fn tomorrow() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    tandem_core::dates::civil_date(i64::try_from(now).unwrap() + 86_400)
}

async fn checkin(server: &Server, user: &User) {
    let checkin = tandem_core::instrument::builtin::builtin_by_id("checkin")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = checkin
        .items
        .iter()
        .filter(|i| i.response == tandem_core::instrument::ResponseKind::Scale)
        .map(|i| (i.id.to_string(), json!(3)))
        .collect();
    let (status, body) = call(
        server,
        user,
        Method::POST,
        "/api/v1/administrations",
        json!({"instrument": "checkin", "answers": answers}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn a_counsellor_asks_for_an_answer_the_client_sees_it_does_it_or_says_no() {
    let server = server().await;
    let ann = server.user("ann-asked").await;
    let ben = approved(&server, "ben-asked").await;
    let cat = approved(&server, "cat-asked").await;
    let id = granted(&server, &ann, &ben, json!({"results": "indices"})).await;
    let blind = granted(&server, &ann, &cat, json!({"results": "none"})).await;
    let path = format!("/api/v1/clients/{id}/assignments");
    let due = tomorrow();

    for (who, path, body, status) in [
        (
            &ben,
            path.clone(),
            json!({"instrument": "safety", "due": due}),
            422,
        ),
        (
            &ben,
            path.clone(),
            json!({"instrument": "gad7", "due": due}),
            422,
        ),
        (
            &ben,
            path.clone(),
            json!({"instrument": "checkin", "due": "2001-01-01"}),
            422,
        ),
        (
            &ben,
            path.clone(),
            json!({"instrument": "checkin", "due": "soon"}),
            422,
        ),
        (&ben, path.clone(), json!({"instrument": "checkin"}), 422),
        (
            &cat,
            path.clone(),
            json!({"instrument": "checkin", "due": due}),
            404,
        ),
        (
            &ann,
            path.clone(),
            json!({"instrument": "checkin", "due": due}),
            403,
        ),
    ] {
        let (got, reply) = call(&server, who, Method::POST, &path, body.clone()).await;
        assert_eq!(got, status, "{body}: {reply}");
    }
    assert_eq!(
        ann.json(&server, "/api/v1/assignments").await,
        json!([]),
        "refusals keep nothing"
    );

    let (status, asked) = call(
        &server,
        &ben,
        Method::POST,
        &path,
        json!({"instrument": "checkin", "due": due}),
    )
    .await;
    assert_eq!(status, 201, "{asked}");
    assert_eq!(
        (&asked["status"], &asked["instrument"], &asked["grant"]),
        (&json!("open"), &json!("checkin"), &json!(id))
    );
    assert_eq!(
        asked["due"],
        format!(
            "{}T00:00:00Z",
            tandem_core::dates::civil_date(
                tandem_core::dates::unix_of(&format!("{due}T00:00:00Z")).unwrap() + 86_400
            )
        )
    );
    let (status, profile) = call(
        &server,
        &ben,
        Method::POST,
        &path,
        json!({"instrument": "rdp", "due": due}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = call(
        &server,
        &cat,
        Method::POST,
        &format!("/api/v1/clients/{blind}/assignments"),
        json!({"instrument": "checkin", "due": due}),
    )
    .await;
    assert_eq!(status, 201);

    let mine = ann.json(&server, "/api/v1/assignments").await;
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 3);
    assert!(
        mine.iter()
            .all(|a| a["done"] == false && a["status"] == "open")
    );
    let home = ann.page(&server, "/").await;
    assert!(
        home.contains("ben-asked asked you to answer a check-in by"),
        "{home}"
    );
    assert!(home.contains("ben-asked asked you to answer the profile by"));
    assert!(home.contains("href=\"/questions/b\""));

    // A check-in answered: done for the client, and for the counsellor
    // whose grant shows check-ins; unknown to the one whose grant does not.
    checkin(&server, &ann).await;
    let mine = ann.json(&server, "/api/v1/assignments").await;
    let by_id = |want: &Value| {
        mine.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *want)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(&asked["id"])["status"], "done");
    assert_eq!(by_id(&profile["id"])["status"], "open");
    let bens = ben.json(&server, &path).await;
    assert_eq!(
        bens.as_array()
            .unwrap()
            .iter()
            .map(|a| (a["instrument"].clone(), a["done"].clone()))
            .collect::<Vec<_>>(),
        [
            (json!("rdp"), json!(false)),
            (json!("checkin"), json!(true))
        ]
    );
    let cats = cat
        .json(&server, &format!("/api/v1/clients/{blind}/assignments"))
        .await;
    assert_eq!(
        cats[0]["done"],
        Value::Null,
        "a grant that shows no results cannot tell: {cats}"
    );

    // Saying no: the client alone, once; the counsellor sees it.
    let decline = format!("/api/v1/assignments/{}/decline", profile["id"]);
    let (status, _) = call(&server, &ben, Method::POST, &decline, Value::Null).await;
    assert_eq!(status, 404);
    let (status, _) = call(&server, &ann, Method::POST, &decline, Value::Null).await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, &ann, Method::POST, &decline, Value::Null).await;
    assert_eq!(status, 404, "once");
    let bens = ben.json(&server, &path).await;
    assert_eq!(bens[0]["status"], "declined");
    assert!(bens[0]["declined_at"].is_string());
    let page = ben.page(&server, &format!("/clients/{id}")).await;
    assert!(page.contains("the profile, by"), "{page}");
    assert!(page.contains("Your client said no"));

    // The home page's own button, without JavaScript.
    let home = ann.page(&server, "/").await;
    assert!(
        !home.contains("answer the profile by"),
        "declined is gone from home"
    );
    let cats_id = ann
        .json(&server, "/api/v1/assignments")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["counsellor"] == "cat-asked")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (to, home) = ann
        .post_then_get(&server, &format!("/assignments/{cats_id}/decline"), &[])
        .await;
    assert_eq!(to, "/");
    assert!(!home.contains("cat-asked asked you"), "{home}");

    // Ended: nothing to ask, nothing on the client's list.
    let (status, _) = call(
        &server,
        &ann,
        Method::DELETE,
        &format!("/api/v1/grants/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &server,
        &ben,
        Method::POST,
        &path,
        json!({"instrument": "rdp", "due": due}),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        ann.json(&server, "/api/v1/assignments")
            .await
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["counsellor"] != "ben-asked")
    );
}

#[tokio::test]
async fn notes_are_private_or_shared_and_a_deleted_client_leaves_only_the_private_ones() {
    let server = server().await;
    let ann = server.user("ann-notes").await;
    let ben = approved(&server, "ben-notes").await;
    let cat = approved(&server, "cat-notes").await;
    let id = granted(&server, &ann, &ben, json!({"results": "none"})).await;
    let path = format!("/api/v1/clients/{id}/notes");

    for (who, body, status) in [
        (&ben, json!({"text": "   "}), 422),
        (&ben, json!({"text": "x".repeat(2001)}), 422),
        (&ben, json!({"text": "ok", "colour": "red"}), 422),
        (&cat, json!({"text": "Not my client."}), 404),
        (&ann, json!({"text": "My own words."}), 403),
    ] {
        let (got, reply) = call(&server, who, Method::POST, &path, body.clone()).await;
        assert_eq!(got, status, "{body}: {reply}");
    }
    let (status, private) = call(
        &server,
        &ben,
        Method::POST,
        &path,
        json!({"text": "Ask about sleep next time."}),
    )
    .await;
    assert_eq!(status, 201, "{private}");
    assert_eq!(
        (&private["shared"], &private["client"]),
        (&json!(false), &json!("ann-notes"))
    );
    let (status, shared) = call(
        &server,
        &ben,
        Method::POST,
        &path,
        json!({"text": "Try the evening walk.", "shared": true}),
    )
    .await;
    assert_eq!(status, 201);

    let texts = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(&ben.json(&server, &path).await),
        ["Try the evening walk.", "Ask about sleep next time."]
    );
    assert_eq!(
        texts(&ann.json(&server, "/api/v1/account/notes").await),
        ["Try the evening walk."]
    );
    let page = ann.page(&server, "/account/counsellors").await;
    assert!(
        page.contains("Try the evening walk.") && !page.contains("Ask about sleep"),
        "{page}"
    );
    let (status, _) = call(&server, &cat, Method::GET, &path, Value::Null).await;
    assert_eq!(status, 404);

    // The page's form keeps one too.
    let (to, page) = ben
        .post_then_get(
            &server,
            &format!("/clients/{id}/notes"),
            &[("text", "Spoke about work."), ("shared", "yes")],
        )
        .await;
    assert_eq!(to, format!("/clients/{id}"));
    assert!(
        page.contains("Spoke about work.") && page.contains("shared with ann-notes"),
        "{page}"
    );
    let (to, page) = ben
        .post_then_get(&server, &format!("/clients/{id}/notes"), &[("text", " ")])
        .await;
    assert_eq!(to, format!("/clients/{id}?problem=text"));
    assert!(page.contains("Write a note of 1 to 2,000 characters."));

    // Ann deletes her account: the shared notes go, the private one stays
    // ben's, as a former client's with no name.
    let answer = ann
        .form(
            &server,
            "/account/delete",
            &[("password", crate::common::PASSWORD)],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["location"], "/account/deleted");
    let left = ben.json(&server, "/api/v1/notes").await;
    assert_eq!(texts(&left), ["Ask about sleep next time."], "{left}");
    assert_eq!(
        (
            &left[0]["former_client"],
            &left[0]["client"],
            &left[0]["grant"]
        ),
        (&json!(true), &Value::Null, &Value::Null)
    );
    assert_ne!(left[0]["id"], shared["id"]);
    let clients = ben.page(&server, "/clients").await;
    assert!(
        clients.contains("Notes about former clients")
            && clients.contains("Ask about sleep next time.")
    );
    assert!(!clients.contains("ann-notes"), "the name is gone");

    let (status, _) = call(
        &server,
        &cat,
        Method::DELETE,
        &format!("/api/v1/notes/{}", private["id"]),
        Value::Null,
    )
    .await;
    assert_eq!(status, 404, "only its writer deletes a note");
    let (status, _) = call(
        &server,
        &ben,
        Method::DELETE,
        &format!("/api/v1/notes/{}", private["id"]),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(ben.json(&server, "/api/v1/notes").await, json!([]));
}
