//! The walk's browser and what it does as a person would: find by labels,
//! links and buttons, answer questions, sign up, in and out; and the checks
//! every distinct page gets.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::xpath_literal;

/// Every walk's password.
pub(super) const PASSWORD: &str = "a kettle sings on the old blue stove";

/// The walk's browser, the server's address and what the checks found.
pub(super) struct Walk {
    pub(super) client: Client,
    pub(super) base: String,
    pub(super) axe: String,
    pub(super) shots: PathBuf,
    /// chromedriver's endpoint for DevTools commands in this session.
    pub(super) cdp: String,
    pub(super) http: reqwest::Client,
    /// Serious or critical axe findings, reported together at the end.
    pub(super) violations: Vec<String>,
    pub(super) pages: Vec<String>,
    /// The store's directory (database, WAL, key file).
    pub(super) data_dir: PathBuf,
}

impl Walk {
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(super) async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits (briefly) until the browser is at `expected`, as after a click
    /// that submits a form and follows its redirect.
    pub(super) async fn assert_path(&self, expected: &str) {
        self.wait_for_path(expected, |path| path == expected).await;
    }

    /// Waits until the path passes `ok`; returns it.
    pub(super) async fn wait_for_path(&self, expected: &str, ok: impl Fn(&str) -> bool) -> String {
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
    pub(super) async fn text(&self) -> String {
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
    pub(super) async fn find(&self, xpath: &str, what: &str) -> Element {
        match self.client.find(Locator::XPath(xpath)).await {
            Ok(element) => element,
            Err(err) => panic!("no {what} on {}: {err}", self.path().await),
        }
    }

    /// Waits (briefly) until the page shows `words`, as after a form post
    /// that answers with a page at the same address.
    pub(super) async fn wait_for_text(&self, words: &str) {
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
    pub(super) async fn wait_for(&self, xpath: &str, what: &str) -> Element {
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
    pub(super) async fn click_link(&self, words: &str) {
        let xpath = format!("//a[normalize-space(.)={}]", xpath_literal(words));
        self.find(&xpath, &format!("link {words:?}"))
            .await
            .click()
            .await
            .unwrap();
    }

    /// A button by its visible words.
    pub(super) async fn click_button(&self, words: &str) {
        self.button(words).await.click().await.unwrap();
    }

    /// A button by its visible words, waiting until the page it leads to
    /// has loaded: for a form that leads back to the same address.
    pub(super) async fn submit(&self, words: &str) {
        self.client
            .execute("window.tandemBeforeSubmit = true", vec![])
            .await
            .unwrap();
        self.click_button(words).await;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let loaded = self
                .client
                .execute("return window.tandemBeforeSubmit === undefined", vec![])
                .await;
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{words:?} did not lead to a new page"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub(super) async fn button(&self, words: &str) -> Element {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(words));
        self.find(&xpath, &format!("button {words:?}")).await
    }

    /// The control a `<label>` with these words names.
    pub(super) async fn labelled(&self, words: &str) -> Element {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(words));
        let label = self.find(&xpath, &format!("label {words:?}")).await;
        let id = label
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("label {words:?} names no control"));
        self.client.find(Locator::Id(&id)).await.unwrap()
    }

    pub(super) async fn type_into(&self, label: &str, text: &str) {
        let field = self.labelled(label).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub(super) async fn choose(&self, label: &str, option: &str) {
        self.labelled(label)
            .await
            .select_by_label(option)
            .await
            .unwrap_or_else(|err| panic!("cannot choose {option:?} for {label:?}: {err}"));
    }

    /// On the sign-up page: creates the account `user`, passes the page
    /// that shows the recovery codes once; lands at home.
    pub(super) async fn create_account(&mut self, user: &str) {
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
    pub(super) async fn sign_in(&self, user: &str) {
        self.sign_in_to(user, "/").await;
    }

    /// On the sign-in page: signs `user` in; lands at `path`, the page the
    /// sign-in page was asked to return to.
    pub(super) async fn sign_in_to(&self, user: &str, path: &str) {
        self.type_into("User name", user).await;
        self.type_into("Password", PASSWORD).await;
        self.click_button("Sign in").await;
        self.assert_path(path).await;
    }

    /// Signs out from any page; lands on the page that says so.
    pub(super) async fn sign_out(&self) {
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
    pub(super) async fn page_count(&self, page: usize) -> usize {
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
    pub(super) async fn question_ids(&self) -> Vec<String> {
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
    pub(super) async fn questions(&self) -> Vec<Element> {
        self.client
            .find_all(Locator::XPath(
                "//form//fieldset[legend and not(normalize-space(legend)='Keep your answers?')]",
            ))
            .await
            .unwrap()
    }

    /// Clicks the label of answer `index` in each question, as a person taps.
    pub(super) async fn answer(&self, choices: &[usize]) {
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
    pub(super) async fn checked(&self) -> Vec<Option<usize>> {
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
    pub(super) async fn check_page(&mut self, step: &str) {
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
    pub(super) async fn cdp(&self, cmd: &str, params: Value) -> Value {
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
    pub(super) async fn screenshot(&self, name: &str) {
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
