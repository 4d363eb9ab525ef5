//! Integration tests of the pure core, one binary with a module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin;
mod change;
mod fixture;
mod guidance;
mod loader;
mod plan;
mod profile;
mod published;
mod risk;
mod scoring;
