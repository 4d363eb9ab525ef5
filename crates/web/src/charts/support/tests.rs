use super::*;
use plotters::style::RGBColor;
use tandem_core::network::{Level, Role};

/// Names of every kind a person might type: short, with punctuation that
/// means something in XML, with spaces to wrap at, one long word, other
/// scripts, and the longest a name may be.
const NAMES: [&str; 12] = [
    "Jo (my sister)",
    "O'Brien",
    "Mum & Dad",
    "Sam",
    "Dr Amara Okonkwo-Lindqvist",
    "Maximiliansweltenbummlergesellschaft",
    "Tuesday evening book club at the library",
    "<b>Kit</b> \"the cat\"",
    "李小龍",
    "WWWWWWWWWWWWWWWWWWWW",
    "Me",
    "Alexandra Montgomery-Smythe, my old neighbour from the flat upstairs on Elm R",
];

fn person(name: &str, level: u8, spread: usize) -> Supporter {
    let mut person = Supporter::new(name, Role::Friend);
    for domain in Domain::ALL.iter().take(spread) {
        if let Ok(level) = Level::new(level) {
            person.leans_on.insert(*domain, level);
        }
    }
    person
}

/// Maps of `count` people: all on one circle, spread over the three, and
/// with names from short to the longest allowed.
fn maps(count: usize) -> Vec<SupportMap> {
    let mut maps = Vec::new();
    for pattern in 0..6usize {
        let people = (0..count)
            .map(|i| {
                let level = match pattern {
                    0 => 4,
                    1 => 2,
                    2 => 0,
                    _ => ((i + pattern) % 5) as u8,
                };
                let name = match pattern {
                    4 => "Sam".to_owned(),
                    5 => NAMES[11].chars().take(80).collect(),
                    _ => NAMES[(i + pattern) % NAMES.len()].to_owned(),
                };
                person(&name, level, 1 + i % 6)
            })
            .collect();
        maps.push(SupportMap { people });
    }
    maps
}

fn inside(outer: &Rect, inner: &Rect) -> bool {
    inner.left >= outer.left
        && inner.right <= outer.right
        && inner.top >= outer.top
        && inner.bottom <= outer.bottom
}

#[test]
fn names_never_overlap_and_stay_inside_from_one_to_twenty_people() {
    for count in 1..=20 {
        for (pattern, map) in maps(count).iter().enumerate() {
            let layout = layout(map);
            let what = format!("{count} people, pattern {pattern}");
            let page = Rect {
                left: 0.0,
                top: 0.0,
                right: WIDTH,
                bottom: layout.height,
            };
            assert_eq!(layout.people.len(), count, "{what}");
            assert!(inside(&page, &layout.me), "{what}: the middle");
            for (i, a) in layout.people.iter().enumerate() {
                assert!(
                    inside(&page, &a.label),
                    "{what}: {:?} at {:?} leaves the drawing of height {}",
                    map.people[i].name,
                    a.label,
                    layout.height
                );
                assert!(!a.label.overlaps(&layout.me), "{what}: {i} covers You");
                for (j, b) in layout.people.iter().enumerate() {
                    let dot = Rect::around(b.dot.0, b.dot.1, DOT);
                    assert!(!a.label.overlaps(&dot), "{what}: name {i} covers dot {j}");
                    if i < j {
                        assert!(
                            !a.label.overlaps(&b.label),
                            "{what}: names {i} and {j} overlap: {:?} {:?}",
                            a.label,
                            b.label
                        );
                        let apart =
                            ((a.dot.0 - b.dot.0).powi(2) + (a.dot.1 - b.dot.1).powi(2)).sqrt();
                        assert!(apart > 2.0 * DOT, "{what}: dots {i} and {j} touch");
                    }
                }
                assert_eq!(a.lines.concat(), map.people[i].name, "{what}");
                for line in &a.lines {
                    assert!(
                        text_width(line.trim_end()) <= LABEL_MAX
                            || line.trim_end().chars().count() == 1,
                        "{what}: {line:?} is too wide"
                    );
                }
                assert!(a.label.right - a.label.left <= LABEL_MAX, "{what}");
            }
        }
    }
}

#[test]
fn people_sit_on_the_circle_of_their_strongest_reliance() {
    let map = SupportMap {
        people: vec![
            person("A", 4, 1),
            person("B", 3, 6),
            person("C", 2, 6),
            person("D", 1, 6),
            Supporter::new("E", Role::Myself),
        ],
    };
    let layout = layout(&map);
    let circles: Vec<Circle> = layout.people.iter().map(|p| p.circle).collect();
    assert_eq!(
        circles,
        [
            Circle::Inner,
            Circle::Inner,
            Circle::Middle,
            Circle::Outer,
            Circle::Outer
        ]
    );
    let (cx, cy) = layout.centre;
    for p in &layout.people {
        let distance = ((p.dot.0 - cx).powi(2) + (p.dot.1 - cy).powi(2)).sqrt();
        let ring = layout.rings[p.circle.index()];
        assert!((distance - ring).abs() < 1e-6, "{p:?}");
    }
    assert!(layout.rings[0] < layout.rings[1] && layout.rings[1] < layout.rings[2]);
}

