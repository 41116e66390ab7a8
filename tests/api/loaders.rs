//! Every relation is served by a DataLoader: a nested query issues the same number of SQL
//! statements whatever its page size (no N+1).

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::json;

const SPACES: &str = "query($n: Int!) { network(slug: \"big\") { communities(first: $n) {
    nodes { id spaces(first: $n) { totalCount nodes { id name visibility viewerCanRead } } } } } }";

const MEMBERS: &str = "query($n: Int!) { network(slug: \"big\") { communities(first: $n) {
    nodes { memberCount members(first: $n) { nodes { roles person { displayName
      affiliations(first: $n) { nodes { role organization { slug name } } } } } } } } } }";

struct Big {
    app: TestApp,
    viewer: Person,
}

/// A network of 8 communities, each with 3 spaces and 4 members affiliated with 2
/// organizations each.
async fn big_network() -> Big {
    let app = TestApp::spawn_with(|s| s.max_query_complexity = 100_000_000).await;
    let founder = app.person("founder").await;
    let org = app.organization(&founder, "host").await;
    let second = app.organization(&founder, "second").await;
    let network = app.network(&founder, &org, "big", "PUBLIC").await;
    let mut people = Vec::new();
    for i in 0..3 {
        let person = app.person(&format!("person-{i}")).await;
        app.affiliate(&founder, &org, &person, "ORG_MEMBER").await;
        app.affiliate(&founder, &second, &person, "ORG_MEMBER")
            .await;
        people.push(person);
    }
    for c in 0..8 {
        let community = app
            .community(
                &founder,
                &network,
                &format!("community-{c}"),
                "PUBLIC",
                "OPEN",
            )
            .await;
        for (s, visibility) in ["PUBLIC", "MEMBERS", "PRIVATE"].iter().enumerate() {
            app.space(&founder, &community, &format!("space-{s}"), visibility)
                .await;
        }
        for person in &people {
            app.enroll(&founder, &community, person).await;
        }
    }
    Big {
        app,
        viewer: people[0].clone(),
    }
}

async fn statements(big: &Big, query: &str, n: i32) -> (u64, serde_json::Value) {
    let (count, response) = big
        .app
        .count_statements(big.app.gql(Some(&big.viewer.token), query, json!({"n": n})))
        .await;
    response.ok();
    (count, response.body)
}

#[tokio::test]
async fn nested_queries_issue_the_same_statements_for_page_size_2_and_50() {
    let big = big_network().await;
    for (name, query) in [
        ("network -> communities -> spaces", SPACES),
        (
            "community -> members -> person -> affiliations -> organization",
            MEMBERS,
        ),
    ] {
        let (small, small_body) = statements(&big, query, 2).await;
        let (large, large_body) = statements(&big, query, 50).await;
        let size = |body: &serde_json::Value| body.to_string().len();
        assert!(
            size(&large_body) > 3 * size(&small_body),
            "page size 50 must return more data"
        );
        eprintln!("SQL statements for {name}: page size 2 -> {small}, page size 50 -> {large}");
        assert_eq!(
            small, large,
            "{name}: {small} statements for page size 2, {large} for 50"
        );
    }
}
