//! Sessions: a new session id at each sign-in, other sessions ended on
//! request, and a session that is over opens nothing.

use serde_json::{Value, json};

use crate::common::{PASSWORD, Server};

fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tandem="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_rotate_at_sign_in_and_die_at_sign_out() {
    let server = Server::start().await;
    let first = server.browser();
    let created = first
        .post(server.url("/account/new"))
        .form(&[
            ("name", "badger"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    // The recovery codes are on the page the answer leads to.
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()["location"], "/account/recovery-codes");
    let first_cookie = cookie_of(&created).unwrap();
    let set = created.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // Signing in again gives a new session id.
    let again = server
        .browser()
        .post(server.url("/account/signin"))
        .form(&[("name", "badger"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    let second_cookie = cookie_of(&again).unwrap();
    assert_ne!(first_cookie, second_cookie);

    // The first session sees its settings with two sessions listed, then ends the other.
    let page = first
        .get(server.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("(this one)"));
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let raw = |cookie: &str| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(server.url("/account"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(raw(&second_cookie).await.unwrap().status(), 200);
    let ended = first
        .post(server.url("/account/sessions/end-others"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 303);
    assert_eq!(
        ended.headers()["location"],
        "/account?notice=signed-out-others"
    );
    assert_eq!(
        raw(&second_cookie).await.unwrap().status(),
        303,
        "the other session should be gone"
    );

    // Sign out kills the session on the server and clears the site's data.
    let out = first
        .post(server.url("/account/signout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["clear-site-data"]
            .to_str()
            .unwrap()
            .contains("cookies")
    );
    assert_eq!(
        raw(&first_cookie).await.unwrap().status(),
        303,
        "the old cookie must not work after sign-out"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_again_ends_the_old_session_on_the_server() {
    let server = Server::start().await;
    server.user("heron").await;
    // One browser (one cookie jar) signs in twice.
    let browser = server.browser();
    let sign_in = |csrf: &str| {
        browser
            .post(server.url("/api/v1/session"))
            .header("x-csrf-token", csrf)
            .json(&json!({ "name": "heron", "password": PASSWORD }))
            .send()
    };
    let first = sign_in("").await.unwrap();
    assert_eq!(first.status(), 200);
    let old = cookie_of(&first).unwrap();
    let body: Value = first.json().await.unwrap();
    // Signed in, the browser's next change carries its session's token.
    let second = sign_in(body["csrf_token"].as_str().unwrap()).await.unwrap();
    assert_eq!(second.status(), 200);
    let new = cookie_of(&second).unwrap();
    assert_ne!(old, new);
    // The old cookie, replayed from elsewhere, opens nothing any more.
    let plain = reqwest::Client::new();
    let with = |cookie: String| {
        plain
            .get(server.url("/api/v1/people"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(with(old).await.unwrap().status(), 401);
    assert_eq!(with(new).await.unwrap().status(), 200);
}
