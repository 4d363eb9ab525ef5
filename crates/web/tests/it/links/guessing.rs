//! "How I think my partner answered": each guesses a few of the other's
//! answers; the comparison shows how close each came only when both take
//! part, the other's answers item by item only when they share items, and
//! the other's guesses only when they show them. A guess off the list or
//! the scale is refused by name, with nothing kept.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, link, share, take};
use crate::common::{Server, User, all_rdp};

const ASKED: [&str; 6] = ["ER1", "VS1", "FA2", "CT1", "CN1", "DT1"];

async fn put(server: &Server, user: &User, path: String, body: Value) -> (u16, Value) {
    call(server, user, Method::PUT, &path, body).await
}

async fn guessing(server: &Server, user: &User, link: i64) -> Value {
    let (status, reply) = call(
        server,
        user,
        Method::GET,
        &format!("/api/v1/links/{link}/comparison"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    reply["guessing"].clone()
}

/// Two linked partners sharing indices: Ann answered 3 to everything, Ben
/// 5, 1, 4, 2, 3, 5 to the items asked (3 to the rest).
async fn couple(server: &Server, ann: &str, ben: &str) -> (User, User, i64) {
    let (ann, ben) = (server.user(ann).await, server.user(ben).await);
    take(server, &ann, all_rdp(3)).await;
    let mut bens = all_rdp(3);
    for (item, value) in ASKED.iter().zip([5, 1, 4, 2, 3, 5]) {
        bens[*item] = json!(value);
    }
    take(server, &ben, bens).await;
    let id = link(server, &ann, &ben).await;
    share(server, &ann, id, "indices").await;
    share(server, &ben, id, "indices").await;
    (ann, ben, id)
}

fn close(value: &Value, expected: f64) -> bool {
    (value.as_f64().unwrap() - expected).abs() < 1e-12
}

#[tokio::test]
async fn each_reads_the_other_only_with_both_taking_part() {
    let server = Server::start().await;
    let (ann, ben, id) = couple(&server, "ann-guess", "ben-guess").await;
    let guesses = format!("/api/v1/links/{id}/guesses");

    // The items asked, worded as the partner read them, none guessed yet.
    let form = ann.json(&server, &guesses).await;
    assert_eq!(form["guessing"], "off");
    let asked: Vec<&str> = form["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item"].as_str().unwrap())
        .collect();
    assert_eq!(asked, ASKED);
    assert!(
        form["items"][0]["text"]
            .as_str()
            .unwrap()
            .contains("my partner")
    );
    assert_eq!(form["items"][0]["guess"], Value::Null);

    // Ann takes part and guesses; Ben does not take part yet.
    let (status, _) = put(
        &server,
        &ann,
        format!("/api/v1/links/{id}/guessing"),
        json!({"guessing": "private"}),
    )
    .await;
    assert_eq!(status, 204);
    let anns = json!({"guesses": {"ER1": 5, "VS1": 2, "FA2": 4, "CT1": 4}});
    assert_eq!(put(&server, &ann, guesses.clone(), anns).await.0, 204);
    let off = json!({"both_take_part": false, "mine": null, "theirs": null});
    assert_eq!(guessing(&server, &ann, id).await, off);
    assert_eq!(guessing(&server, &ben, id).await, off);

    // A guess off the list or off the scale is refused by name; nothing of
    // the set is kept.
    for (bad, field) in [
        (json!({"ER1": 1, "BD2": 3}), "guesses.BD2"),
        (json!({"ER1": 1, "VS1": 9}), "guesses.VS1"),
        (json!({"ER1": 0}), "guesses.ER1"),
    ] {
        let (status, problem) = put(&server, &ann, guesses.clone(), json!({"guesses": bad})).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    let kept = ann.json(&server, &guesses).await;
    assert_eq!(kept["guessing"], "private");
    let kept: Vec<Value> = kept["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["guess"].clone())
        .collect();
    assert_eq!(
        kept,
        [
            json!(5),
            json!(2),
            json!(4),
            json!(4),
            Value::Null,
            Value::Null
        ]
    );

    // Ben takes part and shows his guesses of Ann (who answered 3 to all).
    let (status, _) = put(
        &server,
        &ben,
        format!("/api/v1/links/{id}/guessing"),
        json!({"guessing": "shown"}),
    )
    .await;
    assert_eq!(status, 204);
    let bens_guesses = json!({"guesses": {"ER1": 3, "VS1": 1}});
    assert_eq!(
        put(&server, &ben, guesses.clone(), bens_guesses).await.0,
        204
    );

    // Ann: off by 0, 1, 0 and 2 on Ben's 5, 1, 4, 2: 1 − (3/4)/4.
    let anns_view = guessing(&server, &ann, id).await;
    assert_eq!(anns_view["both_take_part"], true);
    let mine = &anns_view["mine"];
    assert!(close(&mine["reading"]["accuracy"], 0.8125), "{mine}");
    assert_eq!(mine["reading"]["exact"], 2);
    assert_eq!(mine["reading"]["compared"], 4);
    // Ben shares indices only: his answers stay his.
    for item in mine["items"].as_array().unwrap() {
        assert_eq!(item["answer"], Value::Null, "{item}");
    }
    // Ben shows his guesses: beside Ann's own answers, off by 0 and 2.
    let theirs = &anns_view["theirs"];
    assert!(close(&theirs["reading"]["accuracy"], 0.75), "{theirs}");
    assert_eq!(theirs["items"][1]["guess"], 1);
    assert_eq!(theirs["items"][1]["answer"], 3);

    // Ben sees his own reading, not Ann's guesses (she keeps them private).
    let bens_view = guessing(&server, &ben, id).await;
    assert!(close(&bens_view["mine"]["reading"]["accuracy"], 0.75));
    assert_eq!(bens_view["theirs"], Value::Null);

    // When Ben shares items, Ann sees his answers beside her guesses.
    share(&server, &ben, id, "items").await;
    let answers: Vec<Value> = guessing(&server, &ann, id).await["mine"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["answer"].clone())
        .collect();
    assert_eq!(answers, [json!(5), json!(1), json!(4), json!(2)]);

    // Ben leaves the part: nothing of it shows to either.
    let (status, _) = put(
        &server,
        &ben,
        format!("/api/v1/links/{id}/guessing"),
        json!({"guessing": "off"}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(guessing(&server, &ann, id).await, off);

    // Unlinking takes the guesses with it.
    let (status, _) = call(
        &server,
        &ben,
        Method::DELETE,
        &format!("/api/v1/links/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, &ann, Method::GET, &guesses, Value::Null).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_guessing_page_works_without_javascript() {
    let server = Server::start().await;
    let (ann, ben, id) = couple(&server, "ann-guess-page", "ben-guess-page").await;
    let path = format!("/links/{id}/guesses");

    let page = ann.page(&server, &path).await;
    assert!(
        page.contains("How do you think your partner answered?"),
        "{page}"
    );
    for item in ASKED {
        assert!(page.contains(&format!("name=\"{item}\"")), "{item}");
    }
    assert!(page.contains("id=\"guessing-off\" name=\"guessing\" value=\"off\" checked"));

    // A point off the scale is refused on the page, and nothing is kept.
    let refused = ann
        .form(&server, &path, &[("guessing", "private"), ("ER1", "9")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("ER1: 9 is not between 1 and 5")
    );
    assert_eq!(
        ann.json(&server, &format!("/api/v1{path}")).await["guessing"],
        "off"
    );

    let (to, page) = ann
        .post_then_get(
            &server,
            &path,
            &[
                ("guessing", "private"),
                ("ER1", "5"),
                ("VS1", "2"),
                ("FA2", "4"),
                ("CT1", "4"),
            ],
        )
        .await;
    assert_eq!(to, path);
    assert!(
        page.contains("id=\"guess-ER1-5\" name=\"ER1\" value=\"5\" checked"),
        "{page}"
    );
    ben.post_then_get(&server, &path, &[("guessing", "shown"), ("ER1", "3")])
        .await;

    let comparison = ann.page(&server, &format!("/links/{id}")).await;
    assert!(
        comparison.contains("How well you read each other"),
        "{comparison}"
    );
    assert!(
        comparison.contains("Your guesses came 81% close"),
        "{comparison}"
    );
    assert!(
        comparison.contains("Your partner&#x27;s guesses came 100% close")
            || comparison.contains("Your partner's guesses came 100% close"),
        "{comparison}"
    );
    let bens = ben.page(&server, &format!("/links/{id}")).await;
    assert!(bens.contains("Your guesses came 100% close"), "{bens}");
    assert!(
        !bens.contains("Your partner&#x27;s guesses") && !bens.contains("Your partner's guesses")
    );
}
