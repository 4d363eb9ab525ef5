//! De-identified responses for research (`tandem analyze --from-store`) and
//! the deployment's reliability estimates: item values of finished
//! administrations of one instrument version, row by row, with no user,
//! date, name or free text. Only people who opted in to research use are
//! read, and only their first finished administration of that version, so
//! every count counts people and nobody weighs more than once. Safety
//! answers live in other tables and are never read here.
//!
//! `item_sums` adds the same rows up inside the database, in one statement
//! of `GROUP BY` aggregates (`PAIR_SUMS`): only `p²` sums come back,
//! however many rows there are, and plain aggregates are what a
//! distributed engine (Citus) can push down to its nodes.

use sqlx::Row;
use tandem_core::instrument::Instrument;

use crate::prelude::*;
use tandem_store::{ItemSums, PairTotals};

/// Administrations read per query, so memory stays small on a large store.
const PAGE: i64 = 500;

/// The sums of every pair of items over the rows `for_each_response`
/// reads (the first finished administration of each consenting person; a
/// value is present when it is a number, a code or no answer is missing),
/// kept apart for complete rows (every item of `$3` has a value; `$4` is
/// their number) and the others.
///
/// A self-join of the answers would make `p²/2` tuples a row; this makes
/// `p`. Each row's values, shifted by the scale's minimum `$5` so that
/// none is negative, are packed into one integer, `xs = Σⱼ x′ⱼ·10^(d·j)`
/// (and its presence mask into `ms = Σⱼ 10^(d·j)`), where `d` digits hold
/// any sum of the whole query: `rows · span²` with `$6` the scale's span.
/// Then `SUM(x′ᵢ · xs)` grouped by item `i` is, field by field, `Σ x′ᵢx′ⱼ`
/// for every `j` at once, and likewise `Σ x′ᵢmⱼ`, `Σ x′ᵢ²mⱼ` and `Σ mᵢmⱼ`.
/// `numeric` is exact, so every field is the integer sum itself, whatever
/// order the database (or a distributed engine's nodes) added it up in.
/// The row with `pos = 0` carries the number of rows and `d`, so
/// everything comes from one snapshot.
const PAIR_SUMS: &str = "
WITH firsts AS (
    SELECT MIN(d.id) AS id FROM administrations d
    JOIN users u ON u.id = d.owner_id AND u.research_opt_in
    WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL
    GROUP BY d.owner_id
),
picked AS (
    SELECT a.administration_id AS row_id, k.pos, a.value, a.value - $5 AS x
    FROM answers a
    JOIN firsts f ON f.id = a.administration_id
    JOIN unnest($3::text[]) WITH ORDINALITY AS k(item_id, pos) ON k.item_id = a.item_id
    WHERE a.value IS NOT NULL
),
width AS (
    SELECT COUNT(*) AS rows,
           length(GREATEST(COUNT(*) * $6::numeric * $6, COUNT(*))::text) AS digits
    FROM firsts
),
places AS (
    SELECT k.pos, ('1' || repeat('0', (w.digits * (k.pos - 1))::int))::numeric AS place
    FROM generate_series(1, $4) AS k(pos), width w
),
packed AS (
    SELECT p.row_id, COUNT(*) = $4 AS complete, SUM(p.x * l.place) AS xs, SUM(l.place) AS ms
    FROM picked p JOIN places l ON l.pos = p.pos
    GROUP BY p.row_id
)
SELECT p.pos, r.complete, COUNT(*) AS n,
       SUM(p.x)::text AS sx,
       SUM(p.x * p.x)::text AS sxx,
       MIN(p.value) AS lo,
       MAX(p.value) AS hi,
       SUM(p.x * r.xs)::text AS xy,
       (SUM(p.x * r.ms) FILTER (WHERE NOT r.complete))::text AS xm,
       (SUM(p.x * p.x * r.ms) FILTER (WHERE NOT r.complete))::text AS qm,
       (SUM(r.ms) FILTER (WHERE NOT r.complete))::text AS mm,
       NULL::int AS digits
FROM picked p
JOIN packed r ON r.row_id = p.row_id
GROUP BY p.pos, r.complete
UNION ALL
SELECT 0, false, w.rows, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, w.digits FROM width w";

