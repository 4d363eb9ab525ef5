//! Sign-in returns to the page asked for (same-site paths only), sign-out
//! lands on a page that says so, and moments are shown in the person's
//! own time zone.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tandem_core::moments::TimeZoneName;
use tandem_store::UserId;

use crate::common::{PASSWORD, Server, User};

/// 2026-12-03T14:05:00Z: 14:05 in London (winter), 23:05 in Tokyo.
const KNOWN: i64 = 1_796_306_700;

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Signs in `name` through the sign-in form with `next` as the hidden field.
async fn sign_in(server: &Server, name: &str, next: Option<&str>) -> reqwest::Response {
    let client = server.browser();
    let mut fields = vec![("name", name), ("password", PASSWORD)];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    client
        .post(server.url("/account/signin"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// A new account through the API, with its id.
async fn account(server: &Server, name: &str) -> (User, UserId) {
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
    (user, UserId(body["user"].as_i64().unwrap()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_asked_for_signed_out_is_where_sign_in_lands() {
    let server = Server::start().await;
    server.user("ines").await;
    let anonymous = server.browser();

    let plan = anonymous.get(server.url("/plan")).send().await.unwrap();
    assert_eq!(plan.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&plan), "/account/signin?next=%2Fplan");

    // The query of a page read comes along; a form's target never does.
    let settings = anonymous
        .get(server.url("/account?notice=removed"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&settings),
        "/account/signin?next=%2Faccount%3Fnotice%3Dremoved"
    );
    let posted = anonymous
        .post(server.url("/account/research"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&posted), "/account/signin");

    // The form carries the path in a hidden field, escaped.
    let form = anonymous
        .get(server.url("/account/signin?next=%2Fplan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(r#"<input type="hidden" name="next" value="/plan">"#),
        "{form}"
    );
    let unsafe_form = anonymous
        .get(server.url("/account/signin?next=%2F%2Fevil.example"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!unsafe_form.contains("name=\"next\""), "{unsafe_form}");
    assert!(!unsafe_form.contains("evil"));

    let signed_in = sign_in(&server, "ines", Some("/plan")).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/plan");
    assert!(signed_in.headers().contains_key("set-cookie"));

    // A wrong password keeps the path for the next try.
    let wrong = server
        .browser()
        .post(server.url("/account/signin"))
        .form(&[
            ("name", "ines"),
            ("password", "not the password at all"),
            ("next", "/plan"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains(r#"name="next" value="/plan""#)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unsafe_places_to_return_to_land_on_home() {
    let server = Server::start().await;
    server.user("jojo").await;
    let long = format!("/{}", "p".repeat(2000));
    for next in [
        "//evil.example",
        "/\\evil",
        "https://x",
        "/%2F%2Fevil",
        "/\t/evil",
        "/plan\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
        "/account/signout",
        "/account/signin?next=//evil.example",
        "/api/v1/plan",
        "",
        long.as_str(),
    ] {
        let response = sign_in(&server, "jojo", Some(next)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&response), "/", "{next:?}");
    }
    let without = sign_in(&server, "jojo", None).await;
    assert_eq!(location(&without), "/");

    // Someone already signed in who follows a sign-in link goes on, safely.
    let user = server.user("kai").await;
    for (next, to) in [("%2Fplan", "/plan"), ("%2F%2Fevil.example", "/")] {
        let response = user
            .get(&server, &format!("/account/signin?next={next}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), to);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_lands_on_a_page_that_says_so() {
    let server = Server::start().await;
    let user = server.user("quillon").await;

    let out = user
        .form(&server, "/account/signout", &[])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/account/signed-out");
    assert!(out.headers().contains_key("clear-site-data"));

    let page = user
        .get(&server, "/account/signed-out")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>You have signed out</h1>"), "{html}");
    assert!(html.contains(r#"id="quick-exit""#), "in the page frame");
    assert!(!html.contains("quillon"), "nothing of the account: {html}");
    assert!(!html.contains(r#"action="/account/signout""#));

    // The old session is gone, and signing out again (the quick exit's
    // beacon after a sign-out, a second press) lands on the same page,
    // never on a sign-in page that returns to sign-out.
    let again = user
        .form(&server, "/account/signout", &[])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), "/account/signed-out");
    let plan = user.get(&server, "/plan").send().await.unwrap();
    assert_eq!(location(&plan), "/account/signin?next=%2Fplan");

    // A stranger sees the same page.
    let fresh = server
        .browser()
        .get(server.url("/account/signed-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);

    // Someone signed in is sent home rather than told they signed out.
    let other = server.user("moss").await;
    let signed_in = other
        .get(&server, "/account/signed-out")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_quick_exit_beacon_still_ends_the_session() {
    let server = Server::start().await;
    let user = server.user("nia").await;
    // What navigator.sendBeacon sends: the token as a form body, no Origin
    // header needed beyond the browser's own Sec-Fetch-Site.
    let beacon = user
        .client
        .post(server.url("/account/signout"))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={}", user.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&beacon), "/account/signed-out");
    let account = user.get(&server, "/account").send().await.unwrap();
    assert_eq!(account.status(), StatusCode::SEE_OTHER);
}

/// The journal page's text, where an entry's heading is its moment.
async fn journal(user: &User, server: &Server) -> String {
    let page = user.get(server, "/plan/do/journal").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    page.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn moments_are_shown_in_the_chosen_time_zone() {
    let server = Server::start().await;
    let (user, id) = account(&server, "ola").await;
    {
        // A second handle on the same data dir writes an entry at a known moment.
        let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
        let id = crate::common::owner_of(&store, id).await;
        store
            .save_exercise(
                id,
                "journal",
                None,
                &json!({ "text": "a calm week" }),
                KNOWN,
            )
            .await
            .unwrap();
        store.close().await;
    }
    assert!(
        journal(&user, &server)
            .await
            .contains("3 December 2026, 14:05")
    );
    let settings = user
        .get(&server, "/account")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(settings.contains(r#"data-chosen="no""#), "{settings}");
    assert!(settings.contains("<option selected>UTC</option>"));

    let saved = user
        .form(
            &server,
            "/account/time-zone",
            &[("time_zone", "Asia/Tokyo")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/account?notice=time-zone");
    let tokyo = journal(&user, &server).await;
    assert!(tokyo.contains("3 December 2026, 23:05"), "{tokyo}");
    assert!(!tokyo.contains("14:05"));

    user.form(
        &server,
        "/account/time-zone",
        &[("time_zone", "Europe/London")],
    )
    .send()
    .await
    .unwrap();
    assert!(
        journal(&user, &server)
            .await
            .contains("3 December 2026, 14:05")
    );
    let settings = user
        .get(&server, "/account?notice=time-zone")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(settings.contains("<option selected>Europe/London</option>"));
    assert!(settings.contains(r#"data-chosen="yes""#));
    assert!(settings.contains("Your time zone is saved."));

    // The API reads and writes the same setting.
    let read: Value = user
        .get(&server, "/api/v1/account/time-zone")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read,
        json!({ "time_zone": "Europe/London", "chosen": true })
    );
    let put = user
        .send(
            &server,
            reqwest::Method::PUT,
            "/api/v1/account/time-zone",
            json!({ "time_zone": "Asia/Kolkata" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    let export: Value = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(export["time_zone"], "Asia/Kolkata");
    assert!(
        journal(&user, &server)
            .await
            .contains("3 December 2026, 19:35")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_time_zone_is_refused_and_nothing_is_kept() {
    let server = Server::start().await;
    let (user, id) = account(&server, "pia").await;
    user.form(
        &server,
        "/account/time-zone",
        &[("time_zone", "Asia/Tokyo")],
    )
    .send()
    .await
    .unwrap();
    for bad in [
        "Mars/Olympus_Mons",
        "",
        "../../etc/passwd",
        "EST5EDT,M3.2.0,M11.1.0",
    ] {
        let refused = user
            .form(&server, "/account/time-zone", &[("time_zone", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}"
        );
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(r##"<a href="#time-zone">"##),
            "the field is named: {html}"
        );
        assert!(html.contains("Please choose your time zone from the list."));
        assert!(
            html.contains(
                r#"<select id="time-zone" name="time_zone" aria-invalid="true" aria-describedby="time-zone-hint time-zone-error""#
            ),
            "the form again, the field marked: {html}"
        );
        assert!(html.contains(r#"<p class="error-message" id="time-zone-error">"#));

        let api = user
            .send(
                &server,
                reqwest::Method::PUT,
                "/api/v1/account/time-zone",
                json!({ "time_zone": bad }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        let problem: Value = api.json().await.unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains("time_zone"),
            "{problem}"
        );
    }
    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    let id = crate::common::owner_of(&store, id).await;
    assert_eq!(
        store.time_zone(id).await.unwrap(),
        Some(TimeZoneName::parse("Asia/Tokyo").unwrap())
    );
    store.close().await;
}
