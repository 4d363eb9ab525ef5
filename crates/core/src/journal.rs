//! Journal prompts as data, chosen for the facets that stand out and rotated
//! by day, so the person meets a fresh question each time.

use serde::{Deserialize, Serialize};

use crate::ids::FacetId;

/// One prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    /// The facet it helps with; none for general prompts.
    pub facet: Option<FacetId>,
    /// The question.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    prompts: Vec<Prompt>,
}

/// A prompts file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PromptsError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// The prompts shipped in the binary.
pub fn builtin_prompts() -> Result<Vec<Prompt>, PromptsError> {
    let file: File =
        toml::from_str(include_str!("../../../content/journal.toml")).map_err(|err| {
            PromptsError {
                file: "content/journal.toml".into(),
                message: err.to_string(),
            }
        })?;
    Ok(file.prompts)
}

/// Today's prompt: among the prompts for `focus` facets (or all prompts when
/// none fit), the one at `day` modulo their number.
pub fn prompt_for<'a>(prompts: &'a [Prompt], focus: &[FacetId], day: u64) -> Option<&'a Prompt> {
    let fitting: Vec<&Prompt> = prompts
        .iter()
        .filter(|p| p.facet.as_ref().is_some_and(|f| focus.contains(f)))
        .collect();
    let pool: Vec<&Prompt> = if fitting.is_empty() {
        prompts.iter().collect()
    } else {
        fitting
    };
    let len = u64::try_from(pool.len()).ok().filter(|n| *n > 0)?;
    pool.get(usize::try_from(day % len).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readability::flesch_kincaid_grade;

    #[test]
    fn prompts_load_read_easily_and_name_real_facets() {
        let prompts = builtin_prompts().unwrap();
        let rdp = crate::instrument::builtin::builtin_by_id("rdp")
            .unwrap()
            .unwrap();
        for prompt in &prompts {
            assert!(flesch_kincaid_grade(&prompt.text) <= 8.0, "{}", prompt.text);
            if let Some(facet) = &prompt.facet {
                assert!(rdp.facet(facet.as_str()).is_some(), "{facet}");
            }
        }
    }

    #[test]
    fn prompts_follow_the_focus_and_rotate() {
        let prompts = builtin_prompts().unwrap();
        let ct = [FacetId::new("CT").unwrap()];
        let a = prompt_for(&prompts, &ct, 0).unwrap();
        let b = prompt_for(&prompts, &ct, 1).unwrap();
        assert_eq!(a.facet.as_ref().unwrap().as_str(), "CT");
        assert_eq!(b.facet.as_ref().unwrap().as_str(), "CT");
        assert_ne!(a.text, b.text);
        assert_eq!(prompt_for(&prompts, &ct, 2), Some(a));
        assert!(prompt_for(&prompts, &[], 5).is_some());
    }
}
