//! Cost-based rate limits: each operation's cost from its document, drawn from a bucket per
//! actor shared by every replica (through Redis), reported in `extensions.cost`, and refused
//! with `RATE_LIMITED` (HTTP 429 with `Retry-After`) once spent.

use copnet_tests::{TestApp, redis_url};
use serde_json::json;

const SMALL: &str = "{ networks(first: 1) { totalCount } }";
/// Complexity about 100 × 11: costs about a dozen points.
const LARGE: &str = "{ networks(first: 100) { nodes { slug name description } } }";

fn cost(response: &copnet_tests::Gql) -> serde_json::Value {
    response.body["extensions"]["cost"].clone()
}

#[tokio::test]
async fn every_response_reports_its_cost_and_a_spent_budget_is_refused_with_429() {
    let app = TestApp::spawn_with(|s| s.rate_limit_person = 30).await;
    let alice = app.person("alice").await;
    let first = app.gql(Some(&alice.token), SMALL, json!({})).await;
    first.ok();
    let reported = cost(&first);
    assert_eq!(reported["requested"], 1, "{reported}");
    assert_eq!(reported["limit"], 30);
    assert!(reported["remaining"].as_u64().unwrap() <= 29, "{reported}");
    assert!(reported["resetAt"].is_string());
    let large = app.gql(Some(&alice.token), LARGE, json!({})).await;
    large.ok();
    let large_cost = cost(&large)["requested"].as_u64().unwrap();
    assert!(large_cost > 1, "page sizes cost: {}", large.body);
    // Spend the rest, then be refused, the cost still reported.
    let mut refused = None;
    for _ in 0..40 {
        let response = app.gql(Some(&alice.token), LARGE, json!({})).await;
        if response.status == 429 {
            refused = Some(response);
            break;
        }
        response.ok();
    }
    let refused = refused.expect("the budget ran out");
    assert_eq!(refused.codes(), ["RATE_LIMITED"]);
    assert_eq!(cost(&refused)["requested"].as_u64(), Some(large_cost));
    assert_eq!(refused.body["data"], serde_json::Value::Null);
    let bearer = format!("Bearer {}", alice.token);
    let raw = app
        .raw(
            reqwest::Method::POST,
            "/graphql",
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
            ],
            Some(json!({"query": LARGE}).to_string()),
        )
        .await;
    assert_eq!(raw.status, 429);
    let retry: u64 = raw
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    // Another person's bucket is untouched; kinds with a 0 limit are not limited.
    let bob = app.person("bob").await;
    app.gql(Some(&bob.token), SMALL, json!({})).await.ok();
    let anonymous = app.gql(None, SMALL, json!({})).await;
    anonymous.ok();
    assert_eq!(cost(&anonymous), serde_json::Value::Null);
}

#[tokio::test]
async fn an_operation_costlier_than_the_whole_budget_is_refused_at_once() {
    let app = TestApp::spawn_with(|s| s.rate_limit_anonymous = 3).await;
    let refused = app.gql(None, LARGE, json!({})).await;
    assert_eq!(refused.status, 200, "not a wait: {}", refused.body);
    assert_eq!(refused.codes(), ["LIMIT_EXCEEDED"]);
    // The bucket was not drawn on.
    let small = app.gql(None, SMALL, json!({})).await;
    small.ok();
    assert_eq!(cost(&small)["remaining"], 2, "{}", small.body);
}

#[tokio::test]
async fn the_websocket_refuses_an_operation_once_the_budget_is_spent() {
    let app = TestApp::spawn_with(|s| s.rate_limit_person = 3).await;
    let alice = app.person("alice").await;
    let mut client = app.subscriber(Some(&alice.token)).await;
    for id in ["a", "b", "c", "d"] {
        client.subscribe(id, SMALL, json!({})).await;
        let answer = client.expect_next(id).await;
        let done = client.next(std::time::Duration::from_secs(5)).await;
        assert!(matches!(done, copnet_tests::ws::WsEvent::Message(m) if m["type"] == "complete"));
        if id == "d" {
            assert_eq!(
                answer["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                "{answer}"
            );
        } else {
            assert_eq!(answer["extensions"]["cost"]["requested"], 1, "{answer}");
        }
    }
}

#[tokio::test]
async fn replicas_sharing_redis_draw_on_one_bucket() {
    let app = TestApp::spawn_with(|s| s.rate_limit_person = 10).await;
    let replica = app.replica().await;
    let alice = app.person("alice").await;
    let mut served = 0;
    let mut refused = 0;
    for n in 0..20 {
        let on = if n % 2 == 0 { &app } else { &replica };
        let response = on.gql(Some(&alice.token), SMALL, json!({})).await;
        match response.status {
            200 => served += 1,
            429 => refused += 1,
            other => panic!("unexpected {other}: {}", response.body),
        }
    }
    assert_eq!(served + refused, 20);
    if redis_url().is_some() {
        // One bucket of 10 for both replicas, one point of it spent signing alice up (and a
        // point or so refilled during the run).
        assert!((9..=11).contains(&served), "served {served}");
    } else {
        // Without Redis each process keeps its own bucket of 10.
        assert_eq!(served, 19, "refused {refused}");
    }
}
