//! Profiles decided from real scored RDP administrations.

use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::instrument::{Instrument, load_instrument};
use tandem_core::profile::{ProfileKind, profile};
use tandem_core::quality::check_quality;
use tandem_core::risk::RiskContext;
use tandem_core::scoring::score;

fn rdp() -> Instrument {
    builtin_by_id("rdp").unwrap().unwrap()
}

/// The RDP with declared index reliability, so intervals exist.
fn rdp_with_reliability() -> Instrument {
    let source = include_str!("../../../../instruments/rdp.toml")
        .replace("[[indices]]", "[[indices]]\nreliability = 0.8\nsd = 0.7");
    load_instrument("rdp-reliable.toml", &source).unwrap()
}

/// Answers every item so that its facet scores `facet_level(facet)` after keying.
fn answer_by_facet(instrument: &Instrument, facet_level: impl Fn(&str) -> i64) -> Answers {
    let mut answers = Answers::new();
    for item in &instrument.items {
        let Some(facet) = &item.facet else { continue };
        let level = facet_level(facet.as_str());
        let value = if item.reverse {
            instrument.scale.mirror(level)
        } else {
            level
        };
        answers
            .set(instrument, item.id.as_str(), Answer::Value(value))
            .unwrap();
    }
    answers
}

fn kind_of(instrument: &Instrument, levels: impl Fn(&str) -> i64) -> (ProfileKind, bool) {
    let answers = answer_by_facet(instrument, levels);
    let scores = score(instrument, &answers).unwrap();
    let quality = check_quality(instrument, &answers);
    let profile = profile(instrument, &scores, &quality, &RiskContext::none()).unwrap();
    (profile.kind.expect("not withheld"), profile.borderline)
}

#[test]
fn patterns_follow_the_indices() {
    let rdp = rdp();
    let risk = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];
    let healthy = |f: &str| if risk.contains(&f) { 1 } else { 5 };
    assert_eq!(
        kind_of(&rdp, healthy),
        (ProfileKind::BalancedInterdependence, false)
    );
    let leaning = |f: &str| match f {
        "ER" | "VS" | "DD" | "FA" => 5,
        "AU" => 1,
        other => healthy(other),
    };
    assert_eq!(
        kind_of(&rdp, leaning),
        (ProfileKind::LeaningInTooFar, false)
    );
    let carrying = |f: &str| {
        if ["CT", "SN"].contains(&f) {
            4
        } else {
            healthy(f)
        }
    };
    assert_eq!(
        kind_of(&rdp, carrying),
        (ProfileKind::CarryingTheRelationship, false)
    );
    let holding = |f: &str| match f {
        "DT" => 5,
        "MS" => 1,
        other => healthy(other),
    };
    assert_eq!(kind_of(&rdp, holding), (ProfileKind::HoldingBack, false));
    let push_pull = |f: &str| {
        if ["ER", "VS", "DD", "FA", "DT"].contains(&f) {
            5
        } else {
            healthy(f)
        }
    };
    assert_eq!(kind_of(&rdp, push_pull), (ProfileKind::PushAndPull, false));
    // Moderate everywhere, but not from one answer repeated: no pattern stands out.
    let moderate = |f: &str| if f.starts_with(['C', 'D', 'M']) { 3 } else { 2 };
    assert_eq!(kind_of(&rdp, moderate), (ProfileKind::Mixed, false));
}

#[test]
fn a_score_whose_interval_crosses_a_cut_off_is_borderline() {
    let rdp = rdp_with_reliability();
    // Over-dependence facets at 4 → index 4.0; SEM = 0.7 · √0.2 = 0.313, interval 3.39–4.61.
    let near = |f: &str| match f {
        "ER" | "VS" | "DD" | "FA" => 4,
        "CT" | "SN" | "DT" => 1,
        _ => 5,
    };
    assert_eq!(kind_of(&rdp, near), (ProfileKind::LeaningInTooFar, true));
    // Far above the cut-off, the same pattern is not borderline.
    let far = |f: &str| {
        if ["ER", "VS", "DD", "FA"].contains(&f) {
            5
        } else {
            near(f)
        }
    };
    assert_eq!(kind_of(&rdp, far), (ProfileKind::LeaningInTooFar, false));
}

#[test]
fn too_few_answers_give_no_profile() {
    let rdp = rdp();
    let answers = Answers::new();
    let scores = score(&rdp, &answers).unwrap();
    let quality = check_quality(&rdp, &answers);
    assert!(profile(&rdp, &scores, &quality, &RiskContext::none()).is_none());
}

#[test]
fn without_reliability_a_score_near_a_cut_off_is_borderline() {
    let rdp = rdp();
    let healthy = |f: &str| {
        if ["CT", "SN", "DT"].contains(&f) {
            1
        } else {
            5
        }
    };
    // Over-dependence 3.75: a quarter point above the cut-off at 3.5.
    let near = |f: &str| match f {
        "ER" | "VS" | "DD" => 4,
        "FA" => 3,
        other => healthy(other),
    };
    assert_eq!(kind_of(&rdp, near), (ProfileKind::LeaningInTooFar, true));
    // 4.0 is further than the margin: the pattern holds without doubt.
    let far = |f: &str| match f {
        "ER" | "VS" | "DD" | "FA" => 4,
        other => healthy(other),
    };
    assert_eq!(kind_of(&rdp, far), (ProfileKind::LeaningInTooFar, false));
}
