//! Integration tests of the SQLite store, one binary with a module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod durability;
mod keys;
mod owners;
mod responses;
mod safety;
mod sealing;
mod support_map;
