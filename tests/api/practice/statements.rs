//! A community page with its charter, history and calendar is served by loaders: the same
//! statements for 2 events as for 12, and for 2 communities as for 6.

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::json;

const PAGE: &str = "query($id: ID!, $n: Int!) { node(id: $id) { ... on Community { name
    charter { revision domain goals author { displayName } }
    charterRevisions(first: 5) { nodes { revision } }
    stageHistory { nodes { to actor { displayName } } }
    events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\", first: $n) { totalCount
      nodes { startsAt goingCount waitlistCount viewerRsvp
        event { title format space { name } createdBy { displayName } viewerCanRsvp } } } } } }";

const NETWORK: &str = "query($n: Int!) { network(slug: \"net\") { communities(first: $n) { nodes {
    charter { revision domain }
    events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\", first: 20) {
      nodes { startsAt goingCount viewerRsvp event { title space { name } } } } } } } }";

/// `count` communities, each with a charter, three spaces and `events` events spread over
/// the community and its spaces, each with answers.
async fn world(count: usize, events: usize) -> (TestApp, Person, Vec<String>) {
    let app = TestApp::spawn_with(|s| s.max_query_complexity = 100_000_000).await;
    let manager = app.person("manager").await;
    let member = app.person("member").await;
    let org = app.organization(&manager, "acme").await;
    let network = app.network(&manager, &org, "net", "PUBLIC").await;
    let mut ids = Vec::new();
    for c in 0..count {
        let community = app
            .community(&manager, &network, &format!("c{c}"), "PUBLIC", "OPEN")
            .await;
        app.enroll(&manager, &community, &member).await;
        app.ready_to_activate(&manager, &community).await;
        let mut hosts = vec![json!({"communityId": community})];
        for (s, visibility) in ["PUBLIC", "MEMBERS", "PRIVATE"].iter().enumerate() {
            let space = app
                .space(&manager, &community, &format!("s{s}"), visibility)
                .await;
            hosts.push(json!({"spaceId": space}));
        }
        for e in 0..events {
            let day = e % 28 + 1;
            let start = format!("2030-04-{day:02}T15:00:00Z");
            let end = format!("2030-04-{day:02}T16:00:00Z");
            let event = app
                .event(
                    &manager,
                    hosts[e % hosts.len()].clone(),
                    json!({"title": format!("e{e}"), "startsAt": start, "endsAt": end, "capacity": 1}),
                )
                .await;
            app.must(&manager, "mutation($e: ID!, $o: DateTime!) { rsvp(input: {eventId: $e, occurrenceStart: $o, response: GOING}) { occurrence { startsAt } } }", json!({"e": event, "o": start}), "/rsvp/occurrence/startsAt").await;
        }
        ids.push(community);
    }
    (app, member, ids)
}

/// The fewest statements of three runs: on PostgreSQL a batch now and then splits in two
/// when its keys arrive across a scheduling boundary (one statement more), which says nothing
/// about N+1; an N+1 shows in every run.
async fn count(app: &TestApp, who: &Person, query: &str, variables: serde_json::Value) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let (n, response) = app
            .count_statements(app.gql(Some(&who.token), query, variables.clone()))
            .await;
        response.ok();
        fewest = fewest.min(n);
    }
    fewest
}

#[tokio::test]
async fn a_community_page_with_charter_and_calendar_costs_the_same_for_2_and_12_events() {
    let (app, member, ids) = world(1, 12).await;
    let few = count(&app, &member, PAGE, json!({"id": ids[0], "n": 2})).await;
    let many = count(&app, &member, PAGE, json!({"id": ids[0], "n": 12})).await;
    assert_eq!(few, many, "statements for 2 and 12 events");
    assert!(many <= 16, "a community page costs {many} statements");
    eprintln!("community page: {many} statements");
}

#[tokio::test]
async fn charters_and_calendars_of_many_communities_cost_the_same_as_of_two() {
    let (app, member, _) = world(6, 4).await;
    let two = count(&app, &member, NETWORK, json!({"n": 2})).await;
    let six = count(&app, &member, NETWORK, json!({"n": 6})).await;
    assert_eq!(two, six, "statements for 2 and 6 communities");
    eprintln!("network page: {six} statements");
}
