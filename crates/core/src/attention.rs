//! Which clients a counsellor should look at first: published rules, in the
//! manner of OpenFIT's, from what a client shares. Each rule is data
//! ([`RULES`]), shown in the caseload page as written here, and
//! [`attention`] applies them in that order.

use serde::Serialize;

use crate::significance::Outcome;

/// How long a client is followed before "no reliable change" counts.
pub const WEEKS_BEFORE_AMBER: i64 = 4;

/// How many days without a check-in make a missed streak (three weeks).
pub const MISSED_CHECKIN_DAYS: i64 = 21;

/// The colour of a client on the caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Alert {
    /// Reliably worse, or check-ins missed: look first.
    Red,
    /// No reliable change after four weeks.
    Amber,
    /// Too few measures to say.
    Grey,
    /// Reliably better.
    Green,
}

/// Why a client has their colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reason {
    /// A score changed reliably for the worse since the first measure.
    Deteriorated,
    /// No check-in for three weeks, which the client lets be seen.
    MissedCheckins,
    /// Four weeks or more since the first measure, and no reliable change.
    NoChangeAfterFourWeeks,
    /// Fewer than two measures.
    TooFewMeasures,
    /// Reliability is not known, so change cannot be judged.
    ReliabilityUnknown,
    /// Less than four weeks between the first and the latest measure.
    TooEarly,
    /// A score changed reliably for the better, and none for the worse.
    Improved,
}

/// One published rule: the colour it gives and what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The colour.
    pub alert: Alert,
    /// The reason it stands for.
    pub reason: Reason,
    /// The rule in plain words, as the caseload page shows it.
    pub text: &'static str,
}

/// The rules, in the order they are tried: the first that holds decides.
pub const RULES: &[Rule] = &[
    Rule {
        alert: Alert::Red,
        reason: Reason::Deteriorated,
        text: "Red: a score has got worse since the first measure, by more than chance explains.",
    },
    Rule {
        alert: Alert::Red,
        reason: Reason::MissedCheckins,
        text: "Red: no check-in for three weeks in a row, when the client lets you see this.",
    },
    Rule {
        alert: Alert::Grey,
        reason: Reason::TooFewMeasures,
        text: "Grey: fewer than two measures, so there is nothing to compare yet.",
    },
    Rule {
        alert: Alert::Grey,
        reason: Reason::ReliabilityUnknown,
        text: "Grey: how precise the scores are is not known yet, so change cannot be judged.",
    },
    Rule {
        alert: Alert::Green,
        reason: Reason::Improved,
        text: "Green: a score has got better since the first measure, by more than chance explains. None has got worse.",
    },
    Rule {
        alert: Alert::Amber,
        reason: Reason::NoChangeAfterFourWeeks,
        text: "Amber: four weeks or more since the first measure, and no real change either way.",
    },
    Rule {
        alert: Alert::Grey,
        reason: Reason::TooEarly,
        text: "Grey: less than four weeks since the first measure, and no real change yet.",
    },
];

/// What the rules look at for one client.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// How many measures there are to compare.
    pub measures: usize,
    /// Days from the first measure to the latest.
    pub span_days: i64,
    /// The outcome of each score from the first measure to the latest.
    pub outcomes: Vec<Outcome>,
    /// Days since the latest check-in, when the client shares whether
    /// check-ins were missed and has taken one.
    pub days_since_checkin: Option<i64>,
}

/// The first rule that holds for `track`.
pub fn attention(track: &Track) -> &'static Rule {
    let holds = |reason: Reason| match reason {
        Reason::Deteriorated => {
            track.measures >= 2 && track.outcomes.contains(&Outcome::Deteriorated)
        }
        Reason::MissedCheckins => track
            .days_since_checkin
            .is_some_and(|days| days >= MISSED_CHECKIN_DAYS),
        Reason::TooFewMeasures => track.measures < 2,
        Reason::ReliabilityUnknown => {
            !track.outcomes.is_empty() && track.outcomes.iter().all(|o| *o == Outcome::NotJudged)
        }
        Reason::Improved => track
            .outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Improved | Outcome::Recovered)),
        Reason::NoChangeAfterFourWeeks => track.span_days >= WEEKS_BEFORE_AMBER * 7,
        Reason::TooEarly => true,
    };
    RULES
        .iter()
        .find(|rule| holds(rule.reason))
        .unwrap_or(&RULES[RULES.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    fn track(measures: usize, span_days: i64, outcomes: &[Outcome], checkin: Option<i64>) -> Track {
        Track {
            measures,
            span_days,
            outcomes: outcomes.to_vec(),
            days_since_checkin: checkin,
        }
    }

    #[test]
    fn each_rule_on_a_worked_example() {
        let cases = [
            (
                track(3, 40, &[Improved, Deteriorated], None),
                Alert::Red,
                Reason::Deteriorated,
            ),
            (
                track(2, 10, &[NoReliableChange], Some(21)),
                Alert::Red,
                Reason::MissedCheckins,
            ),
            (
                track(1, 0, &[], Some(30)),
                Alert::Red,
                Reason::MissedCheckins,
            ),
            (
                track(1, 0, &[], Some(3)),
                Alert::Grey,
                Reason::TooFewMeasures,
            ),
            (track(0, 0, &[], None), Alert::Grey, Reason::TooFewMeasures),
            (
                track(4, 60, &[NotJudged, NotJudged], None),
                Alert::Grey,
                Reason::ReliabilityUnknown,
            ),
            (
                track(2, 7, &[Recovered, NoReliableChange], Some(20)),
                Alert::Green,
                Reason::Improved,
            ),
            (
                track(2, 50, &[Improved, NotJudged], None),
                Alert::Green,
                Reason::Improved,
            ),
            (
                track(3, 28, &[NoReliableChange, NoReliableChange], None),
                Alert::Amber,
                Reason::NoChangeAfterFourWeeks,
            ),
            (
                track(3, 27, &[NoReliableChange], None),
                Alert::Grey,
                Reason::TooEarly,
            ),
        ];
        for (track, alert, reason) in cases {
            let rule = attention(&track);
            assert_eq!((rule.alert, rule.reason), (alert, reason), "{track:?}");
        }
    }

    #[test]
    fn who_needs_attention_comes_first() {
        let mut alerts = vec![Alert::Green, Alert::Grey, Alert::Red, Alert::Amber];
        alerts.sort();
        assert_eq!(
            alerts,
            [Alert::Red, Alert::Amber, Alert::Grey, Alert::Green]
        );
    }

    #[test]
    fn every_reason_has_one_published_rule_in_plain_words() {
        for reason in [
            Reason::Deteriorated,
            Reason::MissedCheckins,
            Reason::NoChangeAfterFourWeeks,
            Reason::TooFewMeasures,
            Reason::ReliabilityUnknown,
            Reason::TooEarly,
            Reason::Improved,
        ] {
            assert_eq!(
                RULES.iter().filter(|r| r.reason == reason).count(),
                1,
                "{reason:?}"
            );
        }
        for rule in RULES {
            let grade = crate::readability::flesch_kincaid_grade(rule.text);
            assert!(grade <= 8.0, "grade {grade:.1}: {}", rule.text);
        }
    }
}
