use serde_json::json;

use super::{POST, world};

const HIDE: &str = "mutation($p: ID!, $h: Boolean) { hidePost(input: {postId: $p, hidden: $h}) { post { hidden body } } }";
const LOCK: &str = "mutation($t: ID!, $l: Boolean) { lockThread(input: {threadId: $t, locked: $l}) { thread { locked } } }";
const PIN: &str = "mutation($t: ID!) { pinThread(input: {threadId: $t}) { thread { pinned } } }";
const FLAG: &str = "mutation($p: ID!, $r: FlagReason!, $n: String) { flagPost(input: {postId: $p, reason: $r, note: $n}) { post { id } } }";
const BODY: &str = "... on Post { hidden body bodyHtml flagCount }";

#[tokio::test]
async fn moderator_hides_a_post_from_everyone_but_moderators_and_managers() {
    let w = world().await;
    let (_, first) = w.thread(&w.bob, &w.open, "rude").await;
    w.run(Some(&w.bob), HIDE, json!({"p": first}))
        .await
        .expect_code("FORBIDDEN");
    let hidden = w.run(Some(&w.moderator), HIDE, json!({"p": first})).await;
    assert_eq!(hidden.at("/hidePost/post/hidden"), &json!(true));
    assert!(
        hidden.at("/hidePost/post/body").is_string(),
        "moderators still read it"
    );
    for who in [None, Some(&w.bob), Some(&w.carol)] {
        let seen = w.node(who, &first, BODY).await;
        assert_eq!(seen.at("/node/hidden"), &json!(true));
        assert_eq!(seen.at("/node/body"), &json!(null));
        assert_eq!(seen.at("/node/bodyHtml"), &json!(null));
    }
    let manager = w.node(Some(&w.alice), &first, BODY).await;
    assert!(manager.at("/node/body").is_string());
    w.run(Some(&w.alice), HIDE, json!({"p": first, "h": false}))
        .await
        .ok();
    let shown = w.node(None, &first, BODY).await;
    assert!(shown.at("/node/body").is_string());
    w.run(Some(&w.moderator), HIDE, json!({"p": "nonsense"}))
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn locked_thread_takes_posts_from_moderators_only() {
    let w = world().await;
    let (thread, _) = w.thread(&w.bob, &w.open, "heated").await;
    w.run(Some(&w.bob), LOCK, json!({"t": thread}))
        .await
        .expect_code("FORBIDDEN");
    let locked = w.run(Some(&w.moderator), LOCK, json!({"t": thread})).await;
    assert_eq!(locked.at("/lockThread/thread/locked"), &json!(true));
    w.run(Some(&w.bob), POST, json!({"t": thread, "b": "but"}))
        .await
        .expect_code("FAILED_PRECONDITION");
    let can = w
        .node(Some(&w.bob), &thread, "... on Thread { viewerCanReply }")
        .await;
    assert_eq!(can.at("/node/viewerCanReply"), &json!(false));
    w.run(
        Some(&w.moderator),
        POST,
        json!({"t": thread, "b": "Closing this."}),
    )
    .await
    .ok();
    w.run(Some(&w.alice), LOCK, json!({"t": thread, "l": false}))
        .await
        .ok();
    w.run(Some(&w.bob), POST, json!({"t": thread, "b": "thanks"}))
        .await
        .ok();
    w.run(Some(&w.moderator), LOCK, json!({"t": "nonsense"}))
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn only_moderators_pin_threads() {
    let w = world().await;
    let (thread, _) = w.thread(&w.bob, &w.open, "faq").await;
    w.run(Some(&w.bob), PIN, json!({"t": thread}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), PIN, json!({"t": thread}))
        .await
        .expect_code("FORBIDDEN");
    let pinned = w.run(Some(&w.moderator), PIN, json!({"t": thread})).await;
    assert_eq!(pinned.at("/pinThread/thread/pinned"), &json!(true));
    w.run(Some(&w.moderator), PIN, json!({"t": w.open}))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn members_flag_a_post_once_and_moderators_see_the_count() {
    let w = world().await;
    let (_, first) = w.thread(&w.alice, &w.open, "ads").await;
    w.run(
        Some(&w.bob),
        FLAG,
        json!({"p": first, "r": "SPAM", "n": "selling"}),
    )
    .await
    .ok();
    w.run(Some(&w.bob), FLAG, json!({"p": first, "r": "SPAM"}))
        .await
        .expect_code("CONFLICT");
    w.run(Some(&w.carol), FLAG, json!({"p": first, "r": "SPAM"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(
        Some(&w.moderator),
        FLAG,
        json!({"p": first, "r": "OTHER", "n": "n".repeat(1001)}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.moderator), FLAG, json!({"p": first, "r": "RUDE"}))
        .await
        .expect_code("BAD_USER_INPUT");
    let moderator = w.node(Some(&w.moderator), &first, BODY).await;
    assert_eq!(moderator.at("/node/flagCount"), &json!(1));
    let member = w.node(Some(&w.bob), &first, BODY).await;
    assert_eq!(member.at("/node/flagCount"), &json!(null));
}

#[tokio::test]
async fn private_space_threads_are_read_by_its_list_and_moderators_only() {
    let w = world().await;
    let (thread, first) = w.thread(&w.moderator, &w.core, "core business").await;
    for (who, code) in [
        (Some(&w.bob), "NOT_FOUND"),
        (Some(&w.carol), "NOT_FOUND"),
        (None, "NOT_FOUND"),
    ] {
        w.node(who, &thread, "").await.expect_code(code);
        w.node(who, &first, "").await.expect_code(code);
    }
    w.node(Some(&w.alice), &thread, "").await.ok();
    w.app.add_to_space(&w.alice, &w.core, &w.bob).await;
    w.node(Some(&w.bob), &first, "... on Post { body }")
        .await
        .ok();
    // Listing the threads of a space one may see but not read is refused.
    w.app
        .gql(
            Some(&w.carol.token),
            "query($s: ID!) { node(id: $s) { ... on Space { threads { totalCount } } } }",
            json!({"s": w.core}),
        )
        .await
        .expect_code("NOT_FOUND");
}
