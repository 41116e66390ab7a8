//! Subscribers of the same subscription by the same caller share one execution
//! (multiplexing): one subscription to the event bus per group, the same payload for every
//! member, delivery costing the same statements for one subscriber or twenty; callers with
//! different rights never share; a subscription with a cursor is its subscriber's own. And
//! the WebSocket protocol's own rules (operation ids, the limit of operations).

use std::time::Duration;

use copnet_domain::{event::Topic, ids::ThreadId};
use copnet_tests::{
    TestApp,
    fixtures::Person,
    uuid_of,
    ws::{WsClient, WsEvent},
};
use futures_util::future::join_all;
use serde_json::{Value, json};

const ADDED: &str = "subscription($t: ID!) { postAdded(threadId: $t) { id body cursor viewerCanEdit author { displayName } } }";
const RESUMED: &str =
    "subscription($t: ID!, $a: String) { postAdded(threadId: $t, after: $a) { body } }";
const START: &str = "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"first\"}) { thread { id } } }";
const POST: &str = "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { id } } }";
const WAIT: Duration = Duration::from_secs(5);

/// alice manages a public community with a public space `open` and a private space `core`;
/// bob is a member on `core`'s list.
struct World {
    app: TestApp,
    alice: Person,
    bob: Person,
    open: String,
    core: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
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
        open,
        core,
    }
}

impl World {
    async fn thread(&self, space: &str) -> String {
        self.app
            .must(
                &self.alice,
                START,
                json!({"s": space}),
                "/startThread/thread/id",
            )
            .await
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

    /// `n` connections of `who` (anonymous when `None`, a caller with no subscription yet),
    /// each subscribed to `ADDED` on `thread`: the first opens a group, which the others
    /// then join.
    async fn subscribers(&self, who: Option<&Person>, thread: &str, n: usize) -> Vec<WsClient> {
        let open = self.app.open_group_count();
        let mut clients = Vec::with_capacity(n);
        for i in 0..n {
            let mut client = self.app.subscriber(who.map(|p| p.token.as_str())).await;
            client.subscribe("s", ADDED, json!({"t": thread})).await;
            clients.push(client);
            if i == 0 {
                self.app.open_groups(open + 1).await;
            }
        }
        clients
    }
}

fn thread_topic(thread: &str) -> Topic {
    Topic::Thread(ThreadId::from(uuid_of(thread)))
}

fn error_code(payload: &Value) -> Option<&str> {
    payload
        .pointer("/errors/0/extensions/code")
        .or_else(|| payload.pointer("/0/extensions/code"))
        .and_then(Value::as_str)
}

/// Posts once with `n` anonymous subscribers in one group; returns the statements from the
/// write until every subscriber received the post, and the payloads.
async fn deliver_to(n: usize) -> (u64, Vec<Value>) {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut clients = w.subscribers(None, &thread, n).await;
    w.app.grouped(n).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    let (statements, payloads) = w
        .app
        .count_statements(async {
            w.post(&w.alice, &thread, "to all").await;
            join_all(clients.iter_mut().map(|c| c.expect_next("s"))).await
        })
        .await;
    (statements, payloads)
}

#[tokio::test]
async fn anonymous_subscribers_of_one_operation_share_one_execution_and_one_payload() {
    let (one, _) = deliver_to(1).await;
    let (statements, payloads) = deliver_to(20).await;
    // One subscription to the bus (checked in `deliver_to`), one resolution: the author's
    // name is read once whatever the number of subscribers.
    assert_eq!(statements, one, "delivery to 20 cost more than to 1");
    assert_eq!(payloads.len(), 20);
    assert!(payloads.iter().all(|p| *p == payloads[0]), "{payloads:?}");
    assert_eq!(payloads[0]["data"]["postAdded"]["body"], json!("to all"));
    assert_eq!(
        payloads[0]["data"]["postAdded"]["viewerCanEdit"],
        json!(false)
    );
}

#[tokio::test]
async fn callers_with_different_rights_never_share_a_subscription() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut anonymous = w.subscribers(None, &thread, 2).await;
    let mut bob = w.subscribers(Some(&w.bob), &thread, 2).await;
    let mut alice = w.subscribers(Some(&w.alice), &thread, 1).await;
    w.app.grouped(5).await;
    // Three groups: anonymous callers, bob's connections, alice's.
    w.app.subscribed(thread_topic(&thread), 3).await;
    w.post(&w.bob, &thread, "bob's").await;
    for client in &mut anonymous {
        let payload = client.expect_next("s").await;
        assert_eq!(payload["data"]["postAdded"]["viewerCanEdit"], json!(false));
    }
    for client in &mut bob {
        let payload = client.expect_next("s").await;
        assert_eq!(payload["data"]["postAdded"]["viewerCanEdit"], json!(true));
    }
    let payload = alice[0].expect_next("s").await;
    assert_eq!(payload["data"]["postAdded"]["body"], json!("bob's"));
}

#[tokio::test]
async fn removing_a_member_ends_every_connection_of_theirs_and_no_one_elses() {
    let w = world().await;
    let thread = w.thread(&w.core).await;
    let mut bob = w.subscribers(Some(&w.bob), &thread, 2).await;
    let mut alice = w.subscribers(Some(&w.alice), &thread, 1).await;
    w.app.grouped(3).await;
    w.app.subscribed(thread_topic(&thread), 2).await;
    w.app.remove_from_space(&w.alice, &w.core, &w.bob).await;
    for client in &mut bob {
        let payload = client.expect_next("s").await;
        assert_eq!(error_code(&payload), Some("NOT_FOUND"), "{payload}");
        assert!(matches!(client.next(WAIT).await, WsEvent::Message(m) if m["type"] == "complete"));
    }
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "still here").await;
    let payload = alice[0].expect_next("s").await;
    assert_eq!(payload["data"]["postAdded"]["body"], json!("still here"));
    // bob subscribing again is refused, on its own.
    bob[0].subscribe("again", ADDED, json!({"t": thread})).await;
    let payload = bob[0].expect_next("again").await;
    assert_eq!(error_code(&payload), Some("NOT_FOUND"), "{payload}");
}

