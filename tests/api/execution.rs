//! GraphQL execution as the spec has it: response keys in the query's order, and errors that
//! null a nullable field, or propagate from a non-null one to its nearest nullable parent,
//! never a missing key.

use reqwest::Method;
use serde_json::{Value, json};

use crate::discussions::world;

/// The body text of an anonymous request (the order of keys is lost in a parsed `Value`).
async fn text(app: &copnet_tests::TestApp, query: &str, variables: Value) -> String {
    let body = json!({"query": query, "variables": variables}).to_string();
    app.raw(
        Method::POST,
        "/graphql",
        &[("content-type", "application/json")],
        Some(body),
    )
    .await
    .body
}

#[tokio::test]
async fn response_keys_follow_the_order_of_the_query_whatever_resolves_first() {
    let w = world().await;
    let (thread, _) = w.thread(&w.alice, &w.open, "Order").await;
    w.post(&w.bob, &thread, "Second").await;
    // `reactions` and `author` wait for DataLoaders; `bodyHtml` and `id` do not.
    let query = "query($id: ID!) { node(id: $id) { ... on Thread { posts(first: 5) { nodes {
        reactions { count } bodyHtml author { displayName } id } } } } }";
    let body = text(&w.app, query, json!({"id": thread})).await;
    assert!(!body.contains("\"errors\""), "{body}");
    let post = body
        .split("{\"reactions\":")
        .nth(1)
        .unwrap_or_else(|| panic!("a post does not start with reactions: {body}"));
    let at = |key: &str| post.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
    assert!(
        at("bodyHtml") < at("author") && at("author") < at("id"),
        "{body}"
    );
    // Equal queries give equal bytes.
    for _ in 0..5 {
        assert_eq!(text(&w.app, query, json!({"id": thread})).await, body);
    }
}

#[tokio::test]
async fn an_error_in_a_nullable_field_makes_it_null_and_keeps_its_siblings() {
    let w = world().await;
    let answer = w
        .app
        .gql(
            None,
            "{ gone: node(id: \"VGhyZWFkOm5vcGU\") { id } network(slug: \"net\") { slug } }",
            json!({}),
        )
        .await;
    let data = answer.body["data"].as_object().expect("data").clone();
    assert_eq!(data.get("gone"), Some(&Value::Null), "{}", answer.body);
    assert_eq!(answer.str("/network/slug"), "net");
    assert_eq!(answer.errors().len(), 1, "{}", answer.body);
    assert_eq!(answer.errors()[0]["path"], json!(["gone"]));
}

#[tokio::test]
async fn an_error_in_a_non_null_field_nulls_its_nearest_nullable_parent() {
    let w = world().await;
    // `joinRequests: JoinRequestConnection!` is for managers only; `community` is nullable.
    let answer = w
        .app
        .gql(
            None,
            "{ network(slug: \"net\") { slug community(slug: \"garden\") { name
                joinRequests(first: 1) { totalCount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(answer.at("/network/slug"), "net", "{}", answer.body);
    assert_eq!(
        answer.at("/network/community"),
        &Value::Null,
        "{}",
        answer.body
    );
    assert_eq!(answer.codes(), vec!["FORBIDDEN".to_owned()]);
    assert_eq!(
        answer.errors()[0]["path"],
        json!(["network", "community", "joinRequests"])
    );
}

#[tokio::test]
async fn an_error_in_a_non_null_root_field_nulls_the_data() {
    let w = world().await;
    let answer = w
        .app
        .gql(
            None,
            "{ network(slug: \"net\") { slug } notifications(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    // Present, and null.
    assert_eq!(
        answer.body.get("data"),
        Some(&Value::Null),
        "{}",
        answer.body
    );
    assert_eq!(answer.codes(), vec!["UNAUTHENTICATED".to_owned()]);
}
