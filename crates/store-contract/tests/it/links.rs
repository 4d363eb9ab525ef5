//! Partner links: an invite one partner makes and the other accepts, a side
//! each with its own sharing level (nothing until changed), reads of the
//! other side only through a grant the store mints while the link is
//! current and the other shares something, checked again as they are read;
//! unlinking by either ends it for both at once.

use std::collections::BTreeMap;

use tandem_core::answers::Answer;
use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_core::scoring::score;
use tandem_store::links::{INVITE_SECONDS, code_hash, new_code};
use tandem_store::{LinkId, LinkLevel, Mark, Owner, RelationshipId, Store, StoreError};
use tandem_store_contract::{answers, current};

const NOW: i64 = 1_800_000_000;

/// A finished RDP about `about`, every item answered `value`, scores kept;
/// its index and facet scores.
async fn finished_rdp(store: &Store, owner: Owner, about: &str, value: i64) -> Scored {
    let rdp = current("rdp");
    let ids: Vec<String> = rdp.items.iter().map(|item| item.id.to_string()).collect();
    let pairs: Vec<(&str, Answer)> = ids
        .iter()
        .map(|id| (id.as_str(), Answer::Value(value)))
        .collect();
    let given = answers(&rdp, &pairs);
    let recorded = store
        .record_administration(owner, &rdp, about, &given)
        .await
        .unwrap();
    let scores = score(&rdp, &given).unwrap();
    store
        .keep_scores(owner, recorded.id, &scores)
        .await
        .unwrap();
    let of = |scores: Vec<(String, Option<f64>)>| -> BTreeMap<String, f64> {
        scores
            .into_iter()
            .filter_map(|(id, x)| Some((id, x?)))
            .collect()
    };
    Scored {
        indices: of(scores
            .indices
            .iter()
            .map(|(id, s)| (id.to_string(), s.score))
            .collect()),
        facets: of(scores
            .facets
            .iter()
            .map(|(id, s)| (id.to_string(), s.score))
            .collect()),
    }
}

/// What an administration scored.
struct Scored {
    indices: BTreeMap<String, f64>,
    facets: BTreeMap<String, f64>,
}

/// `owner`'s partner relationship, made for the test.
async fn partner(store: &Store, owner: Owner) -> RelationshipId {
    store
        .create_relationship(owner, Role::Partner, &About::parse("my partner").unwrap())
        .await
        .unwrap()
        .id
}

/// An invite by `from` for `from_rel`, accepted by `to` for `to_rel`.
async fn linked(
    store: &Store,
    from: Owner,
    from_rel: RelationshipId,
    to: Owner,
    to_rel: RelationshipId,
) -> LinkId {
    let code = new_code().unwrap();
    let hash = code_hash(&code).unwrap();
    store
        .create_invite(from, from_rel, &hash, NOW, NOW + INVITE_SECONDS)
        .await
        .unwrap();
    store
        .accept_invite(to, &hash, to_rel, NOW + 60)
        .await
        .unwrap()
}

fn is_bad_code(err: &StoreError) -> bool {
    matches!(err, StoreError::Invalid { field, .. } if field == "code")
}

