//! Charts as SVG: the facet profile with intervals and bands and trends over
//! time, drawn with plotters, and the support-map picture (in [`support`],
//! drawn by hand). Pages embed the SVG
//! beside a table with the same numbers, which is what screen readers get.

use plotters::prelude::*;
use tandem_core::instrument::Instrument;
use tandem_core::scoring::Scores;

pub mod support;

pub use support::{support_key, support_picture};

/// Band fills by what the band means for the facet (light, so dots and
/// text stay readable on them): a healthy range, in between, worth care.
const HEALTHY: RGBColor = RGBColor(214, 236, 206);
const BETWEEN: RGBColor = RGBColor(244, 238, 205);
const CARE: RGBColor = RGBColor(247, 214, 207);
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

/// Width of every chart in SVG units. Pages scale a chart to its column,
/// which is about this wide on a 360 px phone, so [`TEXT`] stays at least
/// 14 CSS px there.
const WIDTH: u32 = 360;
/// Text size as plotters takes it; it writes `font-size` as this / 1.24,
/// so 20 is 16 SVG units, 14.6 CSS px in a 328 px column.
const TEXT: u32 = 20;

/// One entry of a chart's key: words and the colour they stand for, as
/// `#rrggbb`. Pages show keys as text beside the picture, where they scale
/// like any text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// What the colour means.
    pub words: String,
    /// The colour.
    pub colour: String,
}

fn hex(colour: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", colour.0, colour.1, colour.2)
}

fn key(entries: &[(&str, RGBColor)]) -> Vec<KeyEntry> {
    entries
        .iter()
        .map(|(words, colour)| KeyEntry {
            words: (*words).to_owned(),
            colour: hex(*colour),
        })
        .collect()
}

/// The key of the facet chart's bands.
pub fn band_key() -> Vec<KeyEntry> {
    key(&[
        ("A healthy range", HEALTHY),
        ("In between", BETWEEN),
        ("Worth some care", CARE),
    ])
}

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

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// The fill of a band of a facet: for a strength (a healthy facet) the low
/// band is the one worth care, for the others the high one.
fn band_fill(band: &str, strength: bool) -> RGBColor {
    match (band, strength) {
        ("low", false) | ("elevated", true) => HEALTHY,
        ("low", true) | ("elevated", false) => CARE,
        _ => BETWEEN,
    }
}

/// Height of one facet's row: its name, then its band strip.
const ROW: i32 = 58;
/// Left and right edge of the strips.
const LEFT: i32 = 8;
const RIGHT: i32 = WIDTH as i32 - 8;

/// Facet scores as dots with 95% intervals, each on its own strip of bands
/// coloured by what they mean for that facet, the name and score above it
/// (rows, not columns, so a phone need not shrink the names).
pub fn facet_profile(instrument: &Instrument, scores: &Scores) -> String {
    let (min, max) = (instrument.scale.min as f64, instrument.scale.max as f64);
    let x_of = |value: f64| LEFT + ((value - min) / (max - min) * f64::from(RIGHT - LEFT)) as i32;
    let rows = instrument.facets.len() as i32;
    let height = 8 + rows * ROW + 30;
    svg(WIDTH, height as u32, |root| {
        root.fill(&WHITE).map_err(err)?;
        for (i, facet) in instrument.facets.iter().enumerate() {
            let top = 8 + i as i32 * ROW;
            let score = scores.facets.get(&facet.id);
            let value = score.and_then(|s| s.score);
            let label = match value {
                Some(v) => format!("{}: {v:.1}", facet.name),
                None => format!("{}: not scored", facet.name),
            };
            root.draw(&Text::new(label, (LEFT, top), font(TEXT)))
                .map_err(err)?;
            let strip = (top + 26, top + 48);
            let strength = tandem_core::scoring::is_strength(facet);
            for band in &instrument.bands {
                root.draw(&Rectangle::new(
                    [(x_of(band.from), strip.0), (x_of(band.to), strip.1)],
                    band_fill(band.id.as_str(), strength).filled(),
                ))
                .map_err(err)?;
            }
            let middle = (strip.0 + strip.1) / 2;
            if let Some((low, high)) = score.and_then(|s| s.low.zip(s.high)) {
                root.draw(&PathElement::new(
                    vec![(x_of(low), middle), (x_of(high), middle)],
                    ACCENT.stroke_width(4),
                ))
                .map_err(err)?;
            }
            if let Some(v) = value {
                root.draw(&Circle::new((x_of(v), middle), 8, ACCENT.filled()))
                    .map_err(err)?;
                root.draw(&Circle::new((x_of(v), middle), 8, WHITE.stroke_width(2)))
                    .map_err(err)?;
            }
        }
        // The scale under the last strip.
        let axis = 8 + rows * ROW + 4;
        for point in instrument.scale.min..=instrument.scale.max {
            let x = x_of(point as f64);
            root.draw(&Text::new(point.to_string(), (x - 4, axis), font(TEXT)))
                .map_err(err)?;
        }
        root.present().map_err(err)
    })
}