/// One item's sums over one kind of row, as `PAIR_SUMS` gives them, with
/// values shifted by the scale's minimum; the vectors are indexed by the
/// other item.
struct Shifted {
    xy: Vec<i128>,
    xm: Vec<i128>,
    qm: Vec<i128>,
    mm: Vec<i128>,
}

/// An integer `PAIR_SUMS` wrote as text.
fn integer(text: &str) -> Result<i128, StoreError> {
    text.parse()
        .map_err(|_| StoreError::corrupt(format!("a research sum reads {text:?}")))
}

/// The `p` fields of `digits` digits each of a packed sum, lowest first.
fn fields(text: &str, p: usize, digits: usize) -> Result<Vec<i128>, StoreError> {
    if text.len() > p * digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::corrupt(format!(
            "a packed research sum of {} digits for {p} fields of {digits}",
            text.len()
        )));
    }
    let padded = format!("{text:0>width$}", width = p * digits);
    (0..p)
        .map(|j| {
            let end = padded.len() - j * digits;
            integer(&padded[end - digits..end])
        })
        .collect()
}

#[async_trait::async_trait]
impl tandem_store::engine::ResearchData for PgStore {
    async fn count_finished(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
    ) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT d.owner_id) FROM administrations d
             JOIN users u ON u.id = d.owner_id AND u.research_opt_in
             WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL",
        )
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn research_fingerprint(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
    ) -> Result<(u64, i64, i64), StoreError> {
        let (count, sum, max): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(first), 0)::bigint, COALESCE(MAX(first), 0) FROM (
                 SELECT MIN(d.id) AS first FROM administrations d
                 JOIN users u ON u.id = d.owner_id AND u.research_opt_in
                 WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL
                 GROUP BY d.owner_id) AS firsts",
        )
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(count).unwrap_or(0), sum, max))
    }

    async fn for_each_response(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
        items: &[String],
        row: &mut (dyn for<'v> FnMut(&'v [Option<f64>]) -> Result<(), String> + Send),
    ) -> Result<u64, StoreError> {
        let mut after = 0i64;
        let mut count = 0u64;
        let mut values = vec![None; items.len()];
        loop {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT MIN(d.id) AS first FROM administrations d
                 JOIN users u ON u.id = d.owner_id AND u.research_opt_in
                 WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL
                 GROUP BY d.owner_id HAVING MIN(d.id) > $3
                 ORDER BY first LIMIT $4",
            )
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            let Some(&last) = ids.last() else {
                return Ok(count);
            };
            // Only the page's own administrations: nobody else's answers are read.
            let mut query = sqlx::QueryBuilder::new(
                "SELECT administration_id, item_id, value FROM answers
                 WHERE value IS NOT NULL AND administration_id IN (",
            );
            let mut list = query.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY administration_id");
            let answers = query.build().fetch_all(&self.pool).await?;
            let mut at = 0;
            for id in &ids {
                values.iter_mut().for_each(|v| *v = None);
                while let Some(answer) = answers.get(at) {
                    let of: i64 = answer.try_get("administration_id")?;
                    if of != *id {
                        break;
                    }
                    let item: String = answer.try_get("item_id")?;
                    let value: i64 = answer.try_get("value")?;
                    if let Some(slot) = items.iter().position(|i| *i == item) {
                        values[slot] = Some(value as f64);
                    }
                    at += 1;
                }
                row(&values).map_err(|message| StoreError::invalid("row", message))?;
                count += 1;
            }
            after = last;
        }
    }

    async fn item_sums(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
        items: &[String],
    ) -> Result<Option<ItemSums>, StoreError> {
        for (k, item) in items.iter().enumerate() {
            if items[..k].contains(item) {
                return Err(StoreError::invalid(
                    "items",
                    format!("{item} is named twice"),
                ));
            }
        }
        let p = items.len();
        let (shift, top) = (instrument.scale.min, instrument.scale.max);
        let found = sqlx::query(PAIR_SUMS)
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(items)
            .bind(i64::try_from(p).unwrap_or(i64::MAX))
            .bind(shift)
            .bind(top - shift)
            .fetch_all(&self.pool)
            .await?;
        let mut sums = ItemSums::new(items.to_vec());
        let digits = found
            .iter()
            .find_map(|row| row.try_get::<Option<i32>, _>("digits").ok().flatten())
            .and_then(|d| usize::try_from(d).ok())
            .ok_or_else(|| StoreError::corrupt("research sums without their width"))?;
        // By item, then complete rows (1) or not (0).
        let mut shifted: Vec<[Option<Shifted>; 2]> = (0..p).map(|_| [None, None]).collect();
        for row in &found {
            let pos: i64 = row.try_get("pos")?;
            let n = i128::from(row.try_get::<i64, _>("n")?);
            if pos == 0 {
                sums.set_rows(u64::try_from(n).unwrap_or(0));
                continue;
            }
            // Positions count from 1 (WITH ORDINALITY).
            let i = usize::try_from(pos - 1)
                .ok()
                .filter(|&i| i < p)
                .ok_or_else(|| StoreError::corrupt(format!("research item position {pos}")))?;
            let (lo, hi): (i64, i64) = (row.try_get("lo")?, row.try_get("hi")?);
            // The packing holds values on the scale only.
            if lo < shift || hi > top {
                return Err(StoreError::corrupt(format!(
                    "an answer to {} off the scale {shift} to {top}",
                    items[i]
                )));
            }
            let range = match sums.range(i) {
                Some((a, b)) => (a.min(lo as f64), b.max(hi as f64)),
                None => (lo as f64, hi as f64),
            };
            sums.set_range(i, Some(range));
            let complete: bool = row.try_get("complete")?;
            let packed = |column: &str| -> Result<Vec<i128>, StoreError> {
                fields(&row.try_get::<String, _>(column)?, p, digits)
            };
            let xy = packed("xy")?;
            let entry = if complete {
                // Every item is present in these rows.
                let sx = integer(&row.try_get::<String, _>("sx")?)?;
                let sxx = integer(&row.try_get::<String, _>("sxx")?)?;
                Shifted {
                    xy,
                    xm: vec![sx; p],
                    qm: vec![sxx; p],
                    mm: vec![n; p],
                }
            } else {
                Shifted {
                    xy,
                    xm: packed("xm")?,
                    qm: packed("qm")?,
                    mm: packed("mm")?,
                }
            };
            shifted[i][usize::from(complete)] = Some(entry);
        }
        // Back from x′ = x − shift: Σx = Σx′ + s·n, Σx² = Σx′² + 2s·Σx′ + s²·n,
        // Σxy = Σx′y′ + s·(Σx′ + Σy′) + s²·n, in integers, so still exact.
        let s = i128::from(shift);
        for i in 0..p {
            for j in i..p {
                for complete in [false, true] {
                    let k = usize::from(complete);
                    let (Some(a), Some(b)) = (&shifted[i][k], &shifted[j][k]) else {
                        continue;
                    };
                    let n = a.mm[j];
                    let (sx, sy) = (a.xm[j], b.xm[i]);
                    let totals = PairTotals {
                        n: n as f64,
                        sum_x: (sx + s * n) as f64,
                        sum_y: (sy + s * n) as f64,
                        sum_xx: (a.qm[j] + 2 * s * sx + s * s * n) as f64,
                        sum_yy: (b.qm[i] + 2 * s * sy + s * s * n) as f64,
                        sum_xy: (a.xy[j] + s * (sx + sy) + s * s * n) as f64,
                    };
                    sums.set_pair(i, j, complete, totals);
                }
            }
        }
        Ok(Some(sums))
    }

    async fn research_consent(&self, owner: Owner) -> Result<bool, StoreError> {
        let owner = owner.id();
        sqlx::query_scalar("SELECT research_opt_in FROM users WHERE id = $1")
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "user",
                id: owner.0,
            })
    }

    async fn set_research_consent(&self, owner: Owner, consent: bool) -> Result<(), StoreError> {
        let owner = owner.id();
        let changed = write_tx!(self, |tx| {
            sqlx::query("UPDATE users SET research_opt_in = $1 WHERE id = $2")
                .bind(consent)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?
        })?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: owner.0,
            });
        }
        Ok(())
    }
}
