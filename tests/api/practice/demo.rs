//! The seeded demo shows the practice on its first run: a charter, a launch held, a monthly
//! roundtable series, two assets (one in review) and an onboarding journey.

use copnet_tests::TestApp;
use serde_json::json;

const FORESTRY: &str =
    "{ network(slug: \"conservation-learning\") { community(slug: \"community-forestry\") {
    stage charter { revision goals }
    events(first: 5) { nodes { event { title format recurrence } } }
    assets { totalCount nodes { title status } }
    onboardingSteps { key kind } } } }";

#[tokio::test]
async fn the_demo_shows_a_charter_events_assets_in_review_and_an_onboarding_journey() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let luis = app.token("luis");
    let seen = app.gql(Some(&luis), FORESTRY, json!({})).await;
    seen.ok();
    let community = seen.at("/network/community");
    assert_eq!(community["stage"], "ACTIVE");
    assert_eq!(community["charter"]["revision"], 1);
    assert_eq!(
        community["events"]["nodes"][0]["event"]["recurrence"],
        "FREQ=MONTHLY;BYDAY=2TU"
    );
    // The manager sees both assets; the published toolkit is the launch's output.
    assert_eq!(
        community["assets"],
        json!({"totalCount": 2, "nodes": [
            {"title": "What the 2026 fire season taught us", "status": "IN_REVIEW"},
            {"title": "Community monitoring toolkit", "status": "PUBLISHED"}]})
    );
    assert_eq!(
        community["onboardingSteps"].as_array().map(Vec::len),
        Some(4)
    );
    // Anonymous visitors see the published toolkit only, and the launch's output.
    let anonymous = app.gql(None, FORESTRY, json!({})).await;
    assert_eq!(
        anonymous.at("/network/community/assets/nodes"),
        &json!([{"title": "Community monitoring toolkit", "status": "PUBLISHED"}])
    );
    let from = (chrono::Utc::now() - chrono::TimeDelta::days(30)).to_rfc3339();
    let launch = app
        .gql(
            None,
            "query($f: DateTime!) { network(slug: \"conservation-learning\") { community(slug: \"community-forestry\") {
                events(from: $f, first: 1) { nodes { event { format outputs { title } } } } } } }",
            json!({"f": from}),
        )
        .await;
    launch.ok();
    assert_eq!(
        launch.at("/network/community/events/nodes/0/event"),
        &json!({"format": "LAUNCH", "outputs": [{"title": "Community monitoring toolkit"}]})
    );
    // The network's topics, and who knows about monitoring (Luis's display name follows the
    // test token's, "luis").
    let map = app
        .gql(
            None,
            "{ network(slug: \"conservation-learning\") { id topics(search: \"mrv\") { nodes { id name } } } }",
            json!({}),
        )
        .await;
    map.ok();
    let topic = map.str("/network/topics/nodes/0/id");
    let network = map.str("/network/id");
    let experts = app
        .gql(
            None,
            "query($n: ID!, $t: ID!) { node(id: $n) { ... on LearningNetwork { experts(topicId: $t) { edges { level node { displayName languages } } } } } }",
            json!({"n": network, "t": topic}),
        )
        .await;
    experts.ok();
    assert_eq!(
        experts.at("/node/experts/edges"),
        &json!([{"level": "EXPERT", "node": {"displayName": "luis", "languages": ["es", "en"]}}])
    );
}
