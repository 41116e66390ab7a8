use serde_json::json;

use crate::mutations::world;

const STAGE: &str = "mutation($c: ID!, $s: CommunityStage!) { setCommunityStage(input: {communityId: $c, stage: $s}) { community { stage } } }";

#[tokio::test]
async fn active_needs_a_charter_and_a_held_launch_event_and_says_what_is_missing() {
    let w = world().await;
    let c = &w.community;
    w.run(Some(&w.alice), STAGE, json!({"c": c, "s": "LAUNCHING"}))
        .await
        .ok();
    let missing = |g: &copnet_tests::Gql| g.errors()[0]["extensions"]["missing"].clone();
    let refused = w
        .run(Some(&w.alice), STAGE, json!({"c": c, "s": "ACTIVE"}))
        .await;
    refused.expect_code("FAILED_PRECONDITION");
    assert_eq!(missing(&refused), json!(["CHARTER", "LAUNCH_EVENT"]));
    // A charter without a goal is not enough.
    w.app.must(&w.alice, "mutation($c: ID!) { updateCharter(input: {communityId: $c, domain: \"Gardens\"}) { charter { domain } } }", json!({"c": c}), "/updateCharter/charter/domain").await;
    let refused = w
        .run(Some(&w.alice), STAGE, json!({"c": c, "s": "ACTIVE"}))
        .await;
    assert_eq!(missing(&refused), json!(["CHARTER", "LAUNCH_EVENT"]));
    w.app.charter(&w.alice, c).await;
    // A launch still to come, or a held one that was cancelled, is not a held launch.
    w.app
        .event(
            &w.alice,
            json!({"communityId": c}),
            json!({"format": "LAUNCH"}),
        )
        .await;
    let past = w
        .app
        .event(
            &w.alice,
            json!({"communityId": c}),
            json!({"format": "LAUNCH", "startsAt": "2020-01-01T15:00:00Z", "endsAt": "2020-01-01T16:00:00Z"}),
        )
        .await;
    w.app
        .must(
            &w.alice,
            "mutation($e: ID!) { cancelEvent(input: {eventId: $e}) { event { id cancelled } } }",
            json!({"e": past}),
            "/cancelEvent/event/id",
        )
        .await;
    let refused = w
        .run(Some(&w.alice), STAGE, json!({"c": c, "s": "ACTIVE"}))
        .await;
    refused.expect_code("FAILED_PRECONDITION");
    assert_eq!(missing(&refused), json!(["LAUNCH_EVENT"]));
    w.app
        .event(
            &w.alice,
            json!({"communityId": c}),
            json!({"format": "LAUNCH", "startsAt": "2021-01-01T15:00:00Z", "endsAt": "2021-01-01T16:00:00Z"}),
        )
        .await;
    let moved = w
        .run(Some(&w.alice), STAGE, json!({"c": c, "s": "ACTIVE"}))
        .await;
    moved.ok();
    assert_eq!(
        moved.at("/setCommunityStage/community/stage"),
        &json!("ACTIVE")
    );
    // The history lists each change, newest first, with who made it.
    let history = w
        .run(
            Some(&w.bob),
            "query($id: ID!) { node(id: $id) { ... on Community { stageHistory { totalCount nodes { from to actor { id } createdAt } } } } }",
            json!({"id": c}),
        )
        .await;
    history.ok();
    assert_eq!(history.at("/node/stageHistory/totalCount"), &json!(2));
    let nodes = history.at("/node/stageHistory/nodes");
    assert_eq!(nodes[0]["from"], "LAUNCHING");
    assert_eq!(nodes[0]["to"], "ACTIVE");
    assert_eq!(nodes[1]["from"], "PROPOSED");
    assert_eq!(nodes[0]["actor"]["id"], json!(w.alice.id));
}

#[tokio::test]
async fn a_launching_community_does_not_go_back_to_proposed_and_refused_moves_leave_no_history() {
    let w = world().await;
    let c = &w.community;
    w.run(Some(&w.alice), STAGE, json!({"c": c, "s": "LAUNCHING"}))
        .await
        .ok();
    w.run(Some(&w.alice), STAGE, json!({"c": c, "s": "PROPOSED"}))
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.bob), STAGE, json!({"c": c, "s": "ARCHIVED"}))
        .await
        .expect_code("FORBIDDEN");
    let history = w
        .run(
            None,
            "query($id: ID!) { node(id: $id) { ... on Community { stage stageHistory { totalCount } } } }",
            json!({"id": c}),
        )
        .await;
    assert_eq!(history.at("/node/stage"), &json!("LAUNCHING"));
    assert_eq!(history.at("/node/stageHistory/totalCount"), &json!(1));
}
