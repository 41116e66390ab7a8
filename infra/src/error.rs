//! Errors of this layer: [`InfraError`] for start-up and tooling; repositories map `DbErr`
//! into the domain's error with [`db_err`] and [`unique_or`].

use copnet_domain::DomainError;
use sea_orm::{DbErr, SqlErr};

/// What can fail while connecting, migrating or configuring adapters.
#[derive(Debug, thiserror::Error)]
pub enum InfraError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] DbErr),
    /// Redis refused or failed.
    #[error("redis: {0}")]
    Redis(#[from] ::redis::RedisError),
    /// A setting is unusable.
    #[error("{0}")]
    Config(String),
    /// Telemetry could not start.
    #[error("telemetry: {0}")]
    Telemetry(String),
    /// A repository write of a tool (the benchmark seed) failed.
    #[error(transparent)]
    Domain(#[from] DomainError),
}

/// A database failure inside a repository: unavailable when the database cannot be reached
/// (no connection within the pool's acquire timeout, a connection lost), internal otherwise.
pub(crate) fn db_err(err: DbErr) -> DomainError {
    if unreachable(&err) {
        return DomainError::Unavailable(err.to_string());
    }
    DomainError::internal(err)
}

/// Whether the error says the database is out of reach rather than that a statement failed.
fn unreachable(err: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error as Sqlx};
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            Sqlx::Io(_)
                | Sqlx::PoolTimedOut
                | Sqlx::PoolClosed
                | Sqlx::WorkerCrashed
                | Sqlx::Tls(_)
        ),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

/// A unique-constraint violation becomes a conflict with this message; anything else is
/// internal.
pub(crate) fn unique_or(message: &'static str) -> impl FnOnce(DbErr) -> DomainError {
    move |err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => DomainError::conflict(message),
        _ => DomainError::internal(err),
    }
}

/// A stored code that the domain does not know: internal (the data is corrupt).
pub(crate) fn bad_code(column: &'static str, code: &str) -> DomainError {
    DomainError::internal(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("unknown code {code:?} in column {column}"),
    ))
}
