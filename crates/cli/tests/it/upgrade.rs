//! A store written by the previous release (tests/fixtures/store-1.0, made
//! by the build before RDP, check-in and safety screen 1.1) opens with this
//! build, and every record, text and score survives: administrations keep
//! scoring under the version they were taken with, check-in notes, people,
//! exercises, the kept safety screen and a web account are all still there,
//! each administration is attached to the relationship its "about" names,
//! and the plan is remade under today's rules.

use std::path::Path;

use serde_json::Value;

use crate::common::Tandem;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-1.0");

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("expected").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A copy of the old data dir, with the key file readable by its owner only.
fn old_store() -> Tandem {
    let t = Tandem::new();
    let dir = t.data_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["tandem.db", "secret.key"] {
        std::fs::copy(Path::new(FIXTURE).join(file), dir.join(file)).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("secret.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    t
}

#[test]
fn every_record_text_and_score_of_the_previous_release_survives() {
    let t = old_store();

    // Administrations: the same ids, versions, whom they were about, answer
    // counts and index scores, to the last bit.
    let history = t.json(&["history", "--json"]);
    let before = expected("history.json");
    let (now, then) = (
        history["administrations"].as_array().unwrap(),
        before["administrations"].as_array().unwrap(),
    );
    assert_eq!(now.len(), then.len());
    for (new, old) in now.iter().zip(then) {
        for key in [
            "id",
            "instrument",
            "version",
            "about",
            "answered",
            "indices",
            "started_at",
            "completed_at",
            "position",
        ] {
            assert_eq!(new[key], old[key], "administration {}: {key}", old["id"]);
        }
        assert_eq!(new["version"], "1.0.0");
    }
    // Check-in notes, sealed then and readable now, shown back.
    assert_eq!(
        now[2]["note"],
        "A calm week; we walked by the river on Sunday."
    );
    assert_eq!(now[3]["note"], "Hard week — Café talk didn't go well.");

    // Each distinct "about" became one relationship, the default one a
    // partner, the others "other" until the person says.
    let relationships = t.json(&["relationships", "list", "--json"]);
    let shape: Vec<(&str, &str)> = relationships
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["role"].as_str().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        shape,
        [
            ("partner", "my partner"),
            ("other", "my mother"),
            ("other", "Sam")
        ]
    );
    let ids: Vec<&Value> = relationships
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["id"])
        .collect();
    let attached: Vec<&Value> = now.iter().map(|a| &a["relationship"]).collect();
    assert_eq!(attached, [ids[0], ids[1], ids[0], ids[2]]);

    // Every facet and index score of both profiles, under version 1.0.0.
    for id in ["1", "2"] {
        let report = t.json(&["report", "--json", "--administration", id]);
        let old = expected(&format!("report-{id}.json"));
        assert_eq!(report["version"], "1.0.0");
        assert_eq!(report["about"], old["about"]);
        for part in ["facets", "indices"] {
            assert_eq!(report[part], old[part], "administration {id}: {part}");
        }
        // Scored with today's rules, too: a quality check and flags exist.
        assert!(report["response_quality"]["flags"].is_array());
        assert!(report["profile"]["flags"].is_array());
    }
    // The latest is about "my mother", the one before about the partner:
    // change is told within one relationship, so there is none yet.
    let latest = t.json(&["report", "--json"]);
    assert_eq!(latest["about"], "my mother");
    assert!(latest["change"].is_null(), "{}", latest["change"]);

    // People and exercises, names and texts intact.
    assert_eq!(
        t.json(&["network", "list", "--json"]),
        expected("network.json")
    );
    // Each exercise of the previous release is kept to its owner (`shown`
    // came later, and starts off for every exercise written before).
    let mut exercises = t.json(&["exercises", "list", "--json"]);
    for exercise in exercises.as_array_mut().unwrap() {
        let shown = exercise.as_object_mut().unwrap().remove("shown");
        assert_eq!(shown, Some(Value::Bool(false)), "{exercise}");
    }
    assert_eq!(exercises, expected("exercises.json"));

    // The kept safety screen, in its own version and its own place.
    let screens = t.json(&["safety", "list", "--json"]);
    assert_eq!(screens.as_array().unwrap().len(), 1);
    assert_eq!(screens[0]["version"], "1.0.0");
    assert_eq!(history["safety_screens"][0]["answered"], 7);

    // The plan was remade under today's rules: the kept screen had two
    // "Yes" answers, so safety leads and nothing is done together.
    let plan = t.json(&["plan", "--json"]);
    let items = plan.as_array().unwrap();
    assert_eq!(items[0]["strategy"], "help-if-you-feel-unsafe");
    assert!(items.iter().all(|i| i["joint"] == false), "{plan}");
    assert!(items.iter().filter(|i| i["status"] == "suggested").count() <= 3);
    for old in [
        "keep-doing-what-works",
        "practise-saying-no",
        "set-a-clear-limit",
    ] {
        assert!(
            items.iter().all(|i| i["strategy"] != old),
            "{old} in {plan}"
        );
    }
}

#[test]
fn the_web_account_of_the_previous_release_keeps_its_password_and_data() {
    let t = old_store();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = tandem_store_sqlite::open(&t.data_dir()).await.unwrap();
        store
            .integrity_check(&crate::common::rights().await.operator)
            .await
            .unwrap();
        let name = tandem_store::UserName::parse("rowan").unwrap();
        let (user, hash) = store.account_by_name(&name).await.unwrap().unwrap();
        let user = crate::common::session_owner(&store, user).await;
        assert!(hash.starts_with("$argon2id$"));
        let checkin = tandem_core::instrument::builtin::builtin_version("checkin", "1.0.0")
            .unwrap()
            .unwrap();
        let taken = store.administrations(user, Some("checkin")).await.unwrap();
        assert_eq!(taken.len(), 1);
        let answers = store.answers(user, &checkin, taken[0].id).await.unwrap();
        assert_eq!(
            answers.get("CI6"),
            Some(&tandem_core::answers::Answer::Text(
                "Rowan's note: good week.".into()
            ))
        );
        let people = store.support_map(user).await.unwrap();
        assert_eq!(people[0].1.name, "Ana");
        // Research use was never asked for, so it is off.
        assert!(!store.research_consent(user).await.unwrap());
        store.close().await;
    });
    // And the account still signs in to the web app with its old password.
    let signed_in = sign_in(&t, "rowan", "a quiet river in the valley 42");
    assert_eq!(signed_in, 200);
    let refused = sign_in(&t, "rowan", "not the password at all!!");
    assert!((400..500).contains(&refused), "{refused}");
}

/// Starts `tandem serve` on the old store (port 0; it says where it
/// listens) and signs in through the API: returns the status.
fn sign_in(t: &Tandem, name: &str, password: &str) -> u16 {
    let (mut server, address) = crate::common::serve(t);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        let base = format!("http://{address}");
        reqwest::Client::new()
            .post(format!("{base}/api/v1/session"))
            .header("origin", &base)
            .json(&serde_json::json!({ "name": name, "password": password }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    server.kill().unwrap();
    server.wait().unwrap();
    status
}
