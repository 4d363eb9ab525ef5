//! Answer patterns → profile, flags and first plan items, as one table: the
//! rules of docs/DOMAIN.md, "Safety" and "Answers can be careless or one-sided".

use tandem_core::answers::{Answer, Answers};
use tandem_core::assessment::{Assessment, Latest};
use tandem_core::guidance::builtin_guidance;
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::instrument::{AnswerCode, Instrument};
use tandem_core::profile::{ProfileFlag, ProfileKind};
use tandem_core::quality::QualityFlag;
use tandem_core::risk::{RiskLevel, checkin_at_worst};
use tandem_core::safety::{SafetyScreen, ScreenOutcome};
use tandem_core::scoring::score;

use crate::fixture::by_facet;

fn instrument(id: &str) -> Instrument {
    builtin_by_id(id).unwrap().unwrap()
}

/// The same raw answer to every item.
fn every(rdp: &Instrument, value: i64) -> Answers {
    let mut answers = Answers::new();
    for item in &rdp.items {
        answers
            .set(rdp, item.id.as_str(), Answer::Value(value))
            .unwrap();
    }
    answers
}

/// Raw answers drawn from `low..=high` by a small deterministic generator.
fn random(rdp: &Instrument, seed: u64, low: i64, high: i64) -> Answers {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut answers = Answers::new();
    for item in &rdp.items {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let span = (high - low + 1) as u64;
        let value = low + ((state >> 33) % span) as i64;
        answers
            .set(rdp, item.id.as_str(), Answer::Value(value))
            .unwrap();
    }
    answers
}

const RISKS: [&str; 7] = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];

fn balanced(facet: &str) -> i64 {
    if RISKS.contains(&facet) { 1 } else { 5 }
}

/// A safety screen: every item "No" except those given.
enum Screen {
    None,
    AllNo,
    Yes(&'static str),
    YesTo(&'static [&'static str]),
    Blank,
    PreferNotToSay,
}

fn screen(kind: &Screen) -> Option<SafetyScreen> {
    let safety = instrument("safety");
    let mut answers = Answers::new();
    for item in &safety.items {
        let answer = match kind {
            Screen::None => return None,
            Screen::Blank => continue,
            Screen::PreferNotToSay => Answer::Code(AnswerCode::PreferNotToSay),
            Screen::AllNo => Answer::Value(0),
            Screen::Yes(yes) => Answer::Value(i64::from(item.id.as_str() == *yes)),
            Screen::YesTo(yes) => Answer::Value(i64::from(yes.contains(&item.id.as_str()))),
        };
        answers.set(&safety, item.id.as_str(), answer).unwrap();
    }
    Some(SafetyScreen::from_answers(&safety, answers).unwrap())
}

/// What one case must show.
struct Expect {
    kind: Option<ProfileKind>,
    flags: &'static [ProfileFlag],
    quality: &'static [QualityFlag],
    /// Strategies that must lead the plan, in order.
    first: &'static [&'static str],
    /// Strategies that must be somewhere in the plan.
    present: &'static [&'static str],
    /// Strategies that must not be in the plan.
    absent: &'static [&'static str],
    joint_allowed: bool,
}

const JOINT: [&str; 3] = [
    "talk-where-you-differ",
    "ask-how-to-support-each-other",
    "check-in-often",
];
const ASSERTIVE: [&str; 6] = [
    "say-what-you-need",
    "set-a-clear-limit",
    "practise-saying-no",
    "take-back-your-choices",
    "ask-for-a-fair-say",
    "start-with-a-small-ask",
];
const MAINTENANCE: [&str; 3] = [
    "keep-doing-what-works",
    "check-in-often",
    "keep-your-circle-wide",
];

