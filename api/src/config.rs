//! Settings, layered: built-in defaults, then an optional TOML file (`--config` or
//! `COPNET_CONFIG`), then the environment: `DATABASE_URL`, `REDIS_URL` and `COPNET_*`
//! (`COPNET_BIND`, `COPNET_JWT_SECRET`, `COPNET_JWT_ISSUER`, `COPNET_JWT_AUDIENCE`,
//! `COPNET_JWT_PUBLIC_KEY`, `COPNET_JWT_PUBLIC_KEY_FILE`, `COPNET_JWT_ALGORITHMS`,
//! `COPNET_PLATFORM_ADMINS`, `COPNET_MAX_QUERY_DEPTH`, `COPNET_MAX_QUERY_COMPLEXITY`,
//! `COPNET_MAX_ALIASES`, `COPNET_MAX_QUERY_TOKENS`, `COPNET_INTROSPECTION`, `COPNET_LOG_FORMAT`, ...). See
//! `deploy/copnet.example.toml`.

use std::path::{Path, PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The secret used by `--demo` when none is configured. Never accepted outside demo mode.
pub const DEMO_SECRET: &str = "copnet-demo-secret-do-not-use-in-production-0123456789";
/// Shortest accepted HS256 secret, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Why the settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or environment could not be read into settings.
    #[error("invalid configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// A value is unusable.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Every setting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `DATABASE_URL`: `postgres://...` or `sqlite://file?mode=rwc` (default: `copnet.db` in
    /// the working directory).
    pub database_url: String,
    /// `COPNET_DATABASE_MAX_CONNECTIONS`: PostgreSQL pool size.
    pub database_max_connections: u32,
    /// `COPNET_DATABASE_ACQUIRE_TIMEOUT_MS`: longest wait for a database connection before
    /// a request fails with `UNAVAILABLE` (HTTP 503), so that requests fail fast while
    /// PostgreSQL is down (SQLite waits at least 10 s for its one shared connection).
    pub database_acquire_timeout_ms: u64,
    /// `REDIS_URL`: optional. When set, events fan out to every replica through Redis
    /// pub/sub, and `/readyz` reports Redis.
    pub redis_url: Option<String>,
    /// `COPNET_REDIS_CHANNEL_PREFIX`: prefix of the pub/sub channels (several deployments may
    /// share one Redis).
    pub redis_channel_prefix: String,
    /// `COPNET_WS_KEEPALIVE_SECS`: interval of WebSocket pings to subscribers.
    pub ws_keepalive_secs: u64,
    /// `COPNET_BIND`: listen address.
    pub bind: String,
    /// `COPNET_JWT_SECRET`: HS256 secret, at least 32 bytes.
    #[serde(serialize_with = "serialize_secret")]
    pub jwt_secret: Option<SecretString>,
    /// `COPNET_JWT_ISSUER`: required `iss`.
    pub jwt_issuer: String,
    /// `COPNET_JWT_AUDIENCE`: required `aud`.
    pub jwt_audience: String,
    /// `COPNET_JWT_PUBLIC_KEY`: PEM public key (RSA or EC P-256) of an external identity
    /// provider, for RS256 or ES256 tokens.
    pub jwt_public_key: Option<String>,
    /// `COPNET_JWT_PUBLIC_KEY_FILE`: the same, from a file.
    pub jwt_public_key_file: Option<PathBuf>,
    /// `COPNET_JWT_ALGORITHMS`: comma-separated allow-list (`HS256,RS256,ES256`); empty means
    /// every algorithm that has a key.
    pub jwt_algorithms: String,
    /// `COPNET_JWT_JWKS_URL`: an OpenID Connect provider's JWKS URL (`jwks_uri`): RS256 and
    /// ES256 tokens are checked with the key their `kid` names, fetched again when the
    /// provider rotates its keys.
    pub jwt_jwks_url: Option<String>,
    /// `COPNET_JWT_JWKS_MIN_REFRESH_SECS`: least time between two fetches of the JWKS (a
    /// token naming an unknown key fetches it at most this often).
    pub jwt_jwks_min_refresh_secs: u64,
    /// `COPNET_JWT_ORGANIZATION_CLAIM`: a claim naming the organizations (slugs: a string or
    /// a list) the person belongs to; each known one becomes an `ORG_MEMBER` affiliation on
    /// sign-in. Empty: none.
    pub jwt_organization_claim: String,
    /// `COPNET_JWT_NAME_CLAIM`: the claim holding the display name.
    pub jwt_name_claim: String,
    /// `COPNET_JWT_EMAIL_CLAIM`: the claim holding the e-mail address.
    pub jwt_email_claim: String,
    /// `COPNET_PLATFORM_ADMINS`: comma-separated subjects of platform admins.
    pub platform_admins: String,
    /// `COPNET_MAX_DOCUMENT_BYTES`: longest GraphQL document.
    pub max_document_bytes: usize,
    /// `COPNET_MAX_QUERY_TOKENS`: most tokens in a document.
    pub max_query_tokens: usize,
    /// `COPNET_MAX_FRAGMENTS`: most fragment definitions in a document.
    pub max_fragments: usize,
    /// `COPNET_MAX_DIRECTIVES_PER_FIELD`: most directives on one field.
    pub max_directives_per_field: usize,
    /// `COPNET_MAX_QUERY_FIELDS`: most fields, every fragment spread expanded.
    pub max_query_fields: usize,
    /// `COPNET_MAX_QUERY_DEPTH`: deepest field nesting, fragments expanded.
    pub max_query_depth: usize,
    /// `COPNET_MAX_QUERY_COMPLEXITY`: list fields cost their page size times their items.
    pub max_query_complexity: usize,
    /// `COPNET_MAX_ALIASES`: most aliased fields, fragments expanded.
    pub max_aliases: usize,
    /// `COPNET_INTROSPECTION`: answer introspection queries.
    pub introspection: bool,
    /// `COPNET_REQUEST_TIMEOUT_SECS`.
    pub request_timeout_secs: u64,
    /// `COPNET_MAX_BODY_BYTES`: largest request body.
    pub max_body_bytes: usize,
    /// `COPNET_LOG_FORMAT`: `text` or `json`.
    pub log_format: String,
    /// `COPNET_CACHE`: cache anonymous query responses and community health figures (in
    /// Redis when `REDIS_URL` is set, shared by replicas; in memory otherwise).
    pub cache: bool,
    /// `COPNET_CACHE_TTL_SECS`: longest life of a cached entry (writes drop entries at once;
    /// this bounds how far time-based figures drift).
    pub cache_ttl_secs: u64,
    /// `COPNET_PERSISTED_QUERIES`: `off`, `apq` (automatic persisted queries) or `safelist`
    /// (only documents registered with `copnet persisted add` run).
    pub persisted_queries: String,
    /// `COPNET_APQ_MAX_DOCUMENTS`: most documents remembered by automatic persisted queries
    /// (registered ones aside); past it, new documents still run but are not remembered.
    pub apq_max_documents: u64,
    /// `COPNET_RATE_LIMIT_PERSON`: points per minute of each signed-in person (`0`: no
    /// limit).
    pub rate_limit_person: u32,
    /// `COPNET_RATE_LIMIT_SERVICE_ACCOUNT`: points per minute of each service account (`0`:
    /// no limit).
    pub rate_limit_service_account: u32,
    /// `COPNET_RATE_LIMIT_ANONYMOUS`: points per minute of each anonymous client address
    /// (`0`: no limit).
    pub rate_limit_anonymous: u32,
    /// `COPNET_RATE_LIMIT_CLIENT_IP_HEADER`: a header your proxy sets to the client's address
    /// (`x-forwarded-for`; its rightmost entry is used); empty: the TCP peer's address.
    pub rate_limit_client_ip_header: String,
}

