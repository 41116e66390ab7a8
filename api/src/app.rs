//! The composition root: the only place that names `infra` types. Builds the state and the
//! router from settings, and serves it.

use std::{collections::HashSet, net::IpAddr, sync::Arc, time::Duration};

use axum::{Router, serve::ListenerExt};
use copnet_domain::{
    Actor,
    auth::{ApiKeys, TokenVerifier},
    cache::{Cache, CacheScope, NoCache},
    event::{EventBus, EventSource},
    ids::PersonId,
    rate::RateLimiter,
    repo::Repos,
    service::Services,
};
use copnet_infra::{
    Database, DatabaseOptions, InfraError, Store,
    api_keys::ApiKeyScheme,
    cache::{MEMORY_CACHE_BYTES, MemoryCache, RedisCache},
    events::LocalBus,
    jwt::{JwtSettings, JwtVerifier},
    markdown::Markdown,
    rate_limit::{LocalLimiter, RedisLimiter},
    redis::Redis,
    redis_bus::RedisBus,
};
use tokio::net::TcpListener;

use crate::{
    config::{ConfigError, Settings},
    graphql::rate::Budget,
    graphql::{
        AppSchema, QueryLimits, RequestContext, SchemaOptions, build_schema,
        multiplex::Multiplexer, persisted::PersistedQueries,
    },
    http,
};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Bad settings.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A backing service failed.
    #[error(transparent)]
    Infra(#[from] InfraError),
    /// The listener failed.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    /// The schema is behind the code.
    #[error("the database has {0} pending migration(s): run `copnet migrate` first")]
    PendingMigrations(usize),
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// The query limits (the GET handler checks a document's size before parsing it).
    pub limits: QueryLimits,
    /// The domain services.
    pub services: Services,
    /// The repositories, for each request's loaders (resolvers reach them through the
    /// loaders only).
    pub repos: Repos,
    /// Verifies bearer tokens.
    pub verifier: Arc<dyn TokenVerifier>,
    /// Issues and checks service-account API keys.
    pub api_keys: Arc<dyn ApiKeys>,
    /// Subscriptions to events on this replica.
    pub event_source: Arc<dyn EventSource>,
    /// Publishes events (to every replica when Redis is configured).
    pub events: Arc<dyn EventBus>,
    /// Interval of WebSocket pings.
    pub keepalive_secs: u64,
    /// Subjects of platform admins.
    pub platform_admins: Arc<HashSet<String>>,
    /// The database.
    pub database: Database,
    /// Redis, when configured.
    pub redis: Option<Redis>,
    /// The subscription groups of this replica (subscribers of the same operation by the
    /// same caller share one execution).
    pub multiplexer: Multiplexer,
    /// Persisted queries.
    pub persisted: Arc<PersistedQueries>,
    /// Rate limits.
    pub rate: RateSettings,
    /// The people whose claimed organizations were synced on this replica (and with which
    /// claim), so that a sign-in syncs once rather than on every request.
    pub synced_claims: Arc<SyncedClaims>,
}

/// A person and the organizations their token claimed, once synced.
pub type SyncedClaims = std::sync::Mutex<lru::LruCache<(PersonId, Vec<String>), ()>>;

/// How many synced claims a replica remembers.
const SYNCED_CLAIMS: usize = 10_000;

/// The rate limits: the buckets and each kind of caller's budget (`0`: unlimited).
#[derive(Clone)]
pub struct RateSettings {
    /// The buckets (in Redis when configured).
    pub limiter: Arc<dyn RateLimiter>,
    /// Points per minute of a person.
    pub person: u32,
    /// Points per minute of a service account.
    pub service_account: u32,
    /// Points per minute of an anonymous client address.
    pub anonymous: u32,
    /// The header naming the client's address, if the operator set one.
    pub client_ip_header: Option<axum::http::HeaderName>,
}

