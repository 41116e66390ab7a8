//! Fan-out benchmark: N WebSocket subscribers on one thread, a steady rate of posts, and what
//! reaches them.
//!
//! Method: starts `copnet serve` processes (the release binary) on one database and, for two
//! replicas, one Redis; creates a public thread through replica 1; opens N anonymous
//! graphql-transport-ws connections spread evenly over the replicas (256 connecting at a
//! time), each subscribed to `postAdded` on that thread (`--per-connection K`: K
//! subscriptions per connection, for more subscribers than a process may open sockets; the
//! subscribers then number N and the connections N / K); then posts through replica 1 at a
//! steady rate for the given duration and waits a grace period. Each subscriber records, per
//! delivery, `now - post.createdAt` (server and client share the clock; `createdAt` is taken
//! just before the write's transaction, so this is commit-to-client latency plus the commit
//! itself), and which post ids it saw (to count lost and duplicated events). Server memory is
//! the sum of the replicas' VmRSS before the subscribers connect and after they have
//! subscribed. The clients run on the same machine as the servers and compete for its cores.
//!
//! Run (see BENCHMARKS.md):
//!   cargo build --release --bin copnet
//!   cargo bench -p copnet-tests --bench fanout -- --subscribers 10000 --rate 2 --duration 30 \
//!       --replicas 2 --database postgres://postgres@127.0.0.1:5432/fanout \
//!       --redis redis://127.0.0.1:6379
//! A smoke run on the debug build (CI runs one, so that the benchmark keeps working):
//!   cargo test -p copnet-tests --bench fanout -- --subscribers 50 --rate 2 --duration 2 \
//!       --server target/debug/copnet --require-lossless

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::{
    collections::HashSet,
    path::PathBuf,
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use clap::Parser;
use copnet_tests::{
    process::{Server, graphql, sign},
    ws::WsClient,
};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "fanout-bench-secret-0123456789-abcdefghijkl";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Fan-out benchmark of copnet subscriptions.
#[derive(Debug, Parser)]
struct Args {
    /// Subscribers (subscriptions).
    #[arg(long, default_value_t = 1000)]
    subscribers: usize,
    /// Subscriptions per WebSocket connection (each under its own operation id); more than
    /// one lets a run hold more subscribers than a process may open sockets.
    #[arg(long, default_value_t = 1)]
    per_connection: usize,
    /// Posts per second.
    #[arg(long, default_value_t = 2.0)]
    rate: f64,
    /// Seconds of posting.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Server replicas (2 needs --redis).
    #[arg(long, default_value_t = 1)]
    replicas: usize,
    /// Database URL (default: a fresh SQLite file in a temporary directory). A PostgreSQL
    /// database is created when missing and emptied of copnet's tables first.
    #[arg(long)]
    database: Option<String>,
    /// Redis URL (cross-replica fan-out).
    #[arg(long)]
    redis: Option<String>,
    /// The copnet server binary (default `target/release/copnet`; relative to the workspace
    /// root).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Exit with a failure when any event was lost, duplicated or failed (smoke runs).
    #[arg(long)]
    require_lossless: bool,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// The server binary; a relative `--server` is taken from the workspace root (cargo runs
/// benchmarks in the package's directory).
fn server_binary(args: &Args) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    root.join(
        args.server
            .clone()
            .unwrap_or_else(|| PathBuf::from("target/release/copnet")),
    )
}

fn copnet(args: &Args, database: &str) -> Command {
    let mut command = Command::new(server_binary(args));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database)
        .env("COPNET_JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn,copnet_api::cli=info")
        .env("COPNET_DATABASE_MAX_CONNECTIONS", "20")
        // Throughput is measured, not the rate limits.
        .env("COPNET_RATE_LIMIT_PERSON", "0")
        .env("COPNET_RATE_LIMIT_ANONYMOUS", "0");
    if let Some(redis) = &args.redis {
        command.env("REDIS_URL", redis);
    }
    command
}

fn start_replica(args: &Args, database: &str) -> Server {
    let mut command = copnet(args, database);
    command.stderr(Stdio::inherit());
    Server::start(command)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn token(subject: &str) -> String {
    sign(SECRET, subject, 86_400)
}

async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    graphql(client, base, token, query, variables).await
}

