use serde_json::json;

use super::{POST, START, world};

const THREADS: &str = "query($s: ID!, $p: Boolean) { node(id: $s) { ... on Space { threads(pinned: $p) { totalCount nodes { title postCount lastActivityAt viewerUnreadCount viewerCanReply } } } } }";
const EDIT: &str = "mutation($p: ID!, $b: String!) { editPost(input: {postId: $p, body: $b}) { post { body editedAt revisions { totalCount nodes { body } } } } }";
const DELETE: &str =
    "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { deleted body bodyHtml } } }";
const REACT: &str = "mutation($p: ID!, $e: ReactionEmoji!) { addReaction(input: {postId: $p, emoji: $e}) { post { reactions { emoji symbol count viewerReacted } } } }";
const UNREACT: &str = "mutation($p: ID!, $e: ReactionEmoji!) { removeReaction(input: {postId: $p, emoji: $e}) { post { reactions { emoji count } } } }";
const READ: &str =
    "mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { viewerUnreadCount } } }";

#[tokio::test]
async fn member_starts_a_thread_and_others_reply_in_order() {
    let w = world().await;
    let started = w
        .run(
            Some(&w.bob),
            START,
            json!({"s": w.lounge, "t": "Seeds", "b": "Who has **seeds**?"}),
        )
        .await;
    started.ok();
    assert_eq!(started.at("/startThread/thread/postCount"), &json!(1));
    assert!(
        started
            .str("/startThread/post/bodyHtml")
            .contains("<strong>seeds</strong>")
    );
    let thread = started.str("/startThread/thread/id");
    let first = started.str("/startThread/post/id");
    let reply = w
        .run(
            Some(&w.alice),
            POST,
            json!({"t": thread, "b": "Me!", "r": first}),
        )
        .await;
    reply.ok();
    assert_eq!(reply.at("/createPost/post/replyTo/id"), &json!(first));
    w.post(&w.bob, &thread, "Thanks").await;
    let posts = w.node(Some(&w.carol), &thread, "").await;
    posts.expect_code("NOT_FOUND");
    let read = w
        .node(
            Some(&w.bob),
            &thread,
            "... on Thread { postCount posts { nodes { body author { id } } } }",
        )
        .await;
    assert_eq!(read.at("/node/postCount"), &json!(3));
    let bodies: Vec<&str> = read
        .at("/node/posts/nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Who has **seeds**?", "Me!", "Thanks"]);
    let replies = w
        .node(
            Some(&w.bob),
            &first,
            "... on Post { replies { totalCount } }",
        )
        .await;
    assert_eq!(replies.at("/node/replies/totalCount"), &json!(1));
}

