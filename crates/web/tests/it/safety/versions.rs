//! Codes and versions: "does not apply" is a choice kept as a code, and a
//! profile begun with an old version goes on with that version's questions.

use serde_json::Value;
use tandem_core::instrument::builtin::builtin_by_id;

use super::{store_of, text};
use crate::common::Server;

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
    // Begun by an older release: in the instrument's order.
    let open = store
        .start_administration_seeded(id, &old, "my partner", None)
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
