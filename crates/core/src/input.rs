//! One type per kind of free input, each made only by its `parse`, so that a
//! form, the JSON API and the CLI accept and refuse exactly the same text.
//!
//! Deserialising goes through the same constructor (`try_from = "String"`),
//! so a request body cannot slip past the rules.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::network::Domain;

/// Most characters in a person's name on the support map, or in "about".
pub const MAX_NAME_CHARS: usize = 80;
/// Most characters in a one-line exercise field.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;
/// Most characters in a multi-line exercise field.
pub const MAX_LONG_TEXT_CHARS: usize = 2000;

/// Why a text was refused, naming the field it was typed in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing was written.
    #[error("`{field}` is empty. Please write 1 to {max} characters.")]
    Empty {
        /// The field.
        field: &'static str,
        /// Its limit, to say what fits.
        max: usize,
    },
    /// More than the field holds.
    #[error("`{field}` is too long. Please keep it to {max} characters or fewer.")]
    TooLong {
        /// The field.
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// Only characters nobody can see, such as U+FEFF or U+200B.
    #[error("`{field}` has only hidden characters. Please write something people can see.")]
    Invisible {
        /// The field.
        field: &'static str,
    },
    /// A control that turns the text's direction, which can make words read
    /// as something else.
    #[error(
        "`{field}` has a hidden character (U+{code:04X}) that changes which way the text runs. Please take it out."
    )]
    Bidi {
        /// The field.
        field: &'static str,
        /// The character's code point.
        code: u32,
    },
    /// Not one of the allowed words.
    #[error("`{field}` cannot be `{value}`. Please use one of: {allowed}.")]
    Unknown {
        /// The field.
        field: &'static str,
        /// What was sent (cut short if long).
        value: String,
        /// The allowed words, comma-separated.
        allowed: &'static str,
    },
}

impl InputError {
    /// The same refusal for a text typed in `field`, for a form that asks
    /// for, say, a name under another heading.
    pub fn in_field(self, field: &'static str) -> Self {
        match self {
            InputError::Empty { max, .. } => InputError::Empty { field, max },
            InputError::TooLong { max, .. } => InputError::TooLong { field, max },
            InputError::Invisible { .. } => InputError::Invisible { field },
            InputError::Bidi { code, .. } => InputError::Bidi { field, code },
            InputError::Unknown { value, allowed, .. } => InputError::Unknown {
                field,
                value,
                allowed,
            },
        }
    }

    /// The field the text was typed in.
    pub fn field(&self) -> &'static str {
        match self {
            InputError::Empty { field, .. }
            | InputError::TooLong { field, .. }
            | InputError::Invisible { field }
            | InputError::Bidi { field, .. }
            | InputError::Unknown { field, .. } => field,
        }
    }
}

/// Controls that change the direction of text (Unicode Bidi_Control).
fn is_bidi_control(c: char) -> bool {
    is_direction_mark(c) || is_bidi_override(c)
}

/// The three marks (LRM, RLM, ALM) that people writing Arabic or Hebrew
/// use in ordinary text: they nudge neutral characters, they do not turn
/// text around.
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}')
}

/// Embeddings, overrides and isolates: they can make text show in an order
/// other than the one it is stored in.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: white space, controls, and the format,
/// filler and selector characters that fonts draw as blank.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
        || is_bidi_control(c)
}

