//! The support map as a picture: the person in the middle, the people they
//! lean on placed on three circles by how much they lean on them (the inner,
//! middle and outer circles of the convoy model), one line per part of life
//! in that part's colour and as wide as the reliance, and every name exactly
//! as it was typed.
//!
//! Drawn by hand rather than with plotters, because the names must come out
//! character for character (escaped, never stripped) and the labels must
//! never run into each other at any count from 1 to 20 people. [`layout`]
//! decides every position from the map alone, so the same map always gives
//! the same picture and the no-overlap promise can be tested without a
//! browser.

use std::fmt::Write as _;

use tandem_core::network::{Domain, SupportMap, Supporter};

use super::{ACCENT, DOMAIN_COLOURS, INK, KeyEntry, hex};

/// Width of the drawing in SVG units; like the other charts it fills its
/// column, so on a 360 px phone one unit is about 0.91 CSS px.
pub const WIDTH: f64 = 360.0;
/// Name size in SVG units: 14.6 CSS px in a 328 px column.
const FONT: f64 = 16.0;
/// Distance between the baselines of a wrapped name's lines.
const LINE: f64 = 20.0;
/// Where a name's first baseline sits below the top of its box: fonts put
/// about 0.93 em above the baseline and 0.24 em below, so a 20-unit line
/// box holds the glyphs with room to spare.
const ASCENT: f64 = 15.5;
/// Space kept free along the drawing's edges.
const MARGIN: f64 = 4.0;
/// Radius of a person's dot.
const DOT: f64 = 9.0;
/// Radius of the middle disc that says "You".
const ME: f64 = 24.0;
/// Least space between two labels, or a label and a dot.
const GAP: f64 = 4.0;
/// The widest a name may run before it wraps onto another line: about 16
/// ordinary letters, so a name fits above its dot without crowding.
const LABEL_MAX: f64 = 160.0;
/// The radius each circle has when it is not crowded, inner to outer.
const RINGS: [f64; 3] = [60.0, 102.0, 144.0];
/// Least distance between two circles, so dots on neighbouring circles
/// stay apart.
const RING_STEP: f64 = 2.0 * DOT + 12.0;
/// Least distance along a circle between two dots' centres.
const DOT_SPACING: f64 = 2.0 * DOT + 4.0;

/// A box in SVG units: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    fn around(x: f64, y: f64, radius: f64) -> Rect {
        Rect {
            left: x - radius,
            top: y - radius,
            right: x + radius,
            bottom: y + radius,
        }
    }

    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// The box grown by `by` on every side.
    fn grown(&self, by: f64) -> Rect {
        Rect {
            left: self.left - by,
            top: self.top - by,
            right: self.right + by,
            bottom: self.bottom + by,
        }
    }

    /// The box moved down by `dy`.
    fn shifted(&self, dy: f64) -> Rect {
        Rect {
            top: self.top + dy,
            bottom: self.bottom + dy,
            ..*self
        }
    }
}

/// Which of the three circles a person sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Circle {
    /// Leaned on a lot (3 or 4) for at least one part of life.
    Inner,
    /// Leaned on some (2) at most.
    Middle,
    /// Leaned on a little (1) or not yet at all.
    Outer,
}

impl Circle {
    /// The circle for a supporter: their strongest reliance decides it, so
    /// someone the person leans on a great deal for one thing is close even
    /// if they help with nothing else.
    pub fn of(person: &Supporter) -> Circle {
        let most = Domain::ALL
            .iter()
            .map(|d| person.level_on(*d).get())
            .max()
            .unwrap_or(0);
        match most {
            3.. => Circle::Inner,
            2 => Circle::Middle,
            _ => Circle::Outer,
        }
    }

    fn index(self) -> usize {
        match self {
            Circle::Inner => 0,
            Circle::Middle => 1,
            Circle::Outer => 2,
        }
    }
}

