//! Psychometrics engine: streaming CSV ingestion into mergeable sufficient statistics,
//! reliability, and factor analysis. Knows nothing about storage or HTTP.
//!
//! The flow is [`csv::read_files`] → [`moments::Moments`] (counts, sums and cross-products,
//! merged exactly across threads and files) → [`reliability::reliability`] and the factor
//! analysis, which take the covariance or correlation matrix as `nalgebra::DMatrix<f64>`.

pub mod csv;
pub mod factor;
pub mod moments;
pub mod reliability;
