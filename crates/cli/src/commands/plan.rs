//! `tandem plan`: the action plan about one relationship (that of the
//! latest results unless asked), and its statuses.

use serde_json::json;
use tandem_core::plan::Reason;
use tandem_store::{PlanItemId, PlanStatus, RelationshipId};

use super::{Session, print_json};
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

/// Recomputes the plan after new results (a finished RDP, a kept safety
/// screen, a check-in).
pub async fn refresh(session: &Session) -> anyhow::Result<()> {
    let content = session.content().await?;
    tandem_app::plan::refresh_all(&session.store, &content, session.owner, None, now()).await?;
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
    let content = session.content().await?;
    if args.signs {
        return print_signs(&content.signs, args.json);
    }
    let rdp = &content.rdp;
    let guidance = &content.guidance;
    let relationship = match args.relationship {
        Some(id) => Some(
            session
                .store
                .relationship(session.owner, RelationshipId(id))
                .await?
                .id,
        ),
        None => tandem_app::plan::current_relationship(&session.store, session.owner).await?,
    };
    let items = match relationship {
        Some(relationship) => session.store.plan(session.owner, relationship).await?,
        None => Vec::new(),
    };
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
                    "joint": strategy.is_some_and(|s| s.joint),
                    "relationship": item.relationship,
                    "reasons": item.reason,
                })
            })
            .collect();
        return print_json(&rows);
    }
    let assessment = tandem_app::situation::assess_about(
        &session.store,
        &content,
        session.owner,
        relationship,
        None,
    )
    .await?;
    let plan = assessment.plan(guidance);
    // The help, once, above the plan, whenever the person's situation calls for it.
    super::assess::show_help_for(
        &session.resources,
        tandem_core::help::HelpNeeded::for_risk(&assessment.risk),
        false,
    )?;
    if plan.offer_safety_screen {
        println!(
            "Before you start, you may want to take the short safety check: `tandem assess safety` (you can choose not to keep the answers).\n"
        );
    }
    if plan.review_answers {
        println!(
            "Some of your answers follow a pattern that can hide what you really think, so only the most important steps are here. You could take the profile again when you have a quiet moment: `tandem assess rdp`.\n"
        );
    }
    if items.is_empty() {
        println!("Your plan fills in after you finish the profile: `tandem assess rdp`.");
        return Ok(());
    }
    let later = items
        .iter()
        .filter(|i| i.status == PlanStatus::Later)
        .count();
    for item in items.iter().filter(|i| i.status != PlanStatus::Later) {
        let Some(strategy) = guidance.strategy(&item.strategy) else {
            continue;
        };
        let reasons: Vec<Reason> = serde_json::from_value(item.reason.clone()).unwrap_or_default();
        let why = reasons
            .iter()
            .map(|r| r.words(rdp))
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
        if strategy.joint {
            println!("      (done together with the other person)");
        }
    }
    if later > 0 {
        println!("\nFor later ({later} more ideas, when you are ready):");
        for item in items.iter().filter(|i| i.status == PlanStatus::Later) {
            if let Some(strategy) = guidance.strategy(&item.strategy) {
                println!("{:>4}  {}", item.id, strategy.title);
            }
        }
    }
    if assessment.risk.adapts_plan() {
        println!("\nWarning signs of controlling or harmful behaviour: `tandem plan --signs`.");
    }
    println!("\n`tandem plan choose ID`, `done ID` or `drop ID` changes an item.");
    Ok(())
}

/// Prints the guide to warning signs.
fn print_signs(guide: &tandem_core::signs::SignsGuide, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(guide);
    }
    println!("{}\n\n{}\n", guide.guide.heading, guide.guide.intro);
    for sign in &guide.signs {
        println!("  • {}: {}", sign.title, sign.text);
    }
    println!("\n{}", guide.guide.closing);
    Ok(())
}
