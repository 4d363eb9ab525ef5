//! The two schemas hold the same things: one story of a person's use,
//! written through each engine, reads back identically through the store's
//! traits — every administration and answer, kept score, safety screen,
//! plan item, exercise and supporter, with the ids each engine gave.
//! Only the times the database's clock set (when an administration or a
//! screen began and ended) may differ; they are compared by shape.

use serde_json::json;
use tandem_core::answers::Answer;
use tandem_core::instrument::builtin::builtin_version;
use tandem_core::moments::TimeZoneName;
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::score;
use tandem_store::{NewSuggestion, PlanStatus, RecoveryHash};
use tandem_store_contract::{Fresh, answers, current};

/// Writes the story through `f`'s store and reads all of it back, one
/// line per thing read, times of the database's clock replaced by `<t>`.
async fn story(f: &Fresh) -> Vec<String> {
    let store = &f.store;
    let ann = f.account("ann").await;
    let zone = TimeZoneName::parse("Pacific/Auckland").unwrap();
    store.set_time_zone(ann, &zone).await.unwrap();
    store
        .replace_recovery_codes(
            ann,
            &[RecoveryHash {
                selector: "s1".into(),
                hash: "h1".into(),
            }],
            10,
        )
        .await
        .unwrap();
    store.set_research_consent(ann, true).await.unwrap();

    let rdp = current("rdp");
    let given: Vec<(String, Answer)> = rdp
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.to_string(), Answer::Value((i % 5) as i64 + 1)))
        .collect();
    let pairs: Vec<(&str, Answer)> = given.iter().map(|(i, a)| (i.as_str(), a.clone())).collect();
    let recorded = store
        .record_administration(ann, &rdp, "my partner Sam", &answers(&rdp, &pairs))
        .await
        .unwrap();
    let scores = score(&rdp, &answers(&rdp, &pairs)).unwrap();
    store.keep_scores(ann, recorded.id, &scores).await.unwrap();

    let checkin = current("checkin");
    let open = store
        .start_administration(ann, &checkin, "this week")
        .await
        .unwrap();
    let first = checkin.items[0].id.to_string();
    store
        .save_answer(ann, &checkin, open.id, &first, &Answer::Value(2), 1)
        .await
        .unwrap();

    let safety = tandem_store_contract::instrument("safety");
    let screen = SafetyScreen::from_answers(
        &safety,
        answers(
            &safety,
            &[("SF1", Answer::Value(1)), ("SF3", Answer::Value(0))],
        ),
    )
    .unwrap();
    store
        .record_safety_screen(ann, &safety, &screen)
        .await
        .unwrap();

    let plan = store
        .refresh_plan(
            ann,
            tandem_store_contract::partner_of(store, ann).await,
            &[
                NewSuggestion {
                    strategy: "reach-out".into(),
                    reason: json!({"kind": "facet", "facet": "isolation"}),
                    from_safety: false,
                },
                NewSuggestion {
                    strategy: "safety-plan".into(),
                    reason: json!({"kind": "safety"}),
                    from_safety: true,
                },
            ],
            1_700_000_000,
        )
        .await
        .unwrap();
    store
        .set_plan_status(ann, plan[0].id, PlanStatus::Chosen, 1_700_000_100)
        .await
        .unwrap();
    let exercise = store
        .save_exercise(
            ann,
            "values",
            Some(plan[0].id),
            &json!({"values": ["time with friends", "rest"]}),
            1_700_000_200,
        )
        .await
        .unwrap();
    store
        .tick_week(ann, exercise, "2026-W48", true)
        .await
        .unwrap();

    let mut jo = Supporter::new("Jo", Role::Friend);
    jo.leans_on
        .insert(Domain::Emotional, Level::new(3).unwrap());
    jo.leans_back
        .insert(Domain::Practical, Level::new(1).unwrap());
    store.add_supporter(ann, &jo).await.unwrap();

    // Everything read back, through the traits.
    let mut lines = vec![
        format!("name {}", store.user_name(ann).await.unwrap()),
        format!("zone {:?}", store.time_zone(ann).await.unwrap()),
        format!("codes {}", store.recovery_codes_left(ann).await.unwrap()),
        format!("consent {}", store.research_consent(ann).await.unwrap()),
        format!(
            "scores version {}",
            store.scores_version(ann).await.unwrap()
        ),
    ];
    for administration in store.administrations(ann, None).await.unwrap() {
        let started = clock(&administration.started_at);
        let completed = administration.completed_at.as_deref().map(clock);
        let taken = builtin_version(&administration.instrument, &administration.version)
            .unwrap()
            .unwrap();
        let answers = store.answers(ann, &taken, administration.id).await.unwrap();
        lines.push(format!(
            "administration {:?} {} {} {:?} at {} started {started} completed {completed:?}",
            administration.id,
            administration.instrument,
            administration.version,
            administration.about,
            administration.position,
        ));
        lines.push(format!("  answers {answers:?}"));
    }
    for mut point in store.score_points(ann).await.unwrap() {
        point.completed_at = clock(&point.completed_at);
        lines.push(format!("score {point:?}"));
    }
    for mut screen in store.safety_screens(ann).await.unwrap() {
        screen.started_at = clock(&screen.started_at);
        screen.completed_at = screen.completed_at.as_deref().map(clock);
        lines.push(format!("screen {screen:?}"));
    }
    for item in store
        .plan(ann, tandem_store_contract::partner_of(store, ann).await)
        .await
        .unwrap()
    {
        lines.push(format!("plan {item:?}"));
    }
    for item in store
        .plan_history(ann, tandem_store_contract::partner_of(store, ann).await)
        .await
        .unwrap()
    {
        lines.push(format!("history {item:?}"));
    }
    for exercise in store.exercises(ann, None).await.unwrap() {
        lines.push(format!("exercise {exercise:?}"));
    }
    for supporter in store.support_map(ann).await.unwrap() {
        lines.push(format!("supporter {supporter:?}"));
    }
    lines
}

/// A time the database's clock set, checked to be RFC 3339 in UTC.
fn clock(at: &str) -> String {
    assert!(
        at.parse::<jiff::Timestamp>().is_ok() && at.ends_with('Z'),
        "not an RFC 3339 UTC time: {at}"
    );
    "<t>".into()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_story_written_through_either_engine_reads_back_the_same() {
    let (sqlite, postgres) = tokio::join!(Fresh::sqlite(), Fresh::postgres());
    let (on_sqlite, on_postgres) = tokio::join!(story(&sqlite), story(&postgres));
    assert!(on_sqlite.len() >= 12, "{on_sqlite:#?}");
    for (line, (a, b)) in on_sqlite.iter().zip(&on_postgres).enumerate() {
        assert_eq!(a, b, "line {line} differs");
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
}
