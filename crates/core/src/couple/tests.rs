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

/// A support-map entry: (domain, I lean on them, they lean on me).
fn supporter(
    name: &str,
    role: crate::network::Role,
    levels: &[(crate::network::Domain, u8, u8)],
) -> crate::network::Supporter {
    use crate::network::{Level, Supporter};
    let mut entry = Supporter::new(name, role);
    for &(domain, on, back) in levels {
        entry.leans_on.insert(domain, Level::new(on).unwrap());
        entry.leans_back.insert(domain, Level::new(back).unwrap());
    }
    entry
}

/// A partner's entry, levels alone.
fn entry(levels: &[(crate::network::Domain, u8, u8)]) -> Leaning {
    Leaning::from(&supporter("them", crate::network::Role::Partner, levels))
}

#[test]
fn the_partner_entry_is_the_one_of_that_name_else_the_only_partner() {
    use crate::network::Domain::Money;
    use crate::network::Role::{Friend, Partner};
    let sam = supporter("Sam", Partner, &[(Money, 1, 0)]);
    let alex = supporter("Alex", Partner, &[(Money, 2, 0)]);
    let kim = supporter(" KIM ", Friend, &[(Money, 3, 0)]);
    let money = |found: Option<Leaning>| found.map(|l| l.leans_on[&Money].get());
    let cases: [(&str, Vec<&crate::network::Supporter>, Option<u8>); 6] = [
        // By name, compared normalised, whatever the role.
        ("kim", vec![&sam, &kim], Some(3)),
        ("sam", vec![&sam, &alex], Some(1)),
        // No such name: the only partner.
        ("my partner", vec![&sam, &kim], Some(1)),
        // Two partners and neither named: not clear, so none.
        ("my partner", vec![&sam, &alex], None),
        ("my partner", vec![&kim], None),
        ("my partner", vec![], None),
    ];
    for (name, map, expected) in cases {
        assert_eq!(money(partner_entry(name, map.clone())), expected, "{name}");
    }
}

#[test]
fn mutuality_worked_examples() {
    use crate::network::Domain::{Company, Decisions, Emotional, Money, Practical, Validation};
    let told = |by_me, by_them| Told { by_me, by_them };
    // Mine: how much I lean on them and they on me; theirs the same, from
    // their side, so their "on" is my "they lean".
    let mine = entry(&[
        (Emotional, 3, 3),
        (Money, 4, 0),
        (Practical, 0, 2),
        (Decisions, 0, 0),
        (Validation, 1, 0),
    ]);
    let theirs = entry(&[
        (Emotional, 2, 3),
        (Money, 0, 4),
        (Practical, 2, 0),
        (Decisions, 0, 3),
        (Validation, 0, 0),
    ]);
    let found = mutuality(Some(&mine), Some(&theirs));
    let by_domain = |domain| found.iter().find(|m| m.domain == domain).unwrap();
    let cases = [
        // Both lean both ways, told alike.
        (
            Emotional,
            told(Some(3), Some(3)),
            told(Some(3), Some(2)),
            Flow::BothWays,
            false,
        ),
        // I lean on them for money, as we both say; they do not on me.
        (
            Money,
            told(Some(4), Some(4)),
            told(Some(0), Some(0)),
            Flow::ToMe,
            false,
        ),
        // They lean on me for practical help, as we both say.
        (
            Practical,
            told(Some(0), Some(0)),
            told(Some(2), Some(2)),
            Flow::ToThem,
            false,
        ),
        // I say I do not lean on them for decisions; they say I do (3):
        // a mean of 1.5 flows, and we see it differently.
        (
            Decisions,
            told(Some(0), Some(3)),
            told(Some(0), Some(0)),
            Flow::ToMe,
            true,
        ),
        // A mean of 0.5 does not flow.
        (
            Validation,
            told(Some(1), Some(0)),
            told(Some(0), Some(0)),
            Flow::Neither,
            false,
        ),
        (
            Company,
            told(Some(0), Some(0)),
            told(Some(0), Some(0)),
            Flow::Neither,
            false,
        ),
    ];
    assert_eq!(found.len(), cases.len());
    for (domain, i_lean, they_lean, flow, apart) in cases {
        let m = by_domain(domain);
        assert_eq!(
            (m.i_lean, m.they_lean, m.flow, m.seen_differently),
            (i_lean, they_lean, flow, apart),
            "{domain:?}"
        );
    }
}

#[test]
fn mutuality_from_one_map_or_none() {
    use crate::network::Domain::{Emotional, Practical};
    assert!(mutuality(None, None).is_empty());
    // Only my map: my word alone decides, and nothing is seen differently.
    let mine = entry(&[(Practical, 0, 2), (Emotional, 2, 2)]);
    let found = mutuality(Some(&mine), None);
    let practical = found.iter().find(|m| m.domain == Practical).unwrap();
    assert_eq!(practical.flow, Flow::ToThem);
    assert_eq!(
        practical.they_lean,
        Told {
            by_me: Some(2),
            by_them: None
        }
    );
    assert!(found.iter().all(|m| !m.seen_differently));
    // Only theirs: their "on" is how much they lean on me.
    let theirs = entry(&[(Emotional, 3, 0)]);
    let found = mutuality(None, Some(&theirs));
    assert_eq!(
        found.iter().find(|m| m.domain == Emotional).unwrap().flow,
        Flow::ToThem
    );
}