#[test]
fn short_names_stay_on_one_line_and_long_ones_wrap_at_spaces() {
    assert_eq!(wrap("Jo (my sister)", LABEL_MAX), ["Jo (my sister)"]);
    assert_eq!(wrap("O'Brien", LABEL_MAX), ["O'Brien"]);
    assert_eq!(
        wrap("Tuesday evening book club at the library", LABEL_MAX),
        ["Tuesday evening ", "book club at the ", "library"]
    );
    // Spaces are kept where they were typed, even doubled.
    let doubled = wrap("Ana  Maria  de  la  Cruz  Fernández", LABEL_MAX);
    assert_eq!(doubled.concat(), "Ana  Maria  de  la  Cruz  Fernández");
    assert!(doubled.len() > 1);
    // One word too long for a line is broken, nothing dropped.
    let word = wrap("Maximiliansweltenbummlergesellschaft", LABEL_MAX);
    assert!(word.len() > 1, "{word:?}");
    assert_eq!(word.concat(), "Maximiliansweltenbummlergesellschaft");
    assert_eq!(wrap("", LABEL_MAX), [""]);
}

#[test]
fn names_are_escaped_never_stripped() {
    let names = ["Jo (my sister)", "O'Brien", "Mum & Dad", "<b>Kit</b> \"x\""];
    let map = SupportMap {
        people: names.iter().map(|n| person(n, 3, 2)).collect(),
    };
    let svg = support_picture(&map);
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains(">Jo (my sister)</tspan>"), "{svg}");
    assert!(svg.contains(">O&#39;Brien</tspan>"), "{svg}");
    assert!(svg.contains(">Mum &amp; Dad</tspan>"), "{svg}");
    assert!(
        svg.contains("&lt;b&gt;Kit&lt;/b&gt; &quot;x&quot;"),
        "{svg}"
    );
    assert!(!svg.contains("<b>"), "{svg}");
    assert_eq!(
        escape("& < > \" ' é"),
        "&amp; &lt; &gt; &quot; &#39; é",
        "each of the five, and nothing else"
    );
    // Every name's text, unescaped, is the name.
    let texts: Vec<String> = svg
        .split("<text ")
        .skip(1)
        .map(|t| {
            t.split("</text>")
                .next()
                .unwrap_or_default()
                .split("<tspan")
                .skip(1)
                .filter_map(|s| s.split_once('>').map(|(_, rest)| rest))
                .map(|s| s.trim_end_matches("</tspan>"))
                .collect::<String>()
        })
        .collect();
    let unescaped: Vec<String> = texts
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect();
    assert_eq!(unescaped, names);
}

#[test]
fn the_picture_has_a_line_per_part_of_life_leaned_on_and_scales_to_its_column() {
    let mut alex = Supporter::new("Alex", Role::Partner);
    alex.leans_on.insert(Domain::Emotional, Level::MAX);
    alex.leans_on.insert(Domain::Money, Level::new(2).unwrap());
    alex.leans_back
        .insert(Domain::Company, Level::new(3).unwrap());
    let svg = support_picture(&SupportMap { people: vec![alex] });
    let coloured = |colour: RGBColor| format!("stroke=\"{}\"", hex(colour));
    assert_eq!(svg.matches("<line").count(), 2, "{svg}");
    assert!(svg.contains(&coloured(DOMAIN_COLOURS[0])));
    assert!(svg.contains(&coloured(DOMAIN_COLOURS[3])));
    assert!(svg.contains("stroke-width=\"6\""), "level 4 is the widest");
    assert!(svg.contains("stroke-width=\"3\""), "level 2 half as wide");
    assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
    assert!(svg.contains("width=\"100%\""), "{svg}");
    assert!(svg.contains("font-size=\"16\""), "{svg}");
    // An empty map still draws the middle and the circles.
    let empty = support_picture(&SupportMap::default());
    assert!(empty.contains(">You</text>"));
    assert_eq!(empty.matches("<circle").count(), 4);
}

#[test]
fn the_key_names_each_part_of_life_in_its_own_colour() {
    let key = support_key();
    let words: Vec<&str> = key.iter().map(|k| k.words.as_str()).collect();
    assert_eq!(
        words,
        [
            "Emotional support",
            "Feeling valued",
            "Help with decisions",
            "Help with money",
            "Practical help",
            "Company and social life"
        ]
    );
    let mut colours: Vec<&str> = key.iter().map(|k| k.colour.as_str()).collect();
    colours.sort_unstable();
    colours.dedup();
    assert_eq!(colours.len(), 6);
}
