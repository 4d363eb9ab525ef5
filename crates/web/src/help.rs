//! The help shown after safety answers, graded (docs/DOMAIN.md, "Safety"): for
//! urgent answers the emergency step comes first, for thoughts of self-harm
//! the crisis lines follow it, and a screen left blank or "prefer not to
//! say" shows the usual help with calm words. Pages and the API build it
//! here, so they cannot disagree about what comes first.

use serde::Serialize;
use tandem_core::help::HelpNeeded;
use tandem_core::resources::Resources;
use tandem_core::risk::RiskContext;
use tandem_core::safety::ScreenSummary;

/// Said first when nothing was answered "Yes" but something was left open:
/// no alarm, and the door left open.
pub const CALM_INTRO: &str = "You did not answer every question, and that is fine. \
If something is hard for you, help is here when you want it.";

/// How serious the answers behind the help were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Left blank, skipped or "prefer not to say".
    Unclear,
    /// Fear, control, monitoring and the like.
    Concern,
    /// Harm, threats to life, feeling unsafe now, thoughts of self-harm.
    Urgent,
}

/// The help, in the order a person should read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Help {
    /// How serious the answers were.
    pub grade: Grade,
    /// A short heading.
    pub heading: String,
    /// One or two calm sentences.
    pub intro: String,
    /// What comes before everything else: the emergency step (urgent only).
    pub emergency: Option<String>,
    /// Crisis lines (thoughts of self-harm only).
    pub crisis: Vec<String>,
    /// The usual steps.
    pub steps: Vec<String>,
}

/// Said when the help is for thoughts of self-harm alone: no words about
/// abuse that nothing pointed to.
pub const CRISIS_HEADING: &str = "You do not have to cope alone";

/// The words under [`CRISIS_HEADING`].
pub const CRISIS_INTRO: &str =
    "Thoughts like these can feel very heavy. Talking to someone today can help.";

impl Help {
    /// The help at one grade, with the crisis lines when `self_harm`.
    pub fn graded(resources: &Resources, grade: Grade, self_harm: bool) -> Self {
        Self::from_needed(
            resources,
            HelpNeeded {
                emergency: grade == Grade::Urgent,
                crisis: self_harm,
                abuse: true,
                calm: grade == Grade::Unclear,
            },
        )
        .unwrap_or_else(|| Self::usual(resources))
    }

    /// The help the core says is needed (`tandem_core::help`), in reading
    /// order; `None` when nothing is.
    pub fn from_needed(resources: &Resources, needed: HelpNeeded) -> Option<Self> {
        if !needed.any() {
            return None;
        }
        let grade = if needed.emergency || needed.crisis {
            Grade::Urgent
        } else if needed.calm {
            Grade::Unclear
        } else {
            Grade::Concern
        };
        let (heading, intro) = match (needed.abuse, needed.calm) {
            (false, _) => (CRISIS_HEADING.to_owned(), CRISIS_INTRO.to_owned()),
            (true, true) => (resources.heading.clone(), CALM_INTRO.to_owned()),
            (true, false) => (resources.heading.clone(), resources.intro.clone()),
        };
        Some(Self {
            grade,
            heading,
            intro,
            emergency: needed
                .emergency
                .then(|| resources.emergency.as_ref().map(|s| s.text.clone()))
                .flatten(),
            crisis: if needed.crisis {
                resources.crisis.iter().map(|s| s.text.clone()).collect()
            } else {
                Vec::new()
            },
            steps: if needed.abuse {
                resources.steps.iter().map(|s| s.text.clone()).collect()
            } else {
                Vec::new()
            },
        })
    }

    /// The usual help, with no emergency step first: beside a plan step
    /// that points to specialised help, or after a check-in.
    pub fn usual(resources: &Resources) -> Self {
        Self {
            grade: Grade::Concern,
            heading: resources.heading.clone(),
            intro: resources.intro.clone(),
            emergency: None,
            crisis: Vec::new(),
            steps: resources.steps.iter().map(|s| s.text.clone()).collect(),
        }
    }

    /// The help a screen's outcome calls for; `None` when every answer was "No".
    pub fn for_screen(resources: &Resources, summary: ScreenSummary) -> Option<Self> {
        Self::from_needed(resources, HelpNeeded::for_screen(summary))
    }

    /// The help a person's risk context calls for; `None` when no safety
    /// answer (screen or check-in) asks for it.
    pub fn for_risk(resources: &Resources, risk: &RiskContext) -> Option<Self> {
        if !risk.shows_help() {
            return None;
        }
        let needed = HelpNeeded::for_risk(risk);
        // A check-in's fear is help-worthy even with no screen behind it.
        let needed = if needed.any() {
            needed
        } else {
            HelpNeeded {
                abuse: true,
                ..HelpNeeded::default()
            }
        };
        Self::from_needed(resources, needed)
    }

    /// Every text in reading order, for the API and for tests.
    pub fn texts(&self) -> Vec<&str> {
        self.emergency
            .as_deref()
            .into_iter()
            .chain(std::iter::once(self.intro.as_str()))
            .chain(self.crisis.iter().map(String::as_str))
            .chain(self.steps.iter().map(String::as_str))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::readability::flesch_kincaid_grade;
    use tandem_core::resources::default_resources;
    use tandem_core::safety::ScreenOutcome;

    fn summary(outcome: ScreenOutcome, self_harm: bool) -> ScreenSummary {
        ScreenSummary { outcome, self_harm }
    }

    #[test]
    fn the_grade_decides_what_comes_first() {
        let resources = default_resources().unwrap();
        let emergency = resources.emergency.clone().unwrap().text;
        let crisis = resources.crisis[0].text.clone();
        let usual = resources.steps[0].text.clone();
        let intro = resources.intro.clone();
        // (outcome, self-harm) → shown: (the first text, has crisis lines)
        let table = [
            (ScreenOutcome::Clear, false, None),
            (ScreenOutcome::Unclear, false, Some((CALM_INTRO, false))),
            (ScreenOutcome::Concern, false, Some((intro.as_str(), false))),
            (
                ScreenOutcome::Urgent,
                false,
                Some((emergency.as_str(), false)),
            ),
            (
                ScreenOutcome::Urgent,
                true,
                Some((emergency.as_str(), true)),
            ),
            // Thoughts of self-harm alone: the crisis lines, no abuse steps.
            (ScreenOutcome::Clear, true, Some((CRISIS_INTRO, true))),
        ];
        for (outcome, self_harm, expected) in table {
            let help = Help::for_screen(&resources, summary(outcome, self_harm));
            let got = help
                .as_ref()
                .map(|h| (h.texts()[0], h.texts().contains(&crisis.as_str())));
            assert_eq!(got, expected, "{outcome:?} self-harm {self_harm}");
            if let Some(help) = help {
                assert_eq!(
                    help.texts().contains(&usual.as_str()),
                    outcome != ScreenOutcome::Clear,
                    "{outcome:?}"
                );
            }
        }
        let calm = Help::for_screen(&resources, summary(ScreenOutcome::Unclear, false)).unwrap();
        assert_eq!(calm.intro, CALM_INTRO);
    }

    #[test]
    fn the_calm_words_read_easily() {
        let grade = flesch_kincaid_grade(CALM_INTRO);
        assert!(grade <= 8.0, "{grade}: {CALM_INTRO}");
    }
}
