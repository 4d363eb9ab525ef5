//! Partner links over the API, as a consent matrix: every partner-side
//! route asked by the owner, by the linked partner at each sharing level,
//! by the partner after unlinking, by someone on another link, by a
//! stranger and with no session. Only the cells the matrix allows answer
//! 2xx; every refusal of a comparison is the same 403 body; and no reply to
//! a partner holds a safety item id, a time, or a level above the shared one.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, User, all_rdp};

mod guessing;
mod mutuality;
mod over_time;
mod reach;
mod us;

async fn call(
    server: &Server,
    user: &User,
    method: Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let answer = if method == Method::GET {
        user.get(server, path).send().await.unwrap()
    } else {
        user.send(server, method, path, body).send().await.unwrap()
    };
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A finished RDP about the person's partner, and a safety screen of all
/// "no" kept beside it (which must never reach the partner).
async fn take(server: &Server, user: &User, answers: Value) {
    let (status, body) = call(
        server,
        user,
        Method::POST,
        "/api/v1/administrations",
        json!({"instrument": "rdp", "answers": answers}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let safety = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let no: serde_json::Map<String, Value> = safety
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(0)))
        .collect();
    let (status, body) = call(
        server,
        user,
        Method::POST,
        "/api/v1/safety",
        json!({"answers": no, "keep": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn partner_of(server: &Server, user: &User) -> Value {
    let listed = user.json(server, "/api/v1/relationships").await;
    listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "partner")
        .unwrap()["id"]
        .clone()
}

/// `a` invites, `b` accepts: the link's id.
async fn link(server: &Server, a: &User, b: &User) -> i64 {
    let (status, invite) = call(
        server,
        a,
        Method::POST,
        "/api/v1/links",
        json!({"relationship": partner_of(server, a).await}),
    )
    .await;
    assert_eq!(status, 201, "{invite}");
    let code = invite["code"].as_str().unwrap();
    assert_eq!(code.len(), 11, "{code}");
    assert!(invite["expires_at"].as_str().unwrap().ends_with('Z'));
    let (status, linked) = call(
        server,
        b,
        Method::POST,
        "/api/v1/links/accept",
        json!({"code": code.to_lowercase(), "relationship": partner_of(server, b).await}),
    )
    .await;
    assert_eq!(status, 201, "{linked}");
    assert_eq!(linked["sharing"], "none");
    linked["id"].as_i64().unwrap()
}

async fn share(server: &Server, user: &User, link: i64, level: &str) {
    let (status, body) = call(
        server,
        user,
        Method::PUT,
        &format!("/api/v1/links/{link}/sharing"),
        json!({"level": level}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

/// What a reply to a partner must never hold.
fn assert_nothing_private(reply: &Value) {
    let text = reply.to_string();
    assert!(!text.contains("\"SF"), "a safety item id: {text}");
    for key in [
        "_at\"",
        "unix",
        "started",
        "completed",
        "about",
        "name\":\"my",
    ] {
        assert!(
            !reply["theirs"].to_string().contains(key),
            "{key} in theirs: {}",
            reply["theirs"]
        );
    }
}

#[tokio::test]
async fn only_what_each_shares_reaches_the_other_and_unlinking_ends_it_silently() {
    let server = Server::start().await;
    let ann = server.user("ann-links").await;
    let ben = server.user("ben-links").await;
    let cat = server.user("cat-links").await;
    let dan = server.user("dan-links").await;
    take(&server, &ann, all_rdp(3)).await;
    let mut bens = all_rdp(3);
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let ordinary: Vec<String> = rdp
        .items
        .iter()
        .filter(|i| i.signals.is_none() && i.facet.as_ref().is_some_and(|f| f.as_str() == "AU"))
        .map(|i| i.id.to_string())
        .collect();
    for item in rdp
        .items
        .iter()
        .filter(|i| ordinary.contains(&i.id.to_string()))
    {
        bens[item.id.as_str()] = json!(if item.reverse { 1 } else { 5 });
    }
    take(&server, &ben, bens).await;
    take(&server, &cat, all_rdp(3)).await;
    take(&server, &dan, all_rdp(3)).await;
    let id = link(&server, &ann, &ben).await;
    let other = link(&server, &cat, &dan).await;
    let comparison = format!("/api/v1/links/{id}/comparison");

    // Nothing is shared yet: the one refusal.
    let (status, refusal) = call(&server, &ben, Method::GET, &comparison, json!(null)).await;
    assert_eq!(status, 403);
    assert_eq!(refusal["status"], 403);

    // Ben shares items; Ann's level decides what Ben sees of her.
    share(&server, &ben, id, "items").await;
    for (level, facets, items) in [
        ("none", None, None),
        ("indices", Some(false), Some(false)),
        ("facets", Some(true), Some(false)),
        ("items", Some(true), Some(true)),
    ] {
        share(&server, &ann, id, level).await;
        let (status, reply) = call(&server, &ben, Method::GET, &comparison, json!(null)).await;
        match facets {
            None => assert_eq!((status, &reply), (403, &refusal), "at {level}"),
            Some(facets) => {
                assert_eq!(status, 200, "at {level}: {reply}");
                assert_eq!(reply["theirs"]["level"], level);
                assert_eq!(
                    reply["theirs"]["facets"].is_object(),
                    facets,
                    "{level}: {reply}"
                );
                assert_eq!(
                    reply["theirs"]["items"].is_object(),
                    items.unwrap(),
                    "{level}"
                );
                assert!(reply["theirs"]["indices"].is_object());
                assert_eq!(reply["level"], level, "both share at least this");
                assert_nothing_private(&reply);
            }
        }
        // Ann sees Ben at his level (items) from the moment she shares too.
        let (status, mine) = call(&server, &ann, Method::GET, &comparison, json!(null)).await;
        if level == "none" {
            assert_eq!((status, &mine), (403, &refusal));
        } else {
            assert_eq!(status, 200);
            assert_eq!(mine["theirs"]["level"], "items");
            assert_nothing_private(&mine);
        }
    }
    // Both at items: the autonomy items Ben answered 5 (1 if reversed) and
    // Ann 3 are the
    // agenda, and the index gap is flagged from a full point (no
    // reliability is declared).
    let (_, both) = call(&server, &ann, Method::GET, &comparison, json!(null)).await;
    let agenda: Vec<&str> = both["discussion_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["item"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = ordinary.iter().map(String::as_str).take(5).collect();
    assert_eq!(agenda, expected, "{both}");
    assert_eq!(both["reliability_known"], false);
    let au = both["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "AU")
        .unwrap();
    assert_eq!(au["flagged"], true, "{au}");
    let unflagged = both["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "ER")
        .unwrap();
    assert_eq!(unflagged["flagged"], false, "{unflagged}");
    // A mark is one's own.
    let item = &ordinary[0];
    let (status, _) = call(
        &server,
        &ann,
        Method::PUT,
        &format!("/api/v1/links/{id}/discussion/{item}"),
        json!({"mark": "star"}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, mine) = call(&server, &ann, Method::GET, &comparison, json!(null)).await;
    let (_, theirs) = call(&server, &ben, Method::GET, &comparison, json!(null)).await;
    assert_eq!(mine["discussion_items"][0]["mark"], "star");
    assert_eq!(theirs["discussion_items"][0]["mark"], Value::Null);

    // The couple plan: the talk for the flagged gaps, and a regular check-in,
    // only steps done together.
    let plan_of = |reply: &Value| -> Vec<String> {
        reply["couple_plan"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["strategy"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(plan_of(&mine), ["talk-where-you-differ", "check-in-often"]);
    assert_eq!(mine["couple_plan"][0]["because"], "gaps");
    assert!(!mine["couple_plan"][0]["title"].as_str().unwrap().is_empty());
    assert_eq!(plan_of(&theirs), plan_of(&mine));

    // A change in Ann's risk changes nothing Ben can see.
    let before = theirs.clone();
    let safety = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let yes: serde_json::Map<String, Value> = safety
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(1)))
        .collect();
    let (status, _) = call(
        &server,
        &ann,
        Method::POST,
        "/api/v1/safety",
        json!({"answers": yes, "keep": true}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, after) = call(&server, &ben, Method::GET, &comparison, json!(null)).await;
    assert_eq!(after, before);
    // Ann's own couple plan now suggests nothing to do together, and her
    // page says why, to her alone.
    let (_, hers) = call(&server, &ann, Method::GET, &comparison, json!(null)).await;
    assert_eq!(hers["couple_plan"], json!([]));
    let page = ann.page(&server, &format!("/links/{id}")).await;
    assert!(
        page.contains("This may not be safe for you right now"),
        "{page}"
    );
    assert!(!page.contains("Things to try together"));
    let bens_page = ben.page(&server, &format!("/links/{id}")).await;
    assert!(bens_page.contains("Things to try together"));
    assert!(!bens_page.contains("This may not be safe"));
    // ...but Ann is no longer offered a new link.
    let (status, _) = call(
        &server,
        &ann,
        Method::POST,
        "/api/v1/links",
        json!({"relationship": partner_of(&server, &ann).await}),
    )
    .await;
    assert_eq!(status, 403);
    // ...nor to take part in guessing, though leaving it stays open.
    for (choice, expected) in [("private", 403), ("shown", 403), ("off", 204)] {
        let (status, _) = call(
            &server,
            &ann,
            Method::PUT,
            &format!("/api/v1/links/{id}/guessing"),
            json!({"guessing": choice}),
        )
        .await;
        assert_eq!(status, expected, "{choice}");
    }

    // Someone on another link, or on none, reaches nothing of this one.
    let partner_routes = [
        (Method::GET, comparison.clone(), json!(null)),
        (
            Method::PUT,
            format!("/api/v1/links/{id}/sharing"),
            json!({"level": "items"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/links/{id}/discussion/{item}"),
            json!({"mark": "star"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/links/{id}/guessing"),
            json!({"guessing": "private"}),
        ),
        (
            Method::GET,
            format!("/api/v1/links/{id}/guesses"),
            json!(null),
        ),
        (
            Method::PUT,
            format!("/api/v1/links/{id}/guesses"),
            json!({"guesses": {"ER1": 3}}),
        ),
        (Method::DELETE, format!("/api/v1/links/{id}"), json!(null)),
    ];
    for outsider in [&cat, &dan] {
        for (method, path, body) in &partner_routes {
            let (status, reply) = call(&server, outsider, method.clone(), path, body.clone()).await;
            if *path == comparison {
                assert_eq!((status, &reply), (403, &refusal), "{path}");
            } else {
                assert_eq!(status, 404, "{method} {path}");
            }
        }
    }
    // Without a session, nothing at all.
    let anonymous = server.browser();
    for path in [
        "/api/v1/links".to_owned(),
        comparison.clone(),
        format!("/api/v1/links/{other}/comparison"),
    ] {
        let status = anonymous
            .get(server.url(&path))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "{path}");
    }

    // Ann unlinks: Ben's next request finds the same refusal as ever, and
    // nothing of the link is left to him.
    let (status, _) = call(
        &server,
        &ann,
        Method::DELETE,
        &format!("/api/v1/links/{id}"),
        json!(null),
    )
    .await;
    assert_eq!(status, 204);
    let (status, reply) = call(&server, &ben, Method::GET, &comparison, json!(null)).await;
    assert_eq!((status, &reply), (403, &refusal));
    assert_eq!(ben.json(&server, "/api/v1/links").await, json!([]));
    for (method, path, body) in &partner_routes[1..] {
        let (status, _) = call(&server, &ben, method.clone(), path, body.clone()).await;
        assert_eq!(status, 404, "after unlinking: {method} {path}");
    }
    // The other couple's link is untouched.
    assert_eq!(
        cat.json(&server, "/api/v1/links")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_guessing_is_throttled() {
    let server = Server::start().await;
    let eve = server.user("eve-links").await;
    take(&server, &eve, all_rdp(3)).await;
    let relationship = partner_of(&server, &eve).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let (status, body) = call(
            &server,
            &eve,
            Method::POST,
            "/api/v1/links/accept",
            json!({"code": "ABCDE-12345", "relationship": relationship}),
        )
        .await;
        if status == 422 {
            assert!(body.to_string().contains("code"), "{body}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses[0], 422);
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(eve.json(&server, "/api/v1/links").await, json!([]));
    // A friend cannot be linked.
    let (status, friend) = call(
        &server,
        &eve,
        Method::POST,
        "/api/v1/relationships",
        json!({"role": "friend", "name": "Alex"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = call(
        &server,
        &eve,
        Method::POST,
        "/api/v1/links",
        json!({"relationship": friend["id"]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn the_pages_link_share_compare_and_unlink_without_javascript() {
    let server = Server::start().await;
    let ann = server.user("ann-pages").await;
    let ben = server.user("ben-pages").await;
    let fay = server.user("fay-pages").await;
    take(&server, &ann, all_rdp(3)).await;
    take(&server, &ben, all_rdp(3)).await;
    take(&server, &fay, all_rdp(3)).await;
    let rel = |v: Value| v.as_i64().unwrap().to_string();
    let ann_rel = rel(partner_of(&server, &ann).await);
    let ben_rel = rel(partner_of(&server, &ben).await);

    let made = ann
        .form(&server, "/links/invite", &[("relationship", &ann_rel)])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200);
    let page = made.text().await.unwrap();
    let code = page
        .split("<p class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 11, "{code}");
    // A wrong code says so, on the page, and links nothing.
    let wrong = ben
        .form(
            &server,
            "/links/accept",
            &[("code", "ABCDE-12345"), ("relationship", &ben_rel)],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("This code is not valid")
    );
    let (to, page) = ben
        .post_then_get(
            &server,
            "/links/accept",
            &[("code", &code), ("relationship", &ben_rel)],
        )
        .await;
    assert_eq!(to, "/links");
    assert!(page.contains("Linked with my partner"), "{page}");
    let id = ben.json(&server, "/api/v1/links").await[0]["id"]
        .as_i64()
        .unwrap();

    // Nothing to compare until both share.
    let path = format!("/links/{id}");
    let refused = ben.get(&server, &path).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let refused = refused.text().await.unwrap();
    ann.post_then_get(
        &server,
        &format!("/links/{id}/sharing"),
        &[("level", "facets")],
    )
    .await;
    ben.post_then_get(
        &server,
        &format!("/links/{id}/sharing"),
        &[("level", "indices")],
    )
    .await;
    let page = ben.page(&server, &path).await;
    assert!(page.contains("How you each see it"), "{page}");
    assert!(!page.contains("Things to talk about"));

    // Ann ends it; Ben's next look is the same refusal as before.
    let (to, _) = ann
        .post_then_get(&server, &format!("/links/{id}/end"), &[])
        .await;
    assert_eq!(to, "/links");
    let after = ben.get(&server, &path).send().await.unwrap();
    assert_eq!(after.status(), 403);
    assert_eq!(after.text().await.unwrap(), refused);

    // Someone whose answers say they may not be safe is not offered linking.
    let safety = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let yes: serde_json::Map<String, Value> = safety
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(1)))
        .collect();
    call(
        &server,
        &fay,
        Method::POST,
        "/api/v1/safety",
        json!({"answers": yes, "keep": true}),
    )
    .await;
    let page = fay.page(&server, "/links").await;
    assert!(page.contains("This may not be safe for you right now"));
    assert!(!page.contains("action=\"/links/invite\""));
    let fay_rel = rel(partner_of(&server, &fay).await);
    let refused = fay
        .form(&server, "/links/invite", &[("relationship", &fay_rel)])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
