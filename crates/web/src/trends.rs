//! The trends over time: a person's overall scores at each profile and
//! their weekly pulse, read from the scores kept beside each administration
//! (one query), condensed to at most [`MAX_POINTS`] points, drawn once and
//! cached under the person's scores version, which the store raises with
//! every change to those scores. A year of weekly check-ins therefore costs
//! a view what one check-in does: one small query when the drawing is
//! cached, and a bounded drawing when it is not. The cache is per process;
//! the version lives in the database, so several app instances on one
//! database each know when theirs is stale.

use std::sync::Arc;

use tandem_core::moments::{TimeZoneName, month, unix_of, year};
use tandem_store::{Owner, RelationshipId, Store};

use crate::AppError;
use crate::charts::{self, Trends};
use tandem_app::Content;

/// The newest results each get a point of their own.
pub const RECENT: usize = 12;

/// No trend has more points than this: older results are grouped by month,
/// then by year, then by runs of years, until the whole fits.
pub const MAX_POINTS: usize = 36;

/// Bytes of drawn trends kept in memory; the least used go first. A drawing
/// is about 10–20 KB, so this keeps several hundred people's.
const CACHED_BYTES: u64 = 8 * 1024 * 1024;

/// A drawing's weight in the cache: its bytes.
#[derive(Clone)]
struct Bytes;

impl quick_cache::Weighter<Owner, Arc<Entry>> for Bytes {
    fn weight(&self, _: &Owner, entry: &Arc<Entry>) -> u64 {
        let drawn = entry.trends.as_ref().map_or(0, |t| {
            t.svg.len() + t.rows.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>()
        });
        (drawn + entry.zone.len() + 64) as u64
    }
}

/// One finished administration on the timeline: when, and its value on
/// each series (`None` where it has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    /// When it was finished (Unix seconds).
    pub unix: i64,
    /// One value per series.
    pub values: Vec<Option<f64>>,
}

/// One point of a drawn trend: a result of its own, or the mean of a
/// group of older ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The month or years a group stands for; `None` for a single result.
    pub span: Option<String>,
    /// How many results it stands for.
    pub count: usize,
    /// Per series, the mean of the values the group has.
    pub values: Vec<Option<f64>>,
}

/// The points to draw for `moments` (oldest first): every one while they
/// fit in [`MAX_POINTS`]; else the newest [`RECENT`] as they are, and the
/// older ones grouped by month in `zone`, or by year, or by runs of years
/// when even the years do not fit.
pub fn condense(moments: &[Moment], zone: &TimeZoneName) -> Vec<Point> {
    if moments.len() <= MAX_POINTS {
        return moments.iter().map(|m| mean(None, &[m])).collect();
    }
    let (older, recent) = moments.split_at(moments.len() - RECENT);
    let room = MAX_POINTS - RECENT;
    let mut groups = group_by(older, |unix| month(unix, zone));
    if groups.len() > room {
        groups = group_by(older, |unix| year(unix, zone));
    }
    if groups.len() > room {
        // Runs of whole years, as even as they come.
        let run = groups.len().div_ceil(room);
        groups = groups
            .chunks(run)
            .map(|chunk| {
                let first = &chunk[0].0;
                let last = &chunk[chunk.len() - 1].0;
                let span = if first == last {
                    first.clone()
                } else {
                    format!("{first} to {last}")
                };
                (
                    span,
                    chunk.iter().flat_map(|(_, m)| m.iter().copied()).collect(),
                )
            })
            .collect();
    }
    groups
        .iter()
        .map(|(span, members)| mean(Some(span.clone()), members))
        .chain(recent.iter().map(|m| mean(None, &[m])))
        .collect()
}

/// Consecutive moments with the same `key`, in order.
fn group_by(moments: &[Moment], key: impl Fn(i64) -> String) -> Vec<(String, Vec<&Moment>)> {
    let mut groups: Vec<(String, Vec<&Moment>)> = Vec::new();
    for moment in moments {
        let k = key(moment.unix);
        match groups.last_mut() {
            Some((last, members)) if *last == k => members.push(moment),
            _ => groups.push((k, vec![moment])),
        }
    }
    groups
}

fn mean(span: Option<String>, members: &[&Moment]) -> Point {
    let series = members.first().map_or(0, |m| m.values.len());
    let values = (0..series)
        .map(|s| {
            let present: Vec<f64> = members.iter().filter_map(|m| m.values[s]).collect();
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
        })
        .collect();
    Point {
        span,
        count: members.len(),
        values,
    }
}

/// Drawn trends kept per person, each under the scores version and zone it
/// was drawn for.
pub struct Drawn {
    cache: quick_cache::sync::Cache<Owner, Arc<Entry>, Bytes>,
}

struct Entry {
    version: i64,
    zone: String,
    relationship: RelationshipId,
    trends: Option<Trends>,
}

impl Default for Drawn {
    fn default() -> Self {
        Self {
            cache: quick_cache::sync::Cache::with_weighter(512, CACHED_BYTES, Bytes),
        }
    }
}

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drawn")
            .field("people", &self.cache.len())
            .finish()
    }
}

