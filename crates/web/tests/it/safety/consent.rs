//! Research consent: off by default, and toggled by the API and the page.

use reqwest::Method;
use serde_json::{Value, json};

use super::{store_of, text};
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn research_consent_is_off_by_default_and_toggles() {
    let server = Server::start().await;
    let user = server.user("fulmar").await;
    let (store, id) = store_of(&server, "fulmar").await;
    let get = || async {
        user.get(&server, "/api/v1/research")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert_eq!(get().await, json!({ "research": false }));
    assert!(!store.research_consent(id).await.unwrap());
    assert!(
        !text(&user, &server, "/account")
            .await
            .contains("value=\"yes\" checked")
    );

    // The API.
    for research in [true, false, true] {
        let put = user
            .send(
                &server,
                Method::PUT,
                "/api/v1/research",
                json!({ "research": research }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200);
        assert_eq!(get().await, json!({ "research": research }));
        assert_eq!(store.research_consent(id).await.unwrap(), research);
    }
    let bad = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/research",
            json!({ "research": "yes" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(store.research_consent(id).await.unwrap());

    // The page: an unticked box takes consent back, a ticked one gives it.
    let off = user
        .form(&server, "/account/research", &[])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 303);
    assert!(!store.research_consent(id).await.unwrap());
    let on = user
        .form(&server, "/account/research", &[("research", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(on.status(), 303);
    assert!(store.research_consent(id).await.unwrap());
    assert!(
        text(&user, &server, "/account")
            .await
            .contains("value=\"yes\" checked")
    );
}
