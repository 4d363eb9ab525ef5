//! The safety screen: a blank or "prefer not to say" screen shows the help
//! calmly, help is graded, the questions speak to the person about the other
//! by name, and a kept screen can be deleted, only by its owner.

use reqwest::Method;
use serde_json::json;
use tandem_core::instrument::builtin::builtin_by_id;

use super::{every_item, screen, store_of, text};
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn a_blank_or_prefer_not_to_say_screen_shows_the_help_calmly() {
    let server = Server::start().await;
    let user = server.user("shearwater").await;
    let resources = tandem_core::resources::default_resources().unwrap();
    // (answers, outcome, help shown, emergency step first)
    let table = [
        (json!({}), "unclear", true, false),
        (
            every_item(json!("prefer_not_to_say")),
            "unclear",
            true,
            false,
        ),
        (every_item(json!(0)), "clear", false, false),
        (json!({ "SF8": 1 }), "concern", true, false),
        (json!({ "SF16": 1 }), "urgent", true, true),
    ];
    for (answers, outcome, shown, emergency_first) in table {
        let body = screen(&user, &server, answers.clone(), false).await;
        assert_eq!(body["outcome"], outcome, "{answers}");
        assert_eq!(!body["help"].is_null(), shown, "{answers}");
        if shown {
            assert_eq!(
                body["help"]["emergency"].as_str(),
                emergency_first.then(|| resources.emergency.as_ref().unwrap().text.as_str()),
                "{answers}"
            );
        }
        // The page after the screen says the same.
        let page = text(&user, &server, "/questions/c/done").await;
        assert_eq!(
            page.contains(&resources.heading),
            shown,
            "{answers}: {page}"
        );
    }
    // Thoughts of self-harm bring the crisis lines; told apart from harm by
    // others, they bring no emergency step of their own (the first crisis
    // line names the emergency number).
    let body = screen(&user, &server, json!({ "SF23": 1 }), false).await;
    assert_eq!(body["self_harm"], true);
    assert_eq!(body["help"]["crisis"][0], resources.crisis[0].text.as_str());
    assert!(body["help"]["emergency"].is_null());
    // With choking too, the emergency step comes first and the crisis lines follow.
    let body = screen(&user, &server, json!({ "SF16": 1, "SF23": 1 }), false).await;
    assert_eq!(body["outcome"], "urgent");
    assert_eq!(
        body["help"]["emergency"].as_str(),
        resources.emergency.as_ref().map(|e| e.text.as_str())
    );
    assert_eq!(body["help"]["crisis"][0], resources.crisis[0].text.as_str());

    // The page form: nothing ticked, and every item "prefer not to say".
    let declined: Vec<(String, String)> = every_item(json!("prefer_not_to_say"))
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (k.clone(), "prefer_not_to_say".to_owned()))
        .collect();
    for items in [Vec::new(), declined] {
        let mut fields: Vec<(&str, &str)> = vec![("go", "next"), ("keep", "no")];
        fields.extend(items.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let posted = user
            .form(&server, "/questions/c/1", &fields)
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 303);
        assert_eq!(posted.headers()["location"], "/questions/c/done");
        let page = text(&user, &server, "/questions/c/done").await;
        assert!(page.contains(&resources.heading), "{fields:?}");
        assert!(page.contains(tandem_web::help::CALM_INTRO), "{fields:?}");
    }
    // Not kept: nothing in the store, but the plan knows until sign-out.
    let (store, id) = store_of(&server, "shearwater").await;
    assert!(store.safety_screens(id).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_safety_questions_speak_to_the_person_about_the_other_by_name() {
    let server = Server::start().await;
    let user = server.user("kittiwake").await;
    // Nobody named yet: "your partner", never "my partner".
    let page = text(&user, &server, "/questions/c/1").await;
    assert!(
        page.contains("have you been afraid of your partner?"),
        "{page}"
    );
    assert!(!page.contains("my partner"));
    assert!(page.contains("autocomplete=\"off\""));
    assert!(page.contains("value=\"prefer_not_to_say\""));
    // The profile's first page names Sam; the safety questions follow.
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let mut fields = vec![("go", "later"), ("about", "Sam")];
    fields.extend(rdp.items[..6].iter().map(|i| (i.id.as_str(), "3")));
    let saved = user
        .form(&server, "/questions/a/1", &fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let page = text(&user, &server, "/questions/c/1").await;
    assert!(page.contains("have you been afraid of Sam?"), "{page}");
    assert!(page.contains("has Sam tried to control your money"));
    assert!(!page.contains("my partner") && !page.contains("your partner"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kept_screen_can_be_deleted_from_settings_and_the_api_and_only_by_its_owner() {
    let server = Server::start().await;
    let user = server.user("guillemot").await;
    let other = server.user("skua").await;
    screen(&user, &server, json!({ "SF8": 1 }), true).await;
    screen(&user, &server, json!({ "SF9": 1 }), true).await;
    let (store, id) = store_of(&server, "guillemot").await;
    let kept = store.safety_screens(id).await.unwrap();
    assert_eq!(kept.len(), 2);
    let (first, second) = (kept[0].id.0, kept[1].id.0);

    // Settings lists each by its day, with a delete button at a neutral address.
    let settings = text(&user, &server, "/account").await;
    assert!(settings.contains(&format!("action=\"/account/c/{first}/delete\"")));
    assert!(settings.contains(&format!("action=\"/account/c/{second}/delete\"")));

    // Another person cannot delete them, by page or by API.
    let page = other
        .form(&server, &format!("/account/c/{first}/delete"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let api = other
        .send(
            &server,
            Method::DELETE,
            &format!("/api/v1/safety/{first}"),
            json!({}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(store.safety_screens(id).await.unwrap().len(), 2);

    // Without the CSRF field, nothing happens.
    let forged = user
        .client
        .post(server.url(&format!("/account/c/{first}/delete")))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    // The page: a redirect with a calm notice, and the screen is gone.
    let deleted = user
        .form(&server, &format!("/account/c/{first}/delete"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    let notice = deleted.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(notice, "/account?notice=removed");
    assert!(
        text(&user, &server, &notice)
            .await
            .contains("Those answers are deleted")
    );
    let left: Vec<i64> = store
        .safety_screens(id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .collect();
    assert_eq!(left, vec![second]);

    // The API: 204, gone, and a second time 404.
    let path = format!("/api/v1/safety/{second}");
    let gone = user
        .send(&server, Method::DELETE, &path, json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert!(store.safety_screens(id).await.unwrap().is_empty());
    let again = user
        .send(&server, Method::DELETE, &path, json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let settings = text(&user, &server, "/account").await;
    assert!(settings.contains("You keep no answers to these questions."));
}
