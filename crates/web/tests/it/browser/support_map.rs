//! The support map in a real browser: the add-person form keeps everything
//! after a mistake, and the picture shows every name exactly as typed, with
//! no two names on top of each other and none cut off, for 1, 3 and 20
//! people, at a phone's width and a desktop's.

use serde_json::{Value, json};

use super::{Walk, run_walk};

/// This walk's user.
const MAPPER: &str = "kind.lapwing";

/// The twelve level fields, in page order.
const LEVELS: [&str; 12] = [
    "lean-emotional",
    "back-emotional",
    "lean-validation",
    "back-validation",
    "lean-decisions",
    "back-decisions",
    "lean-money",
    "back-money",
    "lean-practical",
    "back-practical",
    "lean-company",
    "back-company",
];

/// Seventeen more people, to make twenty: short names and long ones, a
/// name with an apostrophe and one with a hyphen, on every circle.
const MORE: [(&str, &str, &str); 17] = [
    ("Sam", "partner", "4"),
    ("Kit", "friend", "2"),
    ("Dr Amara Okonkwo-Lindqvist", "professional", "1"),
    ("Tuesday evening book club", "group", "3"),
    ("Grandma Rosalind", "family", "4"),
    ("Priya", "friend", "0"),
    ("Me", "myself", "3"),
    ("Uncle Bartholomew", "family", "1"),
    ("D'Arcy", "colleague", "2"),
    ("Noor", "friend", "3"),
    ("The climbing wall crew", "group", "2"),
    ("Ms Wójcik-Hernández", "professional", "1"),
    ("Ben", "friend", "4"),
    ("Aunt Lou", "family", "0"),
    ("Theo from work", "colleague", "1"),
    ("Yusuf", "friend", "2"),
    ("Mrs Abernathy next door", "friend", "3"),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_support_map_keeps_the_form_and_draws_every_name_clearly() {
    run_walk("support map walk", support_map_walk).await;
}

/// Each `<select>` of the add-person form and its value.
async fn form_values(w: &Walk) -> Vec<(String, String)> {
    let found = w
        .client
        .execute(
            "return Array.from(document.querySelectorAll('form[action=\"/people\"] select')) \
               .map(s => [s.id, s.value]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// A box on screen: left, top, right, bottom.
type Boxed = (f64, f64, f64, f64);

/// The picture's box and each of its texts with its box, as drawn.
async fn drawn(w: &Walk) -> (Boxed, Vec<(String, Boxed)>) {
    let found = w
        .client
        .execute(
            "var svg = document.querySelector('.support-chart svg'); \
             var b = r => [r.left, r.top, r.right, r.bottom]; \
             return [b(svg.getBoundingClientRect()), \
               Array.from(svg.querySelectorAll('text')) \
                 .map(t => [t.textContent, b(t.getBoundingClientRect())])];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// Checks the picture at the window's current width: the names (after
/// "You") are `names` exactly, no two texts overlap, and every text is
/// inside the picture.
async fn check_labels(w: &Walk, names: &[&str], when: &str) {
    let (svg, texts) = drawn(w).await;
    let words: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(words[0], "You", "{when}");
    assert_eq!(&words[1..], names, "{when}: names exactly as typed");
    // Half a pixel of give for rounding where two boxes only touch.
    let slack = 0.5;
    for (i, (a, ra)) in texts.iter().enumerate() {
        assert!(
            ra.0 >= svg.0 - slack
                && ra.1 >= svg.1 - slack
                && ra.2 <= svg.2 + slack
                && ra.3 <= svg.3 + slack,
            "{when}: {a:?} at {ra:?} is cut off by the picture's edge {svg:?}"
        );
        assert!(ra.2 > ra.0 && ra.3 > ra.1, "{when}: {a:?} is drawn");
        for (b, rb) in &texts[i + 1..] {
            let apart = ra.2 <= rb.0 + slack
                || rb.2 <= ra.0 + slack
                || ra.3 <= rb.1 + slack
                || rb.3 <= ra.1 + slack;
            assert!(apart, "{when}: {a:?} {ra:?} overlaps {b:?} {rb:?}");
        }
    }
    println!(
        "support map walk: {when}: {} names clear of each other in a {:.0}×{:.0} px picture",
        names.len(),
        svg.2 - svg.0,
        svg.3 - svg.1
    );
}

/// The labels at the desktop width and at 360 px.
async fn check_both_widths(w: &Walk, names: &[&str], when: &str) {
    w.client.set_window_size(1280, 900).await.unwrap();
    check_labels(w, names, &format!("{when}, 1280 px")).await;
    w.client.set_window_size(360, 800).await.unwrap();
    check_labels(w, names, &format!("{when}, 360 px")).await;
    w.client.set_window_size(1280, 900).await.unwrap();
}

/// Adds a person through the form, as a person would.
async fn add(w: &Walk, name: &str, role: &str, levels: &[(&str, &str)]) {
    w.type_into("Name or nickname", name).await;
    w.choose("Who they are to you", role).await;
    for (label, level) in levels {
        w.choose(label, level).await;
    }
    w.click_button("Add person").await;
    w.assert_path("/people").await;
    w.wait_for(
        &format!(
            "//table//th[@scope='row'][normalize-space(.)={}]",
            super::xpath_literal(name)
        ),
        &format!("a row for {name}"),
    )
    .await;
}

async fn support_map_walk(mut w: Walk) -> Walk {
    let client = w.client.clone();
    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&w.url("/")).await.unwrap();
    w.click_link("Create an account").await;
    w.assert_path("/account/new").await;
    w.create_account(MAPPER).await;
    w.click_link("People").await;
    w.assert_path("/people").await;

    // 1. A mistake (no name): the form comes back with everything kept.
    w.choose("Who they are to you", "Family").await;
    let chosen = [
        ("You lean on them for emotional support", "4 — a great deal"),
        ("They lean on you for emotional support", "1 — a little"),
        ("You lean on them for help with money", "2 — some"),
        ("You lean on them for company and social life", "3 — a lot"),
        ("They lean on you for practical help", "2 — some"),
    ];
    for (label, level) in chosen {
        w.choose(label, level).await;
    }
    let before = form_values(&w).await;
    w.click_button("Add person").await;
    w.wait_for_text("There is a problem").await;
    w.wait_for_text("Enter a name or nickname of up to 80 characters.")
        .await;
    let after = form_values(&w).await;
    assert_eq!(after, before, "every choice kept after the mistake");
    let expected: Vec<(String, String)> = std::iter::once(("role", "family"))
        .chain(LEVELS.iter().map(|id| {
            let level = match *id {
                "lean-emotional" => "4",
                "back-emotional" => "1",
                "lean-money" => "2",
                "lean-company" => "3",
                "back-practical" => "2",
                _ => "0",
            };
            (*id, level)
        }))
        .map(|(id, value)| (id.to_owned(), value.to_owned()))
        .collect();
    assert_eq!(after, expected);
    let name = w.labelled("Name or nickname").await;
    assert_eq!(
        name.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let described = name.attr("aria-describedby").await.unwrap().unwrap();
    let inline: Value = client
        .execute(
            "return arguments[0].split(' ').map(id => { var e = document.getElementById(id); \
               return e ? e.textContent.trim() : null; });",
            vec![json!(described)],
        )
        .await
        .unwrap();
    assert_eq!(
        inline,
        json!([
            "Kept encrypted. A nickname is fine.",
            "Error: Enter a name or nickname of up to 80 characters."
        ]),
        "the name's hint and its inline error"
    );
    w.check_page("people-form-error").await;

    // 2. One person, then three: names as typed, clear of each other.
    add(
        &w,
        "Jo (my sister)",
        "Family",
        &[("You lean on them for emotional support", "4 — a great deal")],
    )
    .await;
    check_both_widths(&w, &["Jo (my sister)"], "1 person").await;
    add(
        &w,
        "O'Brien",
        "Friend",
        &[("You lean on them for company and social life", "2 — some")],
    )
    .await;
    add(
        &w,
        "Mum & Dad",
        "Family",
        &[
            ("You lean on them for help with money", "3 — a lot"),
            ("You lean on them for practical help", "1 — a little"),
        ],
    )
    .await;
    let mut names = vec!["Jo (my sister)", "O'Brien", "Mum & Dad"];
    check_both_widths(&w, &names, "3 people").await;
    w.check_page("people-3").await;

    // 3. Twenty people (the rest sent from the page itself, with its
    //    token, to keep the walk short).
    let people: Vec<Value> = MORE
        .iter()
        .map(|(name, role, level)| json!([name, role, level]))
        .collect();
    let sent = client
        .execute_async(
            "var done = arguments[arguments.length - 1]; \
             var csrf = document.querySelector('form[action=\"/people\"] input[name=csrf]').value; \
             (async function () { \
               var statuses = []; \
               for (var p of arguments[0]) { \
                 var body = new URLSearchParams({ csrf: csrf, name: p[0], role: p[1], \
                   'lean-emotional': p[2], 'lean-company': p[2] === '0' ? '0' : '1', 'back-company': '1' }); \
                 var r = await fetch('/people', { method: 'POST', body: body, redirect: 'manual' }); \
                 statuses.push(r.type === 'opaqueredirect' ? 303 : r.status); \
               } \
               return statuses; \
             })(arguments[0]).then(done, e => done(String(e)));",
            vec![json!(people)],
        )
        .await
        .unwrap();
    assert_eq!(sent, json!(vec![303; 17]), "every person added");
    client.goto(&w.url("/people")).await.unwrap();
    w.assert_path("/people").await;
    names.extend(MORE.iter().map(|(name, _, _)| *name));
    check_both_widths(&w, &names, "20 people").await;
    w.check_page("people-20").await;

    // 4. The page at a phone's width and a desktop's, for people to look at.
    client.set_window_size(360, 800).await.unwrap();
    w.screenshot("people-map-360").await;
    client.set_window_size(1280, 900).await.unwrap();
    w.screenshot("people-map-1280").await;
    w
}
