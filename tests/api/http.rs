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

const CREATE_ORG: &str = r#"mutation { createOrganization(input: {slug: "csrf", name: "Csrf"}) { organization { id } } }"#;

/// `/graphql?<params>`, encoded.
fn get_path(params: &[(&str, &str)]) -> String {
    let url = reqwest::Url::parse_with_params("http://x/graphql", params).unwrap();
    format!("/graphql?{}", url.query().unwrap_or_default())
}

async fn organizations(app: &TestApp) -> u64 {
    app.gql(None, "{ organizations { totalCount } }", json!({}))
        .await
        .at("/organizations/totalCount")
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_post_that_is_not_json_is_refused_with_415_and_runs_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("alice");
    let auth = format!("Bearer {token}");
    let body = json!({"query": CREATE_ORG}).to_string();
    // What a cross-origin page can send without a preflight, and no content type at all.
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut headers = vec![("authorization", auth.as_str())];
        headers.extend(content_type.map(|c| ("content-type", c)));
        let response = app
            .raw(
                reqwest::Method::POST,
                "/graphql",
                &headers,
                Some(body.clone()),
            )
            .await;
        assert_eq!(response.status, 415, "{content_type:?}: {}", response.body);
        assert_eq!(response.header("accept-post"), "application/json");
        assert_eq!(
            response.json().pointer("/errors/0/extensions/code"),
            Some(&json!("BAD_USER_INPUT")),
            "{}",
            response.body
        );
    }
    assert_eq!(organizations(&app).await, 0, "no mutation ran");
    // The same request as JSON runs.
    let response = app
        .raw(
            reqwest::Method::POST,
            "/graphql",
            &[
                ("authorization", auth.as_str()),
                ("content-type", "application/json; charset=utf-8"),
            ],
            Some(body),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(organizations(&app).await, 1);
}

#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_400() {
    let app = TestApp::spawn().await;
    for body in ["not json", "[]", r#"{"query": 3}"#] {
        let response = app
            .raw(
                reqwest::Method::POST,
                "/graphql",
                &[("content-type", "application/json")],
                Some(body.into()),
            )
            .await;
        assert_eq!(response.status, 400, "{body}: {}", response.body);
        assert_eq!(
            response.json().pointer("/errors/0/extensions/code"),
            Some(&json!("BAD_USER_INPUT"))
        );
    }
}

#[tokio::test]
async fn get_runs_queries_and_serves_graphiql_only_to_browsers_without_a_query() {
    let app = TestApp::spawn().await;
    let query = get_path(&[("query", "{ organizations { totalCount } }")]);
    // A browser (Accept: text/html) asking a query gets the answer, not GraphiQL.
    for accept in [
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "application/json",
        "application/graphql-response+json",
    ] {
        let response = app
            .raw(reqwest::Method::GET, &query, &[("accept", accept)], None)
            .await;
        assert_eq!(response.status, 200, "{accept}: {}", response.body);
        assert_eq!(
            response.json().pointer("/data/organizations/totalCount"),
            Some(&json!(0)),
            "{accept}: {}",
            response.body
        );
        assert!(response.header("vary").contains("Authorization"));
    }
    // Variables and operationName travel as parameters.
    let named = get_path(&[
        (
            "query",
            "query A($s: String) { organizations(search: $s) { totalCount } } query B { networks { totalCount } }",
        ),
        ("operationName", "B"),
        ("variables", r#"{"s": "x"}"#),
    ]);
    let response = app.raw(reqwest::Method::GET, &named, &[], None).await;
    assert_eq!(
        response.json().pointer("/data/networks/totalCount"),
        Some(&json!(0)),
        "{}",
        response.body
    );
    // Without a query, a browser gets GraphiQL and anything else a 400.
    let (status, body) = app.get("/graphql", &[("accept", "text/html")]).await;
    assert_eq!(status, 200);
    assert!(body.to_lowercase().contains("graphiql"), "{body}");
    let response = app
        .raw(
            reqwest::Method::GET,
            "/graphql",
            &[("accept", "application/json")],
            None,
        )
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    // Signed-in answers are never stored by shared caches.
    let token = app.token("alice");
    let response = app
        .raw(
            reqwest::Method::GET,
            &query,
            &[("authorization", &format!("Bearer {token}"))],
            None,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("cache-control"), "private, no-store");
}

#[tokio::test]
async fn a_mutation_over_get_is_405_with_allow_post_and_runs_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("alice");
    let auth = format!("Bearer {token}");
    for path in [
        get_path(&[("query", CREATE_ORG)]),
        get_path(&[
            (
                "query",
                &format!(
                    "query Q {{ networks {{ totalCount }} }} {}",
                    CREATE_ORG.replacen("mutation", "mutation M", 1)
                ),
            ),
            ("operationName", "M"),
        ]),
        get_path(&[("query", "subscription { notificationAdded { id } }")]),
    ] {
        let response = app
            .raw(
                reqwest::Method::GET,
                &path,
                &[("authorization", &auth)],
                None,
            )
            .await;
        assert_eq!(response.status, 405, "{path}: {}", response.body);
        assert_eq!(response.header("allow"), "POST");
    }
    assert_eq!(organizations(&app).await, 0, "no mutation ran");
}

#[tokio::test]
async fn no_field_suggestions_leak_when_introspection_is_off() {
    let on = TestApp::spawn().await;
    let response = on.gql(None, "{ networkz { totalCount } }", json!({})).await;
    response.expect_code("BAD_USER_INPUT");
    assert!(
        response.body.to_string().contains("Did you mean"),
        "{}",
        response.body
    );
    let off = TestApp::spawn_with(|s| s.introspection = false).await;
    let response = off
        .gql(None, "{ networkz { totalCount } }", json!({}))
        .await;
    response.expect_code("BAD_USER_INPUT");
    assert!(
        !response.body.to_string().contains("Did you mean"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn a_database_failure_inside_a_lookup_is_internal_not_not_found() {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let cluster = app
        .must(
            &alice,
            "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }",
            json!({"n": network}),
            "/createCluster/cluster/id",
        )
        .await;
    use sea_orm::ConnectionTrait;
    app.database()
        .conn()
        .execute_unprepared("ALTER TABLE networks RENAME TO networks_gone")
        .await
        .expect("rename");
    let response = app
        .gql(
            Some(&alice.token),
            "mutation($c: ID!, $p: ID!) { addClusterCoordinator(input: {clusterId: $c, personId: $p}) { cluster { id } } }",
            json!({"c": cluster, "p": alice.id}),
        )
        .await;
    response.expect_code("INTERNAL");
    assert!(
        !response.body.to_string().contains("networks"),
        "{}",
        response.body
    );
}
