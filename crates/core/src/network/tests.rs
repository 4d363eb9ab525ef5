//! Worked examples and invariants of the support-map metrics.

use super::*;
use proptest::prelude::*;

use Domain::*;

const EPS: f64 = 1e-9;

/// A supporter leaning `on` levels, nothing back.
fn person(name: &str, role: Role, on: &[(Domain, u8)]) -> Supporter {
    person2(name, role, on, &[])
}

/// A supporter with reliance in both directions.
fn person2(name: &str, role: Role, on: &[(Domain, u8)], back: &[(Domain, u8)]) -> Supporter {
    let levels = |pairs: &[(Domain, u8)]| {
        pairs
            .iter()
            .map(|&(d, l)| (d, Level::new(l).unwrap()))
            .collect()
    };
    Supporter {
        name: name.to_owned(),
        role,
        leans_on: levels(on),
        leans_back: levels(back),
    }
}

fn map(people: Vec<Supporter>) -> SupportMap {
    SupportMap { people }
}

fn close(actual: Option<f64>, expected: Option<f64>) -> bool {
    match (actual, expected) {
        (None, None) => true,
        (Some(a), Some(e)) => (a - e).abs() < 1e-3,
        _ => false,
    }
}

/// Checks one domain's metrics: (supporters, total, share, hhi, effective).
fn check(
    people: Vec<Supporter>,
    domain: Domain,
    expected: (usize, u32, Option<f64>, Option<f64>, Option<f64>),
) {
    let report = analyse(&map(people));
    let m = report.domains.iter().find(|m| m.domain == domain).unwrap();
    let (supporters, total, share, hhi, eff) = expected;
    assert_eq!(m.supporters, supporters, "supporters in {m:?}");
    assert_eq!(m.total, total, "total in {m:?}");
    assert!(
        close(m.partner_share, share),
        "share in {m:?}, want {share:?}"
    );
    assert!(close(m.hhi, hhi), "hhi in {m:?}, want {hhi:?}");
    assert!(
        close(m.effective_supporters, eff),
        "effective in {m:?}, want {eff:?}"
    );
}

fn check_flags(people: Vec<Supporter>, expected: Vec<Flag>) {
    assert_eq!(analyse(&map(people)).flags, expected);
}

#[test]
fn metrics_worked_examples() {
    use Role::*;
    // Partner 4, friend 2, mother 2: Σw = 8; shares .5, .25, .25;
    // HHI = .25 + .0625 + .0625 = .375; effective = 1/.375 = 2.667.
    check(
        vec![
            person("Sam", Partner, &[(Emotional, 4)]),
            person("Ana", Friend, &[(Emotional, 2)]),
            person("Mum", Family, &[(Emotional, 2)]),
        ],
        Emotional,
        (3, 8, Some(0.5), Some(0.375), Some(2.667)),
    );
    // Partner alone: share 1, HHI 1, effective 1.
    check(
        vec![person("Sam", Partner, &[(Money, 3)])],
        Money,
        (1, 3, Some(1.0), Some(1.0), Some(1.0)),
    );
    // Partner 4 + friend 1: share 4/5 = .8; HHI = .64 + .04 = .68; 1/.68 = 1.471.
    check(
        vec![
            person("Sam", Partner, &[(Validation, 4)]),
            person("Ana", Friend, &[(Validation, 1)]),
        ],
        Validation,
        (2, 5, Some(0.8), Some(0.68), Some(1.471)),
    );
    // Myself 2 + friend 2, no partner: share 0; HHI = .25 + .25 = .5; effective 2.
    check(
        vec![
            person("me", Myself, &[(Decisions, 2)]),
            person("Ana", Friend, &[(Decisions, 2)]),
        ],
        Decisions,
        (2, 4, Some(0.0), Some(0.5), Some(2.0)),
    );
    // Two partners 2 + 2, friend 4: partner share 4/8 = .5;
    // HHI = .0625 + .0625 + .25 = .375.
    check(
        vec![
            person("Sam", Partner, &[(Company, 2)]),
            person("Lee", Partner, &[(Company, 2)]),
            person("Ana", Friend, &[(Company, 4)]),
        ],
        Company,
        (3, 8, Some(0.5), Some(0.375), Some(2.667)),
    );
    // Someone listed with 0 is not a supporter, and a domain left out is 0.
    check(
        vec![
            person("Sam", Partner, &[(Practical, 0)]),
            person("Ana", Friend, &[]),
        ],
        Practical,
        (0, 0, None, None, None),
    );
}

