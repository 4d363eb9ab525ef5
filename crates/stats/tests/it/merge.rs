//! Merging: statistics of parts, merged, equal those of the whole, bit for bit (integer data).

use tandem_stats::csv::{CsvError, ReadOptions, read_files};
use tandem_stats::moments::{Accumulator, Missing, Moments};

use crate::support::{fixtures, options, temp_csv};

/// The header and the data lines of a fixture.
fn lines(name: &str) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    let mut lines = text.lines().map(str::to_owned);
    let header = lines.next().unwrap();
    (header, lines.collect())
}

fn csv_text(header: &str, rows: &[String]) -> String {
    let mut s = format!("{header}\n");
    for row in rows {
        s.push_str(row);
        s.push('\n');
    }
    s
}

fn read_one(text: &str, threads: usize) -> Moments {
    let file = temp_csv(text.as_bytes());
    read_files(&[file.path().to_owned()], &options(threads, 1 << 20)).unwrap()
}

#[test]
fn one_pass_equals_k_chunks_merged() {
    for fixture in ["missing.csv", "three_factor.csv", "reversed.csv"] {
        let (header, rows) = lines(fixture);
        let whole = read_one(&csv_text(&header, &rows), 1);
        for k in [2, 3, 7] {
            let size = rows.len().div_ceil(k);
            let mut merged: Option<Moments> = None;
            for part in rows.chunks(size) {
                let m = read_one(&csv_text(&header, part), 1);
                match &mut merged {
                    None => merged = Some(m),
                    Some(total) => total.merge(&m).unwrap(),
                }
            }
            assert_eq!(merged.as_ref(), Some(&whole), "{fixture}, {k} chunks");
            // The same through several files given at once, and through threads.
            let files: Vec<_> = rows
                .chunks(size)
                .map(|part| temp_csv(csv_text(&header, part).as_bytes()))
                .collect();
            let paths: Vec<_> = files.iter().map(|f| f.path().to_owned()).collect();
            let at_once = read_files(&paths, &options(1, 1 << 20)).unwrap();
            assert_eq!(at_once, whole, "{fixture}, {k} files at once");
            let threaded = read_files(&paths[..1], &options(k, 1)).unwrap();
            let first = read_one(&csv_text(&header, rows.chunks(size).next().unwrap()), 1);
            assert_eq!(threaded, first, "{fixture}, {k} threads");
        }
        for k in [2, 3, 7] {
            let file = temp_csv(csv_text(&header, &rows).as_bytes());
            let threaded = read_files(&[file.path().to_owned()], &options(k, 1)).unwrap();
            assert_eq!(
                threaded, whole,
                "{fixture}, {k} threads over the whole file"
            );
        }
    }
}

#[test]
fn two_files_merged_equal_their_concatenation() {
    let (header_a, rows_a) = lines("missing.csv");
    let a = temp_csv(csv_text(&header_a, &rows_a[..400]).as_bytes());
    let b = temp_csv(csv_text(&header_a, &rows_a[400..]).as_bytes());
    let both = read_one(&csv_text(&header_a, &rows_a), 1);
    let merged = read_files(&[a.path().to_owned(), b.path().to_owned()], &options(2, 1)).unwrap();
    assert_eq!(merged, both);
    let mut by_hand = read_files(&[a.path().to_owned()], &options(1, 1 << 20)).unwrap();
    by_hand
        .merge(&read_files(&[b.path().to_owned()], &options(1, 1 << 20)).unwrap())
        .unwrap();
    assert_eq!(by_hand, both);
}

#[test]
fn files_may_order_their_columns_differently() {
    let a = temp_csv(b"x,y,z\n1,2,3\n4,,6\n");
    let b = temp_csv(b"z,x,y\n9,7,8\n,1,1\n");
    let merged = read_files(
        &[a.path().to_owned(), b.path().to_owned()],
        &options(1, 1 << 20),
    )
    .unwrap();
    let whole = read_one("x,y,z\n1,2,3\n4,,6\n7,8,9\n1,1,\n", 1);
    assert_eq!(merged, whole);
}

#[test]
fn files_naming_other_items_are_refused() {
    let a = temp_csv(b"x,y\n1,2\n");
    let b = temp_csv(b"x,w\n1,2\n");
    let err = read_files(
        &[a.path().to_owned(), b.path().to_owned()],
        &options(1, 1 << 20),
    )
    .unwrap_err();
    assert!(
        matches!(err, CsvError::HeaderMismatch { ref missing, ref extra, .. }
        if missing == &["y".to_owned()] && extra == &["w".to_owned()])
    );
    // With the items chosen, other columns do not matter.
    let opts = ReadOptions {
        items: Some(vec!["x".into()]),
        ..options(1, 1 << 20)
    };
    let m = read_files(&[a.path().to_owned(), b.path().to_owned()], &opts).unwrap();
    assert_eq!(m.rows(), 2);
    assert_eq!(m.items(), ["x"]);
}

#[test]
fn accumulator_rows_merge_exactly_and_statistics_over_different_items_do_not() {
    let rows: Vec<Vec<Option<f64>>> = (0..1000)
        .map(|r| {
            (0..5)
                .map(|i| ((r * 7 + i * 3) % 11 != 0).then_some(((r * 31 + i * 17) % 7 + 1) as f64))
                .collect()
        })
        .collect();
    let items: Vec<String> = (0..5).map(|i| format!("i{i}")).collect();
    let mut whole = Accumulator::new(items.clone());
    for row in &rows {
        whole.push(row).unwrap();
    }
    let whole = whole.finish();
    let mut merged = Moments::new(items.clone());
    for part in rows.chunks(97) {
        let mut acc = Accumulator::new(items.clone());
        for row in part {
            acc.push(row).unwrap();
        }
        merged.merge(&acc.finish()).unwrap();
    }
    assert_eq!(merged, whole);
    assert_eq!(merged.n(Missing::Pairwise), 1000);
    let other = Moments::new(vec!["a".into()]);
    assert!(merged.merge(&other).is_err());
    let mut acc = Accumulator::new(items);
    assert!(acc.push(&[Some(1.0)]).is_err());
}
