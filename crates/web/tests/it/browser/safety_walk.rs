//! The safety questions in a real browser: they speak to the person about
//! the other person by name, and no answer comes back after Back, after
//! the quick exit or on returning.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::{EXIT_PREFIX, Walk, profile_choice, run_walk, xpath_literal};

/// The third walk's user.
const CAREFUL: &str = "still.plover";

#[tokio::test(flavor = "multi_thread")]
async fn safety_answers_speak_of_the_person_by_name_and_do_not_come_back() {
    run_walk("safety walk", safety_walk).await;
}

/// The safety questions, one legend each.
async fn legends(w: &Walk) -> Vec<String> {
    let mut all = Vec::new();
    for question in w.questions().await {
        let legend = question.find(Locator::Css("legend")).await.unwrap();
        all.push(legend.text().await.unwrap());
    }
    all
}

/// Clicks, in question `index`, the answer labelled `label`.
async fn pick(w: &Walk, index: usize, label: &str) {
    let questions = w.questions().await;
    let xpath = format!(".//label[normalize-space(.)={}]", xpath_literal(label));
    questions[index]
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|err| panic!("no answer {label:?} in question {index}: {err}"))
        .click()
        .await
        .unwrap();
}

/// Presses Shift three times (each its own key press) and waits until the
/// browser is at the exit site.
async fn quick_exit(w: &Walk) {
    let body = w.client.find(Locator::Css("body")).await.unwrap();
    for _ in 0..3 {
        body.send_keys("\u{e008}").await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = w.client.current_url().await.unwrap();
        if url.as_str().starts_with(EXIT_PREFIX) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "three presses of Shift did not leave for {EXIT_PREFIX}; still at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the browser is back on this site (any page); its path.
async fn back_on_site(w: &Walk) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = w.client.current_url().await.unwrap();
        if url.as_str().starts_with(&w.base) {
            // Let the page finish showing (pageshow) before reading it.
            w.wait_for("//footer", "the page's footer").await;
            return w.path().await;
        }
        assert!(
            Instant::now() < deadline,
            "Back did not return to this site; at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn safety_walk(mut w: Walk) -> Walk {
    let client = w.client.clone();

    // 1. Sign up; the profile's first page names the other person: Sam.
    client.goto(&w.url("/")).await.unwrap();
    w.click_link("Create an account").await;
    w.assert_path("/account/new").await;
    w.create_account(CAREFUL).await;
    w.click_link("Profile").await;
    w.assert_path("/questions/a/1").await;
    w.type_into("Who are these questions about?", "Sam").await;
    // Escape while typing only leaves the field: the text stays, so does
    // the page.
    let field = w.labelled("Who are these questions about?").await;
    field.send_keys("\u{e00c}").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    w.assert_path("/questions/a/1").await;
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("Sam"));
    let focused: serde_json::Value = client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_ne!(
        focused,
        serde_json::json!(field.attr("id").await.unwrap()),
        "Escape left the field"
    );
    let count = w.questions().await.len();
    w.answer(&(0..count).map(profile_choice).collect::<Vec<_>>())
        .await;
    w.click_button("Save and finish later").await;
    w.assert_path("/").await;

    // 2. The safety questions speak to the person, about Sam by name.
    w.click_link("Staying safe").await;
    w.assert_path("/questions/c/1").await;
    let asked = legends(&w).await;
    assert_eq!(
        asked[0], "In the past year, have you been afraid of Sam?",
        "{asked:?}"
    );
    assert!(
        asked
            .iter()
            .all(|q| !q.contains("my partner") && !q.contains("your partner")),
        "no 'my partner' inside a 'you' question: {asked:?}"
    );
    assert!(
        asked
            .iter()
            .any(|q| q.starts_with("In the past year, has Sam ")),
        "{asked:?}"
    );
    assert_eq!(client.title().await.unwrap(), "Tandem");
    w.check_page("safety-sam").await;

    // 3. Some answers — a "Yes", a "Prefer not to say", a "No" — then Finish.
    pick(&w, 0, "Yes").await;
    pick(&w, 1, "Prefer not to say").await;
    pick(&w, 2, "No").await;
    let checked = w.checked().await;
    assert_eq!(
        &checked[..3],
        &[Some(1), Some(2), Some(0)],
        "answers chosen"
    );
    assert!(checked[3..].iter().all(Option::is_none));
    w.click_button("Finish").await;
    w.assert_path("/questions/c/done").await;
    w.wait_for_text("You deserve to be safe").await;
    w.wait_for_text("No answers to these questions are kept in your account.")
        .await;
    w.check_page("safety-help").await;

    // 4. Back: the questions again, with nothing chosen.
    client.back().await.unwrap();
    let path = back_on_site(&w).await;
    assert_eq!(path, "/questions/c/1", "Back returns to the questions");
    let after_back = w.checked().await;
    assert_eq!(after_back.len(), asked.len());
    assert!(
        after_back.iter().all(Option::is_none),
        "no answer comes back on Back: {after_back:?}"
    );

    // 5. Answers chosen but not sent, then the quick exit, Back and return.
    pick(&w, 0, "Yes").await;
    pick(&w, 4, "Prefer not to say").await;
    assert_eq!(w.checked().await[0], Some(1), "chosen before the exit");
    quick_exit(&w).await;
    client.back().await.unwrap();
    let path = back_on_site(&w).await;
    println!("safety walk: Back after the quick exit showed {path}");
    let after_exit_back = w.checked().await;
    assert!(
        after_exit_back.iter().all(Option::is_none),
        "no answer comes back after the quick exit and Back ({path}): {after_exit_back:?}"
    );
    // Leaving ended the session on the server: coming back asks to sign in.
    // Signing in returns to the questions.
    client.goto(&w.url("/questions/c/1")).await.unwrap();
    w.assert_path("/account/signin?next=%2Fquestions%2Fc%2F1")
        .await;
    w.sign_in_to(CAREFUL, "/questions/c/1").await;
    let returned = w.checked().await;
    assert_eq!(returned.len(), asked.len());
    assert!(
        returned.iter().all(Option::is_none),
        "no answer comes back on returning: {returned:?}"
    );
    let keep = client
        .find(Locator::Id("keep-no"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap();
    assert!(keep, "the keep choice is back at 'No'");

    // 6. The guide to warning signs, at a neutral address.
    client.goto(&w.url("/plan")).await.unwrap();
    w.assert_path("/plan").await;
    w.click_link("Signs of control to watch for").await;
    w.assert_path("/guide").await;
    w.wait_for_text("Warning signs to know about").await;
    w.check_page("guide").await;
    w
}
