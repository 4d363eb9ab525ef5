//! Integration tests of the SQLite store, one binary with a module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod codes;
mod common;
mod data_keys;
mod durability;
mod exercises;
mod group_commit;
mod keys;
mod modes;
mod owners;
mod plans;
mod recovery;
mod research;
mod responses;
mod rotation;
mod safety;
mod safety_sealing;
mod scorings;
mod sealing;
mod sessions;
mod support_map;
mod throttle;
mod time_zone;
