//! The integration-test harness: a real copnet server on a random port, over a fresh database
//! per test, cloned from a template migrated once per test process (the crates_io approach).
//!
//! * SQLite (default): the template is a migrated file under `target/test-dbs/`; each test
//!   copies it and removes its copy when done.
//! * PostgreSQL: set `COPNET_TEST_DATABASE_URL=postgres://user@host:port/db`. The template is
//!   `CREATE DATABASE ... TEMPLATE`d into one database per test, dropped when the test ends;
//!   templates of finished runs are dropped at the next start. If the variable is set and the
//!   server cannot be reached, every test fails: a run never silently falls back to SQLite.
//!
//! Logs are silent unless `TEST_LOG` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod database;
pub mod documents;
pub mod fixtures;
mod gql;
pub mod process;
pub mod ws;

use std::{future::Future, time::Duration};

use copnet_api::{app, config::Settings};
use copnet_infra::{Database, DatabaseOptions, jwt::JwtSigner};
pub use database::TestDatabase;
pub use gql::Gql;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::{net::TcpListener, task::JoinHandle};

/// The HS256 secret of test servers.
pub const TEST_SECRET: &str = "copnet-test-secret-0123456789-abcdefghijklmnop";
/// The subject that test servers treat as platform admin.
pub const PLATFORM_ADMIN: &str = "platform-admin";

/// A running server and its database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    client: reqwest::Client,
    database: Database,
    server: JoinHandle<()>,
    signer: JwtSigner,
    events: std::sync::Arc<dyn copnet_domain::event::EventBus>,
    event_source: std::sync::Arc<dyn copnet_domain::event::EventSource>,
    multiplexer: copnet_api::graphql::multiplex::Multiplexer,
    services: copnet_domain::service::Services,
    settings: Settings,
    _db: Option<TestDatabase>,
}

