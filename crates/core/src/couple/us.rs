//! "How I see us": a short, optional part about the relationship as a
//! whole, answered by each partner on their own about their own
//! relationship. Its items are worded here for Tandem; none is taken from
//! a published scale. None can signal control, so what it shows a partner
//! never tells of risk.

use std::collections::BTreeMap;

use serde::Serialize;

/// One item of the part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsItem {
    /// Its stable id.
    pub id: &'static str,
    /// Its wording.
    pub text: &'static str,
    /// Whether agreeing means the two work less well together.
    pub reverse: bool,
}

/// The items, in the order asked.
pub const US_ITEMS: [UsItem; 6] = [
    UsItem {
        id: "US1",
        text: "We make the big choices together.",
        reverse: false,
    },
    UsItem {
        id: "US2",
        text: "We both give, and we both take.",
        reverse: false,
    },
    UsItem {
        id: "US3",
        text: "We can talk about hard things and still feel close.",
        reverse: false,
    },
    UsItem {
        id: "US4",
        text: "It often feels like one of us does most of the work to stay close.",
        reverse: true,
    },
    UsItem {
        id: "US5",
        text: "We each have room for our own friends and interests.",
        reverse: false,
    },
    UsItem {
        id: "US6",
        text: "When we disagree, we tend to go round in circles.",
        reverse: true,
    },
];

/// The lowest and highest point of the part's scale.
pub const US_SCALE: (i64, i64) = (1, 5);

/// Why a set of answers to the part cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsError {
    /// The item is not one of [`US_ITEMS`].
    #[error("item {0} is not one of the questions about the two of you")]
    NotAsked(String),
    /// The value is not a point of the scale.
    #[error("item {item}: {value} is not between 1 and 5")]
    OffScale {
        /// The item.
        item: String,
        /// The value given.
        value: i64,
    },
    /// An item was left out: the part is kept whole.
    #[error("item {0}: please answer every question")]
    Missing(&'static str),
}

impl UsError {
    /// The item the error is about.
    pub fn item(&self) -> &str {
        match self {
            Self::NotAsked(item) | Self::OffScale { item, .. } => item,
            Self::Missing(item) => item,
        }
    }
}

/// Checks that `answers` (item id → point) answer every item, and only
/// those, on the scale.
pub fn check_us(answers: &BTreeMap<String, i64>) -> Result<(), UsError> {
    for (item, &value) in answers {
        if !US_ITEMS.iter().any(|asked| asked.id == item) {
            return Err(UsError::NotAsked(item.clone()));
        }
        if !(US_SCALE.0..=US_SCALE.1).contains(&value) {
            return Err(UsError::OffScale {
                item: item.clone(),
                value,
            });
        }
    }
    match US_ITEMS
        .iter()
        .find(|asked| !answers.contains_key(asked.id))
    {
        Some(missing) => Err(UsError::Missing(missing.id)),
        None => Ok(()),
    }
}

/// The part's score, from 1 to 5, higher when the two work well together:
/// the mean of the answers, reverse-keyed items turned around. `None`
/// unless every item is answered.
pub fn us_score(answers: &BTreeMap<String, i64>) -> Option<f64> {
    let (low, high) = US_SCALE;
    let keyed: Option<Vec<i64>> = US_ITEMS
        .iter()
        .map(|item| {
            let value = *answers.get(item.id)?;
            Some(if item.reverse {
                low + high - value
            } else {
                value
            })
        })
        .collect();
    let keyed = keyed?;
    Some(keyed.iter().sum::<i64>() as f64 / keyed.len() as f64)
}
