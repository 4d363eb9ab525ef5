//! Research: consent, and de-identified reads of those who gave it; the
//! fingerprint of the people estimates rest on moves when they change, even
//! when their number does not.

use tandem_core::answers::Answer;
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::instrument::{AnswerCode, ResponseKind};
use tandem_store::{ItemSums, PairTotals, StoreError};
use tandem_store_contract::Fresh;
use tandem_store_contract::{account, answers, current, instrument};

contract! {
    async fn only_consenting_people_are_read_once_each(f) {
        let rdp = instrument("rdp");
        let store = &f.store;
        let (ann, ben, cat) = (
            account(store, "ann").await,
            account(store, "ben").await,
            account(store, "cat").await,
        );
        assert!(!store.research_consent(ann).await.unwrap());
        store.set_research_consent(ann, true).await.unwrap();
        store.set_research_consent(ben, true).await.unwrap();
        assert!(store.research_consent(ann).await.unwrap());
        let given = |v| {
            answers(
                &rdp,
                &[("ER1", Answer::Value(v)), ("VS1", Answer::Value(2))],
            )
        };
        let first = store
            .record_administration(ann, &rdp, "p", &given(3))
            .await
            .unwrap();
        // A second one of the same person is not read.
        store
            .record_administration(ann, &rdp, "p", &given(5))
            .await
            .unwrap();
        let bens = store
            .record_administration(ben, &rdp, "p", &given(1))
            .await
            .unwrap();
        // Not consenting: not read.
        store
            .record_administration(cat, &rdp, "p", &given(4))
            .await
            .unwrap();
        // Unfinished: not read.
        store.start_administration(ben, &rdp, "p").await.unwrap();

        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap(),
            (2, first.id.0 + bens.id.0, bens.id.0)
        );
        let items = vec!["ER1".to_owned(), "DD1".to_owned(), "VS1".to_owned()];
        let mut rows = Vec::new();
        let count = store
            .for_each_response(&f.rights.research, &rdp, &items, &mut |values| {
                rows.push(values.to_vec());
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(count, 2);
        assert_eq!(
            rows,
            vec![
                vec![Some(3.0), None, Some(2.0)],
                vec![Some(1.0), None, Some(2.0)]
            ]
        );
        let stopped = store
            .for_each_response(&f.rights.research, &rdp, &items, &mut |_| {
                Err("enough".into())
            })
            .await;
        assert!(stopped.is_err());
        store.set_research_consent(ann, false).await.unwrap();
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            1
        );
    }
}

contract! {
    async fn the_fingerprint_moves_when_one_person_is_swapped_for_another(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        let given = answers(&rdp, &[("ER1", Answer::Value(3))]);
        for person in [owner, other] {
            store
                .record_administration(person, &rdp, "my partner", &given)
                .await
                .unwrap();
        }
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap()
                .0,
            0
        );
        store.set_research_consent(owner, true).await.unwrap();
        let one = store
            .research_fingerprint(&f.rights.research, &rdp)
            .await
            .unwrap();
        // A second profile of the same person changes nothing.
        store
            .record_administration(owner, &rdp, "my partner", &given)
            .await
            .unwrap();
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap(),
            one
        );
        // One out, another in: the same count, another fingerprint.
        store.set_research_consent(owner, false).await.unwrap();
        store.set_research_consent(other, true).await.unwrap();
        let swapped = store
            .research_fingerprint(&f.rights.research, &rdp)
            .await
            .unwrap();
        assert_eq!(swapped.0, one.0);
        assert_ne!(swapped, one);
    }
}

/// A small deterministic generator (an LCG), so the data are the same on
/// every run without a dependency.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// The sums of the rows as `item_sums` must give them, added up the plain
/// way from what `for_each_response` streams.
fn sums_of(items: &[String], rows: &[Vec<Option<f64>>]) -> ItemSums {
    let mut sums = ItemSums::new(items.to_vec());
    sums.set_rows(rows.len() as u64);
    let p = items.len();
    for i in 0..p {
        for j in i..p {
            for complete in [true, false] {
                let mut t = PairTotals::default();
                for row in rows {
                    if row.iter().all(Option::is_some) != complete {
                        continue;
                    }
                    if let (Some(x), Some(y)) = (row[i], row[j]) {
                        t.n += 1.0;
                        t.sum_x += x;
                        t.sum_y += y;
                        t.sum_xx += x * x;
                        t.sum_yy += y * y;
                        t.sum_xy += x * y;
                    }
                }
                sums.set_pair(i, j, complete, t);
            }
        }
        let values: Vec<f64> = rows.iter().filter_map(|row| row[i]).collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        sums.set_range(i, (lo <= hi).then_some((lo, hi)));
    }
    sums
}

