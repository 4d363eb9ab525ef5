//! `tandem analyze`: reliability, item statistics, EFA and omega of many
//! responses, from CSV files (streamed, merged exactly) or from the store
//! (de-identified). The numbers are the stats crate's; this module picks
//! the items and keys, and reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use nalgebra::DMatrix;
use serde_json::{Map, Value, json};
use tandem_core::instrument::{Instrument, ResponseKind};
use tandem_stats::csv::{ReadOptions, Scale, read_files};
use tandem_stats::factor::{
    Extracted, Method, Rotation, fa_from, omega_from, omega_total, parallel_analysis,
};
use tandem_stats::moments::{Missing, Moments};
use tandem_stats::reliability::{Reliability, reliability};

use super::{instrument, print_json};
use crate::args::AnalyzeArgs;
use crate::failure::bad_input;

/// Iterations of parallel analysis (psych's default).
const PARALLEL_ITERATIONS: usize = 20;

/// The CSV files named, with directories expanded to their `.csv` files in name order.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|err| bad_input(format!("{}: {err}", path.display())))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(bad_input(format!(
                    "{}: no .csv files in this directory",
                    path.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// The header of the first file, to know which instrument items it has.
fn header(path: &Path) -> anyhow::Result<Vec<String>> {
    use std::io::BufRead;
    let file =
        std::fs::File::open(path).map_err(|err| bad_input(format!("{}: {err}", path.display())))?;
    let mut line = String::new();
    std::io::BufReader::new(file)
        .read_line(&mut line)
        .map_err(|err| bad_input(format!("{}: {err}", path.display())))?;
    Ok(line
        .trim_end()
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .collect())
}

fn parse_scale(text: &str) -> anyhow::Result<Scale> {
    let (min, max) = text
        .split_once("..")
        .ok_or_else(|| bad_input(format!("--scale {text}: expected MIN..MAX, such as 1..5")))?;
    let parse = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| bad_input(format!("--scale {text}: `{s}` is not a number")))
    };
    Scale::new(parse(min)?, parse(max)?)
        .map_err(|err| bad_input(format!("--scale {text}: {}", err.0)))
}

/// What to analyse: the items, their reverse keys, the scale and the facets.
struct Plan {
    items: Option<Vec<String>>,
    reverse: Vec<String>,
    scale: Option<Scale>,
    facets: Vec<(String, Vec<String>)>,
}

