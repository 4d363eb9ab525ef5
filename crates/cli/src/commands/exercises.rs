//! `tandem exercises`: the plan's exercises in the terminal, sealed at rest
//! like everything the person writes.

use serde_json::{Map, Value};
use tandem_app::exercises::{KINDS, kind, needs_preview};
use tandem_store::ExerciseId;

use super::{Session, print_json};
use crate::args::ExercisesCommand;
use crate::failure::{bad_input, not_found};

fn known_kinds() -> String {
    KINDS.iter().map(|k| k.slug).collect::<Vec<_>>().join(", ")
}

/// Runs an `exercises` subcommand.
pub async fn run(session: &Session, command: &ExercisesCommand) -> anyhow::Result<()> {
    let now = super::plan::now();
    match command {
        ExercisesCommand::Fields { kind: slug } => {
            let found = kind(slug).ok_or_else(|| {
                not_found(format!("no exercise `{slug}`; known: {}", known_kinds()))
            })?;
            println!("{}: {}", found.title, found.intro);
            for field in found.fields {
                println!(
                    "  {:<10} {}{}",
                    field.name,
                    field.label,
                    if field.hint.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", field.hint)
                    }
                );
            }
            Ok(())
        }
        ExercisesCommand::Add { kind: slug, fields } => {
            let found = kind(slug).ok_or_else(|| {
                not_found(format!("no exercise `{slug}`; known: {}", known_kinds()))
            })?;
            let mut content = Map::new();
            for pair in fields {
                let (name, text) = pair
                    .split_once('=')
                    .ok_or_else(|| bad_input(format!("`{pair}`: expected FIELD=TEXT")))?;
                let field = found.field(name).ok_or_else(|| {
                    bad_input(format!(
                        "`{name}` is not a field of {slug} (see `tandem exercises fields {slug}`)"
                    ))
                })?;
                let text = found
                    .check(field, text)
                    .map_err(|err| bad_input(err.to_string()))?;
                content.insert(name.to_owned(), Value::String(text.into()));
            }
            if content
                .values()
                .all(|v| v.as_str().is_none_or(str::is_empty))
            {
                return Err(bad_input("write something in at least one field"));
            }
            let id = session
                .store
                .save_exercise(
                    session.owner,
                    found.slug,
                    None,
                    &Value::Object(content.clone()),
                    now,
                )
                .await?;
            println!("Saved as entry {id}.");
            if found.slug == "needs-statement" {
                let text = |k: &str| {
                    content
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned()
                };
                println!(
                    "How it could sound: {}",
                    needs_preview(
                        &text("feeling"),
                        &text("situation"),
                        &text("need"),
                        &text("request")
                    )
                );
            }
            Ok(())
        }
        ExercisesCommand::List { kind: slug, json } => {
            let entries = session
                .store
                .exercises(session.owner, slug.as_deref())
                .await?;
            if *json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                println!(
                    "Nothing written yet. `tandem exercises add KIND FIELD=TEXT …` starts one."
                );
            }
            for entry in &entries {
                println!(
                    "{:>4}  {}  {}",
                    entry.id,
                    tandem_core::dates::civil_date(entry.created_unix),
                    entry.kind
                );
                for (name, value) in entry.content.as_object().into_iter().flatten() {
                    println!("        {name}: {}", value.as_str().unwrap_or(""));
                }
                if !entry.ticks.is_empty() {
                    println!("        weeks ticked: {}", entry.ticks.join(", "));
                }
            }
            Ok(())
        }
        ExercisesCommand::Tick { id } => {
            let week = tandem_core::dates::iso_week(now);
            session
                .store
                .tick_week(session.owner, ExerciseId(*id), &week, true)
                .await?;
            println!("Ticked {week}.");
            Ok(())
        }
        ExercisesCommand::Delete { id } => {
            session
                .store
                .delete_exercise(session.owner, ExerciseId(*id))
                .await?;
            println!("Deleted entry {id}.");
            Ok(())
        }
    }
}
