//! `Query.digest`: a period's busiest threads, new assets, upcoming events and new members,
//! as data and as sanitized HTML, never carrying what the caller may not read.

use chrono::{DurationRound, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::mutations::world;

const DIGEST: &str = "query($c: ID, $n: ID, $f: DateTime!, $t: DateTime!) { digest(communityId: $c, networkId: $n, from: $f, to: $t) {
    topThreads { postsInPeriod thread { title } } newAssets { title } upcomingEvents { startsAt event { title } }
    newMembers { person { displayName } } newMemberCount html } }";
const START: &str = "mutation($s: ID!, $title: String!) { startThread(input: {spaceId: $s, title: $title, body: \"b\"}) { thread { id } } }";
const REPLY: &str =
    "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"r\"}) { post { id } } }";

fn iso(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn titles(g: &copnet_tests::Gql) -> Vec<(String, u64)> {
    g.ok();
    g.at("/digest/topThreads")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|t| {
            (
                t["thread"]["title"].as_str().unwrap_or_default().to_owned(),
                t["postsInPeriod"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_digest_shows_the_period_as_the_caller_may_read_it() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let core = app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let erin = app.person("erin").await;
    app.enroll(&w.alice, &w.community, &erin).await;
    let soil = "<b onmouseover=alert(1)>Soil</b> tests";
    let busy = app
        .must(
            &w.bob,
            START,
            json!({"s": open, "title": soil}),
            "/startThread/thread/id",
        )
        .await;
    for who in [&w.alice, &erin] {
        app.must(who, REPLY, json!({"t": busy}), "/createPost/post/id")
            .await;
    }
    app.must(
        &erin,
        START,
        json!({"s": open, "title": "Seeds"}),
        "/startThread/thread/id",
    )
    .await;
    let plan = app
        .must(
            &w.alice,
            START,
            json!({"s": core, "title": "Private plan"}),
            "/startThread/thread/id",
        )
        .await;
    for _ in 0..4 {
        app.must(&w.alice, REPLY, json!({"t": plan}), "/createPost/post/id")
            .await;
    }
    let asset = app
        .must(
            &w.alice,
            "mutation($s: ID!) { createAsset(input: {spaceId: $s, kind: TOOLKIT, title: \"Field guide\"}) { asset { id } } }",
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
    let to = Utc::now()
        .duration_trunc(TimeDelta::minutes(1))
        .expect("minute")
        + TimeDelta::minutes(2);
    let from = to - TimeDelta::days(7);
    let meeting = to + TimeDelta::days(3);
    app.event(
        &w.alice,
        json!({"communityId": w.community}),
        json!({"title": "Harvest call", "startsAt": iso(meeting), "endsAt": iso(meeting + TimeDelta::hours(1))}),
    )
    .await;
    let period = json!({"c": w.community, "f": iso(from), "t": iso(to)});

    let bob = w.run(Some(&w.bob), DIGEST, period.clone()).await;
    assert_eq!(
        titles(&bob),
        [(soil.to_owned(), 3), ("Seeds".to_owned(), 1)]
    );
    assert_eq!(
        bob.at("/digest/newAssets"),
        &json!([{"title": "Field guide"}])
    );
    assert_eq!(
        bob.at("/digest/upcomingEvents/0/event/title"),
        "Harvest call"
    );
    assert_eq!(bob.at("/digest/newMemberCount"), 3, "Alice, Bob and Erin");
    let html = bob.str("/digest/html");
    assert!(
        html.contains("Field guide") && html.contains("Harvest call"),
        "{html}"
    );
    assert!(
        !html.contains("<b ") && !html.contains("<b>"),
        "the title stays text: {html}"
    );
    assert!(html.contains("&lt;b onmouseover"), "{html}");
    assert!(!bob.body.to_string().contains("Private plan"));

    // The manager reads the private space: its thread leads her digest.
    let alice = w.run(Some(&w.alice), DIGEST, period.clone()).await;
    assert_eq!(titles(&alice)[0], ("Private plan".to_owned(), 5));
    // An outsider and an anonymous caller of this public community see what Bob sees.
    for who in [Some(&w.carol), None] {
        let g = w.run(who, DIGEST, period.clone()).await;
        assert_eq!(titles(&g).len(), 2, "{}", g.body);
        assert!(!g.body.to_string().contains("Private plan"));
    }
}

#[tokio::test]
async fn a_network_digest_leaves_out_what_the_caller_may_not_see() {
    let w = world().await;
    let app = &w.app;
    let vault = app
        .community(&w.alice, &w.network, "vault", "PRIVATE", "INVITE_ONLY")
        .await;
    let inner = app.space(&w.alice, &vault, "inner", "MEMBERS").await;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    app.must(
        &w.alice,
        START,
        json!({"s": inner, "title": "Vault news"}),
        "/startThread/thread/id",
    )
    .await;
    app.must(
        &w.bob,
        START,
        json!({"s": open, "title": "Garden news"}),
        "/startThread/thread/id",
    )
    .await;
    let to = Utc::now() + TimeDelta::minutes(1);
    let period = json!({"n": w.network, "f": iso(to - TimeDelta::days(1)), "t": iso(to)});
    let steward = w.run(Some(&w.alice), DIGEST, period.clone()).await;
    assert_eq!(titles(&steward).len(), 2, "{}", steward.body);
    let outsider = w.run(Some(&w.carol), DIGEST, period.clone()).await;
    assert_eq!(titles(&outsider), [("Garden news".to_owned(), 1)]);
    assert!(
        !outsider.body.to_string().contains("vault"),
        "{}",
        outsider.body
    );

    // Bad input and hidden places.
    let bad = [
        (
            json!({"c": w.community, "n": w.network, "f": iso(to - TimeDelta::days(1)), "t": iso(to)}),
            "BAD_USER_INPUT",
        ),
        (
            json!({"c": w.community, "f": iso(to), "t": iso(to - TimeDelta::days(1))}),
            "BAD_USER_INPUT",
        ),
        (
            json!({"c": w.community, "f": iso(to - TimeDelta::days(400)), "t": iso(to)}),
            "BAD_USER_INPUT",
        ),
        (
            json!({"c": vault, "f": iso(to - TimeDelta::days(1)), "t": iso(to)}),
            "NOT_FOUND",
        ),
    ];
    for (vars, code) in bad {
        let g = w.run(Some(&w.carol), DIGEST, vars).await;
        g.expect_code(code);
        assert_eq!(g.at("/digest"), &Value::Null, "{}", g.body);
    }
}
