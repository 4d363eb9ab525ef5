//! `tandem admin audit verify`: checks every audit chain in the store and
//! names the first entry that no longer holds.

use anyhow::anyhow;

use crate::args::AuditCommand;
use crate::config::{self, FileConfig};
use crate::database::Database;

/// Runs one `admin audit` command.
pub async fn run(
    command: &AuditCommand,
    database: &Database,
    file: &FileConfig,
) -> anyhow::Result<()> {
    let AuditCommand::Verify { json } = command;
    let (store, rights) = config::open_store(database, file).await?;
    let checked = store.verify_audit(&rights.operator).await;
    store.close().await;
    let check = checked?;
    if *json {
        println!("{}", serde_json::to_string_pretty(&check)?);
    }
    match check.broken {
        None => {
            if !*json {
                println!(
                    "The audit log holds: {} entries in {} chains, each linked to the one before.",
                    check.entries, check.chains
                );
            }
            Ok(())
        }
        Some(broken) => {
            let whose = if broken.chain == tandem_store::audit::OPERATOR_CHAIN {
                "the operator's chain".to_owned()
            } else {
                format!("the chain of user {}", broken.chain)
            };
            Err(anyhow!(
                "The audit log is broken at entry {} of {whose}: {}. Restore the store from a backup made before, and find out who could write to it.",
                broken.seq,
                broken.reason
            ))
        }
    }
}