/// PostgreSQL's own: it adds up in the database what SQLite's callers
/// stream (SQLite answers `None`, checked below).
#[tokio::test(flavor = "multi_thread")]
async fn the_database_sums_the_rows_that_are_streamed() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let sqlite = Fresh::sqlite().await;
    assert!(
        sqlite
            .store
            .item_sums(&sqlite.rights.research, &rdp, &["ER1".to_owned()])
            .await
            .unwrap()
            .is_none()
    );
    let f = Fresh::postgres().await;
    let store = &f.store;
    let scale: Vec<&str> = rdp
        .items
        .iter()
        .filter(|i| i.response == ResponseKind::Scale && i.facet.is_some())
        .map(|i| i.id.as_str())
        .collect();
    let mut draw = Draw(12);
    for k in 0..150 {
        let person = account(store, &format!("person{k}")).await;
        // Unfinished, and earlier than the finished one: not read.
        if k % 11 == 0 {
            store.start_administration(person, &rdp, "p").await.unwrap();
        }
        // Half answer everything; the others leave items out or say that
        // they do not apply; some give no value at all.
        let gaps = k % 2 == 1;
        let mut pairs = Vec::new();
        for id in &scale {
            let code = Some(Answer::Code(AnswerCode::NotApplicable));
            let answer = if k % 37 == 5 {
                code
            } else if gaps && draw.below(10) == 0 {
                None
            } else if gaps && draw.below(10) == 0 {
                code
            } else {
                Some(Answer::Value(1 + draw.below(5) as i64))
            };
            if let Some(answer) = answer {
                pairs.push((*id, answer));
            }
        }
        store
            .record_administration(person, &rdp, "p", &answers(&rdp, &pairs))
            .await
            .unwrap();
        // A second one of the same person: not read.
        if k % 5 == 0 {
            let again = answers(&rdp, &[(scale[0], Answer::Value(5))]);
            store
                .record_administration(person, &rdp, "p", &again)
                .await
                .unwrap();
        }
        // One in eight does not take part: not read.
        store
            .set_research_consent(person, k % 8 != 3)
            .await
            .unwrap();
    }
    // Not the instrument's order, and one item left out: its answers count
    // nowhere, and a row without a value for it can still be complete.
    let items: Vec<String> = scale[1..].iter().rev().map(|s| (*s).to_owned()).collect();
    let mut rows = Vec::new();
    store
        .for_each_response(&f.rights.research, &rdp, &items, &mut |values| {
            rows.push(values.to_vec());
            Ok(())
        })
        .await
        .unwrap();
    let sums = store
        .item_sums(&f.rights.research, &rdp, &items)
        .await
        .unwrap()
        .expect("PostgreSQL sums in the database");
    assert_eq!(rows.len(), 131);
    assert_eq!(sums.rows(), 131);
    // Both kinds of row are there, so both halves are tested.
    let complete = rows
        .iter()
        .filter(|r| r.iter().all(Option::is_some))
        .count();
    assert!((60..=80).contains(&complete), "{complete} complete rows");
    assert_eq!(sums.pair(0, 0, true).n, complete as f64);
    assert!(sums.pair(0, 5, false).n > 30.0);
    assert_eq!(sums, sums_of(&items, &rows));

    // Nobody consenting: no rows, and nothing summed.
    let none = store
        .item_sums(
            &f.rights.research,
            &builtin_by_id("checkin").unwrap().unwrap(),
            &items[..2],
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(none, ItemSums::new(items[..2].to_vec()));
    // An item named twice is refused, as its rows would count twice.
    let twice = [items[0].clone(), items[0].clone()];
    assert!(matches!(
        store.item_sums(&f.rights.research, &rdp, &twice).await,
        Err(StoreError::Invalid { .. })
    ));
}
