//! Faults of the database: while PostgreSQL is out of reach, requests fail fast with
//! `UNAVAILABLE` (HTTP 503), and the pool recovers by itself once it is back.
//!
//! Needs PostgreSQL (the server runs behind a TCP relay this test cuts and restores), so it
//! is `#[ignore]`d in the embedded run and run by name in `.ci/run`'s PostgreSQL step:
//! `cargo test -p copnet-tests --test api faults -- --ignored`.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use copnet_tests::TestApp;
use serde_json::json;
use tokio::{net::TcpListener, task::JoinHandle};

/// A TCP relay to PostgreSQL that can be cut (listener closed, connections dropped) and
/// restored on the same port.
struct Relay {
    address: SocketAddr,
    upstream: String,
    task: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(upstream: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut relay = Relay {
            address,
            upstream: upstream.to_owned(),
            task: None,
        };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        self.task = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                links.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Closes the listener and every relayed connection (dropping the join set aborts them).
    fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    async fn restore(&mut self) {
        let listener = TcpListener::bind(self.address).await.unwrap();
        self.serve(listener);
    }
}

/// `host:port` of a `postgres://user@host:port/db` URL.
fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_owned()
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run with --ignored in .ci/run's PostgreSQL step"]
async fn while_the_database_is_unreachable_requests_fail_fast_with_503_and_the_pool_recovers() {
    let target = std::env::var("COPNET_TEST_DATABASE_URL")
        .expect("this test needs COPNET_TEST_DATABASE_URL (PostgreSQL)");
    let mut relay = Relay::start(&authority(&target)).await;
    let via = relay.address.to_string();
    let app = TestApp::spawn_with(|s| {
        let direct = authority(&s.database_url);
        s.database_url = s.database_url.replacen(&direct, &via, 1);
        s.database_acquire_timeout_ms = 1_000;
    })
    .await;
    let alice = app.person("alice").await;
    let query = "{ viewer { id } networks { totalCount } }";
    app.gql(Some(&alice.token), query, json!({})).await.ok();

    relay.cut();
    let started = Instant::now();
    let down = app.gql(Some(&alice.token), query, json!({})).await;
    let took = started.elapsed();
    assert_eq!(down.status, 503, "{}", down.body);
    assert_eq!(down.codes(), ["UNAVAILABLE"]);
    assert!(took < Duration::from_millis(2_500), "failed in {took:?}");
    // Anonymous readers and writes alike.
    let anonymous = app.gql(None, query, json!({})).await;
    assert_eq!(anonymous.status, 503, "{}", anonymous.body);

    relay.restore().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let again = app.gql(Some(&alice.token), query, json!({})).await;
        if again.status == 200 {
            again.ok();
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pool did not recover: {}",
            again.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
