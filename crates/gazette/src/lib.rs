//! The gazette reader (公报解析): gazette text in, documents, outline and extracted items out.
//!
//! Pure: `&str` in, values out; no I/O. See [`model`] for the output contract.

pub mod model;

pub use model::*;