/// The trend chart of overall scores and the weekly pulse about one
/// relationship, when it has at least two results; kept in `drawn` (when
/// given) under the person's scores version.
pub async fn trend_chart(
    store: &Store,
    content: &Content,
    drawn: Option<&Drawn>,
    (user, relationship): (Owner, RelationshipId),
    zone: &TimeZoneName,
) -> Result<Option<Trends>, AppError> {
    tandem_app::results::ensure_scored(store, content, user).await?;
    let Some(drawn) = drawn else {
        return draw(store, content, (user, relationship), zone).await;
    };
    let version = store.scores_version(user).await?;
    if let Some(entry) = drawn.cache.get(&user)
        && entry.version == version
        && entry.zone == zone.as_str()
        && entry.relationship == relationship
    {
        return Ok(entry.trends.clone());
    }
    let trends = draw(store, content, (user, relationship), zone).await?;
    drawn.cache.insert(
        user,
        Arc::new(Entry {
            version,
            zone: zone.as_str().to_owned(),
            relationship,
            trends: trends.clone(),
        }),
    );
    Ok(trends)
}

/// The RDP's indices, then the pulse: the series, in the order drawn.
async fn draw(
    store: &Store,
    content: &Content,
    (user, relationship): (Owner, RelationshipId),
    zone: &TimeZoneName,
) -> Result<Option<Trends>, AppError> {
    let rdp = &content.rdp;
    let pulse = rdp.indices.len();
    let moments: Vec<Moment> = store
        .score_points(user)
        .await?
        .into_iter()
        // An incomplete administration is no point on a trend, nor one
        // about someone else.
        .filter(|p| p.relationship == relationship)
        .filter(|p| p.complete && (p.instrument == "rdp" || p.instrument == "checkin"))
        .map(|p| {
            let mut values = vec![None; pulse + 1];
            if p.instrument == "rdp" {
                for (slot, index) in values.iter_mut().zip(&rdp.indices) {
                    *slot = p.indices.get(index.id.as_str()).copied();
                }
            } else {
                values[pulse] = p.indices.values().next().copied();
            }
            Moment {
                unix: unix_of(&p.completed_at).unwrap_or_default(),
                values,
            }
        })
        .collect();
    if moments.len() < 2 {
        return Ok(None);
    }
    let points = condense(&moments, zone);
    let names = rdp
        .indices
        .iter()
        .map(|i| i.name.clone())
        .chain(std::iter::once("Weekly pulse".to_owned()));
    let series: Vec<(String, Vec<(usize, f64)>)> = names
        .enumerate()
        .map(|(s, name)| {
            let values = points
                .iter()
                .enumerate()
                .filter_map(|(x, point)| Some((x, point.values[s]?)))
                .collect();
            (name, values)
        })
        .filter(|(_, values): &(String, Vec<(usize, f64)>)| !values.is_empty())
        .collect();
    let mut trends = charts::trends(&series, points.len(), (rdp.scale.min, rdp.scale.max));
    let groups: Vec<&str> = points.iter().filter_map(|p| p.span.as_deref()).collect();
    // A run of years is "2024 to 2026": the sentence names the first
    // span's start and the last span's end.
    let first = groups.first().and_then(|g| g.split(" to ").next());
    let last = groups.last().and_then(|g| g.rsplit(" to ").next());
    if let (Some(first), Some(last)) = (first, last) {
        trends.grouped = Some(format!(
            "Your latest {RECENT} results each have a point of their own. The {} before them are shown as averages, one point for each span of time from {first} to {last}.",
            moments.len() - RECENT
        ));
    }
    Ok(Some(trends))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` moments a week apart from 1 January 2024, with one series.
    fn weekly(n: usize) -> Vec<Moment> {
        (0..n)
            .map(|i| Moment {
                unix: 1_704_067_200 + i as i64 * 7 * 86_400,
                values: vec![Some(i as f64)],
            })
            .collect()
    }

    #[test]
    fn a_trend_never_has_more_points_than_the_bound_and_keeps_the_newest_as_they_are() {
        let utc = TimeZoneName::utc();
        // (moments, points expected)
        let cases = [
            (1, 1),
            (MAX_POINTS, MAX_POINTS),
            // 37 weeks: 25 older ones in 6 months (Jan to Jun 2024) + 12.
            (MAX_POINTS + 1, 6 + RECENT),
            // 200 weeks (nearly 4 years): 48 months do not fit; 4 years do.
            (200, 4 + RECENT),
            // 60 years of weekly check-ins (2024 to 2083): runs of 3 years.
            (60 * 52, 20 + RECENT),
        ];
        for (n, expected) in cases {
            let moments = weekly(n);
            let points = condense(&moments, &utc);
            assert_eq!(points.len(), expected, "{n} moments");
            assert!(points.len() <= MAX_POINTS, "{n} moments");
            assert_eq!(points.iter().map(|p| p.count).sum::<usize>(), n, "{n}");
            // The newest are their own points, with their own values.
            let newest = &points[points.len() - 1];
            assert_eq!(newest.span, None);
            assert_eq!(newest.values, vec![Some((n - 1) as f64)]);
        }
    }

    #[test]
    fn a_group_is_the_mean_of_what_its_members_have_and_is_named_by_its_month() {
        let utc = TimeZoneName::utc();
        let mut moments = weekly(MAX_POINTS + 1);
        // The first week has no value on the series: it does not count in the mean.
        moments[0].values = vec![None];
        let points = condense(&moments, &utc);
        assert_eq!(points[0].span.as_deref(), Some("January 2024"));
        assert_eq!(points[0].count, 5);
        // Weeks 1..=4 of January (values 1, 2, 3, 4).
        assert_eq!(points[0].values, vec![Some(2.5)]);
    }

    #[test]
    fn months_follow_the_persons_zone() {
        // 31 January 2024 23:30 UTC is already February in Auckland.
        let late = 1_706_743_800;
        let auckland = TimeZoneName::parse("Pacific/Auckland").unwrap();
        assert_eq!(month(late, &TimeZoneName::utc()), "January 2024");
        assert_eq!(month(late, &auckland), "February 2024");
    }
}
