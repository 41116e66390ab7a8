use serde_json::json;

use super::{MALFORMED_ID, world};

const CREATE: &str = "mutation($c: ID!, $s: String!, $v: SpaceVisibility!) { createSpace(input: {communityId: $c, slug: $s, name: $s, visibility: $v}) { space { id slug visibility viewerCanRead community { id } } } }";
const UPDATE: &str = "mutation($input: UpdateSpaceInput!) { updateSpace(input: $input) { space { slug name description visibility } } }";
const ADD: &str = "mutation($s: ID!, $p: ID!) { addSpaceMember(input: {spaceId: $s, personId: $p}) { space { members { totalCount nodes { id } } } } }";
const REMOVE: &str = "mutation($s: ID!, $p: ID!) { removeSpaceMember(input: {spaceId: $s, personId: $p}) { space { members { totalCount } } } }";

#[tokio::test]
async fn manager_creates_spaces_of_each_visibility() {
    let w = world().await;
    for (slug, visibility) in [
        ("news", "PUBLIC"),
        ("lounge", "MEMBERS"),
        ("core", "PRIVATE"),
    ] {
        let created = w
            .run(
                Some(&w.alice),
                CREATE,
                json!({"c": w.community, "s": slug, "v": visibility}),
            )
            .await;
        created.ok();
        assert_eq!(
            created.at("/createSpace/space/visibility"),
            &json!(visibility)
        );
        assert_eq!(created.at("/createSpace/space/viewerCanRead"), &json!(true));
    }
    let listed = w.run(None, "{ network(slug: \"net\") { community(slug: \"garden\") { spaces { totalCount nodes { slug } } } } }", json!({})).await;
    assert_eq!(
        listed.at("/network/community/spaces/nodes"),
        &json!([{"slug": "news"}])
    );
    let member = w.run(Some(&w.bob), "{ network(slug: \"net\") { community(slug: \"garden\") { spaces { totalCount nodes { slug viewerCanRead } } } } }", json!({})).await;
    assert_eq!(member.at("/network/community/spaces/totalCount"), &json!(3));
    assert_eq!(
        member.at("/network/community/spaces/nodes/2"),
        &json!({"slug": "core", "viewerCanRead": false})
    );
}

#[tokio::test]
async fn space_creation_is_for_managers_with_valid_input() {
    let w = world().await;
    w.run(
        Some(&w.bob),
        CREATE,
        json!({"c": w.community, "s": "mine", "v": "PUBLIC"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        None,
        CREATE,
        json!({"c": w.community, "s": "mine", "v": "PUBLIC"}),
    )
    .await
    .expect_code("UNAUTHENTICATED");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"c": w.community, "s": "Mine!", "v": "PUBLIC"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"c": w.community, "s": "mine", "v": "HIDDEN"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"c": MALFORMED_ID, "s": "mine", "v": "PUBLIC"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"c": w.community, "s": "mine", "v": "PUBLIC"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        CREATE,
        json!({"c": w.community, "s": "mine", "v": "MEMBERS"}),
    )
    .await
    .expect_code("CONFLICT");
    let count = w
        .run(
            Some(&w.alice),
            "{ network(slug: \"net\") { community(slug: \"garden\") { spaces { totalCount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(count.at("/network/community/spaces/totalCount"), &json!(1));
}

#[tokio::test]
async fn manager_updates_a_space_and_readers_follow_its_visibility() {
    let w = world().await;
    let space = w
        .app
        .space(&w.alice, &w.community, "lounge", "MEMBERS")
        .await;
    let updated = w
        .run(Some(&w.alice), UPDATE, json!({"input": {"spaceId": space, "slug": "salon", "name": "Salon", "description": "Talk", "visibility": "PRIVATE"}}))
        .await;
    updated.ok();
    assert_eq!(
        updated.at("/updateSpace/space"),
        &json!({"slug": "salon", "name": "Salon", "description": "Talk", "visibility": "PRIVATE"})
    );
    let bob = w
        .read(Some(&w.bob), &space, "... on Space { viewerCanRead }")
        .await;
    assert_eq!(bob.at("/node/viewerCanRead"), &json!(false));
    w.run(
        Some(&w.bob),
        UPDATE,
        json!({"input": {"spaceId": space, "name": "Mine"}}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.carol),
        UPDATE,
        json!({"input": {"spaceId": space, "name": "Mine"}}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"spaceId": space, "name": ""}}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"spaceId": w.community}}),
    )
    .await
    .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn manager_puts_members_on_a_private_space_and_takes_them_off() {
    let w = world().await;
    let space = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.run(
        Some(&w.bob),
        "query($s: ID!) { node(id: $s) { ... on Space { members { totalCount } } } }",
        json!({"s": space}),
    )
    .await
    .expect_code("FORBIDDEN");
    let added = w
        .run(Some(&w.alice), ADD, json!({"s": space, "p": w.bob.id}))
        .await;
    assert_eq!(
        added.at("/addSpaceMember/space/members/nodes/0/id"),
        &json!(w.bob.id)
    );
    let again = w
        .run(Some(&w.alice), ADD, json!({"s": space, "p": w.bob.id}))
        .await;
    assert_eq!(
        again.at("/addSpaceMember/space/members/totalCount"),
        &json!(1)
    );
    let bob = w
        .read(
            Some(&w.bob),
            &space,
            "... on Space { viewerCanRead members { totalCount } }",
        )
        .await;
    assert_eq!(bob.at("/node/viewerCanRead"), &json!(true));
    let removed = w
        .run(Some(&w.alice), REMOVE, json!({"s": space, "p": w.bob.id}))
        .await;
    assert_eq!(
        removed.at("/removeSpaceMember/space/members/totalCount"),
        &json!(0)
    );
    w.run(Some(&w.alice), REMOVE, json!({"s": space, "p": w.bob.id}))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn space_lists_take_only_community_members_and_only_managers_change_them() {
    let w = world().await;
    let space = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.run(Some(&w.alice), ADD, json!({"s": space, "p": w.carol.id}))
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.bob), ADD, json!({"s": space, "p": w.bob.id}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), ADD, json!({"s": space, "p": w.carol.id}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.alice), ADD, json!({"s": space, "p": MALFORMED_ID}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.bob), REMOVE, json!({"s": space, "p": w.alice.id}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn space_member_removal_with_a_malformed_id_is_bad_user_input() {
    let w = world().await;
    w.run(
        Some(&w.alice),
        REMOVE,
        json!({"s": MALFORMED_ID, "p": w.bob.id}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        UPDATE,
        json!({"input": {"spaceId": MALFORMED_ID}}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}
