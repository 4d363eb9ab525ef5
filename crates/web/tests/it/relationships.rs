//! Relationships over the API: added with a role and a name, listed, and
//! named by `POST /administrations`; without one, an administration goes to
//! the person's partner, made when missing. A bad role, a taken name or
//! someone else's relationship is a 4xx that names the field and stores
//! nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, User, all_rdp};

async fn add(server: &Server, user: &User, body: Value) -> (u16, Value) {
    let answer = user
        .send(server, Method::POST, "/api/v1/relationships", body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.json().await.unwrap())
}

async fn record(server: &Server, user: &User, extra: Value) -> (u16, Value) {
    let mut body = json!({"instrument": "rdp", "answers": all_rdp(3)});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let answer = user
        .send(server, Method::POST, "/api/v1/administrations", body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.json().await.unwrap())
}

fn roles_and_names(listed: &Value) -> Vec<(String, String)> {
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn relationships_are_added_listed_and_named_by_administrations() {
    let server = Server::start().await;
    let user = server.user("heron").await;
    assert_eq!(user.json(&server, "/api/v1/relationships").await, json!([]));

    // Without a relationship: the partner, made when missing.
    let (status, first) = record(&server, &user, json!({})).await;
    assert_eq!(status, 201, "{first}");
    let (status, mum) = add(&server, &user, json!({"role": "parent", "name": "Mum"})).await;
    assert_eq!(status, 201, "{mum}");
    let (status, jo) = add(&server, &user, json!({"role": "family", "name": "Jo"})).await;
    assert_eq!(status, 201, "{jo}");
    assert_eq!(jo["role"], "other_family");
    let listed = user.json(&server, "/api/v1/relationships").await;
    assert_eq!(
        roles_and_names(&listed),
        [
            ("partner".to_owned(), "my partner".to_owned()),
            ("parent".to_owned(), "Mum".to_owned()),
            ("other_family".to_owned(), "Jo".to_owned()),
        ]
    );
    let partner = listed[0]["id"].clone();
    assert_eq!(first["administration"]["relationship"], partner);

    let (status, about_mum) = record(&server, &user, json!({"relationship": mum["id"]})).await;
    assert_eq!(status, 201, "{about_mum}");
    assert_eq!(about_mum["administration"]["relationship"], mum["id"]);
    assert_eq!(about_mum["administration"]["about"], "Mum");
    // The latest results, and the latest about each person.
    let latest = user.json(&server, "/api/v1/results/latest").await;
    assert_eq!(latest["administration"], about_mum["id"]);
    assert!(latest["change"].is_null(), "nothing before about Mum");
    let partners = user
        .json(
            &server,
            &format!("/api/v1/results/latest?relationship={partner}"),
        )
        .await;
    assert_eq!(partners["administration"], first["id"]);
    for (query, status) in [
        (format!("relationship={}", jo["id"]), 404),
        ("relationship=9999".to_owned(), 404),
        ("relationship=x".to_owned(), 400),
        ("who=me".to_owned(), 400),
    ] {
        let answer = user
            .get(&server, &format!("/api/v1/results/latest?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status, "{query}");
    }
    // A check-in with nothing said is about the partner too.
    let item = json!({"CI1": 4, "CI7": 2, "CI8": 3, "CI9": 4, "CI10": 5});
    let checkin = user
        .send(
            &server,
            Method::POST,
            "/api/v1/checkins",
            json!({"answers": item}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(checkin.status(), 201);
    let checkin: Value = checkin.json().await.unwrap();
    assert_eq!(checkin["administration"]["relationship"], partner);
}

#[tokio::test]
async fn a_bad_role_a_taken_name_or_someone_elses_relationship_is_refused_and_stores_nothing() {
    let server = Server::start().await;
    let user = server.user("egret").await;
    let other = server.user("bittern").await;
    let (_, sam) = add(&server, &other, json!({"role": "friend", "name": "Sam"})).await;
    let (status, _) = add(&server, &user, json!({"role": "friend", "name": "Sam"})).await;
    assert_eq!(status, 201, "another person may use the same name");

    let cases = [
        (json!({"role": "lodger", "name": "Pat"}), 422),
        (json!({"role": "friend", "name": ""}), 422),
        (json!({"role": "friend"}), 422),
        (json!({"role": "friend", "name": " sam "}), 409),
        (
            json!({"role": "friend", "name": "Pat", "colour": "red"}),
            422,
        ),
    ];
    for (body, expected) in cases {
        let (status, problem) = add(&server, &user, body.clone()).await;
        assert_eq!(status, expected, "{body} → {problem}");
        assert_eq!(problem["status"], expected);
    }
    let before = user.json(&server, "/api/v1/administrations").await;
    let (status, problem) = record(&server, &user, json!({"relationship": sam["id"]})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "relationship");
    let (status, problem) =
        record(&server, &user, json!({"relationship": 1, "about": "Sam"})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "relationship");
    assert_eq!(user.json(&server, "/api/v1/administrations").await, before);
    assert_eq!(
        roles_and_names(&user.json(&server, "/api/v1/relationships").await),
        [("friend".to_owned(), "Sam".to_owned())]
    );
    // Nobody signed in reads nothing.
    let anonymous = server
        .browser()
        .get(server.url("/api/v1/relationships"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn the_relationships_page_adds_someone_and_changes_a_role_without_javascript() {
    let server = Server::start().await;
    let user = server.user("curlew").await;
    // The default is made by the first profile, as "other" would be for a name.
    let (status, _) = record(&server, &user, json!({"about": "Grandad"})).await;
    assert_eq!(status, 201);
    let page = user.page(&server, "/relationships").await;
    assert!(page.contains(">Grandad</th>"), "{page}");

    let (to, page) = user
        .post_then_get(
            &server,
            "/relationships",
            &[("name", "Robin"), ("role", "friend")],
        )
        .await;
    assert_eq!(to, "/relationships");
    assert!(page.contains(">Robin</th>"), "{page}");

    let grandad = user.json(&server, "/api/v1/relationships").await[0]["id"].clone();
    let (_, _) = user
        .post_then_get(
            &server,
            &format!("/relationships/{grandad}/role"),
            &[("role", "parent")],
        )
        .await;
    assert_eq!(
        roles_and_names(&user.json(&server, "/api/v1/relationships").await),
        [
            ("parent".to_owned(), "Grandad".to_owned()),
            ("friend".to_owned(), "Robin".to_owned()),
        ]
    );

    // Mistakes: the form again, 422, what was typed kept, each problem named.
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("name", ""), ("role", "friend")],
            "Enter a name or nickname",
        ),
        (
            &[("name", "Lee"), ("role", "")],
            "Choose who this person is to you.",
        ),
        (
            &[("name", " robin"), ("role", "friend")],
            "already have someone called",
        ),
    ];
    for (fields, said) in cases {
        let answer = user
            .form(&server, "/relationships", fields)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422, "{fields:?}");
        let page = answer.text().await.unwrap();
        assert!(page.contains(said), "{said}: {page}");
        assert!(
            page.contains(&format!("value=\"{}\"", fields[0].1)),
            "{page}"
        );
    }
    // Someone else's relationship is not there.
    let other = server.user("dunlin").await;
    let refused = other
        .form(
            &server,
            &format!("/relationships/{grandad}/role"),
            &[("role", "friend")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    assert_eq!(
        user.json(&server, "/api/v1/relationships")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        user.json(&server, "/api/v1/relationships").await[0]["role"],
        "parent"
    );
}

fn strategies(plan: &Value) -> Vec<String> {
    plan.as_array()
        .unwrap()
        .iter()
        .map(|item| item["strategy"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_relationship_has_a_plan_of_its_own_made_from_its_own_profile() {
    let server = Server::start().await;
    let user = server.user("plover").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    // Two profiles with a facet structure, from different seeds.
    let (mut first, mut second) = (7_u64, 1_234_567_u64);
    let (status, partner) = record(
        &server,
        &user,
        json!({"answers": crate::common::structured(&rdp, &mut first)}),
    )
    .await;
    assert_eq!(status, 201, "{partner}");
    let partner = partner["administration"]["relationship"].clone();
    let (_, mum) = add(&server, &user, json!({"role": "parent", "name": "Mum"})).await;
    let (status, _) = record(
        &server,
        &user,
        json!({"relationship": mum["id"], "answers": crate::common::structured(&rdp, &mut second)}),
    )
    .await;
    assert_eq!(status, 201);

    let partners = user
        .json(&server, &format!("/api/v1/plan?relationship={partner}"))
        .await;
    let mums = user
        .json(&server, &format!("/api/v1/plan?relationship={}", mum["id"]))
        .await;
    assert!(!strategies(&mums).is_empty(), "{mums}");
    assert!(!strategies(&partners).is_empty(), "{partners}");
    assert_ne!(strategies(&partners), strategies(&mums));
    for (plan, relationship) in [(&partners, &partner), (&mums, &mum["id"])] {
        for item in plan.as_array().unwrap() {
            assert_eq!(&item["relationship"], relationship, "{item}");
        }
    }
    // Without one: the plan the latest profile is about (Mum's).
    assert_eq!(user.json(&server, "/api/v1/plan").await, mums);
    // The page says whom it is about, and offers the other plan.
    let page = user
        .page(&server, &format!("/plan?relationship={}", mum["id"]))
        .await;
    assert!(page.contains("About Mum."), "{page}");
    assert!(
        page.contains(&format!("href=\"/plan?relationship={partner}\"")),
        "{page}"
    );
    // Someone else's relationship is not found, on the API and the page.
    let other = server.user("stint").await;
    let answer = other
        .get(&server, &format!("/api/v1/plan?relationship={}", mum["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
    let answer = other
        .get(&server, &format!("/plan?relationship={}", mum["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
}
