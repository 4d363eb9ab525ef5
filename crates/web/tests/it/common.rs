//! A real server on a loopback port with its own temporary store, and
//! clients that sign up and keep their cookies.

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tandem_store::Store;
use tandem_web::{AppState, WebConfig};
use tempfile::TempDir;

/// A running server; stops when dropped (the runtime ends with the test).
pub struct Server {
    /// Kept so the store's directory lives as long as the server.
    _dir: TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    /// The running app's state, for a look at its store.
    state: AppState,
    /// The operator's right, for what `tandem admin` would do.
    operator: tandem_store::Operator,
    /// The address browsers use.
    origin: String,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with(WebConfig::default()).await
    }

    /// A server with its own settings.
    pub async fn start_with(config: WebConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, config, None).await
    }

    /// A server reached as `http://localhost:PORT`, which is its
    /// `public_url`: what passkeys need (browsers refuse them on an IP
    /// address).
    pub async fn start_localhost(mut config: WebConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        config.public_url = Some(tandem_web::address::PublicUrl::parse(&origin).unwrap());
        Self::start_on(listener, config, Some(origin)).await
    }

    async fn start_on(
        listener: tokio::net::TcpListener,
        config: WebConfig,
        origin: Option<String>,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
            .await
            .unwrap();
        let state = AppState::new(store, rights.research, config).unwrap();
        let addr = listener.local_addr().unwrap();
        let (send, receive) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(tandem_web::serve(state.clone(), listener, async move {
            let _ = receive.await;
        }));
        Self {
            _dir: dir,
            _shutdown: send,
            state,
            operator: rights.operator,
            origin: origin.unwrap_or_else(|| format!("http://{addr}")),
        }
    }

    /// Approves a counsellor account, as `tandem admin approve-counsellor`.
    pub async fn approve(&self, name: &str) {
        self.store()
            .approve_counsellor(
                &self.operator,
                &tandem_store::UserName::parse(name).unwrap(),
                1,
            )
            .await
            .unwrap();
    }

    /// Signs up a counsellor account through the API (not yet approved).
    pub async fn counsellor(&self, name: &str) -> User {
        self.sign_up(name, "counsellor").await
    }

    /// The server's store.
    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// The store's directory (database, WAL, key file).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// A client with a cookie jar that sends our Origin, like a browser on our pages.
    pub fn browser(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_str(&self.origin()).unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// Signs up a new account through the API; returns its client and CSRF token.
    pub async fn user(&self, name: &str) -> User {
        self.sign_up(name, "person").await
    }

    async fn sign_up(&self, name: &str, role: &str) -> User {
        self.sign_up_with(name, role, PASSWORD).await
    }

    /// Signs up an account of `role` with `password` through the API.
    pub async fn sign_up_with(&self, name: &str, role: &str, password: &str) -> User {
        let client = self.browser();
        let response = client
            .post(self.url("/api/v1/accounts"))
            .json(&json!({ "name": name, "password": password, "role": role }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let body: Value = response.json().await.unwrap();
        User {
            client,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }
}

/// A password that passes every rule.
pub const PASSWORD: &str = "otters hold hands while asleep";

/// A signed-in client.
pub struct User {
    pub client: reqwest::Client,
    pub csrf: String,
}

impl User {
    pub fn get(&self, server: &Server, path: &str) -> reqwest::RequestBuilder {
        self.client.get(server.url(path))
    }

    /// A GET that must answer 200 with JSON: the value.
    pub async fn json(&self, server: &Server, path: &str) -> Value {
        let answer = self.get(server, path).send().await.unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.json().await.unwrap()
    }

    /// A GET that must answer 200: the page's text.
    pub async fn page(&self, server: &Server, path: &str) -> String {
        let answer = self.get(server, path).send().await.unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.text().await.unwrap()
    }

    /// A state-changing JSON request with the CSRF header.
    pub fn send(
        &self,
        server: &Server,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, server.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
    }

    /// A form post with the CSRF field added.
    pub fn form(
        &self,
        server: &Server,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post(server.url(path)).form(&all)
    }

    /// A form post that must answer 303 (post/redirect/get), then the page
    /// it leads to: (where it led, the page's text).
    pub async fn post_then_get(
        &self,
        server: &Server,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (String, String) {
        let answer = self.form(server, path, fields).send().await.unwrap();
        assert_eq!(answer.status(), 303, "POST {path} should redirect");
        let to = answer.headers()["location"].to_str().unwrap().to_owned();
        let page = self.get(server, &to).send().await.unwrap();
        assert_eq!(page.status(), 200, "GET {to}");
        (to, page.text().await.unwrap())
    }
}

/// Answers to every RDP item at `value`.
pub fn all_rdp(value: i64) -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let map: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(value)))
        .collect();
    Value::Object(map)
}

/// A response with a facet structure: each facet has a person-level latent
/// score, and its items follow it (reverse-keyed ones in reverse).
pub fn structured(rdp: &tandem_core::instrument::Instrument, state: &mut u64) -> Value {
    let mut uniform = || {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut normal = || (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
    let latent: std::collections::BTreeMap<String, f64> = rdp
        .facets
        .iter()
        .map(|f| (f.id.to_string(), normal()))
        .collect();
    let map: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let x = 3.0 + latent[item.facet.as_ref().unwrap().as_str()] + 0.6 * normal();
            let v = x.round().clamp(1.0, 5.0) as i64;
            let v = if item.reverse { 6 - v } else { v };
            (item.id.to_string(), json!(v))
        })
        .collect();
    Value::Object(map)
}

/// The right to act for account `id` in a second handle on a store, got as
/// the app gets it: from a session the store makes (and ends at once).
pub async fn owner_of(store: &Store, id: tandem_store::UserId) -> tandem_store::Owner {
    let session = store.create_session(id, "test", 0).await.unwrap();
    store.end_session(&session.token).await.unwrap();
    session.owner
}
