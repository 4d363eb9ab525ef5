//! `tandem assess` and `tandem checkin`: take an instrument interactively,
//! saving each answer as it is given, or all at once from an answers file.

use std::io::{self, IsTerminal};
use std::path::Path;

use anyhow::Context;
use serde_json::json;
use tandem_core::answers::{Answer, Answers, parse_answers_file};
use tandem_core::input::About;
use tandem_core::instrument::{Instrument, Kind};
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::score;
use tandem_store::Administration;

use super::{Session, instrument, print_json};
use crate::args::AssessArgs;
use crate::failure::{bad_input, not_found};
use crate::render;
use crate::terminal::{Prompter, Step};

/// Runs `assess`.
pub async fn run(session: &Session, args: &AssessArgs) -> anyhow::Result<()> {
    let instrument = instrument(args.instrument.id())?;
    let about = About::parse(&args.about).map_err(|err| bad_input(format!("--about: {err}")))?;
    let about = about.as_str();
    if args.no_store && instrument.kind != Kind::Safety {
        return Err(bad_input(
            "--no-store is for the safety screen; other answers are always kept",
        ));
    }
    match (instrument.kind, &args.answers) {
        (Kind::Safety, Some(file)) => safety_from_file(session, &instrument, file, args).await,
        (Kind::Safety, None) => safety_interactive(session, &instrument, args).await,
        (_, Some(file)) => from_file(session, &instrument, file, about, args.json).await,
        (_, None) => interactive(session, &instrument, about, args.resume, args.json).await,
    }
}

fn read_answers(instrument: &Instrument, file: &Path) -> anyhow::Result<Answers> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|err| bad_input(format!("{name}: cannot read the answers file: {err}")))?;
    parse_answers_file(&name, &text, instrument).map_err(|err| bad_input(err.to_string()))
}

/// Every answer is checked before anything is written; then all of them are
/// written in one transaction.
async fn from_file(
    session: &Session,
    instrument: &Instrument,
    file: &Path,
    about: &str,
    json: bool,
) -> anyhow::Result<()> {
    let answers = read_answers(instrument, file)?;
    let administration = session
        .store
        .record_administration(session.owner, instrument, about, &answers)
        .await?;
    if matches!(instrument.kind, Kind::Profile | Kind::Checkin) {
        super::plan::refresh(session).await?;
    }
    finished(session, instrument, &administration, &answers, json)
}

async fn interactive(
    session: &Session,
    instrument: &Instrument,
    about: &str,
    resume: bool,
    json: bool,
) -> anyhow::Result<()> {
    let (store, owner) = (&session.store, session.owner);
    let unfinished = store
        .latest_unfinished(owner, instrument.id.as_str())
        .await?;
    let stdin = io::stdin();
    let mut prompter = Prompter::new(stdin.lock(), io::stderr());
    let administration = match (resume, unfinished) {
        (true, Some(found)) => {
            prompter.say(&format!(
                "Going on with the {} you started on {}.",
                instrument.name,
                render::date(&found.started_at)
            ))?;
            found
        }
        (true, None) => {
            return Err(not_found(format!(
                "there is no unfinished {} to resume",
                instrument.name
            )));
        }
        (false, unfinished) => {
            if let Some(found) = unfinished {
                prompter.say(&format!(
                    "Note: you have an unfinished {} from {}; `--resume` goes on with it.",
                    instrument.name,
                    render::date(&found.started_at)
                ))?;
            }
            prompter.say(&format!(
                "{}\n\n{}",
                instrument.name,
                instrument.intro_about(&tandem_core::instrument::OtherPerson::new(about))
            ))?;
            store.start_administration(owner, instrument, about).await?
        }
    };
    // A resumed administration goes on in the version it was begun with.
    let taken_with;
    let instrument = if administration.version == instrument.version {
        instrument
    } else {
        taken_with = tandem_core::instrument::builtin::builtin_version(
            instrument.id.as_str(),
            &administration.version,
        )?
        .ok_or_else(|| {
            not_found(format!(
                "{} {} is not in this build",
                instrument.id, administration.version
            ))
        })?;
        &taken_with
    };
    let mut answers = store.answers(owner, instrument, administration.id).await?;
    // Asked in its own order (the profile's is shuffled per administration).
    let order = administration.items(instrument);
    let mut position = administration.position.min(order.len());
    while let Some(&item) = order.get(position) {
        let current = answers.get(item.id.as_str()).cloned();
        match prompter.ask(
            instrument,
            (item, position),
            &administration.about,
            current.as_ref(),
        )? {
            Step::Answer(answer) => {
                answers
                    .set(instrument, item.id.as_str(), answer.clone())
                    .map_err(|err| bad_input(err.to_string()))?;
                store
                    .save_answer(
                        owner,
                        instrument,
                        administration.id,
                        item.id.as_str(),
                        &answer,
                        position + 1,
                    )
                    .await?;
                position += 1;
            }
            Step::Skip => {
                answers.clear(item.id.as_str());
                store
                    .clear_answer(
                        owner,
                        instrument,
                        administration.id,
                        item.id.as_str(),
                        position + 1,
                    )
                    .await?;
                position += 1;
            }
            Step::Back => position = position.saturating_sub(1),
            Step::Stop => {
                prompter.say(&format!(
                    "\nStopped for now. Your {} answers are kept; `tandem assess {} --resume` goes on from here.",
                    answers.len(),
                    instrument.id
                ))?;
                return Ok(());
            }
        }
    }
    store
        .complete_administration(owner, instrument, administration.id)
        .await?;
    if matches!(instrument.kind, Kind::Profile | Kind::Checkin) {
        super::plan::refresh(session).await?;
    }
    finished(session, instrument, &administration, &answers, json)
}

