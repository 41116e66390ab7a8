//! The `copnet` binary's commands, run as a newcomer would run them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_copnet");
const SECRET: &str = "cli-test-secret-0123456789-abcdefghijklmnop";

fn copnet(dir: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn schema_command_prints_the_committed_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let output = copnet(dir.path()).arg("schema").output().unwrap();
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim_end(),
        committed.trim_end()
    );
}

#[test]
fn token_command_signs_with_the_configured_secret() {
    let dir = tempfile::tempdir().unwrap();
    let output = copnet(dir.path())
        .args(["token", "--sub", "alice", "--name", "Alice", "--ttl", "2h"])
        .env("COPNET_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["copnet"]);
    validation.set_issuer(&["copnet"]);
    let data = jsonwebtoken::decode::<serde_json::Value>(
        token.trim(),
        &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .unwrap();
    assert_eq!(data.claims["sub"], "alice");
    let lifetime = data.claims["exp"].as_i64().unwrap() - data.claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 7200);
}

#[test]
fn serve_refuses_to_start_without_a_strong_secret() {
    let dir = tempfile::tempdir().unwrap();
    let missing = copnet(dir.path()).arg("serve").output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("COPNET_JWT_SECRET is not set"));
    let weak = copnet(dir.path())
        .arg("serve")
        .env("COPNET_JWT_SECRET", "short")
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too weak"));
}

#[test]
fn serve_refuses_an_unmigrated_database_and_migrate_fixes_it() {
    let dir = tempfile::tempdir().unwrap();
    let refused = copnet(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("COPNET_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("copnet migrate"));
    let migrated = copnet(dir.path()).arg("migrate").output().unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
}

#[test]
fn serve_demo_seeds_an_empty_database_and_prints_graphiql_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = copnet(dir.path())
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let started = Instant::now();
    let mut url = None;
    let mut tokens = 0;
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("GraphiQL at ").nth(1) {
            url = Some(rest.trim().to_owned());
        }
        if line.trim_start().starts_with("eyJ") {
            tokens += 1;
        }
        if tokens == 4 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let url = url.expect("the GraphiQL address is printed");
    assert_eq!(tokens, 4, "a token per demo person");
    let client = reqwest::blocking::Client::new();
    let response: serde_json::Value = client
        .post(&url)
        .json(&serde_json::json!({"query": "{ networks { nodes { slug communities { totalCount } } } }"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    child.kill().ok();
    child.wait().ok();
    assert_eq!(
        response["data"]["networks"]["nodes"][0]["slug"], "conservation-learning",
        "{response}"
    );
    assert!(dir.path().join("copnet.db").exists());
}

#[test]
fn serve_starts_and_answers_with_otlp_export_configured_and_no_collector() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = copnet(dir.path())
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let url = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("GraphiQL at ")
                .nth(1)
                .map(|u| u.trim().to_owned())
        })
        .expect("the server starts");
    let status = reqwest::blocking::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"query":"query Probe { networks { totalCount } }"}"#)
        .send()
        .unwrap()
        .status();
    child.kill().ok();
    child.wait().ok();
    assert_eq!(status.as_u16(), 200);
}
