//! Each administration's own order of items. Two partners who take the
//! profile see its items in orders of their own, so neither can follow the
//! other's answers by position, and no item always comes first for
//! everyone. Scores do not depend on the order: answers are kept by item id.
//!
//! The order comes from a seed kept with the administration, and must be the
//! same on every page, on every machine and after any upgrade while the
//! administration is open. So the shuffle is written here, Fisher–Yates
//! over ChaCha8 (whose stream for a seed is fixed), rather than taken from a
//! library whose shuffle may change between releases.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::instrument::{Instrument, Item, Kind};

/// Whether an administration of `instrument` gets an order of its own: the
/// profile does; the short forms keep theirs (the check-in's items build
/// on each other, and the safety screen is never shuffled).
pub fn shuffles(instrument: &Instrument) -> bool {
    instrument.kind == Kind::Profile
}

/// The positions `0..len` in the order `seed` gives.
pub fn permutation(len: usize, seed: i64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from_ne_bytes(seed.to_ne_bytes()));
    for last in (1..len).rev() {
        let pick = below(&mut rng, last + 1);
        order.swap(last, pick);
    }
    order
}

/// A uniform draw from `0..n`, by rejection, so that no value is favoured.
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = n as u64;
    // The largest multiple of n that fits; draws at or above it are redrawn.
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let draw = rng.next_u64();
        if draw < zone {
            return (draw % n) as usize;
        }
    }
}

/// The items of `instrument` in the order an administration with `seed`
/// asks them: its own order when it has a seed and the instrument
/// shuffles, else the instrument's.
pub fn ordered(instrument: &Instrument, seed: Option<i64>) -> Vec<&Item> {
    match seed {
        Some(seed) if shuffles(instrument) => permutation(instrument.items.len(), seed)
            .into_iter()
            .map(|at| &instrument.items[at])
            .collect(),
        _ => instrument.items.iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::instrument::builtin::builtin_by_id;

    fn form(id: &str) -> Instrument {
        builtin_by_id(id).unwrap().unwrap()
    }

    #[test]
    fn every_seed_gives_each_position_once() {
        for (len, seed) in [
            (0, 1),
            (1, 7),
            (2, -3),
            (48, 0),
            (48, i64::MAX),
            (48, i64::MIN),
        ] {
            let mut order = permutation(len, seed);
            order.sort_unstable();
            assert_eq!(
                order,
                (0..len).collect::<Vec<_>>(),
                "len {len}, seed {seed}"
            );
        }
    }

    #[test]
    fn an_order_never_changes_for_its_seed() {
        // Pinned: an open administration must read back in the order it was
        // begun with after any upgrade. A change here breaks that.
        assert_eq!(permutation(8, 42), permutation(8, 42));
        assert_eq!(permutation(8, 42), [5, 3, 2, 6, 7, 4, 0, 1]);
        assert_ne!(permutation(48, 1), permutation(48, 2));
    }

    #[test]
    fn each_order_of_three_is_about_as_likely() {
        // 6,000 seeds in a row: each of the six orders about 1,000 times.
        let mut seen: BTreeMap<Vec<usize>, u32> = BTreeMap::new();
        for seed in 0..6_000 {
            *seen.entry(permutation(3, seed)).or_default() += 1;
        }
        assert_eq!(seen.len(), 6);
        for (order, count) in seen {
            assert!((880..=1_120).contains(&count), "{order:?}: {count}");
        }
    }

    #[test]
    fn only_the_profile_is_shuffled_and_only_with_a_seed() {
        let (rdp, checkin) = (form("rdp"), form("checkin"));
        let ids = |items: Vec<&Item>| -> Vec<String> {
            items.iter().map(|item| item.id.to_string()).collect()
        };
        let plain = ids(rdp.items.iter().collect());
        assert_eq!(ids(ordered(&rdp, None)), plain);
        let shuffled = ids(ordered(&rdp, Some(9)));
        assert_ne!(shuffled, plain);
        let mut sorted = shuffled.clone();
        sorted.sort();
        let mut expected = plain.clone();
        expected.sort();
        assert_eq!(sorted, expected);
        assert_eq!(
            ids(ordered(&checkin, Some(9))),
            ids(checkin.items.iter().collect())
        );
    }
}
