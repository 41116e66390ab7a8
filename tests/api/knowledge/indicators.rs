//! Success indicators: measured series worked out by hand, manual values, rule 7 for
//! network figures, the CSV export, and the denial paths.

use chrono::{Datelike, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::mutations::world;

const DEFINE: &str = "mutation($i: DefineIndicatorInput!) { defineIndicator(input: $i) { indicator { id kind name target period manual placeId } } }";
const RECORD: &str = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicator { id } } }";
const SERIES: &str = "query($id: ID!) { node(id: $id) { ... on Indicator { series { periodStart value target note } } } }";
const START: &str = "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }";

fn last_value(g: &copnet_tests::Gql) -> Value {
    g.ok();
    let series = g.at("/node/series").as_array().cloned().unwrap_or_default();
    assert_eq!(series.len(), 12, "{}", g.body);
    series
        .last()
        .map(|p| p["value"].clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_community_indicator_is_measured_per_period_against_its_target() {
    let w = world().await;
    let app = &w.app;
    let space = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let posts = app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"communityId": w.community, "kind": "POSTS", "name": "Posts per month", "target": 10, "period": "MONTH"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    let members = app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"communityId": w.community, "kind": "MEMBERS", "name": "Members", "target": 5, "period": "QUARTER"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    // Two threads by Bob and a reply by Alice this month: 3.
    let thread = app
        .must(&w.bob, START, json!({"s": space}), "/startThread/thread/id")
        .await;
    app.must(&w.bob, START, json!({"s": space}), "/startThread/thread/id")
        .await;
    app.must(
        &w.alice,
        "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"r\"}) { post { id } } }",
        json!({"t": thread}),
        "/createPost/post/id",
    )
    .await;

    let g = w.run(Some(&w.carol), SERIES, json!({"id": posts})).await;
    assert_eq!(last_value(&g), json!(3.0));
    let series = g.at("/node/series").as_array().cloned().unwrap_or_default();
    let month = Utc
        .with_ymd_and_hms(Utc::now().year(), Utc::now().month(), 1, 0, 0, 0)
        .single()
        .expect("month");
    let start = series[11]["periodStart"].as_str().unwrap_or_default();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(start).ok(),
        Some(month.into())
    );
    assert_eq!(series[11]["target"], json!(10.0));
    assert_eq!(series[0]["value"], json!(0.0), "nothing a year ago");
    let g = w.run(None, SERIES, json!({"id": members})).await;
    assert_eq!(last_value(&g), json!(2.0), "Alice and Bob");
}

#[tokio::test]
async fn a_manual_indicator_keeps_the_values_recorded_for_its_periods() {
    let w = world().await;
    let custom = w
        .app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"communityId": w.community, "kind": "CUSTOM", "name": "Survey score", "target": 4, "period": "WEEK"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    let today = Utc::now().date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let monday = format!("{monday}T00:00:00Z");
    let g = w
        .run(
            Some(&w.alice),
            RECORD,
            json!({"i": {"indicatorId": custom, "periodStart": monday, "value": 3.5, "note": "=SUM(A1) from the survey"}}),
        )
        .await;
    g.ok();
    let g = w.run(Some(&w.bob), SERIES, json!({"id": custom})).await;
    assert_eq!(last_value(&g), json!(3.5));
    assert_eq!(
        g.at("/node/series/10/value"),
        &Value::Null,
        "nothing recorded"
    );
    assert_eq!(g.at("/node/series/11/note"), "=SUM(A1) from the survey");

    // The CSV export: anonymous for a public community, the note defused for spreadsheets.
    let (status, csv) = w
        .app
        .get(&format!("/export/indicators/{custom}.csv"), &[])
        .await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "indicator,kind,period,period_start,value,target,note"
    );
    assert_eq!(lines.len(), 13, "{csv}");
    assert_eq!(
        lines[12],
        format!(
            "Survey score,CUSTOM,WEEK,{},3.5,4,'=SUM(A1) from the survey",
            &monday[..10]
        )
    );

    // Denials and bad input.
    let tuesday = format!(
        "{}T00:00:00Z",
        monday[..10].parse::<chrono::NaiveDate>().expect("date") + Duration::days(1)
    );
    for (who, input, code, field) in [
        (
            &w.bob,
            json!({"indicatorId": custom, "periodStart": monday, "value": 1}),
            "FORBIDDEN",
            None,
        ),
        (
            &w.alice,
            json!({"indicatorId": custom, "periodStart": tuesday, "value": 1}),
            "BAD_USER_INPUT",
            Some("periodStart"),
        ),
    ] {
        let g = w.run(Some(who), RECORD, json!({"i": input})).await;
        g.expect_code(code);
        assert_eq!(g.field(), field, "{}", g.body);
    }
    let measured = w
        .app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"communityId": w.community, "kind": "THREADS", "name": "Threads", "target": 1, "period": "WEEK"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    let g = w
        .run(
            Some(&w.alice),
            RECORD,
            json!({"i": {"indicatorId": measured, "periodStart": monday, "value": 1}}),
        )
        .await;
    g.expect_code("BAD_USER_INPUT");
    assert_eq!(g.field(), Some("indicatorId"));
}