contract! {
    async fn each_side_sees_the_other_only_at_the_level_the_other_shares(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        finished_rdp(store, ann, "my partner", 2).await;
        let latest_of_ann = finished_rdp(store, ann, "my partner", 4).await;
        // Another relationship of Ann's is never part of this link.
        finished_rdp(store, ann, "Sam", 1).await;
        finished_rdp(store, ben, "my partner", 3).await;
        let link = linked(store, ann, ann_rel, ben, ben_rel).await;

        let ann_links = store.links(ann).await.unwrap();
        let ben_links = store.links(ben).await.unwrap();
        assert_eq!(ann_links.len(), 1);
        assert_eq!((ann_links[0].id, ann_links[0].relationship, ann_links[0].sharing), (link, ann_rel, LinkLevel::None));
        assert_eq!((ben_links[0].id, ben_links[0].relationship, ben_links[0].sharing), (link, ben_rel, LinkLevel::None));
        // Nothing is shared until a side says so.
        assert!(store.partner_grant(ben, link).await.unwrap().is_none());
        assert!(store.partner_grant(ann, link).await.unwrap().is_none());

        store.set_link_sharing(ann, link, LinkLevel::Indices).await.unwrap();
        let (grant, level) = store.partner_grant(ben, link).await.unwrap().unwrap();
        assert_eq!(level, LinkLevel::Indices);
        // Ann still sees nothing of Ben's.
        assert!(store.partner_grant(ann, link).await.unwrap().is_none());
        let seen = store.partner_scores(&grant, &[0, i64::MAX]).await.unwrap();
        assert!(seen[0].is_none(), "nothing was finished at the epoch");
        let latest = seen[1].as_ref().unwrap();
        assert_eq!(latest.level, LinkLevel::Indices);
        assert_eq!(latest.indices, latest_of_ann.indices, "the latest about the partner");
        assert!(latest.facets.is_none() && latest.items.is_none());

        // A level changed is what the same grant reads next.
        store.set_link_sharing(ann, link, LinkLevel::Facets).await.unwrap();
        let latest = store.partner_scores(&grant, &[i64::MAX]).await.unwrap().remove(0).unwrap();
        assert_eq!(latest.facets.as_ref(), Some(&latest_of_ann.facets));
        assert!(latest.items.is_none());
        store.set_link_sharing(ann, link, LinkLevel::Items).await.unwrap();
        let latest = store.partner_scores(&grant, &[i64::MAX]).await.unwrap().remove(0).unwrap();
        let items = latest.items.unwrap();
        assert_eq!(items.len(), current("rdp").items.len());
        assert!(items.values().all(|v| *v == 4));

        store.set_link_sharing(ann, link, LinkLevel::None).await.unwrap();
        let err = store.partner_scores(&grant, &[i64::MAX]).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "link", .. }), "{err:?}");
        assert!(store.partner_grant(ben, link).await.unwrap().is_none());
    }

    async fn an_invite_is_for_a_partner_used_once_and_expires(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let cat = f.account("cat").await;
        let (ann_rel, ben_rel, cat_rel) =
            (partner(store, ann).await, partner(store, ben).await, partner(store, cat).await);
        let friend = store
            .create_relationship(ann, Role::Friend, &About::parse("Alex").unwrap())
            .await
            .unwrap()
            .id;
        let code = new_code().unwrap();
        let hash = code_hash(&code).unwrap();

        let before = f.row_counts().await;
        let err = store.create_invite(ann, friend, &hash, NOW, NOW + 10).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "relationship"), "{err:?}");
        let err = store.create_invite(ann, ben_rel, &hash, NOW, NOW + 10).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "relationship", .. }), "{err:?}");
        assert_eq!(f.row_counts().await, before, "a refused invite stores nothing");

        store.create_invite(ann, ann_rel, &hash, NOW, NOW + INVITE_SECONDS).await.unwrap();
        let invites = store.invites(ann, NOW).await.unwrap();
        assert_eq!(invites.len(), 1);
        assert_eq!((invites[0].relationship, invites[0].expires_unix), (ann_rel, NOW + INVITE_SECONDS));
        assert!(store.invites(ann, NOW + INVITE_SECONDS).await.unwrap().is_empty());

        // One's own code, a code after it expired, and a made-up one are
        // the same refusal, and change nothing.
        let before = f.row_counts().await;
        assert!(is_bad_code(&store.accept_invite(ann, &hash, ann_rel, NOW + 1).await.unwrap_err()));
        assert!(is_bad_code(&store.accept_invite(ben, &hash, ben_rel, NOW + INVITE_SECONDS).await.unwrap_err()));
        let made_up = code_hash("ABCDE-12345").unwrap();
        assert!(is_bad_code(&store.accept_invite(ben, &made_up, ben_rel, NOW + 1).await.unwrap_err()));
        assert_eq!(f.row_counts().await, before);

        let link = store.accept_invite(ben, &hash, ben_rel, NOW + 1).await.unwrap();
        // Used once: a second acceptance is refused the same way.
        assert!(is_bad_code(&store.accept_invite(cat, &hash, cat_rel, NOW + 2).await.unwrap_err()));
        assert!(store.invites(ann, NOW + 2).await.unwrap().is_empty());
        // A linked relationship takes no second link.
        let second = code_hash(&new_code().unwrap()).unwrap();
        let err = store.create_invite(ann, ann_rel, &second, NOW + 3, NOW + 100).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        store.create_invite(cat, cat_rel, &second, NOW + 3, NOW + 100).await.unwrap();
        let err = store.accept_invite(ben, &second, ben_rel, NOW + 4).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(store.links(ben).await.unwrap().iter().map(|l| l.id).collect::<Vec<_>>(), [link]);

        // A new invite withdraws the one before it.
        let third = code_hash(&new_code().unwrap()).unwrap();
        store.create_invite(cat, cat_rel, &third, NOW + 5, NOW + 100).await.unwrap();
        let dan = f.account("dan").await;
        let dan_rel = partner(store, dan).await;
        assert!(is_bad_code(&store.accept_invite(dan, &second, dan_rel, NOW + 6).await.unwrap_err()));
        store.accept_invite(dan, &third, dan_rel, NOW + 6).await.unwrap();
    }

    async fn unlinking_by_either_side_ends_everything_at_once(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let cat = f.account("cat").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        finished_rdp(store, ann, "my partner", 2).await;
        let link = linked(store, ann, ann_rel, ben, ben_rel).await;
        store.set_link_sharing(ann, link, LinkLevel::Items).await.unwrap();
        store.set_link_sharing(ben, link, LinkLevel::Items).await.unwrap();
        let (grant, _) = store.partner_grant(ben, link).await.unwrap().unwrap();
        store.set_mark(ben, link, "ER1", Some(Mark::Star)).await.unwrap();
        store.set_mark(ann, link, "ER1", Some(Mark::SetAside)).await.unwrap();
        store.set_mark(ann, link, "ER2", Some(Mark::Star)).await.unwrap();
        store.set_mark(ann, link, "ER2", None).await.unwrap();
        // Each side's marks are its own.
        assert_eq!(store.marks(ben, link).await.unwrap().into_iter().collect::<Vec<_>>(), [("ER1".to_owned(), Mark::Star)]);
        assert_eq!(store.marks(ann, link).await.unwrap().into_iter().collect::<Vec<_>>(), [("ER1".to_owned(), Mark::SetAside)]);

        // Someone not on the link can neither read, change nor end it.
        assert!(store.partner_grant(cat, link).await.unwrap().is_none());
        for err in [
            store.set_link_sharing(cat, link, LinkLevel::Items).await.unwrap_err(),
            store.unlink(cat, link, NOW).await.unwrap_err(),
            store.set_mark(cat, link, "ER1", Some(Mark::Star)).await.unwrap_err(),
        ] {
            assert!(matches!(err, StoreError::NotFound { what: "link", .. }), "{err:?}");
        }

        store.unlink(ben, link, NOW + 10).await.unwrap();
        assert!(store.links(ann).await.unwrap().is_empty());
        assert!(store.links(ben).await.unwrap().is_empty());
        assert!(store.partner_grant(ben, link).await.unwrap().is_none());
        assert!(store.partner_grant(ann, link).await.unwrap().is_none());
        let err = store.partner_scores(&grant, &[i64::MAX]).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "link", .. }), "{err:?}");
        assert!(store.marks(ann, link).await.unwrap().is_empty());
        for err in [
            store.set_link_sharing(ann, link, LinkLevel::Facets).await.unwrap_err(),
            store.unlink(ann, link, NOW + 11).await.unwrap_err(),
        ] {
            assert!(matches!(err, StoreError::NotFound { what: "link", .. }), "{err:?}");
        }
        // The relationship is free to be linked again, by a new invite.
        let again = linked(store, ann, ann_rel, ben, ben_rel).await;
        assert_ne!(again, link);
        assert_eq!(store.links(ann).await.unwrap()[0].sharing, LinkLevel::None);
    }

    async fn a_deleted_account_leaves_no_link_behind(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        let link = linked(store, ann, ann_rel, ben, ben_rel).await;
        store.set_link_sharing(ben, link, LinkLevel::Items).await.unwrap();
        store.delete_account(ben, 2_000_000_000).await.unwrap();
        assert!(store.links(ann).await.unwrap().is_empty());
        assert!(store.partner_grant(ann, link).await.unwrap().is_none());
    }
}

