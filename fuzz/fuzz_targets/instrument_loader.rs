//! The instrument loader on arbitrary TOML: it refuses or loads, never
//! panics, and what it loads can be answered, scored and banded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::{Kind, ResponseKind, load_instrument};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(instrument) = load_instrument("fuzz.toml", text) else {
        return;
    };
    // A loaded instrument must take an answer at each end of its scale on
    // every scale item, and score them without panicking.
    for value in [instrument.scale.min, instrument.scale.max] {
        let mut answers = Answers::new();
        for item in &instrument.items {
            let answer = match item.response {
                ResponseKind::Scale => Answer::Value(value),
                ResponseKind::Text => Answer::Text("some words".to_owned()),
            };
            answers
                .set(&instrument, item.id.as_str(), answer)
                .expect("an answer on the scale fits a loaded instrument");
        }
        if instrument.kind != Kind::Safety {
            let scores = tandem_core::scoring::score(&instrument, &answers)
                .expect("a full set of answers scores");
            for facet in scores.facets.values() {
                if let Some(x) = facet.score {
                    let _ = instrument.band_of(x);
                }
            }
        }
    }
});
