//! Integration tests of tandem-stats: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod errors;
mod factor;
mod fixtures;
mod merge;
mod props;
mod support;
