//! Redis: its reachability (`/readyz`), and the lazily made connection that the cache and
//! the rate limits share the way of.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use redis::aio::ConnectionManager;
use tokio::sync::OnceCell;

use crate::error::InfraError;

/// A Redis client that connects on demand.
#[derive(Debug, Clone)]
pub struct Redis {
    client: ::redis::Client,
}

impl Redis {
    /// Parses the URL (nothing is contacted yet).
    pub fn open(url: &str) -> Result<Self, InfraError> {
        Ok(Self {
            client: ::redis::Client::open(url)?,
        })
    }

    /// Sends `PING` within a short timeout.
    pub async fn ping(&self) -> Result<(), InfraError> {
        let attempt = async {
            let mut conn = self.client.get_multiplexed_async_connection().await?;
            let _: String = ::redis::cmd("PING").query_async(&mut conn).await?;
            Ok::<(), ::redis::RedisError>(())
        };
        match tokio::time::timeout(Duration::from_secs(2), attempt).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(InfraError::Config(
                "redis did not answer PING within 2s".into(),
            )),
        }
    }
}

/// Least time between two attempts to connect to an unreachable Redis.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

/// A connection made at startup or in the background, never on a request's path: while Redis
/// is away, callers get `None` and go on without it.
pub(crate) struct LazyConnection {
    client: ::redis::Client,
    cell: Arc<OnceCell<ConnectionManager>>,
    last_attempt: Mutex<Option<Instant>>,
    /// What uses it, for the log.
    user: &'static str,
}

impl LazyConnection {
    /// A connection to `url` for `user`; nothing is contacted yet.
    pub(crate) fn open(url: &str, user: &'static str) -> Result<Self, InfraError> {
        Ok(Self {
            client: ::redis::Client::open(url)?,
            cell: Arc::new(OnceCell::new()),
            last_attempt: Mutex::new(None),
            user,
        })
    }

    /// Connects now, waiting at most `wait`; a Redis that is away is then retried in the
    /// background.
    pub(crate) async fn connect(&self, wait: Duration) {
        if let Ok(Ok(c)) = tokio::time::timeout(wait, self.client.get_connection_manager()).await {
            let _ = self.cell.set(c);
        } else {
            tracing::warn!(
                user = self.user,
                "redis unreachable at startup; going on without it meanwhile"
            );
        }
    }

    /// The connection, if there is one. Connecting happens in the background (at most once
    /// per [`RECONNECT_EVERY`] while Redis is away).
    pub(crate) fn get(&self) -> Option<ConnectionManager> {
        if let Some(c) = self.cell.get() {
            return Some(c.clone());
        }
        {
            let mut last = self
                .last_attempt
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| at.elapsed() < RECONNECT_EVERY) {
                return None;
            }
            *last = Some(Instant::now());
        }
        let (client, cell, user) = (self.client.clone(), Arc::clone(&self.cell), self.user);
        tokio::spawn(async move {
            match client.get_connection_manager().await {
                Ok(c) => {
                    let _ = cell.set(c);
                }
                Err(err) => {
                    tracing::warn!(user, error = %err, "cannot connect to redis; going on without it");
                }
            }
        });
        None
    }
}
