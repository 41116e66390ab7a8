//! Connecting to PostgreSQL or SQLite, migrating, and counting statements.

use std::{
    io::Write,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use copnet_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, DatabaseBackend, DatabaseConnection,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::error::InfraError;

/// Statements slower than this are logged at WARN.
const SLOW_STATEMENT: Duration = Duration::from_millis(250);

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    /// `postgres://...` or `sqlite://path?mode=rwc`.
    pub url: String,
    /// Pool size for PostgreSQL. SQLite always uses one connection: the embedded default is
    /// for a single process, and one writer avoids `SQLITE_BUSY` on lock upgrades.
    pub max_connections: u32,
    /// Longest wait for a pooled connection before a request fails as unavailable (fail fast
    /// while PostgreSQL is down). SQLite waits at least 10 s: its one connection is shared.
    pub acquire_timeout: Duration,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 10,
            acquire_timeout: Duration::from_secs(2),
        }
    }
}

/// A connection pool plus a count of the statements it ran.
#[derive(Debug, Clone)]
pub struct Database {
    conn: DatabaseConnection,
    statements: Arc<AtomicU64>,
}

impl Database {
    /// Connects and checks the connection.
    pub async fn connect(options: &DatabaseOptions) -> Result<Self, InfraError> {
        let mut opts = ConnectOptions::new(options.url.clone());
        opts.sqlx_logging(false)
            .acquire_timeout(options.acquire_timeout)
            .connect_timeout(options.acquire_timeout.max(Duration::from_millis(500)));
        if is_sqlite(&options.url) {
            opts.acquire_timeout(options.acquire_timeout.max(Duration::from_secs(10)))
                .max_connections(1)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                        .create_if_missing(true)
                });
        } else {
            opts.max_connections(options.max_connections.max(1));
        }
        let mut conn = sea_orm::Database::connect(opts).await?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&statements);
        let capture = capture_file()?;
        conn.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            if let Some(file) = &capture {
                // One statement per line, its values inlined: a pgbench script replays it.
                let sql = replayable(info.statement).replace(['\n', '\r'], " ");
                let mut file = file
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Err(err) = writeln!(file, "{sql};") {
                    tracing::warn!(error = %err, "cannot write a captured statement");
                }
            }
            if info.elapsed > SLOW_STATEMENT {
                tracing::warn!(
                    elapsed_ms = info.elapsed.as_millis() as u64,
                    sql = %info.statement.sql,
                    "slow statement"
                );
            }
        });
        conn.ping().await?;
        Ok(Self { conn, statements })
    }

    /// The pool.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// How many statements ran since start (for tests and diagnostics).
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// `postgres` or `sqlite`.
    pub fn backend_name(&self) -> &'static str {
        match self.conn.get_database_backend() {
            DatabaseBackend::Postgres => "postgres",
            DatabaseBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), InfraError> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// Reverts every migration (tooling and tests).
    pub async fn migrate_down_all(&self) -> Result<(), InfraError> {
        Migrator::down(&self.conn, None).await?;
        Ok(())
    }

    /// Whether no migration was applied yet or some are pending.
    pub async fn pending_migrations(&self) -> Result<usize, InfraError> {
        Ok(Migrator::get_pending_migrations(&self.conn).await?.len())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), InfraError> {
        self.conn.ping().await?;
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), InfraError> {
        self.conn.close().await?;
        Ok(())
    }
}

/// A statement with its values inlined. A bound array becomes an array literal
/// (`= ANY('{a,b}')`), whose element type PostgreSQL infers from the column, as it does for
/// the bound parameter; sea-query's own inlining writes `ARRAY['a','b']`, a `text[]`.
fn replayable(statement: &sea_orm::Statement) -> String {
    use sea_orm::sea_query::Value;
    let Some(values) = &statement.values else {
        return statement.to_string();
    };
    let element = |v: &Value| match v {
        Value::Uuid(Some(u)) => Some(u.to_string()),
        Value::String(Some(s)) => Some(s.clone()),
        _ => None,
    };
    let literal = |items: &[Value]| -> Option<String> {
        let quoted: Option<Vec<String>> = items
            .iter()
            .map(|v| {
                element(v).map(|e| format!("\"{}\"", e.replace('\\', "\\\\").replace('"', "\\\"")))
            })
            .collect();
        Some(format!("{{{}}}", quoted?.join(",")))
    };
    let inlined: Vec<Value> = values
        .0
        .iter()
        .map(|v| match v {
            Value::Array(_, Some(items)) => literal(items).map_or_else(|| v.clone(), Value::from),
            other => other.clone(),
        })
        .collect();
    sea_orm::Statement::from_sql_and_values(statement.db_backend, &statement.sql, inlined)
        .to_string()
}

/// The file named by `COPNET_CAPTURE_SQL`, opened for appending: a diagnostic for
/// benchmarks, which replay the captured statements with pgbench.
fn capture_file() -> Result<Option<std::sync::Mutex<std::fs::File>>, InfraError> {
    let Some(path) = std::env::var_os("COPNET_CAPTURE_SQL") else {
        return Ok(None);
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| {
            InfraError::Config(format!(
                "COPNET_CAPTURE_SQL {}: {e}",
                std::path::Path::new(&path).display()
            ))
        })?;
    Ok(Some(std::sync::Mutex::new(file)))
}

/// Whether the URL points at SQLite.
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}
