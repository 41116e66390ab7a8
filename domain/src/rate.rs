//! Cost-based rate limits (GitHub's and Shopify's model): every operation costs points,
//! computed from its document before it runs, drawn from a token bucket per actor that
//! refills its whole budget each minute. The buckets live in Redis, shared by every replica;
//! when Redis is away, each replica keeps its own.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A bucket's state after a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The bucket's size: points per minute.
    pub limit: u32,
    /// What the operation asked for.
    pub requested: u32,
    /// Points left after the draw (or before it, when refused).
    pub remaining: u32,
    /// Whether the points were taken.
    pub allowed: bool,
    /// When the bucket is full again.
    pub reset_at: DateTime<Utc>,
    /// When refused: seconds until the request's points have refilled.
    pub retry_after_secs: u32,
}

impl Quota {
    /// The quota of a bucket holding `tokens` (after a draw of `cost`, if `allowed`) at
    /// `now`, refilling `limit` points per minute.
    pub fn at(limit: u32, cost: u32, tokens: f64, allowed: bool, now: DateTime<Utc>) -> Quota {
        let per_ms = f64::from(limit.max(1)) / 60_000.0;
        let ms_until = |points: f64| (points.max(0.0) / per_ms).ceil();
        let full_in = ms_until(f64::from(limit) - tokens);
        let retry_in = if allowed {
            0.0
        } else {
            ms_until(f64::from(cost) - tokens)
        };
        // Float to integer: both are bounded by a minute of refill.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (full_ms, retry_secs, remaining) = (
            full_in as i64,
            (retry_in / 1000.0).ceil() as u32,
            tokens.max(0.0).floor() as u32,
        );
        Quota {
            limit,
            requested: cost,
            remaining,
            allowed,
            reset_at: now + chrono::Duration::milliseconds(full_ms),
            retry_after_secs: retry_secs.max(u32::from(!allowed)),
        }
    }
}

/// Draws points from token buckets.
#[async_trait]
pub trait RateLimiter: Send + Sync {
    /// Takes `cost` points from the bucket `key` (`limit` points, refilled at `limit` per
    /// minute) when it holds them. Never fails: a limiter that cannot reach its shared store
    /// answers from its own.
    async fn take(&self, key: &str, limit: u32, cost: u32) -> Quota;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_draw_says_when_its_points_are_back() {
        let now = Utc::now();
        // 60 points a minute is one a second: 3 points short is 3 seconds away.
        let q = Quota::at(60, 5, 2.0, false, now);
        assert_eq!((q.remaining, q.retry_after_secs), (2, 3));
        assert_eq!(q.reset_at, now + chrono::Duration::seconds(58));
        let ok = Quota::at(60, 5, 55.0, true, now);
        assert_eq!((ok.remaining, ok.retry_after_secs), (55, 0));
    }
}