#[tokio::test]
async fn only_those_who_run_a_place_define_its_indicators_with_valid_input() {
    let w = world().await;
    let base = json!({"kind": "POSTS", "name": "Posts", "target": 1, "period": "MONTH"});
    let with = |extra: Value| {
        let mut i = base.clone();
        for (k, v) in extra.as_object().expect("object") {
            i[k] = v.clone();
        }
        json!({"i": i})
    };
    for (who, vars, code, field) in [
        (
            &w.bob,
            with(json!({"communityId": w.community})),
            "FORBIDDEN",
            None,
        ),
        (
            &w.carol,
            with(json!({"communityId": w.community})),
            "FORBIDDEN",
            None,
        ),
        (
            &w.bob,
            with(json!({"networkId": w.network})),
            "FORBIDDEN",
            None,
        ),
        (
            &w.alice,
            with(json!({})),
            "BAD_USER_INPUT",
            Some("communityId"),
        ),
        (
            &w.alice,
            with(json!({"communityId": w.community, "networkId": w.network})),
            "BAD_USER_INPUT",
            Some("communityId"),
        ),
        (
            &w.alice,
            with(json!({"communityId": w.community, "kind": "CUSTOM", "manual": false})),
            "BAD_USER_INPUT",
            Some("manual"),
        ),
        (
            &w.alice,
            with(json!({"communityId": w.community, "name": ""})),
            "BAD_USER_INPUT",
            Some("name"),
        ),
        (
            &w.alice,
            with(json!({"communityId": w.community, "target": 1e13})),
            "BAD_USER_INPUT",
            Some("target"),
        ),
    ] {
        let g = w.run(Some(who), DEFINE, vars).await;
        g.expect_code(code);
        assert_eq!(g.field(), field, "{}", g.body);
    }
    let anonymous = w
        .run(None, DEFINE, with(json!({"communityId": w.community})))
        .await;
    anonymous.expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_network_indicator_counts_only_the_communities_the_caller_sees() {
    let w = world().await;
    let app = &w.app;
    let vault = app
        .community(&w.alice, &w.network, "vault", "PRIVATE", "INVITE_ONLY")
        .await;
    let dan = app.person("dan").await;
    app.enroll(&w.alice, &vault, &dan).await;
    let hidden = app.space(&w.alice, &vault, "inner", "MEMBERS").await;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    app.must(&dan, START, json!({"s": hidden}), "/startThread/thread/id")
        .await;
    for _ in 0..2 {
        app.must(&w.bob, START, json!({"s": open}), "/startThread/thread/id")
            .await;
    }
    let network = app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"networkId": w.network, "kind": "THREADS", "name": "Threads", "target": 50, "period": "YEAR"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    let vaults = app
        .must(
            &w.alice,
            DEFINE,
            json!({"i": {"communityId": vault, "kind": "THREADS", "name": "Vault threads", "target": 5, "period": "YEAR"}}),
            "/defineIndicator/indicator/id",
        )
        .await;
    let steward = w.run(Some(&w.alice), SERIES, json!({"id": network})).await;
    assert_eq!(last_value(&steward), json!(3.0));
    for who in [Some(&w.carol), None] {
        let g = w.run(who, SERIES, json!({"id": network})).await;
        assert_eq!(
            last_value(&g),
            json!(2.0),
            "the private community is not counted"
        );
        let hidden = w.run(who, SERIES, json!({"id": vaults})).await;
        assert_eq!(hidden.at("/node"), &Value::Null, "{}", hidden.body);
    }
    let listed = w
        .run(
            None,
            "query($n: ID!) { node(id: $n) { ... on LearningNetwork { indicators { name } } } }",
            json!({"n": w.network}),
        )
        .await;
    assert_eq!(listed.at("/node/indicators"), &json!([{"name": "Threads"}]));

    // The export follows the same rights: hidden without a token, shown with the steward's.
    let (status, _) = app
        .get(&format!("/export/indicators/{vaults}.csv"), &[])
        .await;
    assert_eq!(status, 404);
    let token = app
        .must(
            &w.alice,
            "mutation { createCalendarToken(input: {}) { token } }",
            json!({}),
            "/createCalendarToken/token",
        )
        .await;
    let (status, csv) = app
        .get(
            &format!("/export/indicators/{vaults}.csv?token={token}"),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{csv}");
    assert!(
        csv.lines().last().unwrap_or_default().contains(",1,5,"),
        "{csv}"
    );
    let (status, _) = app
        .get(&format!("/export/indicators/{vaults}.csv?token=nope"), &[])
        .await;
    assert_eq!(status, 401);
}
