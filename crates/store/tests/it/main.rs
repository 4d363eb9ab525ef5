//! Integration tests of the SQLite store, one binary with a module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod common;
mod durability;
mod keys;
mod owners;
mod responses;
mod safety;
mod sealing;
mod sessions;
mod support_map;
mod throttle;
