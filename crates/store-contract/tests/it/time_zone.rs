//! A person's time zone: UTC until chosen, kept per person, sealed so the
//! file does not say where anyone lives, and kept through a key rotation.

use tandem_core::moments::TimeZoneName;
use tandem_store::StoreError;

fn zone(name: &str) -> TimeZoneName {
    TimeZoneName::parse(name).unwrap()
}

contract! {
    async fn a_time_zone_is_utc_until_chosen_and_kept_for_its_owner_alone(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
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

        let nobody = f.nobody().await;
        assert!(matches!(
            store.time_zone(nobody).await,
            Err(StoreError::NotFound { what: "user", .. })
        ));
        assert!(matches!(
            store.set_time_zone(nobody, &zone("UTC")).await,
            Err(StoreError::NotFound { .. })
        ));
    }

    async fn the_file_holds_the_zone_sealed_and_padded(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        store.set_time_zone(owner, &zone("UTC")).await.unwrap();
        store
            .set_time_zone(other, &zone("America/Argentina/Buenos_Aires"))
            .await
            .unwrap();
        let rows = f
            .raw()
            .await
            .bytes(
                "SELECT time_zone_sealed FROM users WHERE time_zone_sealed IS NOT NULL ORDER BY id",
                &[],
            )
            .await;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].len(), rows[1].len(), "the length tells the zone");
        for sealed in &rows {
            let text = String::from_utf8_lossy(sealed);
            assert!(!text.contains("Buenos") && !text.contains("UTC"), "{text}");
        }
    }

    async fn a_sealed_zone_moved_to_another_row_does_not_open(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        store
            .set_time_zone(owner, &zone("Asia/Tokyo"))
            .await
            .unwrap();
        store.set_time_zone(other, &zone("UTC")).await.unwrap();
        f.raw()
            .await
            .execute(
                "UPDATE users SET time_zone_sealed = \
                 (SELECT time_zone_sealed FROM users WHERE id = $1) WHERE id = $2",
                &[owner.id().0, other.id().0],
            )
            .await;
        assert!(store.time_zone(other).await.is_err());
        assert_eq!(
            store.time_zone(owner).await.unwrap().unwrap().as_str(),
            "Asia/Tokyo"
        );
    }
}
