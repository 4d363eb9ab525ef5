//! `tandem network`: the support map and its metrics.

use serde_json::json;
use tandem_core::input::PersonName;
use tandem_core::network::{Domain, Level, Role, Supporter, analyse};
use tandem_store::SupporterId;
use tandem_store::network::as_support_map;

use super::{Session, print_json};
use crate::args::{NetworkAdd, NetworkCommand};
use crate::failure::bad_input;

/// Runs a `network` subcommand.
pub async fn run(session: &Session, command: &NetworkCommand) -> anyhow::Result<()> {
    match command {
        NetworkCommand::Add(args) => add(session, args).await,
        NetworkCommand::List(flag) => list(session, flag.json).await,
        NetworkCommand::Show(flag) => show(session, flag.json).await,
        NetworkCommand::Remove { id } => {
            session
                .store
                .remove_supporter(session.owner, SupporterId(*id))
                .await?;
            println!("Removed person {id} from your map.");
            Ok(())
        }
    }
}

/// Parses `DOMAIN=LEVEL`, naming the flag and the value when it does not fit.
fn parse_level(flag: &str, text: &str) -> anyhow::Result<(Domain, Level)> {
    let (domain, level) = text.split_once('=').ok_or_else(|| {
        bad_input(format!(
            "--{flag} {text}: expected DOMAIN=LEVEL, such as emotional=3"
        ))
    })?;
    let domain: Domain = domain
        .trim()
        .parse()
        .map_err(|err| bad_input(format!("--{flag} {text}: {err}")))?;
    let level = level
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(|value| Level::new(value).ok())
        .ok_or_else(|| bad_input(format!("--{flag} {text}: the level must be 0 to 4")))?;
    Ok((domain, level))
}

async fn add(session: &Session, args: &NetworkAdd) -> anyhow::Result<()> {
    let name = PersonName::parse(&args.name).map_err(|err| bad_input(err.to_string()))?;
    let role: Role = args
        .role
        .parse()
        .map_err(|err| bad_input(format!("--role: {err}")))?;
    let mut supporter = Supporter::new(name.as_str(), role);
    for text in &args.lean {
        let (domain, level) = parse_level("lean", text)?;
        supporter.leans_on.insert(domain, level);
    }
    for text in &args.back {
        let (domain, level) = parse_level("back", text)?;
        supporter.leans_back.insert(domain, level);
    }
    let id = session
        .store
        .add_supporter(session.owner, &supporter)
        .await?;
    if args.json {
        return print_json(&json!({ "id": id, "person": supporter }));
    }
    println!(
        "Added {} ({}) as person {id}.",
        supporter.name,
        role.as_str()
    );
    Ok(())
}

async fn list(session: &Session, json: bool) -> anyhow::Result<()> {
    let people = session.store.support_map(session.owner).await?;
    if json {
        let rows: Vec<_> = people
            .iter()
            .map(|(id, person)| json!({ "id": id, "person": person }))
            .collect();
        return print_json(&rows);
    }
    if people.is_empty() {
        println!(
            "Your map is empty. Add someone with `tandem network add NAME --role friend --lean emotional=3`."
        );
    }
    for (id, person) in &people {
        let leans: Vec<String> = Domain::ALL
            .iter()
            .filter(|d| person.level_on(**d).get() > 0 || person.level_back(**d).get() > 0)
            .map(|d| {
                format!(
                    "{} {}/{}",
                    d.as_str(),
                    person.level_on(*d),
                    person.level_back(*d)
                )
            })
            .collect();
        println!(
            "{id:>4}  {:<20} {:<12} {}",
            person.name,
            person.role.as_str(),
            if leans.is_empty() {
                "—".to_owned()
            } else {
                leans.join(", ")
            }
        );
    }
    if !people.is_empty() {
        println!("(per domain: how much you lean on them / how much they lean on you, 0–4)");
    }
    Ok(())
}

async fn show(session: &Session, json: bool) -> anyhow::Result<()> {
    let people = session.store.support_map(session.owner).await?;
    let report = analyse(&as_support_map(&people));
    if json {
        let flags: Vec<_> = report
            .flags
            .iter()
            .map(|flag| json!({ "flag": flag, "message": flag.message() }))
            .collect();
        return print_json(&json!({
            "people": people.len(),
            "domains": report.domains,
            "reciprocity": report.reciprocity,
            "flags": flags,
        }));
    }
    if report.flags.is_empty() {
        println!("Your support looks spread out; nothing to flag.");
    } else {
        println!("Worth a look:");
        for flag in &report.flags {
            println!("  • {}", flag.message());
        }
    }
    println!();
    println!(
        "{:<24} {:>10} {:>13} {:>6} {:>10}",
        "Domain", "supporters", "partner share", "HHI", "effective"
    );
    let fmt = |x: Option<f64>| x.map_or("—".to_owned(), |x| format!("{x:.2}"));
    for d in &report.domains {
        println!(
            "{:<24} {:>10} {:>13} {:>6} {:>10}",
            d.domain.label(),
            d.supporters,
            fmt(d.partner_share),
            fmt(d.hhi),
            fmt(d.effective_supporters)
        );
    }
    if !report.reciprocity.is_empty() {
        println!();
        println!("Give and take (−1: you mostly receive, +1: you mostly give):");
        for r in &report.reciprocity {
            println!("  {:<20} {}", r.name, fmt(r.balance));
        }
    }
    Ok(())
}
