//! Safety resources: where to find help, shown at once on a positive safety
//! answer. The neutral default ships in the binary; a deployment may bring a
//! file for its country.

use serde::{Deserialize, Serialize};

/// Help to show, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resources {
    /// Which country the file is for (`default` for the neutral one).
    pub country: String,
    /// A short heading.
    pub heading: String,
    /// One or two calm sentences.
    pub intro: String,
    /// What to do, one step each.
    pub steps: Vec<Step>,
    /// For urgent answers, what comes before everything else: the
    /// emergency step. Falls back to the neutral default.
    #[serde(default)]
    pub emergency: Option<Step>,
    /// For thoughts of self-harm: where a crisis line is found. Falls back
    /// to the neutral default.
    #[serde(default)]
    pub crisis: Vec<Step>,
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// What to do, in plain words.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    resources: Resources,
}

/// A resources file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ResourcesError {
    /// The file as named by the caller.
    pub file: String,
    /// What is wrong, with the line when known.
    pub message: String,
}

fn parse(file: &str, source: &str) -> Result<Resources, ResourcesError> {
    let parsed: File = toml::from_str(source).map_err(|err| ResourcesError {
        file: file.to_owned(),
        message: err.to_string(),
    })?;
    if parsed.resources.steps.is_empty() {
        return Err(ResourcesError {
            file: file.to_owned(),
            message: "a resources file needs at least one step".into(),
        });
    }
    Ok(parsed.resources)
}

/// Parses a resources file. A file without its own emergency step or
/// crisis lines takes the neutral default's, so nobody who needs them is
/// left without.
pub fn load_resources(file: &str, source: &str) -> Result<Resources, ResourcesError> {
    let mut resources = parse(file, source)?;
    if resources.emergency.is_none() || resources.crisis.is_empty() {
        let default = default_resources()?;
        resources.emergency = resources.emergency.or(default.emergency);
        if resources.crisis.is_empty() {
            resources.crisis = default.crisis;
        }
    }
    Ok(resources)
}

/// The neutral default shipped in the binary.
pub fn default_resources() -> Result<Resources, ResourcesError> {
    parse(
        "content/resources.toml",
        include_str!("../../../content/resources.toml"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readability::flesch_kincaid_grade;

    #[test]
    fn the_default_loads_and_reads_easily() {
        let resources = default_resources().unwrap();
        assert!(resources.steps.len() >= 3);
        assert!(resources.emergency.is_some());
        assert!(!resources.crisis.is_empty());
        let texts = std::iter::once(&resources.intro)
            .chain(resources.steps.iter().map(|s| &s.text))
            .chain(resources.emergency.iter().map(|s| &s.text))
            .chain(resources.crisis.iter().map(|s| &s.text));
        for text in texts {
            assert!(flesch_kincaid_grade(text) <= 8.0, "{text}");
        }
    }

    #[test]
    fn a_deployment_file_without_crisis_lines_takes_the_default_ones() {
        let own = load_resources(
            "x.toml",
            "[resources]\ncountry='x'\nheading='h'\nintro='i'\n[[resources.steps]]\ntext='Call 1234.'\n",
        )
        .unwrap();
        let default = default_resources().unwrap();
        assert_eq!(own.steps[0].text, "Call 1234.");
        assert_eq!(own.crisis, default.crisis);
        assert_eq!(own.emergency, default.emergency);
    }

    #[test]
    fn a_file_without_steps_is_refused() {
        let err = load_resources(
            "x.toml",
            "[resources]\ncountry='x'\nheading='h'\nintro='i'\nsteps=[]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("at least one step"));
    }
}
