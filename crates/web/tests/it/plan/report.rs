//! The printable report: every part in the person's own copy, and safety
//! only there, never in a shared copy.

use reqwest::Method;
use serde_json::json;

use super::{balanced, take};
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn the_report_has_every_part_and_safety_only_in_the_own_copy() {
    let server = Server::start().await;
    let user = server.user("phalarope").await;
    take(&server, &user, |f| if f == "CT" { 5 } else { balanced(f) }).await;
    take(&server, &user, balanced).await;
    user.send(
        &server,
        Method::POST,
        "/api/v1/people",
        json!({ "name": "Robin", "role": "friend", "leans_on": { "emotional": 3 } }),
    )
    .send()
    .await
    .unwrap();
    user.send(
        &server,
        Method::POST,
        "/api/v1/safety",
        json!({ "answers": { "SF8": 1 }, "keep": true }),
    )
    .send()
    .await
    .unwrap();
    let page = user
        .get(&server, "/report")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for part in [
        "My Tandem report",
        "Pattern:",
        "Change since the first profile",
        "The people I lean on",
        "My plan and progress",
        "Staying safe (only in my own copy)",
        "<svg",
    ] {
        assert!(page.contains(part), "report lacks {part}");
    }
    assert!(page.contains("Robin"));
    assert_eq!(
        page.matches("<svg width").count(),
        2,
        "facet chart and trend"
    );
    assert_eq!(
        page.matches("class=\"support-map\"").count(),
        1,
        "support map"
    );

    // A shared copy, built from the same store, has no safety section and no
    // plan item that came from the safety answers.
    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    let name = tandem_store::UserName::parse("phalarope").unwrap();
    let (id, _) = store.account_by_name(&name).await.unwrap().unwrap();
    let id = crate::common::owner_of(&store, id).await;
    let content = tandem_web::Content::builtin().unwrap();
    let shared = tandem_web::report::report_html(
        &store,
        &content,
        id,
        tandem_web::report::Audience::Shared,
        framing(),
    )
    .await
    .unwrap();
    assert!(!shared.contains("Staying safe"));
    let own = tandem_web::report::report_html(
        &store,
        &content,
        id,
        tandem_web::report::Audience::Own,
        framing(),
    )
    .await
    .unwrap();
    let safety_title = content
        .guidance
        .strategy("help-if-you-feel-unsafe")
        .unwrap()
        .title
        .clone();
    assert!(
        own.contains(&safety_title),
        "the own copy lists the safety item"
    );
    assert!(!shared.contains(&safety_title), "a shared copy must not");
    assert!(shared.contains("My plan and progress"));
}

fn framing() -> tandem_web::report::Framing<'static> {
    tandem_web::report::Framing {
        inline_css: None,
        exit_url: "https://www.bbc.com/weather",
        made: "today".into(),
        csrf: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_copy_shows_no_name_no_about_and_nothing_written() {
    let server = Server::start().await;
    let user = server.user("shearwater").await;
    let answers = super::rdp_answers(balanced);
    let made = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": answers, "about": "Quentin at home" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    for (name, role) in [
        ("Robin", "friend"),
        ("Marguerite", "friend"),
        ("Ysolde", "family"),
    ] {
        let added = user
            .send(
                &server,
                Method::POST,
                "/api/v1/people",
                json!({ "name": name, "role": role, "leans_on": { "emotional": 3 } }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 201);
    }
    let wrote = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "journal", "content": { "text": "Zanzibar is my private word" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrote.status(), 201);

    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    let name = tandem_store::UserName::parse("shearwater").unwrap();
    let (id, _) = store.account_by_name(&name).await.unwrap().unwrap();
    let owner = crate::common::owner_of(&store, id).await;
    let content = tandem_web::Content::builtin().unwrap();
    let report =
        |audience| tandem_web::report::report_html(&store, &content, owner, audience, framing());
    let own = report(tandem_web::report::Audience::Own).await.unwrap();
    let shared = report(tandem_web::report::Audience::Shared).await.unwrap();
    let private = [
        "Robin",
        "Marguerite",
        "Ysolde",
        "Quentin at home",
        "Zanzibar",
    ];
    for word in private {
        assert!(own.contains(word), "the own copy lacks {word}");
        assert!(!shared.contains(word), "a shared copy shows {word}");
    }
    // People are there by the kind of relationship and a number.
    for label in ["Friend 1", "Friend 2", "Family member 1"] {
        assert!(shared.contains(label), "{label}");
    }
    assert!(shared.contains("Pattern:") && shared.contains("The people I lean on"));
    assert!(shared.contains("From the profile finished on"));
}