fn finished(
    session: &Session,
    instrument: &Instrument,
    administration: &Administration,
    answers: &Answers,
    json: bool,
) -> anyhow::Result<()> {
    let scores = score(instrument, answers)?;
    // The check-in's safety item: agreeing shows the help at once, and the
    // screen is offered; it never moves the pulse.
    let afraid = tandem_core::risk::agrees_with_any(
        instrument,
        answers,
        tandem_core::instrument::Signal::Safety,
    );
    if afraid {
        let needed = tandem_core::help::HelpNeeded {
            abuse: true,
            ..Default::default()
        };
        show_help_for(&session.resources, needed, json)?;
        let offer = "If you want, the short safety check can point you to the right help: `tandem assess safety` (you can choose not to keep the answers).";
        if json {
            eprintln!("{offer}");
        } else {
            println!("{offer}");
        }
    }
    if json {
        return print_json(&json!({
            "administration": administration.id,
            "instrument": instrument.id,
            "version": instrument.version,
            "answered": answers.len(),
            "items": instrument.items.len(),
            "safety_help": afraid,
        }));
    }
    println!(
        "Saved: {} of {} questions answered (administration {}).",
        answers.len(),
        instrument.items.len(),
        administration.id
    );
    match instrument.kind {
        Kind::Checkin => {
            if let Some(pulse) = scores.indices.values().next().and_then(|s| s.score) {
                println!(
                    "This week's pulse: {pulse:.1} on a 1 to 5 scale. `tandem history` shows the trend."
                );
            }
        }
        _ => println!("See your results with `tandem report`."),
    }
    Ok(())
}

/// Prints the safety resources as `needed` says: the emergency step first,
/// then crisis lines, then the help lines (calmly when nothing was said).
pub fn show_help_for(
    resources: &tandem_core::resources::Resources,
    needed: tandem_core::help::HelpNeeded,
    json: bool,
) -> anyhow::Result<()> {
    if !needed.any() {
        return Ok(());
    }
    let mut text = String::new();
    if needed.emergency
        && let Some(emergency) = &resources.emergency
    {
        text.push_str(&format!("\n{}\n", emergency.text));
    }
    if needed.crisis {
        text.push_str(
            "\nIf you are having thoughts of hurting yourself, you deserve support today:\n",
        );
        for step in &resources.crisis {
            text.push_str(&format!("  • {}\n", step.text));
        }
    }
    if needed.abuse {
        if needed.calm {
            text.push_str("\nYou did not answer every question, and that is fine. In case anything is worrying you, here is where help can be found.\n");
            text.push_str(&format!("\n{}\n", resources.heading));
        } else {
            text.push_str(&format!("\n{}\n{}\n", resources.heading, resources.intro));
        }
        for step in &resources.steps {
            text.push_str(&format!("  • {}\n", step.text));
        }
    }
    // stdout and stderr both, so neither a pipe nor --json can swallow it;
    // with --json, stdout keeps to JSON and the help goes to stderr.
    if !json {
        println!("{text}");
    }
    if json || !io::stdout().is_terminal() {
        eprintln!("{text}");
    }
    Ok(())
}

async fn safety_from_file(
    session: &Session,
    instrument: &Instrument,
    file: &Path,
    args: &AssessArgs,
) -> anyhow::Result<()> {
    let screen = SafetyScreen::from_answers(instrument, read_answers(instrument, file)?)?;
    let summary = screen.summary();
    if summary.shows_help() {
        show_graded_help(&session.resources, summary, args.json)?;
    }
    let stored = if args.no_store {
        None
    } else {
        let id = session
            .store
            .record_safety_screen(session.owner, instrument, &screen)
            .await?;
        super::plan::refresh(session).await?;
        Some(id)
    };
    safety_done(session, &screen, stored.is_some(), args.json).await
}

