//! The statistics of research rows, for `analyze --from-store` and the
//! reliability estimates alike: summed in the database where the engine
//! can (`ResearchData::item_sums`), else streamed row by row through
//! [`Accumulator`]; the two give the same [`Moments`].

use tandem_core::instrument::Instrument;
use tandem_stats::moments::{Accumulator, Moments, PairSums};
use tandem_store::{ItemSums, Research, Store, StoreError};

/// The statistics of `items` over the first finished administration of
/// each person who opted in to research, for this version of `instrument`,
/// with every value as stored (nothing reverse-keyed yet).
pub async fn item_moments(
    store: &Store,
    research: &Research,
    instrument: &Instrument,
    items: &[String],
) -> Result<Moments, StoreError> {
    if let Some(sums) = store.item_sums(research, instrument, items).await? {
        return Ok(moments_from(&sums));
    }
    let mut acc = Accumulator::new(items.to_vec());
    store
        .for_each_response(research, instrument, items, &mut |row| {
            acc.push(row).map_err(|e| e.to_string())
        })
        .await?;
    Ok(acc.finish())
}

/// The engine's sums as the stats crate keeps them.
pub fn moments_from(sums: &ItemSums) -> Moments {
    Moments::from_pair_sums(
        sums.items().to_vec(),
        sums.rows(),
        |i, j, complete| {
            let t = sums.pair(i, j, complete);
            PairSums {
                n: t.n,
                sx: t.sum_x,
                sy: t.sum_y,
                sxx: t.sum_xx,
                syy: t.sum_yy,
                sxy: t.sum_xy,
            }
        },
        |i| sums.range(i),
    )
}
