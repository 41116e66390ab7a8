//! Threads, assets and events carry topics of their network.

use serde_json::{Value, json};

use crate::mutations::world;

const TOPIC: &str = "mutation($n: ID!, $name: String!) { createTopic(input: {networkId: $n, name: $name}) { topic { id } } }";

#[tokio::test]
async fn threads_assets_and_events_carry_topics_of_their_network() {
    let w = world().await;
    let seeds = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": w.network, "name": "Seeds"}),
            "/createTopic/topic/id",
        )
        .await;
    let soil = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": w.network, "name": "Soil"}),
            "/createTopic/topic/id",
        )
        .await;
    let other_net = w.app.network(&w.alice, &w.org, "elsewhere", "PUBLIC").await;
    let foreign = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": other_net, "name": "Elsewhere"}),
            "/createTopic/topic/id",
        )
        .await;
    let space = w.app.space(&w.alice, &w.community, "talk", "PUBLIC").await;
    let start = "mutation($s: ID!, $t: [ID!]) { startThread(input: {spaceId: $s, title: \"Saving seeds\", body: \"How?\", topicIds: $t}) { thread { id topics { name } } } }";
    let started = w
        .run(
            Some(&w.bob),
            start,
            json!({"s": space, "t": [seeds, soil, seeds]}),
        )
        .await;
    started.ok();
    assert_eq!(
        started.at("/startThread/thread/topics"),
        &json!([{"name": "Seeds"}, {"name": "Soil"}])
    );
    let thread = started.str("/startThread/thread/id");
    // A topic of another network is refused, and nothing is created.
    let count = "query($s: ID!) { node(id: $s) { ... on Space { threads { totalCount } } } }";
    let refused = w
        .run(Some(&w.bob), start, json!({"s": space, "t": [foreign]}))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), Some("topicIds"));
    assert_eq!(
        w.run(Some(&w.bob), count, json!({"s": space}))
            .await
            .at("/node/threads/totalCount"),
        &json!(1)
    );
    // The author retags it; another member may not.
    let set = "mutation($x: ID!, $t: [ID!]!) { setTopics(input: {targetId: $x, topicIds: $t}) { topics { name } } }";
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    w.run(Some(&dan), set, json!({"x": thread, "t": [soil]}))
        .await
        .expect_code("FORBIDDEN");
    let retagged = w
        .run(Some(&w.bob), set, json!({"x": thread, "t": [soil]}))
        .await;
    assert_eq!(retagged.at("/setTopics/topics"), &json!([{"name": "Soil"}]));
    w.run(Some(&w.bob), set, json!({"x": w.community, "t": []}))
        .await
        .expect_code("BAD_USER_INPUT");

    let asset = w
        .app
        .must(
            &w.bob,
            "mutation($s: ID!, $t: [ID!]) { createAsset(input: {spaceId: $s, kind: TEMPLATE, title: \"Seed log\", topicIds: $t}) { asset { id } } }",
            json!({"s": space, "t": [seeds]}),
            "/createAsset/asset/id",
        )
        .await;
    let revised = w
        .run(
            Some(&w.bob),
            "mutation($a: ID!, $t: [ID!]) { reviseAsset(input: {assetId: $a, topicIds: $t}) { asset { topics { name } } } }",
            json!({"a": asset, "t": [seeds, soil]}),
        )
        .await;
    assert_eq!(
        revised.at("/reviseAsset/asset/topics"),
        &json!([{"name": "Seeds"}, {"name": "Soil"}])
    );
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": "Seed swap", "topicIds": [seeds]}),
        )
        .await;
    let topics = "query($e: ID!) { node(id: $e) { ... on Event { topics { name } } } }";
    assert_eq!(
        w.run(None, topics, json!({"e": event}))
            .await
            .at("/node/topics"),
        &json!([{"name": "Seeds"}])
    );
    let updated = w
        .run(
            Some(&w.alice),
            "mutation($e: ID!) { updateEvent(input: {eventId: $e, topicIds: []}) { event { topics { name } } } }",
            json!({"e": event}),
        )
        .await;
    assert_eq!(updated.at("/updateEvent/event/topics"), &json!([]));
    assert_ne!(updated.at("/updateEvent/event"), &Value::Null);
}
