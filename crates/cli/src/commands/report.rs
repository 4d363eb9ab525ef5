//! `tandem report`: the RDP results in plain words first, numbers after, and
//! the change since the previous administration judged by the RCI.

use serde::Serialize;
use tandem_app::ServiceError;
use tandem_app::estimates::Reliability;
use tandem_core::change::{Change, Verdict};
use tandem_core::ids::{FacetId, IndexId};
use tandem_core::instrument::Instrument;
use tandem_core::profile::Profile;
use tandem_core::quality::ResponseQuality;
use tandem_core::scoring::{Score, Scores};
use tandem_store::{Administration, AdministrationId, RelationshipId, StoreError};

use std::collections::BTreeMap;

use super::{Session, print_json};
use crate::args::ReportArgs;
use crate::failure::not_found;
use crate::render;

/// What `report --json` prints.
#[derive(Serialize)]
struct Report<'a> {
    instrument: &'a str,
    version: &'a str,
    administration: AdministrationId,
    about: &'a str,
    completed_at: Option<&'a str>,
    /// `content` while bands are content-based cut-offs; `norms` when declared.
    basis: &'static str,
    /// Where reliability comes from: `none`, or `estimated` from N administrations here.
    reliability: serde_json::Value,
    facets: &'a BTreeMap<FacetId, Score>,
    indices: &'a BTreeMap<IndexId, Score>,
    profile: Option<&'a Profile>,
    /// The response-quality checks: `{"flags": [...]}` and the figures.
    response_quality: Option<&'a ResponseQuality>,
    /// Whether the safety help is shown with these results (the person's own view).
    safety_help: bool,
    change: Option<ChangeSince<'a>>,
}

#[derive(Serialize)]
struct ChangeSince<'a> {
    since: AdministrationId,
    since_date: Option<&'a str>,
    /// Whether the two were taken with different versions of the questions
    /// (then no change has an RCI).
    questions_changed: bool,
    indices: &'a BTreeMap<IndexId, Change>,
}

