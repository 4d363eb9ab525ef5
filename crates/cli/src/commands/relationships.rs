//! `tandem relationships`: the people a person answers about, each with a
//! role. Every administration belongs to one: the one its "about" names.

use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_store::RelationshipId;

use super::{Session, print_json};
use crate::args::RelationshipsCommand;
use crate::failure::bad_input;

/// Runs a `relationships` subcommand.
pub async fn run(session: &Session, command: &RelationshipsCommand) -> anyhow::Result<()> {
    match command {
        RelationshipsCommand::List(flag) => {
            let all = session.store.relationships(session.owner).await?;
            if flag.json {
                return print_json(&all);
            }
            if all.is_empty() {
                println!(
                    "No relationships yet. Taking the profile about someone adds them; so does `tandem relationships add`."
                );
            }
            for relationship in &all {
                println!(
                    "{:>4}  {:<18}  {}",
                    relationship.id,
                    relationship.role.label(),
                    relationship.name
                );
            }
            Ok(())
        }
        RelationshipsCommand::Add { name, role } => {
            let role = parse_role(role)?;
            let name =
                About::parse(name).map_err(|err| bad_input(format!("the name {name:?}: {err}")))?;
            let made = session
                .store
                .create_relationship(session.owner, role, &name)
                .await?;
            println!(
                "Added {} ({}), id {}.",
                made.name,
                made.role.label().to_lowercase(),
                made.id
            );
            Ok(())
        }
        RelationshipsCommand::Role { id, role } => {
            let role = parse_role(role)?;
            session
                .store
                .set_relationship_role(session.owner, RelationshipId(*id), role)
                .await?;
            println!("Relationship {id} is now: {}.", role.label().to_lowercase());
            Ok(())
        }
    }
}

fn parse_role(word: &str) -> anyhow::Result<Role> {
    Role::parse(word.trim()).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        bad_input(format!(
            "--role {word}: not a role; use one of {}",
            known.join(", ")
        ))
    })
}