impl RateSettings {
    /// The bucket a caller draws on, if its kind is limited.
    pub fn budget(&self, actor: Actor, client: Option<IpAddr>) -> Option<Budget> {
        let (key, limit) = match actor {
            Actor::Person { id, .. } => (format!("person:{id}"), self.person),
            Actor::ServiceAccount { id } => (format!("service-account:{id}"), self.service_account),
            Actor::Anonymous => (
                format!(
                    "anonymous:{}",
                    client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
                ),
                self.anonymous,
            ),
        };
        (limit > 0).then(|| Budget {
            limiter: Arc::clone(&self.limiter),
            key,
            limit,
        })
    }
}

impl AppState {
    /// The context of one request (or one WebSocket operation) by `actor`.
    pub fn request_context(
        &self,
        actor: Actor,
        request_id: Arc<str>,
        client: Option<IpAddr>,
    ) -> RequestContext {
        RequestContext::new(
            actor,
            request_id,
            self.rate.budget(actor, client),
            self.services.clone(),
            self.repos.clone(),
        )
    }
}

/// A built application.
pub struct App {
    /// The HTTP routes.
    pub router: Router,
    /// Its state.
    pub state: AppState,
}

/// Connects to the database (and checks its schema is current), prepares the verifier and the
/// schema.
pub async fn build(settings: &Settings, demo: bool) -> Result<App, StartError> {
    verifier(settings, demo)?;
    let database = Database::connect(&DatabaseOptions {
        url: settings.database_url.clone(),
        max_connections: settings.database_max_connections,
        acquire_timeout: Duration::from_millis(settings.database_acquire_timeout_ms.max(100)),
    })
    .await?;
    build_with(settings, demo, database).await
}

/// The token verifier; fails on a missing or weak secret or an unreadable key, before any
/// service is contacted.
fn verifier(settings: &Settings, demo: bool) -> Result<JwtVerifier, StartError> {
    Ok(JwtVerifier::new(&JwtSettings {
        secret: settings.hs256_secret(demo)?,
        public_key_pem: settings.jwt_public_key_pem()?,
        algorithms: settings.jwt_algorithm_list(),
        issuer: settings.jwt_issuer.clone(),
        audience: settings.jwt_audience.clone(),
        jwks: settings.jwks_url().map(|url| {
            (
                url.to_owned(),
                Duration::from_secs(settings.jwt_jwks_min_refresh_secs.max(1)),
            )
        }),
        organization_claim: Some(settings.jwt_organization_claim.clone()),
        name_claim: settings.jwt_name_claim.clone(),
        email_claim: settings.jwt_email_claim.clone(),
    })?)
}

