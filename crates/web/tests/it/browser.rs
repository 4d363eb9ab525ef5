//! A new person's first visit in a real browser: headless Chromium driven over
//! WebDriver (chromedriver), using only what a person sees — labels, links and
//! buttons. Every distinct page is checked with axe-core (no "serious" or
//! "critical" violation), has the title "Tandem", and is photographed at the
//! default window size and at 360 px wide into `target/screenshots/`.
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` and
//! `target/axe/node_modules/axe-core/axe.min.js`; `scripts/test` installs them.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::Server;

mod repeat_walk;
mod safety_walk;
mod signin_walk;
mod support_map;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = "a kettle sings on the old blue stove";
const USER: &str = "quiet.heron";
/// Where the quick exit goes (`WebConfig::default().exit_url`).
const EXIT_PREFIX: &str = "https://www.bbc.com/";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn axe_path() -> PathBuf {
    workspace_root().join("target/axe/node_modules/axe-core/axe.min.js")
}

/// chromedriver on a free loopback port; killed when dropped.
struct Driver {
    child: tokio::process::Child,
    url: String,
}

impl Driver {
    async fn start() -> Self {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {CHROMEDRIVER}: {err}"));
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(response) = http.get(format!("{url}/status")).send().await
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == json!(true)
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {url}/status within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, url }
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// The walk's browser, the server's address and what the checks found.
struct Walk {
    client: Client,
    base: String,
    axe: String,
    shots: PathBuf,
    /// chromedriver's endpoint for DevTools commands in this session.
    cdp: String,
    http: reqwest::Client,
    /// Serious or critical axe findings, reported together at the end.
    violations: Vec<String>,
    pages: Vec<String>,
    /// The store's directory (database, WAL, key file).
    data_dir: PathBuf,
}

impl Walk {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits (briefly) until the browser is at `expected`, as after a click
    /// that submits a form and follows its redirect.
    async fn assert_path(&self, expected: &str) {
        self.wait_for_path(expected, |path| path == expected).await;
    }

    /// Waits until the path passes `ok`; returns it.
    async fn wait_for_path(&self, expected: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let path = self.path().await;
            if ok(&path) {
                return path;
            }
            if Instant::now() > deadline {
                panic!(
                    "expected to be at {expected}, not {path}; the page says:\n{}",
                    self.text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Text of the whole page, as shown.
    async fn text(&self) -> String {
        // One script call, so no element can go stale while a page loads.
        match self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
        {
            Ok(Value::String(text)) => text,
            _ => String::new(),
        }
    }

    /// The one element at `xpath`, or a failure naming `what` and the page.
    async fn find(&self, xpath: &str, what: &str) -> Element {
        match self.client.find(Locator::XPath(xpath)).await {
            Ok(element) => element,
            Err(err) => panic!("no {what} on {}: {err}", self.path().await),
        }
    }

    /// Waits (briefly) until the page shows `words`, as after a form post
    /// that answers with a page at the same address.
    async fn wait_for_text(&self, words: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = self.text().await;
            if text.contains(words) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected the page to say {words:?}; it says:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits (briefly) for an element at `xpath` to appear.
    async fn wait_for(&self, xpath: &str, what: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Ok(element) = self.client.find(Locator::XPath(xpath)).await {
                return element;
            }
            if Instant::now() > deadline {
                return self.find(xpath, what).await;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// A link by its visible words.
    async fn click_link(&self, words: &str) {
        let xpath = format!("//a[normalize-space(.)={}]", xpath_literal(words));
        self.find(&xpath, &format!("link {words:?}"))
            .await
            .click()
            .await
            .unwrap();
    }

    /// A button by its visible words.
    async fn click_button(&self, words: &str) {
        self.button(words).await.click().await.unwrap();
    }

    async fn button(&self, words: &str) -> Element {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(words));
        self.find(&xpath, &format!("button {words:?}")).await
    }

    /// The control a `<label>` with these words names.
    async fn labelled(&self, words: &str) -> Element {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(words));
        let label = self.find(&xpath, &format!("label {words:?}")).await;
        let id = label
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("label {words:?} names no control"));
        self.client.find(Locator::Id(&id)).await.unwrap()
    }

    async fn type_into(&self, label: &str, text: &str) {
        let field = self.labelled(label).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn choose(&self, label: &str, option: &str) {
        self.labelled(label)
            .await
            .select_by_label(option)
            .await
            .unwrap_or_else(|err| panic!("cannot choose {option:?} for {label:?}: {err}"));
    }

    /// On the sign-up page: creates the account `user`, passes the page
    /// that shows the recovery codes once; lands at home.
    async fn create_account(&mut self, user: &str) {
        self.type_into("User name", user).await;
        self.type_into("Password", PASSWORD).await;
        self.type_into("Password again", PASSWORD).await;
        self.click_button("Create account").await;
        self.wait_for_text("Your recovery codes").await;
        self.check_page("recovery-codes").await;
        self.click_button("I have kept them safe").await;
        self.assert_path("/").await;
    }

    /// On the sign-in page: signs `user` in; lands at home.
    async fn sign_in(&self, user: &str) {
        self.sign_in_to(user, "/").await;
    }

    /// On the sign-in page: signs `user` in; lands at `path`, the page the
    /// sign-in page was asked to return to.
    async fn sign_in_to(&self, user: &str, path: &str) {
        self.type_into("User name", user).await;
        self.type_into("Password", PASSWORD).await;
        self.click_button("Sign in").await;
        self.assert_path(path).await;
    }

    /// Signs out from any page; lands on the page that says so.
    async fn sign_out(&self) {
        self.click_button("Sign out").await;
        self.assert_path("/account/signed-out").await;
        self.wait_for_text("You have signed out").await;
        assert!(
            self.client
                .find_all(Locator::XPath("//button[normalize-space(.)='Sign out']"))
                .await
                .unwrap()
                .is_empty(),
            "signed out"
        );
    }

    /// "Page N of M" on a questions page, checked against `page`; M.
    async fn page_count(&self, page: usize) -> usize {
        let text = self.text().await;
        let pages = text
            .split("Page ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().nth(2))
            .and_then(|n| n.parse::<usize>().ok())
            .expect("a progress line 'Page N of M'");
        assert!(text.contains(&format!("Page {page} of {pages}")), "{text}");
        pages
    }

    /// The item id of each question on a questions page: the name its
    /// answers share.
    async fn question_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for question in self.questions().await {
            let radio = question
                .find(Locator::Css("input[type=radio]"))
                .await
                .unwrap();
            ids.push(radio.attr("name").await.unwrap().expect("a radio's name"));
        }
        ids
    }

    /// The question groups on a questions page (not the "keep" choice).
    async fn questions(&self) -> Vec<Element> {
        self.client
            .find_all(Locator::XPath(
                "//form//fieldset[legend and not(normalize-space(legend)='Keep your answers?')]",
            ))
            .await
            .unwrap()
    }

    /// Clicks the label of answer `index` in each question, as a person taps.
    async fn answer(&self, choices: &[usize]) {
        let questions = self.questions().await;
        assert_eq!(
            questions.len(),
            choices.len(),
            "questions on {}",
            self.path().await
        );
        for (question, &index) in questions.iter().zip(choices) {
            let labels = question
                .find_all(Locator::Css(".choice label"))
                .await
                .unwrap();
            labels[index].click().await.unwrap();
        }
    }

    /// Which answer (by position) is checked in each question.
    async fn checked(&self) -> Vec<Option<usize>> {
        let mut all = Vec::new();
        for question in self.questions().await {
            let radios = question
                .find_all(Locator::Css("input[type=radio]"))
                .await
                .unwrap();
            let mut found = None;
            for (i, radio) in radios.iter().enumerate() {
                if radio.is_selected().await.unwrap() {
                    found = Some(i);
                }
            }
            all.push(found);
        }
        all
    }

    /// The checks every distinct page gets: title, axe, two screenshots.
    async fn check_page(&mut self, step: &str) {
        let title = self.client.title().await.unwrap();
        let path = self.path().await;
        assert_eq!(title, "Tandem", "title of {step} ({path})");
        self.run_axe(step, &path).await;
        self.screenshot(step).await;
        let (width, height) = self.client.get_window_size().await.unwrap();
        self.client.set_window_size(360, 800).await.unwrap();
        let inner: Value = self
            .client
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap();
        assert_eq!(inner, json!(360), "viewport width after resizing to 360");
        // Reflow (WCAG 1.4.10): nothing may stick out sideways at 360 px.
        let overflow: Value = self
            .client
            .execute(
                "var width = document.documentElement.clientWidth; \
                 if (document.documentElement.scrollWidth <= width) { return []; } \
                 return Array.from(document.querySelectorAll('body *')) \
                   .filter(e => e.getBoundingClientRect().right > width + 1) \
                   .slice(0, 5) \
                   .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') \
                     + (e.className && typeof e.className === 'string' ? '.' + e.className : '') \
                     + ' \"' + e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40) + '\"' \
                     + ' right=' + Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .unwrap();
        // Chart text as drawn on screen: its font size scaled by the SVG's
        // own scale (a computed font-size ignores the viewBox).
        let smallest: Value = self
            .client
            .execute(
                "var sizes = Array.from(document.querySelectorAll('.chart svg text')) \
                   .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a); \
                 return sizes.length ? Math.min.apply(null, sizes) : null;",
                vec![],
            )
            .await
            .unwrap();
        // No chart text cut off by the edge of its picture.
        let clipped: Value = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('.chart svg text')).filter(t => { \
                   var box = t.getBoundingClientRect(), svg = t.ownerSVGElement.getBoundingClientRect(); \
                   return box.left < svg.left - 1 || box.right > svg.right + 1 \
                     || box.top < svg.top - 1 || box.bottom > svg.bottom + 1; \
                 }).map(t => t.textContent.trim());",
                vec![],
            )
            .await
            .unwrap();
        self.screenshot(&format!("{step}-360")).await;
        assert_eq!(overflow, json!([]), "{step} scrolls sideways at 360 px");
        assert_eq!(clipped, json!([]), "{step}: chart text cut off at 360 px");
        if let Some(px) = smallest.as_f64() {
            println!("{step}: smallest chart text at 360 px: {px:.1} CSS px");
            assert!(px >= 14.0, "{step}: chart text of {px:.1} CSS px at 360 px");
        }
        self.client
            .set_window_size(
                u32::try_from(width).unwrap(),
                u32::try_from(height).unwrap(),
            )
            .await
            .unwrap();
        self.pages.push(format!("{step} ({path})"));
    }

    async fn run_axe(&mut self, step: &str, path: &str) {
        let loaded = self
            .client
            .execute(&format!("{}; return 1", self.axe), vec![])
            .await
            .unwrap();
        assert_eq!(loaded, json!(1), "axe-core did not load on {step}");
        let found = self
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1]; \
                 axe.run(document).then(function (r) { \
                   done(JSON.stringify({ violations: r.violations, passes: r.passes.length, \
                     review: r.incomplete.map(function (i) { return i.id + ' x' + i.nodes.length; }) })); }, \
                 function (e) { done(JSON.stringify({ error: String(e) })); });",
                vec![],
            )
            .await
            .unwrap();
        let found: Value = serde_json::from_str(found.as_str().unwrap()).unwrap();
        assert!(
            found.get("error").is_none(),
            "axe failed on {step}: {found}"
        );
        assert!(
            found["passes"].as_u64().unwrap_or(0) > 0,
            "axe checked nothing on {step}: {found}"
        );
        if let Some(review) = found["review"].as_array().filter(|r| !r.is_empty()) {
            println!("axe: {step}: for a person to review: {review:?}");
        }
        for violation in found["violations"].as_array().unwrap() {
            let impact = violation["impact"].as_str().unwrap_or("unknown");
            let line = format!(
                "{step} ({path}): [{impact}] {}: {} — first node {}",
                violation["id"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or("?"),
                violation["nodes"][0]["target"]
            );
            println!("axe: {line}");
            if impact == "serious" || impact == "critical" {
                self.violations.push(line);
            }
        }
    }

    /// A DevTools command through chromedriver; its result.
    async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let response = self
            .http
            .post(&self.cdp)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status.is_success(), "{cmd}: {status} {body}");
        body["value"].clone()
    }

    /// The whole page (not just the window) at the current width, as PNG.
    async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {
                        "x": 0, "y": 0, "scale": 1,
                        "width": size["width"], "height": size["height"],
                    },
                }),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

/// An XPath string literal for any text (quotes included).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// A person for the support map: name, role, and (label, level) choices.
type Person = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Answer positions for the profile: varied by item, so the profile is not
/// all one value.
fn profile_choice(item: usize) -> usize {
    [3, 4, 2, 4, 1, 3, 4, 0, 2, 3, 4, 1][item % 12]
}

/// Starts chromedriver, Chromium and a fresh server; runs `walk` in its own
/// task so that, pass or fail, the browser and chromedriver are shut down;
/// then reports the pages checked and fails on any serious or critical axe
/// finding.
async fn run_walk<F, Fut>(name: &str, walk: F)
where
    F: FnOnce(Walk) -> Fut,
    Fut: Future<Output = Walk> + Send + 'static,
{
    let started = Instant::now();
    for (what, path) in [
        ("Chromium", PathBuf::from(CHROMIUM)),
        ("chromedriver", PathBuf::from(CHROMEDRIVER)),
        ("axe-core", axe_path()),
    ] {
        assert!(
            path.exists(),
            "{what} is missing ({}): run scripts/test, which installs it",
            path.display()
        );
    }
    let axe = std::fs::read_to_string(axe_path()).unwrap();
    let shots = workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                // Overlay-like: the page gets the full width, as on a phone.
                "--hide-scrollbars",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|err| panic!("cannot open a Chromium session: {err}"));
    let server = Server::start().await;
    let w = Walk {
        client: client.clone(),
        base: server.origin(),
        axe,
        shots,
        cdp: format!(
            "{}/session/{}/goog/cdp/execute",
            driver.url,
            client.session_id().await.unwrap().unwrap()
        ),
        http: reqwest::Client::new(),
        violations: Vec::new(),
        pages: Vec::new(),
        data_dir: server.data_dir().to_owned(),
    };
    let outcome = tokio::spawn(walk(w)).await;
    let _ = client.close().await;
    driver.stop().await;
    drop(server);
    match outcome {
        Ok(w) => {
            println!(
                "{name}: {} pages checked in {:.1} s:\n  {}",
                w.pages.len(),
                started.elapsed().as_secs_f64(),
                w.pages.join("\n  ")
            );
            assert!(
                w.violations.is_empty(),
                "axe found serious or critical problems:\n{}",
                w.violations.join("\n")
            );
        }
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => panic!("{name} did not finish: {err}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_person_walks_through_the_app_in_a_real_browser() {
    run_walk("browser walk", walk_through).await;
}

async fn walk_through(mut w: Walk) -> Walk {
    let client = w.client.clone();

    // 1. The first visit lands on the privacy screen; create an account.
    client.goto(&w.url("/")).await.unwrap();
    w.assert_path("/welcome").await;
    w.wait_for_text("Before you start: your privacy").await;
    w.check_page("welcome").await;
    w.click_link("Create an account").await;
    w.assert_path("/account/new").await;
    w.check_page("signup").await;
    w.create_account(USER).await;
    assert!(
        w.text()
            .await
            .contains("You have not finished the profile yet")
    );
    w.check_page("home-new").await;

    // 2. The profile, page by page; one step back on page 3.
    w.click_link("Profile").await;
    w.assert_path("/questions/a/1").await;
    let mut item = 0;
    let mut page = 1;
    loop {
        let pages = w.page_count(page).await;
        assert_eq!(pages, 8, "the profile has 8 pages");
        w.check_page(&format!("profile-{page}")).await;
        let count = w.questions().await.len();
        let choices: Vec<usize> = (item..item + count).map(profile_choice).collect();
        w.answer(&choices).await;
        if page == 3 {
            // Back: page 2 still shows its answers, and page 3 kept its own.
            w.click_button("Save and go back").await;
            w.assert_path("/questions/a/2").await;
            let earlier: Vec<Option<usize>> =
                (item - 6..item).map(|i| Some(profile_choice(i))).collect();
            assert_eq!(w.checked().await, earlier, "page 2 after going back");
            w.click_button("Save and go on").await;
            w.assert_path("/questions/a/3").await;
            let these: Vec<Option<usize>> = choices.iter().map(|c| Some(*c)).collect();
            assert_eq!(w.checked().await, these, "page 3 after going back and on");
        }
        item += count;
        if page == pages {
            w.click_button("Finish").await;
            break;
        }
        w.click_button("Save and go on").await;
        page += 1;
        w.assert_path(&format!("/questions/a/{page}")).await;
    }
    assert_eq!(item, 48, "every profile question was shown once");

    // 3. Results: words first, then the chart and the facet table.
    w.wait_for_path("/results/{id}", |p| p.starts_with("/results/"))
        .await;
    let pattern = client
        .find(Locator::XPath(
            "//h2[starts-with(normalize-space(.), 'Pattern:')]",
        ))
        .await
        .expect("a 'Pattern:' heading")
        .text()
        .await
        .unwrap();
    client
        .find(Locator::Css("main figure svg"))
        .await
        .expect("the facet chart");
    let facet_rows = client
        .find_all(Locator::XPath(
            "//table[caption[starts-with(normalize-space(.), 'Scores for each part')]]/tbody/tr",
        ))
        .await
        .unwrap();
    assert!(
        facet_rows.len() >= 4,
        "facet table rows: {}",
        facet_rows.len()
    );
    w.check_page("results").await;

    // 4. A check-in, with a note.
    w.click_link("Check-in").await;
    w.assert_path("/questions/b/1").await;
    w.check_page("checkin").await;
    assert!(
        !w.text().await.contains("Page 1 of"),
        "the check-in is one page, with no progress line"
    );
    // The last scale question is the safety item: "Strongly disagree".
    w.answer(&[3, 2, 4, 1, 3, 0]).await;
    let note = client
        .find(Locator::XPath(
            "//label[contains(., 'anything from this week')]",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    w.type_into(&note, "We cooked together on Sunday.").await;
    w.click_button("Finish").await;
    // The answer page reads the check-in back, note included; no help is
    // shown for a week without fear.
    w.assert_path("/questions/b/done").await;
    w.wait_for_text("Thank you for checking in").await;
    w.wait_for_text("We cooked together on Sunday.").await;
    assert!(!w.text().await.contains("You deserve to be safe"));
    w.check_page("checkin-done").await;
    w.click_link("Home").await;
    w.assert_path("/").await;
    w.wait_for_text("Your last check-in was on").await;
    w.wait_for_text("We cooked together on Sunday.").await;
    w.check_page("home").await;

    // 5. The support map: three people.
    w.click_link("People").await;
    w.assert_path("/people").await;
    w.check_page("people-empty").await;
    let people: [Person; 3] = [
        (
            "Robin",
            "Partner",
            &[
                ("You lean on them for emotional support", "4 — a great deal"),
                ("You lean on them for feeling valued", "4 — a great deal"),
                ("You lean on them for help with decisions", "3 — a lot"),
                ("They lean on you for emotional support", "2 — some"),
                ("You lean on them for company and social life", "2 — some"),
            ],
        ),
        (
            "Kit",
            "Friend",
            &[
                ("You lean on them for emotional support", "1 — a little"),
                ("You lean on them for company and social life", "3 — a lot"),
                ("They lean on you for company and social life", "3 — a lot"),
            ],
        ),
        (
            "Mum",
            "Family",
            &[
                ("You lean on them for practical help", "3 — a lot"),
                ("You lean on them for help with money", "2 — some"),
                ("They lean on you for practical help", "1 — a little"),
            ],
        ),
    ];
    for (name, role, levels) in people {
        w.type_into("Name or nickname", name).await;
        w.choose("Who they are to you", role).await;
        for (label, level) in levels {
            w.choose(label, level).await;
        }
        w.click_button("Add person").await;
        w.assert_path("/people").await;
        let row = format!(
            "//table//th[@scope='row'][normalize-space(.)={}]",
            xpath_literal(name)
        );
        w.wait_for(&row, &format!("a row for {name} on the map"))
            .await;
    }
    let flags = client
        .find_all(Locator::XPath(
            "//h2[normalize-space(.)='Worth a look']/following-sibling::ul[1]/li",
        ))
        .await
        .unwrap();
    assert!(!flags.is_empty(), "the 'Worth a look' list has flags");
    let mut flag_text = Vec::new();
    for flag in &flags {
        flag_text.push(flag.text().await.unwrap());
    }
    assert!(
        flag_text
            .iter()
            .any(|f| f.contains("your partner carries") && f.contains("feeling valued")),
        "a flag about the partner and feeling valued: {flag_text:?}"
    );
    client
        .find(Locator::Css("main figure svg"))
        .await
        .expect("the support picture");
    w.check_page("people").await;

    // The plan that the profile filled in, one exercise, the printable report.
    w.click_link("Plan").await;
    w.assert_path("/plan").await;
    w.wait_for_text("Your plan").await;
    w.check_page("plan").await;
    let exercise = w
        .find(
            "//h2[normalize-space(.)='Your notes and exercises']/following-sibling::ul[1]/li[1]/a",
            "a link to an exercise",
        )
        .await;
    exercise.click().await.unwrap();
    w.wait_for_path("/plan/do/{kind}", |p| p.starts_with("/plan/do/"))
        .await;
    w.check_page("exercise").await;
    w.click_link("Results").await;
    w.assert_path("/results").await;
    w.click_link("Open a printable report").await;
    w.assert_path("/report").await;
    w.wait_for_text(&pattern).await;
    w.check_page("report").await;
    client.goto(&w.url("/")).await.unwrap();
    w.assert_path("/").await;

    // The safety questions and their answer page; settings.
    w.click_link("Staying safe").await;
    w.assert_path("/questions/c/1").await;
    w.check_page("safety").await;
    let count = w.questions().await.len();
    w.answer(&vec![0; count]).await;
    w.click_button("Finish").await;
    w.wait_for_text("Thank you for answering").await;
    w.check_page("safety-done").await;
    w.click_link("Settings").await;
    w.assert_path("/account").await;
    w.check_page("settings").await;

    // 6. Sign out and in again: the results are still there.
    w.sign_out().await;
    client.goto(&w.url("/results")).await.unwrap();
    assert_ne!(
        w.path().await,
        "/results",
        "results are not shown signed out"
    );
    client.goto(&w.url("/welcome")).await.unwrap();
    w.click_link("Sign in").await;
    w.assert_path("/account/signin").await;
    w.check_page("signin").await;
    w.sign_in(USER).await;
    w.click_link("Results").await;
    w.assert_path("/results").await;
    let again = client
        .find(Locator::XPath(
            "//h2[starts-with(normalize-space(.), 'Pattern:')]",
        ))
        .await
        .expect("a 'Pattern:' heading after signing in again")
        .text()
        .await
        .unwrap();
    assert_eq!(again, pattern, "the same pattern after signing in again");

    // 8. Quick exit: Escape leaves for the exit site and replaces this page.
    let before: Value = client
        .execute("return history.length", vec![])
        .await
        .unwrap();
    // Chromium keeps at most 50 entries; below that, a new entry would show.
    assert!(before.as_u64().unwrap() < 50, "history is full: {before}");
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{e00c}")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let left = loop {
        let url = client.current_url().await.unwrap();
        if url.as_str().starts_with(EXIT_PREFIX) {
            break url;
        }
        assert!(
            Instant::now() < deadline,
            "Escape did not leave for {EXIT_PREFIX}; still at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let after: Value = client
        .execute("return history.length", vec![])
        .await
        .unwrap();
    println!("quick exit went to {left} (history length {before} before, {after} after)");
    assert_eq!(after, before, "the quick exit replaced the page in history");
    // It signed out on the way: the account's pages ask to sign in again.
    client.goto(&w.url("/account")).await.unwrap();
    w.assert_path("/account/signin?next=%2Faccount").await;
    w
}

/// The second walk's user.
const PLANNER: &str = "steady.wren";
/// What the second walk writes into the exercises: a label and a text no
/// other part of the app could produce, so finding it means finding this.
const NEEDS: [(&str, &str); 4] = [
    ("What I feel", "needs-feel-4821"),
    ("When this happens", "needs-when-4822"),
    ("What I need", "needs-need-4823"),
    ("What I ask for", "needs-ask-4824"),
];
const BOUNDARY: [(&str, &str); 4] = [
    ("My limit", "boundary-limit-5931"),
    ("Why it matters to me", "boundary-why-5932"),
    ("How I will say it", "boundary-say-5933"),
    ("What I will do if it is crossed", "boundary-crossed-5934"),
];
const OWN_LIFE: [(&str, &str); 3] = [
    ("What I want to do", "ownlife-what-6041"),
    ("When each week", "ownlife-when-6042"),
    ("Who with", "ownlife-who-6043"),
];
/// How the plan words a high over-dependence facet or index.
const OVER_DEPENDENCE_REASONS: [&str; 5] = [
    "Emotional reliance is high",
    "Validation & self-worth is high",
    "Decision deference is high",
    "Fear of being alone is high",
    "Over-dependence is high",
];

/// The answer position (0 = "Strongly disagree" … 4 = "Strongly agree") for
/// RDP item `id` that scores high on over-dependence (ER, VS, DD, FA), low
/// on autonomy (AU) and near the middle on the rest, reverse keying included.
fn leaning_choice(id: &str) -> usize {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let item = rdp
        .items
        .iter()
        .find(|i| i.id.to_string() == id)
        .unwrap_or_else(|| panic!("{id} is not an RDP item"));
    // The rest lean gently one way or the other (not all in the middle,
    // which the quality checks would rightly question).
    let level = match item.facet.as_ref().unwrap().as_str() {
        "ER" | "VS" | "DD" | "FA" => 5,
        "AU" => 1,
        "CT" | "SN" | "DT" => 2,
        _ => 4,
    };
    let value = if item.reverse {
        rdp.scale.mirror(level)
    } else {
        level
    };
    usize::try_from(value - 1).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_leaning_hard_works_on_their_plan_in_a_real_browser() {
    run_walk("plan walk", plan_walk).await;
}

/// Opens an exercise from the plan's list and fills its boxes.
async fn fill_exercise(w: &Walk, title: &str, slug: &str, fields: &[(&str, &str)]) {
    w.click_link("Plan").await;
    w.assert_path("/plan").await;
    w.click_link(title).await;
    w.assert_path(&format!("/plan/do/{slug}")).await;
    w.wait_for(
        &format!("//h1[normalize-space(.)={}]", xpath_literal(title)),
        &format!("the heading {title:?}"),
    )
    .await;
    for (label, text) in fields {
        w.type_into(label, text).await;
    }
}

/// After "Save" (post/redirect/get): the notice, and every text under
/// "Saved".
async fn assert_saved(w: &Walk, slug: &str, fields: &[(&str, &str)]) {
    w.assert_path(&format!("/plan/do/{slug}?notice=saved"))
        .await;
    w.wait_for_text("Saved.").await;
    assert_entry(w, fields).await;
}

/// The saved entry shows each label with its text.
async fn assert_entry(w: &Walk, fields: &[(&str, &str)]) {
    for (label, text) in fields {
        w.find(
            &format!(
                "//h2[normalize-space(.)='Saved']/following-sibling::section\
                 //dt[normalize-space(.)={}]/following-sibling::dd[1][normalize-space(.)={}]",
                xpath_literal(label),
                xpath_literal(text)
            ),
            &format!("a saved {label:?} of {text:?}"),
        )
        .await;
    }
}

async fn plan_walk(mut w: Walk) -> Walk {
    let client = w.client.clone();

    // 1. Sign up, then the whole profile, leaning hard on the other person.
    client.goto(&w.url("/")).await.unwrap();
    w.assert_path("/welcome").await;
    w.click_link("Create an account").await;
    w.assert_path("/account/new").await;
    w.create_account(PLANNER).await;
    w.click_link("Profile").await;
    w.assert_path("/questions/a/1").await;
    let mut answered = 0;
    let mut page = 1;
    loop {
        let pages = w.page_count(page).await;
        assert_eq!(pages, 8, "the profile has 8 pages");
        let choices: Vec<usize> = w
            .question_ids()
            .await
            .iter()
            .map(|id| leaning_choice(id))
            .collect();
        w.answer(&choices).await;
        answered += choices.len();
        if page == pages {
            w.click_button("Finish").await;
            break;
        }
        w.click_button("Save and go on").await;
        page += 1;
        w.assert_path(&format!("/questions/a/{page}")).await;
    }
    assert_eq!(answered, 48, "every profile question was answered");
    w.wait_for_path("/results/{id}", |p| p.starts_with("/results/"))
        .await;

    // 2. The plan: its first item is about over-dependence.
    w.click_link("Plan").await;
    w.assert_path("/plan").await;
    w.wait_for_text("Your plan").await;
    let first = w
        .find(
            "(//main/section[contains(@class, 'plan-item')])[1]/h2/following-sibling::p[1]",
            "the first plan item's reasons",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        OVER_DEPENDENCE_REASONS.iter().any(|r| first.contains(r)),
        "the first plan item is about over-dependence: {first:?}"
    );
    // Three ideas to start with; the rest are folded away for later.
    let current = client
        .find_all(Locator::XPath(
            "//main/section[contains(@class, 'plan-item')]",
        ))
        .await
        .unwrap();
    assert_eq!(current.len(), 3, "three current ideas");
    let summary = w
        .find("//main/details/summary", "the folded ideas for later")
        .await;
    let folded = client
        .find_all(Locator::XPath(
            "//main/details//section[contains(@class, 'plan-item')]",
        ))
        .await
        .unwrap();
    assert!(!folded.is_empty(), "ideas for later");
    assert!(!folded[0].is_displayed().await.unwrap(), "folded at first");
    summary.click().await.unwrap();
    assert!(folded[0].is_displayed().await.unwrap(), "unfolded on a tap");
    let text = w.text().await;
    assert!(
        text.contains("Autonomy & own life is low"),
        "a plan item for low autonomy:\n{text}"
    );
    w.check_page("plan-leaning").await;

    // 3a. A needs statement: preview, then save.
    fill_exercise(&w, "Say what you need", "needs-statement", &NEEDS).await;
    w.check_page("needs-statement").await;
    w.click_button("Preview").await;
    let sentence = format!(
        "I feel {} when {}. I need {}. Would you {}?",
        NEEDS[0].1, NEEDS[1].1, NEEDS[2].1, NEEDS[3].1
    );
    w.wait_for_text(&format!("How it could sound: {sentence}"))
        .await;
    w.check_page("needs-statement-preview").await;
    w.click_button("Save").await;
    assert_saved(&w, "needs-statement", &NEEDS).await;
    w.wait_for_text(&format!("How it could sound: {sentence}"))
        .await;
    w.check_page("needs-statement-saved").await;

    // 3b. A boundary plan.
    fill_exercise(&w, "Plan a boundary", "boundary-plan", &BOUNDARY).await;
    w.check_page("boundary-plan").await;
    w.click_button("Save").await;
    assert_saved(&w, "boundary-plan", &BOUNDARY).await;
    w.check_page("boundary-plan-saved").await;

    // 3c. Time for one's own life, and this week ticked.
    fill_exercise(&w, "Time for your own life", "own-life", &OWN_LIFE).await;
    w.check_page("own-life").await;
    w.click_button("Save").await;
    assert_saved(&w, "own-life", &OWN_LIFE).await;
    w.wait_for_text("Not ticked this week yet. Weeks ticked: 0.")
        .await;
    w.check_page("own-life-saved").await;
    w.click_button("I made time this week").await;
    w.assert_path("/plan/do/own-life").await;
    w.wait_for_text("You made time for this this week. Weeks ticked: 1.")
        .await;
    w.button("Untick this week").await;
    w.check_page("own-life-ticked").await;

    // 4. Sign out and in again: all three are still there.
    w.sign_out().await;
    w.click_link("Sign in again").await;
    w.assert_path("/account/signin").await;
    w.sign_in(PLANNER).await;
    w.click_link("Plan").await;
    w.assert_path("/plan").await;
    for (title, count) in [
        ("Say what you need", 1),
        ("Plan a boundary", 1),
        ("Time for your own life", 1),
    ] {
        w.wait_for_text(&format!("{title} ({count} saved)")).await;
    }
    w.click_link("Say what you need").await;
    w.assert_path("/plan/do/needs-statement").await;
    assert_entry(&w, &NEEDS).await;
    w.wait_for_text(&format!("How it could sound: {sentence}"))
        .await;
    w.click_link("Back to your plan").await;
    w.assert_path("/plan").await;
    w.click_link("Plan a boundary").await;
    w.assert_path("/plan/do/boundary-plan").await;
    assert_entry(&w, &BOUNDARY).await;
    w.click_link("Back to your plan").await;
    w.assert_path("/plan").await;
    w.click_link("Time for your own life").await;
    w.assert_path("/plan/do/own-life").await;
    assert_entry(&w, &OWN_LIFE).await;
    w.wait_for_text("You made time for this this week. Weeks ticked: 1.")
        .await;

    // 5. None of the free text is in the store's files in plain form.
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&w.data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.push(path);
        }
    }
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["tandem.db", "secret.key"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in the store: {names:?}"
        );
    }
    let contains = |bytes: &[u8], text: &str| {
        bytes
            .windows(text.len())
            .any(|window| window == text.as_bytes())
    };
    let mut bytes_read = 0;
    // The user name is kept in plain form: the search does find plain text.
    let mut name_found = false;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        bytes_read += bytes.len();
        name_found |= contains(&bytes, PLANNER);
        for (_, text) in NEEDS.iter().chain(&BOUNDARY).chain(&OWN_LIFE) {
            assert!(
                !contains(&bytes, text),
                "{text:?} is in plain form in {}",
                path.display()
            );
        }
    }
    assert!(name_found, "the user name {PLANNER:?} in the store's files");
    println!("plan walk: no free text in plain form in {names:?} ({bytes_read} bytes)");
    w
}
