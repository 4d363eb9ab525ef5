//! Integration tests of the pure core, one binary with a module per concern.

mod builtin;
mod change;
mod fixture;
mod loader;
mod profile;
mod scoring;
