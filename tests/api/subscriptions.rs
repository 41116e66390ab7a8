//! Subscriptions through a real WebSocket client: subscribe, receive, complete; bad
//! credentials; forbidden subscriptions; rights checked at delivery; back-pressure.

use std::time::Duration;

use copnet_domain::{
    event::Topic,
    ids::{SpaceId, ThreadId},
};
use copnet_tests::{
    TestApp,
    fixtures::Person,
    uuid_of,
    ws::{WsClient, WsEvent},
};
use serde_json::{Value, json};

const ADDED: &str = "subscription($t: ID!) { postAdded(threadId: $t) { id body author { id } } }";
const CHANGED: &str = "subscription($t: ID!) { postChanged(threadId: $t) { change post { id body hidden reactions { emoji count } } } }";
const ACTIVITY: &str = "subscription($s: ID!) { spaceActivity(spaceId: $s) { kind thread { id title } post { body } } }";
const NOTIFIED: &str = "subscription { notificationAdded { kind post { id } } }";
const START: &str = "mutation($s: ID!, $t: String!, $m: [ID!]) { startThread(input: {spaceId: $s, title: $t, body: \"first\", mentionIds: $m}) { thread { id } post { id } } }";
const POST: &str = "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { id } } }";
const WAIT: Duration = Duration::from_secs(5);

/// alice manages `garden` with spaces `open` (PUBLIC) and `core` (PRIVATE; bob is on its
/// list); bob is a member; dave is a MODERATOR (not on `core`'s list); carol is signed in
/// and belongs to nothing.
struct World {
    app: TestApp,
    alice: Person,
    bob: Person,
    carol: Person,
    dave: Person,
    community: String,
    open: String,
    core: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
    let carol = app.person("carol").await;
    let dave = app.person("dave").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let community = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    app.enroll(&alice, &community, &bob).await;
    app.enroll(&alice, &community, &dave).await;
    app.grant(&alice, &community, &dave, "MODERATOR").await;
    let open = app.space(&alice, &community, "open", "PUBLIC").await;
    let core = app.space(&alice, &community, "core", "PRIVATE").await;
    app.add_to_space(&alice, &core, &bob).await;
    World {
        app,
        alice,
        bob,
        carol,
        dave,
        community,
        open,
        core,
    }
}

/// The topic of a thread's posts.
fn thread_topic(thread: &str) -> Topic {
    Topic::Thread(ThreadId::from(uuid_of(thread)))
}

/// The topic of a space's activity.
fn space_topic(space: &str) -> Topic {
    Topic::Space(SpaceId::from(uuid_of(space)))
}

impl World {
    async fn thread(&self, space: &str) -> (String, String) {
        let started = self
            .app
            .gql(
                Some(&self.alice.token),
                START,
                json!({"s": space, "t": "t"}),
            )
            .await;
        started.ok();
        (
            started.str("/startThread/thread/id"),
            started.str("/startThread/post/id"),
        )
    }

    async fn post(&self, who: &Person, thread: &str, body: &str) -> String {
        self.app
            .must(
                who,
                POST,
                json!({"t": thread, "b": body}),
                "/createPost/post/id",
            )
            .await
    }

    /// Proves that `client` receives nothing of `secret_thread` any more: subscribes it (as
    /// `id`) to a thread it may read, posts in the secret thread, then in the readable one;
    /// the first thing to arrive must be the readable post. Events are delivered in the order
    /// they are published, so a leak would arrive first.
    async fn nothing_more_arrives_from(
        &self,
        client: &mut WsClient,
        id: &str,
        secret_thread: &str,
    ) {
        let (sentinel, _) = self.thread(&self.open).await;
        client.subscribe(id, ADDED, json!({"t": sentinel})).await;
        self.app.subscribed(thread_topic(&sentinel), 1).await;
        self.post(&self.alice, secret_thread, "secret").await;
        self.post(&self.alice, &sentinel, "sentinel").await;
        let payload = client.expect_next(id).await;
        assert_eq!(
            data(&payload, "/postAdded/body"),
            json!("sentinel"),
            "{payload}"
        );
    }
}