#[test]
fn empty_map_has_no_flags_and_no_numbers() {
    let report = analyse(&SupportMap::default());
    assert!(report.flags.is_empty());
    assert!(report.reciprocity.is_empty());
    assert_eq!(report.domains.len(), 6);
    for m in &report.domains {
        assert_eq!((m.supporters, m.total), (0, 0));
        assert_eq!(
            (m.partner_share, m.hhi, m.effective_supporters),
            (None, None, None)
        );
    }
}

/// Two friends leaning 1 on every domain except `skip`, so the domains a
/// case is not about stay quiet.
fn backdrop(skip: &[Domain]) -> Vec<Supporter> {
    let on: Vec<(Domain, u8)> = Domain::ALL
        .into_iter()
        .filter(|d| !skip.contains(d))
        .map(|d| (d, 1))
        .collect();
    vec![
        person("Bo", Role::Friend, &on),
        person("Cy", Role::Colleague, &on),
    ]
}

fn with(mut people: Vec<Supporter>, skip: &[Domain]) -> Vec<Supporter> {
    people.extend(backdrop(skip));
    people
}

#[test]
fn flag_examples() {
    use Role::*;
    let everywhere = |level: u8| Domain::ALL.map(|d| (d, level));
    // Spread everywhere (2 and 2, share .5): no flags.
    check_flags(
        vec![
            person("Sam", Partner, &everywhere(2)),
            person("Ana", Friend, &everywhere(2)),
        ],
        vec![],
    );
    // Partner 4 + friend 1 in validation: share 4/5 = .8 exactly, which is
    // not above .8, so nothing is flagged.
    check_flags(
        with(
            vec![
                person("Sam", Partner, &[(Validation, 4)]),
                person("Ana", Friend, &[(Validation, 1)]),
            ],
            &[Validation],
        ),
        vec![],
    );
    // Partner 4 + friend 0 in emotional: one supporter, share 4/4 = 1.
    check_flags(
        with(
            vec![
                person("Sam", Partner, &[(Emotional, 4)]),
                person("Ana", Friend, &[(Emotional, 0)]),
            ],
            &[Emotional],
        ),
        vec![
            Flag::OneSupporter { domain: Emotional },
            Flag::PartnerShareHigh {
                domain: Emotional,
                share: 1.0,
            },
        ],
    );
    // Two partners 3 + 3 and a friend 1 in emotional: share 6/7 = .857 > .8,
    // and the partners are summed.
    check_flags(
        with(
            vec![
                person("Sam", Partner, &[(Emotional, 3)]),
                person("Lee", Partner, &[(Emotional, 3)]),
                person("Ana", Friend, &[(Emotional, 1)]),
            ],
            &[Emotional],
        ),
        vec![Flag::PartnerShareHigh {
            domain: Emotional,
            share: 6.0 / 7.0,
        }],
    );
    // Partner 4 of 4 in money is a single source, but the share flag is
    // only for emotional support and validation.
    check_flags(
        with(vec![person("Sam", Partner, &[(Money, 4)])], &[Money]),
        vec![Flag::OneSupporter { domain: Money }],
    );
    // Partner alone in three domains; a friend alone in the other three.
    check_flags(
        vec![
            person("Sam", Partner, &[(Money, 3), (Practical, 2), (Company, 4)]),
            person(
                "Ana",
                Friend,
                &[(Emotional, 2), (Validation, 2), (Decisions, 2)],
            ),
        ],
        vec![
            Flag::OneSupporter { domain: Emotional },
            Flag::OneSupporter { domain: Validation },
            Flag::OneSupporter { domain: Decisions },
            Flag::OneSupporter { domain: Money },
            Flag::OneSupporter { domain: Practical },
            Flag::OneSupporter { domain: Company },
            Flag::AllEggsInOneBasket {
                domains: vec![Money, Practical, Company],
            },
        ],
    );
    // Myself counts as a source: partner plus myself is not partner-only,
    // and nor is it a single supporter.
    check_flags(
        vec![
            person("Sam", Partner, &everywhere(3)),
            person(
                "me",
                Myself,
                &[(Decisions, 1), (Money, 1), (Practical, 1), (Company, 1)],
            ),
            person("Ana", Friend, &[(Emotional, 3), (Validation, 3)]),
        ],
        vec![],
    );
    // Only two partner-only domains: no basket flag.
    check_flags(
        with(
            vec![person("Sam", Partner, &[(Money, 3), (Practical, 2)])],
            &[Money, Practical],
        ),
        vec![
            Flag::OneSupporter { domain: Money },
            Flag::OneSupporter { domain: Practical },
        ],
    );
    // A listed person with nothing recorded: every domain has no supporter.
    check_flags(
        vec![person("Ana", Friend, &[])],
        Domain::ALL
            .map(|domain| Flag::NoSupporter { domain })
            .to_vec(),
    );
}

