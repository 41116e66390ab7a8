//! `eventChanged`: a community's events as they are scheduled, changed or cancelled, each
//! checked against the subscriber's rights at delivery.

use std::time::Duration;

use copnet_domain::{event::Topic, ids::CommunityId};
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