fn serialize_secret<S: serde::Serializer>(
    secret: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => s.serialize_some(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://copnet.db?mode=rwc".into(),
            database_max_connections: 10,
            database_acquire_timeout_ms: 2_000,
            redis_url: None,
            redis_channel_prefix: "copnet".into(),
            ws_keepalive_secs: 15,
            bind: "127.0.0.1:8080".into(),
            jwt_secret: None,
            jwt_issuer: "copnet".into(),
            jwt_audience: "copnet".into(),
            jwt_public_key: None,
            jwt_public_key_file: None,
            jwt_algorithms: String::new(),
            jwt_jwks_url: None,
            jwt_jwks_min_refresh_secs: 30,
            jwt_organization_claim: String::new(),
            jwt_name_claim: "name".into(),
            jwt_email_claim: "email".into(),
            platform_admins: String::new(),
            max_document_bytes: 64 * 1024,
            max_query_tokens: 10_000,
            max_fragments: 100,
            max_directives_per_field: 5,
            max_query_fields: 2_000,
            max_query_depth: 15,
            max_query_complexity: 100_000,
            max_aliases: 50,
            introspection: true,
            request_timeout_secs: 30,
            max_body_bytes: 1024 * 1024,
            log_format: "text".into(),
            cache: true,
            cache_ttl_secs: 30,
            persisted_queries: "apq".into(),
            apq_max_documents: 10_000,
            rate_limit_person: 1_000,
            rate_limit_service_account: 5_000,
            rate_limit_anonymous: 1_000,
            rate_limit_client_ip_header: String::new(),
        }
    }
}

