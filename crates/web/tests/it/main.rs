//! Tests of the web app over real HTTP on loopback, and in a real browser.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod address;
mod browser;
mod common;
mod counsellors;
mod deletion;
mod estimates;
mod export;
mod history;
mod http;
mod input;
mod links;
mod outage;
mod pages;
mod people;
mod plan;
mod recovery;
mod relationships;
mod safety;
mod signin;
