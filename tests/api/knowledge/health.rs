//! `Community.health` and its sums over clusters and networks: figures worked out by hand,
//! and rule 7 (a private community's numbers never reach those who may not see it).

use chrono::{DurationRound, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::mutations::world;

const HEALTH: &str = "members activeRatio postsLast30Days eventsLast90Days assetsPublishedLast90Days averageFeedback feedbackCount communities";

fn health_query(kind: &str) -> String {
    format!("query($id: ID!) {{ node(id: $id) {{ ... on {kind} {{ health {{ {HEALTH} }} }} }} }}")
}

#[tokio::test]
async fn a_communitys_health_counts_its_members_posts_events_assets_and_feedback() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let core = app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let erin = app.person("erin").await;
    app.enroll(&w.alice, &w.community, &erin).await;
    // Bob starts a thread, Alice replies, and Alice posts in the private space: 3 posts,
    // Alice and Bob active, Erin not: 2 of 3.
    let thread = app
        .must(
            &w.bob,
            "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }",
            json!({"s": open}),
            "/startThread/thread/id",
        )
        .await;
    app.must(
        &w.alice,
        "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"r\"}) { post { id } } }",
        json!({"t": thread}),
        "/createPost/post/id",
    )
    .await;
    app.must(
        &w.alice,
        "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"p\", body: \"b\"}) { thread { id } } }",
        json!({"s": core}),
        "/startThread/thread/id",
    )
    .await;
    // One occurrence held two days ago, one next week.
    let minute = TimeDelta::minutes(1);
    let now = Utc::now().duration_trunc(minute).expect("minute");
    let iso = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    for at in [now - TimeDelta::days(2), now + TimeDelta::days(7)] {
        app.event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": iso(at), "endsAt": iso(at + TimeDelta::hours(1))}),
        )
        .await;
    }
    // One asset published.
    let asset = app
        .must(
            &w.alice,
            "mutation($s: ID!) { createAsset(input: {spaceId: $s, kind: TOOLKIT, title: \"Kit\"}) { asset { id } } }",
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
    app.must(
        &w.bob,
        "mutation($a: ID!) { reviewAsset(input: {assetId: $a, decision: APPROVE}) { asset { status } } }",
        json!({"a": asset}),
        "/reviewAsset/asset/status",
    )
    .await;
    // Ratings 4 and 2: 3.0.
    let feedback = "mutation($t: ID!, $r: Int!) { giveFeedback(input: {targetId: $t, rating: $r}) { rating } }";
    for (who, rating) in [(&w.bob, 4), (&erin, 2)] {
        w.run(Some(who), feedback, json!({"t": w.community, "r": rating}))
            .await
            .ok();
    }

    let expected = json!({
        "members": 3, "activeRatio": 2.0 / 3.0, "postsLast30Days": 3, "eventsLast90Days": 1,
        "assetsPublishedLast90Days": 1, "averageFeedback": 3.0, "feedbackCount": 2, "communities": 1
    });
    // The same community-level figures for a member, an outsider and an anonymous caller
    // of this public community.
    for who in [Some(&w.bob), Some(&w.carol), None] {
        let g = w
            .run(who, &health_query("Community"), json!({"id": w.community}))
            .await;
        g.ok();
        assert_eq!(g.at("/node/health"), &expected, "{}", g.body);
    }
}

#[tokio::test]
async fn network_and_cluster_health_sum_only_the_communities_the_caller_sees() {
    let w = world().await;
    let app = &w.app;
    let vault = app
        .community(&w.alice, &w.network, "vault", "PRIVATE", "INVITE_ONLY")
        .await;
    let dan = app.person("dan").await;
    app.enroll(&w.alice, &vault, &dan).await;
    let space = app.space(&w.alice, &vault, "inner", "MEMBERS").await;
    app.must(
        &dan,
        "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"secret\", body: \"b\"}) { thread { id } } }",
        json!({"s": space}),
        "/startThread/thread/id",
    )
    .await;
    let cluster = app
        .must(
            &w.alice,
            "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }",
            json!({"n": w.network}),
            "/createCluster/cluster/id",
        )
        .await;
    for community in [&w.community, &vault] {
        app.must(
            &w.alice,
            "mutation($c: ID!, $k: ID!) { updateCommunity(input: {communityId: $c, clusterIds: [$k]}) { community { id } } }",
            json!({"c": community, "k": cluster}),
            "/updateCommunity/community/id",
        )
        .await;
    }

    let pick = |g: &copnet_tests::Gql| {
        let h = g.at("/node/health");
        (
            h["communities"].clone(),
            h["members"].clone(),
            h["postsLast30Days"].clone(),
        )
    };
    for (kind, id) in [
        ("LearningNetwork", &w.network),
        ("RegionalCluster", &cluster),
    ] {
        // The steward (a member of both) counts both: 2 + 2 members, 1 post.
        let steward = w
            .run(Some(&w.alice), &health_query(kind), json!({"id": id}))
            .await;
        assert_eq!(
            pick(&steward),
            (json!(2), json!(4), json!(1)),
            "{}",
            steward.body
        );
        // An outsider and an anonymous caller count the public community only.
        for who in [Some(&w.carol), None] {
            let g = w.run(who, &health_query(kind), json!({"id": id})).await;
            assert_eq!(pick(&g), (json!(1), json!(2), json!(0)), "{}", g.body);
        }
    }
    // The private community's own figures are hidden with it.
    let hidden = w
        .run(
            Some(&w.carol),
            &health_query("Community"),
            json!({"id": vault}),
        )
        .await;
    assert_eq!(hidden.at("/node"), &Value::Null, "{}", hidden.body);
}