/// One person's place in the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Position in the map's list.
    pub index: usize,
    /// The circle they sit on.
    pub circle: Circle,
    /// Centre of their dot (before the final shift, the middle is at 0, 0).
    pub dot: (f64, f64),
    /// The name cut into lines; joined they give the name exactly.
    pub lines: Vec<String>,
    /// Where the name is drawn (estimated generously from its letters).
    pub label: Rect,
    /// Whether the name had to move away from its dot, so a thin line
    /// leads from the dot to it.
    pub leader: bool,
}

/// Every position in the picture, decided before anything is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Height of the drawing; the width is always [`WIDTH`].
    pub height: f64,
    /// The middle of the picture, where "You" sits.
    pub centre: (f64, f64),
    /// The radius of each circle, inner to outer.
    pub rings: [f64; 3],
    /// The people, in the map's order.
    pub people: Vec<Placed>,
    /// The box of the middle disc, which holds "You".
    pub me: Rect,
}

/// How wide a character is, in ems, erring wide: these are the widths of
/// DejaVu Sans (the broadest common sans-serif) rounded up, so a name
/// drawn in any ordinary sans-serif fits the box it was given.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | '\'' | '!' | '|' | ':' | ';' | ' ' | 'I' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.44,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.0,
        'A'..='Z' | '&' => 0.8,
        c if c.is_ascii() => 0.66,
        // Letters of other scripts, including wide ones such as Chinese
        // or Japanese, take at most a full em; pictographs a little more.
        c if u32::from(c) < 0x1F000 => 1.0,
        _ => 1.3,
    }
}

/// Estimated drawn width of `text` in SVG units.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(char_em).sum::<f64>() * FONT
}

