//! A person leaning hard works on their plan in a real browser: the profile,
//! the plan it fills in, three exercises saved and found again after signing
//! in again, and none of the free text in the store's files in plain form.

use fantoccini::Locator;

use super::{Walk, run_walk, xpath_literal};

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
