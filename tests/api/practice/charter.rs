use serde_json::json;

use crate::mutations::world;

const UPDATE: &str = "mutation($i: UpdateCharterInput!) { updateCharter(input: $i) { charter {
    revision domain goals audience outOfScope outputs governance meetingRhythm newsletterCadence
    reportingCadence author { id } createdAt } } }";
const READ: &str = "query($id: ID!) { node(id: $id) { ... on Community {
    charter { revision domain goals meetingRhythm reportingCadence }
    charterRevisions { totalCount nodes { revision domain } } } } }";

#[tokio::test]
async fn manager_appends_charter_revisions_that_whoever_sees_the_community_reads() {
    let w = world().await;
    let first = w
        .run(
            Some(&w.alice),
            UPDATE,
            json!({"i": {"communityId": w.community, "domain": "Urban gardens",
                "goals": ["Share seeds", "  ", "Map gardens"], "outputs": ["A seed guide"],
                "audience": "Gardeners", "outOfScope": "Commercial farms",
                "governance": "A core group of three", "meetingRhythm": "MONTHLY",
                "newsletterCadence": "QUARTERLY", "reportingCadence": "YEARLY"}}),
        )
        .await;
    first.ok();
    let c = first.at("/updateCharter/charter");
    assert_eq!(c["revision"], 1);
    assert_eq!(c["goals"], json!(["Share seeds", "Map gardens"]));
    assert_eq!(c["author"]["id"], json!(w.alice.id));
    assert_eq!(c["newsletterCadence"], "QUARTERLY");
    // A second revision changes what it names and keeps the rest.
    let second = w
        .run(
            Some(&w.alice),
            UPDATE,
            json!({"i": {"communityId": w.community, "domain": "Urban and school gardens"}}),
        )
        .await;
    second.ok();
    assert_eq!(second.at("/updateCharter/charter/revision"), &json!(2));
    assert_eq!(
        second.at("/updateCharter/charter/goals"),
        &json!(["Share seeds", "Map gardens"])
    );
    assert_eq!(
        second.at("/updateCharter/charter/meetingRhythm"),
        &json!("MONTHLY")
    );
    // Anonymous callers read a public community's charter and every revision, newest first.
    let read = w.run(None, READ, json!({"id": w.community})).await;
    read.ok();
    assert_eq!(read.at("/node/charter/revision"), &json!(2));
    assert_eq!(
        read.at("/node/charter/domain"),
        &json!("Urban and school gardens")
    );
    assert_eq!(read.at("/node/charterRevisions/totalCount"), &json!(2));
    assert_eq!(
        read.at("/node/charterRevisions/nodes"),
        &json!([{"revision": 2, "domain": "Urban and school gardens"},
                {"revision": 1, "domain": "Urban gardens"}])
    );
}

#[tokio::test]
async fn a_community_without_a_charter_shows_null() {
    let w = world().await;
    let read = w.run(Some(&w.bob), READ, json!({"id": w.community})).await;
    read.ok();
    assert_eq!(read.at("/node/charter"), &json!(null));
    assert_eq!(read.at("/node/charterRevisions/totalCount"), &json!(0));
}

#[tokio::test]
async fn only_managers_change_the_charter_and_never_of_a_hidden_or_archived_community() {
    let w = world().await;
    let input = json!({"i": {"communityId": w.community, "domain": "X"}});
    w.run(Some(&w.bob), UPDATE, input.clone())
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), UPDATE, input.clone())
        .await
        .expect_code("FORBIDDEN");
    w.run(None, UPDATE, input.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    let hidden = w
        .app
        .community(&w.alice, &w.network, "hidden", "PRIVATE", "INVITE_ONLY")
        .await;
    w.run(
        Some(&w.carol),
        UPDATE,
        json!({"i": {"communityId": hidden, "domain": "X"}}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.app.must(&w.alice, "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { stage } } }", json!({"c": w.community}), "/setCommunityStage/community/stage").await;
    w.run(Some(&w.alice), UPDATE, input)
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn charter_input_out_of_bounds_is_refused_by_field() {
    let w = world().await;
    let too_many: Vec<String> = (0..31).map(|i| format!("goal {i}")).collect();
    for (input, field) in [
        (json!({"goals": too_many}), "goals"),
        (json!({"outputs": ["x".repeat(501)]}), "outputs"),
        (json!({"domain": "d".repeat(4001)}), "domain"),
        (json!({"goals": ["a\u{0007}b"]}), "goals"),
    ] {
        let mut i = input;
        i["communityId"] = json!(w.community);
        let refused = w.run(Some(&w.alice), UPDATE, json!({"i": i})).await;
        refused.expect_code("BAD_USER_INPUT");
        assert_eq!(refused.errors()[0]["extensions"]["field"], json!(field));
    }
}
