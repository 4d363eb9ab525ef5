//! The loader refuses broken definitions and names the place of each problem.

use tandem_core::instrument::load_instrument;

use crate::fixture::SMALL;

/// Loads `SMALL` with `from` replaced by `to` and returns the error text.
fn broken(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "fixture lacks {from:?}");
    let source = SMALL.replacen(from, to, 1);
    match load_instrument("broken.toml", &source) {
        Ok(_) => panic!("loaded despite {from:?} -> {to:?}"),
        Err(err) => err.to_string(),
    }
}

/// The line of the first occurrence of `needle` in the changed source.
fn line_of(source: &str, needle: &str) -> usize {
    let at = source.find(needle).expect("needle present");
    source[..at].matches('\n').count() + 1
}

#[test]
fn the_fixture_loads_with_every_part() {
    let instrument = crate::fixture::small();
    assert_eq!(instrument.items.len(), 7);
    assert_eq!((instrument.scale.min, instrument.scale.max), (1, 5));
    assert_eq!(instrument.facets.len(), 2);
    assert_eq!(instrument.indices[0].facets.len(), 2);
    assert!(instrument.item("A2").unwrap().reverse);
    assert_eq!(
        instrument.item("A1").unwrap().line,
        line_of(SMALL, "id = \"A1\"") - 1
    );
}

#[test]
fn each_broken_file_is_refused_with_its_place() {
    // (what to change, into what, words the error must contain)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "facet = \"B\"\ntext = \"fifth\"",
            "facet = \"Z\"\ntext = \"fifth\"",
            &["`B2`", "facet `Z`", "not declared"],
        ),
        ("id = \"A2\"", "id = \"A1\"", &["`A1`", "duplicate item id"]),
        (
            "{ value = 3, label = \"three\" },",
            "",
            &["gap", "between 2 and 4"],
        ),
        (
            "facets = [\"A\", \"B\"]",
            "facets = [\"A\", \"Q\"]",
            &["`both`", "facet `Q`"],
        ),
        (
            "from = 3.5\nto = 5.0",
            "from = 3.5\nto = 4.5",
            &["`elevated`", "top of the scale"],
        ),
        (
            "from = 2.5\nto = 3.5",
            "from = 2.6\nto = 3.5",
            &["`moderate`", "start at 2.5"],
        ),
        (
            "guidance = { elevated = [\"boundaries\"] }",
            "guidance = { elevated = [\"nope\"] }",
            &["`A`", "`nope` is not a known strategy"],
        ),
        (
            "reliability = 0.84\nsd = 0.5",
            "reliability = 0.84",
            &["`A`", "reliability and sd together"],
        ),
        (
            "reliability = 0.84",
            "reliability = 1.4",
            &["`A`", "between 0 and 1"],
        ),
        (
            "text = \"first about {other}\"",
            "text = \"first about {them}\"",
            &["`A1`", "placeholder `{them}`"],
        ),
        (
            "text = \"second\"",
            "text = \"second\"\ncolour = \"red\"",
            &["unknown field `colour`"],
        ),
        (
            "optional = true\ntext = \"anything",
            "optional = false\ntext = \"anything",
            &["`NOTE`", "must be optional"],
        ),
        (
            "method = \"mean\"\nmax_missing = 1",
            "method = \"flag\"\npositive_at = 1",
            &["only a safety screen"],
        ),
        (
            "id = \"A1\"\nfacet = \"A\"",
            "id = \"A1\"",
            &["`A1`", "needs a facet"],
        ),
        (
            "version = \"1\"",
            "version = \"1\"\nname = 3",
            &["duplicate key"],
        ),
    ];
    for (from, to, expected) in cases {
        let message = broken(from, to);
        assert!(message.starts_with("broken.toml"), "{message}");
        for words in *expected {
            assert!(
                message.contains(words),
                "{from:?} -> {to:?}: {message:?} lacks {words:?}"
            );
        }
    }
}

#[test]
fn a_problem_names_the_line_of_its_item() {
    let source = SMALL.replacen("id = \"A2\"", "id = \"A1\"", 1);
    let err = load_instrument("x.toml", &source).unwrap_err();
    let problem = &err.problems[0];
    assert_eq!(problem.id.as_deref(), Some("A1"));
    // The span of an array-of-tables entry starts at its `[[items]]` header or first key.
    let line = problem.line.unwrap();
    let second = source.match_indices("id = \"A1\"").nth(1).unwrap().0;
    let expected = source[..second].matches('\n').count() + 1;
    assert!(
        (expected - 1..=expected).contains(&line),
        "line {line}, expected about {expected}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let source = SMALL
        .replacen(
            "facet = \"B\"\ntext = \"fifth\"",
            "facet = \"Z\"\ntext = \"fifth\"",
            1,
        )
        .replacen("id = \"A3\"", "id = \"A1\"", 1);
    let err = load_instrument("x.toml", &source).unwrap_err();
    assert_eq!(err.problems.len(), 2, "{err}");
}

#[test]
fn a_truncated_file_is_refused_with_a_line() {
    let cut = &SMALL[..SMALL.find("[[items]]").unwrap() + 4];
    let err = load_instrument("cut.toml", cut).unwrap_err();
    assert!(err.problems[0].line.is_some(), "{err}");
}

mod fuzz {
    use proptest::prelude::*;
    use tandem_core::answers::parse_answers_file;
    use tandem_core::instrument::load_instrument;

    use crate::fixture::{SMALL, small};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Cutting, splicing and garbling a valid file never panics the
        /// loader, and every refusal names the file.
        #[test]
        fn a_mangled_definition_never_panics(
            cut in 0usize..SMALL.len(),
            len in 0usize..40,
            junk in "[ -~\n]{0,12}",
        ) {
            let start = (0..=cut).rev().find(|i| SMALL.is_char_boundary(*i)).unwrap_or(0);
            let end = (start + len..=SMALL.len()).find(|i| SMALL.is_char_boundary(*i)).unwrap_or(SMALL.len());
            let source = format!("{}{}{}", &SMALL[..start], junk, &SMALL[end..]);
            if let Err(err) = load_instrument("m.toml", &source) {
                prop_assert!(err.to_string().starts_with("m.toml"));
                prop_assert!(!err.problems.is_empty());
            }
        }

        /// Any text at all as an answers file: an error with the file's name, or
        /// answers that are all on the scale.
        #[test]
        fn any_answers_text_is_refused_or_valid(text in "[{}\\[\\]\":,0-9A-Za-z \n.-]{0,80}") {
            let instrument = small();
            match parse_answers_file("a.json", &text, &instrument) {
                Ok(answers) => {
                    for (item, _) in answers.iter() {
                        if let Some(value) = answers.value(item.as_str()) {
                            prop_assert!(instrument.scale.contains(value));
                        }
                    }
                }
                Err(err) => prop_assert!(err.to_string().starts_with("a.json")),
            }
        }
    }
}
