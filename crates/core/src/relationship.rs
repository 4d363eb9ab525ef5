//! Relationships as things: a person keeps several, each with its role and
//! the name they call the other by, and everything they answer is about one
//! of them. Results, trends and change are read per relationship.

use serde::{Deserialize, Serialize};

/// What the other person is to the one who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RelationshipRole)
)]
pub enum Role {
    /// A partner or spouse: the only role that can be linked.
    Partner,
    /// A parent.
    Parent,
    /// A child (of any age).
    Child,
    /// A brother or sister.
    Sibling,
    /// Other family.
    #[serde(alias = "family")]
    OtherFamily,
    /// A friend.
    Friend,
    /// Someone at work.
    Colleague,
    /// Anyone else.
    Other,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 8] = [
        Role::Partner,
        Role::Parent,
        Role::Child,
        Role::Sibling,
        Role::OtherFamily,
        Role::Friend,
        Role::Colleague,
        Role::Other,
    ];

    /// The word kept in the store and sent by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Parent => "parent",
            Role::Child => "child",
            Role::Sibling => "sibling",
            Role::OtherFamily => "other_family",
            Role::Friend => "friend",
            Role::Colleague => "colleague",
            Role::Other => "other",
        }
    }

    /// The role a word names; `family` is taken for `other_family`.
    pub fn parse(word: &str) -> Option<Role> {
        match word {
            "family" => Some(Role::OtherFamily),
            _ => Role::ALL.into_iter().find(|role| role.as_str() == word),
        }
    }

    /// In words, for a page.
    pub fn label(self) -> &'static str {
        match self {
            Role::Partner => "Partner",
            Role::Parent => "Parent",
            Role::Child => "Child",
            Role::Sibling => "Brother or sister",
            Role::OtherFamily => "Other family",
            Role::Friend => "Friend",
            Role::Colleague => "Someone at work",
            Role::Other => "Someone else",
        }
    }
}

/// A name as it is compared: trimmed, runs of white space made one space,
/// and in lower case, so "My  Partner " and "my partner" are one person.
pub fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The role to give a relationship first known only by what an answer was
/// "about": the default "my partner" is a partner; anything else is
/// `other` until the person says.
pub fn role_for_about(about: &str) -> Role {
    if normalise(about) == "my partner" {
        Role::Partner
    } else {
        Role::Other
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn names_that_differ_only_in_spaces_and_case_are_one() {
        let cases = [
            ("my partner", "my partner"),
            ("  My   Partner ", "my partner"),
            ("SAM", "sam"),
            ("Sam\tand\nAlex", "sam and alex"),
            ("Zoë", "zoë"),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalise(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn only_the_default_about_becomes_a_partner() {
        let cases = [
            ("my partner", Role::Partner),
            (" My Partner", Role::Partner),
            ("my partner Sam", Role::Other),
            ("Mum", Role::Other),
            ("partner", Role::Other),
        ];
        for (about, role) in cases {
            assert_eq!(role_for_about(about), role, "{about:?}");
        }
    }

    #[test]
    fn every_role_reads_back_from_its_word_and_family_is_other_family() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("family"), Some(Role::OtherFamily));
        assert_eq!(Role::parse("Partner"), None);
        assert_eq!(
            serde_json::from_str::<Role>("\"family\"").unwrap(),
            Role::OtherFamily
        );
    }
}
