//! Answers without a value, deleting a kept safety screen, screens held for
//! a session, and research consent counting people once.

use tandem_core::answers::Answer;
use tandem_core::instrument::AnswerCode;
use tandem_core::safety::{SafetyScreen, ScreenOutcome, ScreenSummary};
use tandem_store::{StoreError, UserName};

use tandem_store_contract::{answers, current};

contract! {
    async fn a_does_not_apply_answer_is_kept_and_scored_as_missing(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let rdp = current("rdp");
        let mut pairs: Vec<(&str, Answer)> = rdp
            .items
            .iter()
            .map(|i| (i.id.as_str(), Answer::Value(4)))
            .collect();
        pairs.retain(|(id, _)| *id != "PB3");
        pairs.push(("PB3", Answer::Code(AnswerCode::NotApplicable)));
        let given = answers(&rdp, &pairs);
        let recorded = store
            .record_administration(owner, &rdp, "Sam", &given)
            .await
            .unwrap();
        let back = store.answers(owner, &rdp, recorded.id).await.unwrap();
        assert_eq!(back, given);
        assert_eq!(back.code("PB3"), Some(AnswerCode::NotApplicable));
        let scores = tandem_core::scoring::score(&rdp, &back).unwrap();
        assert_eq!(scores.facets["PB"].answered, 3);
        assert_eq!(scores.facets["PB"].missing, 1);

        // Page by page too, replacing a value with a code and back.
        let open = store
            .start_administration(owner, &rdp, "Sam")
            .await
            .unwrap();
        let code = Answer::Code(AnswerCode::NotApplicable);
        store
            .save_answer(owner, &rdp, open.id, "PB3", &code, 1)
            .await
            .unwrap();
        let page = store.answers(owner, &rdp, open.id).await.unwrap();
        assert_eq!(page.get("PB3"), Some(&code));
        store
            .save_answer(owner, &rdp, open.id, "PB3", &Answer::Value(2), 2)
            .await
            .unwrap();
        let page = store.answers(owner, &rdp, open.id).await.unwrap();
        assert_eq!(page.value("PB3"), Some(2));
    }

    async fn prefer_not_to_say_is_kept_apart_from_no_and_a_screen_can_be_deleted(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let safety = current("safety");
        let given = answers(
            &safety,
            &[
                ("SF8", Answer::Value(0)),
                ("SF9", Answer::Code(AnswerCode::PreferNotToSay)),
            ],
        );
        let screen = SafetyScreen::from_answers(&safety, given).unwrap();
        let id = store
            .record_safety_screen(owner, &safety, &screen)
            .await
            .unwrap();
        let kept = store.safety_screens(owner).await.unwrap();
        assert_eq!(kept[0].version, "1.1.0");
        assert_eq!(kept[0].declined.len(), 1);
        let read = kept[0].to_screen(&safety).unwrap();
        assert_eq!(read, screen);
        assert_eq!(read.outcome(), ScreenOutcome::Unclear);

        // Nobody else can delete it; its owner can, and then it is gone.
        let other = f.account("other").await;
        assert!(matches!(
            store.delete_safety_screen(other, id).await,
            Err(StoreError::NotFound { .. })
        ));
        store.delete_safety_screen(owner, id).await.unwrap();
        assert!(store.safety_screens(owner).await.unwrap().is_empty());
        let left = f
            .raw()
            .await
            .integer("SELECT CAST(count(*) AS BIGINT) FROM safety_answers", &[])
            .await;
        assert_eq!(left, 0);
        assert!(matches!(
            store.delete_safety_screen(owner, id).await,
            Err(StoreError::NotFound { .. })
        ));
    }

    async fn a_held_screen_lives_only_as_long_as_its_session(f) {
        let store = f.store.clone();
        let user = store
            .create_account(
                &UserName::parse("held").unwrap(),
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                1,
            )
            .await
            .unwrap();
        let session = store.create_session(user, "Firefox", 10).await.unwrap();
        assert_eq!(store.held_screen(&session.token).await.unwrap(), None);
        let summary = ScreenSummary {
            outcome: ScreenOutcome::Urgent,
            self_harm: true,
        };
        store.hold_screen(&session.token, summary).await.unwrap();
        assert_eq!(
            store.held_screen(&session.token).await.unwrap(),
            Some(summary)
        );
        store.end_session(&session.token).await.unwrap();
        assert_eq!(store.held_screen(&session.token).await.unwrap(), None);
    }

    async fn research_reads_only_people_who_opted_in_and_each_once(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let rdp = current("rdp");
        let all_at = |value: i64| {
            let pairs: Vec<(&str, Answer)> = rdp
                .items
                .iter()
                .map(|i| (i.id.as_str(), Answer::Value(value)))
                .collect();
            answers(&rdp, &pairs)
        };
        let other = f.account("other").await;
        for (who, value) in [(owner, 2), (owner, 3), (other, 4)] {
            store
                .record_administration(who, &rdp, "my partner", &all_at(value))
                .await
                .unwrap();
        }
        assert!(!store.research_consent(owner).await.unwrap());
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            0
        );
        store.set_research_consent(owner, true).await.unwrap();
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            1
        );
        let items: Vec<String> = rdp.items.iter().map(|i| i.id.to_string()).collect();
        let mut rows = Vec::new();
        let read = store
            .for_each_response(
                &f.rights.research,
                &rdp,
                &items,
                &mut |row| {
                    rows.push(row.to_vec());
                    Ok(())
                },
            )
            .await
            .unwrap();
        // Only the owner's first administration (all 2s), not the second.
        assert_eq!(read, 1);
        assert!(rows[0].iter().all(|v| *v == Some(2.0)));
        store.set_research_consent(other, true).await.unwrap();
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            2
        );
        store.set_research_consent(owner, false).await.unwrap();
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            1
        );
        // Another version counts apart.
        let old = tandem_store_contract::instrument("rdp");
        assert_eq!(
            store
                .count_finished(&f.rights.research, &old)
                .await
                .unwrap(),
            0
        );
    }
}