/// Writes the printable HTML report to `path`, readable only by its owner.
async fn write_html(session: &Session, path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    let content = session.content().await?;
    let made = super::plan::today();
    let html = tandem_web::report::report_html(
        &session.store,
        &content,
        session.owner,
        tandem_web::report::Audience::Own,
        tandem_web::report::Framing {
            inline_css: Some(tandem_web::APP_CSS),
            exit_url: tandem_web::DEFAULT_EXIT_URL,
            made,
            csrf: None,
        },
    )
    .await
    .map_err(|err| anyhow::anyhow!("{}", err.message()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|err| crate::failure::bad_input(format!("{}: {err}", path.display())))?;
    file.write_all(html.as_bytes())?;
    println!(
        "Wrote your report to {}. It is not encrypted: it holds what you wrote, and anyone who can open files as your user on this computer can read it.",
        path.display()
    );
    Ok(())
}

/// Runs `report`.
pub async fn run(session: &Session, args: &ReportArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.html {
        return write_html(session, path).await;
    }
    let content = session.content().await?;
    let id = match args.relationship {
        None => args.administration.map(AdministrationId),
        Some(relationship) => {
            let relationship = session
                .store
                .relationship(session.owner, RelationshipId(relationship))
                .await?;
            let latest = tandem_app::results::latest_about(
                &session.store,
                session.owner,
                relationship.id,
                None,
            )
            .await?
            .ok_or_else(|| {
                not_found(format!(
                    "no finished RDP about {} yet: take it with `tandem assess rdp --about`",
                    relationship.name
                ))
            })?;
            Some(latest.id)
        }
    };
    let results =
        tandem_app::results::rdp_results(&session.store, &content, session.owner, id, None)
            .await
            .map_err(|err| match (err, args.administration) {
                (ServiceError::Store(StoreError::NotFound { .. }), Some(id)) => {
                    not_found(format!("no finished RDP administration {id}"))
                }
                (err, _) => err.into(),
            })?
            .ok_or_else(|| not_found("no finished RDP yet: take it with `tandem assess rdp`"))?;
    let rdp = &results.instrument;
    let current = &results.administration;
    let scores = &results.scores;
    let profile = results.profile.as_ref();
    let basis = if rdp.facets.iter().any(|f| f.norms.is_some()) {
        "norms"
    } else {
        "content"
    };
    let help = results.risk.shows_help();
    if args.json {
        return print_json(&Report {
            instrument: rdp.id.as_str(),
            version: &current.version,
            administration: current.id,
            about: &current.about,
            completed_at: current.completed_at.as_deref(),
            basis,
            reliability: serde_json::json!(results.reliability),
            facets: &scores.facets,
            indices: &scores.indices,
            profile,
            response_quality: results.quality.as_ref(),
            safety_help: help,
            change: results
                .change
                .as_ref()
                .map(|(earlier, indices)| ChangeSince {
                    since: earlier.id,
                    since_date: earlier.completed_at.as_deref(),
                    questions_changed: earlier.version != current.version,
                    indices,
                }),
        });
    }
    print!(
        "{}",
        text(
            rdp,
            current,
            scores,
            profile,
            results.quality.as_ref(),
            results.change.as_ref().map(|(a, c)| (a, c)),
            &results.reliability,
        )
    );
    if help {
        println!();
        super::assess::show_help_for(
            &session.resources,
            tandem_core::help::HelpNeeded::for_risk(&results.risk),
            false,
        )?;
    }
    Ok(())
}

fn text(
    rdp: &Instrument,
    current: &Administration,
    scores: &Scores,
    profile: Option<&Profile>,
    quality: Option<&ResponseQuality>,
    change: Option<(&Administration, &BTreeMap<IndexId, Change>)>,
    reliability: &Reliability,
) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "Your {} about {}, taken {}.",
        rdp.name,
        current.about,
        render::date(
            current
                .completed_at
                .as_deref()
                .unwrap_or(&current.started_at)
        )
    ));
    line("This describes a pattern; it is not a diagnosis or a test you can fail.".into());
    line(String::new());
    match profile {
        Some(p) => {
            for flag in p.flag_words() {
                line(format!("! {flag}"));
            }
            let borderline = if p.borderline {
                " (borderline: close to a cut-off, so read it lightly)"
            } else {
                ""
            };
            let name = p.name.unwrap_or("not named yet");
            line(format!("Pattern: {name}{borderline}"));
            line(format!("  {}", p.meaning()));
            for flag in quality.map(|q| q.flags.as_slice()).unwrap_or_default() {
                line(format!("  • {}", flag.words()));
            }
            for other in &p.also {
                line(format!("  Also seen: {}.", other.name()));
            }
        }
        None => line(
            "Pattern: too many questions were skipped to describe a pattern. The facets that could be scored are below."
                .into(),
        ),
    }
    let stands_out: Vec<String> = tandem_core::scoring::standing_out(rdp, scores)
        .into_iter()
        .map(|facet| {
            if tandem_core::scoring::is_strength(facet) {
                format!(
                    "  • {} is low. When it is high, it means: {}",
                    facet.name,
                    lower_first(&facet.high_means)
                )
            } else {
                format!("  • {} is high: {}", facet.name, facet.high_means)
            }
        })
        .collect();
    line(String::new());
    if stands_out.is_empty() {
        line("Nothing stands out as a concern in the facets.".into());
    } else {
        line("What stands out:".into());
        stands_out.into_iter().for_each(&mut line);
    }
    line(String::new());
    line(format!(
        "Facets (scale {} to {}; bands: {}; content-based cut-offs, not norms):",
        rdp.scale.min,
        rdp.scale.max,
        rdp.bands
            .iter()
            .map(|b| format!("{} {}–{}", b.label, b.from, b.to))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for facet in &rdp.facets {
        if let Some(s) = scores.facets.get(&facet.id) {
            line(format!(
                "  {:<32} {:<20} {}",
                format!("{} ({})", facet.name, facet.id),
                render::score(s),
                render::band(rdp, s)
            ));
        }
    }
    line("Indices:".into());
    for index in &rdp.indices {
        if let Some(s) = scores.indices.get(&index.id) {
            line(format!(
                "  {:<32} {:<20} {}",
                index.name,
                render::score(s),
                render::band(rdp, s)
            ));
        }
    }
    if scores.facets.values().all(|s| s.sem.is_none()) {
        line(String::new());
        line("No reliability is known yet for this version of the questions, so scores come without intervals and changes without a \"reliable\" verdict.".into());
    } else {
        line(String::new());
        line(match reliability {
            Reliability::Published { citation } => format!(
                "Intervals and change verdicts use published reliability: {citation}."
            ),
            Reliability::Estimated { .. } => "Intervals and change verdicts use reliability estimated from the profiles kept in this store.".into(),
            Reliability::None => "Intervals and change verdicts use the reliability declared with these questions.".into(),
        });
    }
    if let Some((earlier, changes)) = change {
        line(String::new());
        if earlier.version != current.version {
            line(format!(
                "The questions changed between version {} and {}, so changes get no RCI verdict.",
                earlier.version, current.version
            ));
        }
        line(format!(
            "Change since {} (administration {}):",
            render::date(
                earlier
                    .completed_at
                    .as_deref()
                    .unwrap_or(&earlier.started_at)
            ),
            earlier.id
        ));
        for index in &rdp.indices {
            if let Some(c) = changes.get(&index.id) {
                let verdict = match (c.verdict, c.rci) {
                    (Verdict::ReliableIncrease, Some(rci)) => format!("a real rise (RCI {rci:.2})"),
                    (Verdict::ReliableDecrease, Some(rci)) => format!("a real fall (RCI {rci:.2})"),
                    (Verdict::WithinError, Some(rci)) => {
                        format!("within measurement error (RCI {rci:.2})")
                    }
                    (Verdict::QuestionsChanged, _) => {
                        "no verdict: the questions changed".to_owned()
                    }
                    _ => "no verdict: reliability not known yet".to_owned(),
                };
                line(format!(
                    "  {:<32} {:.2} → {:.2} ({:+.2}), {verdict}",
                    index.name, c.from, c.to, c.difference
                ));
            }
        }
    }
    line(String::new());
    line(
        "Tandem is not therapy or a crisis service. If things feel hard, a counsellor can help."
            .into(),
    );
    out
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}
