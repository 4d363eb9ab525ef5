//! A reliability file pins published precision per instrument version; a
//! broken one is refused whole, each problem with its line and id.

use tandem_core::instrument::builtin::builtin_all_versions;
use tandem_core::instrument::published::load_published;

const GOOD: &str = r#"
source = "RDP 1.1 field study (2026), n = 1,204"

[[pinned]]
instrument = "rdp"
version = "1.1.0"
facets = { ER = { reliability = 0.81, sd = 0.74 }, AU = { reliability = 0.7, sd = 0.9 } }
indices = { over_dependence = { reliability = 0.9, sd = 0.6 } }

[[pinned]]
instrument = "rdp"
version = "1.0.0"
facets = { ER = { reliability = 0.78, sd = 0.7 } }
"#;

#[test]
fn a_good_file_fills_the_named_versions_and_nothing_else() {
    let known = builtin_all_versions().unwrap();
    let published = load_published("pinned.toml", GOOD, &known).unwrap();
    assert_eq!(published.source, "RDP 1.1 field study (2026), n = 1,204");
    let current = published.instrument("rdp", "1.1.0").unwrap();
    let er = current
        .facets
        .iter()
        .find(|f| f.id.as_str() == "ER")
        .unwrap();
    assert_eq!(
        er.precision.map(|p| (p.reliability, p.sd)),
        Some((0.81, 0.74))
    );
    let vs = current
        .facets
        .iter()
        .find(|f| f.id.as_str() == "VS")
        .unwrap();
    assert_eq!(vs.precision, None, "only what the file names is pinned");
    let index = current
        .indices
        .iter()
        .find(|i| i.id.as_str() == "over_dependence")
        .unwrap();
    assert_eq!(index.precision.map(|p| p.reliability), Some(0.9));
    let earlier = published.instrument("rdp", "1.0.0").unwrap();
    let er = earlier
        .facets
        .iter()
        .find(|f| f.id.as_str() == "ER")
        .unwrap();
    assert_eq!(er.precision.map(|p| p.reliability), Some(0.78));
    assert!(published.instrument("checkin", "1.1.0").is_none());
}

#[test]
fn a_broken_file_is_refused_with_what_and_where() {
    let known = builtin_all_versions().unwrap();
    let pinned = |body: &str| format!("source = \"a study\"\n\n[[pinned]]\n{body}");
    for (text, line, id, says) in [
        (
            "source = \"  \"\n[[pinned]]\ninstrument = \"rdp\"\nversion = \"1.1.0\"\n".to_owned(),
            Some(1),
            None,
            "where the numbers come from",
        ),
        (
            pinned("instrument = \"rdp\"\nversion = \"9.9.9\"\n"),
            Some(3),
            Some("rdp 9.9.9"),
            "no such instrument version",
        ),
        (
            pinned(
                "instrument = \"rdp\"\nversion = \"1.1.0\"\nfacets = { XX = { reliability = 0.8, sd = 1.0 } }\n",
            ),
            Some(3),
            Some("XX"),
            "has no `XX`",
        ),
        (
            pinned(
                "instrument = \"rdp\"\nversion = \"1.1.0\"\nfacets = { ER = { reliability = 1.2, sd = 1.0 } }\n",
            ),
            Some(3),
            Some("ER"),
            "between 0 and 1",
        ),
        (
            pinned(
                "instrument = \"rdp\"\nversion = \"1.1.0\"\nindices = { caretaking = { reliability = 0.8, sd = 0 } }\n",
            ),
            Some(3),
            Some("caretaking"),
            "sd must be above 0",
        ),
        (
            pinned(
                "instrument = \"rdp\"\nversion = \"1.1.0\"\n\n[[pinned]]\ninstrument = \"rdp\"\nversion = \"1.1.0\"\n",
            ),
            Some(7),
            Some("rdp 1.1.0"),
            "pinned twice",
        ),
        (
            pinned("instrument = \"rdp\"\nversion = \"1.1.0\"\nalpha = 0.9\n"),
            Some(6),
            None,
            "unknown field",
        ),
    ] {
        let err = load_published("pinned.toml", &text, &known).unwrap_err();
        assert_eq!(err.file, "pinned.toml");
        let problem = &err.problems[0];
        assert_eq!(problem.line, line, "{text}\n{err}");
        assert_eq!(problem.id.as_deref(), id, "{text}\n{err}");
        assert!(problem.message.contains(says), "{text}\n{err}");
    }
}
