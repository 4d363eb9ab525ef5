//! Sending a form again changes nothing, in a real browser: Back after
//! finishing the profile, then Finish once more, leads to the same result;
//! reloading after saving an exercise shows one entry, not two.

use fantoccini::Locator;
use serde_json::Value;

use super::{Walk, profile_choice, run_walk};

/// The fourth walk's user.
const TWICE: &str = "steady.dunlin";

#[tokio::test(flavor = "multi_thread")]
async fn back_then_finish_and_a_reload_after_saving_change_nothing() {
    run_walk("repeat walk", repeat_walk).await;
}

/// The person's administrations, read as the browser sees the API.
async fn administrations(w: &Walk) -> Vec<Value> {
    w.client
        .goto(&w.url("/api/v1/administrations"))
        .await
        .unwrap();
    let body = w.client.find(Locator::Css("body")).await.unwrap();
    let text = body.text().await.unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap_or_else(|err| panic!("{err}: {text}"))
        .as_array()
        .unwrap()
        .clone()
}

async fn repeat_walk(mut w: Walk) -> Walk {
    let client = w.client.clone();
    client.goto(&w.url("/account/new")).await.unwrap();
    w.create_account(TWICE).await;

    // The whole profile.
    client.goto(&w.url("/questions/a")).await.unwrap();
    w.assert_path("/questions/a/1").await;
    let mut item = 0;
    for page in 1..=8 {
        let count = w.questions().await.len();
        let choices: Vec<usize> = (item..item + count).map(profile_choice).collect();
        w.answer(&choices).await;
        item += count;
        if page == 8 {
            w.click_button("Finish").await;
        } else {
            w.click_button("Save and go on").await;
            w.assert_path(&format!("/questions/a/{}", page + 1)).await;
        }
    }
    let result = w
        .wait_for_path("/results/{id}", |p| p.starts_with("/results/"))
        .await;
    let before = administrations(&w).await;
    assert_eq!(before.len(), 1, "{before:?}");

    // Back to the results, Back to the last page (from the browser's
    // history), and Finish again.
    client.back().await.unwrap();
    client.back().await.unwrap();
    w.assert_path("/questions/a/8").await;
    w.click_button("Finish").await;
    let again = w
        .wait_for_path("/results/{id}", |p| p.starts_with("/results/"))
        .await;
    assert_eq!(again, result, "Finish again leads to the same result");
    assert_eq!(administrations(&w).await, before, "nothing new was made");
    client.goto(&w.url("/results")).await.unwrap();
    let text = w.text().await;
    assert!(!text.contains("not complete"), "{text}");
    assert!(text.contains("Pattern:"), "{text}");

    // Save a journal entry, then reload the page it leads to.
    client.goto(&w.url("/plan/do/journal")).await.unwrap();
    let words = "a calm evening by the sea 4417";
    w.type_into("Your entry", words).await;
    w.click_button("Save").await;
    w.wait_for_path("/plan/do/journal?notice=saved", |p| {
        p.contains("notice=saved")
    })
    .await;
    client.refresh().await.unwrap();
    w.wait_for_text(words).await;
    assert_eq!(
        w.text().await.matches(words).count(),
        1,
        "one entry after a reload"
    );
    let saved: Value = {
        client
            .goto(&w.url("/api/v1/exercises?kind=journal"))
            .await
            .unwrap();
        let body = client.find(Locator::Css("body")).await.unwrap();
        serde_json::from_str(&body.text().await.unwrap()).unwrap()
    };
    assert_eq!(saved.as_array().unwrap().len(), 1, "{saved}");
    w.pages
        .push("repeat walk: profile twice, journal reload".to_owned());
    w
}