contract! {
    async fn the_other_sides_support_entry_for_me_is_read_only_while_they_share(f) {
        use tandem_core::network::{Domain, Level, Role as MapRole, Supporter};
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        let link = linked(store, ann, ann_rel, ben, ben_rel).await;
        // Ben's map: a friend, and Ann as his partner under a name of his own.
        let mut friend = Supporter::new("Kim", MapRole::Friend);
        friend.leans_on.insert(Domain::Money, Level::new(4).unwrap());
        store.add_supporter(ben, &friend).await.unwrap();
        let mut her = Supporter::new("Annabel", MapRole::Partner);
        her.leans_on.insert(Domain::Emotional, Level::new(3).unwrap());
        her.leans_back.insert(Domain::Practical, Level::new(2).unwrap());
        store.add_supporter(ben, &her).await.unwrap();

        // Nothing shared: no grant to read with.
        assert!(store.partner_grant(ann, link).await.unwrap().is_none());
        store.set_link_sharing(ben, link, LinkLevel::Indices).await.unwrap();
        let (grant, _) = store.partner_grant(ann, link).await.unwrap().unwrap();
        let entry = store.partner_support(&grant).await.unwrap().unwrap();
        assert_eq!(entry, tandem_core::couple::Leaning::from(&her));

        // Ben stops sharing: the grant in hand reads nothing more.
        store.set_link_sharing(ben, link, LinkLevel::None).await.unwrap();
        let err = store.partner_support(&grant).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "link", .. }), "{err:?}");
        // Sharing again, then unlinked by Ann herself: nothing either.
        store.set_link_sharing(ben, link, LinkLevel::Facets).await.unwrap();
        let (grant, _) = store.partner_grant(ann, link).await.unwrap().unwrap();
        store.unlink(ann, link, NOW + 120).await.unwrap();
        assert!(matches!(store.partner_support(&grant).await, Err(StoreError::NotFound { .. })));
    }
}

