//! A person's answers to one administration, and the parser for answer files.
//!
//! Answers are checked against the instrument the moment they are made, so a
//! stored answer is always on the scale and always names a real item.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::instrument::{AnswerCode, Instrument, ResponseKind};

/// One answer to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// A point on the scale, as given (before reverse keying).
    Value(i64),
    /// A choice without a value, such as "Prefer not to say"; scored as missing.
    Code(AnswerCode),
    /// Free text, for text items.
    Text(String),
}

impl Answer {
    /// Reads a JSON value as an answer to `item`: a number, a code such as
    /// `"prefer_not_to_say"` for a scale item, or text for a text item.
    /// Whether it fits the item is checked by [`check_answer`].
    pub fn from_json(
        instrument: &Instrument,
        item: &str,
        value: &serde_json::Value,
    ) -> Result<Option<Answer>, String> {
        let scale_item = instrument
            .item(item)
            .is_some_and(|found| found.response == ResponseKind::Scale);
        match value {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::Number(number) => number
                .as_i64()
                .map(|value| Some(Answer::Value(value)))
                .ok_or_else(|| format!("`{item}`: {number} is not a whole number")),
            serde_json::Value::String(text) if scale_item => match AnswerCode::parse(text) {
                Some(code) => Ok(Some(Answer::Code(code))),
                None => Err(format!(
                    "`{item}`: \"{text}\" is not an answer; give a whole number on the scale{}",
                    codes_hint(instrument)
                )),
            },
            serde_json::Value::String(text) => Ok(Some(Answer::Text(text.clone()))),
            other => Err(format!(
                "`{item}`: expected a whole number or text, found {other}"
            )),
        }
    }
}

/// ", or \"not_applicable\"" for the codes a scale offers.
fn codes_hint(instrument: &Instrument) -> String {
    instrument
        .scale
        .codes
        .iter()
        .map(|point| format!(", or \"{}\"", point.code.as_str()))
        .collect()
}

/// Why an answer does not fit its item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The instrument has no such item.
    #[error("`{item}` is not an item of {instrument}")]
    UnknownItem {
        /// The item id given.
        item: String,
        /// The instrument's id.
        instrument: String,
    },
    /// The value is not a point on the scale.
    #[error("`{item}`: {value} is off the scale (allowed: {min} to {max})")]
    OffScale {
        /// The item.
        item: String,
        /// The value given.
        value: i64,
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
    },
    /// A number was given for a text item or text for a scale item.
    #[error("`{item}` takes {expected}")]
    WrongType {
        /// The item.
        item: String,
        /// What the item takes, in words.
        expected: &'static str,
    },
    /// A code the item's scale does not offer.
    #[error("`{item}` does not offer \"{code}\"")]
    CodeNotOffered {
        /// The item.
        item: String,
        /// The code given.
        code: &'static str,
    },
    /// Free text longer than we keep.
    #[error("`{item}`: the text is {len} characters; at most {max} are kept")]
    TooLong {
        /// The item.
        item: String,
        /// Characters given.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// Longest free-text answer kept, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Checks one answer against its item; the only way into an [`Answers`] set.
pub fn check_answer(
    instrument: &Instrument,
    item: &str,
    answer: &Answer,
) -> Result<ItemId, AnswerError> {
    let Some(found) = instrument.item(item) else {
        return Err(AnswerError::UnknownItem {
            item: item.to_owned(),
            instrument: instrument.id.to_string(),
        });
    };
    match (found.response, answer) {
        (ResponseKind::Scale, Answer::Value(value)) if !instrument.scale.contains(*value) => {
            Err(AnswerError::OffScale {
                item: item.to_owned(),
                value: *value,
                min: instrument.scale.min,
                max: instrument.scale.max,
            })
        }
        (ResponseKind::Scale, Answer::Value(_)) => Ok(found.id.clone()),
        (ResponseKind::Scale, Answer::Code(code)) if instrument.scale.allows(*code) => {
            Ok(found.id.clone())
        }
        (ResponseKind::Scale, Answer::Code(code)) => Err(AnswerError::CodeNotOffered {
            item: item.to_owned(),
            code: code.as_str(),
        }),
        (ResponseKind::Text, Answer::Code(_)) => Err(AnswerError::WrongType {
            item: item.to_owned(),
            expected: "text (a JSON string)",
        }),
        (ResponseKind::Text, Answer::Text(text)) if text.chars().count() > MAX_TEXT_CHARS => {
            Err(AnswerError::TooLong {
                item: item.to_owned(),
                len: text.chars().count(),
                max: MAX_TEXT_CHARS,
            })
        }
        (ResponseKind::Text, Answer::Text(_)) => Ok(found.id.clone()),
        (ResponseKind::Scale, Answer::Text(_)) => Err(AnswerError::WrongType {
            item: item.to_owned(),
            expected: "a whole number on the scale",
        }),
        (ResponseKind::Text, Answer::Value(_)) => Err(AnswerError::WrongType {
            item: item.to_owned(),
            expected: "text (a JSON string)",
        }),
    }
}

/// Checked answers to one instrument; items not present are missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answers {
    values: BTreeMap<ItemId, Answer>,
}

