//! Query limits (depth, complexity, aliases), introspection switch and page-size bounds.

use copnet_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn too_deep_query_is_refused_naming_the_depth_limit() {
    let app = TestApp::spawn_with(|s| s.max_query_depth = 4).await;
    let response = app
        .gql(
            None,
            "{ networks { nodes { communities { nodes { spaces { nodes { id } } } } } } }",
            json!({}),
        )
        .await;
    response.expect_code("LIMIT_EXCEEDED");
    assert!(
        response.body.to_string().contains("depth limit is 4"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn too_complex_query_is_refused_naming_the_complexity_limit() {
    let app = TestApp::spawn_with(|s| s.max_query_complexity = 500).await;
    let ok = app
        .gql(None, "{ networks(first: 5) { nodes { id } } }", json!({}))
        .await;
    ok.ok();
    let response = app
        .gql(
            None,
            "{ networks(first: 100) { nodes { communities(first: 100) { nodes { id } } } } }",
            json!({}),
        )
        .await;
    response.expect_code("LIMIT_EXCEEDED");
    assert!(
        response
            .body
            .to_string()
            .contains("complexity limit is 500"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn too_many_aliases_are_refused_naming_the_alias_limit() {
    let app = TestApp::spawn_with(|s| s.max_aliases = 3).await;
    let response = app
        .gql(None, "{ a: networks { totalCount } b: networks { totalCount } c: networks { totalCount } d: networks { totalCount } }", json!({}))
        .await;
    response.expect_code("LIMIT_EXCEEDED");
    assert!(
        response.body.to_string().contains("alias limit is 3"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let on = TestApp::spawn().await;
    on.gql(None, "{ __schema { queryType { name } } }", json!({}))
        .await
        .ok();
    let off = TestApp::spawn_with(|s| s.introspection = false).await;
    let response = off
        .gql(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    response.expect_code("FORBIDDEN");
    off.gql(None, "{ __typename networks { totalCount } }", json!({}))
        .await
        .ok();
}

#[tokio::test]
async fn page_size_outside_one_to_one_hundred_is_bad_user_input() {
    let app = TestApp::spawn().await;
    for args in [
        "first: 0",
        "first: 101",
        "last: -1",
        "first: 2, last: 2",
        "after: \"%%%\"",
    ] {
        let response = app
            .gql(
                None,
                &format!("{{ organizations({args}) {{ totalCount }} }}"),
                json!({}),
            )
            .await;
        response.expect_code("BAD_USER_INPUT");
    }
    app.gql(
        None,
        "{ organizations(first: 100) { totalCount } }",
        json!({}),
    )
    .await
    .ok();
}
