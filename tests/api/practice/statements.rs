//! A community page with its charter, history, calendar and knowledge assets is served by
//! loaders: the same statements for 2 events and assets as for 12, and for 2 communities as
//! for 6.

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::json;

const PAGE: &str = "query($id: ID!, $n: Int!) { node(id: $id) { ... on Community { name
    charter { revision domain goals author { displayName } }
    charterRevisions(first: 5) { nodes { revision } }
    stageHistory { nodes { to actor { displayName } } }
    events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\", first: $n) { totalCount
      nodes { startsAt goingCount waitlistCount viewerRsvp
        event { title format space { name } createdBy { displayName } viewerCanRsvp outputs { title status } } } }
    assets(first: $n) { totalCount nodes { title status version tags author { displayName } space { name }
      reviews { decision reviewer { displayName } } versions(first: 2) { nodes { version } } } } } } }";

const NETWORK: &str = "query($n: Int!) { network(slug: \"net\") { communities(first: $n) { nodes {
    charter { revision domain }
    events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\", first: 20) {
      nodes { startsAt goingCount viewerRsvp event { title space { name } outputs { title } } } }
    assets(first: 20) { totalCount nodes { title status space { name } author { displayName } } } } } } }";

/// `count` communities, each with a charter, three spaces, `events` events spread over the
/// community and its spaces, each with answers, and `events` assets in the spaces, those of
/// the spaces the member reads published (reviewed by the member) and linked as the first
/// event's outputs.
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
        let mut spaces = Vec::new();
        for (s, visibility) in ["PUBLIC", "MEMBERS", "PRIVATE"].iter().enumerate() {
            let space = app
                .space(&manager, &community, &format!("s{s}"), visibility)
                .await;
            hosts.push(json!({"spaceId": space}));
            spaces.push((space, *visibility != "PRIVATE"));
        }
        let mut published = Vec::new();
        for a in 0..events {
            let (space, readable) = &spaces[a % spaces.len()];
            let asset = app.must(&manager, "mutation($s: ID!, $t: String!) { createAsset(input: {spaceId: $s, kind: CASE_STUDY, title: $t, tags: [\"x\", \"y\"]}) { asset { id } } }", json!({"s": space, "t": format!("a{a}")}), "/createAsset/asset/id").await;
            if *readable {
                app.must(&manager, "mutation($a: ID!, $r: ID!) { submitAssetForReview(input: {assetId: $a, reviewerIds: [$r]}) { asset { status } } }", json!({"a": asset, "r": member.id}), "/submitAssetForReview/asset/status").await;
                if a % 2 == 0 {
                    app.must(&member, "mutation($a: ID!) { reviewAsset(input: {assetId: $a, decision: APPROVE}) { asset { status } } }", json!({"a": asset}), "/reviewAsset/asset/status").await;
                    published.push(asset);
                }
            }
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
            if let Some(asset) = published.get(e % published.len().max(1)) {
                app.must(&manager, "mutation($e: ID!, $a: ID!) { linkEventOutput(input: {eventId: $e, assetId: $a}) { event { id } } }", json!({"e": event, "a": asset}), "/linkEventOutput/event/id").await;
            }
        }
        ids.push(community);
    }
    (app, member, ids)
}

/// The fewest statements of five runs: on PostgreSQL a batch now and then splits in two
/// when its keys arrive across a scheduling boundary (one statement more), which says nothing
/// about N+1; an N+1 shows in every run.
async fn count(app: &TestApp, who: &Person, query: &str, variables: serde_json::Value) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..5 {
        let (n, response) = app
            .count_statements(app.gql(Some(&who.token), query, variables.clone()))
            .await;
        response.ok();
        fewest = fewest.min(n);
    }
    fewest
}

#[tokio::test]
async fn a_community_page_with_charter_calendar_and_assets_costs_no_more_for_12_items_than_for_2() {
    let (app, member, ids) = world(1, 12).await;
    // Which loaders run depends on the rows shown (a page of drafts asks for no reviews, one
    // with reviews asks for reviewers), so a short page may cost a statement or two more than
    // a long one; an N+1 would make the long page dearer.
    let few = count(&app, &member, PAGE, json!({"id": ids[0], "n": 2})).await;
    let many = count(&app, &member, PAGE, json!({"id": ids[0], "n": 12})).await;
    // One statement of slack for a batch split by scheduling; an N+1 would add ten.
    assert!(
        many <= few + 1,
        "{few} statements for 2 items, {many} for 12"
    );
    assert!(few <= 30, "a community page costs {few} statements");
    eprintln!("community page: {few} statements for 2 items, {many} for 12");
}

#[tokio::test]
async fn charters_calendars_and_assets_of_six_communities_cost_no_more_than_of_two() {
    let (app, member, _) = world(6, 4).await;
    // As for the community page, which loaders run depends on the rows shown; an N+1 would
    // make six communities dearer than two.
    let two = count(&app, &member, NETWORK, json!({"n": 2})).await;
    let six = count(&app, &member, NETWORK, json!({"n": 6})).await;
    // One statement of slack for a batch split by scheduling (PostgreSQL, busy machines); an
    // N+1 would add at least one statement per extra community, four here.
    assert!(
        six <= two + 1,
        "{two} statements for 2 communities, {six} for 6"
    );
    assert!(two <= 30, "a network page costs {two} statements");
    eprintln!("network page: {two} statements for 2 communities, {six} for 6");
}
