//! The seeded demo shows the practice on its first run: a charter, a launch held, a monthly
//! roundtable series, two assets (one in review), an onboarding journey, conversations to
//! search, success indicators with series, participation circles and a digest.

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

const FINDINGS: &str = "query($q: String!) { search(query: $q) {
    totalCount edges { type snippet node { ... on Thread { title } } } } }";

#[tokio::test]
async fn the_demo_has_conversations_to_search_indicators_with_series_circles_and_a_digest() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let (luis, maria) = (app.token("luis"), app.token("maria"));
    // The lounge's question is the members'; the Spanish announcement is everyone's, found
    // by another form of its words.
    let remeasure = json!({"q": "remeasuring plots"});
    let member = app.gql(Some(&maria), FINDINGS, remeasure.clone()).await;
    member.ok();
    assert_eq!(member.at("/search/totalCount"), 3, "{:?}", member.body);
    let anonymous = app.gql(None, FINDINGS, remeasure).await;
    assert_eq!(anonymous.at("/search/totalCount"), 0);
    let fire = app.gql(None, FINDINGS, json!({"q": "incendio"})).await;
    fire.ok();
    assert_eq!(
        fire.at("/search/edges/0/node/title"),
        "Preparativos para la temporada de incendios"
    );
    assert!(
        fire.str("/search/edges/0/snippet")
            .contains("<mark>incendios</mark>")
    );

    let forestry = app
        .gql(
            Some(&luis),
            "{ network(slug: \"conservation-learning\") { community(slug: \"community-forestry\") {
                id circles { core inner outer new }
                indicators { kind name manual series { value target } } } } }",
            json!({}),
        )
        .await;
    forestry.ok();
    let community = forestry.at("/network/community");
    // Luis manages and María holds CORE: both organisers.
    assert_eq!(
        community["circles"],
        json!({"core": 2, "inner": 0, "outer": 0, "new": 0})
    );
    let indicators = community["indicators"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(indicators.len(), 2);
    let posts = &indicators[0];
    assert_eq!(
        (posts["kind"].as_str(), posts["manual"].as_bool()),
        (Some("POSTS"), Some(false))
    );
    let this_month = posts["series"].as_array().and_then(|s| s.last()).cloned();
    assert_eq!(this_month, Some(json!({"value": 3.0, "target": 20.0})));
    let hectares: Vec<_> = indicators[1]["series"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["value"].as_f64())
        .collect();
    assert_eq!(hectares, [3200.0, 4100.0]);

    let to = chrono::Utc::now() + chrono::TimeDelta::minutes(1);
    let from = to - chrono::TimeDelta::days(30);
    let digest = app
        .gql(
            None,
            "query($c: ID!, $f: DateTime!, $t: DateTime!) { digest(communityId: $c, from: $f, to: $t) {
                topThreads { thread { title } postsInPeriod } newAssets { title } html } }",
            json!({"c": community["id"], "f": from.to_rfc3339(), "t": to.to_rfc3339()}),
        )
        .await;
    digest.ok();
    // An anonymous reader of the newsletter gets the public thread and the published toolkit.
    assert_eq!(
        digest.at("/digest/topThreads"),
        &json!([{"thread": {"title": "Preparativos para la temporada de incendios"}, "postsInPeriod": 1}])
    );
    assert_eq!(
        digest.at("/digest/newAssets"),
        &json!([{"title": "Community monitoring toolkit"}])
    );
    assert!(
        digest
            .str("/digest/html")
            .contains("Preparativos para la temporada")
    );
}
