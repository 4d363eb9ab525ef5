//! Accounts: user names parsed at the edge, one account per name, the
//! password hash kept as given, and deletion that leaves nothing of the person
//! and everything of everybody else.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;
use tandem_core::answers::Answer;
use tandem_core::ids::ItemId;
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_core::safety::SafetyScreen;
use tandem_store::links::{INVITE_SECONDS, code_hash, new_code};
use tandem_store::{
    AccountError, LinkLevel, Mark, NewSuggestion, Owner, Store, StoreError, UserName,
};

use crate::common::{answers, fresh, instrument, owner, raw};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

fn name(raw: &str) -> UserName {
    UserName::parse(raw).unwrap()
}

fn check(input: &str, expected: Result<&str, AccountError>) {
    let parsed = UserName::parse(input);
    assert_eq!(
        parsed.as_ref().map(UserName::as_str),
        expected.as_ref().map(|name| *name),
        "input {input:?}"
    );
}

#[test]
fn user_names_are_parsed_folded_and_checked() {
    use AccountError::{NameReserved, NameShape};
    let forty = "a".repeat(40);
    let forty_one = "a".repeat(41);
    for (input, expected) in [
        // Good, as typed.
        ("ann", Ok("ann")),
        ("ann.lee-99_x", Ok("ann.lee-99_x")),
        ("007", Ok("007")),
        ("a.b", Ok("a.b")),
        (forty.as_str(), Ok(forty.as_str())),
        // Folded to lower case and trimmed.
        ("Ann", Ok("ann")),
        ("ANN.LEE", Ok("ann.lee")),
        ("  ann\t\n", Ok("ann")),
        // Too short or too long, counting after the trim.
        ("", Err(NameShape)),
        ("ab", Err(NameShape)),
        ("  ab  ", Err(NameShape)),
        (forty_one.as_str(), Err(NameShape)),
        // Characters outside a–z, 0–9, dot, dash, underscore.
        ("ann lee", Err(NameShape)),
        ("ann@example.org", Err(NameShape)),
        ("ann/../x", Err(NameShape)),
        ("anné", Err(NameShape)),
        ("ännchen", Err(NameShape)),
        ("ann'--", Err(NameShape)),
        ("ann\0x", Err(NameShape)),
        // The Kelvin sign folds to "k" under Unicode rules, not under ASCII ones.
        ("\u{212A}ate", Err(NameShape)),
        // The terminal's user, in any case.
        ("local", Err(NameReserved)),
        ("LOCAL", Err(NameReserved)),
        (" Local ", Err(NameReserved)),
        ("locals", Ok("locals")),
    ] {
        check(input, expected);
    }
    assert_eq!(
        AccountError::NameShape.to_string(),
        "A user name needs 3 to 40 letters, digits, dots, dashes or underscores."
    );
}

