//! `copnet-load`: drives one GraphQL workload against one server with goose, and prints one
//! JSON line of results.
//!
//! Method: `--users` virtual users, each with its own token (HS256, subject `bench-<i>`,
//! for workloads that sign in), send the workload's document back to back (fixed
//! concurrency) or, with `--rate`, at that many requests per second in all (fixed rate, with
//! goose's coordinated-omission mitigation, so a stall counts against the latency it caused).
//! After `--warmup` seconds the metrics are reset and the run lasts `--seconds`. A request
//! counts as a success only with HTTP 200, no `errors`, and, for read workloads, a body whose
//! digest (CRC-32 of its bytes) equals the first response's (that virtual user's, when signed
//! in); writes are checked for their payload's id. The server's CPU time and resident memory come from `/proc/<--pid>`.
//!
//! `--once` sends the document once, fails on an error, and prints the answer's size (the
//! harness captures one request's SQL this way).

#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

use std::{
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};

use clap::Parser;
use goose::{config::GooseDefault, prelude::*};
use serde_json::{Value, json};

/// One workload against one server.
#[derive(Debug, Parser, Clone)]
struct Args {
    /// The server, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    host: String,
    /// The GraphQL path.
    #[arg(long, default_value = "/graphql")]
    path: String,
    /// The workload: a JSON file `{"query", "variables", "auth", "write"}`; `variables`
    /// strings `$USER` and `$THREAD` become the virtual user's subject and `--thread`.
    #[arg(long)]
    workload: PathBuf,
    /// A second workload mixed in (`--mix-percent` of the requests), e.g. a write.
    #[arg(long)]
    mix: Option<PathBuf>,
    /// Share of `--mix` requests, in percent.
    #[arg(long, default_value_t = 10)]
    mix_percent: usize,
    /// Virtual users (concurrent connections).
    #[arg(long, default_value_t = 16)]
    users: usize,
    /// Requests per second in all (0: as fast as the users go).
    #[arg(long, default_value_t = 0)]
    rate: usize,
    /// Seconds measured.
    #[arg(long, default_value_t = 20)]
    seconds: usize,
    /// Seconds of warm-up before measuring.
    #[arg(long, default_value_t = 5)]
    warmup: usize,
    /// HS256 secret of the server's tokens.
    #[arg(long, default_value = "bench-secret-0123456789-abcdefghijklmnopq")]
    secret: String,
    /// The first subject number of the virtual users (`bench-<first + i * step>`).
    #[arg(long, default_value_t = 0)]
    first_user: usize,
    /// Step between the virtual users' subject numbers.
    #[arg(long, default_value_t = 17)]
    user_step: usize,
    /// A thread's global ID, for `$THREAD`.
    #[arg(long, default_value = "")]
    thread: String,
    /// The server's process id, for CPU and memory.
    #[arg(long)]
    pid: Option<u32>,
    /// A label for the results.
    #[arg(long, default_value = "")]
    label: String,
    /// Send once, fail on an error, print the answer's size.
    #[arg(long)]
    once: bool,
}

/// A workload file.
#[derive(Debug, Clone, serde::Deserialize)]
struct Workload {
    query: String,
    #[serde(default)]
    variables: Value,
    /// Signs in (a token per virtual user).
    #[serde(default)]
    auth: bool,
    /// Writes: answers differ, only the payload's id is checked.
    #[serde(default)]
    write: bool,
}

struct Shared {
    args: Args,
    main: Workload,
    mix: Option<Workload>,
    /// The digest every read answer must have, taken from the first, by virtual user (signed-in
    /// people see different notifications; anonymous ones all share the first user's).
    digests: Vec<OnceLock<u32>>,
    /// Tokens, by virtual user.
    tokens: Vec<String>,
}

static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();

