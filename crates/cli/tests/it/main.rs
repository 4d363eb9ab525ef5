//! End-to-end tests of the real `tandem` binary against temporary data dirs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analyze;
mod assess_report;
mod audit;
mod bad_input;
mod canaries;
mod common;
mod config;
mod copy_store;
mod crash;
mod database;
mod disk_full;
mod keys;
mod network;
mod outage;
mod patterns;
mod plan;
mod postgres;
mod relationships;
mod reliability;
mod resume;
mod safety;
mod secure_cookies;
mod storm;
mod upgrade;
