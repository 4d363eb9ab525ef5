//! Recovery codes just made, held in memory for the page that shows them:
//! the form that makes them answers with a redirect (post/redirect/get), so
//! a reload shows the same codes instead of asking to send the form again,
//! and they are never written anywhere but the person's screen. Each set
//! is held for its session only, until the person says they have kept
//! them, signs out, or ten minutes pass, whichever comes first. A restart
//! forgets them; the page then says so, and new ones can be made.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a new set stays viewable.
const HELD_FOR: Duration = Duration::from_secs(10 * 60);

/// At most this many sets are held at once; the oldest go first.
const MOST: usize = 10_000;

/// One set, for the page.
#[derive(Debug, Clone)]
pub struct FreshCodes {
    /// The codes, formatted for reading.
    pub codes: Vec<String>,
    /// Made at sign-up (the page goes on to home) or in settings.
    pub first: bool,
}

/// The sets held, by the session's token hash.
#[derive(Default)]
pub struct Shelf(Mutex<HashMap<String, (FreshCodes, Instant)>>);

impl Shelf {
    /// Holds `codes` for the session whose token hashes to `session`.
    pub fn put(&self, session: String, codes: FreshCodes) {
        let now = Instant::now();
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.retain(|_, (_, at)| now.duration_since(*at) < HELD_FOR);
        if held.len() >= MOST
            && let Some(oldest) = held
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(key, _)| key.clone())
        {
            held.remove(&oldest);
        }
        held.insert(session, (codes, now));
    }

    /// Forgets the set held for this session, if any.
    pub fn remove(&self, session: &str) {
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.remove(session);
    }

    /// The set held for this session, while it is fresh.
    pub fn get(&self, session: &str) -> Option<FreshCodes> {
        let held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.get(session)
            .filter(|(_, at)| at.elapsed() < HELD_FOR)
            .map(|(codes, _)| codes.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::{FreshCodes, Shelf};

    #[test]
    fn each_session_sees_only_its_own_set() {
        let shelf = Shelf::default();
        let set = |code: &str| FreshCodes {
            codes: vec![code.to_owned()],
            first: false,
        };
        shelf.put("one".into(), set("AAAA"));
        shelf.put("two".into(), set("BBBB"));
        shelf.put("one".into(), set("CCCC"));
        assert_eq!(shelf.get("one").unwrap().codes, ["CCCC"]);
        assert_eq!(shelf.get("two").unwrap().codes, ["BBBB"]);
        assert!(shelf.get("three").is_none());
        shelf.remove("one");
        assert!(shelf.get("one").is_none());
        assert_eq!(shelf.get("two").unwrap().codes, ["BBBB"]);
    }
}
