//! A cache shared by replicas, for what is expensive and the same for many callers.
//!
//! Entries live under a [`CacheScope`]. Invalidating a scope drops every entry under it at
//! once, on every replica: each scope has a generation, a fresh random value on every
//! invalidation; an entry is stored under the generation read *before* its value was
//! computed, so a value computed from data older than an invalidation is never read after
//! it. Writes invalidate after their commit and before they answer. A lost cache (Redis
//! away) makes reads compute (never an error) and the TTL bounds what a failed invalidation
//! could leave behind.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;

use crate::ids::CommunityId;

/// What a cached entry depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CacheScope {
    /// Whole responses to anonymous queries: invalidated by every write.
    Anonymous,
    /// A community's health figures: invalidated by the writes that move them.
    Community(CommunityId),
}

impl CacheScope {
    /// Its name in keys.
    pub fn key(self) -> String {
        match self {
            CacheScope::Anonymous => "anonymous".to_owned(),
            CacheScope::Community(id) => format!("community:{id}"),
        }
    }
}

/// Where a computed value is to be stored: the scope's generation when the lookup missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// The scope.
    pub scope: CacheScope,
    /// The entry's key within it.
    pub key: String,
    /// The scope's generation at the lookup.
    pub generation: String,
}

/// The outcome of a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The stored value.
    Hit(Vec<u8>),
    /// Nothing stored: compute, then [`Cache::fill`].
    Miss(Fill),
    /// The cache cannot be used now: compute, and do not store.
    Bypass,
}

/// Counters of a cache, for `/readyz` and benchmarks.
#[derive(Debug, Default)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: AtomicU64,
    /// Lookups that found nothing.
    pub misses: AtomicU64,
    /// Lookups and invalidations the cache could not serve (Redis away or slow).
    pub errors: AtomicU64,
    /// Scopes invalidated.
    pub invalidations: AtomicU64,
}

impl CacheStats {
    /// `(hits, misses, errors, invalidations)` now.
    pub fn snapshot(&self) -> (u64, u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.errors.load(Ordering::Relaxed),
            self.invalidations.load(Ordering::Relaxed),
        )
    }
}

/// The shared cache. Never fails its caller: trouble is a [`Lookup::Bypass`], logged and
/// counted.
#[async_trait]
pub trait Cache: Send + Sync {
    /// Looks several entries up at once (one round trip): one answer per entry, in order.
    async fn lookup_many(&self, entries: &[(CacheScope, String)]) -> Vec<Lookup>;

    /// Looks an entry up.
    async fn lookup(&self, scope: CacheScope, key: &str) -> Lookup {
        self.lookup_many(&[(scope, key.to_owned())])
            .await
            .pop()
            .unwrap_or(Lookup::Bypass)
    }

    /// Stores what was computed after a miss.
    async fn fill(&self, fill: Fill, value: Vec<u8>);

    /// Drops every entry of these scopes, on every replica, before returning.
    async fn invalidate(&self, scopes: &[CacheScope]);

    /// Its counters.
    fn stats(&self) -> &CacheStats;
}

/// No cache: every lookup computes.
#[derive(Debug, Default)]
pub struct NoCache {
    stats: CacheStats,
}

#[async_trait]
impl Cache for NoCache {
    async fn lookup_many(&self, entries: &[(CacheScope, String)]) -> Vec<Lookup> {
        entries.iter().map(|_| Lookup::Bypass).collect()
    }

    async fn fill(&self, _fill: Fill, _value: Vec<u8>) {}

    async fn invalidate(&self, _scopes: &[CacheScope]) {}

    fn stats(&self) -> &CacheStats {
        &self.stats
    }
}
