//! Integration tests of the PostgreSQL store against a real server: a
//! throwaway cluster per test (scripts/pg-cluster), or a fresh database on
//! the server TANDEM_PG_URL names. Without either the tests fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod answers;
mod cluster;
mod common;
mod instances;
mod plans;
mod research;
mod safety;
mod sessions;
mod throttle;
