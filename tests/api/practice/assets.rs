//! Knowledge assets through HTTP: drafts, versions, peer review, retirement, lists and the
//! outputs of events, each with its denials.

use copnet_domain::{event::Topic, ids::PersonId};
use copnet_tests::uuid_of;
use serde_json::{Value, json};

use crate::mutations::{World, world};

const CREATE: &str = "mutation($i: CreateAssetInput!) { createAsset(input: $i) { asset { id status version title tags url bodyHtml } } }";
const SUBMIT: &str = "mutation($a: ID!, $r: [ID!]!) { submitAssetForReview(input: {assetId: $a, reviewerIds: $r}) { asset { status reviews { reviewer { displayName } decision } } } }";
const REVIEW: &str = "mutation($a: ID!, $d: ReviewDecision!, $c: String) { reviewAsset(input: {assetId: $a, decision: $d, comment: $c}) { asset { status publishedAt reviews { decision comment round } } } }";
const SEE: &str = "query($id: ID!) { node(id: $id) { ... on Asset { status title version } } }";
const SPACE_ASSETS: &str = "query($s: ID!, $f: AssetFilter) { node(id: $s) { ... on Space { assets(filter: $f) { totalCount nodes { title status } } } } }";

async fn create(
    w: &World,
    who: &copnet_tests::fixtures::Person,
    space: &str,
    extra: Value,
) -> String {
    let mut input = json!({"spaceId": space, "kind": "TOOLKIT", "title": "Nursery toolkit",
        "summary": "How to run a tree nursery", "body": "Step **one**", "tags": ["Nurseries", "seeds"]});
    if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            i.insert(k.clone(), v.clone());
        }
    }
    w.app
        .must(who, CREATE, json!({"i": input}), "/createAsset/asset/id")
        .await
}

fn status(g: &copnet_tests::Gql) -> Value {
    g.at("/node/status").clone()
}

