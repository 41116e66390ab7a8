//! Post streams resume without loss: `postAdded(after:)` and `spaceActivity(after:)` replay
//! what was committed after the client's cursor, in order, then go on live, with no gap and
//! no duplicate at the seam.

use std::time::Duration;

use copnet_domain::{
    event::Topic,
    ids::{PersonId, PostId, SpaceId, ThreadId},
    model::Post,
};
use copnet_tests::{
    TestApp,
    fixtures::Person,
    uuid_of,
    ws::{WsClient, WsEvent},
};
use serde_json::{Value, json};

const ADDED: &str =
    "subscription($t: ID!, $a: String) { postAdded(threadId: $t, after: $a) { id body cursor } }";
const ACTIVITY: &str = "subscription($s: ID!, $a: String) { spaceActivity(spaceId: $s, after: $a) { kind thread { id } post { body cursor } } }";
const START: &str = "mutation($s: ID!, $t: String!) { startThread(input: {spaceId: $s, title: $t, body: $t}) { thread { id } post { cursor } } }";
const POST: &str = "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { cursor } } }";

struct World {
    app: TestApp,
    alice: Person,
    bob: Person,
    space: String,
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
    let space = app.space(&alice, &community, "open", "MEMBERS").await;
    World {
        app,
        alice,
        bob,
        space,
    }
}

impl World {
    /// Starts a thread; returns its id and its first post's cursor.
    async fn thread(&self, title: &str) -> (String, String) {
        let started = self
            .app
            .gql(
                Some(&self.alice.token),
                START,
                json!({"s": self.space, "t": title}),
            )
            .await;
        started.ok();
        (
            started.str("/startThread/thread/id"),
            started.str("/startThread/post/cursor"),
        )
    }

    /// Writes a post; returns its cursor.
    async fn post(&self, thread: &str, body: &str) -> String {
        self.app
            .must(
                &self.alice,
                POST,
                json!({"t": thread, "b": body}),
                "/createPost/post/cursor",
            )
            .await
    }
}

fn thread_topic(thread: &str) -> Topic {
    Topic::Thread(ThreadId::from(uuid_of(thread)))
}

