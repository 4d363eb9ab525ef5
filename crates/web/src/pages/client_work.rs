//! What a counsellor's page of one client shows of the support map, plan
//! and exercises the client shares, in words.

use tandem_core::guidance::Guidance;
use tandem_core::network::Supporter;
use tandem_store::PlanStatus;
use tandem_store::shares::SharedWork;

/// One person on a shared map.
pub(super) struct PersonRow {
    pub(super) name: String,
    pub(super) role: &'static str,
    pub(super) leans: String,
}

/// One exercise shared.
pub(super) struct ExerciseRow {
    pub(super) title: &'static str,
    pub(super) progress: i64,
    pub(super) done: bool,
    pub(super) lines: Vec<(&'static str, String)>,
}

/// The shared parts, each `None` when not shared.
pub(super) struct WorkRows {
    pub(super) people: Option<Vec<PersonRow>>,
    pub(super) steps: Option<Vec<(String, &'static str)>>,
    pub(super) exercises: Option<Vec<ExerciseRow>>,
}

fn leans(person: &Supporter) -> String {
    let on: Vec<&str> = person
        .leans_on
        .iter()
        .filter(|(_, level)| level.get() > 0)
        .map(|(domain, _)| domain.label())
        .collect();
    if on.is_empty() {
        "Not leaned on yet".to_owned()
    } else {
        format!("Leaned on for {}", on.join(", "))
    }
}

fn status_words(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Suggested | PlanStatus::Later => "suggested",
        PlanStatus::Chosen => "working on it",
        PlanStatus::Done => "done",
        PlanStatus::Dropped => "not now",
        PlanStatus::Replaced => "replaced",
    }
}

/// The rows of `work`.
pub(super) fn rows(work: &SharedWork, guidance: &Guidance) -> WorkRows {
    WorkRows {
        people: work.support_map.as_ref().map(|people| {
            people
                .iter()
                .map(|person| PersonRow {
                    name: person.name.clone(),
                    role: person.role.as_str(),
                    leans: leans(person),
                })
                .collect()
        }),
        steps: work.plan.as_ref().map(|steps| {
            steps
                .iter()
                .filter_map(|step| {
                    let strategy = guidance.strategy(&step.strategy)?;
                    Some((strategy.title.clone(), status_words(step.status)))
                })
                .collect()
        }),
        exercises: work.exercises.as_ref().map(|exercises| {
            exercises
                .iter()
                .filter_map(|exercise| {
                    let kind = tandem_app::exercises::kind(&exercise.kind)?;
                    Some(ExerciseRow {
                        title: kind.title,
                        progress: exercise.progress,
                        done: exercise.done,
                        lines: exercise
                            .content
                            .as_ref()
                            .map(|content| tandem_app::exercises::written_lines(kind, content))
                            .unwrap_or_default(),
                    })
                })
                .collect()
        }),
    }
}
