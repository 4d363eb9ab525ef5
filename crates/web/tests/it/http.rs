//! HTTP-level tests against a real server: headers, accounts and sessions,
//! CSRF, access control between users, and bad input that changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{PASSWORD, Server, User, all_rdp};

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
async fn every_response_carries_the_security_headers() {
    let server = Server::start().await;
    let user = server.user("hedgehog").await;
    let mut paths: Vec<String> = [
        "/",
        "/welcome",
        "/account/new",
        "/account/signin",
        "/healthz",
        "/nowhere",
        "/results",
        "/people",
        "/account",
        "/questions/a/1",
        "/api/v1/nowhere",
        "/api/v1/people",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    paths.extend(
        tandem_web::API_ROUTES
            .iter()
            .filter(|r| r.0 == "get")
            .map(|r| format!("/api/v1{}", r.1.replace("{id}", "1"))),
    );
    for path in paths {
        let response = user.get(&server, &path).send().await.unwrap();
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        if headers
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"))
        {
            let body = response.text().await.unwrap();
            assert!(
                body.contains("<title>Tandem</title>"),
                "{path}: title reveals more than Tandem"
            );
            assert!(body.contains("id=\"quick-exit\""), "{path}: no quick exit");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn passwords_follow_the_rules_and_sign_in_reveals_nothing() {
    let server = Server::start().await;
    let client = server.browser();
    let signup = |name: &str, password: &str| {
        client
            .post(server.url("/api/v1/accounts"))
            .json(&json!({ "name": name, "password": password }))
            .send()
    };
    assert_eq!(signup("wren", "too short").await.unwrap().status(), 422);
    assert_eq!(
        signup("wren", "passwordpassword").await.unwrap().status(),
        422
    );
    assert_eq!(signup("lo", PASSWORD).await.unwrap().status(), 422);
    assert_eq!(signup("local", PASSWORD).await.unwrap().status(), 422);
    let long = "a gentle river runs past the old mill and on to the sea ".repeat(2);
    assert_eq!(signup("wren", &long).await.unwrap().status(), 201);
    assert_eq!(
        server
            .browser()
            .post(server.url("/api/v1/accounts"))
            .json(&json!({ "name": "WREN", "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .status(),
        409
    );

    let signin = |name: &str, password: &str| {
        server
            .browser()
            .post(server.url("/api/v1/session"))
            .json(&json!({ "name": name, "password": password }))
            .send()
    };
    let unknown = signin("nobody-here", PASSWORD).await.unwrap();
    let wrong = signin("wren", PASSWORD).await.unwrap();
    assert_eq!(unknown.status(), wrong.status());
    let (a, b): (Value, Value) = (unknown.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(a["detail"], b["detail"]);
    assert_eq!(signin("wren", &long).await.unwrap().status(), 200);
}

/// The clock the limiter keeps, whole seconds: a wait of one second has run
/// out once this has moved on from the second a failure was counted in.
fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_throttled_per_account() {
    let server = Server::start().await;
    server.user("marten").await;
    let mut before_fifth = unix_secs();
    for _ in 0..5 {
        before_fifth = unix_secs();
        let response = server
            .browser()
            .post(server.url("/api/v1/session"))
            .json(&json!({ "name": "marten", "password": "not the right one at all" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    // Even the right password waits now, and is told for how long.
    let response = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "MARTEN", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    if response.status() == 200 {
        // Only once the first wait (one second after the fifth failure) ran
        // out, as on a slow machine: the limiter let it through rightly.
        assert!(unix_secs() > before_fifth);
        return;
    }
    assert_eq!(response.status(), 429);
    let wait: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=1).contains(&wait),
        "2^0 seconds after the fifth: {wait}"
    );
    // The typed names are not kept: failures are counted under keyed hashes.
    let db = std::fs::read(server.data_dir().join("tandem.db-wal")).unwrap_or_default();
    let db = [
        db,
        std::fs::read(server.data_dir().join("tandem.db")).unwrap(),
    ]
    .concat();
    assert!(!String::from_utf8_lossy(&db).contains("user:marten"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_guesses_checks_few_passwords_and_the_owner_gets_back_in() {
    let server = Server::start().await;
    server.user("stoat").await;
    // 100 wrong passwords at once from one address, then the right one.
    let started = unix_secs();
    let mut tasks = Vec::new();
    for k in 0..100 {
        let (client, url) = (server.browser(), server.url("/api/v1/session"));
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({ "name": "stoat", "password": format!("a wrong guess number {k}") }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429 || **s == 503).count();
    println!("burst of 100: {checked} passwords checked, {refused} refused before hashing");
    assert_eq!(checked + refused, 100, "{statuses:?}");
    assert!(checked <= 20, "{checked} passwords were checked");
    // The right password, while the account is held back: refused unchecked.
    let right = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "stoat", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    if right.status() == 200 {
        // Only possible once the first wait (one second after the fifth
        // failure) had run out: a slow machine, not a way past the limiter.
        assert!(unix_secs() > started);
        return;
    }
    assert_eq!(right.status(), 429);
    let wait: u64 = right.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait <= 15 * 60);
    // After the wait the owner signs in.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let back = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "stoat", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 200);
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
async fn state_changes_without_csrf_are_refused_and_change_nothing() {
    let server = Server::start().await;
    let user = server.user("heron").await;
    let before = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    // JSON without the token header.
    let no_token = user
        .client
        .post(server.url("/api/v1/people"))
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
    // A wrong token.
    let wrong = user
        .client
        .post(server.url("/api/v1/people"))
        .header("x-csrf-token", "0".repeat(64))
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    // A form without the field.
    let form = user
        .client
        .post(server.url("/people"))
        .form(&[("name", "Sam"), ("role", "friend")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    // The right token, but sent from another site.
    let cross = user
        .client
        .post(server.url("/api/v1/people"))
        .header("x-csrf-token", &user.csrf)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    // Sign-up from another origin is refused too.
    let forged = reqwest::Client::new()
        .post(server.url("/account/new"))
        .header("origin", "https://evil.example")
        .form(&[
            ("name", "mallory"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let after = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(before, after);
    // And with the token it works.
    let ok = user
        .send(
            &server,
            Method::POST,
            "/api/v1/people",
            json!({ "name": "Sam", "role": "friend" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
}

/// Everything user A has, by route, to try as B and as nobody.
async fn seed(server: &Server, user: &User) -> (i64, i64, i64) {
    let rdp = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": all_rdp(4) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(rdp.status(), 201);
    let rdp_id = rdp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let open = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations/open",
            json!({ "instrument": "checkin" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 201);
    let open_id = open.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let person = user
        .send(
            server,
            Method::POST,
            "/api/v1/people",
            json!({ "name": "Alex", "role": "partner", "leans_on": { "emotional": 4 } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(person.status(), 201);
    let person_id = person.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    (rdp_id, open_id, person_id)
}

#[tokio::test(flavor = "multi_thread")]
async fn another_user_and_nobody_get_nothing_of_mine() {
    let server = Server::start().await;
    let alice = server.user("alice").await;
    let (rdp_id, open_id, person_id) = seed(&server, &alice).await;
    let alice_before = alice
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mallory = server.user("mallory").await;

    // Pages with Alice's ids, as Mallory: 404 and none of Alice's data.
    for path in [format!("/results/{rdp_id}")] {
        let response = mallory.get(&server, &path).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(!response.text().await.unwrap().contains("Alex"));
    }
    let remove = mallory
        .form(&server, &format!("/people/{person_id}/remove"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status(), 404);
    // API with Alice's ids, as Mallory.
    let attempts: Vec<(Method, String, Value)> = vec![
        (
            Method::GET,
            format!("/api/v1/results/{rdp_id}"),
            Value::Null,
        ),
        (
            Method::PUT,
            format!("/api/v1/administrations/{open_id}/answers"),
            json!({ "answers": { "CI1": 1 }, "position": 1 }),
        ),
        (
            Method::POST,
            format!("/api/v1/administrations/{open_id}/complete"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/people/{person_id}"),
            json!({}),
        ),
    ];
    for (method, path, body) in &attempts {
        let response = mallory
            .send(&server, method.clone(), path, body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        let text = response.text().await.unwrap();
        assert!(
            !text.contains("Alex") && !text.contains("\"score\""),
            "{path}: {text}"
        );
    }
    // Mallory's own lists hold none of Alice's rows.
    for path in [
        "/api/v1/administrations",
        "/api/v1/people",
        "/api/v1/results/latest",
    ] {
        let text = mallory
            .get(&server, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains("Alex")
                && !text.contains(&format!("\"id\": {rdp_id}"))
                && !text.contains("\"score\""),
            "{path}: {text}"
        );
    }
    // Nobody signed in: pages send to sign-in, API says 401, nothing leaks.
    let nobody = server.browser();
    for path in [
        "/",
        "/results",
        &format!("/results/{rdp_id}"),
        "/people",
        "/account",
        "/account/export",
        "/questions/a/1",
    ] {
        let response = nobody.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
    }
    for (method, path, _) in &attempts {
        let response = nobody
            .request(method.clone(), server.url(path))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status() == 401 || response.status() == 403,
            "{method} {path}: {}",
            response.status()
        );
    }
    for route in tandem_web::API_ROUTES
        .iter()
        .filter(|r| r.3 && r.0 == "get")
    {
        let path = format!("/api/v1{}", route.1.replace("{id}", &rdp_id.to_string()));
        assert_eq!(
            nobody.get(server.url(&path)).send().await.unwrap().status(),
            401,
            "{path}"
        );
    }
    let alice_after = alice
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(alice_before, alice_after);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let server = Server::start().await;
    let user = server.user("plover").await;
    seed(&server, &user).await;
    let before = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let post = |path: &str, body: Value| user.send(&server, Method::POST, path, body).send();
    // (request, expected status, words in the problem's detail)
    let off_scale = post("/api/v1/checkins", json!({ "answers": { "CI1": 9 } }))
        .await
        .unwrap();
    assert_eq!(off_scale.status(), 422);
    assert!(
        off_scale.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("off the scale")
    );
    let unknown_item = post("/api/v1/checkins", json!({ "answers": { "ZZ9": 3 } }))
        .await
        .unwrap();
    assert_eq!(unknown_item.status(), 422);
    assert!(
        unknown_item.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("ZZ9")
    );
    let unknown_field = post("/api/v1/checkins", json!({ "answers": {}, "mood": "ok" }))
        .await
        .unwrap();
    assert_eq!(unknown_field.status(), 422);
    assert!(
        unknown_field.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("mood")
    );
    let safety_in_generic = post(
        "/api/v1/administrations",
        json!({ "instrument": "safety", "answers": { "SF8": 1 } }),
    )
    .await
    .unwrap();
    assert_eq!(safety_in_generic.status(), 422);
    let bad_person = post("/api/v1/people", json!({ "name": "Kim", "role": "boss" }))
        .await
        .unwrap();
    assert_eq!(bad_person.status(), 422);
    let bad_level = post(
        "/api/v1/people",
        json!({ "name": "Kim", "role": "friend", "leans_on": { "emotional": 7 } }),
    )
    .await
    .unwrap();
    assert_eq!(bad_level.status(), 422);
    let wrong_type = user
        .client
        .post(server.url("/api/v1/checkins"))
        .header("x-csrf-token", &user.csrf)
        .header("content-type", "text/plain")
        .body("{\"answers\":{}}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        wrong_type.headers()["content-type"],
        "application/problem+json"
    );
    let broken = user
        .client
        .post(server.url("/api/v1/checkins"))
        .header("x-csrf-token", &user.csrf)
        .header("content-type", "application/json")
        .body("{\"answers\": {")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let huge = json!({ "answers": { "CI6": "x".repeat(200_000) } });
    let too_big = post("/api/v1/checkins", huge).await.unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let big_form = user
        .client
        .post(server.url("/people"))
        .form(&[("csrf", user.csrf.as_str()), ("name", &"y".repeat(100_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(big_form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Forms: a field that is not on the page, and a value off the scale.
    let stray = user
        .form(
            &server,
            "/questions/b/1",
            &[("go", "next"), ("CI1", "3"), ("ER1", "3")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);
    let off = user
        .form(&server, "/questions/b/1", &[("go", "next"), ("CI1", "8")])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 422);
    let page = off.text().await.unwrap();
    assert!(
        page.contains("There is a problem") && page.contains("href=\"#CI1\""),
        "the error summary links to the field"
    );
    let after = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_positive_safety_answer_brings_resources_and_stays_out_of_results() {
    let server = Server::start().await;
    let user = server.user("curlew").await;
    let kept = user
        .send(
            &server,
            Method::POST,
            "/api/v1/safety",
            json!({ "answers": { "SF8": 1 }, "keep": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), 200);
    let body: Value = kept.json().await.unwrap();
    assert_eq!(body["positive"], true);
    assert_eq!(body["outcome"], "concern");
    assert!(body["resources"]["steps"].as_array().unwrap().len() >= 3);
    assert!(body["help"]["steps"].as_array().unwrap().len() >= 3);
    // The page answers with a redirect to a page at a neutral address that
    // reads the outcome back; nothing about it is in the URL.
    let page = user
        .form(
            &server,
            "/questions/c/1",
            &[("go", "next"), ("SF9", "1"), ("keep", "no")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/questions/c/done");
    let done = user
        .get(&server, "/questions/c/done")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("You deserve to be safe"));
    assert!(done.contains("<title>Tandem</title>"));
    let export: Value = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // One kept (API), one not kept (page); never among administrations.
    assert_eq!(export["safety_screens"].as_array().unwrap().len(), 1);
    assert!(export["administrations"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_save_per_page_and_resume() {
    let server = Server::start().await;
    let user = server.user("godwit").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let first: Vec<(&str, &str)> = rdp.items[..6]
        .iter()
        .map(|i| (i.id.as_str(), "2"))
        .collect();
    let mut fields = vec![("go", "later")];
    fields.extend(first);
    let saved = user
        .form(&server, "/questions/a/1", &fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    // Coming back starts at page 2, and page 1 still shows the answers.
    let resume = user.get(&server, "/questions/a").send().await.unwrap();
    assert_eq!(resume.headers()["location"], "/questions/a/2");
    let page1 = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(page1.matches(" checked").count(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_lists_every_route_and_each_exists() {
    let server = Server::start().await;
    let user = server.user("dunlin").await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (method, path, _, _) in tandem_web::API_ROUTES {
        let full = format!("/api/v1{path}");
        assert!(
            doc["paths"][&full][method].is_object(),
            "{method} {full} missing from the document"
        );
        let concrete = full.replace("{id}", "999999");
        let response = user
            .send(
                &server,
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                &concrete,
                json!({}),
            )
            .send()
            .await
            .unwrap();
        assert_ne!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {concrete}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_an_account_removes_everything() {
    let server = Server::start().await;
    let user = server.user("snipe").await;
    seed(&server, &user).await;
    let page = user.get(&server, "/account").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let wrong = user
        .form(
            &server,
            "/account/delete",
            &[("password", "not my password at all")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let gone = user
        .form(&server, "/account/delete", &[("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 303);
    assert_eq!(gone.headers()["location"], "/account/deleted");
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let again = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "snipe", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_lets_a_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let store = tandem_store::Store::open(dir.path()).await.unwrap();
    let state = tandem_web::AppState::new(store, tandem_web::WebConfig::default()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tandem_web::serve(state, listener, async move {
        let _ = stopped.await;
    }));
    // Sign-up hashes a password with Argon2id: slow enough to be in flight.
    let request = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("http://{addr}/api/v1/accounts"))
            .json(&json!({ "name": "stint", "password": PASSWORD }))
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    stop.send(()).unwrap();
    assert_eq!(request.await.unwrap().unwrap(), 201);
    server.await.unwrap().unwrap();
    // After shutdown, nobody answers.
    assert!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_manages_the_account_like_the_pages() {
    let server = Server::start().await;
    let user = server.user("whimbrel").await;
    let other = server.browser();
    let signed = other
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "whimbrel", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let sessions: Value = user
        .get(&server, "/api/v1/sessions")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 2);
    assert_eq!(
        sessions
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["current"] == true)
            .count(),
        1
    );
    let new = "a different quiet walk along the shore";
    let wrong = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/account/password",
            json!({ "current": "not it at all, sorry", "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let changed = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/account/password",
            json!({ "current": PASSWORD, "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    // The other session ended with the change; the old password no longer works.
    assert_eq!(
        other
            .get(server.url("/api/v1/people"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let old = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "whimbrel", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let deleted = user
        .send(
            &server,
            Method::DELETE,
            "/api/v1/account",
            json!({ "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(deleted.headers().contains_key("clear-site-data"));
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_page_asks_whom_the_questions_are_about() {
    let server = Server::start().await;
    let user = server.user("redshank").await;
    let first = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(first.contains("Who are these questions about?") && first.contains("my partner"));
    let too_long = "x".repeat(81);
    let refused = user
        .form(
            &server,
            "/questions/a/1",
            &[("go", "next"), ("about", &too_long)],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        user.get(&server, "/api/v1/administrations")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let saved = user
        .form(
            &server,
            "/questions/a/1",
            &[("go", "next"), ("about", "my sister Ann"), ("ER1", "3")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let second = user
        .get(&server, "/questions/a/2")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        second.contains("my sister Ann"),
        "the questions use the words given"
    );
    let back = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !back.contains("Who are these questions about?"),
        "asked once, before anything is saved"
    );
    let listed: Value = user
        .get(&server, "/api/v1/administrations")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["about"], "my sister Ann");
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

#[tokio::test(flavor = "multi_thread")]
async fn a_request_that_times_out_still_carries_the_security_headers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = Server::start_with(tandem_web::WebConfig {
        request_timeout_secs: 1,
        ..Default::default()
    })
    .await;
    // A body that never finishes arriving.
    let address = server.url("").trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request = format!(
        "POST /account/signin HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=a"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buffer))
                .await
                .unwrap()
                .unwrap();
        reply.extend_from_slice(&buffer[..read]);
        if read == 0 || reply.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&reply).to_lowercase();
    assert!(head.starts_with("http/1.1 408"), "{head}");
    for header in [
        "content-security-policy:",
        "x-content-type-options: nosniff",
        "cache-control: no-store",
        "content-type: text/html",
    ] {
        assert!(head.contains(header), "{header} missing: {head}");
    }
    // The page itself, in the frame with the quick exit.
    let mut body = String::from_utf8_lossy(&reply).into_owned();
    while !body.contains("</html>") {
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buffer))
                .await
                .unwrap()
                .unwrap();
        if read == 0 {
            break;
        }
        body.push_str(&String::from_utf8_lossy(&buffer[..read]));
    }
    assert!(body.contains("id=\"quick-exit\""), "{body}");
    assert!(body.contains("That took too long"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_generated_document_and_the_router_agree() {
    let server = Server::start().await;
    let user = server.user("turnstone").await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let methods = ["get", "post", "put", "delete", "patch"];
    // Every operation in the document, with whether it needs a session.
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = &operation["security"];
            let session = security.is_array();
            if session {
                // Reads need the cookie; writes the cookie and the CSRF header.
                let mut names: Vec<&str> = security[0]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                names.sort_unstable();
                let expected: &[&str] = if method == "get" {
                    &["session"]
                } else {
                    &["csrf", "session"]
                };
                assert_eq!(names, expected, "{method} {path}");
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["name"] == "id" && !path.starts_with("/api/v1/instruments") {
                    assert_eq!(
                        parameter["schema"]["type"], "integer",
                        "{method} {path}: ids are integers"
                    );
                }
            }
            documented.insert((method.clone(), path.clone(), session));
        }
    }
    let table: std::collections::BTreeSet<(String, String, bool)> = tandem_web::API_ROUTES
        .iter()
        .map(|(method, path, _, session)| {
            ((*method).to_owned(), format!("/api/v1{path}"), *session)
        })
        .collect();
    assert_eq!(documented, table, "the document and API_ROUTES differ");
    // The answers a whole RDP may carry are the RDP's own items.
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let shapes = doc["components"]["schemas"]["Record"]["oneOf"]
        .as_array()
        .unwrap();
    let rdp_shape = shapes
        .iter()
        .find(|shape| shape["properties"]["instrument"]["enum"][0] == "rdp")
        .unwrap();
    let items: Vec<&String> = rdp_shape["properties"]["answers"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let mut expected: Vec<String> = rdp.items.iter().map(|i| i.id.to_string()).collect();
    expected.sort_unstable();
    assert_eq!(items, expected.iter().collect::<Vec<_>>());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "tandem");
    assert_eq!(schemes["csrf"]["in"], "header");
    // The router has no method at a documented path that the document
    // leaves out: each answers 405.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "999999").replace("{week}", "2026-W48");
        for method in methods {
            if item.get(method).is_some() {
                continue;
            }
            let response = user
                .send(
                    &server,
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &concrete,
                    json!({}),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {concrete} answers but is not documented"
            );
        }
    }
    // A secure deployment's document names its real cookie.
    let secure = Server::start_with(tandem_web::WebConfig {
        secure_cookies: true,
        ..tandem_web::WebConfig::default()
    })
    .await;
    let doc: Value = reqwest::get(secure.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["name"],
        "__Host-tandem"
    );
}
