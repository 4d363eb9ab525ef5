//! Scoring agrees with a hand calculation and keeps its invariants for any answers.

use proptest::prelude::*;
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::scoring::{Z95, score};

use crate::fixture::small;

fn answers(instrument: &Instrument, given: &[(&str, i64)]) -> Answers {
    let mut answers = Answers::new();
    for (item, value) in given {
        answers
            .set(instrument, item, Answer::Value(*value))
            .unwrap();
    }
    answers
}

#[test]
fn facet_and_index_scores_match_a_hand_calculation() {
    let instrument = small();
    let given = answers(
        &instrument,
        &[
            ("A1", 5),
            ("A2", 1),
            ("A3", 4),
            ("B1", 2),
            ("B2", 4),
            ("B3", 3),
        ],
    );
    let scores = score(&instrument, &given).unwrap();
    let a = &scores.facets["A"];
    // A2 is reverse-keyed: 1 counts as 5. (5 + 5 + 4) / 3.
    assert!((a.score.unwrap() - 14.0 / 3.0).abs() < 1e-12);
    assert_eq!(a.band.as_ref().unwrap().as_str(), "elevated");
    // SEM = 0.5 · √(1 − 0.84) = 0.2; interval ± 1.96 · 0.2, clamped to the scale.
    assert!((a.sem.unwrap() - 0.2).abs() < 1e-12);
    assert!((a.low.unwrap() - (14.0 / 3.0 - Z95 * 0.2)).abs() < 1e-12);
    assert_eq!(a.high.unwrap(), 5.0);
    // B: (2 + 2 + 3) / 3, no reliability declared, so no interval; norms give a percentile.
    let b = &scores.facets["B"];
    assert!((b.score.unwrap() - 7.0 / 3.0).abs() < 1e-12);
    assert_eq!((b.low, b.high, b.sem), (None, None, None));
    assert_eq!(b.band.as_ref().unwrap().as_str(), "low");
    // Φ((7/3 − 3) / 1) = Φ(−0.6667) ≈ 0.2525
    assert!(
        (b.percentile.unwrap() - 25.25).abs() < 0.01,
        "{:?}",
        b.percentile
    );
    let both = &scores.indices["both"];
    assert!((both.score.unwrap() - (14.0 / 3.0 + 7.0 / 3.0) / 2.0).abs() < 1e-12);
}

#[test]
fn a_score_on_a_cut_off_goes_to_the_middle_band() {
    let instrument = small();
    assert_eq!(instrument.band_of(2.5).unwrap().id.as_str(), "moderate");
    assert_eq!(instrument.band_of(3.5).unwrap().id.as_str(), "moderate");
    assert_eq!(instrument.band_of(2.49).unwrap().id.as_str(), "low");
    assert_eq!(instrument.band_of(3.51).unwrap().id.as_str(), "elevated");
}

#[test]
fn an_interval_across_a_cut_off_is_borderline() {
    let instrument = small();
    // A = (4 + 4 + 3) / 3 = 3.667; interval 3.667 ± 0.392 reaches below 3.5.
    let given = answers(&instrument, &[("A1", 4), ("A2", 2), ("A3", 3)]);
    let a = &score(&instrument, &given).unwrap().facets["A"];
    assert_eq!(a.band.as_ref().unwrap().as_str(), "elevated");
    assert!(a.borderline);
}

#[test]
fn too_many_missing_items_leave_a_facet_and_its_index_unscored() {
    let instrument = small();
    let given = answers(&instrument, &[("A1", 5), ("B1", 2), ("B2", 4)]);
    let scores = score(&instrument, &given).unwrap();
    assert_eq!(scores.facets["A"].score, None);
    assert_eq!(scores.facets["A"].missing, 2);
    assert_eq!(scores.facets["B"].score, Some(2.0));
    assert_eq!(scores.indices["both"].score, None);
    assert!(!scores.is_complete());
    let unscored: Vec<&str> = scores
        .unscored_facets()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(unscored, ["A"]);
}

