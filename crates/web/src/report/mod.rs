//! The printable report: profile, charts, change since the first profile,
//! the support map, the plan and its progress — what a person might take to
//! a counsellor. The safety section, what they wrote and the names they gave
//! exist only in the person's own copy: a shared copy is rendered from a
//! [`shared::SharedView`], which has no field for them, and its renderer
//! never sees the store.

pub mod shared;

use askama::Template;
use tandem_core::change::compare;
use tandem_core::network::{SupportMap, analyse};
use tandem_core::safety::ScreenOutcome;
use tandem_core::scoring::{Score, band_label};
use tandem_store::{Owner, Store};

use crate::AppError;
use crate::charts;
use tandem_app::Content;

/// Who the report is for: the person (with the safety section), or someone
/// they share it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The person's own copy.
    Own,
    /// A copy for someone else: never any safety answer or anything derived.
    Shared,
}

/// One saved exercise entry as the person wrote it.
struct Written {
    title: &'static str,
    day: String,
    lines: Vec<(&'static str, String)>,
}

/// The profile part: scores, bands, charts and change, made from scores and
/// (for the pattern) the answers of one judge; nothing a person wrote.
struct ResultsPart {
    pattern: String,
    meaning: &'static str,
    taken: String,
    facet_chart: String,
    facets: Vec<(String, String, String)>,
    indices: Vec<(String, String, String)>,
    since: String,
    changes: Vec<(String, String, String, String)>,
    trend_chart: Option<crate::charts::Trends>,
    band_key: Vec<crate::charts::KeyEntry>,
    /// What the intervals rest on (a published source is cited).
    reliability: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    inline_css: Option<&'a str>,
    csrf: Option<&'a str>,
    exit_url: &'a str,
    made: String,
    results: Option<ResultsPart>,
    /// Whom the latest profile is about, in the person's own copy only.
    about: Option<String>,
    people: Vec<(String, String, String)>,
    picture: String,
    key: Vec<charts::KeyEntry>,
    flags: Vec<String>,
    plan: Vec<(String, &'static str)>,
    exercises: usize,
    /// What the person wrote, in their own copy only: a shared copy has
    /// the count and nothing of the text.
    written: Vec<Written>,
    /// The print button (pages served by the app; a file has no script).
    print_button: bool,
    safety: Option<String>,
}

/// How the report is framed.
pub struct Framing<'a> {
    /// The stylesheet to embed (a file on disk); `None` links `/static/app.css`.
    pub inline_css: Option<&'a str>,
    /// Where the quick exit leads.
    pub exit_url: &'a str,
    /// When it was made, in words.
    pub made: String,
    /// The session's sign-out token, when the report is a page of a
    /// signed-in session: the quick exit uses it to end the session too.
    pub csrf: Option<&'a str>,
}

/// Renders the report for `audience`: the person's own copy from the store,
/// a shared copy from the [`shared::SharedView`] made of it.
pub async fn report_html(
    store: &Store,
    content: &Content,
    user: Owner,
    audience: Audience,
    framing: Framing<'_>,
) -> Result<String, AppError> {
    match audience {
        Audience::Own => own_report(store, content, user, framing).await,
        Audience::Shared => {
            let view = shared::shared_view(store, content, user).await?;
            shared::render(view, framing)
        }
    }
}

/// How the pattern is judged: with what the person's safety check said
/// (their own copy), or on the profile answers alone (anything shared).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Judge {
    WithSafety,
    ProfileOnly,
}

