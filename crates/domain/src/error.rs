//! Errors (错误): every user-facing error has a stable code and a Chinese message.

use std::fmt;

/// What kind of failure, mapped by the web layer to an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or violates a rule: 400/422.
    BadInput,
    /// Not logged in: 401.
    Unauthenticated,
    /// Logged in but not allowed: 403.
    Forbidden,
    /// No such thing: 404.
    NotFound,
    /// A concurrent change or a duplicate: 409.
    Conflict,
    /// Too many attempts: 429.
    RateLimited,
    /// Storage or other internal failure: 500.
    Internal,
}

/// An error with a stable code (`E_NOT_FOUND`), a Chinese message and its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            code,
            message: message.into(),
        }
    }
    pub fn bad_input(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, code, message)
    }
    pub fn not_found(what: impl fmt::Display) -> Self {
        Self::new(ErrorKind::NotFound, "E_NOT_FOUND", format!("未找到{what}"))
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "E_FORBIDDEN", message)
    }
    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "E_LOGIN_REQUIRED", "请先登录")
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }
    pub fn internal(context: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Internal,
            "E_INTERNAL",
            format!("内部错误: {context}"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
