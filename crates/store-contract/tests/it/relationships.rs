//! Relationships: each person's own, with a role and a sealed name; every
//! administration belongs to the one of its "about" name (compared
//! normalised), made the first time the name is used; administrations from
//! before relationships were kept are attached when the store opens.

use tandem_core::answers::Answer;
use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_store::{RelationshipId, StoreError};
use tandem_store_contract::{answers, current};

fn about(text: &str) -> About {
    About::parse(text).unwrap()
}

contract! {
    async fn administrations_belong_to_the_relationship_of_their_name(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let rdp = current("rdp");
        let checkin = current("checkin");
        let item = checkin.items[0].id.to_string();
        let week = answers(&checkin, &[(&item, Answer::Value(3))]);

        let first = store.start_administration(ann, &rdp, "my partner").await.unwrap();
        let second = store.record_administration(ann, &checkin, "  My   Partner ", &week).await.unwrap();
        let third = store.start_administration_once(ann, &rdp, "Sam", "form-1").await.unwrap();
        let again = store.start_administration_once(ann, &rdp, "Sam", "form-1").await.unwrap();

        let kept = store.relationships(ann).await.unwrap();
        let shape: Vec<(Role, &str)> = kept.iter().map(|r| (r.role, r.name.as_str())).collect();
        assert_eq!(shape, [(Role::Partner, "my partner"), (Role::Other, "Sam")]);
        assert_eq!(first.relationship, kept[0].id);
        assert_eq!(second.relationship, kept[0].id);
        assert_eq!(third.relationship, kept[1].id);
        assert_eq!(again.id, third.id);
        // Read back, each says the same.
        let listed: Vec<RelationshipId> = store
            .administrations(ann, None)
            .await
            .unwrap()
            .iter()
            .map(|a| a.relationship)
            .collect();
        assert_eq!(listed, [kept[0].id, kept[0].id, kept[1].id]);
        assert_eq!(store.administration(ann, second.id).await.unwrap().relationship, kept[0].id);
    }

    async fn a_relationship_is_made_changed_and_kept_to_its_owner(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let alex = store.create_relationship(ann, Role::Friend, &about("Alex")).await.unwrap();
        assert_eq!((alex.role, alex.name.as_str()), (Role::Friend, "Alex"));

        // A name already in use, however it is spaced or cased, is refused
        // and nothing is stored.
        let before = f.row_counts().await;
        let err = store.create_relationship(ann, Role::Sibling, &about(" ALEX")).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(f.row_counts().await, before);
        // Another person may use the same name.
        store.create_relationship(ben, Role::Parent, &about("Alex")).await.unwrap();

        store.set_relationship_role(ann, alex.id, Role::Colleague).await.unwrap();
        assert_eq!(store.relationship(ann, alex.id).await.unwrap().role, Role::Colleague);

        // Someone else's is not there for them, to read or to change.
        let err = store.relationship(ben, alex.id).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "relationship", .. }), "{err:?}");
        let err = store.set_relationship_role(ben, alex.id, Role::Partner).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
        assert_eq!(store.relationship(ann, alex.id).await.unwrap().role, Role::Colleague);

        // An answer about "alex" belongs to Alex, who keeps the role given.
        let rdp = current("rdp");
        let taken = store.start_administration(ann, &rdp, "alex").await.unwrap();
        assert_eq!(taken.relationship, alex.id);
        assert_eq!(store.relationships(ann).await.unwrap().len(), 1);
    }

    async fn a_relationships_name_is_sealed_at_rest(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        store.create_relationship(ann, Role::Friend, &about("Marguerite")).await.unwrap();
        let raw = f.raw().await;
        let sealed = raw.bytes("SELECT name_sealed FROM relationships", &[]).await;
        raw.close().await;
        assert_eq!(sealed.len(), 1);
        assert!(
            !sealed[0].windows(b"Marguerite".len()).any(|w| w == b"Marguerite"),
            "the name is stored in the clear"
        );
    }

    async fn first_uses_of_one_name_at_once_make_one_relationship(f) {
        let ann = f.account("ann").await;
        let rdp = current("rdp");
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (store, rdp) = (f.store.clone(), rdp.clone());
            tasks.push(tokio::spawn(async move {
                store.start_administration(ann, &rdp, "Kim").await.unwrap().relationship
            }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.unwrap());
        }
        let kept = f.store.relationships(ann).await.unwrap();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(ids.iter().all(|id| *id == kept[0].id), "{ids:?}");
    }

    async fn administrations_from_before_relationships_are_attached_when_the_store_opens(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let rdp = current("rdp");
        let mut taken = Vec::new();
        for (owner, text) in [
            (ann, "my partner"),
            (ann, "My Partner"),
            (ann, "Mum"),
            (ann, " mum "),
            (ann, "Jo"),
            (ben, "my partner"),
        ] {
            taken.push((owner, store.start_administration(owner, &rdp, text).await.unwrap().id));
        }
        // As a store of the previous release has them: no relationships.
        let raw = f.raw().await;
        assert_eq!(raw.execute("UPDATE administrations SET relationship_id = NULL", &[]).await, 6);
        raw.execute("DELETE FROM relationships", &[]).await;
        raw.close().await;

        let reopened = f.reopen().await;
        let anns = reopened.relationships(ann).await.unwrap();
        let shape: Vec<(Role, &str)> = anns.iter().map(|r| (r.role, r.name.as_str())).collect();
        assert_eq!(
            shape,
            [(Role::Partner, "my partner"), (Role::Other, "Mum"), (Role::Other, "Jo")]
        );
        let bens = reopened.relationships(ben).await.unwrap();
        assert_eq!(bens.len(), 1);
        assert_eq!(bens[0].role, Role::Partner);
        let expected = [anns[0].id, anns[0].id, anns[1].id, anns[1].id, anns[2].id, bens[0].id];
        for ((owner, id), relationship) in taken.iter().zip(expected) {
            let back = reopened.administration(*owner, *id).await.unwrap();
            assert_eq!(back.relationship, relationship, "administration {id}");
        }
        // Nothing "about" was lost, and opening again attaches nothing new.
        let abouts: Vec<String> = reopened
            .administrations(ann, None)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.about)
            .collect();
        assert_eq!(abouts, ["my partner", "My Partner", "Mum", " mum ", "Jo"]);
        assert_eq!(reopened.attach_administrations().await.unwrap(), 0);
        reopened.close().await;
    }
}
