//! "How I see us" as a partner reads it: the other side's answers about
//! their own relationship, as their sharing level shows them. What an
//! engine hands out is only a [`PartnerUs`]: the score from the `indices`
//! level up, the answers at `items`, and no time.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::couple::us_score;

use crate::LinkLevel;

/// The other side's "how I see us" at the level they share.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerUs {
    /// The level it was read at.
    pub level: LinkLevel,
    /// The score, from 1 to 5.
    pub score: f64,
    /// Each answer, at the `items` level.
    pub items: Option<BTreeMap<String, i64>>,
}

/// What `level` shows of `answers`: nothing at [`LinkLevel::None`] or when
/// the part is not answered whole.
pub fn shown_us(level: LinkLevel, answers: BTreeMap<String, i64>) -> Option<PartnerUs> {
    if level == LinkLevel::None {
        return None;
    }
    let score = us_score(&answers)?;
    Some(PartnerUs {
        level,
        score,
        items: (level >= LinkLevel::Items).then_some(answers),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_shows_what_it_includes_and_no_more() {
        let whole: BTreeMap<String, i64> = tandem_core::couple::US_ITEMS
            .iter()
            .map(|item| (item.id.to_owned(), 4))
            .collect();
        // Four items at 4, two reverse-keyed at 4 (so 2): 20 / 6.
        let cases = [
            (LinkLevel::None, None),
            (LinkLevel::Indices, Some(false)),
            (LinkLevel::Facets, Some(false)),
            (LinkLevel::Items, Some(true)),
        ];
        for (level, items) in cases {
            let shown = shown_us(level, whole.clone());
            assert_eq!(
                shown.as_ref().map(|s| s.items.is_some()),
                items,
                "{level:?}"
            );
            if let Some(shown) = shown {
                assert!((shown.score - 20.0 / 6.0).abs() < 1e-12);
            }
        }
        let mut part = whole;
        part.remove("US3");
        assert_eq!(shown_us(LinkLevel::Items, part), None);
    }
}