fn check(name: &str, answers: &Answers, screen_kind: Screen, expect: Expect) {
    let rdp = instrument("rdp");
    let guidance = builtin_guidance(&rdp).unwrap();
    let kept = screen(&screen_kind);
    let assessment = Assessment::of(Latest {
        rdp: Some((&rdp, answers)),
        screen: kept.as_ref().map(SafetyScreen::summary),
        screen_taken: kept.is_some(),
        checkin: None,
    })
    .unwrap();
    let profile = assessment.profile.as_ref().expect("a profile");
    assert_eq!(profile.kind, expect.kind, "{name}: kind");
    assert_eq!(profile.withheld, expect.kind.is_none(), "{name}: withheld");
    assert_eq!(profile.flags, expect.flags, "{name}: profile flags");
    let quality = assessment.quality.as_ref().unwrap();
    assert_eq!(quality.flags, expect.quality, "{name}: quality flags");
    let plan = assessment.plan(&guidance);
    let ids: Vec<&str> = plan
        .suggestions
        .iter()
        .map(|s| s.strategy.as_str())
        .collect();
    assert!(
        ids.starts_with(expect.first),
        "{name}: plan starts {ids:?}, expected {:?}",
        expect.first
    );
    for id in expect.present {
        assert!(ids.contains(id), "{name}: {id} missing from {ids:?}");
    }
    for id in expect.absent {
        assert!(!ids.contains(id), "{name}: {id} in {ids:?}");
    }
    let joint: Vec<&str> = plan
        .suggestions
        .iter()
        .filter(|s| s.joint)
        .map(|s| s.strategy.as_str())
        .collect();
    if !expect.joint_allowed || assessment.risk.rules_out_couple_features() {
        assert!(joint.is_empty(), "{name}: joint steps {joint:?}");
    }
    if assessment.risk.adapts_plan() {
        for id in MAINTENANCE.iter().chain(ASSERTIVE.iter()) {
            assert!(!ids.contains(id), "{name}: under risk, {id} in {ids:?}");
        }
    }
    assert_eq!(
        plan.review_answers,
        !quality.flags.is_empty(),
        "{name}: review"
    );
}