impl Settings {
    /// Reads defaults, the file (if any) and the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("COPNET_CONFIG").map(PathBuf::from));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Invalid(format!(
                    "configuration file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .merge(Env::prefixed("COPNET_").ignore(&["config"]))
            .extract()
            .map_err(|e| ConfigError::Load(Box::new(e)))
    }

    /// The persisted-query mode.
    pub fn persisted_query_mode(&self) -> Result<crate::graphql::persisted::Mode, ConfigError> {
        crate::graphql::persisted::Mode::parse(&self.persisted_queries).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "COPNET_PERSISTED_QUERIES must be off, apq or safelist, not {:?}",
                self.persisted_queries
            ))
        })
    }

    /// The JWKS URL, if one is set.
    pub fn jwks_url(&self) -> Option<&str> {
        self.jwt_jwks_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }

    /// Subjects of platform admins.
    pub fn platform_admin_subjects(&self) -> Vec<String> {
        split_list(&self.platform_admins)
    }

    /// The JWT algorithm allow-list.
    pub fn jwt_algorithm_list(&self) -> Vec<String> {
        split_list(&self.jwt_algorithms)
    }

    /// The public key PEM, from the setting or its file.
    pub fn jwt_public_key_pem(&self) -> Result<Option<String>, ConfigError> {
        match (&self.jwt_public_key, &self.jwt_public_key_file) {
            (Some(pem), _) if !pem.trim().is_empty() => Ok(Some(pem.clone())),
            (_, Some(path)) => std::fs::read_to_string(path).map(Some).map_err(|e| {
                ConfigError::Invalid(format!(
                    "COPNET_JWT_PUBLIC_KEY_FILE {}: {e}",
                    path.display()
                ))
            }),
            _ => Ok(None),
        }
    }

    /// The HS256 secret to use. Outside demo mode a configured secret must be at least 32
    /// bytes, and a missing one is an error unless an external public key is configured.
    /// In demo mode a missing secret becomes [`DEMO_SECRET`].
    pub fn hs256_secret(&self, demo: bool) -> Result<Option<Vec<u8>>, ConfigError> {
        let configured = self
            .jwt_secret
            .as_ref()
            .map(|s| s.expose_secret().as_bytes().to_vec())
            .filter(|s| !s.is_empty());
        match configured {
            Some(secret) if secret.len() < MIN_SECRET_BYTES && !demo => Err(ConfigError::Invalid(format!(
                "COPNET_JWT_SECRET is too weak: it must be at least {MIN_SECRET_BYTES} bytes (got {})",
                secret.len()
            ))),
            Some(secret) => Ok(Some(secret)),
            None if demo => Ok(Some(DEMO_SECRET.as_bytes().to_vec())),
            None if self.jwt_public_key_pem()?.is_some() || self.jwks_url().is_some() => Ok(None),
            None => Err(ConfigError::Invalid(
                "COPNET_JWT_SECRET is not set: set a secret of at least 32 bytes (or COPNET_JWT_PUBLIC_KEY for an external identity provider), or run with --demo".into(),
            )),
        }
    }
}

fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_secret_is_an_error_outside_demo_mode() {
        let settings = Settings::default();
        assert!(settings.hs256_secret(false).is_err());
        assert_eq!(
            settings.hs256_secret(true).ok().flatten(),
            Some(DEMO_SECRET.as_bytes().to_vec())
        );
    }

    #[test]
    fn weak_secret_is_an_error_outside_demo_mode() {
        let settings = Settings {
            jwt_secret: Some(SecretString::from("short")),
            ..Settings::default()
        };
        assert!(
            settings
                .hs256_secret(false)
                .is_err_and(|e| e.to_string().contains("too weak"))
        );
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure type is fixed by figment.
    fn settings_come_from_the_file_then_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "copnet.toml",
                "bind = \"0.0.0.0:9000\"\nmax_aliases = 7\ndatabase_url = \"sqlite://from-file.db\"",
            )?;
            jail.set_env("DATABASE_URL", "postgres://db/copnet");
            jail.set_env("REDIS_URL", "redis://cache:6379");
            jail.set_env("COPNET_JWT_SECRET", "0123456789abcdef0123456789abcdef");
            jail.set_env("COPNET_JWT_ISSUER", "https://idp.example.org");
            jail.set_env("COPNET_PLATFORM_ADMINS", "ops-1,ops-2");
            jail.set_env("COPNET_INTROSPECTION", "false");
            let settings =
                Settings::load(Some(Path::new("copnet.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(settings.bind, "0.0.0.0:9000");
            assert_eq!(settings.max_aliases, 7);
            assert_eq!(settings.database_url, "postgres://db/copnet");
            assert_eq!(settings.redis_url.as_deref(), Some("redis://cache:6379"));
            assert_eq!(settings.jwt_issuer, "https://idp.example.org");
            assert_eq!(settings.jwt_audience, "copnet");
            assert_eq!(settings.platform_admin_subjects(), ["ops-1", "ops-2"]);
            assert!(!settings.introspection);
            assert!(settings.hs256_secret(false).is_ok());
            Ok(())
        });
    }

    #[test]
    fn missing_configuration_file_is_a_clear_error() {
        let err = Settings::load(Some(Path::new("/nonexistent/copnet.toml")));
        assert!(err.is_err_and(|e| e.to_string().contains("does not exist")));
    }

    #[test]
    fn lists_are_split_on_commas() {
        let settings = Settings {
            platform_admins: " alice, bob ,,".into(),
            ..Settings::default()
        };
        assert_eq!(settings.platform_admin_subjects(), vec!["alice", "bob"]);
    }
}