/// The subscription ends with `NOT_FOUND`: a `next` carrying the error, then `complete`.
async fn ends_not_found(client: &mut WsClient, id: &str) {
    let payload = client.expect_next(id).await;
    assert_eq!(
        error_code(&payload).as_deref(),
        Some("NOT_FOUND"),
        "{payload}"
    );
    match client.next(WAIT).await {
        WsEvent::Message(m) => assert_eq!(
            (m["type"].as_str(), m["id"].as_str()),
            (Some("complete"), Some(id)),
            "{m}"
        ),
        other => panic!("expected complete, got {other:?}"),
    }
}

fn data(payload: &Value, pointer: &str) -> Value {
    payload
        .pointer(&format!("/data{pointer}"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn error_code(payload: &Value) -> Option<String> {
    payload
        .pointer("/errors/0/extensions/code")
        .or_else(|| payload.pointer("/0/extensions/code"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The operation fails with `code` and ends: an `error` message, or a `next` carrying the
/// error followed by `complete`.
async fn expect_failure(client: &mut WsClient, id: &str, code: &str) {
    match client.next(WAIT).await {
        WsEvent::Message(m) if m["id"] == id && m["type"] == "error" => {
            assert_eq!(error_code(&m["payload"]).as_deref(), Some(code), "{m}");
        }
        WsEvent::Message(m) if m["id"] == id && m["type"] == "next" => {
            assert_eq!(error_code(&m["payload"]).as_deref(), Some(code), "{m}");
            match client.next(WAIT).await {
                WsEvent::Message(m) => assert_eq!(
                    (m["type"].as_str(), m["id"].as_str()),
                    (Some("complete"), Some(id)),
                    "{m}"
                ),
                other => panic!("expected complete, got {other:?}"),
            }
        }
        other => panic!("expected {code} for {id}, got {other:?}"),
    }
}

#[tokio::test]
async fn subscriber_receives_new_posts_until_it_completes() {
    let w = world().await;
    let (thread, _) = w.thread(&w.open).await;
    let mut anonymous = w.app.subscriber(None).await;
    anonymous.subscribe("1", ADDED, json!({"t": thread})).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("a", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 2).await;
    let post = w.post(&w.alice, &thread, "hello *world*").await;
    for (client, id) in [(&mut anonymous, "1"), (&mut bob, "a")] {
        let payload = client.expect_next(id).await;
        assert_eq!(data(&payload, "/postAdded/id"), json!(post));
        assert_eq!(data(&payload, "/postAdded/body"), json!("hello *world*"));
        assert_eq!(data(&payload, "/postAdded/author/id"), json!(w.alice.id));
    }
    bob.complete("a").await;
    match bob.next(WAIT).await {
        WsEvent::Message(m) => assert_eq!(
            (m["type"].as_str(), m["id"].as_str()),
            (Some("complete"), Some("a")),
            "{m}"
        ),
        other => panic!("expected complete, got {other:?}"),
    }
    // Completed on the server too: only the anonymous subscriber is left on the thread.
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.nothing_more_arrives_from(&mut bob, "b", &thread).await;
    let again = anonymous.expect_next("1").await;
    assert_eq!(data(&again, "/postAdded/body"), json!("secret"));
}

#[tokio::test]
async fn bad_credentials_close_the_socket_with_4403() {
    let w = world().await;
    let mut bad_payload = w.app.ws("graphql-transport-ws", None).await;
    bad_payload
        .send(
            json!({"type": "connection_init", "payload": {"authorization": "Bearer not-a-token"}}),
        )
        .await;
    assert_eq!(bad_payload.next(WAIT).await, WsEvent::Closed(Some(4403)));

    let mut bad_header = w
        .app
        .ws("graphql-transport-ws", Some("Bearer forged.token.here"))
        .await;
    bad_header.send(json!({"type": "connection_init"})).await;
    assert_eq!(bad_header.next(WAIT).await, WsEvent::Closed(Some(4403)));

    let mut legacy = w.app.ws("graphql-ws", None).await;
    legacy
        .send(json!({"type": "connection_init", "payload": {"authorization": "Bearer nope"}}))
        .await;
    assert_eq!(legacy.next(WAIT).await, WsEvent::Closed(Some(4403)));

    // A valid token in the upgrade header works without a payload.
    let mut header = w
        .app
        .ws(
            "graphql-transport-ws",
            Some(&format!("Bearer {}", w.bob.token)),
        )
        .await;
    header.send(json!({"type": "connection_init"})).await;
    assert!(
        matches!(header.next(WAIT).await, WsEvent::Message(m) if m["type"] == "connection_ack")
    );
}

#[tokio::test]
async fn subscribing_to_what_the_caller_may_not_read_is_not_found() {
    let w = world().await;
    let (private_thread, _) = w.thread(&w.core).await;
    let mut carol = w.app.subscriber(Some(&w.carol.token)).await;
    carol
        .subscribe("x", ADDED, json!({"t": private_thread}))
        .await;
    expect_failure(&mut carol, "x", "NOT_FOUND").await;
    carol.subscribe("y", ADDED, json!({"t": "nonsense"})).await;
    expect_failure(&mut carol, "y", "BAD_USER_INPUT").await;
    let mut anonymous = w.app.subscriber(None).await;
    anonymous.subscribe("n", NOTIFIED, json!({})).await;
    expect_failure(&mut anonymous, "n", "UNAUTHENTICATED").await;
    // Nothing of the private thread reaches carol afterwards.
    w.nothing_more_arrives_from(&mut carol, "z", &private_thread)
        .await;
}

#[tokio::test]
async fn member_removed_from_a_private_space_stops_receiving_at_once() {
    let w = world().await;
    let (thread, _) = w.thread(&w.core).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("p", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "for the core group").await;
    bob.expect_next("p").await;
    w.app.remove_from_space(&w.alice, &w.core, &w.bob).await;
    // The removal ends the subscription with NOT_FOUND ...
    ends_not_found(&mut bob, "p").await;
    // ... a new one is refused ...
    bob.subscribe("q", ADDED, json!({"t": thread})).await;
    expect_failure(&mut bob, "q", "NOT_FOUND").await;
    // ... and nothing of the space reaches bob any more.
    w.nothing_more_arrives_from(&mut bob, "r", &thread).await;
}

#[tokio::test]
async fn post_changes_and_space_activity_are_delivered() {
    let w = world().await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("s", ACTIVITY, json!({"s": w.open})).await;
    w.app.subscribed(space_topic(&w.open), 1).await;
    let (thread, first) = w.thread(&w.open).await;
    let started = bob.expect_next("s").await;
    assert_eq!(
        data(&started, "/spaceActivity/kind"),
        json!("THREAD_STARTED")
    );
    assert_eq!(data(&started, "/spaceActivity/thread/id"), json!(thread));
    bob.subscribe("c", CHANGED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "second").await;
    let added = bob.expect_next("s").await;
    assert_eq!(data(&added, "/spaceActivity/kind"), json!("POST_ADDED"));
    assert_eq!(data(&added, "/spaceActivity/post/body"), json!("second"));
    w.app
        .must(
            &w.alice,
            "mutation($p: ID!) { editPost(input: {postId: $p, body: \"edited\"}) { post { id } } }",
            json!({"p": first}),
            "/editPost/post/id",
        )
        .await;
    let edited = bob.expect_next("c").await;
    assert_eq!(data(&edited, "/postChanged/change"), json!("EDITED"));
    assert_eq!(data(&edited, "/postChanged/post/body"), json!("edited"));
    w.app
        .must(
            &w.bob,
            "mutation($p: ID!) { addReaction(input: {postId: $p, emoji: HEART}) { post { id } } }",
            json!({"p": first}),
            "/addReaction/post/id",
        )
        .await;
    let reacted = bob.expect_next("c").await;
    assert_eq!(data(&reacted, "/postChanged/change"), json!("REACTIONS"));
    assert_eq!(
        data(&reacted, "/postChanged/post/reactions"),
        json!([{"emoji": "HEART", "count": 1}])
    );
}

#[tokio::test]
async fn a_mention_arrives_as_a_live_notification() {
    let w = world().await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("n", NOTIFIED, json!({})).await;
    w.app
        .subscribed(Topic::Person(uuid_of(&w.bob.id).into()), 1)
        .await;
    let started = w
        .app
        .gql(
            Some(&w.alice.token),
            START,
            json!({"s": w.open, "t": "hi", "m": [w.bob.id]}),
        )
        .await;
    started.ok();
    let payload = bob.expect_next("n").await;
    assert_eq!(data(&payload, "/notificationAdded/kind"), json!("MENTION"));
    assert_eq!(
        data(&payload, "/notificationAdded/post/id"),
        json!(started.str("/startThread/post/id"))
    );
}

#[tokio::test]
async fn legacy_graphql_ws_clients_are_served_too() {
    let w = world().await;
    let (thread, _) = w.thread(&w.open).await;
    let mut legacy = w.app.ws("graphql-ws", None).await;
    legacy
        .send(json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {}", w.bob.token)}}))
        .await;
    assert!(
        matches!(legacy.next(WAIT).await, WsEvent::Message(m) if m["type"] == "connection_ack")
    );
    legacy.subscribe("1", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "old protocol").await;
    let payload = legacy.expect_next("1").await;
    assert_eq!(data(&payload, "/postAdded/body"), json!("old protocol"));
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_gets_slow_consumer_and_the_subscription_ends() {
    let w = world().await;
    let (thread, first) = w.thread(&w.open).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("a", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    // A burst larger than the per-subscription buffer (256), faster than any client reads.
    let template = post_snapshot(&w, &first).await;
    for _ in 0..300 {
        w.app
            .publish(copnet_domain::event::Event::PostAdded {
                community: template.0,
                space: template.1,
                thread: template.3.clone(),
                post: template.2.clone(),
            })
            .await;
    }
    let payload = bob.expect_next("a").await;
    assert_eq!(
        error_code(&payload).as_deref(),
        Some("SLOW_CONSUMER"),
        "{payload}"
    );
    match bob.next(WAIT).await {
        WsEvent::Message(m) => assert_eq!(m["type"], "complete", "{m}"),
        other => panic!("expected complete, got {other:?}"),
    }
    // The connection itself stays usable.
    w.app.subscribed(thread_topic(&thread), 0).await;
    bob.subscribe("b", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "after the burst").await;
    let again = bob.expect_next("b").await;
    assert_eq!(data(&again, "/postAdded/body"), json!("after the burst"));
}

/// The community, space and stored post of `post`, to replay as synthetic events.
async fn post_snapshot(
    w: &World,
    post: &str,
) -> (
    copnet_domain::ids::CommunityId,
    SpaceId,
    copnet_domain::model::Post,
    copnet_domain::model::Thread,
) {
    let raw = uuid_of;
    let read = w
        .app
        .gql(
            Some(&w.alice.token),
            "query($p: ID!) { node(id: $p) { ... on Post { thread { id space { id community { id } } } } } }",
            json!({"p": post}),
        )
        .await;
    let thread = raw(&read.str("/node/thread/id"));
    let space = raw(&read.str("/node/thread/space/id"));
    let community = raw(&read.str("/node/thread/space/community/id"));
    let now = chrono::Utc::now();
    let snapshot = copnet_domain::model::Post {
        id: raw(post).into(),
        thread_id: thread.into(),
        author_id: copnet_domain::ids::PersonId::generate(),
        body: "burst".into(),
        body_html: "<p>burst</p>".into(),
        reply_to: None,
        hidden: false,
        deleted: false,
        created_at: now,
        edited_at: None,
    };
    let thread_snapshot = copnet_domain::model::Thread {
        id: thread.into(),
        space_id: space.into(),
        author_id: snapshot.author_id,
        title: "t".into(),
        pinned: false,
        locked: false,
        created_at: now,
        last_activity_at: now,
        last_post_id: snapshot.id,
        post_count: 1,
    };
    (community.into(), space.into(), snapshot, thread_snapshot)
}

#[tokio::test]
async fn parse_validation_and_limit_errors_carry_their_codes_over_websocket_too() {
    let app = TestApp::spawn_with(|s| s.max_query_depth = 2).await;
    let mut client = app.subscriber(None).await;
    for (id, document, code) in [
        ("parse", "subscription { postAdded(", "BAD_USER_INPUT"),
        (
            "validation",
            "subscription { postAddedz(threadId: \"x\") { id } }",
            "BAD_USER_INPUT",
        ),
        ("query", "{ networkz { totalCount } }", "BAD_USER_INPUT"),
        (
            "limit",
            "{ networks { nodes { communities { totalCount } } } }",
            "LIMIT_EXCEEDED",
        ),
    ] {
        client.subscribe(id, document, json!({})).await;
        expect_failure(&mut client, id, code).await;
    }
}

const REMOVE: &str = "mutation($c: ID!, $p: ID!) { removeMember(input: {communityId: $c, personId: $p}) { membership { id } } }";
const LEAVE: &str =
    "mutation($c: ID!) { leaveCommunity(input: {communityId: $c}) { membership { id } } }";
const COMMUNITY_VISIBILITY: &str = "mutation($c: ID!, $v: Visibility) { updateCommunity(input: {communityId: $c, visibility: $v}) { community { id } } }";
const SPACE_VISIBILITY: &str = "mutation($s: ID!, $v: SpaceVisibility) { updateSpace(input: {spaceId: $s, visibility: $v}) { space { id } } }";
const REVOKE_ROLE: &str = "mutation($c: ID!, $p: ID!) { revokeRole(input: {communityId: $c, personId: $p, role: MODERATOR}) { membership { id } } }";

impl World {
    /// `who` (anonymous when `None`) subscribed to a new thread of `space`, live.
    async fn watching(&self, who: Option<&Person>, space: &str) -> (WsClient, String) {
        let (thread, _) = self.thread(space).await;
        let mut client = self.app.subscriber(who.map(|p| p.token.as_str())).await;
        client.subscribe("w", ADDED, json!({"t": thread})).await;
        self.app.subscribed(thread_topic(&thread), 1).await;
        (client, thread)
    }
}

#[tokio::test]
async fn removing_a_member_ends_their_subscriptions_with_not_found() {
    let w = world().await;
    let (mut bob, _) = w.watching(Some(&w.bob), &w.core).await;
    w.app
        .must(
            &w.alice,
            REMOVE,
            json!({"c": w.community, "p": w.bob.id}),
            "/removeMember/membership/id",
        )
        .await;
    ends_not_found(&mut bob, "w").await;
}

#[tokio::test]
async fn leaving_a_community_ends_the_leavers_subscriptions_with_not_found() {
    let w = world().await;
    let (mut bob, _) = w.watching(Some(&w.bob), &w.core).await;
    w.app
        .must(
            &w.bob,
            LEAVE,
            json!({"c": w.community}),
            "/leaveCommunity/membership/id",
        )
        .await;
    ends_not_found(&mut bob, "w").await;
}

#[tokio::test]
async fn a_community_turned_private_ends_the_subscriptions_of_outsiders() {
    let w = world().await;
    let (mut carol, thread) = w.watching(Some(&w.carol), &w.open).await;
    let mut anonymous = w.app.subscriber(None).await;
    anonymous.subscribe("a", ADDED, json!({"t": thread})).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("b", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 3).await;
    w.app
        .must(
            &w.alice,
            COMMUNITY_VISIBILITY,
            json!({"c": w.community, "v": "PRIVATE"}),
            "/updateCommunity/community/id",
        )
        .await;
    ends_not_found(&mut carol, "w").await;
    ends_not_found(&mut anonymous, "a").await;
    // A member keeps receiving.
    w.post(&w.alice, &thread, "members only now").await;
    let payload = bob.expect_next("b").await;
    assert_eq!(data(&payload, "/postAdded/body"), json!("members only now"));
}

#[tokio::test]
async fn a_space_turned_members_only_ends_the_subscriptions_of_outsiders() {
    let w = world().await;
    let (mut carol, thread) = w.watching(Some(&w.carol), &w.open).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("b", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 2).await;
    w.app
        .must(
            &w.alice,
            SPACE_VISIBILITY,
            json!({"s": w.open, "v": "MEMBERS"}),
            "/updateSpace/space/id",
        )
        .await;
    ends_not_found(&mut carol, "w").await;
    w.post(&w.alice, &thread, "members only now").await;
    let payload = bob.expect_next("b").await;
    assert_eq!(data(&payload, "/postAdded/body"), json!("members only now"));
}

#[tokio::test]
async fn revoking_the_role_that_granted_reading_ends_the_subscription() {
    let w = world().await;
    // dave reads the private space as a MODERATOR, not from its list.
    let (mut dave, _) = w.watching(Some(&w.dave), &w.core).await;
    w.app
        .must(
            &w.alice,
            REVOKE_ROLE,
            json!({"c": w.community, "p": w.dave.id}),
            "/revokeRole/membership/id",
        )
        .await;
    ends_not_found(&mut dave, "w").await;
}

#[tokio::test]
async fn a_revoked_api_key_closes_its_open_socket_with_4403() {
    let w = world().await;
    let org = w
        .app
        .gql(
            Some(&w.alice.token),
            "{ organization(slug: \"acme\") { id } }",
            json!({}),
        )
        .await
        .str("/organization/id");
    let created = w
        .app
        .gql(
            Some(&w.alice.token),
            "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"sync\", scopes: [READ_HOSTED]}) { serviceAccount { id } token } }",
            json!({"o": org}),
        )
        .await;
    created.ok();
    let (account, key) = (
        created.str("/createServiceAccount/serviceAccount/id"),
        created.str("/createServiceAccount/token"),
    );
    let (thread, _) = w.thread(&w.open).await;
    let mut client = w.app.subscriber(Some(&key)).await;
    client
        .subscribe("q", "{ viewerServiceAccount { id } }", json!({}))
        .await;
    let answer = client.expect_next("q").await;
    assert_eq!(data(&answer, "/viewerServiceAccount/id"), json!(account));
    assert!(matches!(client.next(WAIT).await, WsEvent::Message(m) if m["type"] == "complete"));
    client.subscribe("w", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.app
        .must(
            &w.alice,
            "mutation($a: ID!) { revokeServiceAccount(input: {serviceAccountId: $a}) { serviceAccount { id } } }",
            json!({"a": account}),
            "/revokeServiceAccount/serviceAccount/id",
        )
        .await;
    assert_eq!(client.next(WAIT).await, WsEvent::Closed(Some(4403)));
    // Its subscription went with the socket, and the key opens no new one.
    w.app.subscribed(thread_topic(&thread), 0).await;
    let mut again = w.app.ws("graphql-transport-ws", None).await;
    again
        .send(json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {key}")}}))
        .await;
    assert_eq!(again.next(WAIT).await, WsEvent::Closed(Some(4403)));
}

#[tokio::test]
async fn a_token_that_expires_closes_its_open_socket_with_4403() {
    let w = world().await;
    let (thread, _) = w.thread(&w.open).await;
    let token = w.app.token_for("bob", Duration::from_secs(2));
    let opened = std::time::Instant::now();
    let mut client = w.app.subscriber(Some(&token)).await;
    client.subscribe("q", "{ viewer { id } }", json!({})).await;
    let answer = client.expect_next("q").await;
    assert_eq!(data(&answer, "/viewer/id"), json!(w.bob.id));
    assert!(matches!(client.next(WAIT).await, WsEvent::Message(m) if m["type"] == "complete"));
    client.subscribe("w", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    // `exp` has one-second resolution: the token ends one to two seconds from now.
    assert_eq!(
        client.next(Duration::from_secs(6)).await,
        WsEvent::Closed(Some(4403))
    );
    assert!(
        opened.elapsed() >= Duration::from_millis(900),
        "{:?}",
        opened.elapsed()
    );
    w.app.subscribed(thread_topic(&thread), 0).await;
}
