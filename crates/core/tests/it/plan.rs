//! Plans from real scored administrations: what matters most comes first.

use tandem_core::answers::{Answer, Answers};
use tandem_core::guidance::{Guidance, builtin_guidance};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::plan::{PlanInputs, Reason, Suggestion, suggest};
use tandem_core::risk::{RiskContext, RiskInputs};
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::{Scores, score};

/// The suggestions for `scores`, with a kept screen that had one "Yes" to a
/// concern item when `safety_positive`; `balanced` as the profile would say.
fn suggestions(
    guidance: &Guidance,
    scores: Option<&Scores>,
    safety_positive: bool,
    balanced: bool,
) -> Vec<Suggestion> {
    let safety = builtin_by_id("safety").unwrap().unwrap();
    let mut answers = Answers::new();
    for item in &safety.items {
        let yes = safety_positive && item.id.as_str() == "SF9";
        answers
            .set(&safety, item.id.as_str(), Answer::Value(i64::from(yes)))
            .unwrap();
    }
    let screen = SafetyScreen::from_answers(&safety, answers).unwrap();
    let risk = RiskContext::assess(RiskInputs {
        screen: Some(screen.summary()),
        screen_taken: true,
        rdp: None,
        checkin: None,
    });
    suggest(
        guidance,
        PlanInputs {
            scores,
            quality: None,
            balanced,
            risk: &risk,
        },
    )
    .suggestions
}

fn setup() -> (Instrument, Guidance) {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let guidance = builtin_guidance(&rdp).unwrap();
    (rdp, guidance)
}

fn scored(rdp: &Instrument, level: impl Fn(&str) -> i64) -> Scores {
    let answers = crate::fixture::by_facet(rdp, level);
    score(rdp, &answers).unwrap()
}

const RISKS: [&str; 7] = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];

fn balanced(facet: &str) -> i64 {
    if RISKS.contains(&facet) { 1 } else { 5 }
}

fn of(reason: &Reason) -> Option<&str> {
    match reason {
        Reason::Score { of, .. } => Some(of),
        _ => None,
    }
}

#[test]
fn over_dependence_and_low_autonomy_come_first() {
    let (rdp, guidance) = setup();
    let scores = scored(&rdp, |f| match f {
        "ER" | "VS" | "DD" | "FA" => 5,
        "AU" => 1,
        other => balanced(other),
    });
    let plan = suggestions(&guidance, Some(&scores), false, false);
    assert!(!plan.is_empty());
    let addressed: Vec<&str> = plan.iter().filter_map(|s| of(&s.reason)).collect();
    // Everything suggested is about the over-dependence facets, their index, or autonomy.
    for target in &addressed {
        assert!(
            [
                "ER",
                "VS",
                "DD",
                "FA",
                "over_dependence",
                "AU",
                "interdependence"
            ]
            .contains(target),
            "{target}"
        );
    }
    // The elevated risks lead; the first item is about one of them.
    assert!(
        ["ER", "VS", "DD", "FA", "over_dependence"].contains(&addressed[0]),
        "{addressed:?}"
    );
    // Autonomy is addressed: each of its rule's strategies is in the plan, after the first.
    let au_rule = guidance
        .rules
        .iter()
        .find(|r| matches!(&r.trigger, tandem_core::guidance::Trigger::Facet { facet, .. } if facet.as_str() == "AU"))
        .unwrap();
    for strategy in &au_rule.strategies {
        let at = plan
            .iter()
            .position(|s| &s.strategy == strategy)
            .expect("autonomy strategy in the plan");
        assert!(plan[at].reasons.iter().any(|r| of(r) == Some("AU")));
        assert!(at > 0);
    }
    // Strategies chosen only for autonomy come after every over-dependence one.
    let last_risk = plan
        .iter()
        .rposition(|s| {
            matches!(
                of(&s.reason),
                Some("ER" | "VS" | "DD" | "FA" | "over_dependence")
            )
        })
        .unwrap();
    let first_only_au = plan
        .iter()
        .position(|s| matches!(of(&s.reason), Some("AU" | "interdependence")));
    if let Some(first) = first_only_au {
        assert!(first > last_risk);
    }
    assert!(
        plan.iter()
            .all(|s| s.reason != Reason::Maintenance && s.reason != Reason::Safety)
    );
}

#[test]
fn a_positive_safety_answer_puts_help_first() {
    let (rdp, guidance) = setup();
    let scores = scored(&rdp, |f| if f == "CT" { 5 } else { balanced(f) });
    let plan = suggestions(&guidance, Some(&scores), true, false);
    assert_eq!(plan[0].reason, Reason::Safety);
    assert!(
        guidance
            .strategy(plan[0].strategy.as_str())
            .unwrap()
            .specialised_help
    );
    // The elevated caretaking still follows.
    assert!(plan.iter().any(|s| of(&s.reason) == Some("CT")));
    // Even without any results yet, safety comes first.
    let early = suggestions(&guidance, None, true, false);
    assert_eq!(early[0].reason, Reason::Safety);
}