/// Like [`build`], over an open database.
pub async fn build_with(
    settings: &Settings,
    demo: bool,
    database: Database,
) -> Result<App, StartError> {
    if demo {
        database.migrate().await?;
    }
    let pending = database.pending_migrations().await?;
    if pending > 0 {
        return Err(StartError::PendingMigrations(pending));
    }
    let verifier = verifier(settings, demo)?;
    verifier.prime().await;
    let persisted_mode = settings.persisted_query_mode()?;
    let redis = settings.redis_url.as_deref().map(Redis::open).transpose()?;
    let api_keys: Arc<dyn ApiKeys> = Arc::new(ApiKeyScheme);
    let (events, event_source): (Arc<dyn EventBus>, Arc<dyn EventSource>) =
        match &settings.redis_url {
            Some(url) => {
                let bus = RedisBus::start(url, &settings.redis_channel_prefix)?;
                (Arc::new(bus.clone()), Arc::new(bus))
            }
            None => {
                let bus = LocalBus::default();
                (Arc::new(bus.clone()), Arc::new(bus))
            }
        };
    let limits = QueryLimits {
        max_document_bytes: settings.max_document_bytes,
        max_tokens: settings.max_query_tokens,
        max_fragments: settings.max_fragments,
        max_directives: settings.max_directives_per_field,
        max_fields: settings.max_query_fields,
        max_depth: settings.max_query_depth,
        max_aliases: settings.max_aliases,
        max_complexity: settings.max_query_complexity,
        introspection: settings.introspection,
    };
    let schema = build_schema(
        SchemaOptions {
            limits,
            introspection: settings.introspection,
        },
        Arc::clone(&api_keys),
        Arc::clone(&event_source),
    );
    let mut repos = Store::new(&database).repos();
    repos.cache = cache(settings).await?;
    let repos_for_persisted = Arc::clone(&repos.persisted);
    let state = AppState {
        schema,
        limits,
        services: Services::new(
            repos.clone(),
            Arc::new(Markdown::default()),
            Arc::clone(&events),
        ),
        repos,
        verifier: Arc::new(verifier),
        api_keys,
        event_source,
        events,
        keepalive_secs: settings.ws_keepalive_secs,
        platform_admins: Arc::new(settings.platform_admin_subjects().into_iter().collect()),
        database,
        redis,
        multiplexer: Multiplexer::default(),
        persisted: Arc::new(PersistedQueries::new(
            persisted_mode,
            Arc::clone(&repos_for_persisted),
            settings.apq_max_documents,
        )),
        rate: rate_settings(settings).await?,
        synced_claims: Arc::new(std::sync::Mutex::new(lru::LruCache::new(
            std::num::NonZeroUsize::new(SYNCED_CLAIMS).unwrap_or(std::num::NonZeroUsize::MIN),
        ))),
    };
    let router = http::router(state.clone(), settings);
    Ok(App { router, state })
}

/// The rate limits the settings ask for.
async fn rate_settings(settings: &Settings) -> Result<RateSettings, StartError> {
    let limiter: Arc<dyn RateLimiter> = match &settings.redis_url {
        Some(url) => {
            let limiter = RedisLimiter::open(url, &settings.redis_channel_prefix)?;
            limiter.connect(Duration::from_secs(1)).await;
            Arc::new(limiter)
        }
        None => Arc::new(LocalLimiter::default()),
    };
    let header = settings.rate_limit_client_ip_header.trim();
    let client_ip_header = if header.is_empty() {
        None
    } else {
        Some(
            axum::http::HeaderName::try_from(header.to_ascii_lowercase()).map_err(|_| {
                ConfigError::Invalid(format!(
                    "COPNET_RATE_LIMIT_CLIENT_IP_HEADER is not a header name: {header:?}"
                ))
            })?,
        )
    };
    Ok(RateSettings {
        limiter,
        person: settings.rate_limit_person,
        service_account: settings.rate_limit_service_account,
        anonymous: settings.rate_limit_anonymous,
        client_ip_header,
    })
}

/// The shared cache the settings ask for.
async fn cache(settings: &Settings) -> Result<Arc<dyn Cache>, StartError> {
    let ttl = Duration::from_secs(settings.cache_ttl_secs.max(1));
    Ok(match (&settings.redis_url, settings.cache) {
        (_, false) => Arc::new(NoCache::default()),
        (Some(url), true) => {
            let cache = RedisCache::open(url, &settings.redis_channel_prefix, ttl)?;
            cache.connect(Duration::from_secs(1)).await;
            // What this process wrote before serving (a seeded demo, migrations) and what
            // another process wrote while no replica ran are not in any event.
            cache.invalidate(&[CacheScope::Anonymous]).await;
            Arc::new(cache)
        }
        (None, true) => Arc::new(MemoryCache::new(ttl, MEMORY_CACHE_BYTES)),
    })
}

/// Serves until Ctrl-C or SIGTERM, then drains in-flight requests.
pub async fn serve(app: App, listener: TcpListener) -> Result<(), StartError> {
    // Live updates are small and latency-bound: no Nagle delay.
    let listener = listener.tap_io(|stream| {
        if let Err(err) = stream.set_nodelay(true) {
            tracing::debug!(error = %err, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
    tokio::time::sleep(Duration::from_millis(50)).await;
}
