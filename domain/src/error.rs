//! The domain's one error enum. The API edge maps each variant to a stable `extensions.code`
//! once; `Internal` never reaches a client with its detail.

use std::error::Error as StdError;

/// What can go wrong in a domain operation.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist, or the caller may not know that it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The operation needs a signed-in person.
    #[error("authentication required")]
    Unauthenticated,
    /// The caller can see the thing but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// An input value is malformed or out of range.
    #[error("{field}: {message}")]
    Invalid {
        /// The input field, named as in the API (`slug`, `networkId`, ...).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The change clashes with existing data (a taken slug, an existing membership).
    #[error("{0}")]
    Conflict(String),
    /// The thing is in a state that does not allow the change (an archived community).
    #[error("{0}")]
    FailedPrecondition(String),
    /// The change needs things that are missing (a charter and a held launch event before
    /// `ACTIVE`), each named by a stable code.
    #[error("{message}")]
    Missing {
        /// What is wrong, for people.
        message: String,
        /// What is missing, as codes (`CHARTER`, `LAUNCH_EVENT`).
        missing: Vec<&'static str>,
    },
    /// A backing service (the database) cannot be reached now: retry shortly. Its detail
    /// goes to the log only.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A fault of ours or of a backing service; its detail goes to the log only.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn StdError + Send + Sync>),
}

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// Shorthand for [`DomainError::Forbidden`].
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// Shorthand for [`DomainError::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    /// Shorthand for [`DomainError::FailedPrecondition`].
    pub fn precondition(message: impl Into<String>) -> Self {
        Self::FailedPrecondition(message.into())
    }

    /// A `NotFound` of a container becomes a `NotFound` of the thing inside it (a hidden
    /// community hides its spaces); every other error, an `Internal` above all, stays as it is.
    #[must_use]
    pub fn not_found_as(self, what: &'static str) -> Self {
        match self {
            Self::NotFound(_) => Self::NotFound(what),
            other => other,
        }
    }

    /// Wraps any error of a backing service.
    pub fn internal(err: impl StdError + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }
}

/// Result of a domain operation.
pub type DomainResult<T> = Result<T, DomainError>;
