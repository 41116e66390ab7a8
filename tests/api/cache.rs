//! The shared cache: anonymous answers and community health figures are served from it, and
//! no read after a write's answer, on any replica, is served what the write made stale.

use copnet_tests::TestApp;
use serde_json::{Value, json};

use crate::mutations::world;

const GARDEN: &str = "{ network(slug: \"net\") { community(slug: \"garden\") {
    name memberCount health { members postsLast30Days averageFeedback } } } }";

const RENAME: &str = "mutation($c: ID!, $n: String!) {
    updateCommunity(input: {communityId: $c, name: $n}) { community { name } } }";

const START: &str = "mutation($s: ID!) {
    startThread(input: {spaceId: $s, title: \"Seeds\", body: \"Who swaps seeds?\"}) { thread { id } } }";

const HEALTH: &str = "query($c: ID!) { node(id: $c) { ... on Community {
    health { members postsLast30Days averageFeedback } } } }";

/// The replica's cache counters: `(hits, misses)`.
async fn counters(app: &TestApp) -> (u64, u64) {
    let (_, body) = app.get("/readyz", &[]).await;
    let ready: Value = serde_json::from_str(&body).unwrap_or_default();
    let n = |k: &str| ready["cache"][k].as_u64().unwrap_or(0);
    (n("hits"), n("misses"))
}