#[test]
fn a_balanced_profile_gets_maintenance_not_alarms() {
    let (rdp, guidance) = setup();
    let scores = scored(&rdp, balanced);
    let plan = suggestions(&guidance, Some(&scores), false, true);
    assert!(!plan.is_empty());
    assert!(
        plan.iter().all(|s| s.reason == Reason::Maintenance),
        "{plan:?}"
    );
    for suggestion in &plan {
        assert!(
            !guidance
                .strategy(suggestion.strategy.as_str())
                .unwrap()
                .specialised_help
        );
    }
}

#[test]
fn each_strategy_appears_once() {
    let (rdp, guidance) = setup();
    let scores = scored(&rdp, |f| if RISKS.contains(&f) { 5 } else { 1 });
    let plan = suggestions(&guidance, Some(&scores), true, false);
    let mut ids: Vec<_> = plan.iter().map(|s| s.strategy.as_str()).collect();
    let before = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), before);
}

#[test]
fn reasons_and_standing_out_facets_are_named_in_plain_words() {
    let (rdp, _) = setup();
    let scores = scored(&rdp, |f| match f {
        "ER" => 5,
        "AU" => 1,
        other => balanced(other),
    });
    let names: Vec<&str> = tandem_core::scoring::standing_out(&rdp, &scores)
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(names, ["ER", "AU"]);
    let high = Reason::Score {
        of: "ER".into(),
        band: "elevated".into(),
        score: 5.0,
    };
    let low = Reason::Score {
        of: "interdependence".into(),
        band: "low".into(),
        score: 1.5,
    };
    assert_eq!(high.words(&rdp), "Emotional reliance is high");
    assert_eq!(low.words(&rdp), "Interdependence is low");
    assert_eq!(Reason::Safety.words(&rdp), "your answers on staying safe");
}

/// The couple plan: the couple rules' joint steps for what the comparison
/// shows, in the guidance's order, and none at all under any risk.
#[test]
fn the_couple_plan_follows_the_comparison_and_is_empty_under_risk() {
    use tandem_core::couple::{CoupleSigns, couple_plan};
    use tandem_core::safety::{ScreenOutcome, ScreenSummary};
    let (_, guidance) = setup();
    let of = |gaps, one_way_support| CoupleSigns {
        gaps,
        one_way_support,
    };
    let clear = RiskContext::assess(RiskInputs {
        screen: Some(ScreenSummary {
            outcome: ScreenOutcome::Clear,
            self_harm: false,
        }),
        screen_taken: true,
        rdp: None,
        checkin: None,
    });
    let cases: [(CoupleSigns, &[&str]); 4] = [
        (of(false, false), &["check-in-often"]),
        (
            of(true, false),
            &["talk-where-you-differ", "check-in-often"],
        ),
        (
            of(false, true),
            &["ask-how-to-support-each-other", "check-in-often"],
        ),
        (
            of(true, true),
            &[
                "talk-where-you-differ",
                "ask-how-to-support-each-other",
                "check-in-often",
            ],
        ),
    ];
    for (signs, expected) in cases {
        let steps = couple_plan(&guidance, signs, &clear);
        let ids: Vec<&str> = steps.iter().map(|s| s.strategy.as_str()).collect();
        assert_eq!(ids, expected, "{signs:?}");
        for step in &steps {
            assert!(guidance.strategy(step.strategy.as_str()).unwrap().joint);
        }
    }
    for outcome in [
        ScreenOutcome::Concern,
        ScreenOutcome::Urgent,
        ScreenOutcome::Unclear,
    ] {
        let risk = RiskContext::assess(RiskInputs {
            screen: Some(ScreenSummary {
                outcome,
                self_harm: false,
            }),
            screen_taken: true,
            rdp: None,
            checkin: None,
        });
        assert!(
            couple_plan(&guidance, of(true, true), &risk).is_empty(),
            "{outcome:?}"
        );
    }
}

/// No one's own plan suggests the talk that needs a partner's report.
#[test]
fn a_persons_own_plan_never_suggests_the_talk_that_needs_a_link() {
    let (rdp, guidance) = setup();
    for level in 1..=5 {
        let scores = scored(&rdp, |_| level);
        for safety_positive in [false, true] {
            for s in suggestions(&guidance, Some(&scores), safety_positive, level == 3) {
                assert_ne!(
                    s.strategy.as_str(),
                    "talk-where-you-differ",
                    "level {level}"
                );
            }
        }
    }
}
