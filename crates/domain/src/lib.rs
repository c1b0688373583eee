//! Shared types of Luoshi (领域模型): roles and users, audit entries and their hash chain,
//! errors with stable codes and Chinese messages, and masking of personal data.
//!
//! Pure: no I/O. Every other room speaks these types.

pub mod audit;
pub mod error;
pub mod mask;
pub mod role;

pub use audit::{AuditDraft, AuditEntry};
pub use error::{Error, ErrorKind, Result};
pub use role::{Role, User};
