//! Bad input gives a clear error with the place, the same whichever reader and however many
//! threads read it; arbitrary bytes never panic.

use proptest::prelude::*;
use tandem_stats::csv::{CsvError, ReadOptions, Scale, read_files};

use crate::support::{close, options, read_every_way, summary, temp_csv};

/// Reads `input` every way and checks that each gives `expected` (an error message with the path
/// written `FILE`, or `ok` for success).
#[track_caller]
fn check(input: &str, opts: &ReadOptions<'_>, expected: &str) {
    for (how, got) in read_every_way(input.as_bytes(), opts) {
        let got = match got {
            Ok(_) => "ok".to_owned(),
            Err(message) => message,
        };
        assert_eq!(got, expected, "{how}, input {input:?}");
    }
}

fn scale(min: f64, max: f64) -> ReadOptions<'static> {
    ReadOptions {
        scale: Some(Scale::new(min, max).unwrap()),
        ..ReadOptions::default()
    }
}

#[test]
fn bad_input_is_named_with_its_place() {
    let plain = ReadOptions::default();
    let cases: &[(&str, &ReadOptions<'_>, &str)] = &[
        (
            "",
            &plain,
            "FILE: the file is empty; expected a header row naming the items",
        ),
        (
            "\n\n\r\n",
            &plain,
            "FILE: the file is empty; expected a header row naming the items",
        ),
        (
            ",,\n1,2,3\n",
            &plain,
            "FILE: row 1: the header names no items",
        ),
        (
            "a,,c\n1,2,3\n",
            &plain,
            "FILE: row 1, column 2: blank item id in the header",
        ),
        (
            "a,b,a\n1,2,3\n",
            &plain,
            "FILE: row 1: item \"a\" is named twice, in columns 1 and 3",
        ),
        (
            "a,b\n1,2\n3\n",
            &plain,
            "FILE: row 3 (line 3): expected 2 fields as in the header, found 1",
        ),
        (
            "a,b\n1,2\n3,4,5\n",
            &plain,
            "FILE: row 3 (line 3): expected 2 fields as in the header, found 3",
        ),
        (
            "a,b\n1,2\n3,x\n",
            &plain,
            "FILE: row 3 (line 3), column 2 (item \"b\"): \"x\" is not a number (a missing value must be blank)",
        ),
        (
            "a,b\n1,NA\n",
            &plain,
            "FILE: row 2 (line 2), column 2 (item \"b\"): \"NA\" is not a number (a missing value must be blank)",
        ),
        (
            "a,b\n1,2\n1,6\n",
            &scale(1.0, 5.0),
            "FILE: row 3 (line 3), column 2 (item \"b\"): 6 is off the scale 1..5",
        ),
        (
            "a,b\n1,2\n0.5,3\n",
            &scale(1.0, 5.0),
            "FILE: row 3 (line 3), column 1 (item \"a\"): 0.5 is off the scale 1..5",
        ),
        // Ragged is reported before a bad cell of the same row.
        (
            "a,b,c\nx,1\n",
            &plain,
            "FILE: row 2 (line 2): expected 3 fields as in the header, found 2",
        ),
        // Empty lines are passed over but counted as lines.
        (
            "a,b\n\n1,2\n\n\n3,y\n",
            &plain,
            "FILE: row 3 (line 6), column 2 (item \"b\"): \"y\" is not a number (a missing value must be blank)",
        ),
        (
            "a,b\r\n1,2\r\n3,y\r\n",
            &plain,
            "FILE: row 3 (line 3), column 2 (item \"b\"): \"y\" is not a number (a missing value must be blank)",
        ),
        // Quotes: the csv crate reads the file; a quoted comma is part of a cell.
        (
            "a,b\n\"1\",2\n\"3,4\",5\n",
            &plain,
            "FILE: row 3 (line 3), column 1 (item \"a\"): \"3,4\" is not a number (a missing value must be blank)",
        ),
        // A quoted line end: the row ends on line 4.
        (
            "a,b\n1,2\n\"3\n4\",5\n",
            &plain,
            "FILE: row 3 (line 4), column 1 (item \"a\"): \"3\\n4\" is not a number (a missing value must be blank)",
        ),
        ("\"a\",\"b\"\n\"1\",2\n", &plain, "ok"),
        ("a,b\n 1 ,\t2\n,\n", &plain, "ok"),
        ("a,b\n1,2", &plain, "ok"),
        ("a,b\n", &plain, "ok"),
        ("\u{feff}a,b\n1,2\n", &plain, "ok"),
    ];
    for (input, opts, expected) in cases {
        check(input, opts, expected);
    }
}

#[test]
fn item_choices_are_checked() {
    let items = |names: &[&str]| ReadOptions {
        items: Some(names.iter().map(|s| (*s).to_owned()).collect()),
        ..ReadOptions::default()
    };
    check(
        "a,b\n1,2\n",
        &items(&[]),
        "FILE: row 1: the header names no items",
    );
    check(
        "a,b\n1,2\n",
        &items(&["c"]),
        "FILE: row 1: the header has no item \"c\"",
    );
    check(
        "a,b\n1,2\n",
        &items(&["a", "a"]),
        "item \"a\" is chosen twice",
    );
    let reverse = ReadOptions {
        reverse: vec!["z".into()],
        ..ReadOptions::default()
    };
    check(
        "a,b\n1,2\n",
        &reverse,
        "cannot reverse-key \"z\": it is not among the items read",
    );
    // Unread columns are not parsed; the first bad cell in file order is reported.
    check("a,b,c\nx,1,2\n", &items(&["c", "b"]), "ok");
    check(
        "a,b,c\n1,y,x\n",
        &items(&["c", "b"]),
        "FILE: row 2 (line 2), column 2 (item \"b\"): \"y\" is not a number (a missing value must be blank)",
    );
    assert!(
        read_files(&[], &ReadOptions::default()).is_err_and(|e| matches!(e, CsvError::NoFiles))
    );
}

#[test]
fn scales_parse_from_text() {
    assert_eq!(
        "1..5".parse::<Scale>().unwrap(),
        Scale::new(1.0, 5.0).unwrap()
    );
    assert_eq!(" 0 .. 10 ".parse::<Scale>().unwrap().max(), 10.0);
    for bad in ["", "1..", "5..1", "1-5", "a..b", "1..1", "nan..2"] {
        assert!(bad.parse::<Scale>().is_err(), "{bad:?}");
    }
}

#[test]
fn the_earliest_bad_row_is_reported_when_threads_meet_several() {
    let mut text = String::from("a,b,c\n");
    for r in 0..5000 {
        match r {
            1234 => text.push_str("1,2,x\n"),
            3000 => text.push_str("1,2\n"),
            4500 => text.push_str("1,\"2\",3\n"),
            _ => text.push_str(&format!("{},{},{}\n", r % 5 + 1, r % 3 + 1, r % 4 + 1)),
        }
    }
    let file = temp_csv(text.as_bytes());
    for threads in [1, 2, 3, 8] {
        let err = read_files(&[file.path().to_owned()], &options(threads, 16)).unwrap_err();
        assert_eq!(err.row(), Some(1236), "{threads} threads: {err}");
        assert!(
            matches!(
                err,
                CsvError::NotNumber {
                    line: 1236,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
    }
}

#[test]
fn progress_reports_every_byte() {
    let plain = "a,b\n".to_owned() + &"1,2\n".repeat(10_000);
    // A quote sends the file to the csv crate after the fast path has read part of it.
    let quoted = plain.clone() + "\"3\",4\n";
    for text in [plain, quoted] {
        progress_reports_every_byte_of(&text);
    }
}

fn progress_reports_every_byte_of(text: &str) {
    let file = temp_csv(text.as_bytes());
    let seen = std::sync::atomic::AtomicU64::new(0);
    let progress = |bytes: u64| {
        seen.fetch_max(bytes, std::sync::atomic::Ordering::Relaxed);
    };
    let opts = ReadOptions {
        threads: 3,
        min_chunk_bytes: 1,
        progress: Some(&progress),
        ..ReadOptions::default()
    };
    read_files(&[file.path().to_owned()], &opts).unwrap();
    assert_eq!(seen.into_inner(), text.len() as u64);
}

/// Bytes that look like CSV often enough to reach every branch.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        6 => Just(b",".to_vec()),
        4 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\"".to_vec()),
        8 => (0u8..10).prop_map(|d| vec![b'0' + d]),
        2 => Just(b"12".to_vec()),
        1 => Just(b"-3.5".to_vec()),
        1 => Just(b" ".to_vec()),
        1 => Just(b"x".to_vec()),
        1 => Just(b"1e2".to_vec()),
        1 => Just("\u{feff}".as_bytes().to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    (prop::collection::vec(token, 0..120), 1usize..4).prop_map(|(tokens, width)| {
        let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let mut bytes = header.join(",").into_bytes();
        bytes.push(b'\n');
        bytes.extend(tokens.concat());
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes: never a panic, just Ok or Err.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = read_every_way(&bytes, &ReadOptions::default());
    }

    /// Every reader (csv crate, fast path, one thread or several) gives the same errors and the
    /// same statistics: exactly on one thread, to rounding when decimal sums are grouped by
    /// threads.
    #[test]
    fn every_reader_agrees(bytes in csvish(), with_scale in any::<bool>()) {
        let opts = if with_scale { scale(0.0, 9.0) } else { ReadOptions::default() };
        let results = read_every_way(&bytes, &opts);
        let (_, first) = &results[0];
        for (how, got) in &results[1..] {
            match (first, got) {
                (Err(a), Err(b)) => prop_assert_eq!(a, b, "{}", how),
                (Ok(a), Ok(b)) => {
                    let (a, b) = (summary(a), summary(b));
                    let tol = if how.contains(" 1 threads") { 0.0 } else { 1e-9 };
                    prop_assert!(close(&a, &b, tol), "{}: {:?} vs {:?}", how, a, b);
                }
                (a, b) => prop_assert!(false, "{}: {:?} vs {:?}", how, a.as_ref().err(), b.as_ref().err()),
            }
        }
    }
}
