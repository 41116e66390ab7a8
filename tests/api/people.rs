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

/// Rule 8's SQL (`PersonFilter`, used by every list and lookup of people) against its pure
/// twin (`can_see_person`), for callers and people in every position the rule names, across
/// network and community visibilities.
#[tokio::test]
async fn the_sql_of_people_visibility_agrees_with_its_pure_twin() {
    use copnet_domain::{
        AccessSet,
        ids::{CommunityId, NetworkId, OrganizationId, PersonId},
        policy::{
            filter::PersonFilter,
            read::{PersonFacts, can_see_person},
        },
    };
    use copnet_tests::uuid_of;

    let app = TestApp::spawn().await;
    let founder = app.person("founder").await;
    let org = app.organization(&founder, "org").await;
    let other = app.organization(&founder, "other").await;
    let org_admin = app.person("org-admin").await;
    app.affiliate(&founder, &org, &org_admin, "ORG_ADMIN").await;
    let other_admin = app.person("other-admin").await;
    app.affiliate(&founder, &other, &other_admin, "ORG_ADMIN")
        .await;
    let affiliated = app.person("affiliated").await;
    app.affiliate(&founder, &org, &affiliated, "ORG_MEMBER")
        .await;
    let nobody = app.person("nobody").await;
    let empty = |p: &Person| PersonFacts {
        id: PersonId::from(uuid_of(&p.id)),
        communities: vec![],
        stewarded: vec![],
        coordinated: vec![],
        organizations: vec![],
    };
    let repos = copnet_infra::Store::new(app.database()).repos();
    let network_row = |id: &str| {
        let repos = repos.clone();
        let id = NetworkId::from(uuid_of(id));
        async move { repos.networks.by_ids(&[id]).await.unwrap().remove(0) }
    };
    let community_row = |id: &str| {
        let repos = repos.clone();
        let id = CommunityId::from(uuid_of(id));
        async move { repos.communities.by_ids(&[id]).await.unwrap().remove(0) }
    };
    let mut facts: Vec<(Person, PersonFacts)> = vec![
        (org_admin.clone(), {
            let mut f = empty(&org_admin);
            f.organizations = vec![OrganizationId::from(uuid_of(&org))];
            f
        }),
        (other_admin.clone(), {
            let mut f = empty(&other_admin);
            f.organizations = vec![OrganizationId::from(uuid_of(&other))];
            f
        }),
        (affiliated.clone(), {
            let mut f = empty(&affiliated);
            f.organizations = vec![OrganizationId::from(uuid_of(&org))];
            f
        }),
        (nobody.clone(), empty(&nobody)),
    ];
    for nv in ["PUBLIC", "PRIVATE"] {
        let slug = format!("net-{}", nv.to_lowercase());
        let network = app.network(&founder, &org, &slug, nv).await;
        let n = network_row(&network).await;
        let steward = app.person(&format!("steward-{slug}")).await;
        app.steward(&founder, &network, &steward).await;
        let mut f = empty(&steward);
        f.stewarded = vec![n.clone()];
        facts.push((steward, f));
        let cluster = app
            .must(
                &founder,
                "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }",
                json!({"n": network}),
                "/createCluster/cluster/id",
            )
            .await;
        for cv in ["PUBLIC", "NETWORK", "PRIVATE"] {
            let community = app
                .community(
                    &founder,
                    &network,
                    &format!("c-{}", cv.to_lowercase()),
                    cv,
                    "OPEN",
                )
                .await;
            let c = community_row(&community).await;
            let member = app.person(&format!("member-{slug}-{cv}")).await;
            app.enroll(&founder, &community, &member).await;
            let mut f = empty(&member);
            f.communities = vec![(n.clone(), c)];
            facts.push((member, f));
        }
        let coordinator = app.person(&format!("coordinator-{slug}")).await;
        // A coordinator is a network member: here, through a private community of their own.
        let own = app
            .community(
                &founder,
                &network,
                &format!("own-{slug}"),
                "PRIVATE",
                "OPEN",
            )
            .await;
        app.enroll(&founder, &own, &coordinator).await;
        app.must(
            &founder,
            "mutation($c: ID!, $p: ID!) { addClusterCoordinator(input: {clusterId: $c, personId: $p}) { cluster { id } } }",
            json!({"c": cluster, "p": coordinator.id}),
            "/addClusterCoordinator/cluster/id",
        )
        .await;
        let mut f = empty(&coordinator);
        f.communities = vec![(n.clone(), community_row(&own).await)];
        f.coordinated = vec![n.clone()];
        facts.push((coordinator, f));
    }

    let mut callers: Vec<(String, AccessSet)> = vec![("anonymous".into(), AccessSet::anonymous())];
    let ids: Vec<PersonId> = facts.iter().map(|(_, f)| f.id).collect();
    let loaded = repos.access.load_many(&ids).await.unwrap();
    for (person, f) in &facts {
        callers.push((person.subject.clone(), loaded[&f.id].clone()));
    }
    let mut platform = loaded[&facts[3].1.id].clone();
    platform.platform_admin = true;
    callers.push(("platform admin with no membership".into(), platform));

    let mut disagreements = Vec::new();
    let mut seen = 0;
    for (caller, access) in &callers {
        let sql = repos
            .people
            .visible_subset(&ids, &PersonFilter::for_access(access))
            .await
            .unwrap();
        for (person, f) in &facts {
            let pure = can_see_person(access, f);
            seen += usize::from(pure);
            if sql.contains(&f.id) != pure {
                disagreements.push(format!(
                    "{caller} -> {}: SQL {}, pure {pure}",
                    person.subject,
                    sql.contains(&f.id)
                ));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    let pairs = callers.len() * facts.len();
    assert!(
        seen > 0 && seen < pairs,
        "{seen} of {pairs} visible: both answers occur"
    );
}