#[test]
fn flow_words_read_easily() {
    for flow in [Flow::BothWays, Flow::ToMe, Flow::ToThem, Flow::Neither] {
        let words = flow_words(flow);
        assert!(flesch_kincaid_grade(words) <= 8.0, "{words}");
    }
}

#[test]
fn the_guessing_part_asks_one_plain_item_per_chosen_facet() {
    let rdp = rdp();
    let asked = guess_items(&rdp);
    let ids: Vec<&str> = asked.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["ER1", "VS1", "FA2", "CT1", "CN1", "DT1"]);
    for item in &asked {
        assert!(item.signals.is_none(), "{}", item.id);
        assert!(item.text.contains("{other}"), "{}", item.id);
    }
}

/// Guesses as (item, point) pairs.
type Pairs<'a> = &'a [(&'a str, i64)];

#[test]
fn guesses_off_the_list_or_the_scale_are_refused_by_name() {
    let rdp = rdp();
    let of = |pairs: &[(&str, i64)]| -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    let cases: [(Pairs, Option<GuessError>); 5] = [
        (&[("ER1", 1), ("DT1", 5)], None),
        (&[], None),
        (&[("BD2", 3)], Some(GuessError::NotAsked("BD2".into()))),
        (
            &[("ER1", 0)],
            Some(GuessError::OffScale {
                item: "ER1".into(),
                value: 0,
                min: 1,
                max: 5,
            }),
        ),
        (
            &[("CT1", 6)],
            Some(GuessError::OffScale {
                item: "CT1".into(),
                value: 6,
                min: 1,
                max: 5,
            }),
        ),
    ];
    for (guesses, expected) in cases {
        assert_eq!(
            check_guesses(&rdp, &of(guesses)).err(),
            expected,
            "{guesses:?}"
        );
    }
}

#[test]
fn accuracy_is_one_less_the_mean_distance_over_the_scale() {
    let of = |pairs: &[(&str, i64)]| -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    let answers = of(&[("ER1", 4), ("VS1", 2), ("FA2", 5), ("CT1", 1)]);
    // (guesses, compared, exact, accuracy)
    let cases: [(Pairs, usize, usize, f64); 4] = [
        (&[("ER1", 4), ("VS1", 2)], 2, 2, 1.0),
        // Off by 0, 1, 3: mean 4/3, over a span of 4.
        (&[("ER1", 4), ("VS1", 3), ("FA2", 2)], 3, 1, 1.0 - 1.0 / 3.0),
        (&[("FA2", 1), ("CT1", 5)], 2, 0, 0.0),
        // CN1 was not answered on the scale: only ER1 counts.
        (&[("ER1", 2), ("CN1", 3)], 1, 0, 0.5),
    ];
    for (guesses, compared, exact, accuracy) in cases {
        let got = reading(&of(guesses), &answers, 4).unwrap();
        assert_eq!((got.compared, got.exact), (compared, exact), "{guesses:?}");
        assert!(
            (got.accuracy - accuracy).abs() < 1e-12,
            "{guesses:?}: {got:?}"
        );
    }
    assert_eq!(reading(&of(&[("CN1", 3)]), &answers, 4), None);
    assert_eq!(reading(&BTreeMap::new(), &answers, 4), None);
}

#[test]
fn how_i_see_us_is_kept_whole_and_scored_with_its_keys() {
    let whole = |value: i64| -> BTreeMap<String, i64> {
        US_ITEMS
            .iter()
            .map(|item| (item.id.to_owned(), value))
            .collect()
    };
    // All 5: four items count 5, the two reverse-keyed count 1.
    assert_eq!(us_score(&whole(5)), Some(22.0 / 6.0));
    assert_eq!(us_score(&whole(3)), Some(3.0));
    let mut best = whole(5);
    best.insert("US4".into(), 1);
    best.insert("US6".into(), 1);
    assert_eq!(us_score(&best), Some(5.0));
    let mut part = whole(4);
    part.remove("US2");
    assert_eq!(us_score(&part), None);

    assert_eq!(check_us(&whole(1)), Ok(()));
    assert_eq!(check_us(&part), Err(UsError::Missing("US2")));
    let mut off = whole(3);
    off.insert("US5".into(), 6);
    assert_eq!(
        check_us(&off),
        Err(UsError::OffScale {
            item: "US5".into(),
            value: 6
        })
    );
    let mut extra = whole(3);
    extra.insert("ER1".into(), 3);
    assert_eq!(check_us(&extra), Err(UsError::NotAsked("ER1".into())));
    assert_eq!(check_us(&extra).unwrap_err().item(), "ER1");
}

#[test]
fn how_i_see_us_reads_easily_and_is_keyed_both_ways() {
    for item in US_ITEMS {
        let grade = flesch_kincaid_grade(item.text);
        assert!(grade <= 8.0, "{}: grade {grade:.1}", item.id);
    }
    assert!(US_ITEMS.iter().any(|i| i.reverse) && US_ITEMS.iter().any(|i| !i.reverse));
    let mut ids: Vec<&str> = US_ITEMS.iter().map(|i| i.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), US_ITEMS.len());
}