#[tokio::test]
async fn an_anonymous_answer_comes_from_the_cache_until_a_write_drops_it() {
    let w = world().await;
    let first = w.run(None, GARDEN, json!({})).await;
    first.ok();
    let (hits, _) = counters(&w.app).await;
    let again = w.run(None, GARDEN, json!({})).await;
    assert_eq!(again.body, first.body);
    assert_eq!(
        counters(&w.app).await.0,
        hits + 1,
        "the second answer is the cached one"
    );

    w.run(
        Some(&w.alice),
        RENAME,
        json!({"c": w.community, "n": "Seed garden"}),
    )
    .await
    .ok();
    let after = w.run(None, GARDEN, json!({})).await;
    assert_eq!(after.at("/network/community/name"), "Seed garden");
    // Signed-in callers are never served an anonymous answer.
    let bob = w.run(Some(&w.bob), GARDEN, json!({})).await;
    assert_eq!(bob.at("/network/community/name"), "Seed garden");
    // A failed request is not cached: asking again runs it again, and fails again.
    let bad = "{ network(slug: \"net\") { nope } }";
    w.run(None, bad, json!({}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(None, bad, json!({}))
        .await
        .expect_code("BAD_USER_INPUT");
}

async fn health(
    w: &crate::mutations::World,
    who: Option<&copnet_tests::fixtures::Person>,
) -> Value {
    let g = w.run(who, HEALTH, json!({"c": w.community})).await;
    g.ok();
    g.at("/node/health").clone()
}

#[tokio::test]
async fn community_health_is_fresh_after_every_write_that_moves_it() {
    let w = world().await;
    let app = &w.app;
    let space = app.space(&w.alice, &w.community, "talk", "PUBLIC").await;
    let before = health(&w, Some(&w.carol)).await;
    assert_eq!(
        before,
        json!({"members": 2, "postsLast30Days": 0, "averageFeedback": null})
    );
    assert_eq!(
        health(&w, Some(&w.carol)).await,
        before,
        "served again from the cache"
    );

    w.run(Some(&w.bob), START, json!({"s": space})).await.ok();
    assert_eq!(health(&w, Some(&w.carol)).await["postsLast30Days"], 1);
    assert_eq!(health(&w, None).await["postsLast30Days"], 1);

    w.run(
        Some(&w.carol),
        "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }",
        json!({"c": w.community}),
    )
    .await
    .ok();
    assert_eq!(health(&w, Some(&w.bob)).await["members"], 3);

    w.run(
        Some(&w.carol),
        "mutation($c: ID!) { giveFeedback(input: {targetId: $c, rating: 4}) { rating } }",
        json!({"c": w.community}),
    )
    .await
    .ok();
    assert_eq!(health(&w, Some(&w.bob)).await["averageFeedback"], 4.0);
    assert_eq!(health(&w, None).await["averageFeedback"], 4.0);
}

#[tokio::test]
async fn a_write_through_one_replica_is_seen_at_once_through_another() {
    if copnet_tests::redis_url().is_none() {
        // Replicas share a cache through Redis: the PostgreSQL + Redis run of `.ci/run`
        // sets it. One process's memory cache is for one process only.
        return;
    }
    let w = world().await;
    let other = w.app.replica().await;
    let first = other.gql(None, GARDEN, json!({})).await;
    first.ok();
    let health = other
        .gql(Some(&w.carol.token), HEALTH, json!({"c": w.community}))
        .await;
    assert_eq!(health.at("/node/health/postsLast30Days"), 0);
    // Cached on the other replica (and the first, which shares the Redis).
    let (hits, _) = counters(&other).await;
    other.gql(None, GARDEN, json!({})).await.ok();
    assert_eq!(counters(&other).await.0, hits + 1);
    let (hits, _) = counters(&w.app).await;
    w.app.gql(None, GARDEN, json!({})).await.ok();
    assert_eq!(
        counters(&w.app).await.0,
        hits + 1,
        "the replicas share the cache"
    );

    w.run(
        Some(&w.alice),
        RENAME,
        json!({"c": w.community, "n": "Seed garden"}),
    )
    .await
    .ok();
    let space = w.app.space(&w.alice, &w.community, "talk", "PUBLIC").await;
    w.run(Some(&w.bob), START, json!({"s": space})).await.ok();
    // The very next reads through the other replica see both writes.
    let after = other.gql(None, GARDEN, json!({})).await;
    assert_eq!(after.at("/network/community/name"), "Seed garden");
    assert_eq!(after.at("/network/community/health/postsLast30Days"), 1);
    let health = other
        .gql(Some(&w.carol.token), HEALTH, json!({"c": w.community}))
        .await;
    assert_eq!(health.at("/node/health/postsLast30Days"), 1);
}

#[tokio::test]
async fn a_server_whose_redis_is_away_answers_from_the_database() {
    let app = TestApp::spawn_with(|s| s.redis_url = Some("redis://127.0.0.1:1".into())).await;
    let alice = app.person("alice").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let community = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    for _ in 0..2 {
        let g = app.gql(None, GARDEN, json!({})).await;
        g.ok();
        assert_eq!(g.at("/network/community/name"), "garden");
    }
    app.gql(
        Some(&alice.token),
        RENAME,
        json!({"c": community, "n": "Seed garden"}),
    )
    .await
    .ok();
    let after = app.gql(None, GARDEN, json!({})).await;
    assert_eq!(after.at("/network/community/name"), "Seed garden");
    assert_eq!(
        counters(&app).await,
        (0, 0),
        "nothing was served from a cache"
    );
}

#[tokio::test]
async fn a_mutation_sent_over_the_websocket_drops_the_cached_anonymous_answers() {
    let w = world().await;
    w.run(None, GARDEN, json!({})).await.ok();
    let (hits, _) = counters(&w.app).await;
    w.run(None, GARDEN, json!({})).await.ok();
    assert_eq!(counters(&w.app).await.0, hits + 1, "cached");

    let mut socket = w.app.subscriber(Some(&w.alice.token)).await;
    socket
        .subscribe(
            "rename",
            RENAME,
            json!({"c": w.community, "n": "Seed garden"}),
        )
        .await;
    let renamed = socket.expect_next("rename").await;
    assert_eq!(
        renamed["data"]["updateCommunity"]["community"]["name"],
        "Seed garden"
    );
    let after = w.run(None, GARDEN, json!({})).await;
    assert_eq!(after.at("/network/community/name"), "Seed garden");
}
