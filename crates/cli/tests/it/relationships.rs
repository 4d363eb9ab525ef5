//! `tandem relationships`: added with a role, listed with ids, a role
//! changed; a bad role, a bad name or someone's id that does not exist is a
//! clear error with its exit code, and changes nothing.

use crate::common::Tandem;

#[test]
fn relationships_are_added_listed_and_given_a_new_role() {
    let t = Tandem::new();
    assert_eq!(
        t.json(&["relationships", "list", "--json"]),
        serde_json::json!([])
    );
    t.cmd(&["relationships", "add", "Sam", "--role", "friend"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Added Sam (friend)"));
    t.cmd(&["relationships", "add", "Jo", "--role", "family"])
        .assert()
        .success();
    let listed = t.json(&["relationships", "list", "--json"]);
    let shape: Vec<(&str, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["role"].as_str().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    assert_eq!(shape, [("friend", "Sam"), ("other_family", "Jo")]);
    let jo = listed[1]["id"].to_string();
    t.cmd(&["relationships", "role", &jo, "sibling"])
        .assert()
        .success();
    assert_eq!(
        t.json(&["relationships", "list", "--json"])[1]["role"],
        "sibling"
    );

    let before = t.json(&["relationships", "list", "--json"]);
    let refusals: [(&[&str], i32, &str); 4] = [
        (
            &["relationships", "add", "Pat", "--role", "lodger"],
            3,
            "--role lodger",
        ),
        (
            &["relationships", "add", "  ", "--role", "friend"],
            3,
            "name",
        ),
        (&["relationships", "role", "999", "friend"], 4, "999"),
        (&["relationships", "role", &jo, "boss"], 3, "--role boss"),
    ];
    for (args, code, said) in refusals {
        t.cmd(args)
            .assert()
            .code(code)
            .stderr(predicates::str::contains(said));
    }
    let taken = t
        .cmd(&["relationships", "add", "sam", "--role", "friend"])
        .assert()
        .failure();
    let stderr = String::from_utf8(taken.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("already have someone called"), "{stderr}");
    assert_eq!(t.json(&["relationships", "list", "--json"]), before);
}