/// Creates a public thread; returns its id.
async fn setup(client: &reqwest::Client, base: &str, token: &str) -> String {
    let org = gql(client, base, token, "mutation { createOrganization(input: {slug: \"bench\", name: \"Bench\"}) { organization { id } } }", json!({})).await;
    let net = gql(client, base, token, "mutation($o: ID!) { createNetwork(input: {hostOrganizationId: $o, slug: \"bench\", name: \"Bench\", visibility: PUBLIC}) { network { id } } }", json!({"o": org["createOrganization"]["organization"]["id"]})).await;
    let community = gql(client, base, token, "mutation($n: ID!) { createCommunity(input: {networkId: $n, slug: \"bench\", name: \"Bench\", visibility: PUBLIC, joinPolicy: OPEN}) { community { id } } }", json!({"n": net["createNetwork"]["network"]["id"]})).await;
    let space = gql(client, base, token, "mutation($c: ID!) { createSpace(input: {communityId: $c, slug: \"bench\", name: \"Bench\", visibility: PUBLIC}) { space { id } } }", json!({"c": community["createCommunity"]["community"]["id"]})).await;
    let thread = gql(client, base, token, "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"Bench\", body: \"start\"}) { thread { id } } }", json!({"s": space["createSpace"]["space"]["id"]})).await;
    thread["startThread"]["thread"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[derive(Debug, Default)]
struct Seen {
    latencies_us: Vec<u64>,
    unique: usize,
    duplicates: usize,
    errors: usize,
}

/// One connection of `subscriptions` subscribers. It reads like a remote client would cost
/// this machine nothing: only the operation id, the post's id and `createdAt` are taken out
/// of each message, without building a JSON tree.
async fn subscriber(
    base: String,
    thread: String,
    subscriptions: usize,
    mut stop: watch::Receiver<bool>,
    ready: Arc<Semaphore>,
) -> Seen {
    let mut client = WsClient::subscriber(&base, None).await;
    for n in 0..subscriptions {
        client
            .subscribe(
                &format!("s{n}"),
                "subscription($t: ID!) { postAdded(threadId: $t) { id createdAt } }",
                json!({"t": thread}),
            )
            .await;
    }
    ready.add_permits(1);
    let mut socket = client.into_socket();
    let mut seen = Seen::default();
    let mut ids = HashSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => return seen,
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let now = chrono::Utc::now();
                    let (Some(operation), Some(id), Some(created)) = (field(&text, "\"id\":\""), field(&text, "\"postAdded\":{\"id\":\""), field(&text, "\"createdAt\":\"")) else {
                        if !text.contains("\"ka\"") && !text.contains("\"ping\"") {
                            seen.errors += 1;
                        }
                        continue;
                    };
                    if !ids.insert((operation.to_owned(), id.to_owned())) {
                        seen.duplicates += 1;
                        continue;
                    }
                    seen.unique += 1;
                    if let Ok(created) = chrono::DateTime::parse_from_rfc3339(created) {
                        let micros = (now - created.with_timezone(&chrono::Utc)).num_microseconds().unwrap_or(0);
                        seen.latencies_us.push(u64::try_from(micros).unwrap_or(0));
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return seen,
            }
        }
    }
}