impl Answers {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one answer after checking it against the instrument.
    pub fn set(
        &mut self,
        instrument: &Instrument,
        item: &str,
        answer: Answer,
    ) -> Result<(), AnswerError> {
        let id = check_answer(instrument, item, &answer)?;
        self.values.insert(id, answer);
        Ok(())
    }

    /// Forgets an answer, so the item counts as missing (a skip, or "back").
    pub fn clear(&mut self, item: &str) {
        self.values.remove(item);
    }

    /// The scale value given for an item, if any.
    pub fn value(&self, item: &str) -> Option<i64> {
        match self.values.get(item) {
            Some(Answer::Value(value)) => Some(*value),
            _ => None,
        }
    }

    /// The code given for an item, if any.
    pub fn code(&self, item: &str) -> Option<AnswerCode> {
        match self.values.get(item) {
            Some(Answer::Code(code)) => Some(*code),
            _ => None,
        }
    }

    /// The answer given for an item, if any.
    pub fn get(&self, item: &str) -> Option<&Answer> {
        self.values.get(item)
    }

    /// Every answer, by item id.
    pub fn iter(&self) -> impl Iterator<Item = (&ItemId, &Answer)> {
        self.values.iter()
    }

    /// How many items were answered.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether nothing was answered.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// An answers file that was refused, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct AnswersFileError {
    /// The file name as given.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The item concerned, when there is one.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Parses an answers file: a JSON object of item id → integer (or a code
/// such as `"not_applicable"` where the scale offers it, or a string for text
/// items, or null for a deliberate skip). Every key is checked; the first
/// problem is reported with its line, and nothing is returned on error, so a
/// caller cannot store half a file.
pub fn parse_answers_file(
    file: &str,
    text: &str,
    instrument: &Instrument,
) -> Result<Answers, AnswersFileError> {
    let fail = |line, item: Option<&str>, message: String| AnswersFileError {
        file: file.to_owned(),
        line,
        item: item.map(str::to_owned),
        message,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let entries = Entries::deserialize(&mut deserializer)
        .and_then(|entries| deserializer.end().map(|()| entries))
        .map_err(|err| {
            let line = (err.line() > 0).then_some(err.line());
            let message = if err.is_eof() {
                format!("the file ends too early (is it cut short?): {err}")
            } else {
                format!("not a valid answers file: {err}")
            };
            fail(line, None, message)
        })?;
    let mut answers = Answers::new();
    let mut seen = std::collections::HashSet::new();
    for (key, value) in entries.0 {
        let line = key_line(text, &key);
        if !seen.insert(key.clone()) {
            return Err(fail(line, Some(&key), format!("`{key}` is given twice")));
        }
        let answer = match Answer::from_json(instrument, &key, &value) {
            Ok(Some(answer)) => answer,
            Ok(None) => continue,
            Err(message) => return Err(fail(line, Some(&key), message)),
        };
        answers
            .set(instrument, &key, answer)
            .map_err(|err| fail(line, Some(&key), err.to_string()))?;
    }
    Ok(answers)
}

/// The object's entries in file order, duplicates kept so they can be refused.
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of item id to answer")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// The line where `"key":` first appears, to point at the problem.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let mut from = 0;
    while let Some(found) = text[from..].find(&quoted) {
        let at = from + found;
        let after = text[at + quoted.len()..].trim_start();
        if after.starts_with(':') {
            return Some(text[..at].matches('\n').count() + 1);
        }
        from = at + quoted.len();
    }
    None
}
