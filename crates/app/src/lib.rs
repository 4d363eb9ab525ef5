//! The domain services both front ends call: the web app's pages and API,
//! and the terminal. Each reads the store through the access values it is
//! given ([`tandem_store::Owner`], [`tandem_store::Research`]) and decides
//! with the core, so a page, an API answer and a terminal command cannot
//! disagree about a score, a risk or a plan.
//!
//! Nothing here knows about HTTP or the terminal: errors are
//! [`ServiceError`], which each front end turns into its own answer.

pub mod caseload;
pub mod caseload_csv;
pub mod content;
pub mod counsel;
pub mod couple;
mod error;
pub mod estimates;
pub mod exercises;
pub mod guessing;
pub mod plan;
pub mod research;
pub mod results;
pub mod safety_share;
pub mod situation;
pub mod us;

pub use content::{Content, ContentError};
pub use error::ServiceError;
