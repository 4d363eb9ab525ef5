//! The answers-file parser (`tandem assess --answers FILE`, the same checks
//! as the API's answers) on arbitrary text, against every built-in
//! instrument: it refuses with a place or returns checked answers, never
//! panics.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tandem_core::answers::parse_answers_file;
use tandem_core::instrument::Instrument;

fn instruments() -> &'static [Instrument] {
    static ALL: OnceLock<Vec<Instrument>> = OnceLock::new();
    ALL.get_or_init(|| tandem_core::instrument::builtin::builtin().expect("built-ins load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for instrument in instruments() {
        match parse_answers_file("fuzz.json", text, instrument) {
            Ok(answers) => {
                // Every answer kept is one the instrument accepts.
                for (item, answer) in answers.iter() {
                    tandem_core::answers::check_answer(instrument, item.as_str(), answer)
                        .expect("a parsed answer passes its own check");
                }
            }
            Err(err) => {
                // The line named is one the file has.
                if let Some(line) = err.line {
                    assert!(
                        line >= 1 && line <= text.lines().count().max(1) + 1,
                        "{err}"
                    );
                }
            }
        }
    }
});