/// The profile part of the report, and whom the latest profile is about.
async fn results_part(
    store: &Store,
    content: &Content,
    user: Owner,
    judge: Judge,
    zone: &tandem_core::moments::TimeZoneName,
) -> Result<Option<(ResultsPart, String)>, AppError> {
    let estimate = content.estimates.current();
    // Incomplete profiles are neither the first nor the latest.
    tandem_app::results::ensure_scored(store, content, user).await?;
    let complete: Vec<_> = store
        .score_points(user)
        .await?
        .into_iter()
        .filter(|p| p.complete && p.instrument == "rdp")
        .map(|p| p.id)
        .collect();
    // The latest profile, and the first about the same person: change is
    // told within one relationship.
    let mut ends = Vec::new();
    if let Some(latest) = complete.iter().max() {
        let latest = store.administration(user, *latest).await?;
        let first = store
            .administrations(user, Some("rdp"))
            .await?
            .into_iter()
            .find(|a| a.relationship == latest.relationship && complete.contains(&a.id));
        ends.extend(first);
        ends.push(latest);
    }
    // A report is drawn once, so its trend chart is not kept.
    let results = match (ends.first(), ends.last()) {
        (Some(first), Some(latest)) => {
            let (rdp, reliability) =
                tandem_app::results::instrument_for(content, estimate.as_deref(), latest)?;
            let (first_rdp, _) =
                tandem_app::results::instrument_for(content, estimate.as_deref(), first)?;
            let answers = store.answers(user, rdp, latest.id).await?;
            let latest_scores =
                tandem_core::scoring::score(rdp, &answers).map_err(AppError::internal)?;
            let first_scores =
                tandem_app::results::scores_of(store, user, first_rdp, first.id).await?;
            let assessment = match judge {
                Judge::WithSafety => {
                    tandem_app::situation::assess_with(
                        store,
                        content,
                        user,
                        None,
                        Some((rdp, &answers)),
                    )
                    .await?
                }
                Judge::ProfileOnly => {
                    tandem_app::situation::assess_without_safety((rdp, &answers))?
                }
            };
            let found = assessment.profile;
            let changes = if first.id == latest.id {
                Vec::new()
            } else {
                let changes = compare(rdp, &first_scores, &latest_scores);
                rdp.indices
                    .iter()
                    .filter_map(|i| {
                        let c = changes.get(&i.id)?;
                        Some((
                            i.name.clone(),
                            format!("{:.1}", c.from),
                            format!("{:.1}", c.to),
                            tandem_app::results::change_words(c),
                        ))
                    })
                    .collect()
            };
            let rows = |items: Vec<(String, Option<&Score>)>| {
                items
                    .into_iter()
                    .filter_map(|(name, s)| {
                        Some((
                            name,
                            tandem_app::results::score_shown(s?),
                            band_label(rdp, s?),
                        ))
                    })
                    .collect::<Vec<_>>()
            };
            let date = |t: &Option<String>| crate::moments::maybe_stamp(t.as_deref(), zone);
            Some((
                ResultsPart {
                    reliability: reliability.words(),
                    pattern: found
                        .as_ref()
                        .map_or("not enough answers".into(), |p| p.title()),
                    meaning: found.as_ref().map_or("", |p| p.meaning()),
                    taken: date(&latest.completed_at),
                    facet_chart: charts::facet_profile(rdp, &latest_scores),
                    facets: rows(
                        rdp.facets
                            .iter()
                            .map(|f| (f.name.clone(), latest_scores.facets.get(&f.id)))
                            .collect(),
                    ),
                    indices: rows(
                        rdp.indices
                            .iter()
                            .map(|i| (i.name.clone(), latest_scores.indices.get(&i.id)))
                            .collect(),
                    ),
                    since: date(&first.completed_at),
                    changes,
                    trend_chart: crate::trends::trend_chart(
                        store,
                        content,
                        None,
                        (user, latest.relationship),
                        zone,
                    )
                    .await?,
                    band_key: crate::charts::band_key(),
                },
                latest.about.clone(),
            ))
        }
        _ => None,
    };
    Ok(results)
}

/// The plan a report shows: the one about the relationship the latest
/// profile is about (as its results are), empty before there is any.
async fn current_plan(store: &Store, user: Owner) -> Result<Vec<tandem_store::PlanItem>, AppError> {
    Ok(
        match tandem_app::plan::current_relationship(store, user).await? {
            Some(relationship) => store.plan(user, relationship).await?,
            None => Vec::new(),
        },
    )
}

