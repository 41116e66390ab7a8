use serde_json::json;

use super::{MALFORMED_ID, world};

const CREATE: &str = "mutation($o: ID!, $s: String!, $v: Visibility!) { createNetwork(input: {hostOrganizationId: $o, slug: $s, name: $s, visibility: $v}) { network { id visibility viewerIsSteward stewards { nodes { id } } hostOrganization { slug } } } }";
const STEWARD: &str = "mutation($n: ID!, $p: ID!) { addNetworkSteward(input: {networkId: $n, personId: $p}) { network { stewards { totalCount } } } }";
const CLUSTER: &str = "mutation($n: ID!, $s: String!) { createCluster(input: {networkId: $n, slug: $s, name: $s}) { cluster { id slug network { id } } } }";
const COORDINATOR: &str = "mutation($c: ID!, $p: ID!) { addClusterCoordinator(input: {clusterId: $c, personId: $p}) { cluster { coordinators { nodes { id } } } } }";

#[tokio::test]
async fn org_admin_creates_a_network_and_becomes_its_steward() {
    let w = world().await;
    let created = w
        .run(
            Some(&w.alice),
            CREATE,
            json!({"o": w.org, "s": "second", "v": "PRIVATE"}),
        )
        .await;
    created.ok();
    assert_eq!(
        created.at("/createNetwork/network/visibility"),
        &json!("PRIVATE")
    );
    assert_eq!(
        created.at("/createNetwork/network/viewerIsSteward"),
        &json!(true)
    );
    assert_eq!(
        created.at("/createNetwork/network/stewards/nodes/0/id"),
        &json!(w.alice.id)
    );
    assert_eq!(
        created.at("/createNetwork/network/hostOrganization/slug"),
        &json!("acme")
    );
}

#[tokio::test]
async fn only_an_org_admin_of_the_host_creates_a_network() {
    let w = world().await;
    w.app
        .affiliate(&w.alice, &w.org, &w.bob, "ORG_MEMBER")
        .await;
    w.run(
        Some(&w.bob),
        CREATE,
        json!({"o": w.org, "s": "second", "v": "PUBLIC"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        None,
        CREATE,
        json!({"o": w.org, "s": "second", "v": "PUBLIC"}),
    )
    .await
    .expect_code("UNAUTHENTICATED");
    let count = w.run(None, "{ networks { totalCount } }", json!({})).await;
    assert_eq!(count.at("/networks/totalCount"), &json!(1));
}

#[tokio::test]
async fn network_visibility_network_taken_slug_and_unknown_host_are_refused() {
    let w = world().await;
    let response = w
        .run(
            Some(&w.alice),
            CREATE,
            json!({"o": w.org, "s": "second", "v": "NETWORK"}),
        )
        .await;
    response.expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"o": w.org, "s": "net", "v": "PUBLIC"}),
    )
    .await
    .expect_code("CONFLICT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"o": w.community, "s": "x2", "v": "PUBLIC"}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"o": w.org, "s": "-bad", "v": "PUBLIC"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"o": w.org, "s": "ok", "v": "SECRET"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn steward_adds_a_steward_once() {
    let w = world().await;
    let added = w
        .run(
            Some(&w.alice),
            STEWARD,
            json!({"n": w.network, "p": w.carol.id}),
        )
        .await;
    added.ok();
    assert_eq!(
        added.at("/addNetworkSteward/network/stewards/totalCount"),
        &json!(2)
    );
    w.run(
        Some(&w.alice),
        STEWARD,
        json!({"n": w.network, "p": w.carol.id}),
    )
    .await
    .expect_code("CONFLICT");
}