#[test]
fn an_administration_is_complete_when_every_facet_is_scored() {
    let instrument = small();
    // (answers given, complete?): the small fixture allows one missing
    // item per facet of three.
    let cases: [(&[(&str, i64)], bool); 5] = [
        (&[], false),
        (&[("A1", 3), ("A2", 3), ("B1", 2), ("B2", 2)], true),
        (
            &[
                ("A1", 3),
                ("A2", 3),
                ("A3", 3),
                ("B1", 2),
                ("B2", 2),
                ("B3", 2),
            ],
            true,
        ),
        (&[("A1", 3), ("B1", 2), ("B2", 2), ("B3", 2)], false),
        (&[("A1", 3), ("A2", 3), ("A3", 3), ("B3", 2)], false),
    ];
    for (given, complete) in cases {
        let scores = score(&instrument, &answers(&instrument, given)).unwrap();
        assert_eq!(scores.is_complete(), complete, "{given:?}");
        assert_eq!(scores.unscored_facets().is_empty(), complete, "{given:?}");
    }
}

#[test]
fn text_answers_never_count() {
    let instrument = small();
    let mut given = answers(&instrument, &[("A1", 3), ("A2", 3), ("A3", 3)]);
    given
        .set(&instrument, "NOTE", Answer::Text("hello".into()))
        .unwrap();
    assert_eq!(
        score(&instrument, &given).unwrap().facets["A"].score,
        Some(3.0)
    );
    assert!(given.set(&instrument, "NOTE", Answer::Value(3)).is_err());
    assert!(given.set(&instrument, "A1", Answer::Value(6)).is_err());
    assert!(given.set(&instrument, "A1", Answer::Value(0)).is_err());
    assert!(given.set(&instrument, "XX", Answer::Value(3)).is_err());
}

const ITEMS: [&str; 6] = ["A1", "A2", "A3", "B1", "B2", "B3"];

fn any_answers() -> impl Strategy<Value = Vec<Option<i64>>> {
    proptest::collection::vec(proptest::option::weighted(0.8, 1i64..=5), ITEMS.len())
}

fn build(instrument: &Instrument, values: &[Option<i64>]) -> Answers {
    let mut answers = Answers::new();
    for (item, value) in ITEMS.iter().zip(values) {
        if let Some(value) = value {
            answers
                .set(instrument, item, Answer::Value(*value))
                .unwrap();
        }
    }
    answers
}

proptest! {
    #[test]
    fn scores_stay_on_the_scale(values in any_answers()) {
        let instrument = small();
        let scores = score(&instrument, &build(&instrument, &values)).unwrap();
        for s in scores.facets.values().chain(scores.indices.values()) {
            if let Some(x) = s.score {
                prop_assert!((1.0..=5.0).contains(&x));
            }
            if let (Some(low), Some(high)) = (s.low, s.high) {
                prop_assert!(1.0 <= low && low <= s.score.unwrap() && s.score.unwrap() <= high && high <= 5.0);
            }
        }
    }

    #[test]
    fn the_missing_rule_holds(values in any_answers()) {
        let instrument = small();
        let scores = score(&instrument, &build(&instrument, &values)).unwrap();
        for (facet, chunk) in ["A", "B"].iter().zip(values.chunks(3)) {
            let missing = chunk.iter().filter(|v| v.is_none()).count();
            prop_assert_eq!(scores.facets[*facet].score.is_some(), missing <= 1);
            prop_assert_eq!(scores.facets[*facet].missing, missing);
        }
    }

    #[test]
    fn raising_an_item_never_moves_its_facet_against_its_keying(
        values in any_answers(), which in 0usize..6,
    ) {
        let instrument = small();
        let mut values = values;
        let before_value = values[which].unwrap_or(1).min(4);
        values[which] = Some(before_value);
        let before = score(&instrument, &build(&instrument, &values)).unwrap();
        values[which] = Some(before_value + 1);
        let after = score(&instrument, &build(&instrument, &values)).unwrap();
        let item = instrument.item(ITEMS[which]).unwrap();
        let facet = item.facet.as_ref().unwrap();
        if let (Some(b), Some(a)) = (before.facets[facet].score, after.facets[facet].score) {
            if item.reverse {
                prop_assert!(a < b);
            } else {
                prop_assert!(a > b);
            }
        }
    }

    #[test]
    fn a_reverse_item_mirrors_its_forward_twin(v in 1i64..=5) {
        let instrument = small();
        // A2 is reversed; answering it v scores like a forward item answered 6 − v.
        let reversed = score(&instrument, &answers(&instrument, &[("A1", 3), ("A2", v), ("A3", 3)])).unwrap();
        let expected = (3.0 + (6 - v) as f64 + 3.0) / 3.0;
        prop_assert!((reversed.facets["A"].score.unwrap() - expected).abs() < 1e-12);
    }
}