/// The help a screen's outcome calls for.
fn show_graded_help(
    resources: &tandem_core::resources::Resources,
    summary: tandem_core::safety::ScreenSummary,
    json: bool,
) -> anyhow::Result<()> {
    show_help_for(
        resources,
        tandem_core::help::HelpNeeded::for_screen(summary),
        json,
    )
}

async fn safety_interactive(
    session: &Session,
    instrument: &Instrument,
    args: &AssessArgs,
) -> anyhow::Result<()> {
    let stdin = io::stdin();
    let mut prompter = Prompter::new(stdin.lock(), io::stderr());
    prompter.say(&format!(
        "{}\n\n{}",
        instrument.name,
        instrument.intro_about(&tandem_core::instrument::OtherPerson::new(&args.about))
    ))?;
    let keep = !args.no_store
        && prompter.confirm(
            "Keep your answers on this device? If you say no, they are used now and then forgotten.",
        )?;
    let screen_id = if keep {
        Some(
            session
                .store
                .start_safety_screen(session.owner, instrument)
                .await?,
        )
    } else {
        None
    };
    let mut answers = Answers::new();
    // What help has been shown so far; a later, more serious answer shows more.
    let mut shown = tandem_core::help::HelpNeeded::default();
    let mut position = 0;
    while let Some(item) = instrument.items.get(position) {
        let current = answers.get(item.id.as_str()).cloned();
        match prompter.ask(instrument, (item, position), &args.about, current.as_ref())? {
            Step::Answer(answer) => {
                answers
                    .set(instrument, item.id.as_str(), answer.clone())
                    .map_err(|err| bad_input(err.to_string()))?;
                if let Some(screen) = screen_id {
                    let value = match &answer {
                        Answer::Value(value) => Some(*value),
                        _ => None,
                    };
                    session
                        .store
                        .save_safety_answer(session.owner, screen, &item.id, value)
                        .await?;
                }
                let so_far = SafetyScreen::from_answers(instrument, answers.clone())?;
                let needed = tandem_core::help::HelpNeeded::for_screen(so_far.summary());
                if so_far.is_positive() && needed.goes_beyond(&shown) {
                    show_help_for(&session.resources, needed, args.json)?;
                    shown = needed;
                }
                position += 1;
            }
            Step::Skip => position += 1,
            Step::Back => position = position.saturating_sub(1),
            Step::Stop => break,
        }
    }
    if let Some(screen) = screen_id {
        session
            .store
            .complete_safety_screen(session.owner, screen)
            .await
            .context("finishing the safety screen")?;
        super::plan::refresh(session).await?;
    }
    let screen = SafetyScreen::from_answers(instrument, answers)?;
    let needed = tandem_core::help::HelpNeeded::for_screen(screen.summary());
    if needed.goes_beyond(&shown) {
        show_help_for(&session.resources, needed, args.json)?;
    }
    safety_done(session, &screen, screen_id.is_some(), args.json).await
}

/// The end of a screen. When it was not kept, the first steps of a plan
/// adapted to it are printed now, since nothing of it will be there later.
async fn safety_done(
    session: &Session,
    screen: &SafetyScreen,
    stored: bool,
    json: bool,
) -> anyhow::Result<()> {
    let first_steps = if stored {
        Vec::new()
    } else {
        let content = session.content().await?;
        let assessment = tandem_app::situation::assess(
            &session.store,
            &content,
            session.owner,
            Some(screen.summary()),
        )
        .await?;
        assessment
            .plan(&content.guidance)
            .suggestions
            .into_iter()
            .take(tandem_core::plan::FOCUS)
            .filter_map(|s| content.guidance.strategy(s.strategy.as_str()).cloned())
            .collect()
    };
    if json {
        return print_json(&json!({
            "positive": screen.is_positive(),
            "outcome": screen.outcome(),
            "self_harm": screen.self_harm(),
            "help": screen.shows_help(),
            "stored": stored,
            "first_steps": first_steps.iter().map(|s| json!({
                "strategy": s.id, "title": s.title, "steps": s.steps,
            })).collect::<Vec<_>>(),
        }));
    }
    println!(
        "{}",
        if stored {
            "Your answers are saved on this device, and only you can see them."
        } else {
            "Your answers were not saved."
        }
    );
    if !first_steps.is_empty() {
        println!("\nSome first steps, for now (they are not saved either):");
        for strategy in &first_steps {
            println!("\n  {}", strategy.title);
            for step in &strategy.steps {
                println!("    • {step}");
            }
        }
    }
    if !screen.shows_help() {
        println!("Thank you for answering. If things change, you can take this again at any time.");
    }
    Ok(())
}
