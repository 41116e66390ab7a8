//! The shared cache: in Redis for replicas, in memory for the embedded default.
//!
//! Both keep one generation per scope and store each entry under the generation read at its
//! lookup (see [`copnet_domain::cache`]). In Redis, a generation is a random value set anew
//! on every invalidation (never reused, so an evicted or lost generation key cannot revive
//! old entries): one script reads the generations and the entries of a lookup in one round
//! trip, and an invalidation is one pipelined round trip that the write awaits before it
//! answers. Every call has a short timeout; when Redis is away or slow, lookups bypass the
//! cache (the caller computes) and a failed invalidation is kept and retried before this
//! replica reads the cache again; the entries' TTL bounds what other replicas could read
//! meanwhile.

use std::{
    sync::{
        Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use async_trait::async_trait;
use copnet_domain::cache::{Cache, CacheScope, CacheStats, Fill, Lookup};
use redis::aio::ConnectionManager;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{error::InfraError, redis::LazyConnection};

/// Longest wait for one cache call before the request goes on without the cache.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(250);
/// Largest entry stored.
pub const MAX_ENTRY_BYTES: usize = 1 << 20;

fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn hashed(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// For each scope `KEYS[i]`: its generation (set to `ARGV[1]` when it has none), then the
/// entry `ARGV[1 + i] .. generation .. ARGV[1 + n + i]`.
const LOOKUP: &str = r"
local n = #KEYS
local out = {}
for i = 1, n do
  local g = redis.call('GET', KEYS[i])
  if not g then
    g = ARGV[1]
    redis.call('SET', KEYS[i], g)
  end
  out[2 * i - 1] = g
  out[2 * i] = redis.call('GET', ARGV[1 + i] .. g .. ARGV[1 + n + i])
end
return out
";

/// The cache in Redis, shared by every replica using the same prefix.
pub struct RedisCache {
    connection: LazyConnection,
    prefix: String,
    ttl: Duration,
    script: redis::Script,
    pending: Mutex<Vec<CacheScope>>,
    stats: CacheStats,
}

impl std::fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisCache")
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl RedisCache {
    /// A cache at `url` whose keys start with `prefix` and whose entries live `ttl` at most.
    /// Nothing is contacted yet.
    pub fn open(url: &str, prefix: &str, ttl: Duration) -> Result<Self, InfraError> {
        Ok(Self {
            connection: LazyConnection::open(url, "cache")?,
            prefix: format!("{prefix}:cache"),
            ttl,
            script: redis::Script::new(LOOKUP),
            pending: Mutex::new(Vec::new()),
            stats: CacheStats::default(),
        })
    }

    /// Connects now, waiting at most `wait` (at startup, so that the first requests find
    /// the cache); a Redis that is away is then retried in the background.
    pub async fn connect(&self, wait: Duration) {
        self.connection.connect(wait).await;
    }

    fn generation_key(&self, scope: CacheScope) -> String {
        format!("{}:gen:{}", self.prefix, scope.key())
    }

    fn entry_prefix(&self, scope: CacheScope) -> String {
        format!("{}:entry:{}:", self.prefix, scope.key())
    }

    /// The connection, if there is one (see [`LazyConnection::get`]).
    async fn connection(&self) -> Option<ConnectionManager> {
        self.connection.get()
    }

    /// Sets a fresh generation for each scope, in one round trip.
    async fn bump(&self, scopes: &[CacheScope]) -> bool {
        let Some(mut conn) = self.connection().await else {
            return false;
        };
        let mut pipe = redis::pipe();
        for &scope in scopes {
            pipe.cmd("SET")
                .arg(self.generation_key(scope))
                .arg(Uuid::now_v7().simple().to_string())
                .ignore();
        }
        match tokio::time::timeout(CALL_TIMEOUT, pipe.query_async::<()>(&mut conn)).await {
            Ok(Ok(())) => true,
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cache: invalidation failed");
                false
            }
            Err(_) => {
                tracing::warn!("cache: invalidation timed out");
                false
            }
        }
    }

    /// Retries invalidations that failed; false while some remain.
    async fn flush_pending(&self) -> bool {
        let pending: Vec<CacheScope> = {
            let mut held = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            std::mem::take(&mut *held)
        };
        if pending.is_empty() {
            return true;
        }
        if self.bump(&pending).await {
            return true;
        }
        self.keep_pending(&pending);
        false
    }

    fn keep_pending(&self, scopes: &[CacheScope]) {
        let mut held = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for scope in scopes {
            if !held.contains(scope) {
                held.push(*scope);
            }
        }
    }

    fn bypass(&self, n: usize) -> Vec<Lookup> {
        count(&self.stats.errors);
        vec![Lookup::Bypass; n]
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn lookup_many(&self, entries: &[(CacheScope, String)]) -> Vec<Lookup> {
        if entries.is_empty() {
            return Vec::new();
        }
        if !self.flush_pending().await {
            return self.bypass(entries.len());
        }
        let Some(mut conn) = self.connection().await else {
            return self.bypass(entries.len());
        };
        let suffixes: Vec<String> = entries
            .iter()
            .map(|(_, key)| format!(":{}", hashed(key)))
            .collect();
        let mut invocation = self.script.prepare_invoke();
        for (scope, _) in entries {
            invocation.key(self.generation_key(*scope));
        }
        invocation.arg(Uuid::now_v7().simple().to_string());
        for (scope, _) in entries {
            invocation.arg(self.entry_prefix(*scope));
        }
        for suffix in &suffixes {
            invocation.arg(suffix);
        }
        let reply = tokio::time::timeout(
            CALL_TIMEOUT,
            invocation.invoke_async::<Vec<Option<Vec<u8>>>>(&mut conn),
        )
        .await;
        let values = match reply {
            Ok(Ok(values)) if values.len() == entries.len() * 2 => values,
            Ok(Ok(_)) => return self.bypass(entries.len()),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cache: lookup failed");
                return self.bypass(entries.len());
            }
            Err(_) => return self.bypass(entries.len()),
        };
        let mut out = Vec::with_capacity(entries.len());
        for ((scope, _), (pair, suffix)) in entries.iter().zip(values.chunks(2).zip(suffixes)) {
            let generation = pair[0]
                .as_ref()
                .map(|g| String::from_utf8_lossy(g).into_owned());
            match (&pair[1], generation) {
                (Some(value), _) => {
                    count(&self.stats.hits);
                    out.push(Lookup::Hit(value.clone()));
                }
                (None, Some(generation)) => {
                    count(&self.stats.misses);
                    out.push(Lookup::Miss(Fill {
                        scope: *scope,
                        key: suffix,
                        generation,
                    }));
                }
                (None, None) => out.push(Lookup::Bypass),
            }
        }
        out
    }

    async fn fill(&self, fill: Fill, value: Vec<u8>) {
        if value.len() > MAX_ENTRY_BYTES {
            return;
        }
        let Some(mut conn) = self.connection().await else {
            return;
        };
        // `fill.key` is the hashed suffix the lookup made.
        let key = format!(
            "{}{}{}",
            self.entry_prefix(fill.scope),
            fill.generation,
            fill.key
        );
        let ttl = u64::try_from(self.ttl.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let mut set = redis::cmd("SET");
        set.arg(key).arg(value).arg("PX").arg(ttl);
        let stored = tokio::time::timeout(CALL_TIMEOUT, set.query_async::<()>(&mut conn)).await;
        if !matches!(stored, Ok(Ok(()))) {
            count(&self.stats.errors);
        }
    }

    async fn invalidate(&self, scopes: &[CacheScope]) {
        if scopes.is_empty() {
            return;
        }
        self.stats
            .invalidations
            .fetch_add(scopes.len() as u64, Ordering::Relaxed);
        self.flush_pending().await;
        if !self.bump(scopes).await {
            count(&self.stats.errors);
            self.keep_pending(scopes);
        }
    }

    fn stats(&self) -> &CacheStats {
        &self.stats
    }
}

/// The embedded default's cache: this process's memory, at most `max_bytes` of entries
/// (least recently used dropped first).
pub struct MemoryCache {
    state: Mutex<Memory>,
    ttl: Duration,
    max_bytes: usize,
    stats: CacheStats,
}

struct Memory {
    generations: std::collections::HashMap<CacheScope, u64>,
    entries: lru::LruCache<(CacheScope, String), Stored>,
    bytes: usize,
}

struct Stored {
    generation: u64,
    expires: Instant,
    value: Vec<u8>,
}

impl std::fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryCache")
    }
}

impl MemoryCache {
    /// An empty cache.
    pub fn new(ttl: Duration, max_bytes: usize) -> Self {
        Self {
            state: Mutex::new(Memory {
                generations: std::collections::HashMap::new(),
                entries: lru::LruCache::unbounded(),
                bytes: 0,
            }),
            ttl,
            max_bytes,
            stats: CacheStats::default(),
        }
    }
}

impl Memory {
    fn generation(&self, scope: CacheScope) -> u64 {
        self.generations.get(&scope).copied().unwrap_or(0)
    }

    fn remove(&mut self, key: &(CacheScope, String)) {
        if let Some(old) = self.entries.pop(key) {
            self.bytes = self.bytes.saturating_sub(old.value.len());
        }
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn lookup_many(&self, entries: &[(CacheScope, String)]) -> Vec<Lookup> {
        let mut memory = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        entries
            .iter()
            .map(|(scope, key)| {
                let generation = memory.generation(*scope);
                let id = (*scope, key.clone());
                let fresh = memory
                    .entries
                    .get(&id)
                    .filter(|s| s.generation == generation && s.expires > now)
                    .map(|s| s.value.clone());
                if let Some(value) = fresh {
                    count(&self.stats.hits);
                    return Lookup::Hit(value);
                }
                memory.remove(&id);
                count(&self.stats.misses);
                Lookup::Miss(Fill {
                    scope: *scope,
                    key: key.clone(),
                    generation: generation.to_string(),
                })
            })
            .collect()
    }

    async fn fill(&self, fill: Fill, value: Vec<u8>) {
        if value.len() > MAX_ENTRY_BYTES.min(self.max_bytes) {
            return;
        }
        let mut memory = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let generation = memory.generation(fill.scope);
        if fill.generation != generation.to_string() {
            // Invalidated since the lookup: the value may predate the write.
            return;
        }
        let id = (fill.scope, fill.key);
        memory.remove(&id);
        memory.bytes += value.len();
        memory.entries.put(
            id,
            Stored {
                generation,
                expires: Instant::now() + self.ttl,
                value,
            },
        );
        while memory.bytes > self.max_bytes {
            match memory.entries.pop_lru() {
                Some((_, old)) => memory.bytes = memory.bytes.saturating_sub(old.value.len()),
                None => break,
            }
        }
    }

    async fn invalidate(&self, scopes: &[CacheScope]) {
        let mut memory = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        for scope in scopes {
            *memory.generations.entry(*scope).or_insert(0) += 1;
        }
        self.stats
            .invalidations
            .fetch_add(scopes.len() as u64, Ordering::Relaxed);
    }

    fn stats(&self) -> &CacheStats {
        &self.stats
    }
}

/// Entries of the embedded default: at most this many bytes.
pub const MEMORY_CACHE_BYTES: usize = 64 << 20;

#[cfg(test)]
mod tests {
    use copnet_domain::ids::CommunityId;

    use super::*;

    fn hit(lookup: &Lookup) -> Option<&[u8]> {
        match lookup {
            Lookup::Hit(v) => Some(v),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_value_computed_before_an_invalidation_is_never_read_after_it() {
        let cache = MemoryCache::new(Duration::from_secs(60), 1 << 20);
        let scope = CacheScope::Community(CommunityId::generate());
        let Lookup::Miss(fill) = cache.lookup(scope, "health").await else {
            panic!("expected a miss");
        };
        cache.invalidate(&[scope]).await;
        cache.fill(fill, b"old".to_vec()).await;
        let Lookup::Miss(fill) = cache.lookup(scope, "health").await else {
            panic!("the stale value must not be stored");
        };
        cache.fill(fill, b"new".to_vec()).await;
        assert_eq!(hit(&cache.lookup(scope, "health").await), Some(&b"new"[..]));
        cache.invalidate(&[scope]).await;
        assert!(matches!(
            cache.lookup(scope, "health").await,
            Lookup::Miss(_)
        ));
    }

    #[tokio::test]
    async fn the_memory_cache_keeps_within_its_bytes_and_its_ttl() {
        let cache = MemoryCache::new(Duration::from_millis(20), 10);
        for key in ["a", "b", "c"] {
            if let Lookup::Miss(fill) = cache.lookup(CacheScope::Anonymous, key).await {
                cache.fill(fill, vec![0; 4]).await;
            }
        }
        assert!(matches!(
            cache.lookup(CacheScope::Anonymous, "a").await,
            Lookup::Miss(_)
        ));
        assert!(hit(&cache.lookup(CacheScope::Anonymous, "c").await).is_some());
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(matches!(
            cache.lookup(CacheScope::Anonymous, "c").await,
            Lookup::Miss(_)
        ));
    }
}
