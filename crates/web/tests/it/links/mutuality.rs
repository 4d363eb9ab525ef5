//! Mutuality in the comparison: each direction of support, per domain, as
//! both support maps tell it, from each one's entry for the other; never
//! the name either gave, and nothing once the other stops sharing.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, link, share, take};
use crate::common::{Server, User, all_rdp};

async fn add(server: &Server, user: &User, person: Value) {
    let (status, body) = call(server, user, Method::POST, "/api/v1/people", person).await;
    assert_eq!(status, 201, "{body}");
}

/// The comparison's mutuality by domain: (i_lean, they_lean, flow, seen differently).
async fn flows(
    server: &Server,
    user: &User,
    link: i64,
) -> (Value, Vec<(String, Value, Value, String, bool)>) {
    let (status, reply) = call(
        server,
        user,
        Method::GET,
        &format!("/api/v1/links/{link}/comparison"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let rows = reply["mutuality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["domain"].as_str().unwrap().to_owned(),
                m["i_lean"].clone(),
                m["they_lean"].clone(),
                m["flow"].as_str().unwrap().to_owned(),
                m["seen_differently"].as_bool().unwrap(),
            )
        })
        .collect();
    (reply, rows)
}

fn told(by_me: u8, by_them: u8) -> Value {
    json!({"by_me": by_me, "by_them": by_them})
}

#[tokio::test]
async fn support_flows_are_told_by_both_maps_and_no_name_crosses() {
    let server = Server::start().await;
    let (ann, ben) = (server.user("avocet").await, server.user("bittern").await);
    take(&server, &ann, all_rdp(3)).await;
    take(&server, &ben, all_rdp(3)).await;
    let id = link(&server, &ann, &ben).await;
    share(&server, &ann, id, "indices").await;
    share(&server, &ben, id, "indices").await;

    // Nobody on either map yet: no mutuality to show.
    let (_, rows) = flows(&server, &ann, id).await;
    assert!(rows.is_empty(), "{rows:?}");

    // Ann leans on Ben for money; he leans on her for comfort. A friend of
    // hers is on her map too, and must not count.
    add(
        &server,
        &ann,
        json!({"name": "Benedict-7", "role": "partner",
        "leans_on": {"money": 4}, "leans_back": {"emotional": 3}}),
    )
    .await;
    add(
        &server,
        &ann,
        json!({"name": "Kim", "role": "friend",
        "leans_on": {"money": 2, "practical": 4}}),
    )
    .await;
    // Ben tells the same, and also that she leans on him for practical help.
    add(
        &server,
        &ben,
        json!({"name": "Annabel-9", "role": "partner",
        "leans_on": {"emotional": 3}, "leans_back": {"money": 4, "practical": 2}}),
    )
    .await;

    let (reply, rows) = flows(&server, &ann, id).await;
    let expected = [
        ("emotional", told(0, 0), told(3, 3), "to_them", false),
        ("validation", told(0, 0), told(0, 0), "neither", false),
        ("decisions", told(0, 0), told(0, 0), "neither", false),
        ("money", told(4, 4), told(0, 0), "to_me", false),
        // She says she does not lean on him here; he says 2: a mean of 1
        // flows, and they see it differently.
        ("practical", told(0, 2), told(0, 0), "to_me", true),
        ("company", told(0, 0), told(0, 0), "neither", false),
    ];
    let expected: Vec<(String, Value, Value, String, bool)> = expected
        .into_iter()
        .map(|(d, i, t, f, s)| (d.to_owned(), i, t, f.to_owned(), s))
        .collect();
    assert_eq!(rows, expected);
    assert!(!reply.to_string().contains("Annabel-9"), "{reply}");

    // Ben sees the mirror of it, and nothing of Ann's names.
    let (reply, rows) = flows(&server, &ben, id).await;
    let money = rows.iter().find(|r| r.0 == "money").unwrap();
    assert_eq!(
        (money.1.clone(), money.2.clone(), money.3.as_str()),
        (told(0, 0), told(4, 4), "to_them")
    );
    let emotional = rows.iter().find(|r| r.0 == "emotional").unwrap();
    assert_eq!(emotional.3, "to_me");
    let text = reply.to_string();
    assert!(
        !text.contains("Benedict-7") && !text.contains("Kim"),
        "{text}"
    );

    // Once Ben shares nothing, Ann gets no comparison, support and all.
    share(&server, &ben, id, "none").await;
    let (status, _) = call(
        &server,
        &ann,
        Method::GET,
        &format!("/api/v1/links/{id}/comparison"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 403);
}
