//! Identifier newtypes, so an item id can never be passed where a facet id is meant.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string was refused as an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid id: use 1 to 64 letters, digits, `_` or `-`")]
pub struct InvalidId {
    /// The refused text.
    pub value: String,
}

fn check(value: &str) -> Result<(), InvalidId> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(InvalidId {
            value: value.to_owned(),
        })
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(String);

        impl $name {
            /// Parses an id, refusing empty, overlong or oddly spelled ones.
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidId> {
                let value = value.into();
                check(&value)?;
                Ok(Self(value))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, InvalidId> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// Names an instrument, such as `rdp`.
    InstrumentId
);
string_id!(
    /// Names one item of an instrument, such as `ER1`.
    ItemId
);
string_id!(
    /// Names a facet (subscale), such as `ER`.
    FacetId
);
string_id!(
    /// Names a composite index, such as `over_dependence`.
    IndexId
);
string_id!(
    /// Names a band, such as `elevated`.
    BandId
);
string_id!(
    /// Names a guidance strategy that a band links to.
    GuidanceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_ids_and_refuses_odd_ones() {
        assert_eq!(ItemId::new("ER1").unwrap().as_str(), "ER1");
        assert!(ItemId::new("").is_err());
        assert!(ItemId::new("a b").is_err());
        assert!(ItemId::new("x".repeat(65)).is_err());
        assert!(serde_json::from_str::<FacetId>("\"no way\"").is_err());
    }
}
