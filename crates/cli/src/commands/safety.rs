//! `tandem safety` and `tandem research`: the person's own say over what is
//! kept. Kept safety checks can be listed (dates only) and deleted for good;
//! research use is off until the person turns it on.

use serde_json::json;
use tandem_store::SafetyScreenId;

use super::{Session, print_json};
use crate::args::{OnOff, ResearchArgs, SafetyCommand};
use crate::render;

/// Runs `safety list|delete`.
pub async fn run(session: &Session, command: &SafetyCommand) -> anyhow::Result<()> {
    match command {
        SafetyCommand::List(flag) => {
            let screens = session.store.safety_screens(session.owner).await?;
            if flag.json {
                let rows: Vec<_> = screens
                    .iter()
                    .map(|s| {
                        json!({
                            "id": s.id,
                            "version": s.version,
                            "started_at": s.started_at,
                            "completed_at": s.completed_at,
                        })
                    })
                    .collect();
                return print_json(&rows);
            }
            if screens.is_empty() {
                println!("No safety check is kept on this device.");
            }
            for screen in &screens {
                println!("{:>4}  {}", screen.id, render::date(&screen.started_at));
            }
            Ok(())
        }
        SafetyCommand::Delete { id } => {
            session
                .store
                .delete_safety_screen(session.owner, SafetyScreenId(*id))
                .await
                .map_err(|err| match err {
                    tandem_store::StoreError::NotFound { .. } => {
                        crate::failure::not_found(format!("no kept safety check {id}"))
                    }
                    other => other.into(),
                })?;
            super::plan::refresh(session).await?;
            println!("Deleted. Its answers are gone from this device.");
            Ok(())
        }
    }
}

/// Runs `research [on|off]`.
pub async fn research(session: &Session, args: &ResearchArgs) -> anyhow::Result<()> {
    if let Some(choice) = args.choice {
        session
            .store
            .set_research_consent(session.owner, choice == OnOff::On)
            .await?;
    }
    let consent = session.store.research_consent(session.owner).await?;
    if args.json {
        return print_json(&json!({ "research": consent }));
    }
    println!(
        "{}",
        if consent {
            "Research use is on: your first profile of each version counts, with no name, date or text, in this deployment's reliability estimates and analyses. Safety answers never do. `tandem research off` takes it back."
        } else {
            "Research use is off: none of your answers are used for estimates or analyses. `tandem research on` turns it on."
        }
    );
    Ok(())
}
