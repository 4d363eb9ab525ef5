//! The shipped instruments load and keep the content rules of docs/DOMAIN.md.

use std::collections::{BTreeMap, BTreeSet};

use tandem_core::instrument::builtin::{builtin, builtin_by_id};
use tandem_core::instrument::{Kind, ResponseKind, ScoringRule};
use tandem_core::readability::flesch_kincaid_grade;

#[test]
fn every_builtin_instrument_loads() {
    let all = builtin().unwrap_or_else(|err| panic!("{err}"));
    let ids: Vec<_> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["rdp", "checkin", "safety"]);
}

#[test]
fn the_rdp_has_the_twelve_facets_and_five_indices_of_the_domain() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    assert_eq!(rdp.kind, Kind::Profile);
    let facets: Vec<_> = rdp.facets.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        facets,
        [
            "ER", "VS", "DD", "FA", "CT", "SN", "MS", "AU", "CN", "BD", "DT", "PB"
        ]
    );
    let indices: BTreeMap<_, Vec<_>> = rdp
        .indices
        .iter()
        .map(|i| (i.id.as_str(), i.facets.iter().map(|f| f.as_str()).collect()))
        .collect();
    assert_eq!(indices["over_dependence"], ["ER", "VS", "DD", "FA"]);
    assert_eq!(indices["caretaking"], ["CT", "SN"]);
    assert_eq!(indices["interdependence"], ["MS", "AU", "CN", "BD"]);
    assert_eq!(indices["detachment"], ["DT"]);
    assert_eq!(indices["power_balance"], ["PB"]);
    assert_eq!((rdp.scale.min, rdp.scale.max), (1, 5));
    for facet in &rdp.facets {
        let count = rdp.items_of(&facet.id).count();
        assert!((3..=4).contains(&count), "{} has {count} items", facet.id);
    }
}

#[test]
fn every_rdp_cluster_has_both_keyings() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let mut keyings: BTreeMap<&str, BTreeSet<bool>> = BTreeMap::new();
    for item in &rdp.items {
        let facet = rdp.facet(item.facet.as_ref().unwrap().as_str()).unwrap();
        keyings
            .entry(facet.cluster.as_str())
            .or_default()
            .insert(item.reverse);
    }
    assert_eq!(keyings.len(), 5);
    for (cluster, keys) in keyings {
        assert_eq!(keys.len(), 2, "cluster {cluster} lacks a keying");
    }
}

#[test]
fn every_rdp_facet_is_keyed_two_forward_two_reverse() {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    for facet in &rdp.facets {
        let reverse = rdp.items_of(&facet.id).filter(|i| i.reverse).count();
        let forward = rdp.items_of(&facet.id).filter(|i| !i.reverse).count();
        assert_eq!((forward, reverse), (2, 2), "{}", facet.id);
    }
}

#[test]
fn an_item_that_kept_its_id_kept_its_wording_and_keying() {
    let all = tandem_core::instrument::builtin::builtin_all_versions().unwrap();
    for old in all.iter().filter(|i| i.version == "1.0.0") {
        let new = builtin_by_id(old.id.as_str()).unwrap().unwrap();
        assert_ne!(new.version, old.version);
        for item in &old.items {
            if let Some(kept) = new.item(item.id.as_str()) {
                assert_eq!(
                    (&kept.text, kept.reverse, &kept.facet),
                    (&item.text, item.reverse, &item.facet),
                    "{} {} changed meaning without a new id",
                    old.id,
                    item.id
                );
            }
        }
    }
}

#[test]
fn second_person_items_say_your_and_the_name() {
    use tandem_core::instrument::OtherPerson;
    let safety = builtin_by_id("safety").unwrap().unwrap();
    let item = safety.item("SF8").unwrap();
    assert_eq!(
        safety.text_of(item, &OtherPerson::new("my partner")),
        "In the past year, have you been afraid of your partner?"
    );
    assert_eq!(
        safety.text_of(item, &OtherPerson::new("Sam")),
        "In the past year, have you been afraid of Sam?"
    );
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let first = rdp.item("MS1").unwrap();
    assert_eq!(
        rdp.text_of(first, &OtherPerson::new("my mother")),
        "I can count on my mother when I need help."
    );
    for item in &safety.items {
        assert!(
            !safety
                .text_of(item, &OtherPerson::new("my partner"))
                .contains("my partner")
        );
    }
}

#[test]
fn every_item_reads_at_grade_eight_or_below() {
    let all = tandem_core::instrument::builtin::builtin_all_versions().unwrap();
    for instrument in all {
        for item in &instrument.items {
            let text = instrument.text_of(
                item,
                &tandem_core::instrument::OtherPerson::new("my partner"),
            );
            let grade = flesch_kincaid_grade(&text);
            assert!(
                grade <= 8.0,
                "{} {}: grade {grade:.1}: {text}",
                instrument.id,
                item.id
            );
        }
        let grade = flesch_kincaid_grade(&instrument.intro);
        assert!(grade <= 8.0, "{} intro: grade {grade:.1}", instrument.id);
    }
}

#[test]
fn the_checkin_is_a_short_pulse_with_one_optional_line() {
    let checkin = builtin_by_id("checkin").unwrap().unwrap();
    assert_eq!(checkin.kind, Kind::Checkin);
    let scale = checkin
        .items
        .iter()
        .filter(|i| i.response == ResponseKind::Scale)
        .count();
    let text: Vec<_> = checkin
        .items
        .iter()
        .filter(|i| i.response == ResponseKind::Text)
        .collect();
    assert!((5..=6).contains(&scale));
    assert_eq!(text.len(), 1);
    assert!(text[0].optional);
}

#[test]
fn the_safety_screen_is_flagged_not_scored() {
    let safety = builtin_by_id("safety").unwrap().unwrap();
    assert_eq!(safety.kind, Kind::Safety);
    assert_eq!(safety.scoring, ScoringRule::Flag { positive_at: 1 });
    assert!(safety.facets.is_empty() && safety.indices.is_empty());
    assert!(safety.items.len() >= 6);
}
