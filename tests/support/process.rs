//! Real `copnet` processes, for tests and benchmarks that need several servers (replicas).

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use serde_json::{Value, json};

/// A child process, killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// A running `copnet serve`.
pub struct Server {
    process: Killed,
    /// `http://host:port`.
    pub base: String,
}

impl Server {
    /// Runs `command` (a `copnet` command with its environment set) as `serve` on a free port,
    /// and waits until it reports its address in its JSON log.
    pub fn start(mut command: Command) -> Server {
        let mut child = command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("COPNET_LOG_FORMAT", "json")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start copnet");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let address = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                let log: Value = serde_json::from_str(&line).ok()?;
                log.pointer("/fields/address")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .expect("the server reports its address");
        // Keep draining its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            process: Killed(child),
            base: format!("http://{address}"),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }
}

/// An HS256 token for `subject` (display name = subject), valid for `ttl_secs`.
pub fn sign(secret: &str, subject: &str, ttl_secs: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": subject, "name": subject, "iss": "copnet", "aud": "copnet", "iat": now, "exp": now + ttl_secs});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

/// Runs an operation that must succeed; returns its `data`.
pub async fn graphql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}