impl TestApp {
    /// A server with the test settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server whose settings `adjust` may change.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        init_logs();
        let db = TestDatabase::create().await;
        let mut settings = Settings {
            database_url: db.url().to_owned(),
            database_max_connections: 5,
            jwt_secret: Some(SecretString::from(TEST_SECRET)),
            platform_admins: PLATFORM_ADMIN.into(),
            // With a Redis to test against, every test server fans out through it, on
            // channels of its own.
            redis_url: redis_url(),
            redis_channel_prefix: format!("copnet-test-{}", uuid::Uuid::now_v7().simple()),
            // The suite sends thousands of requests a minute as a few people: rate limits
            // are off unless a test switches them on (tests/api/rate_limits.rs).
            rate_limit_person: 0,
            rate_limit_service_account: 0,
            rate_limit_anonymous: 0,
            ..Settings::default()
        };
        adjust(&mut settings);
        Self::start(settings, Some(db)).await
    }

    /// A second server on this one's database, Redis and channels: another replica.
    pub async fn replica(&self) -> Self {
        Self::start(self.settings.clone(), None).await
    }

    async fn start(settings: Settings, db: Option<TestDatabase>) -> Self {
        let database = Database::connect(&DatabaseOptions {
            url: settings.database_url.clone(),
            max_connections: settings.database_max_connections,
            acquire_timeout: Duration::from_millis(settings.database_acquire_timeout_ms),
        })
        .await
        .expect("connect to the test database");
        let built = app::build_with(&settings, false, database.clone())
            .await
            .expect("build the app");
        let events = std::sync::Arc::clone(&built.state.events);
        let event_source = std::sync::Arc::clone(&built.state.event_source);
        let multiplexer = built.state.multiplexer.clone();
        let services = built.state.services.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                built
                    .router
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .ok();
        });
        Self {
            base: format!("http://{address}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            database,
            server,
            signer: JwtSigner::new(TEST_SECRET.as_bytes(), "copnet", "copnet"),
            events,
            event_source,
            multiplexer,
            services,
            settings,
            _db: db,
        }
    }

    /// Seeds the demo (as `copnet demo` does) into this server's empty database.
    pub async fn seed_demo(&self) {
        assert!(
            copnet_api::demo::seed(&self.services)
                .await
                .expect("seed the demo"),
            "the database was not empty"
        );
    }

    /// Seeds the benchmark network (as `copnet seed-bench --scale 1 --communities N` does)
    /// into this server's empty database.
    pub async fn seed_bench(&self, communities: usize) -> copnet_infra::bench_seed::SeedReport {
        copnet_infra::bench_seed::seed_bench(&self.database, 1, Some(communities))
            .await
            .expect("seed the benchmark network")
    }

    /// A valid token for `subject` (display name = subject).
    pub fn token(&self, subject: &str) -> String {
        self.signer
            .sign(
                subject,
                subject,
                Some(&format!("{subject}@example.org")),
                Duration::from_secs(3600),
            )
            .expect("sign")
    }

    /// A valid token for `subject` that expires after `ttl`.
    pub fn token_for(&self, subject: &str, ttl: Duration) -> String {
        self.signer
            .sign(
                subject,
                subject,
                Some(&format!("{subject}@example.org")),
                ttl,
            )
            .expect("sign")
    }

    /// Runs a GraphQL operation as the holder of `token` (anonymous when `None`).
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .header("content-type", "application/json")
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        Gql::from_response(request.send().await.expect("send")).await
    }

    /// Sends a raw request to `/graphql` with the given headers and body.
    pub async fn post_raw(&self, headers: &[(&str, &str)], body: String) -> Gql {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Gql::from_response(request.send().await.expect("send")).await
    }

    /// `GET` a path; returns status and body text.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Sends any request; returns status, headers and body text.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Raw {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.expect("send");
        Raw {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        }
    }

    /// How many SQL statements the server ran so far.
    pub fn statements(&self) -> u64 {
        self.database.statement_count()
    }

    /// Counts the statements `run` causes.
    pub async fn count_statements<F: Future>(&self, run: F) -> (u64, F::Output) {
        let before = self.statements();
        let output = run.await;
        (self.statements() - before, output)
    }

    /// Publishes an event straight into the server's bus (bypassing any write).
    pub async fn publish(&self, event: copnet_domain::event::Event) {
        self.events.publish(event).await;
    }

    /// Waits until the topic has exactly `n` subscribers on the server: a subscription
    /// started over a WebSocket is live once counted, and an ended one is gone once no longer
    /// counted (the protocol acknowledges neither). Fails after 5 seconds.
    pub async fn subscribed(&self, topic: copnet_domain::event::Topic, n: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while self.event_source.subscribers(topic) != n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{topic:?} has {} subscribers, expected {n}",
                self.event_source.subscribers(topic)
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Waits until exactly `n` WebSocket subscribers are in subscription groups on the
    /// server (one joining a group adds no subscriber to a topic). Fails after 5 seconds.
    pub async fn grouped(&self, n: usize) {
        self.until("subscribers in groups", n, || self.multiplexer.members())
            .await;
    }

    /// Waits until exactly `n` subscription groups take new members. Fails after 5 seconds.
    pub async fn open_groups(&self, n: usize) {
        self.until("open groups", n, || self.multiplexer.open_groups())
            .await;
    }

    /// How many subscription groups take new members now.
    pub fn open_group_count(&self) -> usize {
        self.multiplexer.open_groups()
    }

    async fn until(&self, what: &str, n: usize, count: impl Fn() -> usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while count() != n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} {what}, expected {n}",
                count()
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// The server's database handle.
    pub fn database(&self) -> &Database {
        &self.database
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The UUID inside a global ID (`base64url("Type:uuid")`).
pub fn uuid_of(global_id: &str) -> uuid::Uuid {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(global_id).expect("base64")).expect("utf-8");
    let (_, raw) = text.split_once(':').expect("Type:uuid");
    uuid::Uuid::parse_str(raw).expect("uuid")
}

/// A response as received.
#[derive(Debug)]
pub struct Raw {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body text.
    pub body: String,
}

impl Raw {
    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The body as JSON (null when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// The Redis of this run (`COPNET_TEST_REDIS_URL`), if any.
pub fn redis_url() -> Option<String> {
    std::env::var("COPNET_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

fn init_logs() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = copnet_infra::telemetry::init("copnet-test", false);
        }
    });
}
