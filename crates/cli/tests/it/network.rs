//! The support map through the CLI: people in, metrics and flags out.

use serde_json::Value;

use crate::common::Tandem;

fn flag_kinds(show: &Value) -> Vec<String> {
    show["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["flag"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn three_people_give_metrics_and_flags() {
    let t = Tandem::new();
    let add = |args: &[&str]| t.json(&[&["network", "add"], args, &["--json"]].concat());
    let alex = add(&[
        "Alex",
        "--role",
        "partner",
        "--lean",
        "emotional=4",
        "--lean",
        "validation=4",
        "--lean",
        "money=3",
        "--lean",
        "decisions=3",
        "--back",
        "emotional=2",
    ]);
    add(&[
        "Sam",
        "--role",
        "friend",
        "--lean",
        "emotional=1",
        "--lean",
        "company=3",
        "--back",
        "company=3",
    ]);
    add(&[
        "Mum",
        "--role",
        "family",
        "--lean",
        "emotional=1",
        "--lean",
        "practical=2",
    ]);
    let show = t.json(&["network", "show", "--json"]);
    assert_eq!(show["people"], 3);
    let emotional = show["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain"] == "emotional")
        .unwrap();
    // Weights 4, 1, 1: share 4/6, HHI (4/6)² + 2·(1/6)² = 0.5, effective 2.
    assert!((emotional["partner_share"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-9);
    assert!((emotional["hhi"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!((emotional["effective_supporters"].as_f64().unwrap() - 2.0).abs() < 1e-9);
    let kinds = flag_kinds(&show);
    // Validation rests on the partner alone (share 1 > 0.8); money, decisions
    // and validation have no other source: all eggs in one basket.
    assert!(
        kinds.contains(&"partner_share_high".to_owned()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"all_eggs_in_one_basket".to_owned()),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"one_supporter".to_owned()), "{kinds:?}");
    for flag in show["flags"].as_array().unwrap() {
        assert!(!flag["message"].as_str().unwrap().is_empty());
    }
    let alex_balance = show["reciprocity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Alex")
        .unwrap();
    // Gives 2, receives 14: (2 − 14) / 16 = −0.75.
    assert!((alex_balance["balance"].as_f64().unwrap() + 0.75).abs() < 1e-9);

    // Removing the partner clears the partner flags.
    let id = alex["id"].to_string();
    t.cmd(&["network", "remove", &id]).assert().success();
    let after = flag_kinds(&t.json(&["network", "show", "--json"]));
    assert!(!after.contains(&"partner_share_high".to_owned()));
    assert_eq!(
        t.json(&["network", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
