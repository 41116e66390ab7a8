//! `eventChanged`: a community's events as they are scheduled, changed or cancelled, each
//! checked against the subscriber's rights at delivery.

use std::time::Duration;

use copnet_domain::{
    event::Topic,
    ids::{ClusterId, CommunityId},
};
use copnet_tests::uuid_of;
use serde_json::json;

use crate::mutations::world;

const CHANGED: &str = "subscription($c: ID!) { eventChanged(communityId: $c) { kind event { title space { slug } } } }";

#[tokio::test]
async fn subscribers_receive_the_events_they_may_read_as_they_are_scheduled_and_cancelled() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.app.add_to_space(&w.alice, &core, &dan).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    let mut daniel = w.app.subscriber(Some(&dan.token)).await;
    let mut anonymous = w.app.subscriber(None).await;
    for client in [&mut bob, &mut daniel, &mut anonymous] {
        client
            .subscribe("e", CHANGED, json!({"c": w.community}))
            .await;
    }
    let topic = Topic::CommunityEvents(CommunityId::from(uuid_of(&w.community)));
    w.app.subscribed(topic, 3).await;

    w.app
        .event(
            &w.alice,
            json!({"spaceId": core}),
            json!({"title": "Core planning"}),
        )
        .await;
    let whole = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": "Open roundtable"}),
        )
        .await;
    let first = daniel.expect_next("e").await;
    assert_eq!(
        first["data"]["eventChanged"],
        json!({"kind": "SCHEDULED", "event": {"title": "Core planning", "space": {"slug": "core"}}})
    );
    for client in [&mut bob, &mut daniel, &mut anonymous] {
        // The private space's event was skipped for those who cannot read it.
        let next = client.expect_next("e").await;
        assert_eq!(
            next["data"]["eventChanged"]["event"]["title"],
            "Open roundtable"
        );
    }
    w.app
        .must(
            &w.alice,
            "mutation($e: ID!) { cancelEvent(input: {eventId: $e}) { event { id } } }",
            json!({"e": whole}),
            "/cancelEvent/event/id",
        )
        .await;
    let cancelled = bob.expect_next("e").await;
    assert_eq!(cancelled["data"]["eventChanged"]["kind"], "CANCELLED");
    bob.expect_silence(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn a_hidden_community_cannot_be_watched() {
    let w = world().await;
    let hidden = w
        .app
        .community(&w.alice, &w.network, "hidden", "PRIVATE", "INVITE_ONLY")
        .await;
    let mut carol = w.app.subscriber(Some(&w.carol.token)).await;
    carol.subscribe("e", CHANGED, json!({"c": hidden})).await;
    let message = carol.next(Duration::from_secs(5)).await;
    let text = format!("{message:?}");
    assert!(text.contains("NOT_FOUND"), "{text}");
}

#[tokio::test]
async fn a_member_taken_off_a_private_space_stops_receiving_its_events() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.app.add_to_space(&w.alice, &core, &dan).await;
    let mut daniel = w.app.subscriber(Some(&dan.token)).await;
    daniel
        .subscribe("e", CHANGED, json!({"c": w.community}))
        .await;
    let topic = Topic::CommunityEvents(CommunityId::from(uuid_of(&w.community)));
    w.app.subscribed(topic, 1).await;
    w.app
        .event(
            &w.alice,
            json!({"spaceId": core}),
            json!({"title": "Core one"}),
        )
        .await;
    let first = daniel.expect_next("e").await;
    assert_eq!(first["data"]["eventChanged"]["event"]["title"], "Core one");
    w.app.remove_from_space(&w.alice, &core, &dan).await;
    w.app
        .event(
            &w.alice,
            json!({"spaceId": core}),
            json!({"title": "Core two"}),
        )
        .await;
    w.app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": "Everyone"}),
        )
        .await;
    // The private space's second event is skipped; the community-wide one arrives.
    let next = daniel.expect_next("e").await;
    assert_eq!(next["data"]["eventChanged"]["event"]["title"], "Everyone");
    daniel.expect_silence(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn a_clusters_events_reach_those_who_read_them() {
    let w = world().await;
    let cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    let inside = w.app.must(&w.alice, "mutation($n: ID!, $k: ID!) { createCommunity(input: {networkId: $n, slug: \"inside\", name: \"Inside\", visibility: PUBLIC, joinPolicy: OPEN, clusterIds: [$k]}) { community { id } } }", json!({"n": w.network, "k": cluster}), "/createCommunity/community/id").await;
    let erin = w.app.person("erin").await;
    w.app.enroll(&w.alice, &inside, &erin).await;
    let watch = "subscription($k: ID!) { eventChanged(clusterId: $k) { kind event { title cluster { slug } } } }";
    let mut reader = w.app.subscriber(Some(&erin.token)).await;
    reader.subscribe("e", watch, json!({"k": cluster})).await;
    // Bob's community is not in the cluster: he does not read its events.
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("e", watch, json!({"k": cluster})).await;
    let refused = format!("{:?}", bob.next(Duration::from_secs(5)).await);
    assert!(refused.contains("NOT_FOUND"), "{refused}");
    let topic = Topic::ClusterEvents(ClusterId::from(uuid_of(&cluster)));
    w.app.subscribed(topic, 1).await;
    w.app
        .event(
            &w.alice,
            json!({"clusterId": cluster}),
            json!({"title": "Regional meet"}),
        )
        .await;
    let got = reader.expect_next("e").await;
    assert_eq!(
        got["data"]["eventChanged"],
        json!({"kind": "SCHEDULED", "event": {"title": "Regional meet", "cluster": {"slug": "north"}}})
    );
    // Exactly one of the two arguments.
    for variables in [json!({"c": w.community, "k": cluster}), json!({})] {
        let both = w
            .run(
                Some(&erin),
                "subscription($c: ID, $k: ID) { eventChanged(communityId: $c, clusterId: $k) { kind } }",
                variables,
            )
            .await;
        assert_eq!(both.code(), Some("BAD_USER_INPUT"), "{}", both.body);
    }
}
