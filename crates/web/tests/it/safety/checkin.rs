//! The check-in's safety item: an afraid answer brings help at once and the
//! safety check again, and never moves the pulse.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::builtin_by_id;

use super::{PLAN_OFFER, every_item, screen, store_of, text};
use crate::common::Server;

/// The check-in answer page's offer of the safety check.
const OFFER_AFTER_CHECKIN: &str = "Answer a few private questions about staying safe";

#[tokio::test(flavor = "multi_thread")]
async fn a_check_in_afraid_brings_help_and_leaves_the_pulse_alone() {
    let server = Server::start().await;
    let user = server.user("razorbill").await;
    let checkin = builtin_by_id("checkin").unwrap().unwrap();
    // A clear screen first, so that only the check-in can bring the offer back.
    screen(&user, &server, every_item(json!(0)), true).await;
    assert!(!text(&user, &server, "/plan").await.contains(PLAN_OFFER));
    for afraid in [1, 5] {
        // The page: one page, then the answer page reads it back.
        let fields = [
            ("go", "next"),
            ("about", "my partner"),
            ("CI1", "4"),
            ("CI7", "2"),
            ("CI8", "3"),
            ("CI9", "4"),
            ("CI10", "4"),
            ("CI11", if afraid == 5 { "5" } else { "1" }),
            ("CI6", "A quiet week with walks"),
        ];
        let posted = user
            .form(&server, "/questions/b/1", &fields)
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 303);
        assert_eq!(posted.headers()["location"], "/questions/b/done");
        let page = text(&user, &server, "/questions/b/done").await;
        assert!(
            page.contains("A quiet week with walks"),
            "the note is shown back"
        );
        assert_eq!(
            page.contains("You deserve to be safe"),
            afraid == 5,
            "help at once when afraid: {page}"
        );
        assert_eq!(page.contains(OFFER_AFTER_CHECKIN), afraid == 5);
        let home = text(&user, &server, "/").await;
        assert!(home.contains("A quiet week with walks"));
        // The API says the same.
        let api = user
            .send(
                &server,
                Method::POST,
                "/api/v1/checkins",
                json!({ "answers": { "CI1": 4, "CI7": 2, "CI8": 3, "CI9": 4, "CI10": 4, "CI11": afraid } }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 201);
        let body: Value = api.json().await.unwrap();
        assert_eq!(body["help"].is_null(), afraid == 1, "{body}");
    }
    // The stored pulse of each check-in, by its safety answer.
    let (store, id) = store_of(&server, "razorbill").await;
    let mut pulses = Vec::new();
    for administration in store.administrations(id, Some("checkin")).await.unwrap() {
        let answers = store
            .answers(id, &checkin, administration.id)
            .await
            .unwrap();
        let scores = tandem_core::scoring::score(&checkin, &answers).unwrap();
        pulses.push((
            answers.value("CI11").unwrap(),
            scores.indices["pulse"].score.unwrap(),
        ));
    }
    assert_eq!(
        pulses.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![1, 1, 5, 5]
    );
    assert!(
        pulses
            .iter()
            .all(|(_, pulse)| (pulse - pulses[0].1).abs() < 1e-9),
        "the safety item never moves the pulse: {pulses:?}"
    );
    // The latest check-in said afraid: the plan offers the safety check again.
    let page = text(&user, &server, "/plan").await;
    assert!(page.contains(PLAN_OFFER));
}
