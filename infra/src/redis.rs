//! Redis: only its reachability for now (`/readyz`); pub/sub and caching build on this.

use std::time::Duration;

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