/// A token for `bench-<n>`, with the seeded name and e-mail (so signing in changes nothing).
fn token(secret: &str, subject: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let n = subject.trim_start_matches("bench-");
    let claims = json!({"sub": subject, "name": format!("Bench Person {n}"), "email": format!("{subject}@example.org"), "iss": "copnet", "aud": "copnet", "iat": now, "exp": now + 86_400});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn subject(args: &Args, user: usize) -> String {
    format!(
        "bench-{}",
        (args.first_user + user * args.user_step) % 5_000
    )
}

/// The workload's variables for a user, placeholders filled.
fn variables(workload: &Workload, args: &Args, user: usize) -> Value {
    fn fill(v: &Value, user: &str, thread: &str, n: u64) -> Value {
        match v {
            Value::String(s) if s == "$USER" => Value::String(user.to_owned()),
            Value::String(s) if s == "$THREAD" => Value::String(thread.to_owned()),
            Value::String(s) if s.contains("$N") => Value::String(s.replace("$N", &n.to_string())),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), fill(v, user, thread, n)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let n = u64::try_from(chrono::Utc::now().timestamp_micros()).unwrap_or(0);
    fill(&workload.variables, &subject(args, user), &args.thread, n)
}

async fn request(user: &mut GooseUser) -> TransactionResult {
    let shared = Arc::clone(SHARED.get().expect("initialized"));
    let index = user.weighted_users_index;
    let counter = user.get_session_data::<u64>().copied().unwrap_or(0);
    user.set_session_data(counter + 1);
    let pick_mix = shared
        .mix
        .as_ref()
        .filter(|_| (counter as usize + index) % 100 < shared.args.mix_percent);
    let workload = pick_mix.unwrap_or(&shared.main);
    let body =
        json!({"query": workload.query, "variables": variables(workload, &shared.args, index)});
    let mut builder = user
        .get_request_builder(&GooseMethod::Post, &shared.args.path)?
        .json(&body);
    if workload.auth {
        let token = &shared.tokens[index % shared.tokens.len()];
        builder = builder.bearer_auth(token);
    }
    let name = if pick_mix.is_some() { "mix" } else { "main" };
    let request = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(shared.args.path.as_str())
        .name(name)
        .set_request_builder(builder)
        .build();
    let mut goose = user.request(request).await?;
    let Ok(response) = goose.response else {
        return user.set_failure("no response", &mut goose.request, None, None);
    };
    if response.status().as_u16() != 200 {
        return user.set_failure("status", &mut goose.request, None, None);
    }
    let Ok(bytes) = response.bytes().await else {
        return user.set_failure("body", &mut goose.request, None, None);
    };
    // `"errors"` can only appear in a body as that key or inside a string (escaped quotes).
    if memchr_errors(&bytes) {
        return user.set_failure("errors", &mut goose.request, None, None);
    }
    if workload.write {
        if !bytes.windows(5).any(|w| w == b"\"id\":") {
            return user.set_failure("no id", &mut goose.request, None, None);
        }
    } else {
        let digest = crc32fast::hash(&bytes);
        let slot = if workload.auth {
            index % shared.digests.len()
        } else {
            0
        };
        if *shared.digests[slot].get_or_init(|| digest) != digest {
            return user.set_failure("digest", &mut goose.request, None, None);
        }
    }
    Ok(())
}

fn memchr_errors(bytes: &[u8]) -> bool {
    bytes.windows(9).any(|w| w == b"\"errors\":")
}

/// User CPU + system time of a process, in milliseconds, and its resident memory in KiB.
fn process(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())?;
    // Clock ticks are 100 per second on Linux.
    Some((ticks * 10.0, rss))
}

fn read_workload(path: &PathBuf) -> Result<Workload, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

async fn once(args: &Args, workload: &Workload) -> Result<(), String> {
    let client = reqwest_client();
    let mut request = client
        .post(format!("{}{}", args.host, args.path))
        .json(&json!({"query": workload.query, "variables": variables(workload, args, 0)}));
    if workload.auth {
        request = request.bearer_auth(token(&args.secret, &subject(args, 0)));
    }
    let body = request
        .send()
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    if memchr_errors(&body) {
        return Err(String::from_utf8_lossy(&body).into_owned());
    }
    println!("{}", json!({"label": args.label, "bytes": body.len()}));
    Ok(())
}

fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let main_workload = read_workload(&args.workload)?;
    if args.once {
        return Ok(once(&args, &main_workload).await?);
    }
    let mix = args.mix.as_ref().map(read_workload).transpose()?;
    let tokens = (0..args.users)
        .map(|i| token(&args.secret, &subject(&args, i)))
        .collect();
    let _ = SHARED.set(Arc::new(Shared {
        args: args.clone(),
        main: main_workload,
        mix,
        digests: (0..args.users.max(1)).map(|_| OnceLock::new()).collect(),
        tokens,
    }));
    if args.warmup > 0 {
        attack(&args, args.warmup).await?;
    }
    let before = args.pid.and_then(process);
    let metrics = attack(&args, args.seconds).await?;
    let after = args.pid.and_then(process);
    report(&args, &metrics, before, after);
    Ok(())
}

