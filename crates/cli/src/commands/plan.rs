//! `tandem plan`: the action plan from the latest results, and its statuses.

use serde_json::json;
use tandem_core::guidance::builtin_guidance;
use tandem_core::plan::Reason;
use tandem_store::{PlanItemId, PlanStatus};

use super::{Session, instrument, print_json};
use crate::args::{PlanAction, PlanArgs};

/// Seconds since the epoch, for the plan's dates.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Today's date (UTC), for the report.
pub fn today() -> String {
    tandem_core::dates::civil_date(now())
}

/// Recomputes the plan after new results (a finished RDP, a kept safety screen).
pub async fn refresh(session: &Session) -> anyhow::Result<()> {
    let rdp = instrument("rdp")?;
    let safety = instrument("safety")?;
    let guidance = builtin_guidance(&rdp)?;
    tandem_web::plan::refresh(
        &session.store,
        &rdp,
        &safety,
        &guidance,
        session.owner,
        now(),
    )
    .await?;
    Ok(())
}

/// Runs `plan`.
pub async fn run(session: &Session, args: &PlanArgs) -> anyhow::Result<()> {
    if let Some(action) = &args.action {
        let (id, status) = match action {
            PlanAction::Choose { id } => (*id, PlanStatus::Chosen),
            PlanAction::Done { id } => (*id, PlanStatus::Done),
            PlanAction::Drop { id } => (*id, PlanStatus::Dropped),
        };
        session
            .store
            .set_plan_status(session.owner, PlanItemId(id), status, now())
            .await?;
    }
    let rdp = instrument("rdp")?;
    let guidance = builtin_guidance(&rdp)?;
    let items = session.store.plan(session.owner).await?;
    if args.json {
        let rows: Vec<_> = items
            .iter()
            .map(|item| {
                let strategy = guidance.strategy(&item.strategy);
                json!({
                    "id": item.id,
                    "strategy": item.strategy,
                    "title": strategy.map(|s| s.title.clone()),
                    "exercise": strategy.map(|s| s.exercise),
                    "status": item.status,
                    "reasons": item.reason,
                })
            })
            .collect();
        return print_json(&rows);
    }
    if items.is_empty() {
        println!("Your plan fills in after you finish the profile: `tandem assess rdp`.");
        return Ok(());
    }
    for item in &items {
        let Some(strategy) = guidance.strategy(&item.strategy) else {
            continue;
        };
        let reasons: Vec<Reason> = serde_json::from_value(item.reason.clone()).unwrap_or_default();
        let why = reasons
            .iter()
            .map(|r| r.words(&rdp))
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "{:>4}  [{}] {}",
            item.id,
            item.status.as_str(),
            strategy.title
        );
        println!("      Because: {why}");
        println!("      {}", strategy.why);
        for step in &strategy.steps {
            println!("        • {step}");
        }
    }
    println!("\n`tandem plan choose ID`, `done ID` or `drop ID` changes an item.");
    Ok(())
}
