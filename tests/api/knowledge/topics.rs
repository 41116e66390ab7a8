use serde_json::{Value, json};

use crate::mutations::world;

const CREATE: &str = "mutation($n: ID!, $name: String!, $a: [String!]) { createTopic(input: {networkId: $n, name: $name, aliases: $a}) { topic { id name aliases network { slug } } } }";
const SEARCH: &str = "query($n: ID!, $q: String) { node(id: $n) { ... on LearningNetwork { topics(search: $q) { totalCount nodes { name } } } } }";
const EXPERTISE: &str = "mutation($t: ID!, $l: ExpertiseLevel!, $n: String) { setExpertise(input: {topicId: $t, level: $l, note: $n}) { expertise { topic { name } level note } } }";
const PROFILE: &str = "query($p: ID!) { node(id: $p) { ... on Person { expertise { topic { name } level note } interests { name } languages bio regionCluster { slug } } } }";

#[tokio::test]
async fn stewards_create_topics_that_the_network_searches_by_name_and_alias() {
    let w = world().await;
    let created = w
        .run(
            Some(&w.alice),
            CREATE,
            json!({"n": w.network, "name": "Forest monitoring", "a": ["MRV", "forest inventory", "mrv"]}),
        )
        .await;
    created.ok();
    assert_eq!(
        created.at("/createTopic/topic/aliases"),
        &json!(["MRV", "forest inventory"])
    );
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"n": w.network, "name": "Fire"}),
    )
    .await
    .ok();
    for (q, names) in [
        (json!("mrv"), json!([{"name": "Forest monitoring"}])),
        (json!("FIRE"), json!([{"name": "Fire"}])),
        (
            Value::Null,
            json!([{"name": "Forest monitoring"}, {"name": "Fire"}]),
        ),
    ] {
        let found = w.run(None, SEARCH, json!({"n": w.network, "q": q})).await;
        found.ok();
        assert_eq!(found.at("/node/topics/nodes"), &names, "{q}");
    }
    // Names and aliases are unique in the network, whatever their case.
    for name in ["forest MONITORING", "Mrv"] {
        w.run(
            Some(&w.alice),
            CREATE,
            json!({"n": w.network, "name": name}),
        )
        .await
        .expect_code("CONFLICT");
    }
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"n": w.network, "name": "  "}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    for who in [Some(&w.bob), Some(&w.carol)] {
        w.run(who, CREATE, json!({"n": w.network, "name": "Seeds"}))
            .await
            .expect_code("FORBIDDEN");
    }
    w.run(None, CREATE, json!({"n": w.network, "name": "Seeds"}))
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn people_declare_expertise_interests_and_a_profile_shown_within_what_others_see() {
    let w = world().await;
    let public = w
        .app
        .must(
            &w.alice,
            CREATE,
            json!({"n": w.network, "name": "Monitoring"}),
            "/createTopic/topic/id",
        )
        .await;
    let hidden_net = w.app.network(&w.alice, &w.org, "inner", "PRIVATE").await;
    let hidden = w
        .app
        .must(
            &w.alice,
            CREATE,
            json!({"n": hidden_net, "name": "Secret"}),
            "/createTopic/topic/id",
        )
        .await;
    // Bob cannot see the private network's topic.
    w.run(Some(&w.bob), EXPERTISE, json!({"t": hidden, "l": "EXPERT"}))
        .await
        .expect_code("NOT_FOUND");
    let set = w
        .run(
            Some(&w.bob),
            EXPERTISE,
            json!({"t": public, "l": "PRACTITIONER", "n": "Ten years of plots"}),
        )
        .await;
    set.ok();
    // Declaring again replaces the level.
    w.run(
        Some(&w.bob),
        EXPERTISE,
        json!({"t": public, "l": "EXPERT", "n": "Ten years of plots"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.bob),
        "mutation($t: ID!) { setInterest(input: {topicId: $t}) { topic { name } } }",
        json!({"t": public}),
    )
    .await
    .ok();
    let cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    let profile = w
        .run(
            Some(&w.bob),
            "mutation($k: ID) { setProfile(input: {languages: [\"es\", \"EN\", \"es\"], regionClusterId: $k, bio: \"Forester\"}) { person { languages bio regionCluster { slug } } } }",
            json!({"k": cluster}),
        )
        .await;
    profile.ok();
    assert_eq!(
        profile.at("/setProfile/person"),
        &json!({"languages": ["es", "en"], "bio": "Forester", "regionCluster": {"slug": "north"}})
    );
    // Alice, who sees Bob through their community, sees it all.
    let seen = w.run(Some(&w.alice), PROFILE, json!({"p": w.bob.id})).await;
    seen.ok();
    assert_eq!(
        seen.at("/node"),
        &json!({"expertise": [{"topic": {"name": "Monitoring"}, "level": "EXPERT", "note": "Ten years of plots"}],
            "interests": [{"name": "Monitoring"}], "languages": ["es", "en"], "bio": "Forester", "regionCluster": {"slug": "north"}})
    );
    // Alice's expertise on the private network's topic is shown to those who see it only.
    w.run(
        Some(&w.alice),
        EXPERTISE,
        json!({"t": hidden, "l": "AWARE"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        EXPERTISE,
        json!({"t": public, "l": "AWARE"}),
    )
    .await
    .ok();
    let of_alice = |g: &copnet_tests::Gql| g.at("/node/expertise").clone();
    assert_eq!(
        of_alice(&w.run(Some(&w.bob), PROFILE, json!({"p": w.alice.id})).await),
        json!([{"topic": {"name": "Monitoring"}, "level": "AWARE", "note": ""}])
    );
    assert_eq!(
        of_alice(
            &w.run(Some(&w.alice), PROFILE, json!({"p": w.alice.id}))
                .await
        )
        .as_array()
        .map(Vec::len),
        Some(2)
    );
    // People the caller may not see stay hidden, with their profile (rule 8).
    let dan = w.app.person("dan").await;
    let closed = w
        .app
        .community(&w.alice, &w.network, "closed", "PRIVATE", "INVITE_ONLY")
        .await;
    w.app.enroll(&w.alice, &closed, &dan).await;
    w.run(Some(&dan), EXPERTISE, json!({"t": public, "l": "EXPERT"}))
        .await
        .ok();
    assert_eq!(
        w.run(Some(&w.carol), PROFILE, json!({"p": dan.id}))
            .await
            .at("/node"),
        &Value::Null
    );
    // Withdrawn expertise is gone; withdrawing again is NOT_FOUND.
    let remove = "mutation($t: ID!) { removeExpertise(input: {topicId: $t}) { topic { name } } }";
    w.run(Some(&w.bob), remove, json!({"t": public})).await.ok();
    w.run(Some(&w.bob), remove, json!({"t": public}))
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(
        w.run(Some(&w.alice), PROFILE, json!({"p": w.bob.id}))
            .await
            .at("/node/expertise"),
        &json!([])
    );
}

#[tokio::test]
async fn profiles_and_expertise_refuse_bad_input_and_anonymous_callers() {
    let w = world().await;
    let topic = w
        .app
        .must(
            &w.alice,
            CREATE,
            json!({"n": w.network, "name": "Monitoring"}),
            "/createTopic/topic/id",
        )
        .await;
    let set = "mutation($l: [String!]!, $k: ID) { setProfile(input: {languages: $l, regionClusterId: $k}) { person { languages } } }";
    let bad = w.run(Some(&w.bob), set, json!({"l": ["english"]})).await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.field(), Some("languages"));
    let hidden_net = w.app.network(&w.alice, &w.org, "inner", "PRIVATE").await;
    let hidden_cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"deep\", name: \"Deep\"}) { cluster { id } } }", json!({"n": hidden_net}), "/createCluster/cluster/id").await;
    w.run(Some(&w.bob), set, json!({"l": [], "k": hidden_cluster}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.bob), set, json!({"l": [], "k": w.community}))
        .await
        .expect_code("NOT_FOUND");
    w.run(None, set, json!({"l": []}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(None, EXPERTISE, json!({"t": topic, "l": "EXPERT"}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(Some(&w.bob), EXPERTISE, json!({"t": "nope", "l": "EXPERT"}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.bob),
        "mutation($t: ID!) { removeInterest(input: {topicId: $t}) { topic { name } } }",
        json!({"t": topic}),
    )
    .await
    .expect_code("NOT_FOUND");
}
