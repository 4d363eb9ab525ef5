//! The audit chains: sign-ins, links, shares and reads by others each
//! append to the person's chain in the act's own transaction; entries
//! outlive the account of who did them; a deleted account's chain leaves a
//! tombstone in the operator's; and `verify_audit` names the first entry
//! that no longer holds.

use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_store::audit::{AuditKind, OPERATOR_CHAIN};
use tandem_store::links::{INVITE_SECONDS, code_hash, new_code};
use tandem_store::{Scope, ShareLevel};

const NOW: i64 = 1_800_000_000;

contract! {
    async fn every_act_appends_to_its_chain_and_verify_finds_tampering(f) {
        let store = &f.store;
        let operator = &f.rights.operator;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let cat = f.counsellor("cat").await;

        // A link, then its end.
        let about = About::parse("my partner").unwrap();
        let ann_rel = store.create_relationship(ann, Role::Partner, &about).await.unwrap().id;
        let ben_rel = store.create_relationship(ben, Role::Partner, &about).await.unwrap().id;
        let hash = code_hash(&new_code().unwrap()).unwrap();
        store.create_invite(ann, ann_rel, &hash, NOW, NOW + INVITE_SECONDS).await.unwrap();
        let link = store.accept_invite(ben, &hash, ben_rel, NOW + 1).await.unwrap();
        store.unlink(ben, link, NOW + 2).await.unwrap();

        // A share taken and read by a counsellor, who signs in with a passkey.
        let code = code_hash(&new_code().unwrap()).unwrap();
        let scope = Scope { results: ShareLevel::Indices, ..Scope::default() };
        let share = store.create_share(ann, &scope, &code, NOW + 3, None).await.unwrap();
        store.accept_share(cat, &code, NOW + 4).await.unwrap();
        store.create_session_with_second_factor(cat.id(), "test", NOW + 5).await.unwrap();
        let grant = store.grant(cat, share, NOW + 6).await.unwrap().unwrap();
        store.shared_results(&grant, NOW + 6).await.unwrap();

        use AuditKind::*;
        let ann_trail = store.audit_trail(ann).await.unwrap();
        let seen: Vec<(AuditKind, &str, Option<i64>, i64)> =
            ann_trail.iter().map(|e| (e.kind, e.actor.as_str(), e.subject, e.at_unix)).collect();
        assert_eq!(seen, [
            (SignedIn, "ann", None, 0),
            (Linked, "ben", Some(link.0), NOW + 1),
            (Unlinked, "ben", Some(link.0), NOW + 2),
            (Shared, "ann", Some(share.0), NOW + 3),
            (Accepted, "cat", Some(share.0), NOW + 4),
            (Read, "cat", Some(share.0), NOW + 6),
        ]);
        assert_eq!(ann_trail.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        let ben_kinds: Vec<AuditKind> = store.audit_trail(ben).await.unwrap().iter().map(|e| e.kind).collect();
        assert_eq!(ben_kinds, [SignedIn, Linked, Unlinked]);
        let cat_trail = store.audit_trail(cat).await.unwrap();
        assert_eq!(cat_trail.last().map(|e| (e.kind, e.detail.as_str())), Some((SignedIn, "passkey")));

        let check = store.verify_audit(operator).await.unwrap();
        assert_eq!(check.broken, None);
        // ann, ben, cat, and the operator's (cat's approval).
        assert_eq!(check.chains, 4);

        // The counsellor's account goes: the client's entries of their reads
        // stay; their own chain leaves a tombstone.
        store.delete_account(cat, NOW + 7).await.unwrap();
        assert_eq!(store.audit_trail(ann).await.unwrap(), ann_trail);
        let check = store.verify_audit(operator).await.unwrap();
        assert_eq!((check.chains, check.broken), (3, None));
        let raw = f.raw().await;
        let tombstones = raw
            .integers(
                "SELECT subject FROM audit_entries WHERE chain = $1 AND kind = 'account_deleted'",
                &[OPERATOR_CHAIN],
            )
            .await;
        assert_eq!(tombstones, [cat.id().0]);

        // One entry taken out of ann's chain is found, and named.
        let taken = raw
            .execute("DELETE FROM audit_entries WHERE chain = $1 AND seq = 3", &[ann.id().0])
            .await;
        assert_eq!(taken, 1);
        let broken = store.verify_audit(operator).await.unwrap().broken.unwrap();
        assert_eq!((broken.chain, broken.seq), (ann.id().0, 3));
        raw.close().await;
    }
}