#[tokio::test]
async fn threads_come_most_recently_active_first_and_pinned_ones_can_be_listed_apart() {
    let w = world().await;
    let (older, _) = w.thread(&w.bob, &w.open, "older").await;
    w.thread(&w.bob, &w.open, "newer").await;
    w.post(&w.alice, &older, "bump").await;
    let listed = w.run(None, THREADS, json!({"s": w.open})).await;
    listed.ok();
    let titles: Vec<&str> = listed
        .at("/node/threads/nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["older", "newer"]);
    w.run(
        Some(&w.moderator),
        "mutation($t: ID!) { pinThread(input: {threadId: $t}) { thread { pinned } } }",
        json!({"t": older}),
    )
    .await
    .ok();
    let pinned = w.run(None, THREADS, json!({"s": w.open, "p": true})).await;
    assert_eq!(pinned.at("/node/threads/totalCount"), &json!(1));
    let unpinned = w.run(None, THREADS, json!({"s": w.open, "p": false})).await;
    assert_eq!(unpinned.at("/node/threads/nodes/0/title"), &json!("newer"));
}

#[tokio::test]
async fn unread_counts_follow_the_read_marker() {
    let w = world().await;
    let (thread, _) = w.thread(&w.bob, &w.open, "news").await;
    w.post(&w.alice, &thread, "one").await;
    w.post(&w.alice, &thread, "two").await;
    let bob = w
        .node(Some(&w.bob), &thread, "... on Thread { viewerUnreadCount }")
        .await;
    assert_eq!(bob.at("/node/viewerUnreadCount"), &json!(2));
    let read = w.run(Some(&w.bob), READ, json!({"t": thread})).await;
    assert_eq!(
        read.at("/markThreadRead/thread/viewerUnreadCount"),
        &json!(0)
    );
    w.post(&w.alice, &thread, "three").await;
    let again = w
        .node(Some(&w.bob), &thread, "... on Thread { viewerUnreadCount }")
        .await;
    assert_eq!(again.at("/node/viewerUnreadCount"), &json!(1));
    let anonymous = w
        .node(
            None,
            &thread,
            "... on Thread { viewerUnreadCount viewerCanReply }",
        )
        .await;
    assert_eq!(anonymous.at("/node/viewerUnreadCount"), &json!(0));
    assert_eq!(anonymous.at("/node/viewerCanReply"), &json!(false));
    w.run(None, READ, json!({"t": thread}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(Some(&w.carol), READ, json!({"t": w.open}))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn author_edits_with_history_and_nobody_else_may() {
    let w = world().await;
    let (thread, first) = w.thread(&w.bob, &w.open, "draft").await;
    let edited = w
        .run(Some(&w.bob), EDIT, json!({"p": first, "b": "Second take"}))
        .await;
    edited.ok();
    assert_eq!(edited.at("/editPost/post/body"), &json!("Second take"));
    assert!(edited.at("/editPost/post/editedAt").is_string());
    assert_eq!(
        edited.at("/editPost/post/revisions/nodes/0/body"),
        &json!("First post of draft")
    );
    w.run(Some(&w.alice), EDIT, json!({"p": first, "b": "Mine"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), EDIT, json!({"p": first, "b": "Mine"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.bob), EDIT, json!({"p": first, "b": ""}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.bob), EDIT, json!({"p": thread, "b": "x"}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.bob), EDIT, json!({"p": "nonsense", "b": "x"}))
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn deleting_a_post_removes_its_body_and_history() {
    let w = world().await;
    let (thread, first) = w.thread(&w.bob, &w.open, "oops").await;
    w.run(Some(&w.bob), EDIT, json!({"p": first, "b": "secret"}))
        .await
        .ok();
    let second = w.post(&w.alice, &thread, "reply").await;
    w.run(Some(&w.bob), DELETE, json!({"p": second}))
        .await
        .expect_code("FORBIDDEN");
    let deleted = w.run(Some(&w.bob), DELETE, json!({"p": first})).await;
    assert_eq!(
        deleted.at("/deletePost/post"),
        &json!({"deleted": true, "body": null, "bodyHtml": null})
    );
    let after = w
        .node(
            Some(&w.alice),
            &first,
            "... on Post { revisions { totalCount } thread { postCount } }",
        )
        .await;
    assert_eq!(after.at("/node/revisions/totalCount"), &json!(0));
    assert_eq!(after.at("/node/thread/postCount"), &json!(1));
    w.run(Some(&w.moderator), DELETE, json!({"p": second}))
        .await
        .ok();
    w.run(Some(&w.bob), EDIT, json!({"p": first, "b": "back"}))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn reactions_are_counted_per_emoji_once_per_person() {
    let w = world().await;
    let (_, first) = w.thread(&w.bob, &w.open, "vote").await;
    w.run(Some(&w.alice), REACT, json!({"p": first, "e": "THUMBS_UP"}))
        .await
        .ok();
    w.run(Some(&w.alice), REACT, json!({"p": first, "e": "THUMBS_UP"}))
        .await
        .ok();
    let mine = w
        .run(
            Some(&w.moderator),
            REACT,
            json!({"p": first, "e": "THUMBS_UP"}),
        )
        .await;
    assert_eq!(
        mine.at("/addReaction/post/reactions"),
        &json!([{"emoji": "THUMBS_UP", "symbol": "👍", "count": 2, "viewerReacted": true}])
    );
    let removed = w
        .run(
            Some(&w.alice),
            UNREACT,
            json!({"p": first, "e": "THUMBS_UP"}),
        )
        .await;
    assert_eq!(
        removed.at("/removeReaction/post/reactions/0/count"),
        &json!(1)
    );
    w.run(Some(&w.carol), REACT, json!({"p": first, "e": "HEART"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(None, REACT, json!({"p": first, "e": "HEART"}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(Some(&w.alice), REACT, json!({"p": first, "e": "SKULL"}))
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn only_members_who_can_read_a_space_write_in_it() {
    let w = world().await;
    w.run(
        Some(&w.carol),
        START,
        json!({"s": w.open, "t": "Hi", "b": "outsider"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        None,
        START,
        json!({"s": w.open, "t": "Hi", "b": "anonymous"}),
    )
    .await
    .expect_code("UNAUTHENTICATED");
    w.run(
        Some(&w.carol),
        START,
        json!({"s": w.lounge, "t": "Hi", "b": "x"}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.bob),
        START,
        json!({"s": w.core, "t": "Hi", "b": "x"}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.moderator),
        START,
        json!({"s": w.core, "t": "Core", "b": "moderators read and write here"}),
    )
    .await
    .ok();
    let (thread, _) = w.thread(&w.alice, &w.open, "open").await;
    w.run(Some(&w.carol), POST, json!({"t": thread, "b": "outsider"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { id } } }",
        json!({"c": w.community}),
    )
    .await
    .ok();
    w.run(Some(&w.bob), POST, json!({"t": thread, "b": "too late"}))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn thread_and_post_input_is_checked_and_changes_nothing_when_bad() {
    let w = world().await;
    let (thread, first) = w.thread(&w.bob, &w.open, "checks").await;
    let (other_thread, _) = w.thread(&w.bob, &w.open, "other").await;
    let cases = [
        (START, json!({"s": w.open, "t": "", "b": "x"})),
        (START, json!({"s": w.open, "t": "t".repeat(201), "b": "x"})),
        (START, json!({"s": w.open, "t": "multi\nline", "b": "x"})),
        (
            START,
            json!({"s": w.open, "t": "ok", "b": "b".repeat(20_001)}),
        ),
        (
            START,
            json!({"s": w.open, "t": "ok", "b": "x", "m": ["nonsense"]}),
        ),
        (
            START,
            json!({"s": w.lounge, "t": "ok", "b": "x", "m": [w.carol.id]}),
        ),
        (POST, json!({"t": other_thread, "b": "x", "r": first})),
        (POST, json!({"t": thread, "b": "x", "r": "nonsense"})),
        (POST, json!({"t": "nonsense", "b": "x"})),
        (POST, json!({"t": thread, "b": "   "})),
    ];
    for (query, variables) in cases {
        let response = w.run(Some(&w.bob), query, variables.clone()).await;
        response.expect_code("BAD_USER_INPUT");
    }
    let count = w.run(None, "query($s: ID!) { node(id: $s) { ... on Space { threads { totalCount nodes { postCount } } } } }", json!({"s": w.open})).await;
    assert_eq!(count.at("/node/threads/totalCount"), &json!(2));
    let lounge = w
        .run(
            Some(&w.bob),
            "query($s: ID!) { node(id: $s) { ... on Space { threads { totalCount } } } }",
            json!({"s": w.lounge}),
        )
        .await;
    assert_eq!(lounge.at("/node/threads/totalCount"), &json!(0));
    assert_eq!(count.at("/node/threads/nodes/0/postCount"), &json!(1));
    w.run(Some(&w.bob), POST, json!({"t": w.open, "b": "x"}))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn remaining_discussion_mutations_refuse_bad_ids_and_outsiders() {
    let w = world().await;
    let (thread, first) = w.thread(&w.bob, &w.lounge, "members only").await;
    let cases = [
        (DELETE, json!({"p": "nonsense"}), "BAD_USER_INPUT"),
        (DELETE, json!({"p": thread}), "NOT_FOUND"),
        (
            UNREACT,
            json!({"p": "nonsense", "e": "HEART"}),
            "BAD_USER_INPUT",
        ),
        (READ, json!({"t": "nonsense"}), "BAD_USER_INPUT"),
        (READ, json!({"t": first}), "NOT_FOUND"),
        (
            "mutation($t: ID!) { pinThread(input: {threadId: $t}) { thread { id } } }",
            json!({"t": "nonsense"}),
            "BAD_USER_INPUT",
        ),
    ];
    for (query, variables, code) in cases {
        w.run(Some(&w.bob), query, variables)
            .await
            .expect_code(code);
    }
    // An outsider cannot reach a members-only space's posts at all.
    w.run(Some(&w.carol), DELETE, json!({"p": first}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.carol), UNREACT, json!({"p": first, "e": "HEART"}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.carol), READ, json!({"t": thread}))
        .await
        .expect_code("NOT_FOUND");
}
