//! `tandem history`: every administration, oldest first, with its headline numbers.

use serde::Serialize;
use tandem_core::scoring::score;
use tandem_store::Administration;

use super::{Session, instrument_version, print_json};
use crate::render;

#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    administration: Administration,
    /// Index scores of a finished administration.
    indices: std::collections::BTreeMap<String, Option<f64>>,
    answered: usize,
    /// Its item ids in the order they are asked (the profile's own).
    item_order: Vec<String>,
    /// What the person wrote in it (a check-in's note), shown back to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Runs `history`.
pub async fn run(session: &Session, json: bool) -> anyhow::Result<()> {
    let mut entries = Vec::new();
    for administration in session.store.administrations(session.owner, None).await? {
        let instrument = instrument_version(&administration.instrument, &administration.version)?;
        let answers = session
            .store
            .answers(session.owner, &instrument, administration.id)
            .await?;
        let indices = if administration.completed_at.is_some() {
            score(&instrument, &answers)?
                .indices
                .into_iter()
                .map(|(id, s)| (id.to_string(), s.score))
                .collect()
        } else {
            Default::default()
        };
        let note = answers.iter().find_map(|(_, answer)| match answer {
            tandem_core::answers::Answer::Text(text) if !text.trim().is_empty() => {
                Some(text.clone())
            }
            _ => None,
        });
        let item_order = administration
            .items(&instrument)
            .iter()
            .map(|item| item.id.to_string())
            .collect();
        entries.push(Entry {
            administration,
            item_order,
            indices,
            answered: answers.len(),
            note,
        });
    }
    // The person's own safety screens: listed here, in their own view only.
    let screens = session.store.safety_screens(session.owner).await?;
    if json {
        let screens: Vec<_> = screens
            .iter()
            .map(|screen| {
                serde_json::json!({
                    "id": screen.id,
                    "started_at": screen.started_at,
                    "completed_at": screen.completed_at,
                    "answered": screen.answers.len(),
                })
            })
            .collect();
        return print_json(&serde_json::json!({
            "administrations": entries,
            "safety_screens": screens,
        }));
    }
    if entries.is_empty() {
        println!("Nothing taken yet. Start with `tandem assess rdp` or `tandem checkin`.");
    }
    for entry in &entries {
        let a = &entry.administration;
        let status = match &a.completed_at {
            Some(_) => entry
                .indices
                .iter()
                .map(|(id, s)| match s {
                    Some(x) => format!("{id} {x:.2}"),
                    None => format!("{id} not scored"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            None => format!(
                "unfinished ({} answered; `--resume` goes on)",
                entry.answered
            ),
        };
        println!(
            "{:>4}  {}  {:<8} about {:<14} {status}",
            a.id,
            render::date(&a.started_at),
            a.instrument,
            a.about
        );
        if let Some(note) = &entry.note {
            println!("      Your note: {note}");
        }
    }
    if !screens.is_empty() {
        println!(
            "You have {} safety check{} kept on this device; only you can see them. `tandem safety list` shows them, `tandem safety delete ID` deletes one.",
            screens.len(),
            if screens.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
