//! The gazette reader (公报解析): gazette text in, documents, outline and extracted items out.
//!
//! Pure: `&str` in, values out; no I/O. See [`model`] for the output contract.

#[allow(dead_code)]
pub(crate) mod cite;
pub mod model;
pub mod registry;
#[allow(dead_code)]
pub(crate) mod text;

#[allow(dead_code)]
mod commendations;
#[allow(dead_code)]
mod indicators;
#[allow(dead_code)]
mod rosters;
#[allow(dead_code)]
mod targets;

pub use model::*;
pub use registry::{Registry, Resolution};
