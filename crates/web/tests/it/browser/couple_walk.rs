//! Two people, two browsers: each signs up and answers the profile in an
//! order of their own; one makes a code, the other links with it; each sees
//! only what the other shares, a change of sharing shows at once, and when
//! one ends the link the other's comparison is gone on the next request,
//! with nothing said about it.

use fantoccini::Locator;

use super::{Walk, run_pair_walk};

/// This walk's two people.
const ADA: &str = "ada.lark";
const BO: &str = "bo.finch";

#[tokio::test(flavor = "multi_thread")]
async fn two_partners_link_share_compare_and_one_ends_it_quietly() {
    run_pair_walk("couple walk", couple_walk).await;
}

/// Signs up and answers the whole profile, every question at the middle
/// point; returns the first page's item ids, in the order shown.
async fn sign_up_and_answer(w: &mut Walk, user: &str) -> Vec<String> {
    w.client.goto(&w.url("/account/new")).await.unwrap();
    w.create_account(user).await;
    w.client.goto(&w.url("/questions/a")).await.unwrap();
    w.assert_path("/questions/a/1").await;
    let first = w.question_ids().await;
    for page in 1..=8 {
        let count = w.questions().await.len();
        w.answer(&vec![2; count]).await;
        if page == 8 {
            w.click_button("Finish").await;
        } else {
            w.click_button("Save and go on").await;
            w.assert_path(&format!("/questions/a/{}", page + 1)).await;
        }
    }
    w.wait_for_path("/results/{id}", |p| p.starts_with("/results/"))
        .await;
    first
}

/// On the links page: chooses what the partner sees, and saves.
async fn share(w: &Walk, level: &str) {
    w.client.goto(&w.url("/links")).await.unwrap();
    w.labelled(level).await.click().await.unwrap();
    w.submit("Save").await;
    w.assert_path("/links").await;
}

async fn couple_walk(mut ada: Walk, mut bo: Walk) -> (Walk, Walk) {
    let ada_first = sign_up_and_answer(&mut ada, ADA).await;
    let bo_first = sign_up_and_answer(&mut bo, BO).await;
    assert_ne!(
        ada_first, bo_first,
        "each is asked in an order of their own"
    );

    // Ada makes a code; it is shown once.
    ada.client.goto(&ada.url("/links")).await.unwrap();
    ada.check_page("links-start").await;
    ada.click_button("Make a code").await;
    let code = ada
        .wait_for("//p[@class='code']", "the code")
        .await
        .text()
        .await
        .unwrap();
    ada.check_page("links-code").await;

    // Bo links with it.
    bo.client.goto(&bo.url("/links")).await.unwrap();
    bo.type_into("Code", &code).await;
    bo.submit("Link").await;
    bo.assert_path("/links").await;
    bo.wait_for_text("Linked with").await;
    bo.check_page("links-linked").await;

    // Nothing is shared yet: the comparison is not there for either.
    bo.click_link("See the comparison").await;
    let comparison = bo.path().await;
    bo.wait_for_text("Nothing to compare yet").await;
    let id = comparison.trim_start_matches("/links/").to_owned();
    let ada_comparison = format!("/links/{id}");
    ada.client.goto(&ada.url(&ada_comparison)).await.unwrap();
    ada.wait_for_text("Nothing to compare yet").await;

    // Both share the main scores: each sees the other's, and no part.
    share(&ada, "The five main scores").await;
    share(&bo, "The five main scores").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let (index, facet) = (&rdp.indices[0].name, &rdp.facets[0].name);
    ada.client.goto(&ada.url(&ada_comparison)).await.unwrap();
    ada.wait_for_text("What your partner shares with you").await;
    let text = ada.text().await;
    assert!(text.contains(index.as_str()), "{text}");
    assert!(
        !text.contains(facet.as_str()),
        "no part is shared yet: {text}"
    );
    ada.check_page("comparison").await;

    // Bo shares the parts too: Ada sees them on her next request, while
    // Bo still sees only Ada's main scores.
    share(&bo, "The main scores and the twelve parts").await;
    ada.client.refresh().await.unwrap();
    ada.wait_for_text(facet).await;
    bo.client.goto(&bo.url(&comparison)).await.unwrap();
    bo.wait_for_text("What your partner shares with you").await;
    let text = bo.text().await;
    assert!(!text.contains(facet.as_str()), "Ada shares no part: {text}");

    // Bo ends the link. Ada's comparison is gone on her next request, and
    // nothing tells her why.
    bo.client.goto(&bo.url("/links")).await.unwrap();
    bo.submit("End this link").await;
    bo.assert_path("/links").await;
    assert!(!bo.text().await.contains("Linked with"));
    ada.client.refresh().await.unwrap();
    ada.wait_for_text("Nothing to compare yet").await;
    let text = ada.text().await;
    assert!(!text.contains(index.as_str()), "{text}");
    ada.client.goto(&ada.url("/links")).await.unwrap();
    let text = ada.text().await;
    assert!(!text.contains("Linked with"), "{text}");
    for telling in ["ended", "unlinked", "removed", BO] {
        assert!(!text.to_lowercase().contains(telling), "{telling}: {text}");
    }
    assert!(
        ada.client
            .find_all(Locator::XPath("//*[@role='alert']"))
            .await
            .unwrap()
            .is_empty(),
        "no notice"
    );
    (ada, bo)
}
