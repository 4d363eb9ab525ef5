//! The support map (waiting for core::network).
