//! Properties of the statistics on random data.

use proptest::prelude::*;
use tandem_stats::moments::{Accumulator, Missing, Moments, PairSums};
use tandem_stats::reliability::reliability;

/// Rows of `p` Likert answers (1..=7), some missing.
fn responses() -> impl Strategy<Value = (usize, Vec<Vec<Option<f64>>>)> {
    (2usize..7).prop_flat_map(|p| {
        let cell = prop_oneof![1 => Just(None), 9 => (1u8..=7).prop_map(|v| Some(f64::from(v)))];
        (
            Just(p),
            prop::collection::vec(prop::collection::vec(cell, p), 3..60),
        )
    })
}

fn accumulate(p: usize, rows: &[Vec<Option<f64>>]) -> Moments {
    let mut acc = Accumulator::new((0..p).map(|i| format!("i{i}")).collect());
    for row in rows {
        acc.push(row).unwrap();
    }
    acc.finish()
}

proptest! {
    /// Alpha is at most 1 whenever the covariance matrix is a covariance matrix of rows: always
    /// listwise, and pairwise when nothing is missing. (Pairwise covariances with missing values
    /// need not form a positive semi-definite matrix, and then alpha can exceed 1, in psych too.)
    #[test]
    fn alpha_is_at_most_one((p, rows) in responses()) {
        let m = accumulate(p, &rows);
        let items: Vec<usize> = (0..p).collect();
        let complete = m.complete_rows() == m.rows();
        for missing in [Missing::Pairwise, Missing::Listwise] {
            if missing == Missing::Pairwise && !complete {
                continue;
            }
            let r = reliability(&m, &items, missing).unwrap();
            for alpha in [r.alpha.raw, r.alpha.std] {
                prop_assert!(alpha.is_nan() || alpha <= 1.0 + 1e-12, "{alpha}");
            }
            for item in &r.item_stats {
                prop_assert_eq!(item.alpha_if_dropped.is_some(), p >= 3);
                if let Some(a) = item.alpha_if_dropped {
                    prop_assert!(a.is_nan() || a <= 1.0 + 1e-12);
                }
            }
        }
    }

    #[test]
    fn correlation_is_symmetric_with_unit_diagonal((p, rows) in responses()) {
        let m = accumulate(p, &rows);
        for missing in [Missing::Pairwise, Missing::Listwise] {
            let r = m.correlation(missing);
            let sds = m.sds(missing);
            for i in 0..p {
                if sds[i] > 0.0 {
                    prop_assert_eq!(r[(i, i)], 1.0);
                } else {
                    prop_assert!(r[(i, i)].is_nan());
                }
                for j in 0..p {
                    prop_assert!(r[(i, j)].to_bits() == r[(j, i)].to_bits());
                    prop_assert!(r[(i, j)].is_nan() || r[(i, j)].abs() <= 1.0);
                }
            }
        }
    }

    /// Reverse-keying the statistics equals reverse-keying the answers before reading them.
    #[test]
    fn reversing_statistics_equals_reversing_answers(
        (p, rows) in responses(),
        flags in prop::collection::vec(any::<bool>(), 7),
    ) {
        let reversed: Vec<usize> = (0..p).filter(|&i| flags[i]).collect();
        let mut after = accumulate(p, &rows);
        after.reverse(&reversed, 1.0, 7.0);
        let flipped: Vec<Vec<Option<f64>>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(i, v)| v.map(|x| if reversed.contains(&i) { 8.0 - x } else { x }))
                    .collect()
            })
            .collect();
        let before = accumulate(p, &flipped);
        let (after, before) = (crate::support::summary(&after), crate::support::summary(&before));
        prop_assert!(crate::support::close(&after, &before, 0.0), "{:?} vs {:?}", after, before);
    }
}

#[test]
fn too_few_or_bad_items_are_refused() {
    let m = accumulate(3, &vec![vec![Some(1.0), Some(2.0), Some(3.0)]; 4]);
    assert!(reliability(&m, &[0], Missing::Pairwise).is_err());
    assert!(reliability(&m, &[0, 3], Missing::Pairwise).is_err());
    assert!(reliability(&m, &[0, 0], Missing::Pairwise).is_err());
}

#[test]
fn reliability_serialises_for_the_cli() {
    let rows: Vec<Vec<Option<f64>>> = (0..50)
        .map(|r| {
            (0..4)
                .map(|i| Some(f64::from((r * 3 + i * (r % 5)) % 5 + 1)))
                .collect()
        })
        .collect();
    let m = accumulate(4, &rows);
    let r = reliability(&m, &[0, 1, 2, 3], Missing::Pairwise).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "raw",
        "std",
        "g6",
        "average_r",
        "se",
        "signal_noise",
        "ci95",
        "sem",
    ] {
        assert!(json["alpha"].get(key).is_some(), "{key}");
    }
    for key in ["id", "mean", "sd", "r_drop", "alpha_if_dropped"] {
        assert!(json["item_stats"][0].get(key).is_some(), "{key}");
    }
    assert_eq!(json["missing"], "pairwise");
}

/// The sums of items `i` and `j` over the rows that are complete (`complete`) or not, where both
/// are present, added up the plain way, as a database's aggregates would.
fn pair_sums(rows: &[Vec<Option<f64>>], i: usize, j: usize, complete: bool) -> PairSums {
    let mut s = PairSums {
        n: 0.0,
        sx: 0.0,
        sy: 0.0,
        sxx: 0.0,
        syy: 0.0,
        sxy: 0.0,
    };
    for row in rows {
        if row.iter().all(Option::is_some) != complete {
            continue;
        }
        if let (Some(x), Some(y)) = (row[i], row[j]) {
            s.n += 1.0;
            s.sx += x;
            s.sy += y;
            s.sxx += x * x;
            s.syy += y * y;
            s.sxy += x * y;
        }
    }
    s
}

proptest! {
    /// Sums made elsewhere (per pair, split into complete and other rows) give the very
    /// statistics of the streaming pass: integer data make every sum exact.
    #[test]
    fn pair_sums_made_elsewhere_equal_the_streaming_pass((p, rows) in responses()) {
        let streamed = accumulate(p, &rows);
        let range = |i: usize| {
            let values = rows.iter().filter_map(|row| row[i]);
            let lo = values.clone().fold(f64::INFINITY, f64::min);
            let hi = values.fold(f64::NEG_INFINITY, f64::max);
            (lo <= hi).then_some((lo, hi))
        };
        let summed = Moments::from_pair_sums(
            streamed.items().to_vec(),
            rows.len() as u64,
            |i, j, complete| pair_sums(&rows, i, j, complete),
            range,
        );
        prop_assert_eq!(&summed, &streamed);
    }
}
