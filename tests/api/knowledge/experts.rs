//! `LearningNetwork.experts`: an ordering worked out by hand, narrowing, paging, rule 8.

use serde_json::{Value, json};

use crate::mutations::world;

const TOPIC: &str = "mutation($n: ID!, $name: String!) { createTopic(input: {networkId: $n, name: $name}) { topic { id } } }";
const EXPERTS: &str = "query($n: ID!, $t: ID!, $k: ID, $o: ID, $l: String, $f: Int, $a: String) { node(id: $n) { ... on LearningNetwork {
    experts(topicId: $t, clusterId: $k, organizationId: $o, language: $l, first: $f, after: $a) {
      totalCount pageInfo { hasNextPage endCursor } edges { level recentPosts node { displayName } } } } } }";

fn names(g: &copnet_tests::Gql) -> Vec<String> {
    g.at("/node/experts/edges")
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .filter_map(|e| e["node"]["displayName"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn experts_come_most_expert_then_most_active_within_what_the_caller_sees() {
    let w = world().await;
    let topic = w
        .app
        .must(
            &w.alice,
            TOPIC,
            json!({"n": w.network, "name": "Monitoring"}),
            "/createTopic/topic/id",
        )
        .await;
    let open = w.app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let mut people = Vec::new();
    for name in ["dan", "erin", "frank"] {
        let p = w.app.person(name).await;
        w.app.enroll(&w.alice, &w.community, &p).await;
        people.push(p);
    }
    let [dan, erin, frank] = [&people[0], &people[1], &people[2]];
    let declare = "mutation($t: ID!, $l: ExpertiseLevel!) { setExpertise(input: {topicId: $t, level: $l}) { expertise { level } } }";
    for (who, level) in [
        (&w.bob, "EXPERT"),
        (dan, "EXPERT"),
        (erin, "PRACTITIONER"),
        (frank, "AWARE"),
    ] {
        w.run(Some(who), declare, json!({"t": topic, "l": level}))
            .await
            .ok();
    }
    let post = "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }";
    // Dan posts three times, Bob once (his post in the private space does not count), Erin
    // five times: Dan, Bob, Erin, Frank.
    for (who, times, space) in [(dan, 3, &open), (&w.bob, 1, &open), (erin, 5, &open)] {
        for _ in 0..times {
            w.run(Some(who), post, json!({"s": space})).await.ok();
        }
    }
    w.app.add_to_space(&w.alice, &core, &w.bob).await;
    w.run(Some(&w.bob), post, json!({"s": core})).await.ok();
    let all = w
        .run(Some(&w.alice), EXPERTS, json!({"n": w.network, "t": topic}))
        .await;
    all.ok();
    assert_eq!(names(&all), ["dan", "bob", "erin", "frank"]);
    assert_eq!(
        all.at("/node/experts/edges/0"),
        &json!({"level": "EXPERT", "recentPosts": 3, "node": {"displayName": "dan"}})
    );
    assert_eq!(all.at("/node/experts/edges/1/recentPosts"), &json!(1));
    // Pages of two.
    let first = w
        .run(
            Some(&w.alice),
            EXPERTS,
            json!({"n": w.network, "t": topic, "f": 2}),
        )
        .await;
    assert_eq!(names(&first), ["dan", "bob"]);
    assert_eq!(first.at("/node/experts/pageInfo/hasNextPage"), &json!(true));
    let cursor = first.str("/node/experts/pageInfo/endCursor");
    let second = w
        .run(
            Some(&w.alice),
            EXPERTS,
            json!({"n": w.network, "t": topic, "f": 2, "a": cursor}),
        )
        .await;
    assert_eq!(names(&second), ["erin", "frank"]);
    assert_eq!(
        second.at("/node/experts/pageInfo/hasNextPage"),
        &json!(false)
    );

    // Narrowing by language, cluster and organization.
    w.run(
        Some(dan),
        "mutation { setProfile(input: {languages: [\"es\", \"pt\"]}) { person { languages } } }",
        json!({}),
    )
    .await
    .ok();
    let cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    w.run(Some(erin), "mutation($k: ID!) { setProfile(input: {languages: [], regionClusterId: $k}) { person { languages } } }", json!({"k": cluster}))
        .await
        .ok();
    w.app
        .affiliate(&w.alice, &w.org, &w.bob, "ORG_MEMBER")
        .await;
    for (narrow, expected) in [
        (json!({"l": "pt"}), vec!["dan"]),
        (json!({"l": "fr"}), vec![]),
        (json!({"k": cluster}), vec!["erin"]),
        (json!({"o": w.org}), vec!["bob"]),
    ] {
        let mut vars = json!({"n": w.network, "t": topic});
        if let (Some(v), Some(n)) = (vars.as_object_mut(), narrow.as_object()) {
            v.extend(n.clone());
        }
        let got = w.run(Some(&w.alice), EXPERTS, vars).await;
        got.ok();
        assert_eq!(names(&got), expected, "{narrow}");
    }

    // Rule 8: an expert seen only through a private community is listed for its members only.
    let gina = w.app.person("gina").await;
    let closed = w
        .app
        .community(&w.alice, &w.network, "closed", "PRIVATE", "INVITE_ONLY")
        .await;
    w.app.enroll(&w.alice, &closed, &gina).await;
    w.run(Some(&gina), declare, json!({"t": topic, "l": "EXPERT"}))
        .await
        .ok();
    let outsider = w
        .run(Some(&w.carol), EXPERTS, json!({"n": w.network, "t": topic}))
        .await;
    assert_eq!(outsider.at("/node/experts/totalCount"), &json!(4));
    assert!(!names(&outsider).contains(&"gina".to_owned()));
    let insider = w
        .run(Some(&w.alice), EXPERTS, json!({"n": w.network, "t": topic}))
        .await;
    assert_eq!(insider.at("/node/experts/totalCount"), &json!(5));

    // A topic of another network, a bad language and a bad cursor are refused.
    let elsewhere = w.app.network(&w.alice, &w.org, "elsewhere", "PUBLIC").await;
    w.run(Some(&w.alice), EXPERTS, json!({"n": elsewhere, "t": topic}))
        .await
        .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        EXPERTS,
        json!({"n": w.network, "t": topic, "l": "%"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    let bad = w
        .run(
            Some(&w.alice),
            EXPERTS,
            json!({"n": w.network, "t": topic, "a": "x"}),
        )
        .await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.at("/node"), &Value::Null);
}
