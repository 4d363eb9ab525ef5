//! Safety over HTTP: a blank or "prefer not to say" screen shows the help,
//! graded help, second-person wording with the other person's name, kept
//! screens deleted (pages and API, never another person's), research
//! consent off by default, plan focus and joint steps, the check-in's
//! safety item outside the pulse, and old versions resumed as they began.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::builtin_by_id;

use crate::common::{Server, User, all_rdp};

/// The plan's offer of the safety check.
const PLAN_OFFER: &str = "Answer the questions about staying safe";
/// The check-in answer page's offer of the safety check.
const OFFER_AFTER_CHECKIN: &str = "Answer a few private questions about staying safe";

/// The store behind a running server, opened beside it, and a user's id.
async fn store_of(server: &Server, name: &str) -> (tandem_store::Store, tandem_store::UserId) {
    let store = tandem_store::Store::open(server.data_dir()).await.unwrap();
    let parsed = tandem_store::UserName::parse(name).unwrap();
    let (id, _) = store.account_by_name(&parsed).await.unwrap().unwrap();
    (store, id)
}

async fn text(user: &User, server: &Server, path: &str) -> String {
    let response = user.get(server, path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn screen(user: &User, server: &Server, answers: Value, keep: bool) -> Value {
    let response = user
        .send(
            server,
            Method::POST,
            "/api/v1/safety",
            json!({ "answers": answers, "keep": keep }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every safety item answered with `value`.
fn every_item(value: Value) -> Value {
    let safety = builtin_by_id("safety").unwrap().unwrap();
    Value::Object(
        safety
            .items
            .iter()
            .map(|i| (i.id.to_string(), value.clone()))
            .collect(),
    )
}

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

#[tokio::test(flavor = "multi_thread")]
async fn research_consent_is_off_by_default_and_toggles() {
    let server = Server::start().await;
    let user = server.user("fulmar").await;
    let (store, id) = store_of(&server, "fulmar").await;
    let get = || async {
        user.get(&server, "/api/v1/research")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert_eq!(get().await, json!({ "research": false }));
    assert!(!store.research_consent(id).await.unwrap());
    assert!(
        !text(&user, &server, "/account")
            .await
            .contains("value=\"yes\" checked")
    );

    // The API.
    for research in [true, false, true] {
        let put = user
            .send(
                &server,
                Method::PUT,
                "/api/v1/research",
                json!({ "research": research }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200);
        assert_eq!(get().await, json!({ "research": research }));
        assert_eq!(store.research_consent(id).await.unwrap(), research);
    }
    let bad = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/research",
            json!({ "research": "yes" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(store.research_consent(id).await.unwrap());

    // The page: an unticked box takes consent back, a ticked one gives it.
    let off = user
        .form(&server, "/account/research", &[])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 303);
    assert!(!store.research_consent(id).await.unwrap());
    let on = user
        .form(&server, "/account/research", &[("research", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(on.status(), 303);
    assert!(store.research_consent(id).await.unwrap());
    assert!(
        text(&user, &server, "/account")
            .await
            .contains("value=\"yes\" checked")
    );
}

/// RDP answers: every facet at `level(facet)` after keying.
fn profile(level: impl Fn(&str) -> i64) -> Value {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    Value::Object(
        rdp.items
            .iter()
            .map(|item| {
                let l = level(item.facet.as_ref().unwrap().as_str());
                let v = if item.reverse { rdp.scale.mirror(l) } else { l };
                (item.id.to_string(), json!(v))
            })
            .collect(),
    )
}

async fn plan(user: &User, server: &Server) -> Vec<Value> {
    user.get(server, "/api/v1/plan")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_items_say_whether_they_are_joint_and_only_three_are_current() {
    let server = Server::start().await;
    let user = server.user("petrel").await;
    // A caretaker who leans hard, with a clear screen: joint steps allowed.
    screen(&user, &server, every_item(json!(0)), true).await;
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": profile(|f| match f {
                "ER" | "VS" | "DD" | "FA" | "CT" | "SN" => 5,
                "AU" | "CN" | "MS" => 1,
                _ => 3,
            }) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let items = plan(&user, &server).await;
    assert!(items.len() > 3, "{items:?}");
    assert!(items.iter().all(|i| i["joint"].is_boolean()), "{items:?}");
    let statuses: Vec<&str> = items
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "suggested").count(),
        3,
        "{statuses:?}"
    );
    assert!(statuses[3..].iter().all(|s| *s == "later"), "{statuses:?}");
    // The page folds the later ones and shows the help box once at most.
    let page = text(&user, &server, "/plan").await;
    assert!(page.contains("<details class=\"later\">"));
    assert!(page.matches("id=\"help-heading\"").count() <= 1);
    assert!(page.contains("href=\"/guide\""));

    // A positive screen: no joint step at all, the help box exactly once.
    screen(&user, &server, json!({ "SF15": 1 }), true).await;
    let items = plan(&user, &server).await;
    assert!(items.iter().all(|i| i["joint"] == false), "{items:?}");
    let page = text(&user, &server, "/plan").await;
    assert_eq!(page.matches("id=\"help-heading\"").count(), 1);
    let emergency = tandem_core::resources::default_resources()
        .unwrap()
        .emergency
        .unwrap()
        .text;
    assert!(page.contains(&emergency));
    // The results page shows the same help, once, above the pattern.
    let results = text(&user, &server, "/results").await;
    assert_eq!(results.matches("id=\"help-heading\"").count(), 1);
    let (help_at, pattern_at) = (results.find(&emergency), results.find("Pattern"));
    assert!(help_at.is_some() && pattern_at.is_some() && help_at < pattern_at);
}

#[tokio::test(flavor = "multi_thread")]
async fn before_any_screen_the_plan_offers_it_and_careless_answers_ask_for_a_look() {
    let server = Server::start().await;
    let user = server.user("gannet").await;
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": all_rdp(5) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let page = text(&user, &server, "/plan").await;
    assert!(page.contains(PLAN_OFFER), "the safety check is offered");
    assert!(page.contains("please look over your answers"), "{page}");
}

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

#[tokio::test(flavor = "multi_thread")]
async fn codes_are_choices_and_an_old_profile_resumes_with_its_own_version() {
    let server = Server::start().await;
    let user = server.user("eider").await;
    // "Does not apply" is a choice on the profile, and it is kept as a code.
    let page = text(&user, &server, "/questions/a/1").await;
    assert!(page.contains("value=\"not_applicable\""));
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let first = rdp.items[0].id.to_string();
    let saved = user
        .form(
            &server,
            "/questions/a/1",
            &[
                ("go", "later"),
                ("about", "my sister"),
                (&first, "not_applicable"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let page = text(&user, &server, "/questions/a/1").await;
    assert!(page.contains(&format!(
        "id=\"{first}-not_applicable\" name=\"{first}\" value=\"not_applicable\" checked"
    )));
    let bad = user
        .form(
            &server,
            "/questions/a/1",
            &[("go", "later"), (&first, "prefer_not_to_say")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422, "a code the scale does not offer");

    // A profile begun with 1.0.0 goes on with 1.0.0's questions.
    let other = server.user("scoter").await;
    let (store, id) = store_of(&server, "scoter").await;
    let old = tandem_core::instrument::builtin::builtin_version("rdp", "1.0.0")
        .unwrap()
        .unwrap();
    let open = store
        .start_administration(id, &old, "my partner")
        .await
        .unwrap();
    let page = text(&other, &server, "/questions/a/1").await;
    assert!(page.contains("name=\"DD1\""), "1.0.0's item on page 1");
    assert!(!page.contains("name=\"DD5\""));
    let mut fields = vec![("go", "next")];
    fields.extend(old.items[..6].iter().map(|i| (i.id.as_str(), "2")));
    let saved = other
        .form(&server, "/questions/a/1", &fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let answers = store.answers(id, &old, open.id).await.unwrap();
    assert_eq!(answers.value("DD1"), Some(2));
    // The export reads it with its own version too.
    let export = other.get(&server, "/api/v1/export").send().await.unwrap();
    assert_eq!(export.status(), 200);
    let export: Value = export.json().await.unwrap();
    assert_eq!(export["administrations"][0]["answers"]["values"]["DD1"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unkept_screen_shapes_the_plan_until_sign_out_only() {
    let server = Server::start().await;
    let user = server.user("dotterel").await;
    // A caretaker, otherwise balanced.
    let answers = profile(|f| match f {
        "CT" => 5,
        "ER" | "VS" | "DD" | "FA" | "SN" | "DT" => 2,
        _ => 4,
    });
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": answers }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let from_safety = |items: &[Value]| {
        items
            .iter()
            .filter(|i| matches!(i["reasons"][0]["kind"].as_str(), Some("urgent" | "safety")))
            .count()
    };
    assert_eq!(from_safety(&plan(&user, &server).await), 0);
    let body = screen(&user, &server, json!({ "SF15": 1 }), false).await;
    assert_eq!(body["stored"], false);
    let items = plan(&user, &server).await;
    assert_eq!(items[0]["reasons"][0]["kind"], "urgent", "{items:?}");
    assert!(items.iter().all(|i| i["joint"] == false));
    let (store, id) = store_of(&server, "dotterel").await;
    assert!(store.safety_screens(id).await.unwrap().is_empty());

    // Signed out and in again: nothing of the unkept screen is left in the plan.
    let out = user
        .send(&server, Method::DELETE, "/api/v1/session", json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    // The browser is told to forget this site, as at a page sign-out.
    assert_eq!(
        out.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    let again = server.browser();
    let signed_in = again
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "dotterel", "password": crate::common::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let items: Vec<Value> = again
        .get(server.url("/api/v1/plan"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!items.is_empty());
    assert_eq!(from_safety(&items), 0, "{items:?}");
}
