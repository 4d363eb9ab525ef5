//! Recovery without email: codes shown once at sign-up, each usable once to
//! set a new password (throttled like a sign-in), renewable in settings,
//! and kept only as hashes.

use crate::common::{PASSWORD, Server};

const NEW_PASSWORD: &str = "a kettle sings on a cold morning";

/// Signs up through the page; returns the signed-in client and its codes.
async fn sign_up(server: &Server, name: &str) -> (reqwest::Client, Vec<String>) {
    let client = server.browser();
    let response = client
        .post(server.url("/account/new"))
        .form(&[
            ("name", name),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    // Post/redirect/get: the codes are on the page the answer leads to,
    // and a reload shows the same set.
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/account/recovery-codes");
    assert!(response.headers().contains_key("set-cookie"));
    let page = |client: reqwest::Client| async move {
        let shown = client
            .get(server.url("/account/recovery-codes"))
            .send()
            .await
            .unwrap();
        assert_eq!(shown.status(), 200);
        codes_in(&shown.text().await.unwrap())
    };
    let codes = page(client.clone()).await;
    assert_eq!(
        page(client.clone()).await,
        codes,
        "a reload shows the same codes"
    );
    (client, codes)
}

fn codes_in(html: &str) -> Vec<String> {
    html.split("<code>")
        .skip(1)
        .filter_map(|part| part.split("</code>").next())
        .map(str::to_owned)
        .collect()
}

async fn recover(server: &Server, name: &str, code: &str, password: &str) -> reqwest::Response {
    server
        .browser()
        .post(server.url("/account/recover"))
        .form(&[
            ("name", name),
            ("code", code),
            ("password", password),
            ("confirm", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn sign_in_status(server: &Server, name: &str, password: &str) -> u16 {
    server
        .browser()
        .post(server.url("/account/signin"))
        .form(&[("name", name), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_from_sign_up_sets_a_new_password_once() {
    let server = Server::start().await;
    let (first_device, codes) = sign_up(&server, "heron").await;
    assert_eq!(codes.len(), 10);
    for code in &codes {
        assert_eq!(code.len(), 24, "{code}");
        assert!(code.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
    }
    // Signed in straight after sign-up.
    let home = first_device.get(server.url("/")).send().await.unwrap();
    assert!(home.text().await.unwrap().contains("/account/signout"));

    // Typed as a person might: small letters, spaces for dashes.
    let typed = codes[3].to_lowercase().replace('-', " ");
    let used = recover(&server, "HERON", &typed, NEW_PASSWORD).await;
    assert_eq!(used.status(), 303, "{}", used.text().await.unwrap());
    assert_eq!(used.headers()["location"], "/");
    // The old password is gone, the new one works, other sessions ended.
    assert_eq!(sign_in_status(&server, "heron", PASSWORD).await, 401);
    assert_eq!(sign_in_status(&server, "heron", NEW_PASSWORD).await, 303);
    let stale = first_device
        .get(server.url("/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 303, "the first device was signed out");
    // The same code again does not work; another one does.
    let again = recover(
        &server,
        "heron",
        &codes[3],
        "yet another long password here",
    )
    .await;
    assert_eq!(again.status(), 401);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("recovery code do not match")
    );
    let other = recover(
        &server,
        "heron",
        &codes[4],
        "yet another long password here",
    )
    .await;
    assert_eq!(other.status(), 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_codes_and_unknown_names_get_one_answer_and_are_throttled() {
    let server = Server::start().await;
    let (_, codes) = sign_up(&server, "egret").await;
    let made_up = "ABCD-EFGH-JKMN-PQRS-TVWX";
    let wrong_secret = format!("{}-0000-0000-0000-0000", &codes[0][..4]);
    let mut texts = Vec::new();
    for (name, code) in [
        ("egret", made_up),
        ("egret", wrong_secret.as_str()),
        ("nobody-here", codes[0].as_str()),
        ("egret", "not a code at all"),
    ] {
        let response = recover(&server, name, code, NEW_PASSWORD).await;
        assert_eq!(response.status(), 401, "{name} {code}");
        let html = response.text().await.unwrap();
        texts.push(
            html.split("<li>")
                .nth(1)
                .and_then(|li| li.split("</li>").next())
                .unwrap()
                .to_owned(),
        );
    }
    assert!(texts.windows(2).all(|pair| pair[0] == pair[1]), "{texts:?}");
    // The fifth failure for this name, then even a right code must wait.
    assert_eq!(
        recover(&server, "egret", made_up, NEW_PASSWORD)
            .await
            .status(),
        401
    );
    let early = recover(&server, "egret", &codes[0], NEW_PASSWORD).await;
    if early.status() == 303 {
        // Only once the first one-second wait had run out (a slow machine).
        return;
    }
    assert_eq!(early.status(), 429);
    assert!(early.headers().contains_key("retry-after"));
    // Nothing changed: the password still works.
    assert_eq!(sign_in_status(&server, "egret", PASSWORD).await, 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn new_codes_from_settings_replace_the_old_and_none_is_kept_in_the_clear() {
    let server = Server::start().await;
    let (client, old) = sign_up(&server, "bittern").await;
    let settings = client.get(server.url("/account")).send().await.unwrap();
    let html = settings.text().await.unwrap();
    assert!(html.contains("You have 10 recovery codes left."), "{html}");
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let renew = |password: &'static str| {
        client
            .post(server.url("/account/recovery-codes"))
            .form(&[("csrf", csrf.as_str()), ("password", password)])
            .send()
    };
    let refused = renew("not my password at all").await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("no new codes were made")
    );
    let renewed = renew(PASSWORD).await.unwrap();
    assert_eq!(renewed.status(), 303);
    let shown = client
        .get(server.url("/account/recovery-codes"))
        .send()
        .await
        .unwrap();
    let new = codes_in(&shown.text().await.unwrap());
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|code| !old.contains(code)));

    // Neither old nor new codes are anywhere in the data dir as typed.
    for file in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        for code in old.iter().chain(&new) {
            let secret = code.replace('-', "");
            let secret = &secret.as_bytes()[4..];
            assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{code}");
        }
    }
    assert_eq!(
        recover(&server, "bittern", &old[0], NEW_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        recover(&server, "bittern", &new[0], NEW_PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_shows_codes_at_sign_up_takes_one_back_and_renews_them() {
    use serde_json::{Value, json};
    let server = Server::start().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_up = client
        .post(server.url("/api/v1/accounts"))
        .json(&json!({ "name": "curlew", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), 201);
    let body: Value = signed_up.json().await.unwrap();
    let codes: Vec<String> = serde_json::from_value(body["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);

    let recover = |code: &str| {
        reqwest::Client::new()
            .post(server.url("/api/v1/session/recover"))
            .json(&json!({ "name": "curlew", "code": code, "password": NEW_PASSWORD }))
            .send()
    };
    let wrong = recover("ABCD-EFGH-JKMN-PQRS-TVWX").await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.headers()["content-type"], "application/problem+json");
    let back = recover(&codes[0]).await.unwrap();
    assert_eq!(back.status(), 200);
    let back: Value = back.json().await.unwrap();
    assert!(back["csrf_token"].is_string());
    // The first client's session ended with the recovery.
    let stale = client
        .get(server.url("/api/v1/account/recovery-codes"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 401);

    // Signed in again with the new password: nine left, then a new set.
    let user = client
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "curlew", "password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(user.status(), 200);
    let csrf = user.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let left = |client: &reqwest::Client| {
        client
            .get(server.url("/api/v1/account/recovery-codes"))
            .send()
    };
    let now: Value = left(&client).await.unwrap().json().await.unwrap();
    assert_eq!(now, json!({ "left": 9 }));
    let renew = |password: &str| {
        client
            .post(server.url("/api/v1/account/recovery-codes"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "password": password }))
            .send()
    };
    assert_eq!(renew("not the password").await.unwrap().status(), 401);
    let renewed = renew(NEW_PASSWORD).await.unwrap();
    assert_eq!(renewed.status(), 201);
    let fresh: Value = renewed.json().await.unwrap();
    assert_eq!(fresh["recovery_codes"].as_array().unwrap().len(), 10);
    let now: Value = left(&client).await.unwrap().json().await.unwrap();
    assert_eq!(now, json!({ "left": 10 }));
    assert_eq!(
        recover(&codes[1]).await.unwrap().status(),
        401,
        "old codes stop working"
    );
}
