//! "How I think my partner answered", as the person on one side of a link
//! sees it: the few items to guess with their own guesses, and, in the
//! comparison, how closely each reads the other. Both must take part;
//! the other's answers reach this person only as their accuracy, or item
//! by item when the other shares items anyway.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::couple::{Reading, check_guesses, guess_items, reading};
use tandem_core::instrument::{Instrument, OtherPerson};
use tandem_store::{Guessing, LinkId, Owner, PartnerGrant, Store, StoreError};

use crate::ServiceError;

/// One item of the guessing part, with this person's own guess.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuessItem {
    /// The item id.
    pub item: String,
    /// The item as the partner read it ("my partner" being this person).
    pub text: String,
    /// This person's guess of the partner's answer, if made.
    pub guess: Option<i64>,
}

/// The guessing part of a link as its owner keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuessForm {
    /// This person's consent: `off`, `private` or `shown`.
    pub guessing: Guessing,
    /// The items to guess, in the order asked.
    pub items: Vec<GuessItem>,
}

/// One guessed item beside the answer it guessed, when that answer may be
/// seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guessed {
    /// The item id.
    pub item: String,
    /// The item's wording.
    pub text: String,
    /// The guess.
    pub guess: i64,
    /// The answer guessed at: always for the partner's guesses of this
    /// person (it is this person's own), for this person's guesses only
    /// when the partner shares items.
    pub answer: Option<i64>,
}

/// How one side reads the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingOf {
    /// How closely the guesses match; none until a guessed item can be
    /// compared.
    pub reading: Option<Reading>,
    /// The guesses, item by item.
    pub items: Vec<Guessed>,
}

/// The guessing part of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuessingView {
    /// Whether both take part; when not, nothing else is shown.
    pub both_take_part: bool,
    /// How this person reads the partner.
    pub mine: Option<ReadingOf>,
    /// How the partner reads this person, when the partner shows it.
    pub theirs: Option<ReadingOf>,
}

/// The items asked, worded as the partner read them.
fn asked(instrument: &Instrument) -> Vec<(String, String)> {
    let other = OtherPerson::new("my partner");
    guess_items(instrument)
        .into_iter()
        .map(|item| (item.id.to_string(), instrument.text_of(item, &other)))
        .collect()
}

/// `user`'s guessing part of link `link`. `NotFound` for a link not theirs.
pub async fn form(
    store: &Store,
    instrument: &Instrument,
    user: Owner,
    link: LinkId,
) -> Result<GuessForm, ServiceError> {
    let own = store
        .links(user)
        .await?
        .into_iter()
        .find(|l| l.id == link)
        .ok_or(ServiceError::not_found("link", link.0))?;
    let guesses = store.guesses(user, link).await?;
    Ok(GuessForm {
        guessing: own.guessing,
        items: asked(instrument)
            .into_iter()
            .map(|(item, text)| GuessItem {
                guess: guesses.get(&item).copied(),
                item,
                text,
            })
            .collect(),
    })
}

/// Keeps `guesses` as `user`'s whole set for link `link`, after checking
/// each names an item asked and a point of the scale (`Invalid`, field
/// `guesses.ITEM`, otherwise, with nothing stored).
pub async fn save(
    store: &Store,
    instrument: &Instrument,
    user: Owner,
    link: LinkId,
    guesses: &BTreeMap<String, i64>,
) -> Result<(), ServiceError> {
    if let Err(err) = check_guesses(instrument, guesses) {
        let item = match &err {
            tandem_core::couple::GuessError::NotAsked(item)
            | tandem_core::couple::GuessError::OffScale { item, .. } => item.clone(),
        };
        return Err(StoreError::invalid(format!("guesses.{item}"), err.to_string()).into());
    }
    Ok(store.save_guesses(user, link, guesses).await?)
}

/// The guessing part of the comparison for `user` through their `grant`:
/// `mine_answers` are
/// this person's own latest answers, `their_items` the partner's answers
/// when they share items. `NotFound` when the link ended meanwhile.
pub async fn view(
    store: &Store,
    instrument: &Instrument,
    (user, grant): (Owner, &PartnerGrant),
    mine_answers: &BTreeMap<String, i64>,
    their_items: Option<&BTreeMap<String, i64>>,
) -> Result<GuessingView, ServiceError> {
    let span = instrument.scale.max - instrument.scale.min;
    let partner = store.partner_guessing(grant).await?.view(span);
    if !partner.both_take_part {
        return Ok(GuessingView::default());
    }
    let my_guesses = store.guesses(user, grant.link()).await?;
    let texts = asked(instrument);
    let items_of = |guesses: &BTreeMap<String, i64>, answers: Option<&BTreeMap<String, i64>>| {
        texts
            .iter()
            .filter_map(|(item, text)| {
                Some(Guessed {
                    item: item.clone(),
                    text: text.clone(),
                    guess: *guesses.get(item)?,
                    answer: answers.and_then(|a| a.get(item).copied()),
                })
            })
            .collect::<Vec<_>>()
    };
    let mine = (!my_guesses.is_empty()).then(|| ReadingOf {
        reading: partner.mine,
        items: items_of(&my_guesses, their_items),
    });
    let theirs = partner.theirs.map(|guesses| ReadingOf {
        reading: reading(&guesses, mine_answers, span),
        items: items_of(&guesses, Some(mine_answers)),
    });
    Ok(GuessingView {
        both_take_part: true,
        mine,
        theirs,
    })
}
