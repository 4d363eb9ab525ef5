//! Scores kept beside finished administrations: written when one finishes,
//! by either path, equal to scoring its answers; counted only under the
//! current scoring rules; the scores version rises with every change.

use tandem_core::answers::Answer;
use tandem_core::instrument::Instrument;
use tandem_core::scoring::{SCORER_VERSION, Scores, score};
use tandem_store::{AdministrationId, Owner, Store, StoreError};

use tandem_store_contract::{answers, current};

/// Every RDP item answered `value`, except the first facet's items when
/// `blank` (which leaves that facet unscored).
fn rdp_answers(rdp: &Instrument, value: i64, blank: bool) -> tandem_core::answers::Answers {
    let first = &rdp.facets[0].id;
    let pairs: Vec<(&str, Answer)> = rdp
        .items
        .iter()
        .filter(|item| !(blank && item.facet.as_ref() == Some(first)))
        .map(|item| (item.id.as_str(), Answer::Value(value)))
        .collect();
    answers(rdp, &pairs)
}

/// The index scores `score` gives, as the store keeps them.
fn index_points(scores: &Scores) -> Vec<(String, f64)> {
    scores
        .indices
        .iter()
        .filter_map(|(id, s)| Some((id.to_string(), s.score?)))
        .collect()
}

async fn take(
    store: &Store,
    owner: Owner,
    rdp: &Instrument,
    value: i64,
    blank: bool,
) -> AdministrationId {
    let given = rdp_answers(rdp, value, blank);
    store
        .record_administration(owner, rdp, "my partner", &given)
        .await
        .unwrap()
        .id
}