/// The plan's rows: every item, or (`from_safety` false) none shaped by
/// safety answers.
fn plan_rows(
    guidance: &tandem_core::guidance::Guidance,
    items: Vec<tandem_store::PlanItem>,
    from_safety: bool,
) -> Vec<(String, &'static str)> {
    items
        .into_iter()
        .filter(|item| from_safety || !item.from_safety)
        .filter_map(|item| {
            let title = guidance.strategy(&item.strategy)?.title.clone();
            let status = match item.status {
                tandem_store::PlanStatus::Suggested => "Suggested",
                tandem_store::PlanStatus::Later => "For later",
                tandem_store::PlanStatus::Chosen => "Working on it",
                tandem_store::PlanStatus::Done => "Done",
                tandem_store::PlanStatus::Dropped => "Not now",
                tandem_store::PlanStatus::Replaced => "Replaced",
            };
            Some((title, status))
        })
        .collect()
}

/// One person on the map as a row: who, what kind of relationship, and the
/// levels each way in every part of life with any.
fn person_row(name: String, person: &tandem_core::network::Supporter) -> (String, String, String) {
    let levels = tandem_core::network::Domain::ALL
        .iter()
        .filter(|d| person.level_on(**d).get() > 0 || person.level_back(**d).get() > 0)
        .map(|d| {
            format!(
                "{}: {}/{}",
                d.label(),
                person.level_on(*d),
                person.level_back(*d)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    (name, person.role.as_str().to_owned(), levels)
}

/// The person's own copy: everything, the safety section and what they
/// wrote included.
async fn own_report(
    store: &Store,
    content: &Content,
    user: Owner,
    framing: Framing<'_>,
) -> Result<String, AppError> {
    let Framing {
        inline_css,
        exit_url,
        made,
        csrf,
    } = framing;
    // Moments in the person's own zone; the CLI's local user has none (UTC).
    let zone = store.time_zone(user).await?.unwrap_or_default();
    let (results, about) =
        match results_part(store, content, user, Judge::WithSafety, &zone).await? {
            Some((part, about)) => (Some(part), Some(about)),
            None => (None, None),
        };
    let people = store.support_map(user).await?;
    let map = SupportMap {
        people: people.iter().map(|(_, p)| p.clone()).collect(),
    };
    let network = analyse(&map);
    let guidance = &content.guidance;
    let plan = plan_rows(guidance, current_plan(store, user).await?, true);
    let entries = store.exercises(user, None).await?;
    let exercises = entries.len();
    let written = entries
        .iter()
        .filter_map(|entry| {
            let kind = tandem_app::exercises::kind(&entry.kind)?;
            Some(Written {
                title: kind.title,
                day: crate::moments::moment(entry.created_unix, &zone),
                lines: tandem_app::exercises::written_lines(kind, &entry.content),
            })
        })
        .collect();
    let safety = Some(own_safety_summary(store, content, user).await?);
    ReportPage {
        inline_css,
        csrf,
        exit_url,
        made,
        results,
        about,
        people: people
            .iter()
            .map(|(_, p)| person_row(p.name.clone(), p))
            .collect(),
        picture: charts::support_picture(&map),
        key: charts::support_key(),
        flags: network.flags.iter().map(|f| f.message()).collect(),
        plan,
        exercises,
        written,
        print_button: inline_css.is_none(),
        safety,
    }
    .render()
    .map_err(AppError::internal)
}

async fn own_safety_summary(
    store: &Store,
    content: &Content,
    user: Owner,
) -> Result<String, AppError> {
    let screens = store.safety_screens(user).await?;
    let Some(last) = screens.last() else {
        return Ok("No safety check kept.".into());
    };
    let instrument = content
        .instrument_version("safety", &last.version)
        .ok_or_else(|| AppError::internal(format!("no safety screen {}", last.version)))?;
    let outcome = last.to_screen(instrument)?.outcome();
    let zone = store.time_zone(user).await?.unwrap_or_default();
    let date = crate::moments::stamp_moment(&last.started_at, &zone);
    Ok(match outcome {
        ScreenOutcome::Concern | ScreenOutcome::Urgent => format!(
            "On {date} I answered yes to at least one question about feeling unsafe or controlled. {}",
            content.resources.intro
        ),
        // Nothing ruled out: said as it was, with the help's calm words.
        ScreenOutcome::Unclear => format!(
            "On {date} I left some questions about feeling unsafe or controlled open, or chose not to say. {}",
            content.resources.intro
        ),
        ScreenOutcome::Clear => {
            format!("On {date} I answered no to every question about feeling unsafe or controlled.")
        }
    })
}
