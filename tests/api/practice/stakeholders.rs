use serde_json::json;

use crate::mutations::world;

const ADD: &str = "mutation($i: AddStakeholderInput!) { addStakeholder(input: $i) { stakeholder { id name role interest reportingCadence organization { slug } } } }";
const LIST: &str = "query($id: ID!) { node(id: $id) { ... on Community { stakeholders { totalCount nodes { name role reportingCadence } } } } }";
const FEEDBACK: &str = "mutation($t: ID!, $r: Int!, $c: String) { giveFeedback(input: {targetId: $t, rating: $r, comment: $c}) { rating comment } }";
const SUMMARY: &str = "query($id: ID!) { node(id: $id) { ... on Community { feedbackSummary { count averageRating distribution } } } }";

#[tokio::test]
async fn managers_record_stakeholders_that_members_read() {
    let w = world().await;
    let added = w
        .run(
            Some(&w.alice),
            ADD,
            json!({"i": {"communityId": w.community, "name": "Ministry of Environment", "organizationId": w.org,
                "role": "FUNDER", "interest": "Yearly impact figures", "reportingCadence": "QUARTERLY"}}),
        )
        .await;
    added.ok();
    assert_eq!(
        added.at("/addStakeholder/stakeholder/organization/slug"),
        &json!("acme")
    );
    let id = added.str("/addStakeholder/stakeholder/id");
    let listed = w.run(Some(&w.bob), LIST, json!({"id": w.community})).await;
    listed.ok();
    assert_eq!(
        listed.at("/node/stakeholders"),
        &json!({"totalCount": 1, "nodes": [{"name": "Ministry of Environment", "role": "FUNDER", "reportingCadence": "QUARTERLY"}]})
    );
    // Outsiders do not read them; members do not write them.
    w.run(Some(&w.carol), LIST, json!({"id": w.community}))
        .await
        .expect_code("FORBIDDEN");
    w.run(None, LIST, json!({"id": w.community}))
        .await
        .expect_code("FORBIDDEN");
    w.run(
        Some(&w.bob),
        ADD,
        json!({"i": {"communityId": w.community, "name": "X", "role": "HOST"}}),
    )
    .await
    .expect_code("FORBIDDEN");
    let update = "mutation($s: ID!) { updateStakeholder(input: {stakeholderId: $s, name: \"Ministry\", role: ACCOUNTABLE_TO, reportingCadence: YEARLY}) { stakeholder { name role reportingCadence } } }";
    w.run(Some(&w.bob), update, json!({"s": id}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), update, json!({"s": id}))
        .await
        .expect_code("NOT_FOUND");
    let updated = w.run(Some(&w.alice), update, json!({"s": id})).await;
    updated.ok();
    assert_eq!(
        updated.at("/updateStakeholder/stakeholder"),
        &json!({"name": "Ministry", "role": "ACCOUNTABLE_TO", "reportingCadence": "YEARLY"})
    );
    w.run(
        Some(&w.alice),
        ADD,
        json!({"i": {"communityId": w.community, "name": "", "role": "HOST"}}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.alice), "mutation($s: ID!) { removeStakeholder(input: {stakeholderId: $s}) { stakeholder { name } } }", json!({"s": id}))
        .await
        .ok();
    let listed = w.run(Some(&w.bob), LIST, json!({"id": w.community})).await;
    assert_eq!(listed.at("/node/stakeholders/totalCount"), &json!(0));
}

#[tokio::test]
async fn members_rate_once_and_managers_alone_read_the_comments() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    w.run(
        Some(&w.bob),
        FEEDBACK,
        json!({"t": w.community, "r": 2, "c": "Too few events"}),
    )
    .await
    .ok();
    // A second rating replaces the first.
    let replaced = w
        .run(
            Some(&w.bob),
            FEEDBACK,
            json!({"t": w.community, "r": 4, "c": "Better now"}),
        )
        .await;
    replaced.ok();
    w.run(Some(&dan), FEEDBACK, json!({"t": w.community, "r": 5}))
        .await
        .ok();
    let summary = w
        .run(Some(&w.bob), SUMMARY, json!({"id": w.community}))
        .await;
    assert_eq!(
        summary.at("/node/feedbackSummary"),
        &json!({"count": 2, "averageRating": 4.5, "distribution": [0, 0, 0, 1, 1]})
    );
    let outsider = w
        .run(Some(&w.carol), SUMMARY, json!({"id": w.community}))
        .await;
    assert_eq!(outsider.at("/node/feedbackSummary"), &json!(null));
    let comments = "query($id: ID!) { node(id: $id) { ... on Community { feedback { totalCount nodes { rating comment person { id } } } } } }";
    let read = w
        .run(Some(&w.alice), comments, json!({"id": w.community}))
        .await;
    read.ok();
    assert_eq!(read.at("/node/feedback/totalCount"), &json!(2));
    let texts: Vec<&str> = read
        .at("/node/feedback/nodes")
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["comment"].as_str()).collect())
        .unwrap_or_default();
    assert!(texts.contains(&"Better now") && !texts.contains(&"Too few events"));
    w.run(Some(&w.bob), comments, json!({"id": w.community}))
        .await
        .expect_code("FORBIDDEN");
    // Outsiders cannot rate; ratings outside 1..5 are refused.
    w.run(Some(&w.carol), FEEDBACK, json!({"t": w.community, "r": 3}))
        .await
        .expect_code("FORBIDDEN");
    for bad in [0, 6] {
        let refused = w
            .run(Some(&w.bob), FEEDBACK, json!({"t": w.community, "r": bad}))
            .await;
        refused.expect_code("BAD_USER_INPUT");
        assert_eq!(refused.errors()[0]["extensions"]["field"], "rating");
    }
    w.run(Some(&w.bob), FEEDBACK, json!({"t": w.org, "r": 3}))
        .await
        .expect_code("BAD_USER_INPUT");
    // Events are rated by whoever may answer for them.
    let event = w
        .app
        .event(&w.alice, json!({"communityId": w.community}), json!({}))
        .await;
    w.run(Some(&w.bob), FEEDBACK, json!({"t": event, "r": 3}))
        .await
        .ok();
    let read = w
        .run(Some(&dan), "query($id: ID!) { node(id: $id) { ... on Event { feedbackSummary { count averageRating } } } }", json!({"id": event}))
        .await;
    assert_eq!(
        read.at("/node/feedbackSummary"),
        &json!({"count": 1, "averageRating": 3.0})
    );
    w.run(Some(&w.carol), FEEDBACK, json!({"t": event, "r": 3}))
        .await
        .expect_code("FORBIDDEN");
}
