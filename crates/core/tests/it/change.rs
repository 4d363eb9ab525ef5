//! The Reliable Change Index, against worked examples.

use tandem_core::change::{Verdict, reliable_change};
use tandem_core::instrument::Precision;

fn check(x1: f64, x2: f64, precision: Option<Precision>, rci: Option<f64>, verdict: Verdict) {
    let change = reliable_change(x1, x2, precision);
    assert_eq!(change.verdict, verdict, "{x1} -> {x2}");
    match (change.rci, rci) {
        (Some(got), Some(want)) => assert!((got - want).abs() < 1e-3, "{got} vs {want}"),
        (got, want) => assert_eq!(got, want),
    }
    assert!((change.difference - (x2 - x1)).abs() < 1e-12);
}

#[test]
fn worked_examples() {
    let p = Some(Precision {
        reliability: 0.9,
        sd: 0.6,
    });
    // SEM = 0.6 · √0.1 = 0.18974; √2 · SEM = 0.26833.
    check(2.0, 2.6, p, Some(2.236), Verdict::ReliableIncrease);
    check(3.0, 2.5, p, Some(-1.863), Verdict::WithinError);
    check(4.0, 3.4, p, Some(-2.236), Verdict::ReliableDecrease);
    check(3.0, 3.0, p, Some(0.0), Verdict::WithinError);
    // Without declared reliability there is a difference but no verdict.
    check(2.0, 4.0, None, None, Verdict::Unknown);
}
