//! Guidance as data: the shipped file loads, reads easily, and the validator
//! refuses rules that point at things that do not exist.

use tandem_core::guidance::{Exercise, Trigger, builtin_guidance, load_guidance};
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::readability::flesch_kincaid_grade;

const SOURCE: &str = include_str!("../../../../content/guidance.toml");

#[test]
fn the_shipped_guidance_loads_and_covers_every_linked_facet() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let guidance = builtin_guidance(&rdp).unwrap_or_else(|err| panic!("{err}"));
    // Every band the instrument links to guidance has a rule with strategies of those families.
    for facet in &rdp.facets {
        for (band, families) in &facet.guidance {
            let rule = guidance
                .rules
                .iter()
                .find(|r| matches!(&r.trigger, Trigger::Facet { facet: f, band: b } if f == &facet.id && b == band))
                .unwrap_or_else(|| panic!("no rule for {} {}", facet.id, band));
            for family in families {
                assert!(
                    rule.strategies
                        .iter()
                        .any(|s| guidance.strategy(s.as_str()).unwrap().family == family.as_str()),
                    "{} {band}: no strategy of family {family}",
                    facet.id
                );
            }
        }
    }
    for exercise in [
        Exercise::NeedsStatement,
        Exercise::BoundaryPlan,
        Exercise::OwnLife,
        Exercise::SupportGrowth,
        Exercise::Goals,
        Exercise::SelfCare,
        Exercise::Journal,
    ] {
        assert!(
            guidance.strategies.iter().any(|s| s.exercise == exercise),
            "no strategy with {exercise:?}"
        );
    }
    let safety = guidance
        .rules
        .iter()
        .find(|r| r.trigger == Trigger::Safety)
        .unwrap();
    assert!(
        guidance
            .strategy(safety.strategies[0].as_str())
            .unwrap()
            .specialised_help
    );
}

#[test]
fn every_guidance_text_reads_at_grade_eight_or_below() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let guidance = builtin_guidance(&rdp).unwrap();
    for strategy in &guidance.strategies {
        for text in [&strategy.title, &strategy.why]
            .into_iter()
            .chain(&strategy.steps)
        {
            let grade = flesch_kincaid_grade(text);
            assert!(grade <= 8.0, "{}: grade {grade:.1}: {text}", strategy.id);
        }
    }
}

#[test]
fn rules_pointing_at_missing_things_are_refused_with_their_line() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let first_rule = SOURCE.find("[[rules]]").unwrap();
    let cases = [
        ("facet = \"", "facet = \"QQ", "not a facet"),
        (
            "strategies = [\"",
            "strategies = [\"no-such-strategy\", \"",
            "strategy `no-such-strategy` does not exist",
        ),
        ("band = \"", "band = \"sky-high", "is not a band"),
    ];
    for (from, to, words) in cases {
        let at = first_rule + SOURCE[first_rule..].find(from).unwrap();
        let broken = format!("{}{}{}", &SOURCE[..at], to, &SOURCE[at + from.len()..]);
        let err = load_guidance("g.toml", &broken, &rdp).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(words), "{to}: {text}");
        assert!(err.problems.iter().any(|p| p.line.is_some()), "{text}");
    }
    let no_family = SOURCE.replacen("family = \"", "family = \"astrology-", 1);
    assert!(
        load_guidance("g.toml", &no_family, &rdp)
            .unwrap_err()
            .to_string()
            .contains("unknown family")
    );
    let no_safety = SOURCE.replace("safety = true", "maintenance = true");
    assert!(
        load_guidance("g.toml", &no_safety, &rdp)
            .unwrap_err()
            .to_string()
            .contains("safety = true")
    );
}

#[test]
fn couple_rules_take_only_joint_steps_and_only_they_take_the_linked_talk() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let cases = [
        (
            "couple = \"linked\"\nstrategies = [\"check-in-often\"]",
            "couple = \"linked\"\nstrategies = [\"calm-yourself\"]",
            "strategy `calm-yourself` is not joint",
        ),
        (
            "strategies = [\"lean-on-more-people\", ",
            "strategies = [\"talk-where-you-differ\", ",
            "strategy `talk-where-you-differ` needs a linked partner",
        ),
        (
            "couple = \"gaps\"",
            "couple = \"gaps\"\nmaintenance = true",
            "exactly one of",
        ),
        ("couple = \"gaps\"", "couple = \"moods\"", "unknown variant"),
    ];
    for (from, to, words) in cases {
        assert!(SOURCE.contains(from), "{from}");
        let broken = SOURCE.replacen(from, to, 1);
        let err = load_guidance("g.toml", &broken, &rdp).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(words), "{to}: {text}");
        assert!(err.problems.iter().any(|p| p.line.is_some()), "{text}");
    }
}
