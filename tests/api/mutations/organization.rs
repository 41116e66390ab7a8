use serde_json::json;

use super::{MALFORMED_ID, world};

const CREATE: &str = "mutation($slug: String!, $name: String!) { createOrganization(input: {slug: $slug, name: $name}) { organization { id slug name } } }";
const ADD: &str = "mutation($o: ID!, $p: ID!, $r: OrganizationRole) { addAffiliation(input: {organizationId: $o, personId: $p, role: $r}) { affiliation { role person { id } organization { slug } } } }";
const REMOVE: &str = "mutation($o: ID!, $p: ID!) { removeAffiliation(input: {organizationId: $o, personId: $p}) { organization { slug } } }";
const COUNT: &str = "{ organizations { totalCount } }";

#[tokio::test]
async fn signed_in_person_creates_an_organization_and_becomes_its_admin() {
    let w = world().await;
    let created = w
        .run(
            Some(&w.carol),
            CREATE,
            json!({"slug": "ngo-one", "name": "  NGO One "}),
        )
        .await;
    created.ok();
    assert_eq!(
        created.str("/createOrganization/organization/name"),
        "NGO One"
    );
    let mine = w
        .run(
            Some(&w.carol),
            "{ viewer { affiliations { nodes { role organization { slug } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine.at("/viewer/affiliations/nodes"),
        &json!([{"role": "ORG_ADMIN", "organization": {"slug": "ngo-one"}}])
    );
}

#[tokio::test]
async fn anonymous_caller_cannot_create_an_organization() {
    let w = world().await;
    w.run(None, CREATE, json!({"slug": "ngo-one", "name": "NGO"}))
        .await
        .expect_code("UNAUTHENTICATED");
    assert_eq!(
        w.run(None, COUNT, json!({}))
            .await
            .at("/organizations/totalCount"),
        &json!(1)
    );
}

#[tokio::test]
async fn bad_slug_or_name_changes_nothing() {
    let w = world().await;
    for (slug, name) in [
        ("Bad Slug", "ok"),
        ("a", "ok"),
        ("ok-slug", ""),
        ("ok-slug", &"n".repeat(121)),
    ] {
        let response = w
            .run(Some(&w.carol), CREATE, json!({"slug": slug, "name": name}))
            .await;
        response.expect_code("BAD_USER_INPUT");
        assert!(
            response.errors()[0]["extensions"]["field"].is_string(),
            "{}",
            response.body
        );
    }
    assert_eq!(
        w.run(None, COUNT, json!({}))
            .await
            .at("/organizations/totalCount"),
        &json!(1)
    );
}

#[tokio::test]
async fn taken_organization_slug_is_a_conflict() {
    let w = world().await;
    w.run(
        Some(&w.carol),
        CREATE,
        json!({"slug": "acme", "name": "Other"}),
    )
    .await
    .expect_code("CONFLICT");
}

#[tokio::test]
async fn org_admin_affiliates_a_person_and_changes_their_role() {
    let w = world().await;
    let added = w
        .run(Some(&w.alice), ADD, json!({"o": w.org, "p": w.carol.id}))
        .await;
    added.ok();
    assert_eq!(
        added.at("/addAffiliation/affiliation/role"),
        &json!("ORG_MEMBER")
    );
    let promoted = w
        .run(
            Some(&w.alice),
            ADD,
            json!({"o": w.org, "p": w.carol.id, "r": "ORG_ADMIN"}),
        )
        .await;
    assert_eq!(
        promoted.at("/addAffiliation/affiliation/role"),
        &json!("ORG_ADMIN")
    );
}

#[tokio::test]
async fn non_admin_cannot_affiliate_people() {
    let w = world().await;
    w.app
        .affiliate(&w.alice, &w.org, &w.bob, "ORG_MEMBER")
        .await;
    w.run(Some(&w.bob), ADD, json!({"o": w.org, "p": w.carol.id}))
        .await
        .expect_code("FORBIDDEN");
    w.run(None, ADD, json!({"o": w.org, "p": w.carol.id}))
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn affiliation_with_a_malformed_or_wrong_type_id_is_refused() {
    let w = world().await;
    w.run(Some(&w.alice), ADD, json!({"o": w.org, "p": MALFORMED_ID}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        ADD,
        json!({"o": w.org, "p": w.wrong_type_id()}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        ADD,
        json!({"o": w.network, "p": w.carol.id}),
    )
    .await
    .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn last_org_admin_cannot_be_demoted_or_removed() {
    let w = world().await;
    w.run(
        Some(&w.alice),
        ADD,
        json!({"o": w.org, "p": w.alice.id, "r": "ORG_MEMBER"}),
    )
    .await
    .expect_code("CONFLICT");
    w.run(Some(&w.alice), REMOVE, json!({"o": w.org, "p": w.alice.id}))
        .await
        .expect_code("CONFLICT");
}

#[tokio::test]
async fn admin_removes_an_affiliation_and_people_may_leave_on_their_own() {
    let w = world().await;
    w.app
        .affiliate(&w.alice, &w.org, &w.carol, "ORG_MEMBER")
        .await;
    w.app
        .affiliate(&w.alice, &w.org, &w.bob, "ORG_MEMBER")
        .await;
    w.run(Some(&w.bob), REMOVE, json!({"o": w.org, "p": w.carol.id}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.alice), REMOVE, json!({"o": w.org, "p": w.carol.id}))
        .await
        .ok();
    w.run(Some(&w.bob), REMOVE, json!({"o": w.org, "p": w.bob.id}))
        .await
        .ok();
    w.run(Some(&w.alice), REMOVE, json!({"o": w.org, "p": w.bob.id}))
        .await
        .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        REMOVE,
        json!({"o": MALFORMED_ID, "p": w.bob.id}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}
