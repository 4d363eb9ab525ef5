//! Integration tests of what is SQLite's own: the file in the data dir and
//! its modes, durability and group commit, the key file, the sealing of
//! what lies in the file, rotation and upgrades of older stores. What every
//! engine must do is the contract suite's (crates/store-contract).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod audit_upgrade;
mod common;
mod data_keys;
mod durability;
mod group_commit;
mod keys;
mod modes;
mod rotation;
mod safety_sealing;
mod sealing;
