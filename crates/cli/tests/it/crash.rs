//! kill -9 of the server during a burst of submissions loses no committed
//! answer, and the store opens afterwards and passes its integrity check.

use serde_json::json;

use crate::common::Tandem;

#[test]
fn a_killed_server_loses_no_committed_check_in() {
    let t = Tandem::new();
    let (mut server, address) = crate::common::serve(&t);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let confirmed = runtime.block_on(async {
        let base = format!("http://{address}");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let created = client
            .post(format!("{base}/api/v1/accounts"))
            .header("origin", &base)
            .json(&json!({ "name": "burst", "password": "otters hold hands while asleep" }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let csrf = created.json::<serde_json::Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        // A burst of check-ins from 16 tasks; the server is killed while they run.
        let (send, mut receive) = tokio::sync::mpsc::unbounded_channel();
        for _ in 0..16 {
            let (client, base, csrf, send) =
                (client.clone(), base.clone(), csrf.clone(), send.clone());
            tokio::spawn(async move {
                loop {
                    let response = client
                        .post(format!("{base}/api/v1/checkins"))
                        .header("x-csrf-token", &csrf)
                        .json(&json!({ "answers": { "CI1": 4, "CI7": 3 } }))
                        .send()
                        .await;
                    match response {
                        Ok(r) if r.status() == 201 => {
                            if send.send(()).is_err() {
                                return;
                            }
                        }
                        _ => return,
                    }
                }
            });
        }
        drop(send);
        let mut confirmed = 0u64;
        while confirmed < 300 {
            if receive.recv().await.is_none() {
                break;
            }
            confirmed += 1;
        }
        server.kill().unwrap();
        server.wait().unwrap();
        while receive.recv().await.is_some() {
            confirmed += 1;
        }
        confirmed
    });
    assert!(confirmed >= 300, "the burst ran ({confirmed} confirmed)");
    runtime.block_on(async {
        let store = tandem_store::Store::open(&t.data_dir()).await.unwrap();
        store.integrity_check().await.unwrap();
        let name = tandem_store::UserName::parse("burst").unwrap();
        let (user, _) = store.account_by_name(&name).await.unwrap().unwrap();
        let kept = store
            .administrations(user, Some("checkin"))
            .await
            .unwrap()
            .len() as u64;
        assert!(kept >= confirmed, "{kept} kept, {confirmed} confirmed");
    });
}