#[tokio::test]
async fn an_asset_is_published_when_every_named_reviewer_approves() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    let eve = w.app.person("eve").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    w.app.enroll(&w.alice, &w.community, &eve).await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "MEMBERS")
        .await;
    let created = w
        .run(
            Some(&w.bob),
            CREATE,
            json!({"i": {"spaceId": space, "kind": "TOOLKIT", "title": "Nursery toolkit", "body": "Step **one**",
                "url": "https://example.org/toolkit.pdf", "tags": ["Seeds", "nurseries", "seeds"]}}),
        )
        .await;
    created.ok();
    assert_eq!(
        created.at("/createAsset/asset/tags"),
        &json!(["nurseries", "seeds"])
    );
    assert_eq!(
        created.at("/createAsset/asset/bodyHtml"),
        &json!("<p>Step <strong>one</strong></p>\n")
    );
    let asset = created.str("/createAsset/asset/id");
    // A draft: its author and the managers see it; other members do not.
    assert_eq!(
        status(&w.run(Some(&w.bob), SEE, json!({"id": asset})).await),
        "DRAFT"
    );
    assert_eq!(
        status(&w.run(Some(&w.alice), SEE, json!({"id": asset})).await),
        "DRAFT"
    );
    assert_eq!(
        w.run(Some(&dan), SEE, json!({"id": asset}))
            .await
            .at("/node"),
        &Value::Null
    );
    let listed = w.run(Some(&dan), SPACE_ASSETS, json!({"s": space})).await;
    assert_eq!(listed.at("/node/assets/totalCount"), &json!(0));

    let submitted = w
        .run(
            Some(&w.bob),
            SUBMIT,
            json!({"a": asset, "r": [w.alice.id, dan.id]}),
        )
        .await;
    submitted.ok();
    assert_eq!(
        submitted.at("/submitAssetForReview/asset/status"),
        &json!("IN_REVIEW")
    );
    // Named reviewers see it in review; other members still do not.
    assert_eq!(
        status(&w.run(Some(&dan), SEE, json!({"id": asset})).await),
        "IN_REVIEW"
    );
    assert_eq!(
        w.run(Some(&eve), SEE, json!({"id": asset}))
            .await
            .at("/node"),
        &Value::Null
    );
    // Eve is no reviewer: the asset is hidden from her.
    w.run(Some(&eve), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await
        .expect_code("NOT_FOUND");
    // The author cannot revise it while in review.
    w.run(
        Some(&w.bob),
        "mutation($a: ID!) { reviseAsset(input: {assetId: $a, title: \"x\"}) { asset { id } } }",
        json!({"a": asset}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");

    let first = w
        .run(
            Some(&w.alice),
            REVIEW,
            json!({"a": asset, "d": "APPROVE", "c": "Good"}),
        )
        .await;
    first.ok();
    assert_eq!(first.at("/reviewAsset/asset/status"), &json!("IN_REVIEW"));
    let last = w
        .run(Some(&dan), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await;
    last.ok();
    assert_eq!(last.at("/reviewAsset/asset/status"), &json!("PUBLISHED"));
    assert!(last.at("/reviewAsset/asset/publishedAt").is_string());
    // Published: every reader of the space sees it, outsiders of a MEMBERS space do not.
    assert_eq!(
        status(&w.run(Some(&eve), SEE, json!({"id": asset})).await),
        "PUBLISHED"
    );
    assert_eq!(
        w.run(Some(&w.carol), SEE, json!({"id": asset}))
            .await
            .at("/node"),
        &Value::Null
    );
    assert_eq!(
        w.run(None, SEE, json!({"id": asset})).await.at("/node"),
        &Value::Null
    );
    // Reviews are for the author, the reviewers and the managers.
    let reviews = "query($id: ID!) { node(id: $id) { ... on Asset { reviews { decision } } } }";
    assert_eq!(
        w.run(Some(&eve), reviews, json!({"id": asset}))
            .await
            .at("/node/reviews"),
        &Value::Null
    );
    assert_eq!(
        w.run(Some(&w.bob), reviews, json!({"id": asset}))
            .await
            .at("/node/reviews"),
        &json!([{"decision": "APPROVE"}, {"decision": "APPROVE"}])
    );
    // Retired: still readable, marked.
    w.run(
        Some(&eve),
        "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { status } } }",
        json!({"a": asset}),
    )
    .await
    .expect_code("FORBIDDEN");
    let retired = w
        .run(Some(&w.bob), "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { status retired retiredAt } } }", json!({"a": asset}))
        .await;
    retired.ok();
    assert_eq!(retired.at("/retireAsset/asset/retired"), &json!(true));
    assert_eq!(
        status(&w.run(Some(&eve), SEE, json!({"id": asset})).await),
        "RETIRED"
    );
    w.run(
        Some(&w.bob),
        "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { status } } }",
        json!({"a": asset}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn a_request_for_changes_returns_the_asset_to_draft_and_a_revision_adds_a_version() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    let asset = create(&w, &w.bob, &space, json!({})).await;
    w.run(Some(&w.bob), SUBMIT, json!({"a": asset, "r": [w.alice.id]}))
        .await
        .ok();
    let back = w
        .run(
            Some(&w.alice),
            REVIEW,
            json!({"a": asset, "d": "REQUEST_CHANGES", "c": "Add a budget"}),
        )
        .await;
    back.ok();
    assert_eq!(
        back.at("/reviewAsset/asset"),
        &json!({"status": "DRAFT", "publishedAt": null, "reviews": [{"decision": "REQUEST_CHANGES", "comment": "Add a budget", "round": 1}]})
    );
    // Back in draft: anonymous readers of the public space do not see it.
    assert_eq!(
        w.run(None, SEE, json!({"id": asset})).await.at("/node"),
        &Value::Null
    );
    let revised = w
        .run(
            Some(&w.bob),
            "mutation($a: ID!) { reviseAsset(input: {assetId: $a, title: \"Nursery toolkit, with budget\", tags: []}) { asset { version title tags summary versions { totalCount nodes { version title } } } } }",
            json!({"a": asset}),
        )
        .await;
    revised.ok();
    assert_eq!(
        revised.at("/reviseAsset/asset"),
        &json!({"version": 2, "title": "Nursery toolkit, with budget", "tags": [], "summary": "How to run a tree nursery",
            "versions": {"totalCount": 2, "nodes": [{"version": 2, "title": "Nursery toolkit, with budget"}, {"version": 1, "title": "Nursery toolkit"}]}})
    );
    // A second round starts with fresh, pending reviews.
    let again = w
        .run(Some(&w.bob), SUBMIT, json!({"a": asset, "r": [w.alice.id]}))
        .await;
    again.ok();
    assert_eq!(
        again.at("/submitAssetForReview/asset/reviews/0/decision"),
        &Value::Null
    );
    let published = w
        .run(Some(&w.alice), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await;
    assert_eq!(
        published.at("/reviewAsset/asset/status"),
        &json!("PUBLISHED")
    );
    assert_eq!(
        w.run(None, SEE, json!({"id": asset}))
            .await
            .at("/node/status"),
        &json!("PUBLISHED")
    );
    // A published asset is corrected by managers only, and stays published.
    let fix = "mutation($a: ID!) { reviseAsset(input: {assetId: $a, summary: \"Fixed\"}) { asset { status version } } }";
    w.run(Some(&w.bob), fix, json!({"a": asset}))
        .await
        .expect_code("FORBIDDEN");
    let fixed = w.run(Some(&w.alice), fix, json!({"a": asset})).await;
    assert_eq!(
        fixed.at("/reviseAsset/asset"),
        &json!({"status": "PUBLISHED", "version": 3})
    );
}

#[tokio::test]
async fn reviewers_must_be_members_who_can_read_the_space() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.app.add_to_space(&w.alice, &core, &w.bob).await;
    let asset = create(&w, &w.bob, &core, json!({})).await;
    for (reviewers, why) in [
        (json!([dan.id]), "a member outside the private space"),
        (json!([w.carol.id]), "an outsider"),
        (json!([w.bob.id]), "the author"),
        (json!([]), "nobody"),
        (json!(["not-an-id"]), "a malformed ID"),
    ] {
        let refused = w
            .run(Some(&w.bob), SUBMIT, json!({"a": asset, "r": reviewers}))
            .await;
        assert_eq!(refused.code(), Some("BAD_USER_INPUT"), "{why}");
    }
    assert_eq!(
        status(&w.run(Some(&w.bob), SEE, json!({"id": asset})).await),
        "DRAFT"
    );
    // Dan, added to the space, may review.
    w.app.add_to_space(&w.alice, &core, &dan).await;
    w.run(Some(&w.bob), SUBMIT, json!({"a": asset, "r": [dan.id]}))
        .await
        .ok();
    // Taken off the space, he no longer sees it; the author takes it back from review.
    w.app.remove_from_space(&w.alice, &core, &dan).await;
    w.run(Some(&dan), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await
        .expect_code("NOT_FOUND");
    let withdraw =
        "mutation($a: ID!) { withdrawAssetFromReview(input: {assetId: $a}) { asset { status } } }";
    w.run(Some(&dan), withdraw, json!({"a": asset}))
        .await
        .expect_code("NOT_FOUND");
    let back = w.run(Some(&w.bob), withdraw, json!({"a": asset})).await;
    assert_eq!(
        back.at("/withdrawAssetFromReview/asset/status"),
        &json!("DRAFT")
    );
    w.run(Some(&w.bob), withdraw, json!({"a": asset}))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn asset_writes_refuse_bad_input_outsiders_and_archived_communities() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    for (bad, field) in [
        (json!({"title": ""}), "title"),
        (json!({"url": "ftp://example.org/x"}), "url"),
        (
            json!({"tags": (0..11).map(|i| format!("t{i}")).collect::<Vec<_>>()}),
            "tags",
        ),
        (json!({"tags": ["a,b"]}), "tags"),
        (json!({"body": "x".repeat(20_001)}), "body"),
    ] {
        let mut input = json!({"spaceId": space, "kind": "BLOG", "title": "A post"});
        if let (Some(i), Some(b)) = (input.as_object_mut(), bad.as_object()) {
            for (k, v) in b {
                i.insert(k.clone(), v.clone());
            }
        }
        let refused = w.run(Some(&w.bob), CREATE, json!({"i": input})).await;
        assert_eq!(refused.code(), Some("BAD_USER_INPUT"), "{field}");
        assert_eq!(refused.field(), Some(field));
    }
    // Outsiders and anonymous callers do not write; a draft is hidden from other members.
    let input = json!({"i": {"spaceId": space, "kind": "BLOG", "title": "A post"}});
    w.run(Some(&w.carol), CREATE, input.clone())
        .await
        .expect_code("FORBIDDEN");
    w.run(None, CREATE, input.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    let asset = create(&w, &w.alice, &space, json!({})).await;
    w.run(
        Some(&w.bob),
        "mutation($a: ID!) { reviseAsset(input: {assetId: $a, title: \"Mine\"}) { asset { id } } }",
        json!({"a": asset}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { id } } }",
        json!({"a": asset}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.alice), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await
        .expect_code("FORBIDDEN");
    w.app.must(&w.alice, "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { stage } } }", json!({"c": w.community}), "/setCommunityStage/community/stage").await;
    w.run(Some(&w.bob), CREATE, input)
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.alice), SUBMIT, json!({"a": asset, "r": [w.bob.id]}))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn asset_lists_filter_by_kind_tag_and_status_and_hide_unreadable_spaces() {
    let w = world().await;
    let open = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let toolkit = create(&w, &w.alice, &open, json!({"tags": ["seeds"]})).await;
    create(
        &w,
        &w.alice,
        &open,
        json!({"kind": "CASE_STUDY", "title": "Case", "tags": []}),
    )
    .await;
    let hidden = create(&w, &w.alice, &core, json!({"title": "Core notes"})).await;
    w.run(
        Some(&w.alice),
        SUBMIT,
        json!({"a": toolkit, "r": [w.bob.id]}),
    )
    .await
    .ok();
    // Bob cannot read the private space, so he cannot review its notes.
    w.run(
        Some(&w.alice),
        SUBMIT,
        json!({"a": hidden, "r": [w.bob.id]}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.bob), REVIEW, json!({"a": toolkit, "d": "APPROVE"}))
        .await
        .ok();
    let all = w
        .run(Some(&w.alice), SPACE_ASSETS, json!({"s": open}))
        .await;
    assert_eq!(
        all.at("/node/assets"),
        &json!({"totalCount": 2, "nodes": [{"title": "Case", "status": "DRAFT"}, {"title": "Nursery toolkit", "status": "PUBLISHED"}]})
    );
    for (filter, count) in [
        (json!({"kind": "TOOLKIT"}), 1),
        (json!({"tag": "SEEDS"}), 1),
        (json!({"tag": "none"}), 0),
        (json!({"status": "DRAFT"}), 1),
        (json!({"status": "PUBLISHED", "kind": "CASE_STUDY"}), 0),
    ] {
        let got = w
            .run(
                Some(&w.alice),
                SPACE_ASSETS,
                json!({"s": open, "f": filter}),
            )
            .await;
        assert_eq!(got.at("/node/assets/totalCount"), &json!(count), "{filter}");
    }
    let community = "query($c: ID!) { node(id: $c) { ... on Community { assets { totalCount nodes { title } } } } }";
    // Anonymous readers see the published toolkit only; the manager sees all three.
    assert_eq!(
        w.run(None, community, json!({"c": w.community}))
            .await
            .at("/node/assets"),
        &json!({"totalCount": 1, "nodes": [{"title": "Nursery toolkit"}]})
    );
    assert_eq!(
        w.run(Some(&w.alice), community, json!({"c": w.community}))
            .await
            .at("/node/assets/totalCount"),
        &json!(3)
    );
    // Readers only list a space's assets.
    w.run(Some(&w.bob), SPACE_ASSETS, json!({"s": core}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn managers_link_published_assets_as_event_outputs() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": "Roundtable"}),
        )
        .await;
    let asset = create(
        &w,
        &w.alice,
        &space,
        json!({"kind": "RECORDING", "title": "Recording"}),
    )
    .await;
    let link = "mutation($e: ID!, $a: ID!) { linkEventOutput(input: {eventId: $e, assetId: $a}) { event { outputs { title } } } }";
    w.run(Some(&w.alice), link, json!({"e": event, "a": asset}))
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.alice), SUBMIT, json!({"a": asset, "r": [w.bob.id]}))
        .await
        .ok();
    w.run(Some(&w.bob), REVIEW, json!({"a": asset, "d": "APPROVE"}))
        .await
        .ok();
    w.run(Some(&w.bob), link, json!({"e": event, "a": asset}))
        .await
        .expect_code("FORBIDDEN");
    let linked = w
        .run(Some(&w.alice), link, json!({"e": event, "a": asset}))
        .await;
    linked.ok();
    assert_eq!(
        linked.at("/linkEventOutput/event/outputs"),
        &json!([{"title": "Recording"}])
    );
    // Twice changes nothing; anonymous readers see the output.
    w.run(Some(&w.alice), link, json!({"e": event, "a": asset}))
        .await
        .ok();
    let outputs = "query($e: ID!) { node(id: $e) { ... on Event { outputs { title } } } }";
    assert_eq!(
        w.run(None, outputs, json!({"e": event}))
            .await
            .at("/node/outputs"),
        &json!([{"title": "Recording"}])
    );
    // An asset of another community is refused.
    let other = w
        .app
        .community(&w.alice, &w.network, "forest", "PUBLIC", "OPEN")
        .await;
    let elsewhere = w.app.space(&w.alice, &other, "docs", "PUBLIC").await;
    let foreign = create(&w, &w.alice, &elsewhere, json!({})).await;
    w.run(Some(&w.alice), link, json!({"e": event, "a": foreign}))
        .await
        .expect_code("BAD_USER_INPUT");
    let unlink = "mutation($e: ID!, $a: ID!) { unlinkEventOutput(input: {eventId: $e, assetId: $a}) { event { outputs { title } } } }";
    let unlinked = w
        .run(Some(&w.alice), unlink, json!({"e": event, "a": asset}))
        .await;
    assert_eq!(unlinked.at("/unlinkEventOutput/event/outputs"), &json!([]));
    w.run(Some(&w.alice), unlink, json!({"e": event, "a": asset}))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn reviewers_are_told_of_review_requests_as_they_are_made() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    let asset = create(&w, &w.bob, &space, json!({})).await;
    let mut alice = w.app.subscriber(Some(&w.alice.token)).await;
    let mut carol = w.app.subscriber(Some(&w.carol.token)).await;
    let query = "subscription { assetReviewRequested { title status } }";
    alice.subscribe("r", query, json!({})).await;
    carol.subscribe("r", query, json!({})).await;
    w.app
        .subscribed(Topic::Person(PersonId::from(uuid_of(&w.alice.id))), 1)
        .await;
    w.run(Some(&w.bob), SUBMIT, json!({"a": asset, "r": [w.alice.id]}))
        .await
        .ok();
    let told = alice.expect_next("r").await;
    assert_eq!(
        told["data"]["assetReviewRequested"],
        json!({"title": "Nursery toolkit", "status": "IN_REVIEW"})
    );
    carol
        .expect_silence(std::time::Duration::from_millis(200))
        .await;
    let mut anonymous = w.app.subscriber(None).await;
    anonymous.subscribe("r", query, json!({})).await;
    let refused = anonymous.expect_next("r").await;
    assert!(refused.to_string().contains("UNAUTHENTICATED"), "{refused}");
}

#[tokio::test]
async fn reviews_retirements_and_links_refuse_outsiders_and_archived_communities() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "library", "PUBLIC")
        .await;
    let published = create(&w, &w.bob, &space, json!({"title": "Published"})).await;
    w.run(
        Some(&w.bob),
        SUBMIT,
        json!({"a": published, "r": [w.alice.id]}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        REVIEW,
        json!({"a": published, "d": "APPROVE"}),
    )
    .await
    .ok();
    let pending = create(&w, &w.bob, &space, json!({"title": "Pending"})).await;
    w.run(
        Some(&w.bob),
        SUBMIT,
        json!({"a": pending, "r": [w.alice.id]}),
    )
    .await
    .ok();
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"title": "Meet"}),
        )
        .await;
    let retire = "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { status } } }";
    let revise = "mutation($a: ID!) { reviseAsset(input: {assetId: $a, title: \"New\"}) { asset { status } } }";
    let link = "mutation($e: ID!, $a: ID!) { linkEventOutput(input: {eventId: $e, assetId: $a}) { event { id } } }";
    // An outsider sees the published asset but changes nothing.
    for (query, vars) in [
        (retire, json!({"a": published})),
        (revise, json!({"a": published})),
        (REVIEW, json!({"a": published, "d": "APPROVE"})),
        (link, json!({"e": event, "a": published})),
    ] {
        let refused = w.run(Some(&w.carol), query, vars).await;
        assert_eq!(
            refused.code(),
            Some("FORBIDDEN"),
            "{query}: {}",
            refused.body
        );
    }
    w.app.must(&w.alice, "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { stage } } }", json!({"c": w.community}), "/setCommunityStage/community/stage").await;
    for (who, query, vars) in [
        (&w.alice, REVIEW, json!({"a": pending, "d": "APPROVE"})),
        (&w.bob, retire, json!({"a": published})),
        (&w.alice, revise, json!({"a": published})),
        (&w.alice, link, json!({"e": event, "a": published})),
    ] {
        let refused = w.run(Some(who), query, vars).await;
        assert_eq!(
            refused.code(),
            Some("FAILED_PRECONDITION"),
            "{query}: {}",
            refused.body
        );
    }
    // Archived communities stay readable.
    assert_eq!(
        status(&w.run(None, SEE, json!({"id": published})).await),
        "PUBLISHED"
    );
}