contract! {
    async fn guesses_are_ones_own_and_read_through_the_grant_only_with_both_consents(f) {
        use tandem_store::Guessing;
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        let link = linked(store, ann, ann_rel, ben, ben_rel).await;
        // Two profiles of Ben's: only the later one's answers are guessed at.
        finished_rdp(store, ben, "my partner", 1).await;
        finished_rdp(store, ben, "my partner", 4).await;
        finished_rdp(store, ann, "my partner", 2).await;
        let of = |pairs: &[(&str, i64)]| -> BTreeMap<String, i64> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
        };
        assert!(store.guesses(ann, link).await.unwrap().is_empty());
        store.save_guesses(ann, link, &of(&[("ER1", 4), ("VS1", 2)])).await.unwrap();
        // A new set replaces the old one whole.
        store.save_guesses(ann, link, &of(&[("ER1", 4), ("CT1", 5)])).await.unwrap();
        assert_eq!(store.guesses(ann, link).await.unwrap(), of(&[("ER1", 4), ("CT1", 5)]));
        store.save_guesses(ben, link, &of(&[("ER1", 2)])).await.unwrap();
        assert_eq!(store.guesses(ben, link).await.unwrap(), of(&[("ER1", 2)]));
        let stranger = f.account("cat").await;
        for result in [
            store.save_guesses(stranger, link, &of(&[("ER1", 1)])).await,
            store.set_guessing(stranger, link, Guessing::Shown).await,
        ] {
            assert!(matches!(result, Err(StoreError::NotFound { .. })), "{result:?}");
        }
        assert!(store.guesses(stranger, link).await.unwrap().is_empty());

        store.set_link_sharing(ben, link, LinkLevel::Indices).await.unwrap();
        let (grant, _) = store.partner_grant(ann, link).await.unwrap().unwrap();
        // (Ann's consent, Ben's, both, Ann's accuracy, Ben's guesses shown)
        let cases = [
            (Guessing::Off, Guessing::Off, false, None, false),
            (Guessing::Private, Guessing::Off, false, None, false),
            (Guessing::Off, Guessing::Shown, false, None, false),
            // Off by 0 and 1 on Ben's latest 4s: 1 − (1/2)/4.
            (Guessing::Private, Guessing::Private, true, Some(0.875), false),
            (Guessing::Shown, Guessing::Shown, true, Some(0.875), true),
        ];
        for (anns, bens, both, accuracy, shown) in cases {
            store.set_guessing(ann, link, anns).await.unwrap();
            store.set_guessing(ben, link, bens).await.unwrap();
            let view = store.partner_guessing(&grant).await.unwrap().view(4);
            assert_eq!(view.both_take_part, both, "{anns:?} {bens:?}");
            assert_eq!(view.mine.map(|r| r.accuracy), accuracy, "{anns:?} {bens:?}");
            assert_eq!(view.mine.map(|r| r.exact), accuracy.map(|_| 1));
            let expected = shown.then(|| of(&[("ER1", 2)]));
            assert_eq!(view.theirs, expected, "{anns:?} {bens:?}");
        }
        let links = store.links(ann).await.unwrap();
        assert_eq!(links[0].guessing, Guessing::Shown);

        // Unlinking ends the reading, and the guesses with it.
        store.unlink(ben, link, NOW + 60).await.unwrap();
        assert!(matches!(
            store.partner_guessing(&grant).await,
            Err(StoreError::NotFound { what: "link", .. })
        ));
        assert!(store.guesses(ann, link).await.unwrap().is_empty());
        assert!(matches!(
            store.save_guesses(ann, link, &of(&[("ER1", 1)])).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

contract! {
    async fn how_i_see_us_is_ones_own_and_the_partner_sees_it_at_the_shared_level(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let (ann_rel, ben_rel) = (partner(store, ann).await, partner(store, ben).await);
        let whole = |value: i64| -> BTreeMap<String, i64> {
            tandem_core::couple::US_ITEMS
                .iter()
                .map(|item| (item.id.to_owned(), value))
                .collect()
        };
        assert!(store.us(ben, ben_rel).await.unwrap().is_empty());
        store.save_us(ben, ben_rel, &whole(2), NOW).await.unwrap();
        store.save_us(ben, ben_rel, &whole(4), NOW + 1).await.unwrap();
        assert_eq!(store.us(ben, ben_rel).await.unwrap(), whole(4));
        // Another's relationship: not found to write, nothing to read.
        let refused = store.save_us(ann, ben_rel, &whole(1), NOW).await;
        assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
        assert!(store.us(ann, ben_rel).await.unwrap().is_empty());
        assert_eq!(store.us(ben, ben_rel).await.unwrap(), whole(4));

        let link = linked(store, ann, ann_rel, ben, ben_rel).await;
        for (level, items) in [
            (LinkLevel::Indices, false),
            (LinkLevel::Facets, false),
            (LinkLevel::Items, true),
        ] {
            store.set_link_sharing(ben, link, level).await.unwrap();
            let (grant, _) = store.partner_grant(ann, link).await.unwrap().unwrap();
            let seen = store.partner_us(&grant).await.unwrap().unwrap();
            assert_eq!(seen.level, level);
            assert!((seen.score - 20.0 / 6.0).abs() < 1e-12, "{seen:?}");
            assert_eq!(seen.items, items.then(|| whole(4)), "{level:?}");
        }
        // Ann has not answered it: Ben's grant finds nothing of hers.
        store.set_link_sharing(ann, link, LinkLevel::Items).await.unwrap();
        let (to_ann, _) = store.partner_grant(ben, link).await.unwrap().unwrap();
        assert_eq!(store.partner_us(&to_ann).await.unwrap(), None);
        // Ben stops sharing: the grant in hand reads nothing more.
        let (grant, _) = store.partner_grant(ann, link).await.unwrap().unwrap();
        store.set_link_sharing(ben, link, LinkLevel::None).await.unwrap();
        assert!(matches!(
            store.partner_us(&grant).await,
            Err(StoreError::NotFound { what: "link", .. })
        ));
        // Unlinking leaves each one's own answers with them.
        store.unlink(ann, link, NOW + 60).await.unwrap();
        assert_eq!(store.us(ben, ben_rel).await.unwrap(), whole(4));
    }
}
