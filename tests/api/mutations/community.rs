use serde_json::json;

use super::{MALFORMED_ID, world};

const CREATE: &str = "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community {
    id slug stage visibility joinPolicy hostOrganization { slug } clusters { nodes { slug } }
    allowedOrganizations { nodes { slug } } viewerMembership { roles } viewerCan { manage post join } } } }";
const UPDATE: &str = "mutation($input: UpdateCommunityInput!) { updateCommunity(input: $input) { community {
    name description visibility joinPolicy hostOrganization { slug } clusters { nodes { slug } } allowedOrganizations { nodes { slug } } } } }";
const STAGE: &str = "mutation($c: ID!, $s: CommunityStage!) { setCommunityStage(input: {communityId: $c, stage: $s}) { community { stage } } }";

fn input(network: &str, slug: &str) -> serde_json::Value {
    json!({"networkId": network, "slug": slug, "name": "Water", "visibility": "NETWORK", "joinPolicy": "APPROVAL"})
}

#[tokio::test]
async fn person_who_sees_the_network_proposes_a_community_and_manages_it() {
    let w = world().await;
    let cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    let mut new = input(&w.network, "water");
    new["clusterIds"] = json!([cluster]);
    new["hostOrganizationId"] = json!(w.org);
    new["allowedOrganizationIds"] = json!([w.org]);
    let created = w.run(Some(&w.alice), CREATE, json!({"input": new})).await;
    created.ok();
    let c = created.at("/createCommunity/community");
    assert_eq!(c["stage"], "PROPOSED");
    assert_eq!(c["viewerMembership"]["roles"], json!(["MANAGER"]));
    assert_eq!(
        c["viewerCan"],
        json!({"manage": true, "post": true, "join": false})
    );
    assert_eq!(c["clusters"]["nodes"], json!([{"slug": "north"}]));
    assert_eq!(c["hostOrganization"]["slug"], "acme");
    assert_eq!(
        c["allowedOrganizations"]["nodes"],
        json!([{"slug": "acme"}])
    );
    // Any signed-in person may propose one in a network they can see.
    w.run(
        Some(&w.carol),
        CREATE,
        json!({"input": input(&w.network, "carols")}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn community_creation_is_refused_to_anonymous_callers_and_in_hidden_networks() {
    let w = world().await;
    w.run(None, CREATE, json!({"input": input(&w.network, "water")}))
        .await
        .expect_code("UNAUTHENTICATED");
    let private = w.app.network(&w.alice, &w.org, "hidden", "PRIVATE").await;
    w.run(
        Some(&w.carol),
        CREATE,
        json!({"input": input(&private, "water")}),
    )
    .await
    .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn community_creation_with_bad_input_changes_nothing() {
    let w = world().await;
    let other = w.app.network(&w.alice, &w.org, "other", "PUBLIC").await;
    let foreign_cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"far\", name: \"Far\"}) { cluster { id } } }", json!({"n": other}), "/createCluster/cluster/id").await;
    let cases = [
        ("slug", json!("UPPER"), "BAD_USER_INPUT"),
        ("clusterIds", json!([foreign_cluster]), "BAD_USER_INPUT"),
        ("clusterIds", json!([MALFORMED_ID]), "BAD_USER_INPUT"),
        (
            "allowedOrganizationIds",
            json!([w.network]),
            "BAD_USER_INPUT",
        ),
        ("description", json!("d".repeat(4001)), "BAD_USER_INPUT"),
        ("networkId", json!(MALFORMED_ID), "BAD_USER_INPUT"),
        ("networkId", json!(w.org), "NOT_FOUND"),
        ("slug", json!("garden"), "CONFLICT"),
    ];
    for (field, value, code) in cases {
        let mut bad = input(&w.network, "water");
        bad[field] = value;
        w.run(Some(&w.alice), CREATE, json!({"input": bad}))
            .await
            .expect_code(code);
    }
    let count = w
        .run(None, "{ communities { totalCount } }", json!({}))
        .await;
    assert_eq!(count.at("/communities/totalCount"), &json!(1));
}

#[tokio::test]
async fn host_organization_must_be_one_of_the_creators() {
    let w = world().await;
    let mut new = input(&w.network, "water");
    new["hostOrganizationId"] = json!(w.org);
    w.run(Some(&w.carol), CREATE, json!({"input": new}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn manager_updates_community_settings() {
    let w = world().await;
    let changed = w
        .run(Some(&w.alice), UPDATE, json!({"input": {"communityId": w.community, "name": "Gardens", "description": "Grow",
            "visibility": "PRIVATE", "joinPolicy": "INVITE_ONLY", "hostOrganizationId": w.org, "allowedOrganizationIds": [w.org]}}))
        .await;
    changed.ok();
    let c = changed.at("/updateCommunity/community");
    assert_eq!(
        (
            c["name"].as_str(),
            c["visibility"].as_str(),
            c["joinPolicy"].as_str()
        ),
        (Some("Gardens"), Some("PRIVATE"), Some("INVITE_ONLY"))
    );
    assert_eq!(c["hostOrganization"]["slug"], "acme");
    let cleared = w.run(Some(&w.alice), UPDATE, json!({"input": {"communityId": w.community, "hostOrganizationId": null, "allowedOrganizationIds": []}})).await;
    assert_eq!(
        cleared.at("/updateCommunity/community/hostOrganization"),
        &json!(null)
    );
    assert_eq!(
        cleared.at("/updateCommunity/community/allowedOrganizations/nodes"),
        &json!([])
    );
    assert_eq!(
        cleared.at("/updateCommunity/community/name"),
        &json!("Gardens")
    );
}

#[tokio::test]
async fn members_cannot_update_a_community_and_outsiders_cannot_find_a_private_one() {
    let w = world().await;
    w.run(
        Some(&w.bob),
        UPDATE,
        json!({"input": {"communityId": w.community, "name": "Mine"}}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"communityId": w.community, "visibility": "PRIVATE"}}),
    )
    .await
    .ok();
    w.run(
        Some(&w.carol),
        UPDATE,
        json!({"input": {"communityId": w.community, "name": "Mine"}}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"communityId": w.community, "name": " "}}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"communityId": MALFORMED_ID}}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn stages_follow_the_lifecycle_and_archived_communities_accept_no_writes() {
    let w = world().await;
    w.run(
        Some(&w.alice),
        STAGE,
        json!({"c": w.community, "s": "ACTIVE"}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.bob),
        STAGE,
        json!({"c": w.community, "s": "LAUNCHING"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.app.ready_to_activate(&w.alice, &w.community).await;
    for stage in ["LAUNCHING", "ACTIVE", "DORMANT", "ACTIVE", "ARCHIVED"] {
        let moved = w
            .run(Some(&w.alice), STAGE, json!({"c": w.community, "s": stage}))
            .await;
        moved.ok();
        assert_eq!(
            moved.at("/setCommunityStage/community/stage"),
            &json!(stage)
        );
    }
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"communityId": w.community, "name": "Late"}}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    let read = w.run(None, "{ network(slug: \"net\") { community(slug: \"garden\") { stage viewerCan { join post manage } } } }", json!({})).await;
    assert_eq!(read.at("/network/community/stage"), &json!("ARCHIVED"));
    // A member cannot restore it; the network steward can.
    w.run(
        Some(&w.bob),
        STAGE,
        json!({"c": w.community, "s": "DORMANT"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        STAGE,
        json!({"c": w.community, "s": "DORMANT"}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn a_manager_who_is_not_a_steward_cannot_restore_an_archived_community() {
    let w = world().await;
    let carols = w
        .app
        .community(&w.carol, &w.network, "carols", "PUBLIC", "OPEN")
        .await;
    w.run(Some(&w.carol), STAGE, json!({"c": carols, "s": "ARCHIVED"}))
        .await
        .ok();
    w.run(Some(&w.carol), STAGE, json!({"c": carols, "s": "DORMANT"}))
        .await
        .expect_code("FORBIDDEN");
    // The network's steward moves any of its communities.
    w.run(Some(&w.alice), STAGE, json!({"c": carols, "s": "DORMANT"}))
        .await
        .ok();
}

#[tokio::test]
async fn stage_change_with_a_malformed_id_or_unknown_stage_is_bad_user_input() {
    let w = world().await;
    w.run(
        Some(&w.alice),
        STAGE,
        json!({"c": MALFORMED_ID, "s": "LAUNCHING"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        STAGE,
        json!({"c": w.community, "s": "FINISHED"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    let stage = w
        .read(None, &w.community, "... on Community { stage }")
        .await;
    assert_eq!(stage.at("/node/stage"), &json!("PROPOSED"));
}
