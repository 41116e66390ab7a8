//! The HTTP surface: GraphQL over HTTP content negotiation, GraphiQL, health and readiness.

use copnet_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn graphiql_is_served_to_browsers_on_get() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/graphql", &[("accept", "text/html")]).await;
    assert_eq!(status, 200);
    assert!(body.to_lowercase().contains("graphiql"), "{body}");
}

#[tokio::test]
async fn health_and_readiness_report_the_database() {
    let app = TestApp::spawn_with(|s| s.redis_url = None).await;
    assert_eq!(app.get("/healthz", &[]).await.0, 200);
    let (status, body) = app.get("/readyz", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#""database":"ok""#) && body.contains("not configured"),
        "{body}"
    );
}

#[tokio::test]
async fn readiness_fails_while_the_configured_redis_is_unreachable() {
    let app = TestApp::spawn_with(|s| s.redis_url = Some("redis://127.0.0.1:1".into())).await;
    let (status, body) = app.get("/readyz", &[]).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains(r#""redis":"unreachable""#), "{body}");
}

#[tokio::test]
async fn readiness_reports_a_reachable_redis() {
    let Some(url) = copnet_tests::redis_url() else {
        // Redis is exercised in the PostgreSQL + Redis run of `.ci/run`, which sets the variable.
        return;
    };
    let app = TestApp::spawn_with(|s| s.redis_url = Some(url)).await;
    let (status, body) = app.get("/readyz", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""redis":"ok""#), "{body}");
}

#[tokio::test]
async fn graphql_response_media_type_is_used_when_asked_for() {
    let app = TestApp::spawn().await;
    let query = json!({"query": "{ networks { totalCount } }"}).to_string();
    let response = app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("accept", "application/graphql-response+json"),
            ],
            query.clone(),
        )
        .await;
    assert_eq!(response.status, 200);
    assert!(
        response
            .content_type
            .starts_with("application/graphql-response+json")
    );
    let response = app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("accept", "application/json"),
            ],
            query,
        )
        .await;
    assert_eq!(response.status, 200);
    assert!(response.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn request_errors_are_400_with_the_graphql_response_media_type_and_200_with_json() {
    let app = TestApp::spawn().await;
    let broken = json!({"query": "{ networks { "}).to_string();
    let strict = app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("accept", "application/graphql-response+json"),
            ],
            broken.clone(),
        )
        .await;
    assert_eq!(strict.status, 400, "{}", strict.body);
    let legacy = app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("accept", "application/json"),
            ],
            broken,
        )
        .await;
    assert_eq!(legacy.status, 200, "{}", legacy.body);
    assert!(!legacy.errors().is_empty());
}

#[tokio::test]
async fn oversized_request_body_is_refused() {
    let app = TestApp::spawn_with(|s| s.max_body_bytes = 1024).await;
    let body = json!({"query": format!("{{ networks {{ totalCount }} }} #{}", "x".repeat(4096))})
        .to_string();
    let response = app
        .post_raw(&[("content-type", "application/json")], body)
        .await;
    assert_eq!(response.status, 413, "{}", response.body);
}

#[tokio::test]
async fn internal_failures_reach_the_client_as_internal_error_only() {
    let app = TestApp::spawn().await;
    let token = app.token("alice");
    app.gql(Some(&token), "{ viewer { id } }", json!({}))
        .await
        .ok();
    // Break the database under the running server: drop a table the query needs.
    use sea_orm::ConnectionTrait;
    let conn = app.database().conn();
    conn.execute_unprepared("DROP TABLE space_members")
        .await
        .expect("drop table");
    let response = app
        .gql(Some(&token), "{ networks { totalCount } }", json!({}))
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.codes(), vec!["INTERNAL"]);
    let text = response.body.to_string();
    assert!(
        text.contains("internal error") && !text.contains("space_members"),
        "{text}"
    );
}