/// The shared rules: trimmed, no direction controls (but the plain marks
/// where `marks_allowed`: free text a person writes for themselves),
/// something visible (unless `may_be_empty`), at most `max` characters.
fn checked(
    field: &'static str,
    raw: &str,
    max: usize,
    may_be_empty: bool,
    marks_allowed: bool,
) -> Result<String, InputError> {
    let text = raw.trim();
    let refused = |c: char| {
        if marks_allowed {
            is_bidi_override(c)
        } else {
            is_bidi_control(c)
        }
    };
    if let Some(c) = text.chars().find(|c| refused(*c)) {
        return Err(InputError::Bidi {
            field,
            code: u32::from(c),
        });
    }
    if text.is_empty() {
        return if may_be_empty {
            Ok(String::new())
        } else {
            Err(InputError::Empty { field, max })
        };
    }
    if text.chars().all(is_invisible) {
        return Err(InputError::Invisible { field });
    }
    if text.chars().count() > max {
        return Err(InputError::TooLong { field, max });
    }
    Ok(text.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The field this text is refused under.
            pub const FIELD: &'static str = $field;

            /// Trims and checks what was typed.
            pub fn parse(raw: &str) -> Result<Self, InputError> {
                checked(Self::FIELD, raw, $max, false, false).map(Self)
            }

            /// The text, trimmed.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InputError;
            fn try_from(raw: String) -> Result<Self, InputError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A person's name or nickname on the support map: 1 to 80 characters.
    PersonName,
    "name",
    MAX_NAME_CHARS
);

text_type!(
    /// Whom an administration is about, such as "my partner" or "Sam": 1 to
    /// 80 characters.
    About,
    "about",
    MAX_NAME_CHARS
);

impl About {
    /// The default when nobody says: "my partner".
    pub fn my_partner() -> Self {
        About("my partner".to_owned())
    }
}

impl Default for About {
    fn default() -> Self {
        Self::my_partner()
    }
}

/// A counsellor's note about a client: 1 to 2,000 characters, lines
/// kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct NoteText(String);

impl NoteText {
    /// The field this text is refused under.
    pub const FIELD: &'static str = "text";

    /// Trims and checks what was typed.
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        checked(Self::FIELD, raw, MAX_LONG_TEXT_CHARS, false, true).map(Self)
    }

    /// The text, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<NoteText> for String {
    fn from(text: NoteText) -> String {
        text.0
    }
}

impl<'de> Deserialize<'de> for NoteText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// What a person wrote in one exercise field: trimmed, possibly empty, at
/// most 500 characters on a line or 2,000 in a text area. The field name
/// comes from the form, so it is given to `parse`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct ExerciseText(String);

impl ExerciseText {
    /// Trims and checks the text of `field`; `long` for a text area.
    pub fn parse(field: &'static str, raw: &str, long: bool) -> Result<Self, InputError> {
        let max = if long {
            MAX_LONG_TEXT_CHARS
        } else {
            MAX_SHORT_TEXT_CHARS
        };
        checked(field, raw, max, true, true).map(Self)
    }

    /// The text, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<ExerciseText> for String {
    fn from(text: ExerciseText) -> String {
        text.0
    }
}

/// The support-map domains, for messages.
const DOMAINS: &str = "emotional, validation, decisions, money, practical, company";

