//! Discussions through HTTP: every mutation's success, denial and bad-input paths, reading
//! rules for threads and posts, notifications, and the XSS set.

mod moderation;
mod notifications;
mod posting;
mod xss;

use copnet_tests::{Gql, TestApp, fixtures::Person};
use serde_json::{Value, json};

pub const START: &str = "mutation($s: ID!, $t: String!, $b: String!, $m: [ID!]) {
    startThread(input: {spaceId: $s, title: $t, body: $b, mentionIds: $m}) {
        thread { id title postCount author { id } } post { id body bodyHtml } } }";
pub const POST: &str = "mutation($t: ID!, $b: String!, $r: ID, $m: [ID!]) {
    createPost(input: {threadId: $t, body: $b, replyToId: $r, mentionIds: $m}) { post { id body replyTo { id } } } }";

/// alice manages the public community `garden` (public network `net`) with spaces `open`
/// (PUBLIC), `lounge` (MEMBERS) and `core` (PRIVATE); bob is a member, mod a MODERATOR,
/// carol is signed in and belongs to nothing.
pub struct World {
    pub app: TestApp,
    pub alice: Person,
    pub bob: Person,
    pub moderator: Person,
    pub carol: Person,
    pub community: String,
    pub open: String,
    pub lounge: String,
    pub core: String,
}

pub async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
    let moderator = app.person("mod").await;
    let carol = app.person("carol").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let community = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    app.enroll(&alice, &community, &bob).await;
    app.enroll(&alice, &community, &moderator).await;
    app.grant(&alice, &community, &moderator, "MODERATOR").await;
    let open = app.space(&alice, &community, "open", "PUBLIC").await;
    let lounge = app.space(&alice, &community, "lounge", "MEMBERS").await;
    let core = app.space(&alice, &community, "core", "PRIVATE").await;
    World {
        app,
        alice,
        bob,
        moderator,
        carol,
        community,
        open,
        lounge,
        core,
    }
}

impl World {
    pub async fn run(&self, who: Option<&Person>, query: &str, variables: Value) -> Gql {
        self.app
            .gql(who.map(|p| p.token.as_str()), query, variables)
            .await
    }

    /// Starts a thread as `who` in `space`; returns (thread id, first post id).
    pub async fn thread(&self, who: &Person, space: &str, title: &str) -> (String, String) {
        let started = self
            .run(
                Some(who),
                START,
                json!({"s": space, "t": title, "b": format!("First post of {title}")}),
            )
            .await;
        started.ok();
        (
            started.str("/startThread/thread/id"),
            started.str("/startThread/post/id"),
        )
    }

    /// Posts as `who`; returns the post id.
    pub async fn post(&self, who: &Person, thread: &str, body: &str) -> String {
        let posted = self
            .run(Some(who), POST, json!({"t": thread, "b": body}))
            .await;
        posted.ok();
        posted.str("/createPost/post/id")
    }

    /// Reads a node as `who`.
    pub async fn node(&self, who: Option<&Person>, id: &str, fields: &str) -> Gql {
        self.run(
            who,
            &format!("query($id: ID!) {{ node(id: $id) {{ id {fields} }} }}"),
            json!({"id": id}),
        )
        .await
    }
}
