//! Relay pagination: forward and backward pages, cursors, page info and counts.

use copnet_tests::TestApp;
use serde_json::{Value, json};

fn slugs(response: &copnet_tests::Gql) -> Vec<String> {
    response
        .at("/organizations/edges")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["slug"].as_str().unwrap().to_owned())
        .collect()
}

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
  organizations(first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { slug } } nodes { slug }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

#[tokio::test]
async fn pages_walk_forward_and_backward_with_cursors() {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    for i in 1..=5 {
        app.organization(&alice, &format!("org-{i}")).await;
    }
    let first = app.gql(None, PAGE, json!({"first": 2})).await;
    first.ok();
    assert_eq!(slugs(&first), ["org-1", "org-2"]);
    assert_eq!(first.at("/organizations/totalCount"), &json!(5));
    assert_eq!(
        first.at("/organizations/pageInfo/hasNextPage"),
        &json!(true)
    );
    assert_eq!(
        first.at("/organizations/pageInfo/hasPreviousPage"),
        &json!(false)
    );
    assert_eq!(
        first.at("/organizations/nodes").as_array().unwrap().len(),
        2
    );

    let end = first.str("/organizations/pageInfo/endCursor");
    let second = app.gql(None, PAGE, json!({"first": 2, "after": end})).await;
    assert_eq!(slugs(&second), ["org-3", "org-4"]);
    assert_eq!(
        second.at("/organizations/pageInfo/hasPreviousPage"),
        &json!(true)
    );

    let end = second.str("/organizations/pageInfo/endCursor");
    let third = app.gql(None, PAGE, json!({"first": 2, "after": end})).await;
    assert_eq!(slugs(&third), ["org-5"]);
    assert_eq!(
        third.at("/organizations/pageInfo/hasNextPage"),
        &json!(false)
    );

    let last = app.gql(None, PAGE, json!({"last": 2})).await;
    assert_eq!(slugs(&last), ["org-4", "org-5"]);
    assert_eq!(
        last.at("/organizations/pageInfo/hasPreviousPage"),
        &json!(true)
    );
    let start = last.str("/organizations/pageInfo/startCursor");
    let before = app
        .gql(None, PAGE, json!({"last": 2, "before": start}))
        .await;
    assert_eq!(slugs(&before), ["org-2", "org-3"]);
    assert_eq!(
        before.at("/organizations/pageInfo/hasNextPage"),
        &json!(true)
    );
}

#[tokio::test]
async fn search_narrows_lists_and_their_counts_case_insensitively() {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    for slug in ["water-works", "forest-care", "waterfront", "under_score"] {
        app.organization(&alice, &slug.replace('_', "-")).await;
    }
    let response = app
        .gql(
            None,
            "{ organizations(search: \"WATER\") { totalCount nodes { slug } } }",
            json!({}),
        )
        .await;
    response.ok();
    assert_eq!(response.at("/organizations/totalCount"), &json!(2));
    // LIKE wildcards in the term are literal.
    let wildcard = app
        .gql(
            None,
            "{ organizations(search: \"%\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(wildcard.at("/organizations/totalCount"), &json!(0));
    let empty = app
        .gql(
            None,
            "{ organizations(search: \"\") { totalCount } }",
            json!({}),
        )
        .await;
    empty.expect_code("BAD_USER_INPUT");
    assert_eq!(empty.at("/organizations"), &Value::Null);
}

#[tokio::test]
async fn nodes_returns_objects_in_order_with_null_for_unknown_or_hidden_ids() {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let org = app.organization(&alice, "acme").await;
    let private = app.network(&alice, &org, "hidden", "PRIVATE").await;
    let public = app.network(&alice, &org, "open", "PUBLIC").await;
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    let response = app
        .gql(None, query, json!({"ids": [public, private, org]}))
        .await;
    response.ok();
    assert_eq!(
        response.at("/nodes"),
        &json!([{"id": public}, null, {"id": org}])
    );
    let too_many: Vec<String> = (0..101).map(|_| org.clone()).collect();
    app.gql(None, query, json!({"ids": too_many}))
        .await
        .expect_code("BAD_USER_INPUT");
    app.gql(None, query, json!({"ids": ["%%"]}))
        .await
        .expect_code("BAD_USER_INPUT");
}
