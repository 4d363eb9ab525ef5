//! A new person's first visit in a real browser: the privacy screen and
//! sign-up, the whole profile page by page, results, a check-in, the support
//! map, the plan, the safety questions, signing out and in again, and the
//! quick exit.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;

use super::{EXIT_PREFIX, Walk, profile_choice, run_walk, xpath_literal};

/// The first walk's user.
const USER: &str = "quiet.heron";

/// A person for the support map: name, role, and (label, level) choices.
type Person = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

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