#[test]
fn reciprocity_examples() {
    use Role::*;
    let report = analyse(&map(vec![
        // Gives 4 + 2 = 6, receives 4 + 4 = 8: (6 − 8) / 14 = −0.143.
        person2(
            "Sam",
            Partner,
            &[(Emotional, 4), (Money, 4)],
            &[(Emotional, 4), (Practical, 2)],
        ),
        // Only leans on me: gives 3, receives 0 → balance 1.
        person2("Kid", Family, &[], &[(Practical, 3)]),
        // Only I lean on them: gives 0, receives 2 → −1.
        person("Dr K", Professional, &[(Emotional, 2)]),
        // Nothing either way: no balance.
        person("Old pal", Friend, &[]),
        // Myself is left out of reciprocity entirely.
        person2("me", Myself, &[(Decisions, 4)], &[(Decisions, 4)]),
    ]));
    let got: Vec<(&str, u32, u32, Option<f64>)> = report
        .reciprocity
        .iter()
        .map(|r| (r.name.as_str(), r.gives, r.receives, r.balance))
        .collect();
    let want = [
        ("Sam", 6, 8, Some(-2.0 / 14.0)),
        ("Kid", 3, 0, Some(1.0)),
        ("Dr K", 0, 2, Some(-1.0)),
        ("Old pal", 0, 0, None),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2));
        assert!(close(g.3, w.3), "{g:?} vs {w:?}");
    }
}

#[test]
fn messages_are_plain_and_calm() {
    let cases = [
        (
            Flag::OneSupporter { domain: Money },
            "Right now, you turn to just one person for help with money.",
        ),
        (
            Flag::NoSupporter { domain: Company },
            "Right now, no one on your map is there for company and social life.",
        ),
        (
            Flag::PartnerShareHigh {
                domain: Emotional,
                share: 6.0 / 7.0,
            },
            "For emotional support, your partner carries about 86% of what you lean on right now.",
        ),
        (
            Flag::AllEggsInOneBasket {
                domains: Domain::ALL.to_vec(),
            },
            "Right now, your partner is your only support in all six areas of life.",
        ),
        (
            Flag::AllEggsInOneBasket {
                domains: vec![Money, Practical, Company],
            },
            "Right now, your partner is your only support in 3 areas. They are money, practical help and company.",
        ),
    ];
    for (flag, want) in cases {
        let got = flag.message();
        assert_eq!(got, want);
        assert!(!got.contains('!'), "no alarms: {got}");
        for word in [
            "should",
            "must",
            "too much",
            "unhealthy",
            "dependent",
            "warning",
        ] {
            assert!(!got.to_lowercase().contains(word), "no blame: {got}");
        }
    }
}

#[test]
fn every_message_reads_at_grade_8_or_below() {
    // Every flag for every domain, and the basket flag for every set of
    // three or more domains (the longest sentences this module can make).
    let mut flags = Vec::new();
    for domain in Domain::ALL {
        flags.push(Flag::OneSupporter { domain });
        flags.push(Flag::NoSupporter { domain });
        flags.push(Flag::PartnerShareHigh {
            domain,
            share: 0.95,
        });
    }
    for mask in 0u32..64 {
        let domains: Vec<Domain> = Domain::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, d)| d)
            .collect();
        if domains.len() >= ALL_EGGS_MIN_DOMAINS {
            flags.push(Flag::AllEggsInOneBasket { domains });
        }
    }
    for flag in flags {
        let message = flag.message();
        let grade = crate::readability::flesch_kincaid_grade(&message);
        assert!(grade <= 8.0, "grade {grade:.1}: {message}");
    }
}

#[test]
fn level_is_checked_everywhere() {
    assert_eq!(Level::new(4).map(Level::get), Ok(4));
    let err = Level::new(7).unwrap_err();
    assert_eq!(err.to_string(), "reliance must be 0 to 4, got 7");
    assert!(serde_json::from_str::<Level>("5").is_err());
    assert_eq!(
        serde_json::from_str::<Level>("3").unwrap(),
        Level::new(3).unwrap()
    );
    let bad = r#"{"name":"Sam","role":"partner","leans_on":{"money":9}}"#;
    let msg = serde_json::from_str::<Supporter>(bad)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("reliance must be 0 to 4, got 9"), "{msg}");
}

