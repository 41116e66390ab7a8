//! `Query.suggestions`: communities and people for the viewer, with reasons and scores
//! worked out by hand.

use serde_json::json;

use crate::mutations::world;

const TOPIC: &str = "mutation($n: ID!, $name: String!) { createTopic(input: {networkId: $n, name: $name}) { topic { id } } }";
const SUGGEST: &str = "query($n: ID!) { suggestions(networkId: $n) {
    communities { community { slug } score reasons { kind topics { name } } }
    people { person { displayName } score reasons { kind topics { name } } } } }";

#[tokio::test]
async fn suggestions_name_their_reasons_and_score_them_within_what_the_viewer_sees() {
    let w = world().await;
    let seeds = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": w.network, "name": "Seeds"}),
            "/createTopic/topic/id",
        )
        .await;
    let soil = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": w.network, "name": "Soil"}),
            "/createTopic/topic/id",
        )
        .await;
    let north = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    // Garden's public space talks about seeds.
    let open = w.app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    w.app.must(&w.alice, "mutation($s: ID!, $t: [ID!]) { startThread(input: {spaceId: $s, title: \"Seeds\", body: \"b\", topicIds: $t}) { thread { id } } }", json!({"s": open, "t": [seeds]}), "/startThread/thread/id").await;
    // Forest, in the North cluster and hosted by acme, holds an event on seeds and soil.
    let forest = w.app.must(&w.alice, "mutation($n: ID!, $k: ID!, $o: ID!) { createCommunity(input: {networkId: $n, slug: \"forest\", name: \"Forest\", visibility: PUBLIC, joinPolicy: OPEN, clusterIds: [$k], hostOrganizationId: $o}) { community { id } } }", json!({"n": w.network, "k": north, "o": w.org}), "/createCommunity/community/id").await;
    w.app
        .event(
            &w.alice,
            json!({"communityId": forest}),
            json!({"topicIds": [seeds, soil]}),
        )
        .await;
    // Quiet talks about seeds in a MEMBERS space only; Hidden is private.
    let quiet = w
        .app
        .community(&w.alice, &w.network, "quiet", "PUBLIC", "OPEN")
        .await;
    let lounge = w.app.space(&w.alice, &quiet, "lounge", "MEMBERS").await;
    w.app.must(&w.alice, "mutation($s: ID!, $t: [ID!]) { startThread(input: {spaceId: $s, title: \"x\", body: \"b\", topicIds: $t}) { thread { id } } }", json!({"s": lounge, "t": [seeds]}), "/startThread/thread/id").await;
    let hidden = w
        .app
        .community(&w.alice, &w.network, "hidden", "PRIVATE", "OPEN")
        .await;
    w.app
        .event(
            &w.alice,
            json!({"communityId": hidden}),
            json!({"topicIds": [seeds]}),
        )
        .await;

    // Carol wants to learn about seeds and soil, is of the North and of acme.
    let carol = &w.carol;
    for t in [&seeds, &soil] {
        w.run(
            Some(carol),
            "mutation($t: ID!) { setInterest(input: {topicId: $t}) { topic { id } } }",
            json!({"t": t}),
        )
        .await
        .ok();
    }
    w.run(Some(carol), "mutation($k: ID!) { setProfile(input: {languages: [], regionClusterId: $k}) { person { id } } }", json!({"k": north}))
        .await
        .ok();
    w.app.affiliate(&w.alice, &w.org, carol, "ORG_MEMBER").await;
    // Bob is a seeds expert of the North; Dan, of acme, wants to learn about soil; Erin, a
    // seeds expert known only through the hidden community, is not shown.
    let expert = "mutation($t: ID!) { setExpertise(input: {topicId: $t, level: EXPERT}) { expertise { level } } }";
    w.run(Some(&w.bob), expert, json!({"t": seeds})).await.ok();
    w.run(Some(&w.bob), "mutation($k: ID!) { setProfile(input: {languages: [], regionClusterId: $k}) { person { id } } }", json!({"k": north}))
        .await
        .ok();
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    w.run(
        Some(&dan),
        "mutation($t: ID!) { setInterest(input: {topicId: $t}) { topic { id } } }",
        json!({"t": soil}),
    )
    .await
    .ok();
    w.app.affiliate(&w.alice, &w.org, &dan, "ORG_MEMBER").await;
    let erin = w.app.person("erin").await;
    w.app.enroll(&w.alice, &hidden, &erin).await;
    w.run(Some(&erin), expert, json!({"t": seeds})).await.ok();

    let got = w.run(Some(carol), SUGGEST, json!({"n": w.network})).await;
    got.ok();
    assert_eq!(
        got.at("/suggestions/communities"),
        &json!([
            {"community": {"slug": "forest"}, "score": 9, "reasons": [
                {"kind": "SHARED_TOPIC", "topics": [{"name": "Seeds"}, {"name": "Soil"}]},
                {"kind": "SAME_CLUSTER", "topics": []},
                {"kind": "SAME_ORGANIZATION", "topics": []}]},
            {"community": {"slug": "garden"}, "score": 3, "reasons": [
                {"kind": "SHARED_TOPIC", "topics": [{"name": "Seeds"}]}]}])
    );
    assert_eq!(
        got.at("/suggestions/people"),
        &json!([
            {"person": {"displayName": "bob"}, "score": 6, "reasons": [
                {"kind": "EXPERT_IN_YOUR_INTEREST", "topics": [{"name": "Seeds"}]},
                {"kind": "SAME_CLUSTER", "topics": []}]},
            {"person": {"displayName": "dan"}, "score": 4, "reasons": [
                {"kind": "SHARED_TOPIC", "topics": [{"name": "Soil"}]},
                {"kind": "SAME_ORGANIZATION", "topics": []}]}])
    );
    // Bob, a member of Garden, is not offered it; Alice posted there lately.
    let bobs = w.run(Some(&w.bob), SUGGEST, json!({"n": w.network})).await;
    bobs.ok();
    let slugs: Vec<&str> = bobs
        .at("/suggestions/communities")
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["community"]["slug"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(!slugs.contains(&"garden"), "{slugs:?}");
    assert!(
        bobs.at("/suggestions/people")
            .as_array()
            .is_some_and(|p| p.iter().any(|s| s["person"]["displayName"] == "alice"
                && s["reasons"]
                    .to_string()
                    .contains("ACTIVE_IN_YOUR_COMMUNITY"))),
        "{}",
        bobs.body
    );
    // Anonymous callers get none; a hidden network is NOT_FOUND.
    let anonymous = w.run(None, SUGGEST, json!({"n": w.network})).await;
    assert_eq!(
        anonymous.at("/suggestions"),
        &json!({"communities": [], "people": []})
    );
    let inner = w.app.network(&w.alice, &w.org, "inner", "PRIVATE").await;
    w.run(Some(carol), SUGGEST, json!({"n": inner}))
        .await
        .expect_code("NOT_FOUND");
}
