//! The benchmark network (`copnet seed-bench`) holds its derived tables as the services'
//! writes keep them: the search index finds its posts, and its participation tallies give
//! health figures and circles consistent with each member's activity.

use serde_json::json;

use copnet_tests::TestApp;

const MEMBER_VIEW: &str = "query($s: String!) { network(slug: \"bench\") { community(slug: $s) {
    health { members activeRatio postsLast30Days }
    circles { core inner outer new }
    viewerMembership { roles circle activity { posts replies reactions windowDays } } } } }";

#[tokio::test]
async fn benchmark_network_is_searchable_and_has_figures_and_circles_from_its_activity() {
    let app = TestApp::spawn().await;
    let report = app.seed_bench(2).await;
    assert_eq!(report.communities, 2);

    // Post 7 is in the long, public first thread of community 0; its visit number is its own.
    let found = app
        .gql(
            None,
            "{ search(query: \"\\\"field visit 7\\\"\", types: [POST]) { totalCount edges { node { ... on Post { body thread { title } } } } } }",
            json!({}),
        )
        .await;
    found.ok();
    assert_eq!(found.at("/search/totalCount"), &json!(1));
    assert!(
        found
            .str("/search/edges/0/node/body")
            .contains("**field visit 7**")
    );
    assert_eq!(
        found.str("/search/edges/0/node/thread/title"),
        "Thread 0 of space 0 in community 0"
    );
    // Its practice term finds it too, among the posts naming the same term.
    let term = copnet_infra::bench_seed::term_of(7);
    let by_term = app
        .gql(
            None,
            "query($q: String!) { search(query: $q, types: [POST], first: 50) { totalCount edges { node { ... on Post { body } } } } }",
            json!({"q": term}),
        )
        .await;
    by_term.ok();
    let bodies: Vec<&str> = by_term
        .at("/search/edges")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["body"].as_str())
        .collect();
    assert!(bodies.iter().all(|b| b.contains(&format!(" on {term}:"))));
    assert!(bodies.iter().any(|b| b.contains("**field visit 7**")));

    // bench-0 is community 0's first member (its MANAGER), bench-170 its eleventh (a MEMBER).
    let manager = app.token("bench-0");
    let seen = app
        .gql(Some(&manager), MEMBER_VIEW, json!({"s": "community-0"}))
        .await;
    seen.ok();
    let community = seen.at("/network/community");
    assert_eq!(community["health"]["members"], json!(300));
    let recent = community["health"]["postsLast30Days"].as_u64().unwrap_or(0);
    // About a quarter of the community's 4,000-odd posts fall in the last 30 of 120 days.
    assert!((500..2_000).contains(&recent), "postsLast30Days {recent}");
    assert!(community["health"]["activeRatio"].as_f64().unwrap_or(0.0) > 0.5);
    let circles = &community["circles"];
    assert_eq!(
        circles["core"],
        json!(10),
        "MANAGER, MODERATORs and CORE members"
    );
    assert_eq!(circles["new"], json!(0), "everyone joined in January 2026");
    assert_eq!(
        circles["inner"].as_u64().unwrap_or(0) + circles["outer"].as_u64().unwrap_or(0),
        290
    );
    assert_eq!(community["viewerMembership"]["circle"], "CORE");

    let member = app.token("bench-170");
    let seen = app
        .gql(Some(&member), MEMBER_VIEW, json!({"s": "community-0"}))
        .await;
    seen.ok();
    let membership = seen.at("/network/community/viewerMembership");
    assert_eq!(membership["roles"], json!(["MEMBER"]));
    let activity = &membership["activity"];
    assert_eq!(activity["windowDays"], json!(90));
    let contributions =
        activity["posts"].as_u64().unwrap_or(0) + activity["replies"].as_u64().unwrap_or(0);
    assert!(contributions > 0, "{activity}");
    let expected = if contributions >= 3 { "INNER" } else { "OUTER" };
    assert_eq!(membership["circle"], expected, "{activity}");
}
