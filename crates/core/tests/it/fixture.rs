//! A small instrument for tests, written so that every rule has something to bite on.

use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::{Instrument, load_instrument};

/// Two facets of three items (one reverse-keyed each), one index per facet and
/// one over both, declared reliability on facet A and on index `both`.
pub const SMALL: &str = r#"
[instrument]
id = "small"
version = "1"
name = "Small"
kind = "profile"

[scale]
points = [
  { value = 1, label = "one" },
  { value = 2, label = "two" },
  { value = 3, label = "three" },
  { value = 4, label = "four" },
  { value = 5, label = "five" },
]

[scoring]
method = "mean"
max_missing = 1

[[bands]]
id = "low"
label = "Low"
from = 1.0
to = 2.5

[[bands]]
id = "moderate"
label = "Moderate"
from = 2.5
to = 3.5

[[bands]]
id = "elevated"
label = "High"
from = 3.5
to = 5.0

[[facets]]
id = "A"
name = "Facet A"
cluster = "c"
high_means = "a"
reliability = 0.84
sd = 0.5
guidance = { elevated = ["boundaries"] }

[[facets]]
id = "B"
name = "Facet B"
cluster = "c"
high_means = "b"
norms = { mean = 3.0, sd = 1.0, n = 100, population = "test" }

[[indices]]
id = "both"
name = "Both"
facets = ["A", "B"]
reliability = 0.9
sd = 0.6

[[items]]
id = "A1"
facet = "A"
text = "first about {other}"

[[items]]
id = "A2"
facet = "A"
text = "second"
reverse = true

[[items]]
id = "A3"
facet = "A"
text = "third"

[[items]]
id = "B1"
facet = "B"
text = "fourth"

[[items]]
id = "B2"
facet = "B"
text = "fifth"
reverse = true

[[items]]
id = "B3"
facet = "B"
text = "sixth"

[[items]]
id = "NOTE"
response = "text"
optional = true
text = "anything else?"
"#;

/// The small instrument, loaded.
pub fn small() -> Instrument {
    load_instrument("small.toml", SMALL).expect("the fixture loads")
}

/// Answers that give every facet `level(facet)` once keyed: reverse-keyed
/// items are mirrored.
pub fn by_facet(rdp: &Instrument, level: impl Fn(&str) -> i64) -> Answers {
    let mut answers = Answers::new();
    for item in &rdp.items {
        let facet = item.facet.as_ref().unwrap().as_str();
        let value = if item.reverse {
            rdp.scale.mirror(level(facet))
        } else {
            level(facet)
        };
        answers
            .set(rdp, item.id.as_str(), Answer::Value(value))
            .unwrap();
    }
    answers
}