#[test]
fn deserializing_goes_through_the_parser() {
    let parsed: UserName = serde_json::from_str("\" Ann \"").unwrap();
    assert_eq!(parsed, name("ann"));
    assert!(serde_json::from_str::<UserName>("\"local\"").is_err());
    assert!(serde_json::from_str::<UserName>("\"a b\"").is_err());
    assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"ann\"");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_account_per_name() {
    let (_dir, store, local) = fresh().await;
    let ann = store
        .create_account(&name("ann"), HASH, 1_700_000_000)
        .await
        .unwrap();
    assert_ne!(ann, local.id());
    for again in ["ann", "ANN", " Ann "] {
        let taken = store
            .create_account(&name(again), HASH, 1_700_000_001)
            .await;
        match taken {
            Err(StoreError::Conflict(message)) => assert_eq!(message, "That name is taken."),
            other => panic!("expected Conflict, got {other:?}"),
        }
    }
    let bob = store
        .create_account(&name("bob"), "$other$hash", 1_700_000_002)
        .await
        .unwrap();
    assert_ne!(ann, bob);
    // A password where its hash belongs is refused before it is stored.
    assert!(matches!(
        store
            .create_account(&name("carol"), "correct horse battery staple", 0)
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(store.account_by_name(&name("carol")).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_found_by_name_and_keep_their_hash() {
    let (dir, store, local) = fresh().await;
    let ann_id = store.create_account(&name("ann"), HASH, 42).await.unwrap();
    let ann = crate::common::owner(&store, ann_id).await;

    assert_eq!(
        store.account_by_name(&name("ANN")).await.unwrap(),
        Some((ann_id, HASH.to_owned()))
    );
    assert_eq!(store.account_by_name(&name("nobody")).await.unwrap(), None);
    // A user without a password hash cannot be found for signing in.
    crate::common::other_user(&store, dir.path(), "nohash").await;
    assert_eq!(store.account_by_name(&name("nohash")).await.unwrap(), None);

    assert_eq!(store.password_hash(ann).await.unwrap(), HASH);
    assert_eq!(store.user_name(ann).await.unwrap(), "ann");
    assert_eq!(store.user_name(local).await.unwrap(), "local");
    assert!(matches!(
        store.password_hash(local).await,
        Err(StoreError::NotFound { .. })
    ));

    store.set_password_hash(ann, "$argon2id$new").await.unwrap();
    assert_eq!(store.password_hash(ann).await.unwrap(), "$argon2id$new");
    assert_eq!(
        store.account_by_name(&name("ann")).await.unwrap(),
        Some((ann_id, "$argon2id$new".to_owned()))
    );
    assert!(matches!(
        store.set_password_hash(ann, "plain words").await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(store.password_hash(ann).await.unwrap(), "$argon2id$new");

    let nobody = crate::common::nobody(&store, dir.path()).await;
    for result in [
        store.password_hash(nobody).await.map(drop),
        store.set_password_hash(nobody, HASH).await,
        store.user_name(nobody).await.map(drop),
        store.delete_account(nobody, 2_000_000_000).await,
    ] {
        assert!(
            matches!(result, Err(StoreError::NotFound { .. })),
            "{result:?}"
        );
    }

    let pool = raw(dir.path()).await;
    let created: i64 = sqlx::query_scalar("SELECT created_unix FROM users WHERE id = ?")
        .bind(ann_id.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(created, 42);
    pool.close().await;
}

/// Every table, with how many rows it holds in all and how many belong to
/// the user bound to `?`. Literal statements: sqlx takes only audited SQL.
const TABLES: [(&str, &str, &str); 31] = [
    (
        "links",
        "SELECT count(*) FROM links",
        "SELECT count(*) FROM links l WHERE EXISTS
         (SELECT 1 FROM link_sides s WHERE s.link_id = l.id AND s.owner_id = ?)",
    ),
    (
        "link_sides",
        "SELECT count(*) FROM link_sides",
        "SELECT count(*) FROM link_sides WHERE owner_id = ?",
    ),
    (
        "link_invites",
        "SELECT count(*) FROM link_invites",
        "SELECT count(*) FROM link_invites WHERE owner_id = ?",
    ),
    (
        "discussion_marks",
        "SELECT count(*) FROM discussion_marks",
        "SELECT count(*) FROM discussion_marks WHERE owner_id = ?",
    ),
    (
        "link_guesses",
        "SELECT count(*) FROM link_guesses",
        "SELECT count(*) FROM link_guesses WHERE owner_id = ?",
    ),
    (
        "us_answers",
        "SELECT count(*) FROM us_answers",
        "SELECT count(*) FROM us_answers WHERE owner_id = ?",
    ),
    (
        "relationships",
        "SELECT count(*) FROM relationships",
        "SELECT count(*) FROM relationships WHERE owner_id = ?",
    ),
    (
        "shares",
        "SELECT count(*) FROM shares",
        "SELECT count(*) FROM shares WHERE owner_id = ?",
    ),
    (
        "assignments",
        "SELECT count(*) FROM assignments",
        "SELECT count(*) FROM assignments x JOIN shares s ON s.id = x.share_id
         WHERE s.owner_id = ?",
    ),
    (
        "counsel_notes",
        "SELECT count(*) FROM counsel_notes",
        "SELECT count(*) FROM counsel_notes n JOIN shares s ON s.id = n.share_id
         WHERE s.owner_id = ?",
    ),
    (
        "shared_safety",
        "SELECT count(*) FROM shared_safety",
        "SELECT count(*) FROM shared_safety x JOIN shares s ON s.id = x.share_id
         WHERE s.owner_id = ?",
    ),
    (
        "audit_entries",
        "SELECT count(*) FROM audit_entries",
        "SELECT count(*) FROM audit_entries WHERE chain = ?",
    ),
    (
        "audit_heads",
        "SELECT count(*) FROM audit_heads",
        "SELECT count(*) FROM audit_heads WHERE chain = ?",
    ),
    (
        "passkeys",
        "SELECT count(*) FROM passkeys",
        "SELECT count(*) FROM passkeys WHERE user_id = ?",
    ),
    (
        "passkey_ceremonies",
        "SELECT count(*) FROM passkey_ceremonies",
        "SELECT count(*) FROM passkey_ceremonies WHERE user_id = ?",
    ),
    (
        "session_screens",
        "SELECT count(*) FROM session_screens",
        "SELECT count(*) FROM session_screens h JOIN sessions s ON s.token_hash = h.token_hash
         WHERE s.user_id = ?",
    ),
    (
        "users",
        "SELECT count(*) FROM users",
        "SELECT count(*) FROM users WHERE id = ?",
    ),
    (
        "administrations",
        "SELECT count(*) FROM administrations",
        "SELECT count(*) FROM administrations WHERE owner_id = ?",
    ),
    (
        "answers",
        "SELECT count(*) FROM answers",
        "SELECT count(*) FROM answers a JOIN administrations d ON d.id = a.administration_id
         WHERE d.owner_id = ?",
    ),
    (
        "scorings",
        "SELECT count(*) FROM scorings",
        "SELECT count(*) FROM scorings s JOIN administrations d ON d.id = s.administration_id
         WHERE d.owner_id = ?",
    ),
    (
        "safety_screens",
        "SELECT count(*) FROM safety_screens",
        "SELECT count(*) FROM safety_screens WHERE owner_id = ?",
    ),
    (
        "safety_answers",
        "SELECT count(*) FROM safety_answers",
        "SELECT count(*) FROM safety_answers a JOIN safety_screens s ON s.id = a.screen_id
         WHERE s.owner_id = ?",
    ),
    (
        "supporters",
        "SELECT count(*) FROM supporters",
        "SELECT count(*) FROM supporters WHERE owner_id = ?",
    ),
    (
        "reliance",
        "SELECT count(*) FROM reliance",
        "SELECT count(*) FROM reliance r JOIN supporters s ON s.id = r.supporter_id
         WHERE s.owner_id = ?",
    ),
    (
        "sessions",
        "SELECT count(*) FROM sessions",
        "SELECT count(*) FROM sessions WHERE user_id = ?",
    ),
    (
        "login_failures",
        "SELECT count(*) FROM login_failures",
        // Bound with the account's throttling key (a keyed hash of the name).
        "SELECT count(*) FROM login_failures WHERE key = ?",
    ),
    (
        "user_keys",
        "SELECT count(*) FROM user_keys",
        "SELECT count(*) FROM user_keys WHERE user_id = ?",
    ),
    (
        "plan_items",
        "SELECT count(*) FROM plan_items",
        "SELECT count(*) FROM plan_items WHERE owner_id = ?",
    ),
    (
        "exercises",
        "SELECT count(*) FROM exercises",
        "SELECT count(*) FROM exercises WHERE owner_id = ?",
    ),
    (
        "recovery_codes",
        "SELECT count(*) FROM recovery_codes",
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?",
    ),
    (
        "exercise_ticks",
        "SELECT count(*) FROM exercise_ticks",
        "SELECT count(*) FROM exercise_ticks t JOIN exercises e ON e.id = t.exercise_id
         WHERE e.owner_id = ?",
    ),
];

/// Per table: (rows in all, rows of `user`).
async fn counts(data_dir: &Path, user: Owner, key: &str) -> Vec<(&'static str, i64, i64)> {
    let pool = raw(data_dir).await;
    let mut counts = Vec::new();
    for (table, total, owned) in TABLES {
        let total: i64 = sqlx::query_scalar(total).fetch_one(&pool).await.unwrap();
        let owned: i64 = sqlx::query_scalar(owned)
            .bind(if table == "login_failures" {
                key.to_owned()
            } else {
                user.id().0.to_string()
            })
            .fetch_one(&pool)
            .await
            .unwrap();
        counts.push((table, total, owned));
    }
    pool.close().await;
    counts
}

/// One of everything a person can have.
async fn fill(store: &Store, user: Owner, user_key: &str) {
    let (rdp, checkin, safety) = (
        instrument("rdp"),
        instrument("checkin"),
        instrument("safety"),
    );
    let open = store
        .start_administration(user, &rdp, "my partner")
        .await
        .unwrap();
    store
        .save_answer(user, &rdp, open.id, "ER1", &Answer::Value(4), 1)
        .await
        .unwrap();
    let given = answers(
        &checkin,
        &[
            ("CI1", Answer::Value(5)),
            ("CI2", Answer::Value(4)),
            ("CI3", Answer::Value(4)),
            ("CI4", Answer::Value(3)),
            ("CI6", Answer::Text("mine".into())),
        ],
    );
    store
        .record_administration(user, &checkin, "my partner", &given)
        .await
        .unwrap();
    let screen = store.start_safety_screen(user, &safety).await.unwrap();
    store
        .save_safety_answer(user, screen, &ItemId::new("SF1").unwrap(), Some(0))
        .await
        .unwrap();
    let whole = SafetyScreen::from_answers(&safety, answers(&safety, &[("SF2", Answer::Value(1))]))
        .unwrap();
    let kept = store
        .record_safety_screen(user, &safety, &whole)
        .await
        .unwrap();
    // A passkey, and a ceremony under way.
    let credential = format!("credential-{}", user.id().0);
    store
        .add_passkey(user, credential.as_bytes(), "{}", "Chrome on Linux", 100)
        .await
        .unwrap();
    let mut ceremony = [0u8; 32];
    ceremony[..8].copy_from_slice(&user.id().0.to_le_bytes());
    store
        .keep_ceremony(
            &ceremony,
            user.id(),
            tandem_store::passkeys::Ceremony::Register,
            "{}",
            100,
            i64::MAX,
        )
        .await
        .unwrap();
    // A share with a counsellor, accepted, and read once through it.
    let local = store.local_user().await.unwrap();
    let counsellor_name = name(&format!("counsellor-{}", user.id().0));
    let counsellor = store
        .create_account_as(
            &counsellor_name,
            HASH,
            tandem_store::AccountRole::Counsellor,
            1,
        )
        .await
        .unwrap();
    store
        .approve_counsellor(&crate::common::rights().await.operator, &counsellor_name, 1)
        .await
        .unwrap();
    let counsellor = owner(store, counsellor).await;
    let hash = tandem_store::links::code_hash(&tandem_store::links::new_code().unwrap()).unwrap();
    let indices = tandem_store::Scope {
        results: tandem_store::ShareLevel::Indices,
        ..tandem_store::Scope::default()
    };
    let share = store
        .create_share(user, &indices, &hash, 100, None)
        .await
        .unwrap();
    store.accept_share(counsellor, &hash, 100).await.unwrap();
    let grant = store.grant(counsellor, share, 100).await.unwrap().unwrap();
    store.shared_results(&grant, 101).await.unwrap();
    store
        .share_safety_result(user, share, kept, whole.summary(), 102)
        .await
        .unwrap();
    // An assignment, and a private and a shared note about them.
    store.assign(&grant, "rdp", 10_000, 102).await.unwrap();
    for shared in [false, true] {
        let text = tandem_core::input::NoteText::parse("Next time: the plan.").unwrap();
        store.add_note(&grant, &text, shared, 102).await.unwrap();
    }
    // A link with the terminal's user, through an invite of theirs that was
    // accepted, another still open, and a mark and a guess on each side.
    let partner = store.relationships(user).await.unwrap()[0].id;
    let theirs = store
        .create_relationship(
            local,
            tandem_core::relationship::Role::Partner,
            &tandem_core::input::About::parse(&format!("partner {}", user.id().0)).unwrap(),
        )
        .await
        .unwrap()
        .id;
    let code = code_hash(&new_code().unwrap()).unwrap();
    store
        .create_invite(user, partner, &code, 100, 100 + INVITE_SECONDS)
        .await
        .unwrap();
    let link = store
        .accept_invite(local, &code, theirs, 110)
        .await
        .unwrap();
    store
        .set_link_sharing(user, link, LinkLevel::Facets)
        .await
        .unwrap();
    for side in [user, local] {
        store
            .set_mark(side, link, "ER1", Some(Mark::Star))
            .await
            .unwrap();
        store
            .save_guesses(side, link, &BTreeMap::from([("ER1".to_owned(), 3)]))
            .await
            .unwrap();
    }
    let whole: BTreeMap<String, i64> = tandem_core::couple::US_ITEMS
        .iter()
        .map(|item| (item.id.to_owned(), 4))
        .collect();
    store.save_us(user, partner, &whole, 120).await.unwrap();
    store.save_us(local, theirs, &whole, 120).await.unwrap();
    let mut person = Supporter::new("Ann", Role::Friend);
    person
        .leans_on
        .insert(Domain::Company, Level::new(3).unwrap());
    store.add_supporter(user, &person).await.unwrap();
    let held = store
        .create_session(user.id(), "Firefox on Linux", 100)
        .await
        .unwrap();
    // A screen the person did not keep, held beside that session.
    store
        .hold_screen(
            &held.token,
            tandem_core::safety::ScreenSummary {
                outcome: tandem_core::safety::ScreenOutcome::Concern,
                self_harm: false,
            },
        )
        .await
        .unwrap();
    store
        .create_session(user.id(), "Safari on iOS", 200)
        .await
        .unwrap();
    store
        .record_login_failure(&[user_key, "addr:192.0.2.1"], 150)
        .await
        .unwrap();
    let plan = store
        .refresh_plan(
            user,
            store
                .relationship_for(user, &tandem_core::input::About::default())
                .await
                .unwrap(),
            &[NewSuggestion {
                strategy: "ask-for-help".into(),
                reason: json!({"kind": "maintenance"}),
                from_safety: false,
            }],
            100,
        )
        .await
        .unwrap();
    let exercise = store
        .save_exercise(
            user,
            "weekly-check",
            Some(plan[0].id),
            &json!({"note": "mine"}),
            100,
        )
        .await
        .unwrap();
    store
        .tick_week(user, exercise, "2026-W48", true)
        .await
        .unwrap();
    store
        .replace_recovery_codes(
            user,
            &[tandem_store::RecoveryHash {
                selector: "AB12".into(),
                hash: "$argon2id$not-a-real-hash".into(),
            }],
            100,
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_an_account_leaves_nothing_of_theirs_and_all_of_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();

    // The list above must name every table, or a new one could escape the check.
    let pool = raw(dir.path()).await;
    let mut tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%'
         AND name NOT IN ('_sqlx_migrations', 'meta', 'high_water')
         ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let mut listed: Vec<&str> = TABLES.iter().map(|(table, _, _)| *table).collect();
    tables.sort();
    listed.sort_unstable();
    assert_eq!(tables, listed);

    let a = store.create_account(&name("ann"), HASH, 1).await.unwrap();
    let b = store.create_account(&name("bob"), HASH, 2).await.unwrap();
    let (a, b) = (owner(&store, a).await, owner(&store, b).await);
    let (a_key, b_key) = (
        store.throttle_key("user", "ann").await.unwrap(),
        store.throttle_key("user", "bob").await.unwrap(),
    );
    fill(&store, a, &a_key).await;
    fill(&store, b, &b_key).await;
    let a_session = store
        .create_session(a.id(), "Chrome on Linux", 300)
        .await
        .unwrap();

    let before_a = counts(dir.path(), a, &a_key).await;
    let before_b = counts(dir.path(), b, &b_key).await;
    for ((table, _, a_rows), (_, _, b_rows)) in before_a.iter().zip(&before_b) {
        assert!(*a_rows > 0 && *b_rows > 0, "{table}: nothing to delete");
    }

    store.delete_account(a, 2_000_000_000).await.unwrap();

    let after_b = counts(dir.path(), b, &b_key).await;
    // The terminal's user, whom both shared and linked with, keeps what is
    // theirs but their side of Ann's link, which went with her.
    let local = store.local_user().await.unwrap();
    let after_local = counts(dir.path(), local, "no such key").await;
    for (((table, total, b_rows), (_, _, b_before)), (_, _, local_rows)) in
        after_b.iter().zip(&before_b).zip(&after_local)
    {
        // Bob's rows are all there; the address key is nobody's and stays.
        assert_eq!(b_rows, b_before, "{table}: another user's rows changed");
        let expected = match *table {
            "login_failures" => b_rows + 2,
            // Bob's link is the terminal user's link too: counted once.
            "links" => *b_rows,
            // The two counsellors' own accounts stay.
            "users" => b_rows + local_rows + 2,
            // So do their keys, which seal their notes.
            "user_keys" => b_rows + local_rows + 2,
            // The counsellors' chains stay, and the operator's gains a
            // tombstone: the deleted chain itself is checked below.
            "audit_entries" | "audit_heads" => *total,
            // The private note about Ann stays her counsellor's.
            "counsel_notes" => b_rows + local_rows + 1,
            _ => b_rows + local_rows,
        };
        assert_eq!(*total, expected, "{table}: rows of the deleted user remain");
    }
    assert_eq!(store.links(local).await.unwrap().len(), 1);
    for (table, _, a_rows) in counts(dir.path(), a, &a_key).await {
        assert_eq!(a_rows, 0, "{table}");
    }
    // No row points at something gone.
    let pool = raw(dir.path()).await;
    let dangling = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(dangling.is_empty());
    pool.close().await;
    store
        .integrity_check(&crate::common::rights().await.operator)
        .await
        .unwrap();

    assert_eq!(
        store
            .session(&a_session.token, 301, 3_600, 86_400)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.account_by_name(&name("ann")).await.unwrap(), None);
    assert!(matches!(
        store.delete_account(a, 2_000_000_000).await,
        Err(StoreError::NotFound { .. })
    ));
    // Bob carries on, his sealed text still opens, and the name is free again.
    assert_eq!(store.administrations(b, None).await.unwrap().len(), 2);
    assert_eq!(store.support_map(b).await.unwrap()[0].1.name, "Ann");
    assert_eq!(
        store.exercises(b, None).await.unwrap()[0].content,
        json!({"note": "mine"})
    );
    assert_eq!(store.sessions_of(b).await.unwrap().len(), 2);
    store.create_account(&name("ann"), HASH, 3).await.unwrap();
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_account_id_is_never_given_out_again_and_late_writes_find_nobody() {
    let (_dir, store, _) = crate::common::fresh().await;
    let first = store.create_account(&name("kite"), HASH, 1).await.unwrap();
    let first = owner(&store, first).await;
    store.delete_account(first, 2_000_000_000).await.unwrap();
    let next = store
        .create_account(&name("kestrel"), HASH, 2)
        .await
        .unwrap();
    let next = owner(&store, next).await;
    assert!(next.id() > first.id(), "{next:?} after deleted {first:?}");
    // A write still in flight for the deleted account finds nobody: not a
    // failure, and nothing lands anywhere.
    let mut person = Supporter::new("Late", Role::Friend);
    person
        .leans_on
        .insert(Domain::Company, Level::new(2).unwrap());
    let late = store.add_supporter(first, &person).await;
    assert!(matches!(late, Err(StoreError::NotFound { .. })), "{late:?}");
    assert!(store.support_map(next).await.unwrap().is_empty());
}
