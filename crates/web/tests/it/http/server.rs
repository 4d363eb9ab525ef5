//! The server itself: the security headers on every response, a timed-out
//! request's included, and a shutdown that lets a request in flight finish.

use serde_json::json;

use crate::common::{PASSWORD, Server};

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
async fn shutdown_lets_a_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
        .await
        .unwrap();
    let state = tandem_web::AppState::new(store, rights.research, tandem_web::WebConfig::default())
        .unwrap();
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
