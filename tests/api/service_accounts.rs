//! Service accounts (DOMAIN.md rules 4 and 5): created by an organization's admins with
//! explicit scopes; they see public data plus what their organization hosts, never act as a
//! person, and stop working when revoked.

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::{Value, json};

const CREATE: &str = "mutation($o: ID!, $n: String!, $s: [ServiceAccountScope!]!) {
    createServiceAccount(input: {organizationId: $o, name: $n, scopes: $s}) { token serviceAccount { id name scopes revokedAt organization { slug } } } }";
const REVOKE: &str = "mutation($a: ID!) { revokeServiceAccount(input: {serviceAccountId: $a}) { serviceAccount { revokedAt } } }";
const SEEN: &str = "{ viewer { id } viewerServiceAccount { name }
    networks(first: 10) { nodes { slug communities(first: 10) { nodes { slug spaces(first: 10) { nodes { slug viewerCanRead } } } } } } }";

/// Organization `host` (admin: hana) hosts the private network `host-net`, which holds a
/// NETWORK and a PRIVATE community that `host` does not host itself; `host` also hosts the
/// PRIVATE community `hosted-elsewhere` in the public network `open-net` (hosted by `other`),
/// and `other` has a private network `other-net`. Each community has a PUBLIC, a MEMBERS and a
/// PRIVATE space. A READ_HOSTED account reads a hosted network as a network member does (its
/// NETWORK communities, their public spaces) and a hosted community as a member does (its
/// members-only spaces, and that private spaces exist), never private-space content.
struct World {
    app: TestApp,
    hana: Person,
    otto: Person,
    host: String,
    other: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let hana = app.person("hana").await;
    let otto = app.person("otto").await;
    let host = app.organization(&hana, "host").await;
    let other = app.organization(&otto, "other").await;
    let host_net = app.network(&hana, &host, "host-net", "PRIVATE").await;
    let open_net = app.network(&otto, &other, "open-net", "PUBLIC").await;
    let other_net = app.network(&otto, &other, "other-net", "PRIVATE").await;
    let mut communities = vec![
        app.community(&hana, &host_net, "network-wide", "NETWORK", "OPEN")
            .await,
        app.community(&hana, &host_net, "private-unhosted", "PRIVATE", "OPEN")
            .await,
        app.community(&otto, &other_net, "theirs", "PUBLIC", "OPEN")
            .await,
        app.community(&otto, &open_net, "public-open", "PUBLIC", "OPEN")
            .await,
    ];
    let hosted = app
        .must(
            &hana,
            "mutation($n: ID!, $o: ID!) { createCommunity(input: {networkId: $n, slug: \"hosted-elsewhere\", name: \"H\", visibility: PRIVATE, joinPolicy: INVITE_ONLY, hostOrganizationId: $o}) { community { id } } }",
            json!({"n": open_net, "o": host}),
            "/createCommunity/community/id",
        )
        .await;
    communities.push(hosted);
    for community in &communities {
        let manager = app
            .gql(
                Some(&hana.token),
                "query($c: ID!) { node(id: $c) { ... on Community { viewerCan { manage } } } }",
                json!({"c": community}),
            )
            .await;
        let owner = if manager.at("/node/viewerCan/manage") == &json!(true) {
            &hana
        } else {
            &otto
        };
        for visibility in ["PUBLIC", "MEMBERS", "PRIVATE"] {
            app.space(owner, community, &visibility.to_lowercase(), visibility)
                .await;
        }
    }
    World {
        app,
        hana,
        otto,
        host,
        other,
    }
}

impl World {
    async fn account(&self, scopes: &[&str]) -> (String, String) {
        let created = self
            .app
            .gql(
                Some(&self.hana.token),
                CREATE,
                json!({"o": self.host, "n": "Intranet sync", "s": scopes}),
            )
            .await;
        created.ok();
        (
            created.str("/createServiceAccount/token"),
            created.str("/createServiceAccount/serviceAccount/id"),
        )
    }
}