contract! {
    async fn a_finished_administration_keeps_the_scores_its_answers_give_by_either_path(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let recorded = take(&store, owner, &rdp, 4, false).await;

        // The page-by-page path: answers saved, then finished.
        let begun = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        let given = rdp_answers(&rdp, 2, false);
        let page: Vec<(String, Option<Answer>)> = given
            .iter()
            .map(|(item, a)| (item.to_string(), Some(a.clone())))
            .collect();
        store
            .save_page(owner, &rdp, begun.id, &page, rdp.items.len())
            .await
            .unwrap();
        assert_eq!(
            store.score_points(owner).await.unwrap().len(),
            1,
            "unfinished counts not"
        );
        store
            .complete_administration(owner, &rdp, begun.id)
            .await
            .unwrap();

        let points = store.score_points(owner).await.unwrap();
        let ids: Vec<_> = points.iter().map(|p| p.id).collect();
        assert_eq!(ids, [recorded, begun.id]);
        for (point, value) in points.iter().zip([4, 2]) {
            let expected = score(&rdp, &rdp_answers(&rdp, value, false)).unwrap();
            let kept: Vec<(String, f64)> = point.indices.clone().into_iter().collect();
            assert_eq!(kept, index_points(&expected));
            assert!(point.complete);
            assert_eq!(point.instrument, "rdp");
        }
        assert!(store.unscored(Some(owner)).await.unwrap().is_empty());
    }

    async fn the_latest_complete_skips_incomplete_ones_and_looks_before_when_asked(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let first = take(&store, owner, &rdp, 3, false).await;
        let second = take(&store, owner, &rdp, 4, false).await;
        // A facet left blank goes unscored: kept, but incomplete.
        let incomplete = take(&store, owner, &rdp, 5, true).await;
        let points = store.score_points(owner).await.unwrap();
        assert_eq!(
            points.iter().map(|p| p.complete).collect::<Vec<_>>(),
            [true, true, false]
        );
        let latest = |before| {
            let store = &store;
            async move {
                store
                    .latest_complete(owner, "rdp", before)
                    .await
                    .unwrap()
                    .map(|a| a.id)
            }
        };
        assert_eq!(latest(None).await, Some(second));
        assert_eq!(latest(Some(incomplete)).await, Some(second));
        assert_eq!(latest(Some(second)).await, Some(first));
        assert_eq!(latest(Some(first)).await, None);
        assert_eq!(
            store.latest_complete(owner, "checkin", None).await.unwrap(),
            None
        );
    }

    async fn scores_from_other_rules_or_from_before_do_not_count_until_scored_again(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let kept = take(&store, owner, &rdp, 4, false).await;
        let stale = take(&store, owner, &rdp, 2, false).await;
        let gone = take(&store, owner, &rdp, 3, false).await;
        let raw = f.raw().await;
        raw.execute(
            "UPDATE scorings SET scorer_version = $1 WHERE administration_id = $2",
            &[SCORER_VERSION - 1, stale.0],
        )
        .await;
        // As a store from before scores were kept has them: none at all.
        raw.execute("DELETE FROM scorings WHERE administration_id = $1", &[gone.0])
            .await;
        raw.close().await;

        let unscored: Vec<_> = store.unscored(Some(owner)).await.unwrap();
        assert_eq!(
            unscored.iter().map(|u| u.id).collect::<Vec<_>>(),
            [stale, gone]
        );
        assert_eq!(unscored[0].instrument, "rdp");
        assert_eq!(unscored[0].version, rdp.version);
        assert_eq!(store.unscored(None).await.unwrap(), unscored);
        let counted: Vec<_> = store
            .score_points(owner)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(counted, [kept]);
        assert_eq!(
            store
                .latest_complete(owner, "rdp", None)
                .await
                .unwrap()
                .map(|a| a.id),
            Some(kept)
        );

        for one in &unscored {
            let answers = store.answers(owner, &rdp, one.id).await.unwrap();
            let scores = score(&rdp, &answers).unwrap();
            store.keep_scores(owner, one.id, &scores).await.unwrap();
        }
        assert!(store.unscored(None).await.unwrap().is_empty());
        assert_eq!(store.score_points(owner).await.unwrap().len(), 3);
        assert_eq!(
            store
                .latest_complete(owner, "rdp", None)
                .await
                .unwrap()
                .map(|a| a.id),
            Some(gone)
        );
    }

    async fn kept_scores_are_refused_for_another_owner_another_version_or_an_unfinished_one(f) {
        let rdp = current("rdp");
        let checkin = current("checkin");
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        let id = take(&store, owner, &rdp, 4, false).await;
        let scores = score(&rdp, &rdp_answers(&rdp, 1, false)).unwrap();
        let before = store.score_points(owner).await.unwrap();

        let refused = store.keep_scores(other, id, &scores).await;
        assert!(
            matches!(refused, Err(StoreError::NotFound { .. })),
            "{refused:?}"
        );
        let wrong = score(&checkin, &answers(&checkin, &[])).unwrap();
        let refused = store.keep_scores(owner, id, &wrong).await;
        assert!(
            matches!(refused, Err(StoreError::Invalid { ref field, .. }) if field == "instrument"),
            "{refused:?}"
        );
        let open = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        let refused = store.keep_scores(owner, open.id, &scores).await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "{refused:?}"
        );

        assert_eq!(store.score_points(owner).await.unwrap(), before);
    }

    async fn the_scores_version_rises_with_every_change_to_kept_scores_and_only_then(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        let version = |who| {
            let store = &store;
            async move { store.scores_version(who).await.unwrap() }
        };
        let mut last = version(owner).await;
        let first = take(&store, owner, &rdp, 4, false).await;
        assert!(version(owner).await > last, "finished");
        last = version(owner).await;

        // Answers saved to an open one change nothing drawn.
        let open = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        store
            .save_answer(owner, &rdp, open.id, "ER1", &Answer::Value(3), 1)
            .await
            .unwrap();
        assert_eq!(version(owner).await, last, "an answer to an open one");

        let scores = score(&rdp, &rdp_answers(&rdp, 4, false)).unwrap();
        store.keep_scores(owner, first, &scores).await.unwrap();
        assert!(version(owner).await > last, "scored again");
        last = version(owner).await;

        let other_before = version(other).await;
        store.delete_administration(owner, first).await.unwrap();
        assert!(version(owner).await > last, "deleted");
        assert!(store.score_points(owner).await.unwrap().is_empty());
        assert_eq!(version(other).await, other_before, "nobody else's");
    }

    async fn a_newer_builds_scores_stand_and_a_finish_must_name_the_version_taken(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let id = take(&store, owner, &rdp, 4, false).await;
        let raw = f.raw().await;
        raw.execute(
            "UPDATE scorings SET scorer_version = $1 WHERE administration_id = $2",
            &[SCORER_VERSION + 1, id.0],
        )
        .await;
        let newer = raw
            .texts("SELECT indices FROM scorings WHERE administration_id = $1", &[id.0])
            .await;
        assert!(store.unscored(Some(owner)).await.unwrap().is_empty());
        assert_eq!(store.score_points(owner).await.unwrap().len(), 1);
        let other = score(&rdp, &rdp_answers(&rdp, 1, false)).unwrap();
        store.keep_scores(owner, id, &other).await.unwrap();
        let kept = raw
            .texts("SELECT indices FROM scorings WHERE administration_id = $1", &[id.0])
            .await;
        assert_eq!(
            kept, newer,
            "an older build's rules never overwrite a newer build's"
        );
        raw.close().await;

        // Finishing with another version than the one it was begun with is refused.
        let older = tandem_store_contract::instrument("rdp");
        let open = store
            .start_administration(owner, &older, "my partner")
            .await
            .unwrap();
        let refused = store.complete_administration(owner, &rdp, open.id).await;
        assert!(
            matches!(refused, Err(StoreError::NotFound { .. })),
            "{refused:?}"
        );
        assert!(
            store
                .administration(owner, open.id)
                .await
                .unwrap()
                .completed_at
                .is_none()
        );
    }
}