/// The string value following `key` in `text`.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = text.find(key)? + key.len();
    let end = text[start..].find('"')?;
    Some(&text[start..start + end])
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    assert!(
        args.replicas == 1 || args.redis.is_some(),
        "two replicas need --redis"
    );
    let scratch = tempfile::tempdir().unwrap();
    let database = args.database.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            scratch.path().join("fanout.db").display()
        )
    });
    if database.starts_with("postgres") {
        // A clean schema for every run.
        copnet(&args, &database)
            .args(["migrate", "--down"])
            .status()
            .ok();
    }
    let migrated = copnet(&args, &database).arg("migrate").status().unwrap();
    assert!(migrated.success(), "migration failed");
    let replicas: Vec<Server> = (0..args.replicas)
        .map(|_| start_replica(&args, &database))
        .collect();
    let http = reqwest::Client::new();
    let writer = token("bench-writer");
    let thread = setup(&http, &replicas[0].base, &writer).await;
    let pids: Vec<u32> = replicas.iter().map(Server::pid).collect();
    let rss_before: u64 = pids.iter().map(|p| rss_kib(*p)).sum();

    let (stop_tx, stop_rx) = watch::channel(false);
    let ready = Arc::new(Semaphore::new(0));
    let connecting = Arc::new(Semaphore::new(256));
    let started = Instant::now();
    let per_connection = args.per_connection.max(1);
    let connections = args.subscribers.div_ceil(per_connection);
    let mut tasks = Vec::with_capacity(connections);
    for i in 0..connections {
        let subscriptions = per_connection.min(args.subscribers - i * per_connection);
        let base = replicas[i % replicas.len()].base.clone();
        let (thread, stop, ready, connecting) = (
            thread.clone(),
            stop_rx.clone(),
            Arc::clone(&ready),
            Arc::clone(&connecting),
        );
        tasks.push(tokio::spawn(async move {
            let permit = connecting.acquire_owned().await.unwrap();
            let subscribed = Arc::new(Semaphore::new(0));
            let watcher = Arc::clone(&subscribed);
            let run = tokio::spawn(subscriber(base, thread, subscriptions, stop, watcher));
            let _ = subscribed.acquire().await;
            drop(permit);
            ready.add_permits(1);
            run.await.unwrap()
        }));
    }
    let _all = ready
        .acquire_many(u32::try_from(connections).unwrap())
        .await
        .unwrap();
    let connect_time = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after: u64 = pids.iter().map(|p| rss_kib(*p)).sum();

    let interval = Duration::from_secs_f64(1.0 / args.rate);
    let posts = (args.rate * args.duration as f64).round() as usize;
    let mut ticker = tokio::time::interval(interval);
    let mut write_ms = Vec::with_capacity(posts);
    let posting = Instant::now();
    for n in 0..posts {
        ticker.tick().await;
        let sent = Instant::now();
        gql(&http, &replicas[0].base, &writer, "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { id } } }", json!({"t": thread, "b": format!("post {n}")})).await;
        write_ms.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    let posting_time = posting.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_peak: u64 = pids.iter().map(|p| rss_kib(*p)).sum();
    stop_tx.send(true).ok();

    let mut latencies = Vec::new();
    let (mut unique, mut duplicates, mut errors) = (0usize, 0usize, 0usize);
    for task in tasks {
        let seen = task.await.unwrap();
        unique += seen.unique;
        duplicates += seen.duplicates;
        errors += seen.errors;
        latencies.extend(seen.latencies_us);
    }
    latencies.sort_unstable();
    let expected = posts * args.subscribers;
    let per_socket = (rss_after.saturating_sub(rss_before)) as f64 / connections as f64;
    let per_subscriber = (rss_after.saturating_sub(rss_before)) as f64 / args.subscribers as f64;
    write_ms.sort_by(f64::total_cmp);
    let report = json!({
        "subscribers": args.subscribers,
        "connections": connections,
        "replicas": args.replicas,
        "posts": posts,
        "posting_seconds": (posting_time.as_secs_f64() * 100.0).round() / 100.0,
        "expected_deliveries": expected,
        "delivered": unique,
        "lost": expected.saturating_sub(unique),
        "duplicated": duplicates,
        "errors": errors,
        "deliveries_per_second": (unique as f64 / posting_time.as_secs_f64()).round(),
        "latency_ms": {
            "p50": percentile(&latencies, 50.0),
            "p99": percentile(&latencies, 99.0),
            "max": percentile(&latencies, 100.0),
        },
        "write_ms_p50": write_ms.get(write_ms.len() / 2).copied().unwrap_or(0.0),
        "connect_seconds": (connect_time.as_secs_f64() * 100.0).round() / 100.0,
        "server_rss_mib": {
            "before": rss_before / 1024,
            "subscribed": rss_after / 1024,
            "end": rss_peak / 1024,
        },
        "server_kib_per_connection": (per_socket * 10.0).round() / 10.0,
        "server_kib_per_subscriber": (per_subscriber * 10.0).round() / 10.0,
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    if args.require_lossless && (unique < expected || duplicates > 0 || errors > 0) {
        eprintln!("fanout: events were lost, duplicated or failed");
        std::process::exit(1);
    }
}