#[test]
fn answer_patterns_decide_profile_flags_and_first_plan_items() {
    let rdp = instrument("rdp");
    let none: &[&str] = &[];

    check(
        "balanced, no screen",
        &by_facet(&rdp, balanced),
        Screen::AllNo,
        Expect {
            kind: Some(ProfileKind::BalancedInterdependence),
            flags: &[],
            quality: &[],
            first: &["keep-doing-what-works"],
            present: &MAINTENANCE,
            absent: &["help-if-you-feel-unsafe"],
            joint_allowed: true,
        },
    );
    check(
        "balanced but shared power at the floor",
        &by_facet(&rdp, |f| if f == "PB" { 1 } else { balanced(f) }),
        Screen::AllNo,
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::LowPowerBalance, ProfileFlag::CoercionSignals],
            quality: &[],
            first: &["help-if-you-feel-unsafe", "keep-something-of-your-own"],
            present: &["talk-to-a-counsellor"],
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    check(
        "balanced plus a positive screen",
        &by_facet(&rdp, balanced),
        Screen::Yes("SF9"),
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::SafetyConcern],
            quality: &[],
            first: &["help-if-you-feel-unsafe"],
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    check(
        "balanced plus an urgent answer: the emergency step first",
        &by_facet(&rdp, balanced),
        Screen::Yes("SF16"),
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::SafetyConcern],
            quality: &[],
            first: &["get-safe-now", "help-if-you-feel-unsafe"],
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    check(
        "thoughts of self-harm: the crisis line first, no abuse steps",
        &by_facet(&rdp, balanced),
        Screen::Yes("SF23"),
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::SafetyConcern],
            quality: &[],
            first: &["crisis-support"],
            present: none,
            absent: &[
                "get-safe-now",
                "help-if-you-feel-unsafe",
                "keep-doing-what-works",
            ],
            joint_allowed: false,
        },
    );
    check(
        "choking and thoughts of self-harm: emergency, then the crisis line",
        &by_facet(&rdp, balanced),
        Screen::YesTo(&["SF16", "SF23"]),
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::SafetyConcern],
            quality: &[],
            first: &["get-safe-now", "crisis-support", "help-if-you-feel-unsafe"],
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    let controlled = |f: &str| match f {
        "DD" => 5,
        "PB" | "CN" | "BD" => 1,
        other => balanced(other),
    };
    check(
        "a controlled pattern: safety and power lead",
        &by_facet(&rdp, controlled),
        Screen::None,
        Expect {
            kind: Some(ProfileKind::Mixed),
            flags: &[ProfileFlag::LowPowerBalance, ProfileFlag::CoercionSignals],
            quality: &[],
            first: &["help-if-you-feel-unsafe", "keep-something-of-your-own"],
            present: &[
                "small-choices-that-are-yours",
                "voice-needs-safely",
                "limits-with-a-safety-plan",
            ],
            absent: &["take-back-your-choices", "say-what-you-need"],
            joint_allowed: false,
        },
    );
    let caretaker = |f: &str| match f {
        "CT" | "SN" => 5,
        "MS" => 2,
        other => balanced(other),
    };
    check(
        "a caretaker, screen clear: joint steps offered",
        &by_facet(&rdp, caretaker),
        Screen::AllNo,
        Expect {
            kind: Some(ProfileKind::CarryingTheRelationship),
            flags: &[],
            quality: &[],
            first: &["let-them-own-their-problems"],
            present: &["ask-how-to-support-each-other", "set-a-clear-limit"],
            absent: &["help-if-you-feel-unsafe"],
            joint_allowed: true,
        },
    );
    check(
        "a caretaker with a positive screen: no joint steps, safe versions",
        &by_facet(&rdp, caretaker),
        Screen::Yes("SF8"),
        Expect {
            kind: Some(ProfileKind::CarryingTheRelationship),
            flags: &[ProfileFlag::SafetyConcern],
            quality: &[],
            first: &["help-if-you-feel-unsafe", "keep-something-of-your-own"],
            present: &["limits-with-a-safety-plan"],
            absent: &JOINT,
            joint_allowed: false,
        },
    );
    check(
        "agrees with everything: withheld, coercion items still lead to safety",
        &every(&rdp, 5),
        Screen::None,
        Expect {
            kind: None,
            flags: &[ProfileFlag::CoercionSignals],
            quality: &[
                QualityFlag::Acquiescence,
                QualityFlag::StraightLine,
                QualityFlag::Inconsistent,
            ],
            first: &["help-if-you-feel-unsafe"],
            present: none,
            absent: &["lean-on-more-people", "keep-doing-what-works"],
            joint_allowed: false,
        },
    );
    check(
        "the middle answer everywhere: withheld",
        &every(&rdp, 3),
        Screen::AllNo,
        Expect {
            kind: None,
            flags: &[],
            quality: &[QualityFlag::StraightLine, QualityFlag::Midpoint],
            first: none,
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    check(
        "a straight line of 'Agree': withheld",
        &every(&rdp, 4),
        Screen::AllNo,
        Expect {
            kind: None,
            flags: &[ProfileFlag::CoercionSignals],
            quality: &[QualityFlag::Acquiescence, QualityFlag::StraightLine],
            first: &["help-if-you-feel-unsafe"],
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
    check(
        "a blank screen counts for risk, calmly",
        &by_facet(&rdp, balanced),
        Screen::Blank,
        Expect {
            kind: Some(ProfileKind::BalancedInterdependence),
            flags: &[],
            quality: &[],
            first: &["help-if-you-feel-unsafe"],
            present: none,
            absent: &MAINTENANCE,
            joint_allowed: false,
        },
    );
}

#[test]
fn random_answers_between_3_and_5_are_flagged_and_get_no_pattern() {
    let rdp = instrument("rdp");
    for seed in 0..1000 {
        let answers = random(&rdp, seed, 3, 5);
        let assessment = Assessment::of(Latest {
            rdp: Some((&rdp, &answers)),
            ..Latest::default()
        })
        .unwrap();
        let profile = assessment.profile.unwrap();
        assert!(profile.withheld, "seed {seed}: {:?}", assessment.quality);
        assert_eq!(profile.kind, None);
    }
}

#[test]
fn consistent_answers_of_every_pattern_pass_the_quality_checks() {
    let rdp = instrument("rdp");
    let patterns: [&dyn Fn(&str) -> i64; 4] = [
        &balanced,
        &|f| {
            if ["ER", "VS", "DD", "FA"].contains(&f) {
                5
            } else {
                2
            }
        },
        &|f| {
            if ["CT", "SN"].contains(&f) {
                4
            } else {
                balanced(f)
            }
        },
        &|f| {
            if f == "DT" {
                5
            } else if f == "MS" {
                1
            } else {
                balanced(f)
            }
        },
    ];
    for (n, pattern) in patterns.iter().enumerate() {
        let answers = by_facet(&rdp, pattern);
        let quality = tandem_core::quality::check_quality(&rdp, &answers);
        assert!(quality.flags.is_empty(), "pattern {n}: {quality:?}");
    }
}

#[test]
fn screens_are_graded_and_anything_left_open_shows_the_help() {
    let table = [
        (Screen::AllNo, ScreenOutcome::Clear, false, RiskLevel::None),
        (
            Screen::Blank,
            ScreenOutcome::Unclear,
            true,
            RiskLevel::Unclear,
        ),
        (
            Screen::PreferNotToSay,
            ScreenOutcome::Unclear,
            true,
            RiskLevel::Unclear,
        ),
        (
            Screen::Yes("SF10"),
            ScreenOutcome::Concern,
            true,
            RiskLevel::Concern,
        ),
        (
            Screen::Yes("SF16"),
            ScreenOutcome::Urgent,
            true,
            RiskLevel::Urgent,
        ),
        // Self-harm is told apart from harm by others, and still urgent.
        (
            Screen::Yes("SF23"),
            ScreenOutcome::Clear,
            true,
            RiskLevel::Urgent,
        ),
    ];
    for (kind, outcome, help, level) in table {
        let screen = screen(&kind).unwrap();
        assert_eq!(screen.outcome(), outcome);
        assert_eq!(screen.shows_help(), help);
        let assessment = Assessment::of(Latest {
            screen: Some(screen.summary()),
            screen_taken: true,
            ..Latest::default()
        })
        .unwrap();
        assert_eq!(assessment.risk.level(), level);
    }
    // Choking is urgent; phone-checking is a concern: they differ.
    assert_ne!(
        screen(&Screen::Yes("SF16")).unwrap().outcome(),
        screen(&Screen::Yes("SF10")).unwrap().outcome()
    );
    assert!(screen(&Screen::Yes("SF23")).unwrap().self_harm());
    assert!(!screen(&Screen::Yes("SF16")).unwrap().self_harm());
}

#[test]
fn a_checkin_at_its_worst_safety_answer_shows_help_and_leaves_the_pulse_alone() {
    let checkin = instrument("checkin");
    let answers_with = |safety: i64| {
        let mut answers = Answers::new();
        for item in &checkin.items {
            let answer = match (item.id.as_str(), item.facet.is_some()) {
                ("CI11", _) => Answer::Value(safety),
                (_, true) => Answer::Value(4),
                (_, false) => continue,
            };
            answers.set(&checkin, item.id.as_str(), answer).unwrap();
        }
        answers
    };
    let calm = answers_with(1);
    let worst = answers_with(5);
    let pulse = |answers: &Answers| score(&checkin, answers).unwrap().indices["pulse"].score;
    assert_eq!(pulse(&calm), pulse(&worst));
    assert!(pulse(&worst).is_some());
    assert!(checkin_at_worst(&checkin, &worst));
    assert!(!checkin_at_worst(&checkin, &calm));
    let assess = |answers: &Answers| {
        Assessment::of(Latest {
            checkin: Some((&checkin, answers)),
            screen_taken: true,
            ..Latest::default()
        })
        .unwrap()
        .risk
    };
    assert!(assess(&worst).shows_help());
    assert!(assess(&worst).offers_screen());
    assert!(!assess(&calm).shows_help());
    assert!(!assess(&calm).offers_screen());
}

#[test]
fn every_new_sentence_reads_at_grade_eight_or_below() {
    use tandem_core::readability::flesch_kincaid_grade;
    let withheld = Assessment::of(Latest {
        rdp: Some((&instrument("rdp"), &every(&instrument("rdp"), 5))),
        ..Latest::default()
    })
    .unwrap()
    .profile
    .unwrap();
    let mut texts: Vec<&str> = vec![withheld.meaning()];
    texts.extend(
        [
            ProfileFlag::LowPowerBalance,
            ProfileFlag::CoercionSignals,
            ProfileFlag::SafetyConcern,
        ]
        .map(ProfileFlag::words),
    );
    texts.extend(
        [
            QualityFlag::Acquiescence,
            QualityFlag::StraightLine,
            QualityFlag::Midpoint,
            QualityFlag::Inconsistent,
        ]
        .map(QualityFlag::words),
    );
    for text in texts {
        let grade = flesch_kincaid_grade(text);
        assert!(grade <= 8.0, "grade {grade:.1}: {text}");
    }
}

#[test]
fn an_old_checkin_that_did_not_feel_safe_still_shows_the_help() {
    let old = tandem_core::instrument::builtin::builtin_version("checkin", "1.0.0")
        .unwrap()
        .unwrap();
    let week = |safe: i64| {
        let mut answers = Answers::new();
        for id in ["CI1", "CI2", "CI3", "CI4"] {
            answers.set(&old, id, Answer::Value(4)).unwrap();
        }
        answers.set(&old, "CI5", Answer::Value(safe)).unwrap();
        answers
    };
    let risk = |answers: &Answers| {
        Assessment::of(Latest {
            checkin: Some((&old, answers)),
            screen_taken: true,
            ..Latest::default()
        })
        .unwrap()
        .risk
    };
    assert!(risk(&week(1)).shows_help());
    assert!(risk(&week(2)).shows_help());
    assert!(!risk(&week(4)).shows_help());
    assert!(checkin_at_worst(&old, &week(1)));
}

#[test]
fn couple_features_are_ruled_out_by_a_yes_fear_or_low_power_but_not_by_a_blank() {
    let rdp = instrument("rdp");
    let cases: [(&str, Answers, Screen, bool); 6] = [
        (
            "balanced, all no",
            by_facet(&rdp, balanced),
            Screen::AllNo,
            false,
        ),
        (
            "balanced, no screen",
            by_facet(&rdp, balanced),
            Screen::None,
            false,
        ),
        (
            "balanced, blank screen",
            by_facet(&rdp, balanced),
            Screen::Blank,
            false,
        ),
        (
            "balanced, prefer not to say",
            by_facet(&rdp, balanced),
            Screen::PreferNotToSay,
            false,
        ),
        (
            "a yes to one item",
            by_facet(&rdp, balanced),
            Screen::Yes("SF9"),
            true,
        ),
        (
            "shared power at the floor",
            by_facet(&rdp, |f| if f == "PB" { 1 } else { balanced(f) }),
            Screen::AllNo,
            true,
        ),
    ];
    for (name, answers, screen_kind, ruled_out) in cases {
        let kept = screen(&screen_kind);
        let assessment = Assessment::of(Latest {
            rdp: Some((&rdp, &answers)),
            screen: kept.as_ref().map(SafetyScreen::summary),
            screen_taken: kept.is_some(),
            checkin: None,
        })
        .unwrap();
        assert_eq!(
            assessment.risk.rules_out_couple_features(),
            ruled_out,
            "{name}"
        );
    }
}
