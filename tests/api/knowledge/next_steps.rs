//! `Membership.nextSteps`: typed steps inward, in the documented order, for the member only,
//! never pointing at what the member may not read.

use chrono::{DurationRound, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::mutations::world;

const STEPS: &str =
    "query($p: ID!) { node(id: $p) { ... on Person { memberships(first: 10) { nodes {
    nextSteps { kind message occurrenceStart onboardingStepKey topic { name }
      target { __typename ... on Thread { title } ... on Space { slug } ... on Asset { title }
        ... on Event { title } ... on Community { slug } } } } } } } }";
const START: &str = "mutation($s: ID!, $title: String!, $t: [ID!]) { startThread(input: {spaceId: $s, title: $title, body: \"b\", topicIds: $t}) { thread { id } } }";

fn steps(g: &copnet_tests::Gql) -> Vec<Value> {
    g.ok();
    g.at("/node/memberships/nodes/0/nextSteps")
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no steps in {}", g.body))
}

fn kinds(steps: &[Value]) -> Vec<&str> {
    steps.iter().filter_map(|s| s["kind"].as_str()).collect()
}

#[tokio::test]
async fn a_member_is_offered_steps_inward_in_order_and_only_what_they_may_read() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let core = app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let topic = app
        .must(
            &w.alice,
            "mutation($n: ID!) { createTopic(input: {networkId: $n, name: \"Monitoring\"}) { topic { id } } }",
            json!({"n": w.network}),
            "/createTopic/topic/id",
        )
        .await;
    w.run(
        Some(&w.bob),
        "mutation($t: ID!) { setInterest(input: {topicId: $t}) { topic { id } } }",
        json!({"t": topic}),
    )
    .await
    .ok();
    app.must(
        &w.alice,
        "mutation($c: ID!) { setOnboardingSteps(input: {communityId: $c, steps: [{key: \"read-charter\", title: \"Read the charter\", kind: READ_CHARTER}]}) { community { id } } }",
        json!({"c": w.community}),
        "/setOnboardingSteps/community/id",
    )
    .await;
    // An unanswered thread on Bob's topic, one in a private space he is not on, one already
    // answered, and one on no topic.
    for (space, title, topics) in [
        (&open, "Indicators for peer learning?", json!([topic])),
        (&core, "Private question", json!([topic])),
        (&open, "Answered", json!([topic])),
        (&open, "Off topic", json!([])),
    ] {
        let thread = app
            .must(
                &w.alice,
                START,
                json!({"s": space, "title": title, "t": topics}),
                "/startThread/thread/id",
            )
            .await;
        if title == "Answered" {
            app.must(
                &w.alice,
                "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"self answer\"}) { post { id } } }",
                json!({"t": thread}),
                "/createPost/post/id",
            )
            .await;
        }
    }
    // An asset waiting for Bob's review.
    let asset = app
        .must(
            &w.alice,
            "mutation($s: ID!) { createAsset(input: {spaceId: $s, kind: TOOLKIT, title: \"Toolkit\"}) { asset { id } } }",
            json!({"s": open}),
            "/createAsset/asset/id",
        )
        .await;
    app.must(
        &w.alice,
        "mutation($a: ID!, $r: ID!) { submitAssetForReview(input: {assetId: $a, reviewerIds: [$r]}) { asset { status } } }",
        json!({"a": asset, "r": w.bob.id}),
        "/submitAssetForReview/asset/status",
    )
    .await;
    // Two events ahead: the sooner one is offered.
    let minute = TimeDelta::minutes(1);
    let soon = Utc::now().duration_trunc(minute).expect("minute") + TimeDelta::days(2);
    let iso = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    for (title, at) in [("Later", soon + TimeDelta::days(5)), ("Soon", soon)] {
        app.event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": title, "startsAt": iso(at), "endsAt": iso(at + TimeDelta::hours(1))}),
        )
        .await;
    }

    let g = w.run(Some(&w.bob), STEPS, json!({"p": w.bob.id})).await;
    let found = steps(&g);
    assert_eq!(
        kinds(&found),
        [
            "COMPLETE_ONBOARDING",
            "INTRODUCE_YOURSELF",
            "REVIEW_ASSET",
            "REPLY_TO_UNANSWERED_THREAD",
            "RSVP_NEXT_EVENT"
        ],
        "{}",
        g.body
    );
    assert_eq!(found[0]["onboardingStepKey"], "read-charter");
    assert_eq!(found[0]["target"]["__typename"], "Community");
    assert_eq!(
        found[1]["target"],
        json!({"__typename": "Space", "slug": "open"})
    );
    assert_eq!(found[2]["target"]["title"], "Toolkit");
    assert_eq!(found[3]["target"]["title"], "Indicators for peer learning?");
    assert_eq!(found[3]["topic"]["name"], "Monitoring");
    assert_eq!(found[4]["target"]["title"], "Soon");
    let start = found[4]["occurrenceStart"].as_str().unwrap_or_default();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(start).ok(),
        Some(soon.into())
    );
    assert!(!g.body.to_string().contains("Private question"));

    // Another member sees Bob's membership but not his next steps.
    let other = w.run(Some(&w.alice), STEPS, json!({"p": w.bob.id})).await;
    other.ok();
    let listed = other.at("/node/memberships/nodes/0/nextSteps");
    assert_eq!(listed, &Value::Null, "{}", other.body);

    // Bob answers the thread, reads the charter, answers the event, reviews the asset:
    // nothing is left but the later event.
    let thread = found[3]["target"]["title"].clone();
    assert_eq!(thread, "Indicators for peer learning?");
    let threads = w
        .run(
            Some(&w.bob),
            "query($s: ID!) { node(id: $s) { ... on Space { threads(first: 10) { nodes { id title } } } } }",
            json!({"s": open}),
        )
        .await;
    let id = threads
        .at("/node/threads/nodes")
        .as_array()
        .and_then(|n| n.iter().find(|t| t["title"] == thread))
        .map(|t| t["id"].as_str().unwrap_or_default().to_owned())
        .expect("thread");
    app.must(
        &w.bob,
        "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"Try outcome harvesting\"}) { post { id } } }",
        json!({"t": id}),
        "/createPost/post/id",
    )
    .await;
    w.run(
        Some(&w.bob),
        "mutation($c: ID!) { completeOnboardingStep(input: {communityId: $c, key: \"read-charter\"}) { membership { id } } }",
        json!({"c": w.community}),
    )
    .await
    .ok();
    w.run(
        Some(&w.bob),
        "mutation($a: ID!) { reviewAsset(input: {assetId: $a, decision: APPROVE}) { asset { status } } }",
        json!({"a": asset}),
    )
    .await
    .ok();
    let g = w.run(Some(&w.bob), STEPS, json!({"p": w.bob.id})).await;
    let left = steps(&g);
    assert_eq!(kinds(&left), ["RSVP_NEXT_EVENT"], "{}", g.body);
    assert_eq!(left[0]["target"]["title"], "Soon");
}