fn at(payload: &Value, pointer: &str) -> Value {
    payload
        .pointer(&format!("/data{pointer}"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The bodies of the next `n` `postAdded` items of `id`.
async fn bodies(client: &mut WsClient, id: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let payload = client.expect_next(id).await;
        let body = at(&payload, "/postAdded/body");
        out.push(
            body.as_str()
                .unwrap_or_else(|| panic!("{payload}"))
                .to_owned(),
        );
    }
    out
}

#[tokio::test]
async fn a_client_that_reconnects_with_its_cursor_receives_exactly_the_posts_it_missed_in_order() {
    let w = world().await;
    let (thread, _) = w.thread("t").await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("1", ADDED, json!({"t": thread})).await;
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&thread, "seen").await;
    let seen = bob.expect_next("1").await;
    let cursor = at(&seen, "/postAdded/cursor");
    // The client goes away; 20 posts are written meanwhile.
    drop(bob);
    w.app.subscribed(thread_topic(&thread), 0).await;
    let missed: Vec<String> = (0..20).map(|i| format!("missed {i}")).collect();
    for body in &missed {
        w.post(&thread, body).await;
    }
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("2", ADDED, json!({"t": thread, "a": cursor}))
        .await;
    assert_eq!(bodies(&mut bob, "2", 20).await, missed);
    // Then live, and nothing twice.
    w.app.subscribed(thread_topic(&thread), 1).await;
    w.post(&thread, "live").await;
    assert_eq!(bodies(&mut bob, "2", 1).await, ["live"]);
}

#[tokio::test]
async fn resuming_while_posts_are_being_written_leaves_no_gap_and_no_duplicate_at_the_seam() {
    let w = std::sync::Arc::new(world().await);
    let (thread, _) = w.thread("t").await;
    let mut cursors = Vec::new();
    for i in 0..5 {
        cursors.push(w.post(&thread, &format!("post {i}")).await);
    }
    // A writer keeps posting while the client resumes after post 2.
    let writer = {
        let (w, thread) = (std::sync::Arc::clone(&w), thread.clone());
        tokio::spawn(async move {
            for i in 5..60 {
                w.post(&thread, &format!("post {i}")).await;
            }
        })
    };
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("1", ADDED, json!({"t": thread, "a": cursors[2]}))
        .await;
    let received = bodies(&mut bob, "1", 57).await;
    writer.await.unwrap();
    let expected: Vec<String> = (3..60).map(|i| format!("post {i}")).collect();
    assert_eq!(received, expected);
    // Nothing else is on its way (a duplicate would be).
    w.post(&thread, "last").await;
    assert_eq!(bodies(&mut bob, "1", 1).await, ["last"]);
}

#[tokio::test]
async fn space_activity_resumes_after_a_cursor_across_threads() {
    let w = world().await;
    let (first, cursor) = w.thread("first").await;
    w.post(&first, "one").await;
    let (second, _) = w.thread("second").await;
    w.post(&first, "two").await;
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("s", ACTIVITY, json!({"s": w.space, "a": cursor}))
        .await;
    let mut got = Vec::new();
    for _ in 0..3 {
        let payload = bob.expect_next("s").await;
        got.push((
            at(&payload, "/spaceActivity/kind"),
            at(&payload, "/spaceActivity/post/body"),
            at(&payload, "/spaceActivity/thread/id"),
        ));
    }
    assert_eq!(
        got,
        [
            (json!("POST_ADDED"), json!("one"), json!(first)),
            (json!("THREAD_STARTED"), json!("second"), json!(second)),
            (json!("POST_ADDED"), json!("two"), json!(first)),
        ]
    );
    w.app
        .subscribed(Topic::Space(SpaceId::from(uuid_of(&w.space))), 1)
        .await;
    w.post(&second, "live").await;
    let live = bob.expect_next("s").await;
    assert_eq!(at(&live, "/spaceActivity/post/body"), json!("live"));
}

#[tokio::test]
async fn a_cursor_more_than_500_posts_behind_is_slow_consumer_and_a_bad_one_is_bad_input() {
    let w = world().await;
    let (thread, cursor) = w.thread("t").await;
    // 501 posts, written straight through the repository (faster than 501 requests).
    let repos = copnet_infra::Store::new(w.app.database()).repos();
    let thread_id = ThreadId::from(uuid_of(&thread));
    let author = PersonId::from(uuid_of(&w.alice.id));
    for i in 0..501 {
        let post = Post {
            id: PostId::generate(),
            thread_id,
            author_id: author,
            body: format!("bulk {i}"),
            body_html: format!("<p>bulk {i}</p>"),
            reply_to: None,
            hidden: false,
            deleted: false,
            created_at: chrono::Utc::now(),
            edited_at: None,
        };
        repos
            .discussions
            .create_post(&post, &[], &[])
            .await
            .unwrap();
    }
    let mut bob = w.app.subscriber(Some(&w.bob.token)).await;
    bob.subscribe("1", ADDED, json!({"t": thread, "a": cursor}))
        .await;
    let payload = bob.expect_next("1").await;
    assert_eq!(
        payload.pointer("/errors/0/extensions/code"),
        Some(&json!("SLOW_CONSUMER")),
        "{payload}"
    );
    assert!(
        matches!(bob.next(Duration::from_secs(5)).await, WsEvent::Message(m) if m["type"] == "complete")
    );
    bob.subscribe("2", ADDED, json!({"t": thread, "a": "not a cursor"}))
        .await;
    match bob.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) if m["id"] == "2" => {
            let code = m
                .pointer("/payload/0/extensions/code")
                .or_else(|| m.pointer("/payload/errors/0/extensions/code"));
            assert_eq!(code, Some(&json!("BAD_USER_INPUT")), "{m}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
}
