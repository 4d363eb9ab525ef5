//! The scale answers lie on, as given by `--scale MIN..MAX`.

use std::fmt;
use std::str::FromStr;

/// The range answers must lie in, `min ≤ x ≤ max` with `min < max`; parsed from `MIN..MAX`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    min: f64,
    max: f64,
}

/// A scale's bounds are not finite numbers with `min < max`, or its text is not `MIN..MAX`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a scale is written MIN..MAX with finite numbers and MIN < MAX, not {0:?}")]
pub struct ScaleError(pub String);

impl Scale {
    /// A scale from its bounds.
    pub fn new(min: f64, max: f64) -> Result<Self, ScaleError> {
        if min.is_finite() && max.is_finite() && min < max {
            Ok(Scale { min, max })
        } else {
            Err(ScaleError(format!("{min}..{max}")))
        }
    }

    /// Lowest value.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Highest value.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Whether `v` lies on the scale.
    pub fn contains(&self, v: f64) -> bool {
        self.min <= v && v <= self.max
    }
}

impl FromStr for Scale {
    type Err = ScaleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ScaleError(s.to_owned());
        let (min, max) = s.split_once("..").ok_or_else(bad)?;
        let min = min.trim().parse().map_err(|_| bad())?;
        let max = max.trim().parse().map_err(|_| bad())?;
        Scale::new(min, max).map_err(|_| bad())
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.min, self.max)
    }
}
