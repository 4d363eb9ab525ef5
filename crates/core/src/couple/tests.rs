use super::*;
use crate::instrument::builtin::builtin_by_id;
use crate::readability::flesch_kincaid_grade;

fn rdp() -> Instrument {
    builtin_by_id("rdp").unwrap().unwrap()
}

#[test]
fn a_gap_is_flagged_only_beyond_the_noise_of_a_difference() {
    // SD 0.8 and reliability 0.8: SEM 0.358, noise 1.96 · √2 · 0.358 = 0.991.
    let known = Some(Precision {
        reliability: 0.8,
        sd: 0.8,
    });
    let cases: [(f64, Option<Precision>, GapBasis, bool); 7] = [
        (0.0, known, GapBasis::Reliability, false),
        (0.9, known, GapBasis::Reliability, false),
        (-0.99, known, GapBasis::Reliability, false),
        (1.0, known, GapBasis::Reliability, true),
        (-1.2, known, GapBasis::Reliability, true),
        (0.99, None, GapBasis::Fixed, false),
        (-1.0, None, GapBasis::Fixed, true),
    ];
    for (gap, precision, basis, flagged) in cases {
        let (noise, got_basis, got) = judge(gap, precision);
        assert_eq!((got_basis, got), (basis, flagged), "gap {gap}");
        assert_eq!(noise.is_some(), precision.is_some());
    }
    let (noise, _, _) = judge(0.0, known);
    assert!((noise.unwrap() - 0.9915).abs() < 1e-3, "{noise:?}");
}

#[test]
fn gaps_cover_what_both_sides_show() {
    let rdp = rdp();
    let index = rdp.indices[0].id.to_string();
    let facet = rdp.facets[0].id.to_string();
    let side = |x: f64, facets: bool| Shown {
        indices: BTreeMap::from([(index.clone(), x)]),
        facets: facets.then(|| BTreeMap::from([(facet.clone(), x)])),
        items: None,
    };
    // Facets only when both show them.
    let found = gaps(&rdp, &side(2.0, true), &side(3.5, false));
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].of, found[0].id.as_str()),
        (GapOf::Index, index.as_str())
    );
    assert!((found[0].gap - 1.5).abs() < 1e-9);
    let found = gaps(&rdp, &side(2.0, true), &side(2.5, true));
    let shape: Vec<(GapOf, &str)> = found.iter().map(|g| (g.of, g.id.as_str())).collect();
    assert_eq!(
        shape,
        [
            (GapOf::Index, index.as_str()),
            (GapOf::Facet, facet.as_str())
        ]
    );
    // The built-in RDP declares no reliability, so a half point is not a gap
    // worth flagging, and a full point is.
    assert!(
        found
            .iter()
            .all(|g| g.basis == GapBasis::Fixed && !g.flagged)
    );
    let found = gaps(&rdp, &side(2.0, true), &side(3.0, true));
    assert!(found.iter().all(|g| g.flagged));
}

#[test]
fn discussion_items_are_those_two_or_more_apart_farthest_first() {
    let rdp = rdp();
    let ordinary: Vec<&str> = rdp
        .items
        .iter()
        .filter(|item| item.facet.is_some() && item.signals.is_none())
        .map(|item| item.id.as_str())
        .take(8)
        .collect();
    let coercion = rdp
        .signalling(Signal::Coercion)
        .next()
        .map(|i| i.id.to_string());
    // Each pair of answers is a worked case.
    let mut mine = BTreeMap::new();
    let mut theirs = BTreeMap::new();
    for (id, (a, b)) in ordinary.iter().zip([
        (3, 4), // 1 apart: not an item
        (3, 5), // 2 apart
        (1, 5), // 4 apart
        (5, 2), // 3 apart
        (3, 3),
        (2, 4), // 2 apart
        (4, 2), // 2 apart
        (1, 3), // 2 apart, the sixth: beyond the agenda
    ]) {
        mine.insert((*id).to_owned(), a);
        theirs.insert((*id).to_owned(), b);
    }
    if let Some(id) = &coercion {
        mine.insert(id.clone(), 1);
        theirs.insert(id.clone(), 5);
    }
    let side = |items| Shown {
        items: Some(items),
        ..Shown::default()
    };
    let found = discussion_items(&rdp, &side(mine.clone()), &side(theirs.clone()));
    let got: Vec<(&str, i64)> = found
        .iter()
        .map(|d| (d.item.as_str(), d.distance))
        .collect();
    assert_eq!(
        got,
        [
            (ordinary[2], 4),
            (ordinary[3], 3),
            (ordinary[1], 2),
            (ordinary[5], 2),
            (ordinary[6], 2),
        ]
    );
    assert!(found.iter().all(|d| Some(&d.item) != coercion.as_ref()));
    // Without both sides' items there is nothing to list.
    let facets_only = Shown::default();
    assert!(discussion_items(&rdp, &side(mine), &facets_only).is_empty());
}

#[test]
fn every_talk_prompt_reads_easily_and_every_facet_has_its_own() {
    let rdp = rdp();
    let fallback = talk_prompt("");
    for facet in &rdp.facets {
        let prompt = talk_prompt(facet.id.as_str());
        assert_ne!(prompt, fallback, "{} has no prompt of its own", facet.id);
        let grade = flesch_kincaid_grade(prompt);
        assert!(grade <= 8.0, "grade {grade:.1}: {prompt}");
    }
}