fn plan_from(
    args: &AnalyzeArgs,
    instrument: Option<&Instrument>,
    columns: Option<&[String]>,
) -> anyhow::Result<Plan> {
    let scale = args.scale.as_deref().map(parse_scale).transpose()?;
    let Some(instrument) = instrument else {
        return Ok(Plan {
            items: (!args.items.is_empty()).then(|| args.items.clone()),
            reverse: args.reverse.clone(),
            scale,
            facets: Vec::new(),
        });
    };
    let wanted = |id: &str| {
        instrument
            .item(id)
            .is_some_and(|i| i.response == ResponseKind::Scale && i.facet.is_some())
            && (args.items.is_empty() || args.items.iter().any(|a| a == id))
    };
    // Items in the file's own column order: reading columns in order is
    // about twice as fast as gathering them in the instrument's order.
    let items: Vec<String> = match columns {
        Some(columns) => columns.iter().filter(|c| wanted(c)).cloned().collect(),
        None => instrument
            .items
            .iter()
            .map(|i| i.id.to_string())
            .filter(|id| wanted(id))
            .collect(),
    };
    if items.len() < 2 {
        return Err(bad_input(format!(
            "the data hold fewer than two items of {} (its items look like {})",
            instrument.id,
            instrument
                .items
                .iter()
                .take(3)
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let reverse = instrument
        .items
        .iter()
        .filter(|i| i.reverse && items.contains(&i.id.to_string()))
        .map(|i| i.id.to_string())
        .collect();
    let facets = instrument
        .facets
        .iter()
        .map(|f| {
            (
                f.id.to_string(),
                instrument
                    .items_of(&f.id)
                    .map(|i| i.id.to_string())
                    .filter(|id| items.contains(id))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, ids)| ids.len() >= 2)
        .collect();
    let scale = match scale {
        Some(scale) => Some(scale),
        None => Some(
            Scale::new(instrument.scale.min as f64, instrument.scale.max as f64)
                .map_err(|e| bad_input(e.0))?,
        ),
    };
    Ok(Plan {
        items: Some(items),
        reverse,
        scale,
        facets,
    })
}

fn read_csv(files: &[PathBuf], plan: &Plan) -> anyhow::Result<Moments> {
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = (std::io::stderr().is_terminal() && total > 8 << 20).then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |read: u64| {
        if let Some(bar) = &bar {
            bar.set_position(read);
        }
    };
    let options = ReadOptions {
        items: plan.items.clone(),
        reverse: plan.reverse.clone(),
        scale: plan.scale,
        progress: Some(&progress),
        ..ReadOptions::default()
    };
    let moments = read_files(files, &options).map_err(|err| bad_input(err.to_string()));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    moments
}

fn submatrix(r: &DMatrix<f64>, idx: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(idx.len(), idx.len(), |a, b| r[(idx[a], idx[b])])
}

fn alpha_json(rel: &Reliability) -> Value {
    json!({
        "raw": rel.alpha.raw,
        "std": rel.alpha.std,
        "g6": rel.alpha.g6,
        "average_r": rel.alpha.average_r,
        "signal_noise": rel.alpha.signal_noise,
        "se": rel.alpha.se,
        "ci95": rel.alpha.ci95,
        "sem": rel.alpha.sem,
    })
}

fn items_json(rel: &Reliability) -> Value {
    json!(rel.item_stats)
}

/// Everything `analyze` reports, as JSON.
fn analyse(moments: &Moments, plan: &Plan, args: &AnalyzeArgs) -> anyhow::Result<Value> {
    let missing: Missing = args
        .missing
        .parse()
        .map_err(|_| bad_input("--missing must be pairwise or listwise"))?;
    let items: Vec<String> = moments.items().to_vec();
    let all: Vec<usize> = (0..items.len()).collect();
    let n = moments.n(missing);
    if n < 3 {
        return Err(bad_input(format!(
            "only {n} usable rows: too few to analyse"
        )));
    }
    let overall = reliability(moments, &all, missing).map_err(|err| bad_input(err.to_string()))?;
    let r = moments.correlation(missing);
    if args.factors == Some(0) {
        return Err(bad_input("--factors must be at least 1"));
    }
    // Parallel analysis only when it decides something: without --factors,
    // or when --parallel asks for the comparison.
    let parallel = if args.factors.is_none() || args.parallel {
        Some(
            parallel_analysis(
                &r,
                usize::try_from(n).unwrap_or(usize::MAX),
                PARALLEL_ITERATIONS,
                args.seed,
            )
            .map_err(|err| bad_input(err.to_string()))?,
        )
    } else {
        None
    };
    let nf = args.factors.unwrap_or_else(|| {
        parallel
            .as_ref()
            .map_or(1, |parallel| parallel.suggested_factors.max(1))
    });
    // One minres fit serves both the oblimin solution and omega.
    let extracted = Extracted::new(&r, nf, Method::Minres)
        .map_err(|err| bad_input(format!("factor analysis: {err}")))?;
    let solution = fa_from(&extracted, n as f64, Rotation::Oblimin)
        .map_err(|err| bad_input(format!("factor analysis: {err}")))?;
    let loadings: Map<String, Value> = items
        .iter()
        .cloned()
        .zip(solution.loadings.iter().map(|row| json!(row)))
        .collect();
    let omega_json = if nf >= 2 {
        let om =
            omega_from(&extracted, n as f64).map_err(|err| bad_input(format!("omega: {err}")))?;
        json!({ "hierarchical": om.hierarchical, "total": om.total, "factors": nf })
    } else {
        let total = omega_total(&r).map_err(|err| bad_input(format!("omega: {err}")))?;
        json!({ "hierarchical": null, "total": total, "factors": 1 })
    };
    let mut facets = Map::new();
    for (facet, ids) in &plan.facets {
        let idx = moments
            .indices(ids)
            .map_err(|e| bad_input(format!("facet {facet}: no item {}", e.0)))?;
        let rel = reliability(moments, &idx, missing)
            .map_err(|err| bad_input(format!("facet {facet}: {err}")))?;
        let omega_t = if idx.len() >= 3 {
            omega_total(&submatrix(&r, &idx)).ok()
        } else {
            None
        };
        facets.insert(
            facet.clone(),
            json!({
                "n": rel.n,
                "items": ids,
                "alpha": alpha_json(&rel),
                "item_stats": items_json(&rel),
                "omega": { "total": omega_t },
            }),
        );
    }
    Ok(json!({
        "n": n,
        "rows": moments.rows(),
        "missing": missing.to_string(),
        "items": items,
        "reversed": plan.reverse,
        "alpha": alpha_json(&overall),
        "item_stats": items_json(&overall),
        "omega": omega_json,
        "fa": {
            "method": "minres",
            "rotation": "oblimin",
            "factors": nf,
            "chosen_by": if args.factors.is_some() { "--factors" } else { "parallel analysis" },
            "loadings": loadings,
            "h2": solution.h2,
            "u2": solution.u2,
            "phi": solution.phi,
            "variance": solution.variance,
            "rms": solution.fit.rms,
            "eigenvalues": solution.eigenvalues,
        },
        "parallel": parallel.map(|parallel| json!({
            "observed": parallel.observed,
            "simulated_95": parallel.simulated_95,
            "suggested_factors": parallel.suggested_factors,
            "iterations": parallel.iterations,
            "seed": args.seed,
        })),
        "facets": facets,
    }))
}

fn num(v: &Value) -> String {
    v.as_f64().map_or("—".to_owned(), |x| format!("{x:.3}"))
}

fn text(report: &Value) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{} rows ({} used, missing values {}); {} items.",
        report["rows"],
        report["n"],
        report["missing"].as_str().unwrap_or(""),
        report["items"].as_array().map_or(0, Vec::len)
    ));
    let a = &report["alpha"];
    line(format!(
        "Alpha {} (standardized {}, 95% CI {}–{}), G6 {}, average r {}, S/N {}.",
        num(&a["raw"]),
        num(&a["std"]),
        num(&a["ci95"][0]),
        num(&a["ci95"][1]),
        num(&a["g6"]),
        num(&a["average_r"]),
        num(&a["signal_noise"])
    ));
    let o = &report["omega"];
    line(format!(
        "Omega hierarchical {}, omega total {} ({} group factors).",
        num(&o["hierarchical"]),
        num(&o["total"]),
        o["factors"]
    ));
    if let Some(facets) = report["facets"].as_object().filter(|f| !f.is_empty()) {
        line(String::new());
        line(format!(
            "{:<8} {:>6} {:>8} {:>8}",
            "facet", "items", "alpha", "omega_t"
        ));
        for (id, f) in facets {
            line(format!(
                "{:<8} {:>6} {:>8} {:>8}",
                id,
                f["items"].as_array().map_or(0, Vec::len),
                num(&f["alpha"]["raw"]),
                num(&f["omega"]["total"])
            ));
        }
    }
    line(String::new());
    line(format!(
        "{:<8} {:>7} {:>7} {:>7} {:>9}",
        "item", "mean", "sd", "r.drop", "α if dropped"
    ));
    for item in report["item_stats"].as_array().into_iter().flatten() {
        line(format!(
            "{:<8} {:>7} {:>7} {:>7} {:>9}",
            item["id"].as_str().unwrap_or(""),
            num(&item["mean"]),
            num(&item["sd"]),
            num(&item["r_drop"]),
            num(&item["alpha_if_dropped"])
        ));
    }
    let f = &report["fa"];
    line(String::new());
    line(format!(
        "EFA: {} factors ({}), minres, oblimin; RMSR {}.",
        f["factors"],
        f["chosen_by"].as_str().unwrap_or(""),
        num(&f["rms"])
    ));
    if let Some(loadings) = f["loadings"].as_object() {
        for (item, row) in loadings {
            let cells: Vec<String> = row
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| format!("{:>6.2}", v.as_f64().unwrap_or(f64::NAN)))
                .collect();
            line(format!("  {item:<8}{}", cells.join(" ")));
        }
    }
    out
}

/// Runs `analyze` on CSV files.
pub fn run_files(args: &AnalyzeArgs) -> anyhow::Result<()> {
    let files = expand(&args.files)?;
    let instrument = args.instrument.as_deref().map(instrument).transpose()?;
    let columns = match (&instrument, files.first()) {
        (Some(_), Some(first)) => Some(header(first)?),
        _ => None,
    };
    let plan = plan_from(args, instrument.as_ref(), columns.as_deref())?;
    let moments = read_csv(&files, &plan)?;
    finish(&moments, &plan, args)
}

/// Runs `analyze` on the store's finished administrations, de-identified.
pub async fn run_store(
    store: &tandem_store::Store,
    research: &tandem_store::Research,
    args: &AnalyzeArgs,
) -> anyhow::Result<()> {
    let instrument = instrument(args.instrument.as_deref().unwrap_or("rdp"))?;
    let plan = plan_from(args, Some(&instrument), None)?;
    let items = plan.items.clone().unwrap_or_default();
    let mut moments =
        tandem_app::research::item_moments(store, research, &instrument, &items).await?;
    if let Some(scale) = plan.scale {
        let idx = moments.indices(&plan.reverse).map_err(|e| bad_input(e.0))?;
        moments.reverse(&idx, scale.min(), scale.max());
    }
    finish(&moments, &plan, args)
}

fn finish(moments: &Moments, plan: &Plan, args: &AnalyzeArgs) -> anyhow::Result<()> {
    let report = analyse(moments, plan, args)?;
    if let Some(path) = &args.html {
        let html = tandem_web::analysis::report_html(&report)
            .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
        std::fs::write(path, html)
            .map_err(|err| bad_input(format!("{}: {err}", path.display())))?;
    }
    if args.json {
        print_json(&report)
    } else {
        print!("{}", text(&report));
        Ok(())
    }
}
