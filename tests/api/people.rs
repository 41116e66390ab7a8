//! DOMAIN.md rule 8: people are private by default; a profile is visible to the person and to
//! whoever can see a community they belong to (and, as chosen here, a network they steward);
//! e-mail addresses only to the person and the admins of their organizations.

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::json;

const PEOPLE: &str = "{ people(first: 100) { totalCount nodes { displayName } } }";

fn names(response: &copnet_tests::Gql) -> Vec<String> {
    let mut names: Vec<String> = response
        .at("/people/nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["displayName"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

struct World {
    app: TestApp,
    steward: Person,
    open_member: Person,
    secret_member: Person,
    stranger: Person,
}

/// `steward` runs a public network with a public community (`open_member` is in it) and a
/// private community (`secret_member` is in it); `stranger` belongs to nothing.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let steward = app.person("steward").await;
    let open_member = app.person("open-member").await;
    let secret_member = app.person("secret-member").await;
    let stranger = app.person("stranger").await;
    let org = app.organization(&steward, "org").await;
    app.affiliate(&steward, &org, &secret_member, "ORG_MEMBER")
        .await;
    let network = app.network(&steward, &org, "net", "PUBLIC").await;
    let open = app
        .community(&steward, &network, "open", "PUBLIC", "OPEN")
        .await;
    let secret = app
        .community(&steward, &network, "secret", "PRIVATE", "INVITE_ONLY")
        .await;
    app.enroll(&steward, &open, &open_member).await;
    app.enroll(&steward, &secret, &secret_member).await;
    World {
        app,
        steward,
        open_member,
        secret_member,
        stranger,
    }
}

#[tokio::test]
async fn people_search_returns_only_people_the_caller_may_see() {
    let w = world().await;
    let anonymous = w.app.gql(None, PEOPLE, json!({})).await;
    assert_eq!(names(&anonymous), ["open-member", "steward"]);
    assert_eq!(anonymous.at("/people/totalCount"), &json!(2));
    let stranger = w.app.gql(Some(&w.stranger.token), PEOPLE, json!({})).await;
    assert_eq!(names(&stranger), ["open-member", "steward", "stranger"]);
    let insider = w
        .app
        .gql(Some(&w.secret_member.token), PEOPLE, json!({}))
        .await;
    assert_eq!(names(&insider), ["open-member", "secret-member", "steward"]);
    let searched = w
        .app
        .gql(
            Some(&w.stranger.token),
            "{ people(search: \"SECRET\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(searched.at("/people/totalCount"), &json!(0));
}

#[tokio::test]
async fn hidden_person_is_not_found_by_id() {
    let w = world().await;
    let query = "query($p: ID!) { node(id: $p) { ... on Person { displayName memberships { totalCount } } } }";
    w.app
        .gql(
            Some(&w.stranger.token),
            query,
            json!({"p": w.secret_member.id}),
        )
        .await
        .expect_code("NOT_FOUND");
    w.app
        .gql(None, query, json!({"p": w.stranger.id}))
        .await
        .expect_code("NOT_FOUND");
    let visible = w
        .app
        .gql(
            Some(&w.stranger.token),
            query,
            json!({"p": w.open_member.id}),
        )
        .await;
    visible.ok();
    assert_eq!(visible.at("/node/memberships/totalCount"), &json!(1));
    // The steward sees both of their memberships' communities; a stranger only the public one.
    let steward = w
        .app
        .gql(Some(&w.stranger.token), query, json!({"p": w.steward.id}))
        .await;
    assert_eq!(steward.at("/node/memberships/totalCount"), &json!(1));
    let own = w
        .app
        .gql(Some(&w.steward.token), query, json!({"p": w.steward.id}))
        .await;
    assert_eq!(own.at("/node/memberships/totalCount"), &json!(2));
}

#[tokio::test]
async fn email_is_shown_to_the_person_and_their_organizations_admins_only() {
    let w = world().await;
    let query = "query($p: ID!) { node(id: $p) { ... on Person { email } } }";
    let own = w
        .app
        .gql(
            Some(&w.secret_member.token),
            query,
            json!({"p": w.secret_member.id}),
        )
        .await;
    assert_eq!(own.at("/node/email"), &json!("secret-member@example.org"));
    let admin = w
        .app
        .gql(
            Some(&w.steward.token),
            query,
            json!({"p": w.secret_member.id}),
        )
        .await;
    assert_eq!(admin.at("/node/email"), &json!("secret-member@example.org"));
    let peer = w
        .app
        .gql(
            Some(&w.stranger.token),
            query,
            json!({"p": w.open_member.id}),
        )
        .await;
    assert_eq!(peer.at("/node/email"), &json!(null));
    let not_admin = w
        .app
        .gql(
            Some(&w.steward.token),
            query,
            json!({"p": w.open_member.id}),
        )
        .await;
    assert_eq!(not_admin.at("/node/email"), &json!(null));
}