/// Cuts a name into lines no wider than `max`, at spaces (or after a
/// hyphen) where it can and
/// inside a word only when one word alone is too wide. Every character
/// stays, spaces included, so the lines joined are the name exactly.
pub fn wrap(name: &str, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in name.split_inclusive([' ', '-']) {
        let joined = format!("{line}{word}");
        if text_width(joined.trim_end()) <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if text_width(word.trim_end()) <= max {
            line = word.to_owned();
            continue;
        }
        // One word wider than a line: break it where it must.
        for c in word.chars() {
            let longer = format!("{line}{c}");
            if !line.is_empty() && c != ' ' && text_width(longer.trim_end()) > max {
                lines.push(std::mem::take(&mut line));
                line.push(c);
            } else {
                line = longer;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Radii for the three circles: the usual ones, widened when a circle holds
/// so many people that their dots would touch, and kept apart.
fn radii(counts: [usize; 3]) -> [f64; 3] {
    let mut rings = RINGS;
    let mut inner_edge: f64 = 0.0;
    for (ring, count) in rings.iter_mut().zip(counts) {
        let crowded = count as f64 * DOT_SPACING / std::f64::consts::TAU;
        *ring = ring.max(crowded).max(inner_edge + RING_STEP);
        inner_edge = *ring;
    }
    rings
}

/// Decides where everything goes.
///
/// People are spread evenly round their circle (each circle starting at a
/// different angle, so the circles' dots do not line up). A name sits just
/// above its dot in the top half of the picture and just below it in the
/// bottom half, kept inside the drawing's width; where that would cover a
/// dot, the middle or a name already placed, it tries beside the dot (on
/// the side away from the middle), then on the dot's other side; failing
/// those it moves further out (up or down) until it is clear, and a thin
/// line leads from the dot to it. Moving only ever outwards, past one obstacle at
/// a time, it is clear after at most as many moves as there are obstacles.
/// The drawing then grows to hold every name.
pub fn layout(map: &SupportMap) -> Layout {
    let circles: Vec<Circle> = map.people.iter().map(Circle::of).collect();
    let mut counts = [0usize; 3];
    for circle in &circles {
        counts[circle.index()] += 1;
    }
    let rings = radii(counts);
    let centre_x = WIDTH / 2.0;
    let mut seen = [0usize; 3];
    let dots: Vec<(f64, f64)> = circles
        .iter()
        .map(|circle| {
            let ring = circle.index();
            let position = seen[ring] as f64;
            seen[ring] += 1;
            // The inner circle starts at the top, the middle half a step
            // round, the outer a quarter step round.
            let offset = [0.0, 0.5, 0.25][ring];
            let angle = -std::f64::consts::FRAC_PI_2
                + (position + offset) * std::f64::consts::TAU / counts[ring] as f64;
            (
                centre_x + rings[ring] * angle.cos(),
                rings[ring] * angle.sin(),
            )
        })
        .collect();
    let me = Rect::around(centre_x, 0.0, ME);
    let mut obstacles: Vec<Rect> = dots.iter().map(|&(x, y)| Rect::around(x, y, DOT)).collect();
    obstacles.push(me);

    // Names of the inner circle first: they are the ones nearest the
    // middle, where space is scarcest.
    let mut order: Vec<usize> = (0..map.people.len()).collect();
    order.sort_by_key(|&i| (circles[i], i));
    let mut placed: Vec<Option<Placed>> = vec![None; map.people.len()];
    for i in order {
        let (x, y) = dots[i];
        let lines = wrap(&map.people[i].name, LABEL_MAX);
        let width = lines
            .iter()
            .map(|line| text_width(line.trim_end()))
            .fold(0.0, f64::max);
        let height = lines.len() as f64 * LINE;
        // Centred on the dot, but kept inside the drawing (a name is never
        // wider than LABEL_MAX, far less than the width).
        let clear = |r: &Rect| {
            r.left >= MARGIN
                && r.right <= WIDTH - MARGIN
                && !obstacles.iter().any(|o| o.grown(GAP).overlaps(r))
        };
        // Centred on the dot, but kept inside the drawing (a name is never
        // wider than LABEL_MAX, far less than the width).
        let left = (x - width / 2.0).min(WIDTH - MARGIN - width).max(MARGIN);
        let upward = y < -0.5;
        let above = Rect {
            left,
            top: y - DOT - GAP - height,
            right: left + width,
            bottom: y - DOT - GAP,
        };
        let below = Rect {
            left,
            top: y + DOT + GAP,
            right: left + width,
            bottom: y + DOT + GAP + height,
        };
        // Beside the dot, on the side away from the middle.
        let beside = if x >= centre_x {
            Rect {
                left: x + DOT + GAP,
                top: y - height / 2.0,
                right: x + DOT + GAP + width,
                bottom: y + height / 2.0,
            }
        } else {
            Rect {
                left: x - DOT - GAP - width,
                top: y - height / 2.0,
                right: x - DOT - GAP,
                bottom: y + height / 2.0,
            }
        };
        let (outward, inward) = if upward {
            (above, below)
        } else {
            (below, above)
        };
        let free = [outward, beside, inward].into_iter().find(|r| clear(r));
        let mut label = free.unwrap_or(outward);
        while let Some(hit) = obstacles
            .iter()
            .map(|o| o.grown(GAP))
            .find(|o| o.overlaps(&label))
        {
            // Edges set exactly to the obstacle's, so the next test cannot
            // find it again through a rounding error.
            label = if upward {
                Rect {
                    top: hit.top - height,
                    bottom: hit.top,
                    ..label
                }
            } else {
                Rect {
                    top: hit.bottom,
                    bottom: hit.bottom + height,
                    ..label
                }
            };
        }
        obstacles.push(label);
        placed[i] = Some(Placed {
            index: i,
            circle: circles[i],
            dot: (x, y),
            lines,
            label,
            leader: free.is_none(),
        });
    }
    let people: Vec<Placed> = placed.into_iter().flatten().collect();

    // Grow the drawing to hold the circles and every name, then move the
    // middle so the top edge is at 0.
    let outer = rings[2] + DOT;
    let top = people.iter().map(|p| p.label.top).fold(-outer, f64::min) - MARGIN;
    let bottom = people.iter().map(|p| p.label.bottom).fold(outer, f64::max) + MARGIN;
    let shift = -top;
    Layout {
        height: bottom - top,
        centre: (centre_x, shift),
        rings,
        people: people
            .into_iter()
            .map(|p| Placed {
                dot: (p.dot.0, p.dot.1 + shift),
                label: p.label.shifted(shift),
                ..p
            })
            .collect(),
        me: me.shifted(shift),
    }
}

/// Text made safe inside XML: the five characters with a meaning there are
/// written as entities, and nothing is left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The nearest point of `rect` to `point`, where a leader line ends.
fn nearest(rect: &Rect, (x, y): (f64, f64)) -> (f64, f64) {
    (
        x.clamp(rect.left, rect.right),
        y.clamp(rect.top, rect.bottom),
    )
}

/// The picture as SVG, scaled to its container by its `viewBox`.
pub fn support_picture(map: &SupportMap) -> String {
    let layout = layout(map);
    let (cx, cy) = layout.centre;
    let mut svg = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"support-map\" viewBox=\"0 0 {WIDTH} {h:.1}\" \
         width=\"100%\" focusable=\"false\" font-family=\"sans-serif\" font-size=\"{FONT}\">\
         <rect width=\"{WIDTH}\" height=\"{h:.1}\" fill=\"#ffffff\"/>",
        h = layout.height
    );
    for ring in layout.rings {
        let _ = write!(
            svg,
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{ring:.1}\" fill=\"none\" stroke=\"#b1b4b6\" \
             stroke-width=\"1.5\" stroke-dasharray=\"5 5\"/>"
        );
    }
    for person in &layout.people {
        let (x, y) = person.dot;
        let length = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt().max(1.0);
        // Lines of different parts of life run side by side, not on top
        // of each other.
        let (nx, ny) = (-(y - cy) / length, (x - cx) / length);
        for (d, domain) in Domain::ALL.iter().enumerate() {
            let level = map.people[person.index].level_on(*domain).get();
            if level == 0 {
                continue;
            }
            let offset = (d as f64 - 2.5) * 3.0;
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" \
                 stroke-width=\"{}\" stroke-linecap=\"round\"/>",
                cx + nx * offset,
                cy + ny * offset,
                x + nx * offset,
                y + ny * offset,
                hex(DOMAIN_COLOURS[d]),
                f64::from(level) * 1.5
            );
        }
    }
    // Thin lines from a dot to its name, where the name had to move away.
    for person in layout.people.iter().filter(|p| p.leader) {
        let (x1, y1) = person.dot;
        let (x2, y2) = nearest(&person.label, person.dot);
        let _ = write!(
            svg,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#4a4f55\" \
             stroke-width=\"1\"/>"
        );
    }
    for person in &layout.people {
        let (x, y) = person.dot;
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{DOT}\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"2.5\"/>",
            hex(INK)
        );
    }
    let _ = write!(
        svg,
        "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{ME}\" fill=\"{}\"/>\
         <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#ffffff\" font-weight=\"700\">You</text>",
        hex(ACCENT),
        cy + 5.5
    );
    for person in &layout.people {
        let label = person.label;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"#ffffff\" \
             fill-opacity=\"0.9\"/>",
            label.left - 2.0,
            label.top,
            label.right - label.left + 4.0,
            label.bottom - label.top
        );
        let middle = (label.left + label.right) / 2.0;
        let _ = write!(
            svg,
            "<text x=\"{middle:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{}\">",
            label.top + ASCENT,
            hex(INK)
        );
        for (n, line) in person.lines.iter().enumerate() {
            let dy = if n == 0 { 0.0 } else { LINE };
            let _ = write!(
                svg,
                "<tspan x=\"{middle:.1}\" dy=\"{dy}\">{}</tspan>",
                escape(line)
            );
        }
        svg.push_str("</text>");
    }
    svg.push_str("</svg>");
    svg
}

/// The key of the picture's colours, one entry per part of life.
pub fn support_key() -> Vec<KeyEntry> {
    Domain::ALL
        .iter()
        .zip(DOMAIN_COLOURS)
        .map(|(domain, colour)| {
            let mut letters = domain.label().chars();
            let words = letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect())
                .unwrap_or_default();
            KeyEntry {
                words,
                colour: hex(colour),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
