//! "How I think my partner answered" on a link: each side says whether it
//! takes part and whether the other may see its guesses. Both must take
//! part before anything of it is read; what crosses to the other side is
//! only a [`PartnerGuessing`]: the viewer's own accuracy, never the other's
//! answers, and the other's guesses only when they show them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tandem_core::couple::{Reading, reading};

use crate::{LinkLevel, PartnerGrant, StoreError, UserId};

/// One side's consent to the guessing part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Guessing {
    /// Not taking part (the default): nothing of it is read either way.
    #[default]
    Off,
    /// Taking part; my guesses stay mine, only my accuracy is shown to me.
    Private,
    /// Taking part, and my partner may see my guesses beside their answers.
    Shown,
}

impl Guessing {
    /// Every choice, in the order offered.
    pub const ALL: [Self; 3] = [Self::Off, Self::Private, Self::Shown];

    /// The word kept in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Private => "private",
            Self::Shown => "shown",
        }
    }

    /// The choice a word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == word)
    }

    /// The choice a stored word names; any other word is stored data that
    /// no longer reads.
    pub fn stored(word: &str) -> Result<Self, StoreError> {
        Self::parse(word).ok_or_else(|| StoreError::corrupt(format!("guessing {word:?}")))
    }

    /// Whether this side takes part.
    pub fn takes_part(self) -> bool {
        self != Self::Off
    }
}

/// What the guessing part of a link shows the viewer: how well they read
/// the other, and how the other guessed them when the other shows it.
/// There is no field for the other's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerGuessing {
    /// Whether both sides take part; when not, the rest is empty.
    pub both_take_part: bool,
    /// The viewer's guesses against the other's latest finished answers.
    pub mine: Option<Reading>,
    /// The other's guesses of the viewer's answers (item id → point), when
    /// they show them.
    pub theirs: Option<BTreeMap<String, i64>>,
}

/// What an engine read for [`PartnerGuessing`], in one transaction with
/// the link check: each side's consent first, then only what they allow.
/// Its fields are private: the other's answers in it leave only as the
/// viewer's accuracy, through [`GuessingRead::view`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuessingRead {
    own: Guessing,
    other: Guessing,
    guesses: BTreeMap<String, i64>,
    answers: BTreeMap<String, i64>,
    their_guesses: Option<BTreeMap<String, i64>>,
}

/// The other side of a link as an engine reads it for the guessing part:
/// its owner, its sharing level, and both consents, as stored words.
#[derive(Debug, Clone, Copy)]
pub struct SideWords<'a> {
    /// The other person.
    pub owner: UserId,
    /// Their sharing level.
    pub sharing: &'a str,
    /// The reader's consent.
    pub own: &'a str,
    /// The other's consent.
    pub other: &'a str,
}

/// Both consents (the reader's, then the other's) when `side` is still the
/// grant's other side and shares something; `NotFound`, as a partner read
/// of an ended link, otherwise.
pub fn consents(
    side: Option<SideWords<'_>>,
    grant: &PartnerGrant,
) -> Result<(Guessing, Guessing), StoreError> {
    match side {
        Some(side)
            if side.owner == grant.owner()
                && LinkLevel::stored(side.sharing)? > LinkLevel::None =>
        {
            Ok((Guessing::stored(side.own)?, Guessing::stored(side.other)?))
        }
        _ => Err(StoreError::NotFound {
            what: "link",
            id: grant.link().0,
        }),
    }
}

/// Of the other's answers (item id, point), those to items `guesses` names.
pub fn answers_guessed(
    answers: impl IntoIterator<Item = (String, i64)>,
    guesses: &BTreeMap<String, i64>,
) -> BTreeMap<String, i64> {
    answers
        .into_iter()
        .filter(|(item, _)| guesses.contains_key(item))
        .collect()
}

impl GuessingRead {
    /// What an engine read: the viewer's consent and the other's, the
    /// viewer's guesses, the other's latest finished answers to the guessed
    /// items, and the other's guesses when they show them. An engine reads
    /// the last three only when [`GuessingRead::allowed`].
    pub fn new(
        (own, other): (Guessing, Guessing),
        guesses: BTreeMap<String, i64>,
        answers: BTreeMap<String, i64>,
        their_guesses: Option<BTreeMap<String, i64>>,
    ) -> Self {
        Self {
            own,
            other,
            guesses,
            answers,
            their_guesses,
        }
    }

    /// Whether the reads after the consents are allowed.
    pub fn allowed(own: Guessing, other: Guessing) -> bool {
        own.takes_part() && other.takes_part()
    }

    /// What the viewer may see, on a scale `span` points wide.
    pub fn view(self, span: i64) -> PartnerGuessing {
        if !Self::allowed(self.own, self.other) {
            return PartnerGuessing::default();
        }
        PartnerGuessing {
            both_take_part: true,
            mine: reading(&self.guesses, &self.answers, span),
            theirs: self.their_guesses.filter(|_| self.other == Guessing::Shown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_shown_unless_both_take_part_and_guesses_only_when_shown() {
        let of = |v: i64| BTreeMap::from([("ER1".to_owned(), v)]);
        let read = |own, other| GuessingRead::new((own, other), of(4), of(2), Some(of(5)));
        // (own, other, both, accuracy, their guesses shown)
        let cases = [
            (Guessing::Off, Guessing::Shown, false, None, false),
            (Guessing::Shown, Guessing::Off, false, None, false),
            (Guessing::Private, Guessing::Private, true, Some(0.5), false),
            (Guessing::Off, Guessing::Off, false, None, false),
            (Guessing::Private, Guessing::Shown, true, Some(0.5), true),
            (Guessing::Shown, Guessing::Private, true, Some(0.5), false),
        ];
        for (own, other, both, accuracy, shown) in cases {
            let view = read(own, other).view(4);
            assert_eq!(view.both_take_part, both, "{own:?} {other:?}");
            assert_eq!(view.mine.map(|r| r.accuracy), accuracy, "{own:?} {other:?}");
            assert_eq!(view.theirs.is_some(), shown, "{own:?} {other:?}");
        }
    }

    #[test]
    fn words_read_back() {
        for guessing in Guessing::ALL {
            assert_eq!(Guessing::stored(guessing.as_str()).unwrap(), guessing);
        }
        assert!(Guessing::stored("on").is_err());
    }
}
