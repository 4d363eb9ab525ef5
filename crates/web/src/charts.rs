//! Charts as SVG, drawn with plotters: the facet profile with intervals and
//! bands, trends over time, and the support-map picture. Pages embed the SVG
//! beside a table with the same numbers, which is what screen readers get.

use plotters::prelude::*;
use tandem_core::instrument::Instrument;
use tandem_core::network::{Domain, SupportMap};
use tandem_core::scoring::Scores;

/// Colours for bands (light, so dots and text stay readable on them).
const BAND_FILLS: [RGBColor; 3] = [
    RGBColor(226, 239, 218),
    RGBColor(244, 241, 222),
    RGBColor(246, 226, 222),
];
const INK: RGBColor = RGBColor(29, 31, 33);
const ACCENT: RGBColor = RGBColor(31, 95, 91);

/// One colour per domain, told apart also by position.
pub const DOMAIN_COLOURS: [RGBColor; 6] = [
    RGBColor(31, 95, 91),
    RGBColor(136, 84, 24),
    RGBColor(76, 60, 140),
    RGBColor(20, 90, 150),
    RGBColor(150, 40, 90),
    RGBColor(90, 100, 30),
];

/// Line colours for trend series.
const SERIES: [RGBColor; 6] = DOMAIN_COLOURS;

fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        if let Err(err) = draw(root) {
            tracing::warn!(%err, "chart could not be drawn");
            return String::new();
        }
    }
    out
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// One facet row of the profile chart: name, score, interval.
type FacetRow = (String, Option<f64>, Option<(f64, f64)>);

/// Facet scores as dots with 95% intervals over the content bands.
pub fn facet_profile(instrument: &Instrument, scores: &Scores) -> String {
    let rows: Vec<FacetRow> = instrument
        .facets
        .iter()
        .map(|facet| {
            let s = scores.facets.get(&facet.id);
            let score = s.and_then(|s| s.score);
            let interval = s.and_then(|s| s.low.zip(s.high));
            (facet.name.clone(), score, interval)
        })
        .collect();
    let n = rows.len() as f64;
    let (min, max) = (instrument.scale.min as f64, instrument.scale.max as f64);
    svg(640, 40 + 30 * rows.len() as u32, |root| {
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(290)
            .build_cartesian_2d(min..max, -0.5..(n - 0.5))
            .map_err(err)?;
        for (band, fill) in instrument.bands.iter().zip(BAND_FILLS) {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(band.from, -0.5), (band.to, n - 0.5)],
                    fill.filled(),
                )))
                .map_err(err)?;
        }
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(5)
            .y_labels(rows.len())
            .y_label_formatter(&|y| {
                let i = (n - 1.0 - y).round();
                if (y - y.round()).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style(("sans-serif", 20).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        for (i, (_, score, interval)) in rows.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            if let Some((low, high)) = interval {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(*low, y), (*high, y)],
                        ACCENT.stroke_width(3),
                    )))
                    .map_err(err)?;
            }
            if let Some(x) = score {
                chart
                    .draw_series(std::iter::once(Circle::new((*x, y), 6, ACCENT.filled())))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)
    })
}

/// One line per series over points in time (index = order taken).
pub fn trends(series: &[(String, Vec<(usize, f64)>)], points: usize, scale: (i64, i64)) -> String {
    let last = points.saturating_sub(1).max(1) as f64;
    svg(640, 320, |root| {
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0.0..last, scale.0 as f64..scale.1 as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("Earlier → later")
            .x_labels(0)
            .y_labels(5)
            .label_style(("sans-serif", 20).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        for ((name, values), colour) in series.iter().zip(SERIES.iter().cycle()) {
            let line: Vec<(f64, f64)> = values.iter().map(|(x, y)| (*x as f64, *y)).collect();
            chart
                .draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(line.into_iter().map(|p| Circle::new(p, 4, colour.filled())))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .label_font(("sans-serif", 18).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        root.present().map_err(err)
    })
}

/// Keeps a label to letters, digits and spaces, so nothing in it can be markup.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .take(20)
        .collect()
}

/// The person in the middle, supporters around; line width = how much the
/// person leans on them, colour = domain.
pub fn support_picture(map: &SupportMap) -> String {
    let people = &map.people;
    svg(480, 480, |root| {
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .build_cartesian_2d(-1.3..1.3, -1.3..1.3)
            .map_err(err)?;
        let count = people.len().max(1) as f64;
        for (i, person) in people.iter().enumerate() {
            let angle = std::f64::consts::TAU * i as f64 / count + std::f64::consts::FRAC_PI_2;
            let (x, y) = (angle.cos(), angle.sin());
            for (d, domain) in Domain::ALL.iter().enumerate() {
                let level = person.level_on(*domain).get();
                if level == 0 {
                    continue;
                }
                // Lines of different domains sit side by side, not on top of each other.
                let offset = (d as f64 - 2.5) * 0.025;
                let (ox, oy) = (-angle.sin() * offset, angle.cos() * offset);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(ox, oy), (x * 0.82 + ox, y * 0.82 + oy)],
                        DOMAIN_COLOURS[d].stroke_width(u32::from(level) * 2),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (x * 0.9, y * 0.9),
                    18,
                    WHITE.filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (x * 0.9, y * 0.9),
                    18,
                    INK.stroke_width(2),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    plain(&person.name),
                    (x * 1.05 - 0.15, y * 1.12),
                    ("sans-serif", 20).into_font().color(&INK),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(Circle::new(
                (0.0, 0.0),
                26,
                ACCENT.filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                "You".to_owned(),
                (-0.09, 0.04),
                ("sans-serif", 20).into_font().color(&WHITE),
            )))
            .map_err(err)?;
        root.present().map_err(err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::network::{Level, Role, Supporter};

    #[test]
    fn the_support_picture_has_a_line_per_domain_leaned_on() {
        let mut alex = Supporter::new("Alex <b>", Role::Partner);
        alex.leans_on
            .insert(Domain::Emotional, Level::new(4).unwrap());
        alex.leans_on.insert(Domain::Money, Level::new(2).unwrap());
        let picture = support_picture(&SupportMap { people: vec![alex] });
        assert!(picture.starts_with("<svg"), "{picture}");
        assert_eq!(
            picture.matches("<polyline").count() + picture.matches("<path").count(),
            2,
            "{picture}"
        );
        assert!(picture.contains("Alex b"));
        assert!(!picture.contains("<b>"));
    }
}
