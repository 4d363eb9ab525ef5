//! A person's time zone: UTC until chosen, kept per person, sealed so the
//! file does not say where anyone lives, and kept through a key rotation.

use tandem_core::moments::TimeZoneName;
use tandem_store::StoreError;

use crate::common::{fresh, other_user, raw};

fn zone(name: &str) -> TimeZoneName {
    TimeZoneName::parse(name).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_time_zone_is_utc_until_chosen_and_kept_for_its_owner_alone() {
    let (dir, store, owner) = fresh().await;
    let other = other_user(&store, dir.path(), "other").await;
    assert_eq!(store.time_zone(owner).await.unwrap(), None);

    store
        .set_time_zone(owner, &zone("Asia/Tokyo"))
        .await
        .unwrap();
    store
        .set_time_zone(other, &zone("Europe/London"))
        .await
        .unwrap();
    assert_eq!(
        store.time_zone(owner).await.unwrap().unwrap().as_str(),
        "Asia/Tokyo"
    );
    assert_eq!(
        store.time_zone(other).await.unwrap().unwrap().as_str(),
        "Europe/London"
    );

    store
        .set_time_zone(owner, &zone("Asia/Kolkata"))
        .await
        .unwrap();
    assert_eq!(
        store.time_zone(owner).await.unwrap().unwrap().as_str(),
        "Asia/Kolkata"
    );
    assert_eq!(
        store.time_zone(other).await.unwrap().unwrap().as_str(),
        "Europe/London"
    );

    let nobody = crate::common::nobody(&store, dir.path()).await;
    assert!(matches!(
        store.time_zone(nobody).await,
        Err(StoreError::NotFound { what: "user", .. })
    ));
    assert!(matches!(
        store.set_time_zone(nobody, &zone("UTC")).await,
        Err(StoreError::NotFound { .. })
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_file_holds_the_zone_sealed_and_padded() {
    let (dir, store, owner) = fresh().await;
    let other = other_user(&store, dir.path(), "other").await;
    store.set_time_zone(owner, &zone("UTC")).await.unwrap();
    store
        .set_time_zone(other, &zone("America/Argentina/Buenos_Aires"))
        .await
        .unwrap();
    let pool = raw(dir.path()).await;
    let rows: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT time_zone_sealed FROM users WHERE time_zone_sealed IS NOT NULL ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].len(), rows[1].len(), "the length tells the zone");
    for sealed in &rows {
        let text = String::from_utf8_lossy(sealed);
        assert!(!text.contains("Buenos") && !text.contains("UTC"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sealed_zone_moved_to_another_row_does_not_open() {
    let (dir, store, owner) = fresh().await;
    let other = other_user(&store, dir.path(), "other").await;
    store
        .set_time_zone(owner, &zone("Asia/Tokyo"))
        .await
        .unwrap();
    store.set_time_zone(other, &zone("UTC")).await.unwrap();
    let pool = raw(dir.path()).await;
    sqlx::query(
        "UPDATE users SET time_zone_sealed = (SELECT time_zone_sealed FROM users WHERE id = ?) WHERE id = ?",
    )
    .bind(owner.id().0)
    .bind(other.id().0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(store.time_zone(other).await.is_err());
    assert_eq!(
        store.time_zone(owner).await.unwrap().unwrap().as_str(),
        "Asia/Tokyo"
    );
}
