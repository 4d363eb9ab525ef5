//! The exercises' forms: which fields each kind asks for, in plain words.
//! What the person writes is kept as a JSON object of field → text, sealed
//! by the store with their own data key.

use tandem_core::guidance::Exercise;
use tandem_core::input::{self, ExerciseText, InputError};

/// One field of an exercise form.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Form name and JSON key.
    pub name: &'static str,
    /// The label.
    pub label: &'static str,
    /// A hint under the label.
    pub hint: &'static str,
    /// A text area rather than a line.
    pub long: bool,
}

const fn field(name: &'static str, label: &'static str, hint: &'static str, long: bool) -> Field {
    Field {
        name,
        label,
        hint,
        long,
    }
}

/// An exercise kind with its URL slug, title and fields.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// The exercise.
    pub exercise: Exercise,
    /// URL slug and stored kind.
    pub slug: &'static str,
    /// Page heading.
    pub title: &'static str,
    /// One line on what it is for.
    pub intro: &'static str,
    /// The fields.
    pub fields: &'static [Field],
}

/// Every exercise kind with a form.
pub const KINDS: [Kind; 7] = [
    Kind {
        exercise: Exercise::NeedsStatement,
        slug: "needs-statement",
        title: "Say what you need",
        intro: "Put a need into words, one piece at a time. The preview shows how it could sound.",
        fields: &[
            field(
                "feeling",
                "What I feel",
                "For example: worried, lonely, tired, hurt.",
                false,
            ),
            field(
                "situation",
                "When this happens",
                "Describe what happens, not what the other person is.",
                false,
            ),
            field(
                "need",
                "What I need",
                "For example: time to rest, to be heard, some help.",
                false,
            ),
            field(
                "request",
                "What I ask for",
                "One clear thing the other person could do.",
                false,
            ),
        ],
    },
    Kind {
        exercise: Exercise::BoundaryPlan,
        slug: "boundary-plan",
        title: "Plan a boundary",
        intro: "A limit is easier to hold when you have thought it through before.",
        fields: &[
            field(
                "limit",
                "My limit",
                "What is not OK for you, in one sentence.",
                false,
            ),
            field("why", "Why it matters to me", "", true),
            field(
                "say",
                "How I will say it",
                "Calm, short words you could really use.",
                true,
            ),
            field(
                "crossed",
                "What I will do if it is crossed",
                "Something you can do yourself, not a threat.",
                true,
            ),
        ],
    },
    Kind {
        exercise: Exercise::OwnLife,
        slug: "own-life",
        title: "Time for your own life",
        intro: "Plan something that is only yours, and tick each week you make time for it.",
        fields: &[
            field(
                "interests",
                "What I want to do",
                "A hobby, a class, a walk, a friend.",
                false,
            ),
            field(
                "time",
                "When each week",
                "A day and a time, like Tuesday at six.",
                false,
            ),
            field("who", "Who with", "Or on my own.", false),
        ],
    },
    Kind {
        exercise: Exercise::SupportGrowth,
        slug: "support-growth",
        title: "Grow your support",
        intro: "Pick a part of life where few people help you, and one person you could reach out to.",
        fields: &[
            field("domain", "The part of life", "", false),
            field(
                "person",
                "Someone I could reach out to",
                "A name or nickname.",
                false,
            ),
            field(
                "step",
                "A first step",
                "For example: send a message this week.",
                false,
            ),
        ],
    },
    Kind {
        exercise: Exercise::Goals,
        slug: "goals",
        title: "A goal of your own",
        intro: "Choose something you want for yourself, and track how far along you are.",
        fields: &[
            field("goal", "My goal", "", false),
            field("step", "My next step", "", false),
        ],
    },
    Kind {
        exercise: Exercise::SelfCare,
        slug: "self-care",
        title: "A self-care routine",
        intro: "Small, regular things that help you feel rested and steady.",
        fields: &[
            field(
                "routine",
                "What I will do",
                "For example: a walk, an early night, a call with a friend.",
                true,
            ),
            field("when", "When", "", false),
        ],
    },
    Kind {
        exercise: Exercise::Journal,
        slug: "journal",
        title: "Journal",
        intro: "Write as much or as little as you like. Other people who use Tandem cannot see it.",
        fields: &[field("text", "Your entry", "", true)],
    },
];

