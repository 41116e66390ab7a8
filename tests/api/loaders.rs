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

/// The statements of `query` for the viewer, alone and then `n` times at once.
async fn alone_and_concurrent(big: &Big, query: &str, n: usize) -> (u64, u64) {
    let (alone, _) = statements(big, query, 50).await;
    let runs = (0..n).map(|_| {
        big.app
            .gql(Some(&big.viewer.token), query, json!({"n": 50}))
    });
    let (together, responses) = big
        .app
        .count_statements(futures_util::future::join_all(runs))
        .await;
    for response in responses {
        response.ok();
    }
    (alone, together)
}

#[tokio::test]
async fn a_nested_query_costs_one_statement_per_relation_whatever_the_load() {
    let big = big_network().await;
    // The caller's row and access set (1 each); the network (1), its communities (page, rows,
    // allow lists: 3), their spaces (page, count, rows: 3). Every level is batched once, and
    // never split by timing.
    let (alone, together) = alone_and_concurrent(&big, SPACES, 16).await;
    assert_eq!(alone, 9, "network -> communities -> spaces, alone");
    assert_eq!(together, 16 * alone, "16 at once cost 16 times one alone");
    let (alone, together) = alone_and_concurrent(&big, MEMBERS, 16).await;
    assert_eq!(
        together,
        16 * alone,
        "members: 16 at once cost 16 times one alone"
    );
    // 20 aliases of the network: 480 spaces at one level, each asking the policy.
    let wide = format!(
        "query($n: Int!) {{ {} }}",
        (0..20)
            .map(|i| format!(
                "n{i}: {}",
                &SPACES["query($n: Int!) { ".len()..SPACES.len() - 2]
            ))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (wide_alone, together) = alone_and_concurrent(&big, &wide, 16).await;
    assert_eq!(wide_alone, 9, "20 aliases cost the statements of one");
    assert_eq!(
        together,
        16 * wide_alone,
        "wide: 16 at once cost 16 times one alone"
    );
}

/// `{ network(slug: "big") { cN: community(slug: ..) { sM: space(slug: ..) { .. } } } }` for
/// the first `communities` communities and `spaces` spaces of each.
fn slug_lookups(communities: usize, spaces: usize) -> String {
    let mut query = String::from("{ network(slug: \"big\") {");
    for c in 0..communities {
        query.push_str(&format!(" c{c}: community(slug: \"community-{c}\") {{ id"));
        for s in 0..spaces {
            query.push_str(&format!(
                " s{s}: space(slug: \"space-{s}\") {{ id viewerCanRead }}"
            ));
        }
        query.push_str(" }");
    }
    query.push_str(" } }");
    query
}

#[tokio::test]
async fn nested_slug_lookups_issue_the_same_statements_for_2_and_24_lookups() {
    let big = big_network().await;
    let mut counts = Vec::new();
    for (communities, spaces) in [(2, 1), (8, 3)] {
        let (count, response) = big
            .app
            .count_statements(big.app.gql(
                Some(&big.viewer.token),
                &slug_lookups(communities, spaces),
                json!({}),
            ))
            .await;
        response.ok();
        let last = format!("/network/c{}/s{}/id", communities - 1, spaces - 1);
        assert!(response.at(&last).is_string(), "{}", response.body);
        counts.push(count);
    }
    eprintln!(
        "SQL statements for nested slug lookups: 2 -> {}, 24 -> {}",
        counts[0], counts[1]
    );
    assert_eq!(counts[0], counts[1]);
}

const MENTIONS: &str = "query($t: ID!, $n: Int!) { node(id: $t) { ... on Thread {
    posts(first: $n) { nodes { author { displayName } mentions { displayName } } } } } }";

#[tokio::test]
async fn mentions_and_authors_of_many_posts_issue_the_same_statements_as_of_two() {
    let big = big_network().await;
    let space = big
        .app
        .gql(
            Some(&big.viewer.token),
            "{ network(slug: \"big\") { community(slug: \"community-0\") { space(slug: \"space-0\") { id } } } }",
            json!({}),
        )
        .await
        .str("/network/community/space/id");
    let people = big
        .app
        .gql(
            Some(&big.viewer.token),
            "{ network(slug: \"big\") { community(slug: \"community-0\") { members { nodes { person { id } } } } } }",
            json!({}),
        )
        .await;
    let ids: Vec<serde_json::Value> = people
        .at("/network/community/members/nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["person"]["id"].clone())
        .collect();
    let thread = big
        .app
        .must(
            &big.viewer,
            "mutation($s: ID!, $m: [ID!]) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\", mentionIds: $m}) { thread { id } } }",
            json!({"s": space, "m": ids}),
            "/startThread/thread/id",
        )
        .await;
    for i in 0..19 {
        big.app
            .must(
                &big.viewer,
                "mutation($t: ID!, $b: String!, $m: [ID!]) { createPost(input: {threadId: $t, body: $b, mentionIds: $m}) { post { id } } }",
                json!({"t": thread, "b": format!("post {i}"), "m": ids}),
                "/createPost/post/id",
            )
            .await;
    }
    let mut counts = Vec::new();
    for n in [2, 20] {
        let (count, response) = big
            .app
            .count_statements(big.app.gql(
                Some(&big.viewer.token),
                MENTIONS,
                json!({"t": thread, "n": n}),
            ))
            .await;
        response.ok();
        let posts = response.at("/node/posts/nodes").as_array().unwrap().len();
        assert_eq!(posts, n as usize);
        let mentioned = response
            .at("/node/posts/nodes/1/mentions")
            .as_array()
            .unwrap()
            .len();
        assert_eq!(mentioned, ids.len() - 1, "everyone but the author");
        counts.push(count);
    }
    eprintln!(
        "SQL statements for posts with authors and mentions: 2 posts -> {}, 20 posts -> {}",
        counts[0], counts[1]
    );
    assert_eq!(counts[0], counts[1]);
}

#[tokio::test]
async fn a_post_mentioning_50_people_costs_the_statements_of_one_mentioning_1() {
    let app = TestApp::spawn().await;
    let founder = app.person("founder").await;
    let org = app.organization(&founder, "host").await;
    let network = app.network(&founder, &org, "net", "PUBLIC").await;
    let community = app
        .community(&founder, &network, "crowd", "PUBLIC", "OPEN")
        .await;
    let space = app.space(&founder, &community, "talk", "MEMBERS").await;
    let mut people = Vec::new();
    for i in 0..50 {
        let person = app.person(&format!("member-{i}")).await;
        app.must(
            &person,
            "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }",
            json!({"c": community}),
            "/joinCommunity/membership/id",
        )
        .await;
        people.push(person.id);
    }
    let thread = app
        .must(
            &founder,
            "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }",
            json!({"s": space}),
            "/startThread/thread/id",
        )
        .await;
    let post = "mutation($t: ID!, $m: [ID!]) { createPost(input: {threadId: $t, body: \"hi\", mentionIds: $m}) { post { id } } }";
    let mut counts = Vec::new();
    for mentioned in [&people[..1], &people[..]] {
        let (count, response) = app
            .count_statements(app.gql(
                Some(&founder.token),
                post,
                json!({"t": thread, "m": mentioned}),
            ))
            .await;
        response.ok();
        counts.push(count);
    }
    eprintln!(
        "SQL statements for createPost: 1 mention -> {}, 50 mentions -> {}",
        counts[0], counts[1]
    );
    assert_eq!(counts[0], counts[1]);
}