#[tokio::test]
async fn a_member_leaving_its_group_leaves_the_others_receiving() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut clients = w.subscribers(None, &thread, 3).await;
    w.app.grouped(3).await;
    clients[0].complete("s").await;
    assert!(matches!(clients[0].next(WAIT).await, WsEvent::Message(m) if m["type"] == "complete"));
    drop(clients.remove(1));
    w.app.grouped(1).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "for the last one").await;
    let payload = clients[1].expect_next("s").await;
    assert_eq!(
        payload["data"]["postAdded"]["body"],
        json!("for the last one")
    );
    clients[0].expect_silence(Duration::from_millis(300)).await;
    // The last member gone, the group ends.
    drop(clients);
    w.app.grouped(0).await;
    w.app.subscribed(thread_topic(&thread), 0).await;
}

#[tokio::test]
async fn a_subscription_with_a_cursor_is_its_subscribers_own() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let first = w.post(&w.alice, &thread, "seen").await;
    let cursor = w
        .app
        .gql(
            None,
            "query($p: ID!) { node(id: $p) { ... on Post { cursor } } }",
            json!({"p": first}),
        )
        .await
        .str("/node/cursor");
    w.post(&w.alice, &thread, "missed").await;
    // Two subscribers resuming from the same cursor, one after the other: each gets the
    // replay (the second does not join the first one's stream).
    let mut clients = Vec::new();
    for _ in 0..2 {
        let mut client = w.app.subscriber(None).await;
        client
            .subscribe("r", RESUMED, json!({"t": thread, "a": cursor}))
            .await;
        let payload = client.expect_next("r").await;
        assert_eq!(payload["data"]["postAdded"]["body"], json!("missed"));
        clients.push(client);
    }
    w.app.subscribed(thread_topic(&thread), 2).await;
}

#[tokio::test]
async fn an_operation_id_in_use_closes_the_connection_with_4409() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut client = w.app.subscriber(None).await;
    client.subscribe("x", ADDED, json!({"t": thread})).await;
    client.subscribe("x", ADDED, json!({"t": thread})).await;
    assert_eq!(client.next(WAIT).await, WsEvent::Closed(Some(4409)));
}

#[tokio::test]
async fn a_connection_runs_at_most_100_operations_at_once() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut client = w.app.subscriber(None).await;
    for i in 0..100 {
        client
            .subscribe(&format!("op{i}"), ADDED, json!({"t": thread}))
            .await;
        if i == 0 {
            w.app.open_groups(1).await;
        }
    }
    client
        .subscribe("one-too-many", ADDED, json!({"t": thread}))
        .await;
    match client.next(WAIT).await {
        WsEvent::Message(m) => {
            assert_eq!(
                (m["type"].as_str(), m["id"].as_str()),
                (Some("error"), Some("one-too-many")),
                "{m}"
            );
            assert_eq!(error_code(&m["payload"]), Some("LIMIT_EXCEEDED"), "{m}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    // The 100 run on: one group, all of them delivered.
    w.app.grouped(100).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "to the hundred").await;
    for i in 0..100 {
        let payload = client.expect_next(&format!("op{i}")).await;
        assert_eq!(
            payload["data"]["postAdded"]["body"],
            json!("to the hundred")
        );
    }
}

#[tokio::test]
async fn an_invalid_message_closes_the_connection_with_4400_and_a_ping_gets_a_pong() {
    let w = world().await;
    let mut client = w.app.subscriber(None).await;
    client.send(json!({"type": "ping"})).await;
    let mut socket = client.into_socket();
    use futures_util::StreamExt;
    match tokio::time::timeout(WAIT, socket.next()).await {
        Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text)))) => {
            assert_eq!(text.as_str(), r#"{"type":"pong"}"#);
        }
        other => panic!("expected a pong, got {other:?}"),
    }
    let mut client = w.app.subscriber(None).await;
    client.send(json!({"type": "no such message"})).await;
    assert_eq!(client.next(WAIT).await, WsEvent::Closed(Some(4400)));
}

#[tokio::test]
async fn a_subscription_nested_twenty_thousand_levels_deep_is_refused_and_the_server_lives_on() {
    let w = world().await;
    let thread = w.thread(&w.open).await;
    let mut client = w.app.subscriber(None).await;
    let deep = format!(
        "subscription {{ postAdded(threadId: \"{thread}\") {}id{} }}",
        "{ thread ".repeat(20_000),
        " }".repeat(20_000)
    );
    client.subscribe("deep", &deep, json!({})).await;
    let payload = client.expect_next("deep").await;
    assert_eq!(error_code(&payload), Some("LIMIT_EXCEEDED"), "{payload}");
    assert!(matches!(client.next(WAIT).await, WsEvent::Message(m) if m["type"] == "complete"));
    // The connection and the server go on.
    client.subscribe("s", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&w.alice, &thread, "still up").await;
    let payload = client.expect_next("s").await;
    assert_eq!(payload["data"]["postAdded"]["body"], json!("still up"));
}