/// A life domain typed in `field`, such as the support-growth exercise's
/// "part of life": one of the support map's own ids.
pub fn domain(field: &'static str, raw: &str) -> Result<Domain, InputError> {
    raw.trim()
        .parse::<Domain>()
        .map_err(|_| InputError::Unknown {
            field,
            value: raw.chars().take(40).collect(),
            allowed: DOMAINS,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readability::flesch_kincaid_grade;

    /// One row: what was typed, and the stored text or the refusal.
    fn check<T: PartialEq + fmt::Debug>(
        parse: impl Fn(&str) -> Result<T, InputError>,
        shown: impl Fn(&T) -> String,
        rows: &[(&str, Result<&str, InputError>)],
    ) {
        for (raw, expected) in rows {
            let got = parse(raw).map(|t| shown(&t));
            let expected = expected.clone().map(str::to_owned);
            assert_eq!(got, expected, "input {raw:?}");
        }
    }

    #[test]
    fn names_are_trimmed_bounded_visible_and_run_one_way() {
        let long = "a".repeat(81);
        let just = "é".repeat(80);
        check(
            PersonName::parse,
            |n| n.as_str().to_owned(),
            &[
                ("Sam", Ok("Sam")),
                ("  Aunt Jo  ", Ok("Aunt Jo")),
                ("مريم", Ok("مريم")),
                (&just, Ok(&just)),
                (
                    "",
                    Err(InputError::Empty {
                        field: "name",
                        max: 80,
                    }),
                ),
                (
                    " \t ",
                    Err(InputError::Empty {
                        field: "name",
                        max: 80,
                    }),
                ),
                (
                    &long,
                    Err(InputError::TooLong {
                        field: "name",
                        max: 80,
                    }),
                ),
                ("\u{FEFF}", Err(InputError::Invisible { field: "name" })),
                (
                    "\u{200B}\u{FEFF}\u{2060}",
                    Err(InputError::Invisible { field: "name" }),
                ),
                ("\u{3164}", Err(InputError::Invisible { field: "name" })),
                (
                    "Sam\u{202E}kcab",
                    Err(InputError::Bidi {
                        field: "name",
                        code: 0x202E,
                    }),
                ),
                (
                    "\u{2067}Sam",
                    Err(InputError::Bidi {
                        field: "name",
                        code: 0x2067,
                    }),
                ),
                (
                    "Sam\u{200F}",
                    Err(InputError::Bidi {
                        field: "name",
                        code: 0x200F,
                    }),
                ),
                (
                    "a\u{061C}b",
                    Err(InputError::Bidi {
                        field: "name",
                        code: 0x061C,
                    }),
                ),
            ],
        );
    }

    #[test]
    fn about_follows_the_same_rules_under_its_own_field() {
        let huge = "x".repeat(60_000);
        check(
            About::parse,
            |a| a.as_str().to_owned(),
            &[
                ("my mother", Ok("my mother")),
                (
                    "",
                    Err(InputError::Empty {
                        field: "about",
                        max: 80,
                    }),
                ),
                (
                    &huge,
                    Err(InputError::TooLong {
                        field: "about",
                        max: 80,
                    }),
                ),
                ("\u{FEFF}", Err(InputError::Invisible { field: "about" })),
                (
                    "my \u{202D}partner",
                    Err(InputError::Bidi {
                        field: "about",
                        code: 0x202D,
                    }),
                ),
            ],
        );
        assert_eq!(About::default().as_str(), "my partner");
    }

    #[test]
    fn exercise_text_may_be_empty_but_not_hidden_or_too_long() {
        let line = "b".repeat(501);
        let area = "c".repeat(2000);
        check(
            |raw| ExerciseText::parse("step", raw, false),
            |t| t.as_str().to_owned(),
            &[
                ("", Ok("")),
                ("  call Ana  ", Ok("call Ana")),
                (
                    &line,
                    Err(InputError::TooLong {
                        field: "step",
                        max: 500,
                    }),
                ),
                ("\u{200B}", Err(InputError::Invisible { field: "step" })),
                (
                    "call \u{202E}Ana",
                    Err(InputError::Bidi {
                        field: "step",
                        code: 0x202E,
                    }),
                ),
                (
                    "call \u{2067}Ana",
                    Err(InputError::Bidi {
                        field: "step",
                        code: 0x2067,
                    }),
                ),
                // Hebrew with a right-to-left mark, as people write it.
                (
                    "\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200F} Ana",
                    Ok("\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200F} Ana"),
                ),
                // The marks alone show nothing.
                (
                    "\u{200E}\u{200F}",
                    Err(InputError::Invisible { field: "step" }),
                ),
            ],
        );
        check(
            |raw| ExerciseText::parse("text", raw, true),
            |t| t.as_str().to_owned(),
            &[(&area, Ok(&area))],
        );
    }

    #[test]
    fn domains_are_the_support_maps_own() {
        check(
            |raw| domain("domain", raw),
            |d| d.as_str().to_owned(),
            &[
                ("money", Ok("money")),
                (" company ", Ok("company")),
                (
                    "nope",
                    Err(InputError::Unknown {
                        field: "domain",
                        value: "nope".into(),
                        allowed: DOMAINS,
                    }),
                ),
                (
                    "Money",
                    Err(InputError::Unknown {
                        field: "domain",
                        value: "Money".into(),
                        allowed: DOMAINS,
                    }),
                ),
            ],
        );
    }

    #[test]
    fn serde_goes_through_parse() {
        let ok: PersonName = serde_json::from_str("\"  Kim \"").unwrap();
        assert_eq!(ok.as_str(), "Kim");
        let err = serde_json::from_str::<About>("\"\u{FEFF}\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`about` has only hidden characters"), "{err}");
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"Kim\"");
    }

    #[test]
    fn every_message_names_its_field_and_reads_easily() {
        let errors = [
            InputError::Empty {
                field: "name",
                max: 80,
            },
            InputError::TooLong {
                field: "name",
                max: 80,
            },
            InputError::Invisible { field: "name" },
            InputError::Bidi {
                field: "name",
                code: 0x202E,
            },
            InputError::Unknown {
                field: "domain",
                value: "nope".into(),
                allowed: DOMAINS,
            },
        ];
        for error in errors {
            let text = error.to_string();
            assert!(text.starts_with(&format!("`{}`", error.field())), "{text}");
            // The list of allowed ids is not prose; the sentence before it is.
            let prose = text.split(": ").next().unwrap_or(&text);
            assert!(flesch_kincaid_grade(prose) <= 8.0, "{text}");
        }
    }
}
