//! Token buckets for the rate limits ([`copnet_domain::rate`]): in Redis, shared by every
//! replica (one script draws atomically, on Redis's clock), and in memory, for one process
//! or while Redis is away.

use std::{
    num::NonZeroUsize,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::rate::{Quota, RateLimiter};
use lru::LruCache;

use crate::{error::InfraError, redis::LazyConnection};

/// Longest wait for Redis before a draw is answered from this replica's buckets.
const CALL_TIMEOUT: Duration = Duration::from_millis(250);
/// Most buckets one replica keeps (the least recently used go first).
const LOCAL_BUCKETS: usize = 100_000;

/// Refills the bucket for the time since its last draw, then takes `cost` if it holds it.
/// Returns `{allowed, tokens * 1000, now in ms}` (Redis truncates numbers to integers).
const DRAW: &str = r"
local capacity = tonumber(ARGV[1])
local per_ms = capacity / 60000
local cost = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / per_ms) + 1000)
return {allowed, math.floor(tokens * 1000), now}
";

/// One bucket in memory.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

/// Buckets in this process's memory.
pub struct LocalLimiter {
    buckets: Mutex<LruCache<String, Bucket>>,
}

impl Default for LocalLimiter {
    fn default() -> Self {
        Self {
            buckets: Mutex::new(LruCache::new(
                NonZeroUsize::new(LOCAL_BUCKETS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl LocalLimiter {
    fn draw(&self, key: &str, limit: u32, cost: u32) -> Quota {
        let now = Utc::now();
        let capacity = f64::from(limit);
        let per_ms = capacity / 60_000.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets.get_or_insert_mut(key.to_owned(), || Bucket {
            tokens: capacity,
            at: now,
        });
        #[allow(clippy::cast_precision_loss)]
        let elapsed = (now - bucket.at).num_milliseconds().max(0) as f64;
        bucket.tokens = (bucket.tokens + elapsed * per_ms).min(capacity);
        bucket.at = now;
        let allowed = bucket.tokens >= f64::from(cost);
        if allowed {
            bucket.tokens -= f64::from(cost);
        }
        Quota::at(limit, cost, bucket.tokens, allowed, now)
    }
}

#[async_trait]
impl RateLimiter for LocalLimiter {
    async fn take(&self, key: &str, limit: u32, cost: u32) -> Quota {
        self.draw(key, limit, cost)
    }
}

/// Buckets in Redis, shared by every replica with the same prefix; this replica's own while
/// Redis is away or slow.
pub struct RedisLimiter {
    connection: LazyConnection,
    prefix: String,
    script: redis::Script,
    fallback: LocalLimiter,
}

impl RedisLimiter {
    /// Buckets at `url` under `<prefix>:rate:`. Nothing is contacted yet.
    pub fn open(url: &str, prefix: &str) -> Result<Self, InfraError> {
        Ok(Self {
            connection: LazyConnection::open(url, "rate limits")?,
            prefix: format!("{prefix}:rate:"),
            script: redis::Script::new(DRAW),
            fallback: LocalLimiter::default(),
        })
    }

    /// Connects now, waiting at most `wait`.
    pub async fn connect(&self, wait: Duration) {
        self.connection.connect(wait).await;
    }

    async fn shared(&self, key: &str, limit: u32, cost: u32) -> Option<Quota> {
        let mut conn = self.connection.get()?;
        let mut call = self.script.key(format!("{}{key}", self.prefix));
        call.arg(limit).arg(cost);
        let drawn: Result<Result<(i64, i64, i64), _>, _> =
            tokio::time::timeout(CALL_TIMEOUT, call.invoke_async(&mut conn)).await;
        match drawn {
            Ok(Ok((allowed, milli_tokens, now_ms))) => {
                let now = DateTime::from_timestamp_millis(now_ms).unwrap_or_else(Utc::now);
                #[allow(clippy::cast_precision_loss)]
                let tokens = milli_tokens as f64 / 1000.0;
                Some(Quota::at(limit, cost, tokens, allowed == 1, now))
            }
            Ok(Err(err)) => {
                let err: redis::RedisError = err;
                tracing::warn!(error = %err, "rate limits: redis draw failed; this replica's buckets answer");
                None
            }
            Err(_) => {
                tracing::warn!("rate limits: redis timed out; this replica's buckets answer");
                None
            }
        }
    }
}

#[async_trait]
impl RateLimiter for RedisLimiter {
    async fn take(&self, key: &str, limit: u32, cost: u32) -> Quota {
        match self.shared(key, limit, cost).await {
            Some(quota) => quota,
            None => self.fallback.draw(key, limit, cost),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_bucket_refuses_past_its_budget_and_refills() {
        let limiter = LocalLimiter::default();
        assert!(limiter.draw("k", 600, 400).allowed);
        let refused = limiter.draw("k", 600, 400);
        assert!(!refused.allowed);
        assert!(refused.remaining < 210, "{refused:?}");
        assert!(refused.retry_after_secs >= 19, "{refused:?}");
        assert!(
            limiter.draw("other", 600, 400).allowed,
            "buckets are per key"
        );
    }

    #[tokio::test]
    async fn without_redis_the_replicas_own_buckets_answer() {
        // Nothing listens on port 1: every draw falls back at once.
        let limiter = RedisLimiter::open("redis://127.0.0.1:1", "test").unwrap();
        limiter.connect(Duration::from_millis(100)).await;
        assert!(limiter.take("k", 10, 6).await.allowed);
        let refused = limiter.take("k", 10, 6).await;
        assert!(!refused.allowed, "{refused:?}");
        assert_eq!(refused.remaining, 4);
    }
}
