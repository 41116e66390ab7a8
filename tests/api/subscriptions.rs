//! Subscriptions through a real WebSocket client: subscribe, receive, complete; bad
//! credentials; forbidden subscriptions; rights checked at delivery; back-pressure.

use std::time::Duration;

use copnet_tests::{
    TestApp,
    fixtures::Person,
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
const QUIET: Duration = Duration::from_millis(400);

/// alice manages `garden` with spaces `open` (PUBLIC) and `core` (PRIVATE; bob is on its
/// list); bob is a member; carol is signed in and belongs to nothing.
struct World {
    app: TestApp,
    alice: Person,
    bob: Person,
    carol: Person,
    open: String,
    core: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
    let carol = app.person("carol").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let community = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    app.enroll(&alice, &community, &bob).await;
    let open = app.space(&alice, &community, "open", "PUBLIC").await;
    let core = app.space(&alice, &community, "core", "PRIVATE").await;
    app.add_to_space(&alice, &core, &bob).await;
    World {
        app,
        alice,
        bob,
        carol,
        open,
        core,
    }
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
    tokio::time::sleep(Duration::from_millis(100)).await;
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
    w.post(&w.alice, &thread, "again").await;
    anonymous.expect_next("1").await;
    bob.expect_silence(QUIET).await;
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
    // Nothing of the private thread leaks afterwards.
    w.post(&w.alice, &private_thread, "secret").await;
    carol.expect_silence(QUIET).await;
}

#[tokio::test]
async fn member_removed_from_a_private_space_stops_receiving_at_once() {
    let w = world().await;
    let (thread, _) = w.thread(&w.core).await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("p", ADDED, json!({"t": thread})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    w.post(&w.alice, &thread, "for the core group").await;
    bob.expect_next("p").await;
    w.app
        .must(
            &w.alice,
            "mutation($s: ID!, $p: ID!) { removeSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }",
            json!({"s": w.core, "p": w.bob.id}),
            "/removeSpaceMember/space/id",
        )
        .await;
    // The removal ends the subscription with NOT_FOUND ...
    let payload = bob.expect_next("p").await;
    assert_eq!(
        error_code(&payload).as_deref(),
        Some("NOT_FOUND"),
        "{payload}"
    );
    match bob.next(WAIT).await {
        WsEvent::Message(m) => assert_eq!(m["type"], "complete", "{m}"),
        other => panic!("expected complete, got {other:?}"),
    }
    // ... and nothing of the space reaches bob any more.
    w.post(&w.alice, &thread, "secret").await;
    bob.expect_silence(QUIET).await;
}

#[tokio::test]
async fn post_changes_and_space_activity_are_delivered() {
    let w = world().await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("s", ACTIVITY, json!({"s": w.open})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (thread, first) = w.thread(&w.open).await;
    let started = bob.expect_next("s").await;
    assert_eq!(
        data(&started, "/spaceActivity/kind"),
        json!("THREAD_STARTED")
    );
    assert_eq!(data(&started, "/spaceActivity/thread/id"), json!(thread));
    bob.subscribe("c", CHANGED, json!({"t": thread})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
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
    tokio::time::sleep(Duration::from_millis(100)).await;
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
    tokio::time::sleep(Duration::from_millis(100)).await;
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
    let mut quick = w.app.subscriber(Some(&w.alice.token)).await;
    quick.subscribe("q", ADDED, json!({"t": thread})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
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
    bob.subscribe("b", ADDED, json!({"t": thread})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    w.post(&w.alice, &thread, "after the burst").await;
    let again = bob.expect_next("b").await;
    assert_eq!(data(&again, "/postAdded/body"), json!("after the burst"));
    drop(quick);
}

/// The community, space and stored post of `post`, to replay as synthetic events.
async fn post_snapshot(
    w: &World,
    post: &str,
) -> (
    copnet_domain::ids::CommunityId,
    copnet_domain::ids::SpaceId,
    copnet_domain::model::Post,
    copnet_domain::model::Thread,
) {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let raw = |id: &str| -> uuid::Uuid {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).unwrap()).unwrap();
        uuid::Uuid::parse_str(text.split_once(':').unwrap().1).unwrap()
    };
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
