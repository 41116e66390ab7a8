use serde_json::json;

use super::{POST, START, world};

const MINE: &str = "query($u: Boolean) { notifications(unreadOnly: $u) { totalCount nodes { id kind readAt actor { id } thread { id } post { id } community { id } invitation { id } joinRequest { id } } } }";
const MARK: &str = "mutation($ids: [ID!]) { markNotificationsRead(input: {notificationIds: $ids}) { markedCount } }";

fn kinds(response: &copnet_tests::Gql) -> Vec<String> {
    response
        .at("/notifications/nodes")
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn mentions_and_replies_notify_the_people_concerned() {
    let w = world().await;
    let started = w
        .run(
            Some(&w.bob),
            START,
            json!({"s": w.lounge, "t": "Q", "b": "Asking @alice", "m": [w.alice.id]}),
        )
        .await;
    started.ok();
    let thread = started.str("/startThread/thread/id");
    let first = started.str("/startThread/post/id");
    let alice = w.run(Some(&w.alice), MINE, json!({})).await;
    alice.ok();
    assert_eq!(alice.at("/notifications/nodes/0/kind"), &json!("MENTION"));
    assert_eq!(
        alice.at("/notifications/nodes/0/actor/id"),
        &json!(w.bob.id)
    );
    assert_eq!(alice.at("/notifications/nodes/0/post/id"), &json!(first));
    w.run(
        Some(&w.alice),
        POST,
        json!({"t": thread, "b": "Answer", "r": first}),
    )
    .await
    .ok();
    // Newest first: bob's reply notification comes before his invitation from the setup.
    let bob = w.run(Some(&w.bob), MINE, json!({})).await;
    assert_eq!(kinds(&bob), ["REPLY", "INVITATION"]);
    assert_eq!(bob.at("/notifications/nodes/0/thread/id"), &json!(thread));
    // Nobody else is told.
    let moderator = w.run(Some(&w.moderator), MINE, json!({})).await;
    assert_eq!(kinds(&moderator), ["INVITATION"]);
}

#[tokio::test]
async fn invitations_and_join_decisions_notify_the_person() {
    let w = world().await;
    let invited = w
        .run(Some(&w.alice), "mutation($c: ID!, $p: ID!) { inviteToCommunity(input: {communityId: $c, personId: $p}) { invitation { id } } }", json!({"c": w.community, "p": w.carol.id}))
        .await;
    invited.ok();
    let carol = w.run(Some(&w.carol), MINE, json!({})).await;
    assert_eq!(
        carol.at("/notifications/nodes/0/kind"),
        &json!("INVITATION")
    );
    assert_eq!(
        carol.at("/notifications/nodes/0/invitation/id"),
        &json!(invited.str("/inviteToCommunity/invitation/id"))
    );
    let dave = w.app.person("dave").await;
    let approval = w
        .app
        .community(
            &w.alice,
            &w.community_network().await,
            "approval",
            "PUBLIC",
            "APPROVAL",
        )
        .await;
    let request = w
        .app
        .must(
            &dave,
            "mutation($c: ID!) { requestToJoin(input: {communityId: $c}) { joinRequest { id } } }",
            json!({"c": approval}),
            "/requestToJoin/joinRequest/id",
        )
        .await;
    w.run(Some(&w.alice), "mutation($j: ID!) { decideJoinRequest(input: {joinRequestId: $j, approve: true}) { joinRequest { id } } }", json!({"j": request})).await.ok();
    let mine = w.run(Some(&dave), MINE, json!({})).await;
    assert_eq!(
        mine.at("/notifications/nodes/0/kind"),
        &json!("JOIN_DECISION")
    );
    assert_eq!(
        mine.at("/notifications/nodes/0/joinRequest/id"),
        &json!(request)
    );
}

#[tokio::test]
async fn notifications_are_marked_read_by_their_recipient_only() {
    let w = world().await;
    for _ in 0..3 {
        w.run(
            Some(&w.bob),
            START,
            json!({"s": w.open, "t": "ping", "b": "hey", "m": [w.alice.id]}),
        )
        .await
        .ok();
    }
    let all = w.run(Some(&w.alice), MINE, json!({})).await;
    assert_eq!(kinds(&all), ["MENTION", "MENTION", "MENTION"]);
    let one = all.str("/notifications/nodes/0/id");
    let marked = w.run(Some(&w.bob), MARK, json!({"ids": [one]})).await;
    assert_eq!(marked.at("/markNotificationsRead/markedCount"), &json!(0));
    let marked = w.run(Some(&w.alice), MARK, json!({"ids": [one]})).await;
    assert_eq!(marked.at("/markNotificationsRead/markedCount"), &json!(1));
    let unread = w.run(Some(&w.alice), MINE, json!({"u": true})).await;
    assert_eq!(unread.at("/notifications/totalCount"), &json!(2));
    let rest = w.run(Some(&w.alice), MARK, json!({})).await;
    assert_eq!(rest.at("/markNotificationsRead/markedCount"), &json!(2));
    w.run(Some(&w.alice), MARK, json!({"ids": ["nonsense"]}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(None, MARK, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(None, MINE, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.node(Some(&w.bob), &one, "")
        .await
        .expect_code("NOT_FOUND");
    w.node(Some(&w.alice), &one, "... on Notification { readAt }")
        .await
        .ok();
}

impl super::World {
    async fn community_network(&self) -> String {
        let read = self
            .run(
                Some(&self.alice),
                "query($c: ID!) { node(id: $c) { ... on Community { network { id } } } }",
                json!({"c": self.community}),
            )
            .await;
        read.str("/node/network/id")
    }
}

#[tokio::test]
async fn a_notification_stops_showing_a_post_its_recipient_can_no_longer_read() {
    let w = world().await;
    w.app.add_to_space(&w.alice, &w.core, &w.bob).await;
    let started = w
        .run(
            Some(&w.alice),
            START,
            json!({"s": w.core, "t": "core", "b": "@bob", "m": [w.bob.id]}),
        )
        .await;
    started.ok();
    let before = w.run(Some(&w.bob), MINE, json!({})).await;
    assert_eq!(before.at("/notifications/nodes/0/kind"), &json!("MENTION"));
    assert!(before.at("/notifications/nodes/0/post/id").is_string());
    w.app.remove_from_space(&w.alice, &w.core, &w.bob).await;
    let after = w.run(Some(&w.bob), MINE, json!({})).await;
    assert_eq!(after.at("/notifications/nodes/0/kind"), &json!("MENTION"));
    assert_eq!(after.at("/notifications/nodes/0/post"), &json!(null));
    assert_eq!(after.at("/notifications/nodes/0/thread"), &json!(null));
}
