//! The support map: people with their reliance per domain read back as they
//! were given, and are removed once.

use std::collections::BTreeMap;

use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_store::StoreError;

fn level(value: u8) -> Level {
    Level::new(value).unwrap()
}

fn person(name: &str, role: Role, on: &[(Domain, u8)], back: &[(Domain, u8)]) -> Supporter {
    let mut supporter = Supporter::new(name, role);
    supporter.leans_on = on.iter().map(|(d, v)| (*d, level(*v))).collect();
    supporter.leans_back = back.iter().map(|(d, v)| (*d, level(*v))).collect();
    supporter
}

/// A supporter as the store keeps it: a missing domain and a 0 are the same,
/// so zeros are left out.
fn without_zeros(supporter: &Supporter) -> Supporter {
    let keep = |levels: &BTreeMap<Domain, Level>| {
        levels
            .iter()
            .filter(|(_, level)| level.get() > 0)
            .map(|(domain, level)| (*domain, *level))
            .collect()
    };
    Supporter {
        leans_on: keep(&supporter.leans_on),
        leans_back: keep(&supporter.leans_back),
        ..supporter.clone()
    }
}

contract! {
    async fn supporters_read_back_equal_and_are_removed_once(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let people = [
            // Two domains, leaning both ways in one and one way in the other.
            person(
                "Sam",
                Role::Partner,
                &[(Domain::Emotional, 4), (Domain::Money, 2)],
                &[(Domain::Emotional, 3)],
            ),
            // Only leaning back.
            person("Kim", Role::Friend, &[], &[(Domain::Practical, 1)]),
            // No reliance anywhere.
            person("Me", Role::Myself, &[], &[]),
            // An explicit 0 is the same as leaving the domain out.
            person(
                "Lee",
                Role::Family,
                &[(Domain::Company, 0), (Domain::Decisions, 4)],
                &[(Domain::Company, 0), (Domain::Validation, 0)],
            ),
        ];
        let mut ids = Vec::new();
        for supporter in &people {
            ids.push(store.add_supporter(owner, supporter).await.unwrap());
        }
        let expected: Vec<_> = ids
            .iter()
            .copied()
            .zip(people.iter().map(without_zeros))
            .collect();
        assert_eq!(store.support_map(owner).await.unwrap(), expected);
        for ((_, read), given) in expected.iter().zip(&people) {
            for domain in Domain::ALL {
                assert_eq!(read.level_on(domain), given.level_on(domain));
                assert_eq!(read.level_back(domain), given.level_back(domain));
            }
        }

        store.close().await;
        let store = f.reopen().await;
        assert_eq!(store.support_map(owner).await.unwrap(), expected);

        store.remove_supporter(owner, ids[0]).await.unwrap();
        assert!(matches!(
            store.remove_supporter(owner, ids[0]).await,
            Err(StoreError::NotFound { what: _, id }) if id == ids[0].0
        ));
        assert_eq!(
            store.support_map(owner).await.unwrap(),
            expected[1..].to_vec()
        );
        // The removed person's levels went with them.
        let left = f
            .raw()
            .await
            .integer(
                "SELECT CAST(count(*) AS BIGINT) FROM reliance WHERE supporter_id = $1",
                &[ids[0].0],
            )
            .await;
        assert_eq!(left, 0);
    }
}
