//! The HTML report of `tandem analyze`: reliability tables, a scree plot
//! with the parallel-analysis threshold, and a loadings heat map (SVG drawn
//! with plotters), from the JSON the command prints.

use askama::Template;
use plotters::prelude::*;
use serde_json::Value;

use crate::AppError;

#[derive(Template)]
#[template(path = "analysis.html")]
struct AnalysisPage<'a> {
    css: &'a str,
    rows: String,
    n: String,
    missing: String,
    items: usize,
    reliability: Vec<(String, usize, String, String, String, String, String)>,
    omega_h: String,
    scree: String,
    suggested: Option<String>,
    heat: String,
    factors: String,
    factor_names: Vec<String>,
    loading_rows: Vec<(String, Vec<String>)>,
}

fn num(v: &Value) -> String {
    v.as_f64().map_or("—".to_owned(), |x| format!("{x:.3}"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect()
}

fn scree(observed: &[f64], threshold: &[f64]) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (640, 360)).into_drawing_area();
        let top = observed
            .iter()
            .chain(threshold)
            .copied()
            .fold(1.0_f64, f64::max)
            * 1.1;
        let k = observed.len().max(2) as f64;
        let drawn = (|| -> Result<(), String> {
            root.fill(&WHITE).map_err(|e| e.to_string())?;
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .x_label_area_size(40)
                .y_label_area_size(50)
                .build_cartesian_2d(0.5..k + 0.5, top.min(0.0) - 0.1..top)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("Factor")
                .y_desc("Eigenvalue")
                .label_style(("sans-serif", 18))
                .draw()
                .map_err(|e| e.to_string())?;
            let points = |values: &[f64]| {
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| ((i + 1) as f64, *v))
                    .collect::<Vec<_>>()
            };
            chart
                .draw_series(LineSeries::new(
                    points(threshold),
                    RGBColor(136, 84, 24).stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(
                    points(observed)
                        .into_iter()
                        .map(|p| Circle::new(p, 5, RGBColor(31, 95, 91).filled())),
                )
                .map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    out
}

fn heat_map(items: &[String], loadings: &[Vec<f64>]) -> String {
    let factors = loadings.first().map_or(0, Vec::len);
    let mut out = String::new();
    {
        let height = 40 + 22 * items.len() as u32;
        let root = SVGBackend::with_string(&mut out, (120 + 80 * factors as u32, height))
            .into_drawing_area();
        let drawn = (|| -> Result<(), String> {
            root.fill(&WHITE).map_err(|e| e.to_string())?;
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .x_label_area_size(20)
                .y_label_area_size(80)
                .build_cartesian_2d(0.0..factors as f64, 0.0..items.len() as f64)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(factors)
                .y_labels(items.len())
                .x_label_formatter(&|x| format!("F{}", *x as usize + 1))
                .y_label_formatter(&|y| {
                    items
                        .get(items.len().saturating_sub(*y as usize + 1))
                        .cloned()
                        .unwrap_or_default()
                })
                .label_style(("sans-serif", 14))
                .draw()
                .map_err(|e| e.to_string())?;
            for (i, row) in loadings.iter().enumerate() {
                for (j, value) in row.iter().enumerate() {
                    let strength = value.abs().min(1.0);
                    let shade = (255.0 * (1.0 - strength)) as u8;
                    let colour = if *value >= 0.0 {
                        RGBColor(shade, shade, 255)
                    } else {
                        RGBColor(255, shade, shade)
                    };
                    let y = (items.len() - 1 - i) as f64;
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(j as f64, y), (j as f64 + 1.0, y + 1.0)],
                            colour.filled(),
                        )))
                        .map_err(|e| e.to_string())?;
                }
            }
            root.present().map_err(|e| e.to_string())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    out
}

/// Renders the report from `tandem analyze --json` output.
pub fn report_html(report: &Value) -> Result<String, AppError> {
    let items: Vec<String> = report["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let loadings: Vec<Vec<f64>> = items
        .iter()
        .map(|id| floats(&report["fa"]["loadings"][id]))
        .collect();
    let factors = loadings.first().map_or(0, Vec::len);
    let mut reliability = vec![(
        "All items".to_owned(),
        items.len(),
        num(&report["alpha"]["raw"]),
        num(&report["alpha"]["std"]),
        num(&report["alpha"]["g6"]),
        num(&report["alpha"]["average_r"]),
        num(&report["omega"]["total"]),
    )];
    for (id, facet) in report["facets"].as_object().into_iter().flatten() {
        reliability.push((
            id.clone(),
            facet["items"].as_array().map_or(0, Vec::len),
            num(&facet["alpha"]["raw"]),
            num(&facet["alpha"]["std"]),
            num(&facet["alpha"]["g6"]),
            num(&facet["alpha"]["average_r"]),
            num(&facet["omega"]["total"]),
        ));
    }
    AnalysisPage {
        css: crate::APP_CSS,
        rows: report["rows"].to_string(),
        n: report["n"].to_string(),
        missing: report["missing"].as_str().unwrap_or("").to_owned(),
        items: items.len(),
        reliability,
        omega_h: num(&report["omega"]["hierarchical"]),
        // Without parallel analysis (the number of factors was given), the
        // scree shows the data's eigenvalues alone.
        scree: if report["parallel"].is_null() {
            scree(&floats(&report["fa"]["eigenvalues"]), &[])
        } else {
            scree(
                &floats(&report["parallel"]["observed"]),
                &floats(&report["parallel"]["simulated_95"]),
            )
        },
        suggested: if report["parallel"].is_null() {
            None
        } else {
            Some(report["parallel"]["suggested_factors"].to_string())
        },
        heat: heat_map(&items, &loadings),
        factors: factors.to_string(),
        factor_names: (1..=factors).map(|f| format!("F{f}")).collect(),
        loading_rows: items
            .iter()
            .cloned()
            .zip(
                loadings
                    .iter()
                    .map(|row| row.iter().map(|v| format!("{v:.2}")).collect()),
            )
            .collect(),
    }
    .render()
    .map_err(AppError::internal)
}
