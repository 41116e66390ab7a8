//! Limits benchmark: how fast copnet refuses a document whose fragments double at every
//! level (`fragment F0 { ...F1 ...F1 } ... fragment F32 { networks(first: 1) { totalCount } }`,
//! 2^32 fields once expanded, 1.5 KB), and whether a trivial query still answers during a
//! flood of them.
//!
//! Method: starts one `copnet serve` (the release binary, embedded default on a temporary
//! SQLite file), then over HTTP/1.1 keep-alive from this process:
//! 1. sequentially, `--requests` refusals of the doubling document and the same number of a
//!    trivial query (`{ __typename }`, the baseline of the same run), each latency measured
//!    from sending to the full body;
//! 2. a flood: `--flood` concurrent clients send the doubling document back to back for
//!    `--seconds`, while one more client sends the trivial query sequentially; its latencies
//!    are compared with the unloaded ones of step 1.
//!
//! Every refusal must be `LIMIT_EXCEEDED` naming the fields limit, and every trivial answer
//! data; otherwise the run fails.
//!
//! Run (see BENCHMARKS.md):
//!   cargo build --release --bin copnet
//!   cargo bench -p copnet-tests --bench limits -- --requests 2000 --flood 8 --seconds 10
//! A smoke run on the debug build (CI runs one):
//!   cargo test -p copnet-tests --bench limits -- --requests 20 --flood 2 --seconds 1 \
//!       --server target/debug/copnet

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use clap::Parser;
use copnet_tests::{documents::doubling, process::Server};
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Refusal time of exponential documents, and a trivial query's latency under their flood.
#[derive(Debug, Parser)]
struct Args {
    /// Sequential requests of each kind.
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Concurrent clients sending doubling documents during the flood.
    #[arg(long, default_value_t = 8)]
    flood: usize,
    /// Seconds of flood.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Doubling levels (2^levels copies once expanded).
    #[arg(long, default_value_t = 32)]
    levels: usize,
    /// The copnet server binary (default `target/release/copnet`; relative to the workspace
    /// root).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// Sends one request; returns its latency in microseconds and its body.
async fn send(client: &reqwest::Client, url: &str, body: &str) -> (u64, Value) {
    let started = Instant::now();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("send");
    let body: Value = response.json().await.expect("json");
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    (micros, body)
}

fn refused(body: &Value) -> bool {
    body.pointer("/errors/0/extensions/code") == Some(&json!("LIMIT_EXCEEDED"))
        && body.pointer("/errors/0/extensions/limit") == Some(&json!("fields"))
}

fn answered(body: &Value) -> bool {
    body.pointer("/data/__typename") == Some(&json!("Query"))
}

fn summary(mut micros: Vec<u64>) -> Value {
    micros.sort_unstable();
    let at = |p: f64| {
        if micros.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (micros.len() - 1) as f64).round() as usize;
        micros[rank.min(micros.len() - 1)] as f64 / 1000.0
    };
    json!({"count": micros.len(), "p50_ms": at(50.0), "p99_ms": at(99.0), "max_ms": at(100.0)})
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let binary = root.join(
        args.server
            .clone()
            .unwrap_or_else(|| PathBuf::from("target/release/copnet")),
    );
    let scratch = tempfile::tempdir().unwrap();
    let database = format!(
        "sqlite://{}?mode=rwc",
        scratch.path().join("limits.db").display()
    );
    let mut command = Command::new(&binary);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "warn,copnet_api::cli=info")
        // The query limits are measured, not the rate limits.
        .env("COPNET_RATE_LIMIT_PERSON", "0")
        .env("COPNET_RATE_LIMIT_ANONYMOUS", "0")
        .stderr(Stdio::inherit());
    let migrated = Command::new(&binary)
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "warn")
        .arg("migrate")
        .status()
        .unwrap();
    assert!(migrated.success(), "migration failed");
    command.env(
        "COPNET_JWT_SECRET",
        "limits-bench-secret-0123456789-abcdefghij",
    );
    let server = Server::start(command);
    let url = format!("{}/graphql", server.base);
    let client = reqwest::Client::new();
    let document = json!({"query": doubling(args.levels)}).to_string();
    let trivial = json!({"query": "{ __typename }"}).to_string();
    println!("document: {} bytes", document.len());

    // Warm-up, then the sequential runs.
    for _ in 0..20 {
        send(&client, &url, &document).await;
        send(&client, &url, &trivial).await;
    }
    let (mut refusals, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..args.requests {
        let (micros, body) = send(&client, &url, &document).await;
        assert!(refused(&body), "not refused: {body}");
        refusals.push(micros);
        let (micros, body) = send(&client, &url, &trivial).await;
        assert!(answered(&body), "not answered: {body}");
        baseline.push(micros);
    }

    // The flood.
    let stop = Arc::new(AtomicBool::new(false));
    let flooded = Arc::new(AtomicU64::new(0));
    let mut senders = Vec::new();
    for _ in 0..args.flood {
        let (client, url, document, stop, flooded) = (
            reqwest::Client::new(),
            url.clone(),
            document.clone(),
            Arc::clone(&stop),
            Arc::clone(&flooded),
        );
        senders.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let (_, body) = send(&client, &url, &document).await;
                assert!(refused(&body), "not refused under load: {body}");
                flooded.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let flood_started = Instant::now();
    let mut under_flood = Vec::new();
    while flood_started.elapsed() < Duration::from_secs(args.seconds) {
        let (micros, body) = send(&client, &url, &trivial).await;
        assert!(answered(&body), "not answered under load: {body}");
        under_flood.push(micros);
    }
    stop.store(true, Ordering::Relaxed);
    for sender in senders {
        sender.await.unwrap();
    }
    let flood_seconds = flood_started.elapsed().as_secs_f64();
    let report = json!({
        "levels": args.levels,
        "refusal": summary(refusals),
        "trivial_query_unloaded": summary(baseline),
        "trivial_query_during_flood": summary(under_flood),
        "flood": {
            "clients": args.flood,
            "refused_per_second": (flooded.load(Ordering::Relaxed) as f64 / flood_seconds).round(),
        },
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
