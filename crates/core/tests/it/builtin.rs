//! The shipped instruments load and keep the content rules of DOMAIN.md.

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
fn every_item_reads_at_grade_eight_or_below() {
    for instrument in builtin().unwrap() {
        for item in &instrument.items {
            let text = item.text_about("my partner");
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