/// A trend chart, and its numbers for the table beside it.
#[derive(Debug, Clone)]
pub struct Trends {
    /// The picture, each line labelled at its end with its name.
    pub svg: String,
    /// Each series and its values from first to latest, one decimal.
    pub rows: Vec<(String, String)>,
    /// How older results were grouped, when they were.
    pub grouped: Option<String>,
}

/// Room on the right of the trend chart for the lines' names.
const LABELS: u32 = 160;

/// Vertical places for labels wanted at `wanted` (pixel rows, any order):
/// each as near its own line's end as it can be, at least `gap` apart, and
/// inside `top..=bottom`. Order is kept, so a label never crosses another.
pub fn spread(wanted: &[i32], gap: i32, top: i32, bottom: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| (wanted[i], i));
    let mut placed = vec![0; wanted.len()];
    let mut next = top;
    for &i in &order {
        let y = wanted[i].max(next);
        placed[i] = y;
        next = y + gap;
    }
    // Pushed past the bottom: move the stack up, keeping the gaps.
    let mut limit = bottom;
    for &i in order.iter().rev() {
        if placed[i] > limit {
            placed[i] = limit;
        }
        limit = placed[i] - gap;
    }
    placed
}

/// One line per series over points in time (index = order taken), with
/// large dots and the series' name at the end of its line.
pub fn trends(series: &[(String, Vec<(usize, f64)>)], points: usize, scale: (i64, i64)) -> Trends {
    let last = points.saturating_sub(1).max(1) as f64;
    let height = 280;
    let picture = svg(WIDTH, height, |root| {
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(LABELS + 12)
            .x_label_area_size(26)
            .y_label_area_size(26)
            .build_cartesian_2d(-0.1..last + 0.1, scale.0 as f64..scale.1 as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("Earlier → later")
            .x_labels(0)
            .y_labels(5)
            .light_line_style(WHITE)
            .label_style(font(TEXT))
            .axis_desc_style(font(TEXT))
            .draw()
            .map_err(err)?;
        let mut ends = Vec::new();
        for ((name, values), colour) in series.iter().zip(SERIES.iter().cycle()) {
            let line: Vec<(f64, f64)> = values.iter().map(|(x, y)| (*x as f64, *y)).collect();
            chart
                .draw_series(LineSeries::new(line.clone(), colour.stroke_width(3)))
                .map_err(err)?;
            chart
                .draw_series(line.iter().map(|p| Circle::new(*p, 7, colour.filled())))
                .map_err(err)?;
            if let Some(end) = line.last() {
                ends.push((name, *colour, chart.backend_coord(end)));
            }
        }
        let wanted: Vec<i32> = ends.iter().map(|(_, _, (_, y))| *y).collect();
        let places = spread(&wanted, TEXT as i32, 16, height as i32 - 40);
        let label_x = (WIDTH - LABELS) as i32;
        for ((name, colour, end), y) in ends.iter().zip(places) {
            root.draw(&PathElement::new(
                vec![*end, (label_x - 10, y), (label_x, y)],
                colour.stroke_width(2),
            ))
            .map_err(err)?;
            root.draw(&Circle::new((label_x + 4, y), 5, colour.filled()))
                .map_err(err)?;
            let style = font(TEXT).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            ));
            root.draw(&Text::new(name.as_str(), (label_x + 12, y), style))
                .map_err(err)?;
        }
        root.present().map_err(err)
    });
    Trends {
        svg: picture,
        rows: series
            .iter()
            .map(|(name, values)| {
                let values: Vec<String> = values.iter().map(|(_, v)| format!("{v:.1}")).collect();
                (name.clone(), values.join(" → "))
            })
            .collect(),
        grouped: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_labels_keep_their_order_and_gap_and_stay_inside() {
        // (wanted, placed), with a gap of 20 inside 10..=240.
        let cases: [(&[i32], &[i32]); 5] = [
            (&[50, 120, 200], &[50, 120, 200]),
            (&[100, 100, 100], &[100, 120, 140]),
            (&[230, 235, 240], &[200, 220, 240]),
            (&[5, 6], &[10, 30]),
            (&[90, 80, 70], &[110, 90, 70]),
        ];
        for (wanted, placed) in cases {
            assert_eq!(spread(wanted, 20, 10, 240), placed, "{wanted:?}");
        }
    }

    #[test]
    fn each_trend_line_is_named_at_its_end_and_its_numbers_listed() {
        let series = vec![
            ("Over-dependence".to_owned(), vec![(0, 3.25), (2, 2.5)]),
            ("Weekly pulse".to_owned(), vec![(1, 4.0), (2, 4.0)]),
        ];
        let trends = trends(&series, 3, (1, 5));
        for name in ["Over-dependence", "Weekly pulse"] {
            // plotters writes each text on a line of its own.
            let text = format!(">\n{name}\n<");
            assert_eq!(
                trends.svg.matches(&text).count(),
                1,
                "{name}: {}",
                trends.svg
            );
        }
        assert_eq!(
            trends.rows,
            [
                ("Over-dependence".to_owned(), "3.2 → 2.5".to_owned()),
                ("Weekly pulse".to_owned(), "4.0 → 4.0".to_owned()),
            ]
        );
    }

    /// The fills of the chart's rectangles, in drawing order, lower case.
    fn fills(svg: &str) -> Vec<String> {
        svg.split("<rect")
            .skip(1)
            .filter_map(|rect| rect.split("fill=\"").nth(1)?.split('"').next())
            .map(str::to_ascii_lowercase)
            .collect()
    }

    #[test]
    fn band_colours_follow_what_a_range_means_for_each_facet() {
        let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
            .unwrap()
            .unwrap();
        let answers = tandem_core::answers::Answers::new();
        let scores = tandem_core::scoring::score(&rdp, &answers).unwrap();
        let picture = facet_profile(&rdp, &scores);
        // The white background, then three bands per facet.
        let fills = fills(&picture);
        assert_eq!(fills.len(), 1 + 3 * rdp.facets.len(), "{picture}");
        let (healthy, between, care) = (hex(HEALTHY), hex(BETWEEN), hex(CARE));
        for (i, facet) in rdp.facets.iter().enumerate() {
            let bands = &fills[1 + 3 * i..4 + 3 * i];
            let expected = if tandem_core::scoring::is_strength(facet) {
                [care.clone(), between.clone(), healthy.clone()]
            } else {
                [healthy.clone(), between.clone(), care.clone()]
            };
            assert_eq!(bands, expected, "{}", facet.id);
        }
        let strengths = rdp
            .facets
            .iter()
            .filter(|f| tandem_core::scoring::is_strength(f))
            .count();
        assert!(strengths > 0 && strengths < rdp.facets.len());
    }
}
