//! `tandem instruments`: list, show and validate instrument definitions.

use serde_json::json;
use tandem_core::instrument::builtin::builtin;
use tandem_core::instrument::{Instrument, load_instrument};

use super::{instrument, print_json};
use crate::args::InstrumentsCommand;
use crate::failure::bad_input;

/// Runs an `instruments` subcommand.
pub fn run(command: &InstrumentsCommand) -> anyhow::Result<()> {
    match command {
        InstrumentsCommand::List(flag) => {
            let all = builtin()?;
            if flag.json {
                let rows: Vec<_> = all
                    .iter()
                    .map(|i| json!({ "id": i.id, "version": i.version, "name": i.name, "kind": i.kind, "items": i.items.len() }))
                    .collect();
                return print_json(&rows);
            }
            for i in &all {
                println!(
                    "{:<8} {:<8} {:<36} {} items",
                    i.id,
                    i.version,
                    i.name,
                    i.items.len()
                );
            }
            Ok(())
        }
        InstrumentsCommand::Show { id, json, version } => {
            let found = match version {
                Some(version) => super::instrument_version(id, version)?,
                None => instrument(id)?,
            };
            if *json {
                print_json(&describe(&found))
            } else {
                print!("{}", text(&found));
                Ok(())
            }
        }
        InstrumentsCommand::Validate { file } => {
            let name = file.display().to_string();
            let source = std::fs::read_to_string(file)
                .map_err(|err| bad_input(format!("{name}: cannot read: {err}")))?;
            let found =
                load_instrument(&name, &source).map_err(|err| bad_input(err.to_string()))?;
            println!(
                "{name}: valid — {} {} ({} items, {} facets, {} indices)",
                found.id,
                found.version,
                found.items.len(),
                found.facets.len(),
                found.indices.len()
            );
            Ok(())
        }
    }
}

/// The JSON shape of `instruments show --json`.
pub fn describe(instrument: &Instrument) -> serde_json::Value {
    json!({
        "id": instrument.id,
        "version": instrument.version,
        "name": instrument.name,
        "kind": instrument.kind,
        "voice": instrument.voice,
        "scale": instrument.scale,
        "scoring": instrument.scoring,
        "bands": instrument.bands,
        "items": instrument.items.iter().map(|item| json!({
            "id": item.id,
            "text": item.text,
            "facet": item.facet,
            "reverse": item.reverse,
            "response": item.response,
            "optional": item.optional,
            "signals": item.signals,
            "level": item.level,
        })).collect::<Vec<_>>(),
        "facets": instrument.facets.iter().map(|facet| json!({
            "id": facet.id,
            "name": facet.name,
            "cluster": facet.cluster,
            "items": instrument.items_of(&facet.id).map(|item| &item.id).collect::<Vec<_>>(),
            "reliability": facet.precision.map(|p| p.reliability),
            "sd": facet.precision.map(|p| p.sd),
        })).collect::<Vec<_>>(),
        "indices": instrument.indices.iter().map(|index| json!({
            "id": index.id,
            "name": index.name,
            "facets": index.facets,
        })).collect::<Vec<_>>(),
    })
}

fn text(instrument: &Instrument) -> String {
    let mut out = format!(
        "{} ({} {}), {} items, scale {}–{}\n",
        instrument.name,
        instrument.id,
        instrument.version,
        instrument.items.len(),
        instrument.scale.min,
        instrument.scale.max
    );
    for code in &instrument.scale.codes {
        out.push_str(&format!(
            "  also: \"{}\" ({}), counted as missing\n",
            code.label,
            code.code.as_str()
        ));
    }
    for item in &instrument.items {
        let facet = item.facet.as_ref().map_or("-", |f| f.as_str());
        let reverse = if item.reverse { " (reversed)" } else { "" };
        let signals = match item.signals {
            Some(tandem_core::instrument::Signal::Coercion) => " (signals coercion)",
            Some(tandem_core::instrument::Signal::Safety) => " (safety item, not in the pulse)",
            None => "",
        };
        out.push_str(&format!(
            "  {:<5} {:<6} {}{reverse}{signals}\n",
            item.id, facet, item.text
        ));
    }
    out
}