/// One goose run of `seconds`.
async fn attack(args: &Args, seconds: usize) -> Result<GooseMetrics, GooseError> {
    let mut attack =
        GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?
            .register_scenario(scenario!("workload").register_transaction(transaction!(request)))
            .set_default(GooseDefault::Host, args.host.as_str())?
            .set_default(GooseDefault::Users, args.users)?
            .set_default(GooseDefault::IncreaseRate, "1000")?
            .set_default(GooseDefault::RunTime, seconds)?
            .set_default(GooseDefault::Quiet, 1)?
            .set_default(GooseDefault::NoPrintMetrics, true)?
            .set_default(GooseDefault::NoTelnet, true)?
            .set_default(GooseDefault::Timeout, "60")?;
    if args.rate > 0 {
        attack = attack
            .set_default(GooseDefault::ThrottleRequests, args.rate)?
            .set_default(GooseDefault::CoordinatedOmissionMitigation, "average")?;
    }
    attack.execute().await
}

fn report(
    args: &Args,
    metrics: &GooseMetrics,
    before: Option<(f64, u64)>,
    after: Option<(f64, u64)>,
) {
    let mut ok = 0usize;
    let mut failed = 0usize;
    let mut p50 = 0.0;
    let mut p99 = 0.0;
    let mut errors: Vec<String> = Vec::new();
    for (name, aggregate) in &metrics.requests {
        ok += aggregate.success_count;
        failed += aggregate.fail_count;
        let timing = aggregate
            .coordinated_omission_data
            .as_ref()
            .unwrap_or(&aggregate.raw_data);
        if name.contains("main") || metrics.requests.len() == 1 {
            p50 = timing.percentile_us(0.50) as f64 / 1000.0;
            p99 = timing.percentile_us(0.99) as f64 / 1000.0;
        }
    }
    for error in metrics.errors.values() {
        errors.push(format!("{}: {}", error.error, error.occurrences));
    }
    let seconds = metrics.duration.max(1) as f64;
    let total = (ok + failed).max(1) as f64;
    let cpu = match (before, after) {
        (Some((b, _)), Some((a, _))) => Some((a - b) / total),
        _ => None,
    };
    println!(
        "{}",
        json!({
            "label": args.label,
            "users": args.users,
            "rate": args.rate,
            "seconds": seconds,
            "ok": ok,
            "failed": failed,
            "ok_per_second": (ok as f64 / seconds * 10.0).round() / 10.0,
            "p50_ms": p50,
            "p99_ms": p99,
            "server_cpu_ms_per_request": cpu.map(|c| (c * 100.0).round() / 100.0),
            "server_rss_mib": after.map(|(_, rss)| rss / 1024),
            "errors": errors,
        })
    );
}