/// The kind with this slug.
pub fn kind(slug: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.slug == slug)
}

impl Kind {
    /// The field called `name`; a journal's `prompt` (the prompt it was
    /// written to) counts as a one-line field.
    pub fn field(&self, name: &str) -> Option<Field> {
        const PROMPT: Field = field("prompt", "Prompt", "", false);
        match self.fields.iter().find(|f| f.name == name) {
            Some(found) => Some(*found),
            None if self.slug == "journal" && name == "prompt" => Some(PROMPT),
            None => None,
        }
    }

    /// What was written in `field`, checked as pages, API and CLI all
    /// check it: trimmed, within its length, and for support growth a real
    /// part of life and a person who can join the support map.
    pub fn check(&self, field: Field, raw: &str) -> Result<ExerciseText, InputError> {
        let text = ExerciseText::parse(field.name, raw, field.long)?;
        if self.exercise == Exercise::SupportGrowth {
            match field.name {
                "domain" => {
                    input::domain(field.name, text.as_str())?;
                }
                // Marking the step done adds this person to the map.
                "person" if !text.is_empty() => {
                    input::PersonName::parse(text.as_str()).map_err(|e| e.in_field("person"))?;
                }
                _ => {}
            }
        }
        Ok(text)
    }
}

/// What an entry says, field by field as the person wrote it (empty fields
/// left out, the part of life in words, the journal's prompt last): for the
/// exercise page and the person's own report alike.
pub fn written_lines(kind: &Kind, content: &serde_json::Value) -> Vec<(&'static str, String)> {
    let text = |key: &str| {
        content
            .get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    kind.fields
        .iter()
        .map(|f| {
            let value = text(f.name);
            let value = if f.name == "domain" {
                value
                    .parse::<tandem_core::network::Domain>()
                    .map_or(value, |d| d.label().to_owned())
            } else {
                value
            };
            (f.label, value)
        })
        .chain(std::iter::once(("Prompt", text("prompt"))))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The kind for an exercise, if it has a form.
pub fn kind_of(exercise: Exercise) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.exercise == exercise)
}

/// The needs statement as it could be said, from its four parts.
pub fn needs_preview(feeling: &str, situation: &str, need: &str, request: &str) -> String {
    let part = |text: &str, fallback: &str| {
        let text = text.trim().trim_end_matches('.');
        if text.is_empty() {
            fallback.to_owned()
        } else {
            text.to_owned()
        }
    };
    format!(
        "I feel {} when {}. I need {}. Would you {}?",
        part(feeling, "…"),
        part(situation, "…"),
        part(need, "…"),
        part(request, "…").trim_end_matches('?')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::readability::flesch_kincaid_grade;

    #[test]
    fn the_preview_reads_as_one_statement() {
        assert_eq!(
            needs_preview(
                "lonely",
                "we do not talk in the evening",
                "some time together",
                "sit with me after dinner?"
            ),
            "I feel lonely when we do not talk in the evening. I need some time together. Would you sit with me after dinner?"
        );
        assert_eq!(
            needs_preview("", "", "", ""),
            "I feel … when …. I need …. Would you …?"
        );
    }

    #[test]
    fn every_form_text_reads_easily() {
        for kind in KINDS {
            for text in [kind.title, kind.intro]
                .into_iter()
                .chain(kind.fields.iter().flat_map(|f| [f.label, f.hint]))
            {
                // A grade formula means little for a two-word label; it is
                // applied to every phrase of four words or more.
                if text.split_whitespace().count() >= 4 {
                    assert!(flesch_kincaid_grade(text) <= 8.0, "{text}");
                }
            }
        }
    }
}