#[test]
fn names_parse_and_print() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{role}\""));
    }
    for domain in Domain::ALL {
        assert_eq!(domain.as_str().parse::<Domain>(), Ok(domain));
        assert_eq!(
            serde_json::to_string(&domain).unwrap(),
            format!("\"{domain}\"")
        );
    }
    let err = "spouse".parse::<Role>().unwrap_err().to_string();
    assert!(
        err.contains("`spouse`") && err.contains("partner") && err.contains("myself"),
        "{err}"
    );
    let err = "Money".parse::<Domain>().unwrap_err().to_string();
    assert!(err.contains("`Money`") && err.contains("company"), "{err}");
}

#[test]
fn json_shapes() {
    // Missing maps default to empty, and domains are map keys by name.
    let s: Supporter = serde_json::from_str(r#"{"name":"Sam","role":"partner"}"#).unwrap();
    assert_eq!(s, Supporter::new("Sam", Role::Partner));
    let s = person("Sam", Role::Partner, &[(Money, 3)]);
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"name":"Sam","role":"partner","leans_on":{"money":3},"leans_back":{}}"#
    );
    let flag = Flag::AllEggsInOneBasket {
        domains: vec![Money, Company],
    };
    assert_eq!(
        serde_json::to_string(&flag).unwrap(),
        r#"{"kind":"all_eggs_in_one_basket","domains":["money","company"]}"#
    );
    let flag = Flag::PartnerShareHigh {
        domain: Emotional,
        share: 1.0,
    };
    assert_eq!(
        serde_json::to_string(&flag).unwrap(),
        r#"{"kind":"partner_share_high","domain":"emotional","share":1.0}"#
    );
    let report = analyse(&map(vec![s]));
    let back: NetworkReport =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(back, report);
}

fn arb_map() -> impl Strategy<Value = SupportMap> {
    let levels = || {
        prop::collection::btree_map(
            prop::sample::select(Domain::ALL.to_vec()),
            (0u8..=4).prop_map(|l| Level::new(l).unwrap()),
            0..=6,
        )
    };
    let supporter = (prop::sample::select(Role::ALL.to_vec()), levels(), levels()).prop_map(
        |(role, leans_on, leans_back)| Supporter {
            name: role.as_str().to_owned(),
            role,
            leans_on,
            leans_back,
        },
    );
    prop::collection::vec(supporter, 0..10).prop_map(|people| SupportMap { people })
}

proptest! {
    #[test]
    fn metrics_stay_in_range(map in arb_map()) {
        let report = analyse(&map);
        prop_assert_eq!(report.domains.len(), 6);
        for m in &report.domains {
            prop_assert_eq!(m.total == 0, m.supporters == 0);
            match (m.partner_share, m.hhi, m.effective_supporters) {
                (None, None, None) => prop_assert_eq!(m.total, 0),
                (Some(share), Some(hhi), Some(eff)) => {
                    let n = m.supporters as f64;
                    prop_assert!((0.0..=1.0).contains(&share), "share {}", share);
                    prop_assert!(hhi >= 1.0 / n - EPS && hhi <= 1.0 + EPS, "hhi {} n {}", hhi, n);
                    prop_assert!(eff >= 1.0 - EPS && eff <= n + EPS, "eff {} n {}", eff, n);
                }
                other => prop_assert!(false, "mixed options {:?}", other),
            }
        }
    }

    #[test]
    fn reciprocity_balance_in_range(map in arb_map()) {
        let report = analyse(&map);
        let others = map.people.iter().filter(|p| p.role != Role::Myself).count();
        prop_assert_eq!(report.reciprocity.len(), others);
        for r in &report.reciprocity {
            match r.balance {
                None => prop_assert_eq!(r.gives + r.receives, 0),
                Some(b) => prop_assert!((-1.0..=1.0).contains(&b), "balance {}", b),
            }
        }
    }

    #[test]
    fn flags_agree_with_metrics(map in arb_map()) {
        let report = analyse(&map);
        for flag in &report.flags {
            match flag {
                Flag::OneSupporter { domain } => {
                    let m = &report.domains[Domain::ALL.iter().position(|d| d == domain).unwrap()];
                    prop_assert_eq!(m.supporters, 1);
                }
                Flag::NoSupporter { domain } => {
                    prop_assert!(!map.people.is_empty());
                    let m = &report.domains[Domain::ALL.iter().position(|d| d == domain).unwrap()];
                    prop_assert_eq!(m.supporters, 0);
                }
                Flag::PartnerShareHigh { domain, share } => {
                    prop_assert!(matches!(domain, Emotional | Validation));
                    prop_assert!(*share > 0.8);
                }
                Flag::AllEggsInOneBasket { domains } => prop_assert!(domains.len() >= 3),
            }
            prop_assert!(!flag.message().is_empty());
        }
    }
}