#[tokio::test]
async fn non_steward_cannot_add_stewards_and_a_hidden_network_is_not_found() {
    let w = world().await;
    w.run(
        Some(&w.bob),
        STEWARD,
        json!({"n": w.network, "p": w.bob.id}),
    )
    .await
    .expect_code("FORBIDDEN");
    let private = w.app.network(&w.alice, &w.org, "hidden", "PRIVATE").await;
    w.run(
        Some(&w.carol),
        STEWARD,
        json!({"n": private, "p": w.carol.id}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        STEWARD,
        json!({"n": w.network, "p": MALFORMED_ID}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn platform_admin_adds_a_steward_to_a_network_they_can_see() {
    let w = world().await;
    let admin = w.app.person(copnet_tests::PLATFORM_ADMIN).await;
    let added = w
        .run(
            Some(&admin),
            STEWARD,
            json!({"n": w.network, "p": w.carol.id}),
        )
        .await;
    added.ok();
    assert_eq!(
        added.at("/addNetworkSteward/network/stewards/totalCount"),
        &json!(2)
    );
    // carol is a steward now, in her own eyes and in the list.
    let seen = w
        .run(
            Some(&w.carol),
            "query($n: ID!) { node(id: $n) { ... on LearningNetwork { viewerIsSteward viewerCanAdminister stewards { nodes { id } } } } }",
            json!({"n": w.network}),
        )
        .await;
    assert_eq!(seen.at("/node/viewerIsSteward"), &json!(true));
    assert_eq!(seen.at("/node/viewerCanAdminister"), &json!(true));
    let stewards = seen.at("/node/stewards/nodes").to_string();
    assert!(stewards.contains(&w.carol.id), "{stewards}");
    // A network the platform admin cannot see stays hidden from them: their role grants no
    // reading (DOMAIN.md rule 1's spirit).
    let private = w.app.network(&w.alice, &w.org, "hidden", "PRIVATE").await;
    w.run(
        Some(&admin),
        STEWARD,
        json!({"n": private, "p": w.carol.id}),
    )
    .await
    .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn steward_creates_clusters_with_unique_slugs() {
    let w = world().await;
    let created = w
        .run(
            Some(&w.alice),
            CLUSTER,
            json!({"n": w.network, "s": "north"}),
        )
        .await;
    created.ok();
    assert_eq!(
        created.at("/createCluster/cluster/network/id"),
        &json!(w.network)
    );
    w.run(
        Some(&w.alice),
        CLUSTER,
        json!({"n": w.network, "s": "north"}),
    )
    .await
    .expect_code("CONFLICT");
    w.run(Some(&w.bob), CLUSTER, json!({"n": w.network, "s": "south"}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.alice), CLUSTER, json!({"n": w.network, "s": "No"}))
        .await
        .expect_code("BAD_USER_INPUT");
    let clusters = w.run(None, "{ network(slug: \"net\") { clusters { totalCount } cluster(slug: \"north\") { slug } } }", json!({})).await;
    assert_eq!(clusters.at("/network/clusters/totalCount"), &json!(1));
    assert_eq!(clusters.at("/network/cluster/slug"), &json!("north"));
}

#[tokio::test]
async fn steward_names_network_members_cluster_coordinators() {
    let w = world().await;
    let cluster = w
        .app
        .must(
            &w.alice,
            CLUSTER,
            json!({"n": w.network, "s": "north"}),
            "/createCluster/cluster/id",
        )
        .await;
    let named = w
        .run(
            Some(&w.alice),
            COORDINATOR,
            json!({"c": cluster, "p": w.bob.id}),
        )
        .await;
    named.ok();
    assert_eq!(
        named.at("/addClusterCoordinator/cluster/coordinators/nodes/0/id"),
        &json!(w.bob.id)
    );
    w.run(
        Some(&w.alice),
        COORDINATOR,
        json!({"c": cluster, "p": w.carol.id}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.bob),
        COORDINATOR,
        json!({"c": cluster, "p": w.bob.id}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        COORDINATOR,
        json!({"c": w.network, "p": w.bob.id}),
    )
    .await
    .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn coordinator_with_a_malformed_id_is_bad_user_input() {
    let w = world().await;
    w.run(
        Some(&w.alice),
        COORDINATOR,
        json!({"c": MALFORMED_ID, "p": w.bob.id}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}
