//! `tandem admin audit verify` on a real data dir: an intact log passes;
//! an entry changed behind the store's back (past the trigger that refuses
//! any change) is found and named, with exit 1.

use tandem_store::UserName;
use tandem_store_contract::Raw;

use crate::common::{TEST_HASH, Tandem};

#[test]
fn verify_passes_an_intact_log_and_names_the_entry_someone_changed() {
    let t = Tandem::new();
    t.cmd(&["history"]).assert().success();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ann = runtime.block_on(async {
        let store = tandem_store_sqlite::open(&t.data_dir()).await.unwrap();
        let ann = store
            .create_account(&UserName::parse("ann").unwrap(), TEST_HASH, 1)
            .await
            .unwrap();
        for at in [10, 20, 30] {
            store.create_session(ann, "test", at).await.unwrap();
        }
        store.close().await;
        ann
    });

    let intact = t
        .cmd(&["admin", "audit", "verify", "--json"])
        .assert()
        .success();
    let check: serde_json::Value = serde_json::from_slice(&intact.get_output().stdout).unwrap();
    assert_eq!(check["entries"], 3);
    assert_eq!(check["broken"], serde_json::Value::Null);

    runtime.block_on(async {
        let raw = Raw::sqlite(&t.data_dir()).await;
        // The store itself refuses to change an entry.
        let refused = raw
            .try_execute(
                "UPDATE audit_entries SET detail = 'passkey' WHERE chain = ?1 AND seq = 2",
                &[ann.0],
            )
            .await;
        assert!(refused.unwrap_err().contains("never changed"));
        raw.execute("DROP TRIGGER audit_entries_append_only", &[])
            .await;
        let changed = raw
            .execute(
                "UPDATE audit_entries SET detail = 'passkey' WHERE chain = ?1 AND seq = 2",
                &[ann.0],
            )
            .await;
        assert_eq!(changed, 1);
        raw.close().await;
    });

    let broken = t.cmd(&["admin", "audit", "verify"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&broken.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("entry 2 of the chain of user {}", ann.0))
            && stderr.contains("contents do not match"),
        "{stderr}"
    );
}