/// `network/community/space[:readable]` paths a caller sees.
fn seen(response: &copnet_tests::Gql) -> Vec<String> {
    let mut out = Vec::new();
    for network in response
        .at("/networks/nodes")
        .as_array()
        .into_iter()
        .flatten()
    {
        let n = network["slug"].as_str().unwrap_or_default();
        out.push(n.to_owned());
        for community in network
            .pointer("/communities/nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let c = community["slug"].as_str().unwrap_or_default();
            out.push(format!("{n}/{c}"));
            for space in community
                .pointer("/spaces/nodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let readable = if space["viewerCanRead"] == true {
                    ""
                } else {
                    " (unreadable)"
                };
                out.push(format!(
                    "{n}/{c}/{}{readable}",
                    space["slug"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn service_account_sees_public_data_plus_what_its_organization_hosts() {
    let w = world().await;
    let (token, _) = w.account(&["READ_HOSTED"]).await;
    let response = w.app.gql(Some(&token), SEEN, json!({})).await;
    response.ok();
    assert_eq!(response.at("/viewer"), &Value::Null);
    assert_eq!(
        response.at("/viewerServiceAccount/name"),
        &json!("Intranet sync")
    );
    assert_eq!(
        seen(&response),
        [
            "host-net",
            "host-net/network-wide",
            "host-net/network-wide/public",
            "open-net",
            "open-net/hosted-elsewhere",
            "open-net/hosted-elsewhere/members",
            "open-net/hosted-elsewhere/private (unreadable)",
            "open-net/hosted-elsewhere/public",
            "open-net/public-open",
            "open-net/public-open/public",
        ]
    );
}

#[tokio::test]
async fn service_account_without_read_hosted_sees_public_data_only() {
    let w = world().await;
    let (token, _) = w.account(&["MANAGE_AFFILIATIONS"]).await;
    let response = w.app.gql(Some(&token), SEEN, json!({})).await;
    assert_eq!(
        seen(&response),
        [
            "open-net",
            "open-net/public-open",
            "open-net/public-open/public"
        ]
    );
    let anonymous = w.app.gql(None, SEEN, json!({})).await;
    assert_eq!(seen(&anonymous), seen(&response));
}

#[tokio::test]
async fn service_account_never_acts_as_a_person() {
    let w = world().await;
    let (token, _) = w.account(&["READ_HOSTED", "MANAGE_AFFILIATIONS"]).await;
    let community = w
        .app
        .gql(Some(&token), "{ communities(filter: {search: \"network-wide\"}) { nodes { id viewerCan { join post manage } } } }", json!({}))
        .await;
    let id = community.str("/communities/nodes/0/id");
    assert_eq!(
        community.at("/communities/nodes/0/viewerCan"),
        &json!({"join": false, "post": false, "manage": false})
    );
    w.app
        .gql(
            Some(&token),
            "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }",
            json!({"c": id}),
        )
        .await
        .expect_code("FORBIDDEN");
    w.app
        .gql(Some(&token), "mutation { createOrganization(input: {slug: \"by-robot\", name: \"R\"}) { organization { id } } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    w.app
        .gql(Some(&token), "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"child\", scopes: [READ_HOSTED]}) { token } }", json!({"o": w.host}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn service_account_with_manage_affiliations_syncs_its_own_organization_only() {
    let w = world().await;
    let staff = w.app.person("staff").await;
    let (token, _) = w.account(&["MANAGE_AFFILIATIONS"]).await;
    let add = "mutation($o: ID!, $p: ID!) { addAffiliation(input: {organizationId: $o, personId: $p}) { affiliation { role } } }";
    let remove = "mutation($o: ID!, $p: ID!) { removeAffiliation(input: {organizationId: $o, personId: $p}) { organization { slug } } }";
    w.app
        .gql(Some(&token), add, json!({"o": w.host, "p": staff.id}))
        .await
        .ok();
    w.app
        .gql(Some(&token), add, json!({"o": w.other, "p": staff.id}))
        .await
        .expect_code("FORBIDDEN");
    w.app
        .gql(Some(&token), remove, json!({"o": w.host, "p": staff.id}))
        .await
        .ok();
    let (reader, _) = w.account(&["READ_HOSTED"]).await;
    w.app
        .gql(Some(&reader), add, json!({"o": w.host, "p": staff.id}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn only_org_admins_create_list_and_revoke_service_accounts() {
    let w = world().await;
    w.app
        .gql(
            Some(&w.otto.token),
            CREATE,
            json!({"o": w.host, "n": "x", "s": ["READ_HOSTED"]}),
        )
        .await
        .expect_code("FORBIDDEN");
    w.app
        .gql(
            None,
            CREATE,
            json!({"o": w.host, "n": "x", "s": ["READ_HOSTED"]}),
        )
        .await
        .expect_code("UNAUTHENTICATED");
    w.app
        .gql(
            Some(&w.hana.token),
            CREATE,
            json!({"o": w.host, "n": "", "s": ["READ_HOSTED"]}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    w.app
        .gql(
            Some(&w.hana.token),
            CREATE,
            json!({"o": w.host, "n": "x", "s": []}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    w.app
        .gql(
            Some(&w.hana.token),
            CREATE,
            json!({"o": w.host, "n": "x", "s": ["ROOT"]}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    let (token, account) = w.account(&["READ_HOSTED"]).await;
    let listed = w.app.gql(Some(&w.hana.token), "query($o: ID!) { node(id: $o) { ... on Organization { serviceAccounts { totalCount } } } }", json!({"o": w.host})).await;
    assert_eq!(listed.at("/node/serviceAccounts/totalCount"), &json!(1));
    w.app.gql(Some(&w.otto.token), "query($o: ID!) { node(id: $o) { ... on Organization { serviceAccounts { totalCount } } } }", json!({"o": w.host}))
        .await
        .expect_code("FORBIDDEN");
    w.app
        .gql(
            Some(&w.otto.token),
            "query($a: ID!) { node(id: $a) { id } }",
            json!({"a": account}),
        )
        .await
        .expect_code("NOT_FOUND");
    w.app
        .gql(Some(&w.otto.token), REVOKE, json!({"a": account}))
        .await
        .expect_code("NOT_FOUND");
    let revoked = w
        .app
        .gql(Some(&w.hana.token), REVOKE, json!({"a": account}))
        .await;
    revoked.ok();
    assert!(
        revoked
            .at("/revokeServiceAccount/serviceAccount/revokedAt")
            .is_string()
    );
    let refused = w
        .app
        .gql(Some(&token), "{ networks { totalCount } }", json!({}))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn forged_or_unknown_api_keys_are_refused_with_401() {
    let w = world().await;
    let (token, _) = w.account(&["READ_HOSTED"]).await;
    let forged = format!("{}x", token);
    let unknown = format!("cpk_{}_{}", uuid::Uuid::now_v7().simple(), "a".repeat(43));
    for bad in [forged, unknown, "cpk_not-a-uuid_secret".to_owned()] {
        let response = w
            .app
            .gql(Some(&bad), "{ networks { totalCount } }", json!({}))
            .await;
        assert_eq!(response.status, 401, "{bad}: {}", response.body);
        assert_eq!(response.codes(), ["UNAUTHENTICATED"]);
    }
}
