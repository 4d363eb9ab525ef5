//! Signing in and out in a real browser: a page asked for while signed out
//! is where sign-in lands, the time zone starts at the browser's own until
//! the person chooses one, and signing out shows a page that says so.

use fantoccini::Locator;
use serde_json::json;

use super::{Walk, run_walk};

/// This walk's user.
const RETURNING: &str = "brisk.wren";

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_returns_to_the_page_asked_for_and_times_follow_the_browser() {
    run_walk("sign-in walk", signin_walk).await;
}

/// The time zone list's current value and whether the "we picked" hint shows.
async fn time_zone_field(w: &Walk) -> (String, bool) {
    let field = w.labelled("Time zone").await;
    let value = field.prop("value").await.unwrap().unwrap_or_default();
    let hint = w
        .client
        .find(Locator::Id("time-zone-found"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap();
    (value, hint)
}

async fn signin_walk(mut w: Walk) -> Walk {
    let client = w.client.clone();
    // The browser says it is in Tokyo.
    w.cdp(
        "Emulation.setTimezoneOverride",
        json!({ "timezoneId": "Asia/Tokyo" }),
    )
    .await;

    // 1. An account, then sign out: the page says so, in the frame.
    client.goto(&w.url("/account/new")).await.unwrap();
    w.create_account(RETURNING).await;
    w.sign_out().await;
    w.find("//a[@id='quick-exit']", "the quick exit").await;
    w.check_page("signed-out").await;

    // 2. The plan, asked for signed out: sign in, and land on the plan.
    client.goto(&w.url("/plan")).await.unwrap();
    w.assert_path("/account/signin?next=%2Fplan").await;
    w.check_page("sign-in-to-plan").await;
    w.sign_in_to(RETURNING, "/plan").await;

    // 3. Settings: the time zone starts at the browser's, with a note that
    // it was picked; saving keeps it.
    w.click_link("Settings").await;
    w.assert_path("/account").await;
    assert_eq!(time_zone_field(&w).await, ("Asia/Tokyo".to_owned(), true));
    w.check_page("settings-time-zone").await;
    w.click_button("Save my time zone").await;
    w.assert_path("/account?notice=time-zone").await;
    w.wait_for_text("Your time zone is saved.").await;
    w.wait_for_text("It is now Asia/Tokyo.").await;

    // 4. Once chosen, a browser elsewhere does not change the list.
    w.cdp(
        "Emulation.setTimezoneOverride",
        json!({ "timezoneId": "Europe/London" }),
    )
    .await;
    client.goto(&w.url("/account")).await.unwrap();
    assert_eq!(time_zone_field(&w).await, ("Asia/Tokyo".to_owned(), false));

    // 5. Sign out from there: the signed-out page again, and the account
    // is closed to this browser.
    w.sign_out().await;
    client.goto(&w.url("/account")).await.unwrap();
    w.assert_path("/account/signin?next=%2Faccount").await;
    w
}
