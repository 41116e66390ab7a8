//! An identity provider's signing keys, from its JWKS URL (OpenID Connect's `jwks_uri`):
//! fetched at startup, kept by key id (`kid`), fetched again when a token names an unknown
//! key (the provider rotated its keys), at most once per refresh interval so that tokens
//! with made-up key ids cannot make copnet hammer the provider. RS256 (RSA) and ES256 (EC
//! P-256) keys are used; others are ignored.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm},
};
use tokio::sync::Mutex;

use crate::error::InfraError;

/// Longest wait for the provider.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest JWKS document read.
const MAX_BYTES: usize = 256 * 1024;

/// The keys of one JWKS URL.
pub struct Jwks {
    url: String,
    client: reqwest::Client,
    keys: RwLock<Arc<HashMap<String, (Algorithm, DecodingKey)>>>,
    /// Held while fetching; the instant of the last fetch.
    fetched: Mutex<Option<Instant>>,
    min_refresh: Duration,
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwks").field("url", &self.url).finish()
    }
}

/// The algorithm a key is for, if copnet accepts it.
fn algorithm(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Algorithm> {
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Algorithm::ES256
        }
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(by_type),
        Some(KeyAlgorithm::RS256) if by_type == Algorithm::RS256 => Some(by_type),
        Some(KeyAlgorithm::ES256) if by_type == Algorithm::ES256 => Some(by_type),
        Some(_) => None,
    }
}

impl Jwks {
    /// The keys at `url`, fetched again at most once per `min_refresh`. Nothing is fetched
    /// yet.
    pub fn new(url: &str, min_refresh: Duration) -> Result<Self, InfraError> {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|e| InfraError::Config(format!("JWKS client: {e}")))?;
        Ok(Self {
            url: url.to_owned(),
            client,
            keys: RwLock::new(Arc::new(HashMap::new())),
            fetched: Mutex::new(None),
            min_refresh,
        })
    }

    fn cached(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(kid)
            .cloned()
    }

    /// The key with this id: known, or found by fetching the set again (unless it was
    /// fetched less than the refresh interval ago).
    pub async fn key(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let mut fetched = self.fetched.lock().await;
        // Another request may have fetched it while this one waited.
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        if fetched.is_some_and(|at| at.elapsed() < self.min_refresh) {
            return None;
        }
        *fetched = Some(Instant::now());
        if let Err(err) = self.refresh().await {
            tracing::warn!(url = %self.url, error = %err, "JWKS: cannot fetch the identity provider's keys");
        }
        self.cached(kid)
    }

    /// Fetches the set now (at startup); failures are logged, the keys then come with the
    /// first token.
    pub async fn prime(&self) {
        *self.fetched.lock().await = Some(Instant::now());
        if let Err(err) = self.refresh().await {
            tracing::warn!(url = %self.url, error = %err, "JWKS: cannot fetch the identity provider's keys at startup");
        }
    }

    async fn refresh(&self) -> Result<(), String> {
        let response = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .error_for_status()
            .map_err(|e| e.to_string())?;
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if body.len() > MAX_BYTES {
            return Err(format!("the key set is larger than {MAX_BYTES} bytes"));
        }
        let set: JwkSet = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let (Some(kid), Some(alg)) = (jwk.common.key_id.clone(), algorithm(jwk)) else {
                continue;
            };
            match DecodingKey::from_jwk(jwk) {
                Ok(key) => {
                    keys.insert(kid, (alg, key));
                }
                Err(err) => tracing::warn!(kid, error = %err, "JWKS: unusable key"),
            }
        }
        tracing::info!(url = %self.url, keys = keys.len(), "JWKS: identity provider keys loaded");
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
        Ok(())
    }
}
