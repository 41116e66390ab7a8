//! The API's one error type and the one place where errors become `extensions.code`.
//!
//! Codes (stable, documented in the schema's description):
//! `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`,
//! `FAILED_PRECONDITION`, `LIMIT_EXCEEDED`, `SLOW_CONSUMER`, `INTERNAL`.
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql's blanket
//! `From<T: Display> for Error` would otherwise let `?` send any error's text to clients.
//! Internal errors are logged with their full chain when converted and reach the client as
//! "internal error" only.

use async_graphql::ErrorExtensions;
use copnet_domain::DomainError;

/// A stable error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A credential is missing or invalid.
    Unauthenticated,
    /// The caller may see the thing but not do this.
    Forbidden,
    /// The thing does not exist or is hidden from the caller.
    NotFound,
    /// An argument or input field is malformed or out of range.
    BadUserInput,
    /// The change clashes with existing data.
    Conflict,
    /// The thing's state does not allow the change.
    FailedPrecondition,
    /// The query exceeds a depth, complexity or alias limit.
    LimitExceeded,
    /// A subscriber fell too far behind; its subscription ended (refetch and resubscribe).
    SlowConsumer,
    /// The caller's rate-limit budget is spent: retry after `Retry-After` seconds.
    RateLimited,
    /// A persisted query's hash is unknown: send the query text with it (APQ).
    PersistedQueryNotFound,
    /// Persisted queries are switched off: send the query text.
    PersistedQueryNotSupported,
    /// The server runs registered operations only, and this is not one.
    PersistedQueryNotInList,
    /// A backing service cannot be reached now (HTTP 503): retry shortly.
    Unavailable,
    /// Our fault; details are in the server log.
    Internal,
}

impl Code {
    /// The value of `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::Conflict => "CONFLICT",
            Code::FailedPrecondition => "FAILED_PRECONDITION",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::SlowConsumer => "SLOW_CONSUMER",
            Code::RateLimited => "RATE_LIMITED",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::PersistedQueryNotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
            Code::PersistedQueryNotInList => "PERSISTED_QUERY_NOT_IN_LIST",
            Code::Unavailable => "UNAVAILABLE",
            Code::Internal => "INTERNAL",
        }
    }
}

/// An error as the client will see it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The code.
    pub code: Code,
    /// A message safe to show.
    pub message: String,
    /// The offending input field, for `BAD_USER_INPUT`.
    pub field: Option<&'static str>,
    /// What is missing, for some `FAILED_PRECONDITION`s (`extensions.missing`).
    pub missing: Vec<&'static str>,
}

/// Result of a resolver.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            missing: Vec::new(),
        }
    }

    /// `BAD_USER_INPUT` on a named field.
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code: Code::BadUserInput,
            message: format!("{field}: {}", message.into()),
            field: Some(field),
            missing: Vec::new(),
        }
    }

    /// `NOT_FOUND` for a kind of thing.
    pub fn not_found(what: &str) -> Self {
        Self::new(Code::NotFound, format!("{what} not found"))
    }

    /// `INTERNAL`, logging the detail.
    pub fn internal(detail: &dyn std::fmt::Debug) -> Self {
        tracing::error!(error = ?detail, "internal error");
        Self::new(Code::Internal, "internal error")
    }
}

impl From<&DomainError> for ApiError {
    fn from(err: &DomainError) -> Self {
        match err {
            DomainError::NotFound(what) => Self::not_found(what),
            DomainError::Unauthenticated => Self::new(
                Code::Unauthenticated,
                "sign in to do this (send a bearer token)",
            ),
            DomainError::Forbidden(message) => Self::new(Code::Forbidden, message.clone()),
            DomainError::Invalid { field, message } => Self::bad_input(field, message.clone()),
            DomainError::Conflict(message) => Self::new(Code::Conflict, message.clone()),
            DomainError::FailedPrecondition(message) => {
                Self::new(Code::FailedPrecondition, message.clone())
            }
            DomainError::Missing { message, missing } => Self {
                missing: missing.clone(),
                ..Self::new(Code::FailedPrecondition, message.clone())
            },
            DomainError::Unavailable(detail) => {
                tracing::warn!(detail = %detail, "a backing service is unavailable");
                Self::new(
                    Code::Unavailable,
                    "the service is unavailable for a moment: retry shortly",
                )
            }
            internal @ DomainError::Internal(_) => Self::internal(internal),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        (&err).into()
    }
}

/// Loaders share one error among every key of a batch.
impl From<std::sync::Arc<DomainError>> for ApiError {
    fn from(err: std::sync::Arc<DomainError>) -> Self {
        (&*err).into()
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let field = err.field;
        let missing = err.missing;
        async_graphql::Error::new(err.message).extend_with(|_, ext| {
            ext.set("code", err.code.as_str());
            if let Some(field) = field {
                ext.set("field", field);
            }
            if !missing.is_empty() {
                ext.set("missing", missing.clone());
            }
        })
    }
}
