//! A long history costs a results view no more than a short one: the same
//! number of trips to the database, and a trend of at most a bounded number
//! of points.

use serde_json::json;

use crate::common::{Server, User, all_rdp};

/// A check-in whose weekly pulse is `value` (CI7 and CI8 are reversed).
fn checkin(value: i64) -> serde_json::Value {
    let reversed = 6 - value;
    json!({ "answers": {
        "CI1": value, "CI7": reversed, "CI8": reversed, "CI9": value, "CI10": value
    }})
}

async fn record(server: &Server, user: &User, path: &str, body: serde_json::Value) {
    let answer = user
        .send(server, reqwest::Method::POST, path, body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
}

/// Two profiles and `checkins` weekly check-ins.
async fn person(server: &Server, name: &str, checkins: usize) -> User {
    let user = server.user(name).await;
    let profile = || json!({ "instrument": "rdp", "answers": all_rdp(3) });
    record(server, &user, "/api/v1/administrations", profile()).await;
    for i in 0..checkins {
        record(
            server,
            &user,
            "/api/v1/checkins",
            checkin(1 + (i % 5) as i64),
        )
        .await;
    }
    record(server, &user, "/api/v1/administrations", profile()).await;
    user
}

/// The page, and how many connections the store handed out to serve it.
async fn view(server: &Server, user: &User, path: &str) -> (String, u64) {
    let before = server.store().acquisitions();
    let page = user.page(server, path).await;
    (page, server.store().acquisitions() - before)
}

/// The values in the trend table's row for `series`.
fn trend_row(page: &str, series: &str) -> Vec<f64> {
    let table = page.find("From first to latest").expect("a trend table");
    let page = &page[table..];
    let start = format!("<th scope=\"row\">{series}</th><td>");
    let from = page.find(&start).map(|at| at + start.len());
    let Some(from) = from else {
        panic!("no trend row for {series}");
    };
    let cell = &page[from..from + page[from..].find("</td>").unwrap()];
    cell.split(" → ").map(|v| v.parse().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn results_with_two_hundred_administrations_cost_the_database_what_results_with_three_do() {
    let server = Server::start().await;
    let short = person(&server, "short", 1).await;
    let long = person(&server, "long", 198).await;

    for path in ["/results", "/report"] {
        // A session's last-seen time is written at most once a minute:
        // written now for both, so no view below writes it.
        for user in [&short, &long] {
            user.page(&server, "/account").await;
        }
        // The first view draws the trend; the next ones find it drawn.
        let (_, short_drawn) = view(&server, &short, path).await;
        let (_, long_drawn) = view(&server, &long, path).await;
        assert_eq!(long_drawn, short_drawn, "{path}, drawing");
        let (_, short_cached) = view(&server, &short, path).await;
        let (page, long_cached) = view(&server, &long, path).await;
        assert_eq!(long_cached, short_cached, "{path}, drawn");
        assert!(
            long_cached <= long_drawn,
            "{path}: {long_cached} > {long_drawn}"
        );
        assert!(
            long_drawn <= 24,
            "{path}: {long_drawn} trips to the database"
        );

        // 200 results: the latest 12 as they are (11 check-ins and the
        // second profile), the 188 before them one point a month (one
        // month, unless this test ran across the turn of one).
        let pulse = trend_row(&page, "Weekly pulse");
        let months = pulse.len() - 11;
        assert!((1..=2).contains(&months), "{path}: {pulse:?}");
        let latest: Vec<f64> = (187..198).map(|i| (1 + i % 5) as f64).collect();
        assert_eq!(pulse[months..], latest[..], "{path}");
        if months == 1 {
            let older: f64 = (0..187).map(|i| (1 + i % 5) as f64).sum::<f64>() / 187.0;
            assert!(
                (pulse[0] - (older * 10.0).round() / 10.0).abs() < 1e-9,
                "{path}"
            );
        }
        assert!(
            page.contains("The 188 before them are shown as averages"),
            "{path}"
        );
        // Two profiles, each its own point.
        assert_eq!(trend_row(&page, "Over-dependence").len(), 2, "{path}");
    }

    // A new check-in is drawn at once (the scores version rose).
    record(&server, &long, "/api/v1/checkins", checkin(5)).await;
    let (page, _) = view(&server, &long, "/results").await;
    let pulse = trend_row(&page, "Weekly pulse");
    assert!((12..=13).contains(&pulse.len()), "{pulse:?}");
    assert_eq!(pulse.last(), Some(&5.0));
}
