//! The public address and the proxies in front: a browser's request must
//! come from `public_url` when it is set, `X-Forwarded-For` names the client
//! only when a trusted proxy sends it, and every error page leads to the
//! configured quick exit.

use serde_json::json;
use tandem_web::WebConfig;
use tandem_web::address::{PublicUrl, TrustedProxies};

use crate::common::{PASSWORD, Server};

const EXIT: &str = "https://news.example.org/today";

#[tokio::test(flavor = "multi_thread")]
async fn error_pages_lead_to_the_configured_quick_exit() {
    let server = Server::start_with(WebConfig {
        exit_url: EXIT.to_owned(),
        ..WebConfig::default()
    })
    .await;
    let client = reqwest::Client::new();
    let exit = format!("href=\"{EXIT}\"");

    // Not found and a forged form: each a page with the exit.
    let missing = client
        .get(server.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let forged = client
        .post(server.url("/account/signin"))
        .header("origin", "https://evil.example")
        .form(&[("name", "someone"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let signed_out = client.get(server.url("/results/1")).send().await.unwrap();
    for response in [missing, forged] {
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = response.text().await.unwrap();
        assert!(html.contains(&exit), "{html}");
        assert!(!html.contains(tandem_web::DEFAULT_EXIT_URL), "{html}");
    }
    // A page that needs a session leads (redirected) to the sign-in page,
    // which has the exit too.
    assert_eq!(signed_out.url().path(), "/account/signin");
    assert!(signed_out.text().await.unwrap().contains(&exit));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_public_url_a_browser_must_come_from_it() {
    let server = Server::start_with(WebConfig {
        public_url: Some(PublicUrl::parse("https://tandem.example.org").unwrap()),
        ..WebConfig::default()
    })
    .await;
    let sign_up = |origin: String, name: &'static str| {
        reqwest::Client::new()
            .post(server.url("/api/v1/accounts"))
            .header("origin", origin)
            .json(&json!({ "name": name, "password": PASSWORD }))
            .send()
    };
    // The host the request was sent to is no longer enough.
    assert_eq!(sign_up(server.origin(), "ash").await.unwrap().status(), 403);
    for (origin, status) in [
        ("https://elsewhere.example", 403),
        ("http://tandem.example.org", 403),
        ("https://tandem.example.org", 201),
    ] {
        let response = sign_up(origin.to_owned(), "ash").await.unwrap();
        assert_eq!(response.status(), status, "{origin}");
    }
    // Without a public URL, the request's own host is the origin.
    let plain = Server::start().await;
    let response = reqwest::Client::new()
        .post(plain.url("/api/v1/accounts"))
        .header("origin", plain.origin())
        .json(&json!({ "name": "ash", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// Fails to sign in as 50 unknown names, each through `forwarded`.
async fn fail_fifty(server: &Server, forwarded: impl Fn(usize) -> String) {
    let client = reqwest::Client::new();
    for k in 0..50 {
        let response = client
            .post(server.url("/api/v1/session"))
            .header("x-forwarded-for", forwarded(k))
            .json(&json!({ "name": format!("nobody{k}"), "password": "wrong guess" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "failure {k}");
    }
}

async fn next_from(server: &Server, forwarded: &str) -> u16 {
    reqwest::Client::new()
        .post(server.url("/api/v1/session"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "name": "somebody-else", "password": "wrong guess" }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_address_cap_counts_the_client_behind_a_trusted_proxy() {
    // Behind a proxy on loopback: each client has its own 50 an hour, and
    // one client's failures do not block another.
    let proxied = Server::start_with(WebConfig {
        trusted_proxies: TrustedProxies::parse("127.0.0.1").unwrap(),
        ..WebConfig::default()
    })
    .await;
    fail_fifty(&proxied, |_| "198.51.100.7".to_owned()).await;
    assert_eq!(next_from(&proxied, "198.51.100.7").await, 429);
    assert_eq!(next_from(&proxied, "198.51.100.8").await, 401);
    // A client cannot dodge the cap by writing its own header in front.
    assert_eq!(next_from(&proxied, "203.0.113.1, 198.51.100.7").await, 429);

    // Not behind a trusted proxy: the header is ignored, so changing it
    // every time buys no more tries.
    let direct = Server::start().await;
    fail_fifty(&direct, |k| format!("198.51.100.{k}")).await;
    assert_eq!(next_from(&direct, "198.51.100.200").await, 429);
}
