//! The guide to warning signs of controlling or harmful behaviour, shown
//! beside the safety check and the plan. Data in `content/signs.toml`.

use serde::{Deserialize, Serialize};

/// The whole guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignsGuide {
    /// The heading and the words around the signs.
    pub guide: GuideText,
    /// The signs, in order.
    pub signs: Vec<Sign>,
}

/// The words around the signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideText {
    /// A short heading.
    pub heading: String,
    /// What the signs are, calmly.
    pub intro: String,
    /// Where to turn.
    pub closing: String,
}

/// One warning sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sign {
    /// A few words.
    pub title: String,
    /// What it looks like.
    pub text: String,
}

/// Why the guide could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SignsError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// The guide shipped in the binary.
pub fn builtin_signs() -> Result<SignsGuide, SignsError> {
    let file = "content/signs.toml";
    let guide: SignsGuide =
        toml::from_str(include_str!("../../../content/signs.toml")).map_err(|err| SignsError {
            file: file.to_owned(),
            message: err.to_string(),
        })?;
    if guide.signs.is_empty() {
        return Err(SignsError {
            file: file.to_owned(),
            message: "the guide needs at least one sign".into(),
        });
    }
    Ok(guide)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readability::flesch_kincaid_grade;

    #[test]
    fn the_guide_loads_and_reads_easily() {
        let guide = builtin_signs().unwrap();
        assert!(guide.signs.len() >= 6);
        let texts = [&guide.guide.intro, &guide.guide.closing]
            .into_iter()
            .chain(guide.signs.iter().map(|s| &s.text));
        for text in texts {
            let grade = flesch_kincaid_grade(text);
            assert!(grade <= 8.0, "grade {grade:.1}: {text}");
        }
    }
}
