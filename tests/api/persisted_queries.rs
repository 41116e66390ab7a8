//! Persisted queries: automatic persisted queries (Apollo's protocol) shared by replicas, a
//! strict safelist of registered documents, and the switch that turns both off.

use copnet_api::graphql::persisted::{hash, register_files};
use copnet_tests::TestApp;
use serde_json::{Value, json};

const QUERY: &str = "query Networks { networks(first: 5) { totalCount } }";

/// `POST /graphql` with the document by hash, the text too when given.
async fn send(app: &TestApp, query: Option<&str>, sha: &str) -> copnet_tests::Gql {
    let mut body = json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}});
    if let Some(query) = query {
        body["query"] = json!(query);
    }
    app.post_raw(&[("content-type", "application/json")], body.to_string())
        .await
}

fn ok(response: &copnet_tests::Gql) {
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.at("/networks/totalCount"),
        &json!(0),
        "{}",
        response.body
    );
}

async fn registered(app: &TestApp, name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let store = copnet_infra::Store::new(app.database()).repos();
    let done = register_files(store.persisted.as_ref(), &[file])
        .await
        .unwrap();
    assert_eq!(done.len(), 1);
    done[0].hash.clone()
}

#[tokio::test]
async fn an_automatic_persisted_query_round_trips_and_serves_every_replica() {
    let app = TestApp::spawn().await;
    let sha = hash(QUERY);
    let unknown = send(&app, None, &sha).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.codes(), ["PERSISTED_QUERY_NOT_FOUND"]);
    assert_eq!(
        unknown.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );

    ok(&send(&app, Some(QUERY), &sha).await);
    ok(&send(&app, None, &sha).await);
    // Over GET, by hash alone (what a CDN can cache).
    let extensions = json!({"persistedQuery": {"version": 1, "sha256Hash": sha}}).to_string();
    let (status, body) = app
        .get(
            &format!("/graphql?extensions={}", url_escape(&extensions)),
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"]["networks"]["totalCount"], 0, "{body}");
    // Another replica knows it too.
    let replica = app.replica().await;
    ok(&send(&replica, None, &sha).await);

    // A hash that is not the text's is refused, as is a malformed extension.
    let wrong = send(&app, Some("{ networks { totalCount } }"), &sha).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.codes(), ["BAD_USER_INPUT"]);
    let malformed = send(&app, None, "not-a-hash").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.codes(), ["BAD_USER_INPUT"]);
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn safelist_mode_runs_registered_documents_only() {
    let app = TestApp::spawn_with(|s| s.persisted_queries = "safelist".into()).await;
    let sha = registered(&app, "networks.graphql", QUERY).await;
    assert_eq!(sha, hash(QUERY));
    ok(&send(&app, None, &sha).await);
    // The registered text itself runs too.
    ok(&app.gql(None, QUERY, json!({})).await);

    // Anything else is refused, sent as text or by hash, and is not remembered.
    let other = "{ networks(first: 1) { totalCount } }";
    for refused in [
        app.gql(None, other, json!({})).await,
        send(&app, Some(other), &hash(other)).await,
        send(&app, None, &hash(other)).await,
    ] {
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert_eq!(refused.codes(), ["PERSISTED_QUERY_NOT_IN_LIST"]);
        assert_eq!(refused.body["data"], Value::Null);
    }
    // Over the WebSocket alike.
    let mut client = app.subscriber(None).await;
    client.subscribe("x", other, json!({})).await;
    let refused = client.expect_next("x").await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST",
        "{refused}"
    );
    assert!(matches!(
        client.next(std::time::Duration::from_secs(5)).await,
        copnet_tests::ws::WsEvent::Message(m) if m["type"] == "complete"
    ));
    client
        .send(json!({"id": "y", "type": "subscribe", "payload": {
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}}))
        .await;
    let answered = client.expect_next("y").await;
    assert_eq!(answered["data"]["networks"]["totalCount"], 0, "{answered}");
}

#[tokio::test]
async fn with_persisted_queries_off_a_hash_alone_is_refused() {
    let app = TestApp::spawn_with(|s| s.persisted_queries = "off".into()).await;
    let sha = hash(QUERY);
    let refused = send(&app, None, &sha).await;
    assert_eq!(refused.codes(), ["PERSISTED_QUERY_NOT_SUPPORTED"]);
    ok(&send(&app, Some(QUERY), &sha).await);
    // Nothing was remembered: still refused by hash.
    assert_eq!(
        send(&app, None, &sha).await.codes(),
        ["PERSISTED_QUERY_NOT_SUPPORTED"]
    );
}

#[tokio::test]
async fn registering_refuses_a_file_that_is_not_graphql_and_registers_nothing() {
    let app = TestApp::spawn_with(|s| s.persisted_queries = "safelist".into()).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.graphql");
    let bad = dir.path().join("bad.graphql");
    std::fs::write(&good, QUERY).unwrap();
    std::fs::write(&bad, "query {").unwrap();
    let store = copnet_infra::Store::new(app.database()).repos();
    let refused = register_files(store.persisted.as_ref(), &[good, bad]).await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("bad.graphql")),
        "{refused:?}"
    );
    let still = send(&app, None, &hash(QUERY)).await;
    assert_eq!(still.codes(), ["PERSISTED_QUERY_NOT_IN_LIST"]);
}
